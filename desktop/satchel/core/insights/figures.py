"""The insights figures as SQL aggregates over indexed columns (docs/INSIGHTS.md defines
each): what comes back to Python is one row per asset, request or phrase, never an
event table."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    and_,
    case,
    cast,
    func,
    literal,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session

from satchel.core.domain.assets import AssetStatus
from satchel.core.domain.feedback import Kind, Outcome
from satchel.core.domain.insights import (
    EVERYTHING,
    QUALIFYING_USES,
    UNUSED_AFTER_DAYS,
    AssetUse,
    Influence,
    Period,
    RequestedChange,
    Scope,
    Turnaround,
    Utilization,
    WastedAsset,
    percentile,
)
from satchel.core.domain.requests import RequestState
from satchel.core.storage.feedback_repo import body_field
from satchel.core.storage.models import (
    Asset,
    AssetVersion,
    Customization,
    FeedbackRow,
    GeneratedDocument,
    RequestRound,
    RequestRow,
    TemplateVersion,
    UsageEvent,
    User,
)
from satchel.core.workflow.requests import overdue_cutoff

DECIDED_BY_MARKETING = (RequestState.APPROVED, RequestState.APPROVED_WITH_EDITS,
                        RequestState.REJECTED)  # fmt: skip
APPROVED_BY_MARKETING = (RequestState.APPROVED, RequestState.APPROVED_WITH_EDITS)


def within(query: Any, column: Any, ids: Collection[str] | None) -> Any:
    """`query` narrowed to rows whose `column` is one of `ids` (None: no narrowing)."""
    return query if ids is None else query.where(column.in_(sorted(ids)))


def uses(
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    assets: Sequence[str] | None = None,
    people: Collection[str] | None = None,
) -> Select[tuple[str, str | None, dt.datetime]]:
    """Every qualifying use as (asset id, person, when): the usage events that count,
    the PDFs generated from a template and the templates' values saved; from `start`,
    before `end`, of `assets`, by `people` (each bound goes into each part, where its
    index is)."""

    def bounded(query: Any, at: Any, asset: Any, person: Any) -> Any:
        if start is not None:
            query = query.where(at >= start)
        if end is not None:
            query = query.where(at < end)
        if assets is not None:
            query = query.where(asset.in_(assets))
        return within(query, person, people)

    # Of some assets: by the asset's index (`action || ''` keeps SQLite off the action's,
    # which it would otherwise range over for the whole table).
    action = UsageEvent.action if assets is None else UsageEvent.action.concat("")
    events = bounded(select(UsageEvent.asset_id, UsageEvent.user_id, UsageEvent.at)
                     .where(action.in_(QUALIFYING_USES), UsageEvent.deleted_at.is_(None)),
                     UsageEvent.at, UsageEvent.asset_id, UsageEvent.user_id)  # fmt: skip
    generated = bounded(select(TemplateVersion.asset_id, GeneratedDocument.user_id,
                               GeneratedDocument.created_at)
                        .join(TemplateVersion,
                              TemplateVersion.id == GeneratedDocument.template_version_id),
                        GeneratedDocument.created_at, TemplateVersion.asset_id,
                        GeneratedDocument.user_id)  # fmt: skip
    customized = bounded(select(TemplateVersion.asset_id, Customization.user_id,
                                Customization.updated_at)
                         .join(TemplateVersion, TemplateVersion.id == Customization.template_version_id),
                         Customization.updated_at, TemplateVersion.asset_id,
                         Customization.user_id)  # fmt: skip
    return union_all(events, generated, customized)  # type: ignore[return-value]


@dataclass
class PeriodUses:
    """A period's qualifying uses, aggregated once for utilization, the weeks and the
    assets used most: per asset its uses and people, per week the assets used."""

    period: Period
    uses: Counter[str] = field(default_factory=Counter)
    people: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    weeks: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    published: list[tuple[str, dt.datetime, dt.date | None]] = field(default_factory=list)


def period_uses(session: Session, period: Period, by_week: bool = True,
                scope: Scope = EVERYTHING) -> PeriodUses:  # fmt: skip
    """One aggregate of the period's uses by asset and person (and week: the costliest
    part, left out where no week is asked for), of the assets and people in `scope`."""
    used = uses(period.start, period.end, people=scope.people).subquery()
    week = (cast((func.julianday(func.substr(used.c.at, 1, 10))
                  - func.julianday(period.first.isoformat())) / 7, Integer)
            if by_week else literal(0))  # fmt: skip
    found = PeriodUses(period, published=[p for p in _published(session)
                                          if scope.has_asset(p[0])])  # fmt: skip
    for asset_id, user_id, index, count in session.execute(
        select(used.c.asset_id, used.c.user_id, week, func.count())
        .group_by(used.c.asset_id, used.c.user_id, *([week] if by_week else []))
    ):  # fmt: skip
        if not scope.has_asset(asset_id):
            continue
        found.uses[asset_id] += int(count)
        found.people[asset_id].add(user_id or "")
        if by_week:
            found.weeks[int(index)].add(asset_id)
    return found


def _published(session: Session) -> list[tuple[str, dt.datetime, dt.date | None]]:
    """Every published asset: (id, added, expires on)."""
    return [tuple(row) for row in session.execute(  # type: ignore[misc]
        select(Asset.id, Asset.created_at, Asset.expires_on)
        .where(Asset.status == AssetStatus.PUBLISHED.value, Asset.deleted_at.is_(None)))]  # fmt: skip


def _throughout(published: Sequence[tuple[str, dt.datetime, dt.date | None]],
                period: Period) -> set[str]:  # fmt: skip
    """Published for the whole period: added by its first day, not expired before its last."""
    return {asset_id for asset_id, added, expires in published
            if added < period.start + dt.timedelta(days=1)
            and (expires is None or expires >= period.last)}  # fmt: skip


def utilization(session: Session, period: Period, used: PeriodUses | None = None,
                scope: Scope = EVERYTHING) -> Utilization:  # fmt: skip
    used = used or period_uses(session, period, by_week=False, scope=scope)
    throughout = _throughout(used.published, period)
    return Utilization(len(throughout & used.uses.keys()), len(throughout))


def utilization_by_week(session: Session, period: Period, used: PeriodUses | None = None,
                        scope: Scope = EVERYTHING) -> list[tuple[Period, Utilization]]:  # fmt: skip
    """Utilization of each week of the period (the last one may be shorter)."""
    used = used or period_uses(session, period, scope=scope)
    published = used.published
    series = []
    for index, first in enumerate(period.first + dt.timedelta(days=n)
                                  for n in range(0, period.days, 7)):  # fmt: skip
        week = Period(first, min(first + dt.timedelta(days=6), period.last))
        throughout = _throughout(published, week)
        series.append((week, Utilization(len(used.weeks[index] & throughout), len(throughout))))
    return series


def wastebasket(session: Session, today: dt.date, unused_days: int,
                scope: Scope = EVERYTHING) -> list[WastedAsset]:  # fmt: skip
    """Unused, stale and expired assets: the unused longest-unused first, then the rest
    by date; of the assets in `scope`, unused by its people."""
    since = dt.datetime.combine(today - dt.timedelta(days=unused_days - 1), dt.time(), dt.UTC)
    old_enough = dt.datetime.combine(today - dt.timedelta(days=UNUSED_AFTER_DAYS), dt.time(),
                                     dt.UTC)  # fmt: skip
    generated = (select(TemplateVersion.asset_id, func.count(GeneratedDocument.id).label("made"))
                 .join(GeneratedDocument, GeneratedDocument.template_version_id == TemplateVersion.id)
                 .group_by(TemplateVersion.asset_id).subquery())  # fmt: skip
    recent = uses(since, people=scope.people).subquery()
    query = (select(Asset.id, Asset.title, Asset.owner, Asset.review_on, Asset.expires_on,
                    Asset.created_at, Asset.id.in_(select(recent.c.asset_id)),
                    func.coalesce(generated.c.made, 0))
             .outerjoin(generated, generated.c.asset_id == Asset.id)
             .where(Asset.deleted_at.is_(None),
                    Asset.status == AssetStatus.PUBLISHED.value))  # fmt: skip
    wasted, unused = [], {}
    for asset_id, title, owner, review_on, expires_on, added, used, made in session.execute(query):
        if not scope.has_asset(asset_id):
            continue
        if expires_on is not None and expires_on < today:
            wasted.append(WastedAsset(asset_id, title, owner, "expired", expires_on, int(made)))
        elif review_on is not None and review_on < today:
            wasted.append(WastedAsset(asset_id, title, owner, "stale", review_on, int(made)))
        elif added <= old_enough and not used:
            unused[asset_id] = (title, owner, int(made))
    # The last use of each unused asset (before the window): by asset, where its index is.
    last_uses: dict[str, dt.datetime] = {}
    ids = list(unused)
    for start in range(0, len(ids), 500):
        older = uses(end=since, assets=ids[start : start + 500], people=scope.people).subquery()
        last_uses.update(session.execute(select(older.c.asset_id, func.max(older.c.at))
                                         .group_by(older.c.asset_id)).all())  # fmt: skip
    wasted += [WastedAsset(asset_id, title, owner, "unused",
                           last_uses[asset_id].date() if asset_id in last_uses else None, made)
               for asset_id, (title, owner, made) in unused.items()]  # fmt: skip
    order = {"unused": 0, "stale": 1, "expired": 2}
    return sorted(wasted, key=lambda w: (order[w.reason], w.since or dt.date.min, w.title))


def top_assets(session: Session, period: Period, limit: int = 10, used: PeriodUses | None = None,
               scope: Scope = EVERYTHING) -> list[AssetUse]:  # fmt: skip
    """The published assets most used in the period, with their reach and ratings."""
    used = used or period_uses(session, period, by_week=False, scope=scope)
    live = {asset_id for asset_id, _, _ in used.published}
    ranked = [asset_id for asset_id, _ in used.uses.most_common() if asset_id in live]
    titles = dict(session.execute(select(Asset.id, Asset.title)
                                  .where(Asset.id.in_(ranked[: limit * 4]))).all())  # fmt: skip
    top = sorted(ranked[: limit * 4], key=lambda a: (-used.uses[a], -len(used.people[a]),
                                                     titles.get(a, "")))[:limit]  # fmt: skip
    rating = body_field("rating")
    rated = {asset_id: (int(count), mean) for asset_id, count, mean in session.execute(
        within(select(FeedbackRow.asset_id, func.count(rating), func.avg(rating))
               .where(FeedbackRow.kind == Kind.ASSET.value, FeedbackRow.asset_id.in_(top),
                      FeedbackRow.at >= period.start, FeedbackRow.at < period.end,
                      FeedbackRow.deleted_at.is_(None)), FeedbackRow.user_id, scope.people)
        .group_by(FeedbackRow.asset_id))}  # fmt: skip
    return [AssetUse(a, titles.get(a, ""), used.uses[a], len(used.people[a]),
                     *((rated[a][0], float(rated[a][1]) if rated[a][1] is not None else None)
                       if a in rated else (0, None))) for a in top]  # fmt: skip


def account_outcomes(session: Session) -> dict[str, tuple[str, dt.datetime]]:
    """Each account's outcome as last recorded (account key → (outcome, when))."""
    latest = (select(FeedbackRow.account_key, func.max(FeedbackRow.at).label("at"))
              .where(FeedbackRow.kind == Kind.OUTCOME.value, FeedbackRow.deleted_at.is_(None))
              .group_by(FeedbackRow.account_key).subquery())  # fmt: skip
    query = (select(FeedbackRow.account_key, body_field("outcome"),
                    FeedbackRow.at)
             .join(latest, and_(latest.c.account_key == FeedbackRow.account_key,
                                latest.c.at == FeedbackRow.at))
             .where(FeedbackRow.kind == Kind.OUTCOME.value))  # fmt: skip
    return {key: (str(outcome), at) for key, outcome, at in session.execute(query)}


def influence(session: Session, limit: int = 10, scope: Scope = EVERYTHING) -> list[Influence]:
    """Per asset used with a decided account: the win rates with and without it (of the
    accounts the people in `scope` used collateral with)."""
    decided = {key: (outcome, at) for key, (outcome, at) in account_outcomes(session).items()
               if outcome != Outcome.OPEN.value}  # fmt: skip
    if not decided:
        return []
    won_total = sum(outcome == Outcome.WON.value for outcome, _ in decided.values())
    used = (select(FeedbackRow.asset_id, FeedbackRow.account_key, func.min(FeedbackRow.at))
            .where(FeedbackRow.kind == Kind.ASSET.value, FeedbackRow.deleted_at.is_(None),
                   FeedbackRow.account_key.in_(list(decided)),
                   body_field("used") == "yes")
            .group_by(FeedbackRow.asset_id, FeedbackRow.account_key))  # fmt: skip
    used = within(used, FeedbackRow.user_id, scope.people)
    with_asset: dict[str, set[str]] = defaultdict(set)
    seen: set[str] = set()  # the accounts compared: those used with the scope's people
    for asset_id, key, first in session.execute(used):
        seen.add(key)
        if asset_id and first < decided[key][1]:  # used before the outcome
            with_asset[asset_id].add(key)
    titles = dict(session.execute(select(Asset.id, Asset.title)
                                  .where(Asset.id.in_(list(with_asset)))).all())  # fmt: skip
    if scope.people is not None:
        decided = {key: value for key, value in decided.items() if key in seen}
        won_total = sum(outcome == Outcome.WON.value for outcome, _ in decided.values())
    figures = []
    for asset_id, keys in with_asset.items():
        if not scope.has_asset(asset_id):
            continue
        won_with = sum(decided[key][0] == Outcome.WON.value for key in keys)
        figures.append(Influence(asset_id, titles.get(asset_id, ""), won_with, len(keys),
                                 won_total - won_with, len(decided) - len(keys)))  # fmt: skip
    figures.sort(key=lambda f: (not f.shown, -f.decided_with, f.title))
    return figures[:limit]


def _requests(query: Any, scope: Scope) -> Any:
    """Requests for the templates in `scope`, by its people."""
    if scope.assets is not None:
        query = query.where(RequestRow.template_version_id.in_(within(
            select(TemplateVersion.id), TemplateVersion.asset_id, scope.assets)))  # fmt: skip
    return within(query, RequestRow.requester_id, scope.people)


def turnaround(session: Session, period: Period, now: dt.datetime, review_days: int,
               scope: Scope = EVERYTHING) -> Turnaround:  # fmt: skip
    first_round = (select(RequestRound.request_id, func.min(RequestRound.submitted_at).label("at"))
                   .group_by(RequestRound.request_id).subquery())  # fmt: skip
    query = (select(RequestRow.state, RequestRow.round, RequestRow.decided_at, first_round.c.at)
             .join(first_round, first_round.c.request_id == RequestRow.id)
             .where(RequestRow.state.in_([s.value for s in DECIDED_BY_MARKETING]),
                    RequestRow.decided_at >= period.start, RequestRow.decided_at < period.end,
                    RequestRow.deleted_at.is_(None)))  # fmt: skip
    hours, rounds, first_pass = [], [], 0
    for state, round_number, decided_at, submitted in session.execute(_requests(query, scope)):
        hours.append((decided_at - submitted).total_seconds() / 3600)
        if state in APPROVED_BY_MARKETING:
            rounds.append(round_number)
            first_pass += round_number == 1
    cutoff = overdue_cutoff(now, review_days)
    waiting, overdue = session.execute(_requests(
        select(func.count(), func.count(case((RequestRow.submitted_at <= cutoff, 1))))
        .where(RequestRow.state == RequestState.SUBMITTED.value, RequestRow.deleted_at.is_(None)),
        scope)).one()  # fmt: skip
    return Turnaround(len(hours), statistics.median(hours) if hours else None,
                      percentile(hours, 0.9), first_pass, len(rounds),
                      statistics.mean(rounds) if rounds else None, int(waiting), int(overdue))  # fmt: skip


def requested_changes(session: Session, period: Period, limit: int = 10,
                      scope: Scope = EVERYTHING) -> list[RequestedChange]:  # fmt: skip
    """The values asked for outside a field's limits in rounds submitted in the period:
    each round's review reasons ("Discount: above 10 % …") matched to the template's
    field by its label, and the round's value of that field, counted in SQL."""
    reason = func.json_each(RequestRound.reasons).table_valued("value").alias("reason")
    spec = func.json_each(TemplateVersion.fields).table_valued("value").alias("spec")
    label = func.substr(reason.c.value, 1, func.instr(reason.c.value, ": ") - 1)
    key = func.json_extract(spec.c.value, "$.key")
    value = func.json_extract(RequestRound.values, literal('$."').concat(key).concat('"'))
    query = (select(TemplateVersion.title, label, value, User.territory,
                    func.count(func.distinct(RequestRound.id)))
             .select_from(RequestRound)
             .join(RequestRow, RequestRow.id == RequestRound.request_id)
             .join(TemplateVersion, TemplateVersion.id == RequestRow.template_version_id)
             .join(User, User.id == RequestRow.requester_id)
             .join(reason, true())
             .join(spec, func.json_extract(spec.c.value, "$.label") == label)
             .where(RequestRound.submitted_at >= period.start,
                    RequestRound.submitted_at < period.end, value.is_not(None))
             .group_by(TemplateVersion.title, label, value, User.territory))  # fmt: skip
    times: Counter[tuple[str, str, str]] = Counter()
    places: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    for title, label_text, asked, territory, count in session.execute(_requests(query, scope)):
        change = (title, label_text, str(asked))
        times[change] += int(count)
        places[change][territory or ""] += int(count)
    return [RequestedChange(*change, count, tuple(places[change].most_common()))
            for change, count in times.most_common(limit)]  # fmt: skip


def new_and_updated(session: Session, period: Period) -> list[tuple[str, str]]:
    """Published assets added in the period ("new") or given a new version ("updated")."""
    added = (select(Asset.title, literal("new"))
             .where(Asset.created_at >= period.start, Asset.created_at < period.end))  # fmt: skip
    versioned = (select(Asset.title, literal("updated"))
                 .join(AssetVersion, AssetVersion.asset_id == Asset.id)
                 .where(AssetVersion.number > 1, AssetVersion.created_at >= period.start,
                        AssetVersion.created_at < period.end,
                        Asset.created_at < period.start))  # fmt: skip
    live = (Asset.status == AssetStatus.PUBLISHED.value, Asset.deleted_at.is_(None))
    rows = session.execute(union_all(added.where(*live), versioned.where(*live))).all()
    return sorted({(str(title), str(what)) for title, what in rows}, key=lambda r: (r[1], r[0]))


def field_counts(session: Session, period: Period, kind: Kind, field: str,
                 scope: Scope = EVERYTHING) -> list[tuple[str, int]]:  # fmt: skip
    """How often each value of a body field (a note's competitor) came up in the period,
    in records by the people in `scope` (and of its assets, for feedback on assets)."""
    value = body_field(field)
    query = (select(value, func.count())
             .where(FeedbackRow.kind == kind.value, FeedbackRow.at >= period.start,
                    FeedbackRow.at < period.end, FeedbackRow.deleted_at.is_(None), value != ""))  # fmt: skip
    query = within(query, FeedbackRow.user_id, scope.people)
    if kind is Kind.ASSET:
        query = within(query, FeedbackRow.asset_id, scope.assets)
    query = query.group_by(value).order_by(func.count().desc(), value)
    return [(str(name), int(count)) for name, count in session.execute(query)]
