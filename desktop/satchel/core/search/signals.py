"""Ranking signals besides the text: how much an asset is used, how fresh it is, and
whether it is due for review or expired.

Each multiplies the text score by a factor near 1:

    factor = (1 + USE · min(1, log(1 + uses) / log(1 + FULL_USE)))
           × (1 + FRESH · ½^(days since updated / HALF_LIFE_DAYS))
           × REVIEW_DUE, when past its review date
           × EXPIRED, when past its expiry date (shown only when asked for)

So they order assets the text finds about equally relevant. Between two assets that are
not expired the factors differ by at most `HIGHEST / LOWEST` (1.10): an asset whose
text scores at least `CLEARLY_BETTER` (1.25) times another's always stays ahead of it.
The weights were chosen on the labelled sales queries: the largest that lost none of
them (twice these pushed one out of the top 3; docs/benchmarks.md, "Ranking signals").
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
from collections.abc import Callable, Iterable

USE = 0.05
FULL_USE = 100  # uses from which popularity counts fully
FRESH = 0.025
HALF_LIFE_DAYS = 180.0
REVIEW_DUE = 0.975
EXPIRED = 0.85
HIGHEST = (1 + USE) * (1 + FRESH)
LOWEST = REVIEW_DUE  # of the assets a search shows unless asked (expired ones are hidden)
CLEARLY_BETTER = 1.25  # a text score this many times another's is never overtaken

Factor = Callable[[int], float]


def factor(uses: int, updated: dt.datetime | None, review_on: dt.datetime | None,
           expires: dt.datetime | None, today: dt.date) -> float:  # fmt: skip
    """The multiplier of one asset's text score."""

    def day(moment: dt.datetime | None) -> int | None:
        return None if moment is None else moment.toordinal()

    return _factor(max(0, uses), day(updated), day(review_on), day(expires), today.toordinal())


def factors(rows: Iterable[tuple[int, int | None, int | None, int | None]],
            today: dt.date) -> list[float]:  # fmt: skip
    """The multipliers of many assets, given as (uses, updated, review_on, expires) with
    the dates as day ordinals; equal rows are worked out once (a library holds few
    distinct ones, so a segment of 100k assets costs a pass over its columns)."""
    known: dict[tuple[int, int | None, int | None, int | None], float] = {}
    day = today.toordinal()
    out = []
    for row in rows:
        value = known.get(row)
        if value is None:
            value = known[row] = _factor(max(0, row[0]), *row[1:], day)
        out.append(value)
    return out


def _factor(uses: int, updated: int | None, review_on: int | None, expires: int | None,
            today: int) -> float:  # fmt: skip
    use = min(1.0, math.log1p(uses) / math.log1p(FULL_USE))
    value = 1 + USE * use
    if updated is not None:
        value *= 1 + FRESH * 0.5 ** (max(0, today - updated) / HALF_LIFE_DAYS)
    if review_on is not None and review_on < today:
        value *= REVIEW_DUE
    if expires is not None and expires < today:
        value *= EXPIRED
    return value


def top(
    scored: Iterable[tuple[float, int]], limit: int, of: Factor | None
) -> list[tuple[float, int]]:
    """The `limit` best (score × factor, docnum), best first, ties to the lower docnum;
    the factor is asked only for the documents whose text score could still reach the
    page (a factor is at most HIGHEST / LOWEST times another)."""
    ranked = [(score, -docnum) for score, docnum in scored]
    best = heapq.nlargest(limit, ranked)
    if of is None or not best:
        return [(score, -negated) for score, negated in best]
    reach = best[-1][0] * (EXPIRED * LOWEST) / HIGHEST  # scores are never negative
    contenders = [(score * of(-negated), negated) for score, negated in ranked
                  if score >= reach or reach <= 0]  # fmt: skip
    return [(score, -negated) for score, negated in heapq.nlargest(limit, contenders)]
