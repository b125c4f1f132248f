"""Campaigns: a launch on a date, with the collateral it needs — assets the library holds
and assets still planned, each planned one due by a date. A campaign is ready when every
piece is published; a planned piece past its due date is late. Pure rules: the services
keep campaigns as marketing's records (the last record of a campaign counts)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from satchel.core.domain.assets import AssetStatus
from satchel.core.domain.text import clean_line
from satchel.core.errors import ValidationError

NAME_CHARS = 120
TITLE_CHARS = 200  # a planned asset's working title
MAX_ITEMS = 100
UPCOMING_DAYS = 90  # launches this close are "coming" (the pack, a rep's list)


@dataclass(frozen=True)
class CampaignItem:
    """One piece of collateral a campaign needs: an asset of the library, or a planned
    one (its working title, due by a date)."""

    asset_id: str = ""
    planned: str = ""
    due: dt.date | None = None

    def body(self) -> dict[str, Any]:
        if self.asset_id:
            return {"asset_id": self.asset_id}
        return {"planned": self.planned, "due": self.due.isoformat() if self.due else ""}


@dataclass(frozen=True)
class Campaign:
    id: str
    name: str
    launch: dt.date
    owner: str
    items: tuple[CampaignItem, ...]


@dataclass(frozen=True)
class PieceState:
    """Where one piece stands: `ready` (published), `draft`, `planned`, `late` (planned
    and past its due date), `expired` or `missing` (the asset was removed or retired)."""

    item: CampaignItem
    title: str
    state: str

    @property
    def ready(self) -> bool:
        return self.state == "ready"


@dataclass(frozen=True)
class Readiness:
    campaign: Campaign
    pieces: tuple[PieceState, ...]
    today: dt.date

    @property
    def ready(self) -> int:
        return sum(1 for piece in self.pieces if piece.ready)

    @property
    def late(self) -> list[PieceState]:
        return [piece for piece in self.pieces if piece.state == "late"]

    @property
    def days_to_launch(self) -> int:
        return (self.campaign.launch - self.today).days

    def summary(self) -> str:
        """ "3 of 5 ready, 1 late" """
        late = len(self.late)
        said = f"{self.ready} of {len(self.pieces)} ready"
        return f"{said}, {late} late" if late else said


def _day(value: str | dt.date | None, what: str, problems: list[str]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        problems.append(f"{what} must be a date written like 2027-03-31, not "
                        f"{clean_line(str(value), 30)!r}.")  # fmt: skip
        return None


def read_day(value: str, what: str) -> dt.date | None:
    """A date as typed ("" for none), or a ValidationError that says how to write it."""
    problems: list[str] = []
    day = _day(value, what, problems)
    if problems:
        raise ValidationError(problems)
    return day


def checked_campaign(name: str, launch: str | dt.date | None, owner: str = "",
                     items: Iterable[CampaignItem] = ()) -> dict[str, Any]:  # fmt: skip
    """A campaign's record body, checked first: every problem named, nothing kept."""
    problems: list[str] = []
    said = clean_line(name, NAME_CHARS)
    if not said:
        problems.append("Give the campaign a name.")
    if launch in (None, ""):
        problems.append("Say when the campaign launches.")
    day = _day(launch, "The launch date", problems)
    pieces, seen = [], set()
    for number, item in enumerate(items, start=1):
        if item.asset_id:
            if item.asset_id in seen:
                continue  # named twice: needed once
            seen.add(item.asset_id)
            pieces.append(CampaignItem(asset_id=item.asset_id))
            continue
        title = clean_line(item.planned, TITLE_CHARS)
        if not title:
            problems.append(f"Planned piece {number} needs a working title.")
            continue
        due = _day(item.due, f"The due date of {title!r}", problems)
        if due is None and item.due in (None, ""):
            problems.append(f"Say by when {title!r} is due.")
        pieces.append(CampaignItem(planned=title, due=due))
    if len(pieces) > MAX_ITEMS:
        problems.append(f"A campaign needs at most {MAX_ITEMS} pieces; this one names "
                        f"{len(pieces)}.")  # fmt: skip
    if problems:
        raise ValidationError(problems)
    assert day is not None
    return {"name": said, "launch": day.isoformat(), "owner": clean_line(owner, TITLE_CHARS),
            "items": [piece.body() for piece in pieces]}  # fmt: skip


def from_body(key: str, body: Mapping[str, Any]) -> Campaign:
    """The campaign a record holds."""
    items = tuple(
        CampaignItem(asset_id=str(item.get("asset_id") or ""),
                     planned=str(item.get("planned") or ""),
                     due=dt.date.fromisoformat(item["due"]) if item.get("due") else None)
        for item in body.get("items", ())
    )  # fmt: skip
    return Campaign(key, str(body["name"]), dt.date.fromisoformat(str(body["launch"])),
                    str(body.get("owner", "")), items)  # fmt: skip


def readiness(campaign: Campaign, assets: Mapping[str, tuple[str, str, dt.date | None]],
              today: dt.date) -> Readiness:  # fmt: skip
    """Each piece's state, from the library's assets (id → title, status, expires on)."""
    pieces = []
    for item in campaign.items:
        if not item.asset_id:
            late = item.due is not None and item.due < today
            pieces.append(PieceState(item, item.planned, "late" if late else "planned"))
            continue
        title, status, expires = assets.get(item.asset_id, ("", "", None))
        if not status or status == AssetStatus.RETIRED.value:
            state = "missing"
        elif status == AssetStatus.DRAFT.value:
            state = "draft"
        elif expires is not None and expires < max(today, campaign.launch):
            state = "expired"  # gone by the launch
        else:
            state = "ready"
        pieces.append(PieceState(item, title, state))
    return Readiness(campaign, tuple(pieces), today)
