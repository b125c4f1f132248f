"""What marketing learns from the field, in the words of docs/INSIGHTS.md: periods,
utilization, the wastebasket, reach, influence (a correlation, never a cause), request
turnaround, top requested changes and content demand. The figures are computed from
SQL aggregates (core/insights); these are their shapes and the rules on them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from satchel.core.domain.campaigns import Readiness
from satchel.core.errors import ValidationError

QUALIFYING_USES = ("presented", "exported", "copied", "shared")  # usage events that count
# … and a PDF generated from a template, and a template's values saved (customized).
UNUSED_AFTER_DAYS = 30  # an asset this new is never "unused"
UNUSED_DAYS = 90  # the default of `insights.unused_days`
MIN_INFLUENCE_ACCOUNTS = 5  # influence stays hidden while either group has fewer
LOW_RESULTS = 2  # a search finding this many or fewer is content demand
DIGEST_FORMATS = ("text", "html")
SUGGEST_AT = 5  # a requested value recurring this often in a territory gets a suggestion


@dataclass(frozen=True)
class Period:
    """From `first` 00:00 UTC up to, not including, the day after `last`."""

    first: dt.date
    last: dt.date

    @classmethod
    def last_days(cls, days: int, today: dt.date) -> Period:
        return cls(today - dt.timedelta(days=days - 1), today)

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.first, dt.time(), dt.UTC)

    @property
    def end(self) -> dt.datetime:
        return dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time(), dt.UTC)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def words(self) -> str:
        return f"{self.first.isoformat()} to {self.last.isoformat()}"


def checked_period(since: str | None, until: str | None, today: dt.date,
                   default_days: int) -> Period:  # fmt: skip
    """The period a person asked for (ISO dates, either may be left out: the last
    `default_days` days up to today), or a ValidationError naming what is wrong."""
    problems: list[str] = []

    def day(value: str | None, what: str) -> dt.date | None:
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            problems.append(f"{what} must be a date written like 2027-03-31, not {value[:30]!r}.")
            return None

    last = day(until, "The last day") or today
    first = day(since, "The first day") or last - dt.timedelta(days=default_days - 1)
    if not problems and first > last:
        problems.append(f"The period starts ({first}) after it ends ({last}).")
    if problems:
        raise ValidationError(problems)
    return Period(first, last)


@dataclass(frozen=True)
class Filters:
    """The insights page's filters (and the CLI's): "" is every value."""

    product: str = ""
    kind: str = ""
    territory: str = ""  # the reps' territory: their uses, feedback, requests and searches
    campaign: str = ""  # a campaign's id: the assets it needs

    def words(self) -> str:
        """ "Product Cirrus CX, territory DACH" (the pack's subtitle), or ""."""
        said = [f"{name} {value}" for name, value in (("product", self.product),
                ("kind", self.kind), ("territory", self.territory)) if value]  # fmt: skip
        return sentence_case(", ".join(said))


def sentence_case(text: str) -> str:
    """The first letter upper case, the rest as written ("Campaign Dairy kit")."""
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Scope:
    """Filters resolved: the assets and the people the figures are about (None: all)."""

    assets: frozenset[str] | None = None
    people: frozenset[str] | None = None

    def has_asset(self, asset_id: str | None) -> bool:
        return self.assets is None or asset_id in self.assets

    def has_person(self, user_id: str | None) -> bool:
        return self.people is None or user_id in self.people


EVERYTHING = Scope()


def share(part: int, whole: int) -> float | None:
    """part ÷ whole, or None when there is nothing to divide by."""
    return part / whole if whole else None


def counted(number: int, one: str, many: str) -> str:
    """ "1 person", "3 people"."""
    return f"{number:,} {one if number == 1 else many}"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f} %"


@dataclass(frozen=True)
class Utilization:
    """Published-for-the-whole-period assets, and those of them used in the period."""

    used: int
    published: int

    @property
    def rate(self) -> float | None:
        return share(self.used, self.published)

    def headline(self, period: Period) -> str:
        if not self.published:
            return "No collateral was published for the whole period."
        unused = 1 - (self.rate or 0)
        return (f"{percent(unused)} of your collateral was not used in the last "
                f"{period.days} days ({self.published - self.used} of {self.published}).")  # fmt: skip


@dataclass(frozen=True)
class WastedAsset:
    """An asset in the wastebasket, and why."""

    asset_id: str
    title: str
    owner: str
    reason: str  # "unused", "stale" or "expired"
    since: dt.date | None  # the last use, the review date or the expiry date
    generated: int = 0  # documents generated from it (where an expired one still lives)


@dataclass(frozen=True)
class AssetUse:
    """An asset's qualifying uses in a period, the people using it, and its ratings."""

    asset_id: str
    title: str
    uses: int
    reach: int
    ratings: int = 0
    rating: float | None = None  # the mean of its 1–5 ratings in the period


@dataclass(frozen=True)
class Influence:
    """The win rate of accounts an asset was used with (before their outcome) against
    the accounts it was not used with. A correlation, shown only from a minimum sample."""

    asset_id: str
    title: str
    won_with: int
    decided_with: int
    won_without: int
    decided_without: int

    @property
    def shown(self) -> bool:
        return min(self.decided_with, self.decided_without) >= MIN_INFLUENCE_ACCOUNTS

    @property
    def rate_with(self) -> float | None:
        return share(self.won_with, self.decided_with)

    @property
    def rate_without(self) -> float | None:
        return share(self.won_without, self.decided_without)

    def words(self) -> str:
        counts = (f"won {self.won_with} of {self.decided_with} accounts it was used with, "
                  f"{self.won_without} of {self.decided_without} without")  # fmt: skip
        if not self.shown:
            return f"Too few accounts to compare ({counts}; {MIN_INFLUENCE_ACCOUNTS} each needed)."
        return (f"Win rate {percent(self.rate_with)} where used, {percent(self.rate_without)} "
                f"where not ({counts}) — a correlation, not a cause.")  # fmt: skip


@dataclass(frozen=True)
class Turnaround:
    """Requests decided in a period, and those waiting now."""

    decided: int
    median_hours: float | None
    p90_hours: float | None
    first_pass: int  # decided requests approved in their first round
    approved: int
    mean_rounds: float | None  # rounds until approval, over the approved
    waiting: int
    overdue: int

    @property
    def first_pass_rate(self) -> float | None:
        return share(self.first_pass, self.decided)

    @property
    def overdue_share(self) -> float | None:
        return share(self.overdue, self.waiting)


@dataclass(frozen=True)
class RequestedChange:
    """A value reps asked for outside a template field's limits: how often, from where."""

    template: str
    field: str
    value: str
    times: int
    territories: tuple[tuple[str, int], ...]  # (territory, times), most first

    def suggestion(self, period: Period) -> str:
        """Said when one value recurs in one territory; empty otherwise."""
        if not self.territories or self.territories[0][1] < SUGGEST_AT:
            return ""
        territory, times = self.territories[0]
        where = territory or "one territory"
        return (f"{self.field} {self.value} requested {times} times in {where} in "
                f"{period.days} days: consider a {where} variant of {self.template} or a "
                f"wider limit.")  # fmt: skip


@dataclass(frozen=True)
class Demand:
    """One thing people looked for and did not find, or asked marketing for."""

    phrase: str  # as most often typed
    people: int  # distinct people searching or asking
    searches: int
    asks: int = 0
    plus_ones: int = 0


@dataclass(frozen=True)
class Insights:
    """Every panel for one period."""

    period: Period
    utilization: Utilization
    wastebasket: list[WastedAsset]
    top_assets: list[AssetUse]
    influence: list[Influence]
    turnaround: Turnaround
    requested_changes: list[RequestedChange]
    demand: list[Demand]
    competitors: list[tuple[str, int]]  # field notes per competitor
    objections: list[tuple[str, int]]  # feedback naming each objection tag
    weekly: list[tuple[Period, Utilization]]  # utilization week by week
    campaigns: Sequence[Readiness] = ()  # launching in the next UPCOMING_DAYS, soonest first
    of: str = ""  # what the figures are filtered to, in words ("" for everything)


@dataclass(frozen=True)
class PackNews:
    """What the pack reports beyond the insights: read by the services for the period."""

    new_assets: Sequence[tuple[str, str]] = ()  # (title, "new" or "updated")
    accepted_asks: Sequence[tuple[str, str, str]] = ()  # (what, owner, target date)
    initiatives: Sequence[tuple[str, str, str]] = ()  # (what, when, segment)
    before: tuple[Utilization, Turnaround] | None = None  # the period of the same length before


def percentile(values: list[float], fraction: float) -> float | None:
    """The value below which `fraction` of `values` lie (nearest rank)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))  # the ceiling of n × fraction
    return ordered[int(rank) - 1]
