"""The insights figures as SQL aggregates over indexed columns (docs/INSIGHTS.md defines
each): what comes back to Python is one row per asset, request or phrase, never an
event table."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict

from sqlalchemy import Integer, Select, and_, case, cast, func, or_, select, union_all
from sqlalchemy.orm import Session

from satchel.core.domain.assets import AssetStatus
from satchel.core.domain.feedback import Kind, Outcome
from satchel.core.domain.insights import (
    QUALIFYING_USES,
    UNUSED_AFTER_DAYS,
    AssetUse,
    Influence,
    Period,
    RequestedChange,
    Turnaround,
    Utilization,
    WastedAsset,
    percentile,
)
from satchel.core.domain.requests import RequestState
from satchel.core.storage.models import (
    Asset,
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


def uses() -> Select[tuple[str, str | None, dt.datetime]]:
    """Every qualifying use as (asset id, person, when): the usage events that count,
    the PDFs generated from a template and the templates' values saved."""
    events = (select(UsageEvent.asset_id, UsageEvent.user_id, UsageEvent.at)
              .where(UsageEvent.action.in_(QUALIFYING_USES), UsageEvent.deleted_at.is_(None)))  # fmt: skip
    generated = (select(TemplateVersion.asset_id, GeneratedDocument.user_id,
                        GeneratedDocument.created_at)
                 .join(TemplateVersion, TemplateVersion.id == GeneratedDocument.template_version_id))  # fmt: skip
    customized = (select(TemplateVersion.asset_id, Customization.user_id, Customization.updated_at)
                  .join(TemplateVersion, TemplateVersion.id == Customization.template_version_id))  # fmt: skip
    return union_all(events, generated, customized)  # type: ignore[return-value]


def _published_throughout(period: Period):  # type: ignore[no-untyped-def]
    """Published now, and in the library since the period's first day."""
    return and_(Asset.status == AssetStatus.PUBLISHED.value, Asset.deleted_at.is_(None),
                Asset.created_at < period.start + dt.timedelta(days=1),
                or_(Asset.expires_on.is_(None), Asset.expires_on >= period.last))  # fmt: skip


def utilization(session: Session, period: Period) -> Utilization:
    used = uses().subquery()
    in_period = (select(used.c.asset_id)
                 .where(used.c.at >= period.start, used.c.at < period.end).distinct())  # fmt: skip
    query = select(func.count(Asset.id),
                   func.count(case((Asset.id.in_(in_period), 1)))).where(_published_throughout(period))  # fmt: skip
    published, used_count = session.execute(query).one()
    return Utilization(int(used_count), int(published))


def utilization_by_week(session: Session, period: Period) -> list[tuple[Period, Utilization]]:
    """Utilization of each week of the period (the last one may be shorter), from one
    aggregate of the uses per asset and week."""
    weeks = [Period(first, min(first + dt.timedelta(days=6), period.last))
             for first in (period.first + dt.timedelta(days=n) for n in range(0, period.days, 7))]  # fmt: skip
    used = uses().subquery()
    week = cast((func.julianday(func.substr(used.c.at, 1, 10))
                 - func.julianday(period.first.isoformat())) / 7, Integer)  # fmt: skip
    used_in: dict[int, set[str]] = defaultdict(set)
    for asset_id, index in session.execute(
        select(used.c.asset_id, week).where(used.c.at >= period.start, used.c.at < period.end)
        .group_by(used.c.asset_id, week)
    ):  # fmt: skip
        used_in[int(index)].add(asset_id)
    published = session.execute(select(Asset.id, Asset.created_at, Asset.expires_on).where(
        Asset.status == AssetStatus.PUBLISHED.value, Asset.deleted_at.is_(None))).all()  # fmt: skip
    series = []
    for index, each in enumerate(weeks):
        throughout = {asset_id for asset_id, added, expires in published
                      if added < each.start + dt.timedelta(days=1)
                      and (expires is None or expires >= each.last)}  # fmt: skip
        series.append((each, Utilization(len(used_in[index] & throughout), len(throughout))))
    return series


def wastebasket(session: Session, today: dt.date, unused_days: int) -> list[WastedAsset]:
    """Unused, stale and expired assets: the unused longest-unused first, then the rest
    by date."""
    since = dt.datetime.combine(today - dt.timedelta(days=unused_days - 1), dt.time(), dt.UTC)
    old_enough = dt.datetime.combine(today - dt.timedelta(days=UNUSED_AFTER_DAYS), dt.time(),
                                     dt.UTC)  # fmt: skip
    used = uses().subquery()
    last_use = (select(used.c.asset_id, func.max(used.c.at).label("last"))
                .group_by(used.c.asset_id).subquery())  # fmt: skip
    generated = (select(TemplateVersion.asset_id, func.count(GeneratedDocument.id).label("made"))
                 .join(GeneratedDocument, GeneratedDocument.template_version_id == TemplateVersion.id)
                 .group_by(TemplateVersion.asset_id).subquery())  # fmt: skip
    query = (select(Asset.id, Asset.title, Asset.owner, Asset.review_on,
                    Asset.expires_on, Asset.created_at, last_use.c.last,
                    func.coalesce(generated.c.made, 0))
             .outerjoin(last_use, last_use.c.asset_id == Asset.id)
             .outerjoin(generated, generated.c.asset_id == Asset.id)
             .where(Asset.deleted_at.is_(None),
                    Asset.status == AssetStatus.PUBLISHED.value))  # fmt: skip
    wasted = []
    for asset_id, title, owner, review_on, expires_on, added, last, made in session.execute(query):
        if expires_on is not None and expires_on < today:
            wasted.append(WastedAsset(asset_id, title, owner, "expired", expires_on, int(made)))
        elif review_on is not None and review_on < today:
            wasted.append(WastedAsset(asset_id, title, owner, "stale", review_on, int(made)))
        elif added <= old_enough and (last is None or last < since):
            wasted.append(WastedAsset(asset_id, title, owner, "unused",
                                      last.date() if last else None, int(made)))  # fmt: skip
    order = {"unused": 0, "stale": 1, "expired": 2}
    return sorted(wasted, key=lambda w: (order[w.reason], w.since or dt.date.min, w.title))


def top_assets(session: Session, period: Period, limit: int = 10) -> list[AssetUse]:
    """The published assets most used in the period, with their reach and ratings."""
    used = uses().subquery()
    counted = (select(used.c.asset_id, func.count().label("uses"),
                      func.count(func.distinct(used.c.user_id)).label("reach"))
               .where(used.c.at >= period.start, used.c.at < period.end)
               .group_by(used.c.asset_id).subquery())  # fmt: skip
    rating = func.json_extract(FeedbackRow.body, "$.rating")
    rated = (select(FeedbackRow.asset_id, func.count(rating).label("ratings"),
                    func.avg(rating).label("mean"))
             .where(FeedbackRow.kind == Kind.ASSET.value, FeedbackRow.at >= period.start,
                    FeedbackRow.at < period.end, FeedbackRow.deleted_at.is_(None))
             .group_by(FeedbackRow.asset_id).subquery())  # fmt: skip
    query = (select(Asset.id, Asset.title, counted.c.uses, counted.c.reach,
                    func.coalesce(rated.c.ratings, 0), rated.c.mean)
             .join(counted, counted.c.asset_id == Asset.id)
             .outerjoin(rated, rated.c.asset_id == Asset.id)
             .where(Asset.status == AssetStatus.PUBLISHED.value, Asset.deleted_at.is_(None))
             .order_by(counted.c.uses.desc(), counted.c.reach.desc(), Asset.title).limit(limit))  # fmt: skip
    return [AssetUse(i, t, int(u), int(r), int(n), float(m) if m is not None else None)
            for i, t, u, r, n, m in session.execute(query)]  # fmt: skip


def account_outcomes(session: Session) -> dict[str, tuple[str, dt.datetime]]:
    """Each account's outcome as last recorded (account key → (outcome, when))."""
    latest = (select(FeedbackRow.account_key, func.max(FeedbackRow.at).label("at"))
              .where(FeedbackRow.kind == Kind.OUTCOME.value, FeedbackRow.deleted_at.is_(None))
              .group_by(FeedbackRow.account_key).subquery())  # fmt: skip
    query = (select(FeedbackRow.account_key, func.json_extract(FeedbackRow.body, "$.outcome"),
                    FeedbackRow.at)
             .join(latest, and_(latest.c.account_key == FeedbackRow.account_key,
                                latest.c.at == FeedbackRow.at))
             .where(FeedbackRow.kind == Kind.OUTCOME.value))  # fmt: skip
    return {key: (str(outcome), at) for key, outcome, at in session.execute(query)}


def influence(session: Session, limit: int = 10) -> list[Influence]:
    """Per asset used with a decided account: the win rates with and without it."""
    decided = {key: (outcome, at) for key, (outcome, at) in account_outcomes(session).items()
               if outcome != Outcome.OPEN.value}  # fmt: skip
    if not decided:
        return []
    won_total = sum(outcome == Outcome.WON.value for outcome, _ in decided.values())
    used = (select(FeedbackRow.asset_id, FeedbackRow.account_key, func.min(FeedbackRow.at))
            .where(FeedbackRow.kind == Kind.ASSET.value, FeedbackRow.deleted_at.is_(None),
                   FeedbackRow.account_key.in_(list(decided)),
                   func.json_extract(FeedbackRow.body, "$.used") == "yes")
            .group_by(FeedbackRow.asset_id, FeedbackRow.account_key))  # fmt: skip
    with_asset: dict[str, set[str]] = defaultdict(set)
    for asset_id, key, first in session.execute(used):
        if asset_id and first < decided[key][1]:  # used before the outcome
            with_asset[asset_id].add(key)
    titles = dict(session.execute(select(Asset.id, Asset.title)
                                  .where(Asset.id.in_(list(with_asset)))).all())  # fmt: skip
    figures = []
    for asset_id, keys in with_asset.items():
        won_with = sum(decided[key][0] == Outcome.WON.value for key in keys)
        figures.append(Influence(asset_id, titles.get(asset_id, ""), won_with, len(keys),
                                 won_total - won_with, len(decided) - len(keys)))  # fmt: skip
    figures.sort(key=lambda f: (not f.shown, -f.decided_with, f.title))
    return figures[:limit]


def turnaround(session: Session, period: Period, now: dt.datetime,
               review_days: int) -> Turnaround:  # fmt: skip
    first_round = (select(RequestRound.request_id, func.min(RequestRound.submitted_at).label("at"))
                   .group_by(RequestRound.request_id).subquery())  # fmt: skip
    query = (select(RequestRow.state, RequestRow.round, RequestRow.decided_at, first_round.c.at)
             .join(first_round, first_round.c.request_id == RequestRow.id)
             .where(RequestRow.state.in_([s.value for s in DECIDED_BY_MARKETING]),
                    RequestRow.decided_at >= period.start, RequestRow.decided_at < period.end,
                    RequestRow.deleted_at.is_(None)))  # fmt: skip
    hours, rounds, first_pass = [], [], 0
    for state, round_number, decided_at, submitted in session.execute(query):
        hours.append((decided_at - submitted).total_seconds() / 3600)
        if state in APPROVED_BY_MARKETING:
            rounds.append(round_number)
            first_pass += round_number == 1
    cutoff = overdue_cutoff(now, review_days)
    waiting, overdue = session.execute(
        select(func.count(), func.count(case((RequestRow.submitted_at <= cutoff, 1))))
        .where(RequestRow.state == RequestState.SUBMITTED.value, RequestRow.deleted_at.is_(None))
    ).one()  # fmt: skip
    return Turnaround(len(hours), statistics.median(hours) if hours else None,
                      percentile(hours, 0.9), first_pass, len(rounds),
                      statistics.mean(rounds) if rounds else None, int(waiting), int(overdue))  # fmt: skip


def requested_changes(session: Session, period: Period, limit: int = 10) -> list[RequestedChange]:
    """The values asked for outside a field's limits in rounds submitted in the period."""
    query = (select(TemplateVersion.title, TemplateVersion.fields, RequestRound.values,
                    RequestRound.reasons, User.territory)
             .join(RequestRow, RequestRow.id == RequestRound.request_id)
             .join(TemplateVersion, TemplateVersion.id == RequestRow.template_version_id)
             .join(User, User.id == RequestRow.requester_id)
             .where(RequestRound.submitted_at >= period.start,
                    RequestRound.submitted_at < period.end,
                    func.json_array_length(RequestRound.reasons) > 0))  # fmt: skip
    times: Counter[tuple[str, str, str]] = Counter()
    places: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    for title, fields, values, reasons, territory in session.execute(query):
        keys = {spec.get("label"): spec.get("key") for spec in fields or ()}
        for label in dict.fromkeys(str(reason).split(": ", 1)[0] for reason in reasons):
            key = keys.get(label)
            if key is None or key not in (values or {}):
                continue
            change = (title, label, str(values[key]))
            times[change] += 1
            places[change][territory or ""] += 1
    return [RequestedChange(*change, count, tuple(places[change].most_common()))
            for change, count in times.most_common(limit)]  # fmt: skip


def field_counts(session: Session, period: Period, kind: Kind, field: str) -> list[tuple[str, int]]:
    """How often each value of a body field (a note's competitor) came up in the period."""
    value = func.json_extract(FeedbackRow.body, f"$.{field}")
    query = (select(value, func.count())
             .where(FeedbackRow.kind == kind.value, FeedbackRow.at >= period.start,
                    FeedbackRow.at < period.end, FeedbackRow.deleted_at.is_(None), value != "")
             .group_by(value).order_by(func.count().desc(), value))  # fmt: skip
    return [(str(name), int(count)) for name, count in session.execute(query)]
