"""`services.insights`: what marketing learns from the library's records — utilization,
the wastebasket, top assets, influence, request turnaround, requested changes, content
demand, and the field's notes and objections — for a period (docs/INSIGHTS.md). Marketers
and admins only: the figures are about everyone's work."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from satchel.core.domain.feedback import Kind
from satchel.core.domain.field import named_tags
from satchel.core.domain.insights import (
    EVERYTHING,
    UNUSED_DAYS,
    AssetUse,
    Demand,
    Filters,
    Influence,
    Insights,
    PackNews,
    Period,
    RequestedChange,
    Scope,
    Turnaround,
    Utilization,
    WastedAsset,
    checked_period,
    sentence_case,
)
from satchel.core.domain.permissions import Capability
from satchel.core.errors import explain_os_error
from satchel.core.insights import demand, digest, figures
from satchel.core.insights.charts import Colours, counts_chart, new_figure, utilization_chart
from satchel.core.services.asks import AsksService
from satchel.core.services.campaigns import CampaignService
from satchel.core.services.context import Area
from satchel.core.storage import assets_repo, feedback_repo, users_repo
from satchel.core.workflow.requests import DEFAULT_REVIEW_DAYS


class InsightsService(Area):
    """`services.insights`."""

    def period(self, since: str | None = None, until: str | None = None,
               days: int = 90) -> Period:  # fmt: skip
        """From `since` to `until` (ISO dates); either left out: the last `days` days up
        to today."""
        return checked_period(since, until, self._ctx.library.clock().date(), days)

    def utilization(self, period: Period) -> Utilization:
        self._allow()
        with self._ctx.library.db.read() as session:
            return figures.utilization(session, period)

    def utilization_by_week(self, period: Period) -> list[tuple[Period, Utilization]]:
        self._allow()
        with self._ctx.library.db.read() as session:
            return figures.utilization_by_week(session, period)

    def wastebasket(self, unused_days: int = UNUSED_DAYS) -> list[WastedAsset]:
        self._allow()
        with self._ctx.library.db.read() as session:
            return figures.wastebasket(session, self._ctx.library.clock().date(), unused_days)

    def top_assets(self, period: Period, limit: int = 10) -> list[AssetUse]:
        self._allow()
        with self._ctx.library.db.read() as session:
            return figures.top_assets(session, period, limit)

    def influence(self, limit: int = 10) -> list[Influence]:
        self._allow()
        with self._ctx.library.db.read() as session:
            return figures.influence(session, limit)

    def turnaround(self, period: Period, review_days: int = DEFAULT_REVIEW_DAYS) -> Turnaround:
        self._allow()
        with self._ctx.library.db.read() as session:
            return figures.turnaround(session, period, self._ctx.library.clock(), review_days)

    def requested_changes(self, period: Period, limit: int = 10) -> list[RequestedChange]:
        self._allow()
        with self._ctx.library.db.read() as session:
            return figures.requested_changes(session, period, limit)

    def demand(self, period: Period, limit: int = 20) -> list[Demand]:
        self._allow()
        with self._ctx.library.db.read() as session:
            return demand.content_demand(session, period, limit)

    def competitors(self, period: Period) -> list[tuple[str, int]]:
        """Field notes in the period per competitor, most first."""
        self._allow()
        with self._ctx.library.db.read() as session:
            return figures.field_counts(session, period, Kind.NOTE, "competitor")

    def objections(self, period: Period) -> list[tuple[str, int]]:
        """Feedback in the period naming each of marketing's objection tags, most first."""
        self._allow()
        with self._ctx.library.db.read() as session:
            return self._objections(session, period)

    @staticmethod
    def _objections(session: Session, period: Period,
                    scope: Scope = EVERYTHING) -> list[tuple[str, int]]:  # fmt: skip
        tags = [e["name"] for e in feedback_repo.list_entries(session, Kind.OBJECTION_TAG)
                .values()]  # fmt: skip
        counts = {tag: 0 for tag in tags}
        for text, times in figures.field_counts(session, period, Kind.ASSET, "objections", scope):
            for tag in named_tags(text, tags):
                counts[tag] += times
        return sorted(
            ((t, n) for t, n in counts.items() if n), key=lambda item: (-item[1], item[0])
        )

    def filter_choices(self) -> dict[str, list[tuple[str, str]]]:
        """What each filter offers as (label, value): the library's products and kinds,
        the people's territories, the campaigns."""
        self._allow()
        with self._ctx.library.db.read() as session:
            labels = assets_repo.facet_labels(session, ("product", "kind"), str.casefold)
            territories = users_repo.territories(session)
        campaigns = CampaignService(self._ctx).list_all()
        return {
            "product": sorted(((v, v) for v in labels["product"].values()), key=_folded),
            "kind": sorted(((v.capitalize(), v) for v in labels["kind"].values()), key=_folded),
            "territory": [(t, t) for t in territories],
            "campaign": [(f"{c.campaign.name} ({c.campaign.launch.isoformat()})",
                          c.campaign.id) for c in campaigns],
        }  # fmt: skip

    def _scope(self, filters: Filters | None) -> Scope:
        """The assets and people `filters` name: the product and kind (as the facets
        write them, whatever the case), the campaign's assets, the territory's people.
        Unknown values name nothing (every figure empty), never everything."""
        if filters is None or filters == Filters():
            return EVERYTHING
        assets: frozenset[str] | None = None
        people: frozenset[str] | None = None
        with self._ctx.library.db.read() as session:
            if filters.product.strip() or filters.kind.strip():
                assets = assets_repo.ids_of(session, filters.product, filters.kind)
            if filters.territory.strip():
                people = users_repo.ids_in_territory(session, filters.territory)
        if filters.campaign.strip():
            needed = {i.asset_id for i in CampaignService(self._ctx).get(filters.campaign)
                      .campaign.items if i.asset_id}  # fmt: skip
            assets = frozenset(needed) if assets is None else assets & needed
        return Scope(assets, people)

    def all(self, period: Period, unused_days: int = UNUSED_DAYS,
            review_days: int = DEFAULT_REVIEW_DAYS, filters: Filters | None = None) -> Insights:  # fmt: skip
        """Every panel, of what `filters` name: the period's uses read once for the
        three that count them, and the two halves of the page read side by side (two
        connections, two cores)."""
        self._allow()
        library = self._ctx.library
        today, now = library.clock().date(), library.clock()
        scope = self._scope(filters)

        def uses_and_waste() -> tuple[Any, ...]:
            with library.db.read() as session:
                used = figures.period_uses(session, period, scope=scope)
                return (figures.utilization(session, period, used),
                        figures.wastebasket(session, today, unused_days, scope),
                        figures.top_assets(session, period, used=used, scope=scope),
                        figures.utilization_by_week(session, period, used))  # fmt: skip

        def the_rest() -> tuple[Any, ...]:
            with library.db.read() as session:
                return (figures.influence(session, scope=scope),
                        figures.turnaround(session, period, now, review_days, scope),
                        figures.requested_changes(session, period, scope=scope),
                        demand.content_demand(session, period, scope=scope),
                        figures.field_counts(session, period, Kind.NOTE, "competitor", scope),
                        self._objections(session, period, scope))  # fmt: skip

        with ThreadPoolExecutor(2, thread_name_prefix="satchel-insights") as pool:
            first, second = pool.submit(uses_and_waste), pool.submit(the_rest)
            use, wasted, top, weekly = first.result()
            influence, turnaround, changes, wanted, rivals, objections = second.result()
        coming = [c for c in CampaignService(self._ctx).list_all(upcoming=True)
                  if scope.assets is None or any(scope.has_asset(i.asset_id)
                                                 for i in c.campaign.items)]  # fmt: skip
        said = filters.words() if filters else ""
        if filters and filters.campaign.strip():
            name = CampaignService(self._ctx).get(filters.campaign).campaign.name
            said = sentence_case(", ".join(part for part in (said, f"campaign {name}") if part))
        return Insights(period, use, wasted, top, influence, turnaround, changes, wanted,
                        rivals, objections, weekly, coming, said)  # fmt: skip

    def digest(self, period: Period, format_name: str = "text", unused_days: int = UNUSED_DAYS,
               review_days: int = DEFAULT_REVIEW_DAYS, filters: Filters | None = None) -> str:  # fmt: skip
        """The period's insights as a short digest to paste into the weekly email, as
        plain text or HTML (`DIGEST_FORMATS`)."""
        return digest.render(self.all(period, unused_days, review_days, filters), format_name)

    def pack(self, period: Period, path: Path, unused_days: int = UNUSED_DAYS,
             review_days: int = DEFAULT_REVIEW_DAYS, filters: Filters | None = None) -> int:  # fmt: skip
        """The meeting pack of the period (of what `filters` name) as a PDF at `path`
        (whole or not at all), its joint numbers beside those of the period of the same
        length before; its number of pages."""
        found = self.all(period, unused_days, review_days, filters)
        scope = self._scope(filters)
        asks = AsksService(self._ctx)
        accepted = [(v.ask.body["need"], str(v.answer.body.get("owner", "")),
                     str(v.answer.body.get("target", "")))
                    for v in asks.asks(state="accepted") if v.answer is not None]  # fmt: skip
        pushes = [(r.body["what"], " to ".join(d for d in (r.body.get("starts"), r.body.get("ends"))
                                               if d), r.body.get("segment", ""))
                  for r in asks.initiatives() if period.start <= r.at < period.end]  # fmt: skip
        before = Period(period.first - dt.timedelta(days=period.days),
                        period.first - dt.timedelta(days=1))  # fmt: skip
        with self._ctx.library.db.read() as session:
            was = (
                figures.utilization(session, before, scope=scope),
                figures.turnaround(session, before, self._ctx.library.clock(), review_days,
                                   scope),
            )  # fmt: skip
            news = PackNews(figures.new_and_updated(session, period), accepted, pushes, was)

        from satchel.core.insights import pack  # ReportLab and pypdf, on first use

        try:
            return pack.build(found, news, path)
        except OSError as error:
            raise explain_os_error(error, path) from None

    def _allow(self) -> None:
        self._ctx.allow(Capability.SEE_OTHERS_ACTIVITY, writes=False)


def _folded(choice: tuple[str, str]) -> str:
    return choice[0].casefold()


# The one plotting path, for the page in the window (the pack uses it below the services).
__all__ = ["Colours", "Insights", "InsightsService", "counts_chart", "new_figure",
           "utilization_chart"]  # fmt: skip
