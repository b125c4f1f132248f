"""Content demand: what people searched for and did not find, grouped however it was
typed ("Case studies dairy" and "dairy case study" are one), ranked by the distinct
people asking, merged with the content requests that say the same."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from satchel.core.domain.feedback import Kind
from satchel.core.domain.insights import EVERYTHING, LOW_RESULTS, Demand, Period, Scope
from satchel.core.insights.figures import within
from satchel.core.search.analysis import fold, stem
from satchel.core.storage.feedback_repo import body_field
from satchel.core.storage.models import FeedbackRow, SearchLogEntry

# Words a search or a request is made of that say nothing of what is wanted.
COMMON = frozenset(["a", "an", "and", "the", "for", "of", "in", "on", "to", "with", "about", "our", "my", "we", "need", "is", "are", "any", "some", "me", "please", "new"])  # fmt: skip


def normalized(text: str) -> str:
    """Case and accents ignored, each word stemmed (English; "case-study" is two words),
    common words dropped, the words in order: the key searches and requests are grouped
    by."""
    words = {stem(word, "en") for word in re.findall(r"\w+", fold(text))
             if word not in COMMON}  # fmt: skip
    return " ".join(sorted(words))


@dataclass
class _Group:
    typed: Counter[str] = field(default_factory=Counter)
    people: set[str] = field(default_factory=set)
    searches: int = 0
    asks: int = 0
    plus_ones: int = 0


def content_demand(session: Session, period: Period, limit: int = 20,
                   scope: Scope = EVERYTHING) -> list[Demand]:  # fmt: skip
    """What the people in `scope` looked for and asked for (the assets do not apply:
    this is what is missing)."""
    groups: dict[str, _Group] = defaultdict(_Group)
    searches = (within(select(SearchLogEntry.query, SearchLogEntry.user_id, func.count())
                       .where(SearchLogEntry.results <= LOW_RESULTS,
                              SearchLogEntry.at >= period.start, SearchLogEntry.at < period.end),
                       SearchLogEntry.user_id, scope.people)
                .group_by(SearchLogEntry.query, SearchLogEntry.user_id))  # fmt: skip
    for query, user_id, count in session.execute(searches):
        key = normalized(query)
        if key:
            group = groups[key]
            group.typed[query.strip()] += int(count)
            group.searches += int(count)
            group.people.add(user_id or "")
    asks = (select(FeedbackRow.id, FeedbackRow.user_id, body_field("need"))
            .where(FeedbackRow.kind == Kind.ASK.value, FeedbackRow.deleted_at.is_(None),
                   FeedbackRow.at >= period.start, FeedbackRow.at < period.end))  # fmt: skip
    asks = within(asks, FeedbackRow.user_id, scope.people)
    by_ask: dict[str, str] = {}
    for ask_id, user_id, need in session.execute(asks):
        key = normalized(str(need))
        if key:
            by_ask[ask_id] = key
            group = groups[key]
            group.typed[" ".join(str(need).split())] += 1
            group.asks += 1
            group.people.add(user_id)
    votes = (select(FeedbackRow.ref_key, FeedbackRow.user_id)
             .where(FeedbackRow.kind == Kind.VOTE.value, FeedbackRow.deleted_at.is_(None),
                    FeedbackRow.ref_key.in_(list(by_ask))))  # fmt: skip
    votes = within(votes, FeedbackRow.user_id, scope.people)
    for ask_id, user_id in session.execute(votes):
        group = groups[by_ask[ask_id]]
        group.plus_ones += 1
        group.people.add(user_id)
    ranked = sorted(groups.values(), key=lambda g: (-len(g.people), -(g.searches + g.asks),
                                                     g.typed.most_common(1)[0][0]))  # fmt: skip
    return [Demand(g.typed.most_common(1)[0][0], len(g.people), g.searches, g.asks, g.plus_ones)
            for g in ranked[:limit]]  # fmt: skip
