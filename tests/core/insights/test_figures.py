"""The insights definitions (docs/INSIGHTS.md) over a seeded journal whose figures are
worked out by hand in the comments: a real library, real imports, usage, feedback,
outcomes, searches and requests recorded through the services on a clock the test
moves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from satchel.core.domain.campaigns import CampaignItem
from satchel.core.domain.insights import Filters, Period
from satchel.core.domain.requests import Decision
from satchel.core.domain.usage import UsageAction
from satchel.core.domain.users import Role
from satchel.core.errors import PermissionDeniedError
from satchel.core.services import Services
from tests.conftest import DEMO_USERS, TEST_LIMITS, copy_library, open_as
from tests.core.services.test_requests import Clock
from tests.helpers.files import pdf_bytes
from tests.helpers.golden import assert_matches_golden, page_image

START = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)  # a Monday; the assets are added
TODAY = dt.date(2027, 1, 2)  # the journal is read 40 days later
PERIOD = Period.last_days(30, TODAY)  # 2026-12-04 to 2027-01-02
# The tests record one journal in turn and each reads what those before it recorded: they
# run in file order on one worker (make test runs pytest-xdist with --dist loadfile).


class Journal:
    """Who is who in the seeded library."""

    def __init__(self, services: Services, clock: Clock, assets: dict[str, str]) -> None:
        self.services, self.clock, self.assets = services, clock, assets

    def at(self, day: dt.date, hour: int = 10) -> None:
        self.clock.now = dt.datetime.combine(day, dt.time(hour), dt.UTC)

    def as_(self, who: str) -> Services:
        self.services.people.sign_in(who)
        return self.services


def _import(services: Services, folder: Path, names: list[str]) -> dict[str, str]:
    folder.mkdir()
    paths = []
    for name in names:
        path = folder / f"{name}.pdf"
        path.write_bytes(pdf_bytes(2, title=name, text=f"{name} for the dairy industry"))
        paths.append(path)
    report, _ = services.assets.import_paths(paths)
    return {r.path.rsplit("/", 1)[-1][:-4]: str(r.asset_id) for r in report.results}


@pytest.fixture(scope="module")
def journal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Journal]:
    root = tmp_path_factory.mktemp("insights")
    clock = Clock()
    clock.now = START
    with open_as(root / "library", create=True, limits=TEST_LIMITS, workers=1,
                 clock=clock) as services:  # fmt: skip
        for name, email, role, territory in (("Ana", "ana@x.test", Role.REP, "DACH"),
                                             ("Ben", "ben@x.test", Role.REP, "Midwest"),
                                             ("Mia", "mia@x.test", Role.MARKETER, "")):  # fmt: skip
            services.people.add(name, email, role, territory=territory)
        assets = _import(services, root / "files", ["P1", "P2", "P3", "S", "E", "D"])
        for name, asset_id in assets.items():
            services.assets.update_metadata(asset_id, {"title": name})
        for name in ("P1", "P2", "P3", "S", "E"):  # D stays a draft
            services.assets.update_metadata(assets[name], {"status": "published"})
        services.assets.update_metadata(assets["S"], {"review_on": "2026-12-25"})
        services.assets.update_metadata(assets["E"], {"expires_on": "2026-12-20"})
        yield Journal(services, clock, assets)


def test_utilization_counts_qualifying_uses_of_assets_published_all_period(
    journal: Journal,
) -> None:
    a, j = journal.assets, journal
    j.at(dt.date(2026, 11, 25))
    j.as_("ana@x.test").assets.record_usage(a["P3"], UsageAction.COPIED)  # before the period
    j.at(dt.date(2026, 12, 10))
    rep = j.as_("ana@x.test")
    rep.assets.record_usage(a["P1"], UsageAction.COPIED)
    rep.assets.record_usage(a["P1"], UsageAction.COPIED)
    rep.assets.record_presentation(a["P2"], 300, {1: 200, 2: 100})
    rep.assets.record_usage(a["S"], UsageAction.VIEWED)  # looking is not using
    rep.assets.record_usage(a["E"], UsageAction.EXPORTED)  # expired in the period: not counted
    rep.assets.record_usage(a["D"], UsageAction.COPIED)  # a draft: not counted
    rep.feedback.give(a["P1"], "yes", rating=4)
    j.at(dt.date(2026, 12, 11))
    other = j.as_("ben@x.test")
    other.assets.record_usage(a["P1"], UsageAction.EXPORTED)
    other.feedback.give(a["P1"], "not yet", rating=5)
    marketing = j.as_("mia@x.test").insights
    j.at(TODAY)
    # Published for the whole period: P1, P2, P3, S (E expired within it, D is a draft);
    # used in it: P1 (copied twice, exported) and P2 (presented) → 2 of 4.
    figure = marketing.utilization(PERIOD)
    assert (figure.used, figure.published, figure.rate) == (2, 4, 0.5)
    assert figure.headline(PERIOD) == ("50 % of your collateral was not used in the last 30 days "
                                       "(2 of 4).")  # fmt: skip
    top = marketing.top_assets(PERIOD)
    assert [(u.title, u.uses, u.reach, u.ratings, u.rating) for u in top] == [
        ("P1", 3, 2, 2, 4.5),
        ("E", 1, 1, 0, None),
        ("P2", 1, 1, 0, None),
    ]  # not the draft

    # Unused for 30 days: P3 (last used 2026-11-25); stale: S (review 2026-12-25);
    # expired: E (2026-12-20). P1 and P2 were used; D is a draft.
    wasted = marketing.wastebasket(unused_days=30)
    assert [(w.title, w.reason, w.since) for w in wasted] == [
        ("P3", "unused", dt.date(2026, 11, 25)), ("S", "stale", dt.date(2026, 12, 25)),
        ("E", "expired", dt.date(2026, 12, 20))]  # fmt: skip
    with pytest.raises(PermissionDeniedError):
        j.as_("ana@x.test").insights.utilization(PERIOD)  # reps never see the team's figures


def test_utilization_week_by_week(journal: Journal) -> None:
    # Week 1 (4–10 Dec): P1, P2 and E used of P1, P2, P3, S and E (E expires on the 20th);
    # week 2: P1 (Ben's export on the 11th); from week 3 E has expired: 4 assets, none used.
    series = journal.as_("mia@x.test").insights.utilization_by_week(PERIOD)
    assert [(week.first.isoformat(), week.last.isoformat()) for week, _ in series][::4] == [
        ("2026-12-04", "2026-12-10"), ("2027-01-01", "2027-01-02")]  # fmt: skip
    assert [(use.used, use.published) for _, use in series] == [(3, 5), (1, 5), (0, 4), (0, 4),
                                                                (0, 4)]  # fmt: skip


def test_the_filters_narrow_every_figure_to_their_assets_and_people(journal: Journal) -> None:
    a, j = journal.assets, journal
    marketing = j.as_("mia@x.test")
    kit, _ = marketing.campaigns.save("Dairy kit", "2027-06-01", items=[
        CampaignItem(asset_id=a["P1"]), CampaignItem(asset_id=a["P2"])])  # fmt: skip
    # Ben (Midwest) exported P1 once and rated it 5; P2 and P3 were never used by him.
    midwest = marketing.insights.all(PERIOD, 30, filters=Filters(territory="midwest"))
    assert (midwest.utilization.used, midwest.utilization.published) == (1, 4)
    assert [(u.title, u.uses, u.reach, u.rating) for u in midwest.top_assets] == [
        ("P1", 1, 1, 5.0)]  # fmt: skip
    assert [(w.title, w.reason, w.since) for w in midwest.wastebasket] == [
        ("P2", "unused", None), ("P3", "unused", None),
        ("S", "stale", dt.date(2026, 12, 25)), ("E", "expired", dt.date(2026, 12, 20))]  # fmt: skip
    assert midwest.of == "Territory midwest"  # as asked for
    # The campaign's assets, P1 and P2, both used in the period.
    dairy = marketing.insights.all(PERIOD, 30, filters=Filters(campaign=kit.campaign.id[:8]))
    assert (dairy.utilization.used, dairy.utilization.published) == (2, 2)
    assert [u.title for u in dairy.top_assets] == ["P1", "P2"] and dairy.wastebasket == []
    assert dairy.of == "Campaign Dairy kit"
    nobody = marketing.insights.all(PERIOD, 30, filters=Filters(territory="Atlantis"))
    assert (nobody.utilization.used, nobody.top_assets) == (0, [])  # names nobody, not all
    assert marketing.insights.filter_choices()["territory"] == [("DACH", "DACH"),
                                                                ("Midwest", "Midwest")]  # fmt: skip
    marketing.campaigns.cancel(kit.campaign.id)


def test_influence_compares_win_rates_and_hides_a_small_sample(journal: Journal) -> None:
    a, j = journal.assets, journal
    # P1 used before the outcome with accounts 1–5: 4 won, 1 lost.
    # Without P1: account 6 (P1 used only after its loss), 7 won, 8 and 9 lost, 10 no
    # decision → 1 won of 5. Account 11 is still open: left out.
    # P2 was used with account 7 only: 1 of 1 against 4 of 9 — too few to show.
    outcomes = {1: "won", 2: "won", 3: "won", 4: "won", 5: "lost", 6: "lost", 7: "won",
                8: "lost", 9: "lost", 10: "no decision", 11: "open"}  # fmt: skip
    rep = j.as_("ben@x.test")
    for number, outcome in outcomes.items():
        j.at(dt.date(2026, 11, 24) + dt.timedelta(days=number))
        if number <= 5 or number == 11:
            rep.feedback.give(a["P1"], "yes", f"Account {number}")
        if number == 7:
            rep.feedback.give(a["P2"], "yes", f"Account {number}")
        rep.feedback.record_outcome(f"Account {number}", outcome)
        if number == 6:
            rep.feedback.give(a["P1"], "yes", f"Account {number}")  # after the outcome
    figures = {f.title: f for f in j.as_("mia@x.test").insights.influence()}
    p1, p2 = figures["P1"], figures["P2"]
    assert (p1.won_with, p1.decided_with, p1.won_without, p1.decided_without) == (4, 5, 1, 5)
    assert p1.shown and p1.words() == (
        "Win rate 80 % where used, 20 % where not (won 4 of 5 accounts it was used with, 1 of 5 "
        "without) — a correlation, not a cause.")  # fmt: skip
    assert (p2.won_with, p2.decided_with, p2.won_without, p2.decided_without) == (1, 1, 4, 9)
    assert not p2.shown and p2.words().startswith("Too few accounts to compare")


def test_content_demand_groups_searches_however_typed_with_requests(journal: Journal) -> None:
    j = journal
    j.at(dt.date(2026, 12, 15))
    j.as_("ana@x.test").search.record_low_result("Dairy case studies", 0)
    j.as_("ana@x.test").search.record_low_result("case-study  DAIRY", 1)
    j.as_("ben@x.test").search.record_low_result("case study dairy", 0)
    j.as_("ben@x.test").search.record_low_result("ROI calculator", 2)
    j.as_("ben@x.test").search.record_low_result("brochure", 3)  # found enough: not logged
    ask, _ = j.as_("mia@x.test").asks.ask("A case study for dairy")
    j.as_("ana@x.test").asks.plus_one(ask.ask.id)
    demand = j.as_("mia@x.test").insights.demand(PERIOD)
    # "dairy case studies", "case-study DAIRY", "case study dairy" and the request are one:
    # Ana, Ben and Mia; three searches, one request with one +1.
    assert [(d.people, d.searches, d.asks, d.plus_ones) for d in demand] == [(3, 3, 1, 1),
                                                                             (1, 1, 0, 0)]  # fmt: skip
    assert demand[1].phrase == "ROI calculator"


def test_notes_by_competitor_and_objections_by_tag(journal: Journal) -> None:
    a, j = journal.assets, journal
    j.at(dt.date(2026, 12, 20))
    j.as_("mia@x.test").notes.keep_objection_tags(add=["price", "integration"])
    rep = j.as_("ana@x.test")
    rep.notes.note("Acme", "30 % off")
    rep.notes.note("Acme", "Free pilot")
    rep.notes.note("Bolt", "Bundled sensors")
    rep.feedback.give(a["P2"], "yes", objections="The price is high")
    rep.feedback.give(a["P3"], "no", objections="The PRICE is high")
    rep.feedback.give(a["S"], "yes", objections="Integration, and the price")
    rep.feedback.give(a["S"], "yes", objections="Nothing we keep a tag for")
    marketing = j.as_("mia@x.test").insights
    assert marketing.competitors(PERIOD) == [("Acme", 2), ("Bolt", 1)]
    assert marketing.objections(PERIOD) == [("price", 3), ("integration", 1)]


@pytest.fixture
def quotes(demo_template_without_requests: Path, tmp_path: Path) -> Iterator[Journal]:
    clock = Clock()  # Monday 2026-11-23 09:00
    root = copy_library(demo_template_without_requests, tmp_path)
    with open_as(root, "rep", limits=TEST_LIMITS, workers=1, clock=clock) as services:
        yield Journal(services, clock, {})


def _quote(discount: str) -> dict[str, str]:
    return {"customer": "Harlow Foods", "quote_number": "Q-2026-0007", "discount": discount,
            "valid_until": "2027-01-31"}  # fmt: skip


def test_turnaround_rounds_first_pass_and_the_values_asked_outside_the_limits(
    quotes: Journal,
) -> None:
    j, rep, marketer = quotes, DEMO_USERS["rep"], DEMO_USERS["marketer"]
    services = j.as_(rep)
    quote = next(t for t in services.templates.list_all() if t.title.startswith("Price quote"))
    monday = dt.date(2026, 11, 23)
    j.at(monday, 9)
    first, second, third, auto, waiting = (
        services.requests.submit(quote.id, _quote(d), customer=f"Account {n}")[0].request.id
        for n, d in enumerate(("12.5", "12.5", "12.5", "7.5", "12.5")))  # fmt: skip
    j.at(monday, 13)
    j.as_(marketer).requests.decide(first, Decision.APPROVE)  # 4 h, first round
    j.at(monday, 11)
    j.as_(marketer).requests.decide(second, Decision.REQUEST_CHANGES, "Say why")
    j.at(monday, 12)
    j.as_(rep).requests.resubmit(second, _quote("12.5"), note="Competing with Acme")
    j.at(monday, 15)
    j.as_(marketer).requests.decide(second, Decision.APPROVE)  # 6 h, second round
    j.at(monday, 19)
    j.as_(marketer).requests.decide(third, Decision.REJECT, "Too much")  # 10 h
    del auto  # approved on the spot (7.5 % is within the limits): never waited
    j.at(dt.date(2026, 11, 26), 10)  # Thursday: `waiting` is 3 working days old
    marketing = j.as_(marketer).insights
    week = Period(monday, dt.date(2026, 11, 29))
    figure = marketing.turnaround(week, review_days=2)
    # Decided by marketing: 4 h, 6 h, 10 h → median 6, p90 (nearest rank) 10; approved
    # two, one at the first pass (1 of 3 decided), rounds (1 + 2) / 2; one waiting, overdue.
    assert figure.decided == 3  # (the clock ticks a second a reading)
    assert (figure.median_hours, figure.p90_hours) == (pytest.approx(6, abs=0.01),
                                                       pytest.approx(10, abs=0.01))  # fmt: skip
    assert (figure.first_pass, figure.first_pass_rate, figure.mean_rounds) == (1, 1 / 3, 1.5)
    assert (figure.waiting, figure.overdue, figure.overdue_share) == (1, 1, 1.0)
    assert waiting

    # Rounds that went to review for the discount: first, second (twice), third, waiting.
    (change,) = marketing.requested_changes(week)
    assert (change.value, change.times, change.territories) == ("12.5", 5, (("Midwest", 5),))
    assert change.suggestion(week) == (
        f"{change.field} 12.5 requested 5 times in Midwest in 7 days: consider a Midwest "
        f"variant of {change.template} or a wider limit.")  # fmt: skip


def test_the_digest_says_the_figures_in_words_and_escapes_the_librarys_text(
    journal: Journal,
) -> None:
    """Last in the module: it reads what the tests above recorded."""
    a, j = journal.assets, journal
    j.at(TODAY)
    j.as_("mia@x.test").assets.update_metadata(a["P3"], {"title": "P3 <i>Dairy</i> & more"})
    j.services.campaigns.save("Dairy launch", "2027-01-20", "Mia", [
        CampaignItem(asset_id=a["P1"]), CampaignItem(planned="Dairy deck", due=dt.date(2026, 12, 30))])  # fmt: skip
    j.services.campaigns.save("Summer fair", "2027-06-01")  # beyond the 90 days: not coming
    marketing = j.services.insights
    text = marketing.digest(PERIOD, "text", unused_days=30)
    lines = text.splitlines()
    assert lines[0] == "Satchel weekly digest, 2026-12-04 to 2027-01-02"
    assert "  - 50 % of your collateral was not used in the last 30 days (2 of 4)." in lines
    assert "  - P1: 3 uses by 2 people, rated 4.5 of 5 (2)" in lines
    assert "  - “Dairy case studies”: 3 people (3 searches, 1 request, 1 +1s)" in lines
    assert "  - Acme: 2 notes" in lines and "  - Objection “price”: 3" in lines
    assert "  - P3 <i>Dairy</i> & more (tester): unused since 2026-11-25" in lines
    at = lines.index("Campaigns coming")
    assert lines[at + 1 : at + 3] == [
        "  - Dairy launch, 2027-01-20: 1 of 2 ready, 1 late; LATE: Dairy deck (due 2026-12-30)",
        ""]  # fmt: skip
    page = marketing.digest(PERIOD, "html", unused_days=30)
    assert (
        "<li>P3 &lt;i&gt;Dairy&lt;/i&gt; &amp; more (tester): unused since 2026-11-25</li>" in page
    )
    assert "<i>" not in page


def test_the_meeting_pack_reads_back_its_figures_and_matches_its_golden_page(
    journal: Journal, tmp_path: Path
) -> None:
    """After the digest: the journal as the pack shows it."""
    j = journal
    j.at(TODAY)
    j.as_("ben@x.test").asks.announce("Dairy push", "2026-12-10", "2027-01-31", "Dairy")
    j.as_("mia@x.test").assets.update_metadata(j.assets["S"], {"title": "S <b>Review</b> & 🙂"})
    marketing = j.services.insights
    target = tmp_path / "pack.pdf"
    pages = marketing.pack(PERIOD, target, unused_days=30)
    pdf = target.read_bytes()
    reader = PdfReader(target)
    assert pages == len(reader.pages) >= 3
    said = " ".join(" ".join(page.extract_text() for page in reader.pages).split())  # lines wrap
    for line in ("Sales and marketing weekly", "2026-12-04 to 2027-01-02",
                 "50 % of your collateral was not used in the last 30 days (2 of 4).",
                 "Joint numbers", "The period before", "Marketing presents", "Sales reports", "Dairy push",
                 "S <b>Review</b> & □", "(a correlation, not a cause)", "Objections by tag",
                 "Campaigns and launches coming", "Dairy launch 2027-01-20 1 of 2 ready, 1 late "
                 "Dairy deck"):  # fmt: skip
        assert line in said, line
    assert "/Subtype /Image" not in pdf.decode("latin-1")  # the charts are vector
    assert_matches_golden(page_image(pdf), "pack-page1")
