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
    UNUSED_DAYS,
    AssetUse,
    Demand,
    Influence,
    Insights,
    PackNews,
    Period,
    RequestedChange,
    Turnaround,
    Utilization,
    WastedAsset,
    checked_period,
)
from satchel.core.domain.permissions import Capability
from satchel.core.errors import explain_os_error
from satchel.core.insights import demand, digest, figures
from satchel.core.insights.charts import Colours, counts_chart, new_figure, utilization_chart
from satchel.core.services.asks import AsksService
from satchel.core.services.context import Area
from satchel.core.storage import feedback_repo
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
    def _objections(session: Session, period: Period) -> list[tuple[str, int]]:
        tags = [e["name"] for e in feedback_repo.list_entries(session, Kind.OBJECTION_TAG)
                .values()]  # fmt: skip
        counts = {tag: 0 for tag in tags}
        for text, times in figures.field_counts(session, period, Kind.ASSET, "objections"):
            for tag in named_tags(text, tags):
                counts[tag] += times
        return sorted(
            ((t, n) for t, n in counts.items() if n), key=lambda item: (-item[1], item[0])
        )

    def all(self, period: Period, unused_days: int = UNUSED_DAYS,
            review_days: int = DEFAULT_REVIEW_DAYS) -> Insights:  # fmt: skip
        """Every panel: the period's uses read once for the three that count them, and
        the two halves of the page read side by side (two connections, two cores)."""
        self._allow()
        library = self._ctx.library
        today, now = library.clock().date(), library.clock()

        def uses_and_waste() -> tuple[Any, ...]:
            with library.db.read() as session:
                used = figures.period_uses(session, period)
                return (figures.utilization(session, period, used),
                        figures.wastebasket(session, today, unused_days),
                        figures.top_assets(session, period, used=used),
                        figures.utilization_by_week(session, period, used))  # fmt: skip

        def the_rest() -> tuple[Any, ...]:
            with library.db.read() as session:
                return (figures.influence(session),
                        figures.turnaround(session, period, now, review_days),
                        figures.requested_changes(session, period),
                        demand.content_demand(session, period),
                        figures.field_counts(session, period, Kind.NOTE, "competitor"),
                        self._objections(session, period))  # fmt: skip

        with ThreadPoolExecutor(2, thread_name_prefix="satchel-insights") as pool:
            first, second = pool.submit(uses_and_waste), pool.submit(the_rest)
            use, wasted, top, weekly = first.result()
            influence, turnaround, changes, wanted, rivals, objections = second.result()
        return Insights(period, use, wasted, top, influence, turnaround, changes, wanted,
                        rivals, objections, weekly)  # fmt: skip

    def digest(self, period: Period, format_name: str = "text", unused_days: int = UNUSED_DAYS,
               review_days: int = DEFAULT_REVIEW_DAYS) -> str:  # fmt: skip
        """The period's insights as a short digest to paste into the weekly email, as
        plain text or HTML (`DIGEST_FORMATS`)."""
        return digest.render(self.all(period, unused_days, review_days), format_name)

    def pack(self, period: Period, path: Path, unused_days: int = UNUSED_DAYS,
             review_days: int = DEFAULT_REVIEW_DAYS) -> int:  # fmt: skip
        """The meeting pack of the period as a PDF at `path` (whole or not at all), its
        joint numbers beside those of the period of the same length before; its number
        of pages."""
        found = self.all(period, unused_days, review_days)
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
                figures.utilization(session, before),
                figures.turnaround(session, before, self._ctx.library.clock(), review_days),
            )
            news = PackNews(figures.new_and_updated(session, period), accepted, pushes, was)

        from satchel.core.insights import pack  # ReportLab and pypdf, on first use

        try:
            return pack.build(found, news, path)
        except OSError as error:
            raise explain_os_error(error, path) from None

    def _allow(self) -> None:
        self._ctx.allow(Capability.SEE_OTHERS_ACTIVITY, writes=False)


# The one plotting path, for the page in the window (the pack uses it below the services).
__all__ = ["Colours", "Insights", "InsightsService", "counts_chart", "new_figure",
           "utilization_chart"]  # fmt: skip
