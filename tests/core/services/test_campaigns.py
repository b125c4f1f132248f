"""Campaigns on a real demo library: marketing keeps them, the team reads them, each
piece's readiness follows the asset's life (published, draft, retired, expiring before
the launch), planned pieces past their date are late, hostile text is cleaned."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from satchel.core.domain.campaigns import CampaignItem
from satchel.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from satchel.core.services import Services
from tests.conftest import DEMO_USERS, TEST_LIMITS, open_as
from tests.core.services.test_requests import Clock

TODAY = dt.date(2026, 11, 23)  # the Clock's first day


@pytest.fixture
def demo(demo_dir: Path) -> Iterator[Services]:
    with open_as(demo_dir, "admin", limits=TEST_LIMITS, workers=1, clock=Clock()) as services:
        services.people.sign_in(DEMO_USERS["marketer"])
        yield services


def test_readiness_follows_each_piece_and_late_planned_pieces_are_flagged(demo: Services) -> None:
    published = [
        a for a in demo.assets.list_all() if demo.assets.get(a.id).metadata.status == "published"
    ]
    ready, expiring, retired, drafted = (a.id for a in published[:4])
    demo.assets.update_metadata(expiring, {"expires_on": "2026-12-10"})  # before the launch
    demo.assets.update_metadata(retired, {"status": "retired"})
    demo.assets.update_metadata(drafted, {"status": "draft"})
    pieces = [CampaignItem(asset_id=a) for a in (ready, expiring, retired, drafted, ready)]
    pieces += [
        CampaignItem(planned="X-300 launch deck", due=TODAY - dt.timedelta(days=2)),
        CampaignItem(planned="X-300 datasheet", due=TODAY + dt.timedelta(days=5)),
    ]
    made, changes = demo.campaigns.save("X-300 launch", "2026-12-15", "Mara", pieces)
    assert changes.feedback
    states = [(p.title if p.item.planned else p.item.asset_id, p.state) for p in made.pieces]
    assert states == [
        (ready, "ready"),
        (expiring, "expired"),
        (retired, "missing"),
        (drafted, "draft"),
        ("X-300 launch deck", "late"),
        ("X-300 datasheet", "planned"),
    ]  # the asset named twice: once
    assert made.summary() == "1 of 6 ready, 1 late" and made.days_to_launch == 22

    demo.people.sign_in(DEMO_USERS["rep"])  # the rep sees it, without the draft's title
    seen = demo.campaigns.list_all(upcoming=True)
    assert [r.campaign.name for r in seen] == ["X-300 launch"]
    assert [p.title for p in seen[0].pieces if p.state == "draft"] == ["In preparation"]
    with pytest.raises(PermissionDeniedError, match="Only marketers and admins"):
        demo.campaigns.save("Mine", "2027-01-01")
    with pytest.raises(PermissionDeniedError):
        demo.campaigns.cancel(made.campaign.id)

    demo.people.sign_in(DEMO_USERS["marketer"])  # the planned deck is made: linked, ready
    deck = published[4].id
    done, _ = demo.campaigns.save("X-300 launch", "2026-12-15", "Mara",
                                  [CampaignItem(asset_id=ready), CampaignItem(asset_id=deck)],
                                  campaign_id=made.campaign.id[:8])  # fmt: skip
    assert done.summary() == "2 of 2 ready" and done.campaign.id == made.campaign.id
    assert [c.name for c in demo.campaigns.of_asset(deck)] == ["X-300 launch"]
    assert len(demo.campaigns.list_all()) == 1  # changed, not added
    demo.campaigns.cancel(made.campaign.id)
    assert demo.campaigns.list_all() == []
    with pytest.raises(NotFoundError, match="No campaign"):
        demo.campaigns.get(made.campaign.id)


def test_upcoming_means_from_today_to_the_horizon(demo: Services) -> None:
    demo.campaigns.save("Last spring", "2026-04-01")
    demo.campaigns.save("Winter fair", "2027-01-20")
    demo.campaigns.save("Next summer", "2027-07-01")
    assert [r.campaign.name for r in demo.campaigns.list_all()] == [
        "Last spring", "Winter fair", "Next summer"]  # fmt: skip
    assert [r.campaign.name for r in demo.campaigns.list_all(upcoming=True)] == ["Winter fair"]


def test_a_campaign_is_checked_whole_and_hostile_text_is_cleaned(demo: Services) -> None:
    with pytest.raises(ValidationError) as refused:
        demo.campaigns.save("  \x00 ", "", items=[CampaignItem(planned="Deck"),
                                                  CampaignItem(planned="  ")])  # fmt: skip
    assert refused.value.problems == [
        "Give the campaign a name.",
        "Say when the campaign launches.",
        "Say by when 'Deck' is due.",
        "Planned piece 2 needs a working title.",
    ]
    with pytest.raises(ValidationError) as refused:
        demo.campaigns.save("Launch", "next spring")
    assert refused.value.problems == [
        "The launch date must be a date written like 2027-03-31, not 'next spring'."
    ]
    with pytest.raises(NotFoundError):
        demo.campaigns.save("Launch", "2027-01-01", items=[CampaignItem(asset_id="nope")])
    with pytest.raises(ValidationError, match="at most 100 pieces"):
        demo.campaigns.save("Launch", "2027-01-01", items=[
            CampaignItem(planned=f"Piece {n}", due=TODAY) for n in range(101)])  # fmt: skip
    assert demo.campaigns.list_all() == []  # nothing kept
    made, _ = demo.campaigns.save("<b>Launch</b>\u202e 🚀 " + "x" * 300, "2027-01-01",
                                  owner="=HYPERLINK(\"evil\")")  # fmt: skip
    assert (
        made.campaign.name.startswith("<b>Launch</b> 🚀 x") and "\u202e" not in made.campaign.name
    )
    assert len(made.campaign.name) == 120
