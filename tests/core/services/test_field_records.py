"""Notes on the competition, content requests with +1s and answers, initiatives and the
CSV export, on a real demo library: what each role may do and see, hostile text, and a
spreadsheet that shows formulas as text (read back from the file)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from satchel.core.domain.feedback import NOTE_CHARS
from satchel.core.domain.users import Role
from satchel.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from satchel.core.services import Services
from satchel.core.services.field_export import pseudonym
from tests.conftest import DEMO_USERS, TEST_LIMITS, open_as
from tests.core.services.test_requests import Clock

SECOND_REP = "jo.park@kestrel-systems.example"


@pytest.fixture
def demo(demo_dir: Path) -> Iterator[Services]:
    with open_as(demo_dir, "admin", limits=TEST_LIMITS, workers=1, clock=Clock()) as services:
        services.people.add("Jo Park", SECOND_REP, Role.REP, territory="DACH")
        services.people.sign_in(DEMO_USERS["rep"])
        yield services


def as_(services: Services, who: str) -> Services:
    services.people.sign_in(DEMO_USERS.get(who, who))
    return services


def test_a_note_names_the_competitor_as_marketing_lists_it(demo: Services) -> None:
    with pytest.raises(PermissionDeniedError, match="Only marketers and admins"):
        demo.notes.keep_competitor("Acme Edge")
    as_(demo, "marketer").notes.keep_competitor("Acme Edge", aliases=["ACME", "acme edge"],
                                                notes="Cheap hardware, weak support")  # fmt: skip
    listed = demo.notes.competitors()
    assert [(c.name, c.aliases) for c in listed] == [("Acme Edge", ("ACME",))]
    asset = demo.assets.list_all()[0].id
    note, changes = as_(demo, "rep").notes.note("acme", "Offered 30 % off the X-200 for a "
                                                "three-year deal", account="Northwind Foods",
                                                asset_id=asset[:8])  # fmt: skip
    assert changes.feedback and note.body["competitor"] == "Acme Edge"  # the alias resolved
    assert note.asset_id == asset
    new, _ = demo.notes.note("Brightlane", "Claims a 5-minute install")  # a name not listed
    assert new.body["competitor"] == "Brightlane"
    assert [n.note.body["competitor"] for n in demo.notes.notes(competitor="ACME EDGE")] == [
        "Acme Edge"
    ]
    with pytest.raises(ValidationError) as refused:
        demo.notes.note("  ", "\x00\x07")
    assert refused.value.problems == ["Name the competitor the note is about.",
                                      "Say what the competitor claimed or offered."]  # fmt: skip


def test_marketing_tags_merges_and_links_notes_reps_see_only_their_own(demo: Services) -> None:
    first, _ = demo.notes.note("Acme Edge", "30 % off for three years")
    as_(demo, SECOND_REP).notes.note("Acme Edge", "Says our gateway needs a cloud account")
    again, _ = demo.notes.note("Acme Edge", "30% off on three-year deals")
    assert len(demo.notes.notes()) == 2  # Jo's own, not Riley's
    with pytest.raises(PermissionDeniedError):
        demo.notes.triage(first.id, tags=["price"])
    marketer = as_(demo, "marketer")
    assert len(marketer.notes.notes()) == 3
    battlecard = marketer.assets.list_all()[0].id
    view, _ = marketer.notes.triage(again.id, tags=["Price", "price", " discount "],
                                    duplicate_of=first.id[:10])  # fmt: skip
    assert view.tags == ("price", "discount") and view.duplicate_of == first.id
    marketer.notes.triage(first.id, tags=["price"])
    view, _ = marketer.notes.triage(first.id, counter_asset=battlecard)  # the tags stay
    assert (view.tags, view.counter_asset) == (("price",), battlecard)
    shown = marketer.notes.notes()
    assert [n.note.id for n in shown if n.note.id in (first.id, again.id)] == [first.id]
    assert [n.counter_asset for n in shown if n.note.id == first.id] == [battlecard]
    assert len(marketer.notes.notes(with_duplicates=True)) == 3
    with pytest.raises(NotFoundError, match="No field note"):
        marketer.notes.triage("ffffffff-none")


def test_objection_tags_are_marketings_and_suggested_as_the_rep_types(demo: Services) -> None:
    tags, _ = as_(demo, "marketer").notes.keep_objection_tags(
        add=["Price", "Integration", "Security review", "price"]
    )
    assert tags == ["integration", "price", "security review"]
    demo.notes.keep_objection_tags(remove=["integration"])
    rep = as_(demo, "rep")
    assert rep.notes.objection_tags() == ["price", "security review"]
    assert rep.notes.suggest_tags("They worried about the Price and the secu") == [
        "price", "security review"]  # fmt: skip
    assert rep.notes.suggest_tags("nothing known") == []
    with pytest.raises(PermissionDeniedError):
        rep.notes.keep_objection_tags(add=["mine"])


def test_a_content_request_gets_plus_ones_instead_of_duplicates(demo: Services) -> None:
    ask, _ = demo.asks.ask("A case study about reducing downtime in food plants",
                           audience="Plant managers", product="Atlas X-200", language="EN",
                           region="Midwest", by="2027-01-31", account="Northwind Foods",
                           deals=2)  # fmt: skip
    assert ask.state == "open" and ask.deals == 2 and ask.ask.body["language"] == "en"
    jo = as_(demo, SECOND_REP)
    alike = jo.asks.similar("case studies on downtime at food plants")
    assert [view.ask.id for view in alike] == [ask.ask.id]
    assert alike[0].ask.person == "a colleague" and alike[0].ask.user_id == ""  # not who
    assert jo.asks.similar("a pricing sheet in Spanish") == []
    voted, _ = jo.asks.plus_one(ask.ask.id[:8], account="Harlow Dairy", deals=3)
    assert (voted.votes, voted.deals) == (1, 5)
    with pytest.raises(ValidationError, match="counts you once"):
        jo.asks.plus_one(ask.ask.id)
    with pytest.raises(ValidationError, match="counts you once"):
        as_(demo, "rep").asks.plus_one(ask.ask.id)  # one's own request
    assert [v.ask.id for v in as_(demo, SECOND_REP).asks.asks(mine=True)] == [ask.ask.id]
    with pytest.raises(ValidationError) as refused:
        demo.asks.ask("", by="yesterday", deals="many")
    assert len(refused.value.problems) == 3
    with pytest.raises(ValidationError, match="in the past"):
        demo.asks.ask("A datasheet", by="2020-01-01")


def test_marketing_answers_and_requesters_hear_when_the_asset_is_published(
    demo: Services,
) -> None:
    ask, _ = demo.asks.ask("A German TCO calculator")
    as_(demo, SECOND_REP).asks.plus_one(ask.ask.id)
    with pytest.raises(PermissionDeniedError, match="decide edit requests"):
        demo.asks.answer(ask.ask.id, "accepted", target="2027-02-01", owner="Mara")
    marketer = as_(demo, "marketer")
    with pytest.raises(ValidationError, match="target date and an owner"):
        marketer.asks.answer(ask.ask.id, "accepted")
    with pytest.raises(ValidationError, match="why the request is declined"):
        marketer.asks.answer(ask.ask.id, "declined")
    with pytest.raises(ValidationError, match="must be one of"):
        marketer.asks.answer(ask.ask.id, "maybe")
    view, _ = marketer.asks.answer(ask.ask.id, "accepted", target="2027-02-01", owner="Mara")
    assert view.state == "accepted" and marketer.asks.asks(state="accepted") == [view]
    draft = marketer.assets.list_all()[0]
    marketer.assets.update_metadata(draft.id, {"status": "draft"})  # the new one, not out yet
    view, _ = marketer.asks.answer(ask.ask.id, "fulfilled", asset_id=draft.id)
    assert view.state == "fulfilled" and not view.fulfilled_by_published
    assert as_(demo, "rep").asks.fulfilled() == []  # not published yet
    as_(demo, "marketer").assets.update_metadata(draft.id, {"status": "published"})
    for requester in ("rep", SECOND_REP):
        assert [v.ask.id for v in as_(demo, requester).asks.fulfilled()] == [ask.ask.id]


def test_initiatives_reach_marketing(demo: Services) -> None:
    record, _ = demo.asks.announce("Q1 push on breweries in Bavaria", starts="2027-01-04",
                                   ends="2027-03-31", segment="Breweries, DACH",
                                   collateral="A German brewery case study")  # fmt: skip
    assert [r.body["what"] for r in as_(demo, "marketer").asks.initiatives()] == [
        "Q1 push on breweries in Bavaria"
    ]
    assert record.body["segment"] == "Breweries, DACH"
    with pytest.raises(ValidationError, match="ends before it starts"):
        demo.asks.announce("Backwards", starts="2027-03-01", ends="2027-01-01")


HOSTILE = '=HYPERLINK("http://evil.example","click")'


def test_the_csv_export_shows_formulas_as_text_and_pseudonymizes(demo: Services,
                                                                  tmp_path: Path) -> None:  # fmt: skip
    asset = demo.assets.list_all()[0].id
    demo.feedback.give(asset, "yes", account="+1 Northwind", missing=HOSTILE,
                       objections="@SUM(A1:A9)\t", competitor="-Acme")  # fmt: skip
    demo.notes.note("\tAcme", "\rclaims " + "🙂" * 10 + "x" * (NOTE_CHARS + 50))
    demo.asks.ask("<b>bold</b> request =1+1", deals=1)
    demo.asks.announce("=cmd|' /C calc'!A0")
    marketer = as_(demo, "marketer")
    cells: dict[str, list[list[str]]] = {}
    for what in ("feedback", "notes", "asks", "initiatives"):
        path = tmp_path / f"{what}.csv"
        count = marketer.field_export.csv(what, path, pseudonymize=what == "feedback")
        with open(path, encoding="utf-8-sig", newline="") as handle:
            cells[what] = list(csv.reader(handle))
        assert count == len(cells[what]) - 1 == 1
    header, row = cells["feedback"]
    by = dict(zip(header, row, strict=True))
    assert by["missing"] == "'" + HOSTILE and by["objections"] == "'@SUM(A1:A9)"
    assert by["account"] == "'+1 Northwind" and by["competitor"] == "'-Acme"
    riley = demo.people.find(DEMO_USERS["rep"])
    assert by["person"] == pseudonym(riley.id) != riley.name
    note = dict(zip(*cells["notes"], strict=True))
    assert note["competitor"] == "Acme" and note["person"] == "Riley Chen"  # cleaned first
    assert len(note["claim"]) <= NOTE_CHARS and "🙂" in note["claim"]
    assert dict(zip(*cells["asks"], strict=True))["need"] == "<b>bold</b> request =1+1"
    assert dict(zip(*cells["initiatives"], strict=True))["what"] == "'=cmd|' /C calc'!A0"
    for value in (c for table in cells.values() for row in table[1:] for c in row):
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    as_(demo, SECOND_REP).field_export.csv("feedback", tmp_path / "jo.csv")
    assert (tmp_path / "jo.csv").read_text("utf-8-sig").count("\n") == 1  # the header: none
