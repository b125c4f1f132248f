"""`services.campaigns`: marketing's launches and the collateral each needs, with how
ready it is. Marketers and admins keep them; everyone on the team reads them (a rep
sees what is coming and what is ready, never a draft's title)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from satchel.core.domain.campaigns import (
    UPCOMING_DAYS,
    Campaign,
    CampaignItem,
    PieceState,
    Readiness,
    checked_campaign,
    from_body,
    readiness,
)
from satchel.core.domain.changes import Changes
from satchel.core.domain.feedback import Kind
from satchel.core.domain.permissions import Capability
from satchel.core.errors import NotFoundError
from satchel.core.services.feedback import FieldRecords
from satchel.core.storage import assets_repo, feedback_repo
from satchel.core.storage.models import Asset


class CampaignService(FieldRecords):
    """`services.campaigns`."""

    def save(self, name: str, launch: str | dt.date | None, owner: str = "",
             items: Iterable[CampaignItem] = (),
             campaign_id: str = "") -> tuple[Readiness, Changes]:  # fmt: skip
        """Create a campaign, or change the one `campaign_id` names (its whole record:
        the name, launch date, owner and pieces as given). Assets named must exist."""
        self._ctx.allow(Capability.EDIT_METADATA)
        key = self._find(campaign_id).id if campaign_id else self._ctx.library.new_id()
        listed = list(items)
        with self._ctx.library.db.read() as session:
            listed = [CampaignItem(asset_id=assets_repo.get_row(session, i.asset_id).id)
                      if i.asset_id else i for i in listed]  # fmt: skip
        body = {"key": key, **checked_campaign(name, launch, owner, listed)}
        self._record(Kind.CAMPAIGN, body, capability=Capability.EDIT_METADATA)
        return self.get(key), Changes(feedback=True)

    def cancel(self, campaign_id: str) -> Changes:
        """Drop a campaign from every list (its history stays in the records)."""
        self._ctx.allow(Capability.EDIT_METADATA)
        campaign = self._find(campaign_id)
        self._record(Kind.CAMPAIGN, {"key": campaign.id, "name": campaign.name,
                                     "launch": campaign.launch.isoformat(), "removed": True},
                     capability=Capability.EDIT_METADATA)  # fmt: skip
        return Changes(feedback=True)

    def list_all(self, upcoming: bool = False, days: int = UPCOMING_DAYS) -> list[Readiness]:
        """Every campaign, the soonest launch first, with its readiness; `upcoming`:
        those launching from today to `days` ahead."""
        today = self._ctx.library.clock().date()
        with self._ctx.library.db.read() as session:
            campaigns = self._campaigns(session)
            if upcoming:
                last = today + dt.timedelta(days=days)
                campaigns = [c for c in campaigns if today <= c.launch <= last]
            return self._readiness(session, campaigns, today)

    def get(self, campaign_id: str) -> Readiness:
        """One campaign (its id or its first characters) with its readiness."""
        campaign = self._find(campaign_id)
        with self._ctx.library.db.read() as session:
            return self._readiness(session, [campaign], self._ctx.library.clock().date())[0]

    def of_asset(self, asset_id: str) -> list[Campaign]:
        """The campaigns that need this asset."""
        with self._ctx.library.db.read() as session:
            return [c for c in self._campaigns(session)
                    if any(i.asset_id == asset_id for i in c.items)]  # fmt: skip

    def _find(self, campaign_id: str) -> Campaign:
        with self._ctx.library.db.read() as session:
            found = [c for c in self._campaigns(session) if c.id.startswith(campaign_id.strip())]
        if not campaign_id.strip() or len(found) != 1:
            raise NotFoundError(f"No campaign {campaign_id!r}: see `satchel campaigns`."
                                if not found else f"{campaign_id!r} names {len(found)} "
                                "campaigns: give more of its id.")  # fmt: skip
        return found[0]

    @staticmethod
    def _campaigns(session: Session) -> list[Campaign]:
        entries = feedback_repo.list_entries(session, Kind.CAMPAIGN)
        listed = [from_body(key, body) for key, body in entries.items()]
        return sorted(listed, key=lambda c: (c.launch, c.name.casefold(), c.id))

    def _readiness(self, session: Session, campaigns: Sequence[Campaign],
                   today: dt.date) -> list[Readiness]:  # fmt: skip
        ids = {i.asset_id for c in campaigns for i in c.items if i.asset_id}
        assets = {row.id: (row.title, row.status, row.expires_on) for row in session.execute(
            select(Asset.id, Asset.title, Asset.status, Asset.expires_on)
            .where(Asset.id.in_(ids), Asset.deleted_at.is_(None)))}  # fmt: skip
        found = [readiness(c, assets, today) for c in campaigns]
        if self._ctx.sees_drafts:
            return found
        return [_without_draft_titles(r) for r in found]


def _without_draft_titles(ready: Readiness) -> Readiness:
    """A rep's view: a draft piece says it is being prepared, not what it is."""
    pieces = tuple(PieceState(p.item, "In preparation", p.state) if p.state == "draft" else p
                   for p in ready.pieces)  # fmt: skip
    return Readiness(ready.campaign, pieces, ready.today)
