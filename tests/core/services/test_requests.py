"""Edit requests on a real demo library: the rep asks, marketing decides, the final PDF
names the approval, and the audit chain catches every edit made behind its back."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from satchel.core.domain.requests import Decision, RequestState
from satchel.core.errors import KnownError, PermissionDeniedError, ValidationError
from satchel.core.services import Services
from satchel.core.services.requests import QueueFilter
from tests.conftest import DEMO_USERS, TEST_LIMITS, copy_library, open_as
from tests.core.services.test_templates import QUOTE, template_named, text_of


class Clock:
    """A clock the test moves (Monday 2026-11-23, 09:00 UTC to start)."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def demo_dir(demo_template_without_requests: Path, tmp_path: Path) -> Path:
    return copy_library(demo_template_without_requests, tmp_path)


@pytest.fixture
def demo(demo_dir: Path, clock: Clock) -> Iterator[Services]:
    with open_as(demo_dir, "rep", limits=TEST_LIMITS, workers=1, clock=clock) as services:
        yield services


def as_(services: Services, role: str) -> Services:
    services.people.sign_in(DEMO_USERS[role])
    return services


def quote_id(services: Services) -> str:
    return template_named(services, "Price quote").id


def ask(services: Services, discount: str = "12.5", **options: str) -> str:
    """The rep asks for a quote with this discount; the request's id."""
    as_(services, "rep")
    detail, changes = services.requests.submit(
        quote_id(services), {**QUOTE, "discount": discount}, customer="Northwind Foods",
        note="Three-year deal; they compare us with Falcon.", **options,
    )  # fmt: skip
    assert changes.requests
    return detail.request.id


def pdf_text_and_info(pdf: bytes) -> tuple[str, dict[str, str]]:
    reader = PdfReader(io.BytesIO(pdf))
    return text_of(pdf), {k: str(v) for k, v in (reader.metadata or {}).items()}


# --- the common case stays instant -------------------------------------------------------


def test_values_inside_the_limits_are_approved_at_once_and_give_a_final_pdf(demo: Services) -> None:
    request_id = ask(demo, discount="7.5")
    detail = demo.requests.get(request_id)
    assert detail.request.state is RequestState.AUTO_APPROVED and detail.reasons == ()
    as_(demo, "marketer")
    assert demo.requests.queue()[1] == 0  # nothing waits for marketing
    as_(demo, "rep")
    made, _ = demo.requests.final_document(request_id)
    text, info = pdf_text_and_info(made.pdf)
    assert not made.draft and "DRAFT" not in text
    assert info["/SatchelRequest"] == request_id
    assert "inside the self-service limits" in info["/SatchelApproval"]


# --- the loop: submit, queue, decide, final -----------------------------------------------


def test_a_request_outside_the_envelope_waits_in_the_queue_until_approved(demo: Services) -> None:
    request_id = ask(demo)
    mine = demo.requests.mine()
    assert [(s.id, s.state) for s in mine] == [(request_id, RequestState.SUBMITTED)]
    assert mine[0].customer == "Northwind Foods" and mine[0].due_at is not None
    with pytest.raises(KnownError, match="only approved values give a final document"):
        demo.requests.final_document(request_id)
    made, _ = demo.templates.generate(quote_id(demo), {**QUOTE, "discount": "12.5"})
    assert made.draft  # the rep still gets a draft now

    as_(demo, "marketer")
    page, total = demo.requests.queue()
    assert total == 1 and page[0].id == request_id and page[0].requester == "Riley Chen"
    detail = demo.requests.get(request_id)
    assert any("Discount" in reason for reason in detail.reasons)
    assert detail.defaults["discount"] == "0" and detail.labels["discount"] == "Discount"
    news = demo.requests.news()
    assert [n.request_id for n in news] == [request_id] and "Riley Chen submitted" in news[0].text

    demo.requests.decide(request_id, Decision.APPROVE, comment="Fine for a three-year deal.")
    assert demo.requests.queue()[1] == 0
    assert demo.requests.news() == []  # decided: no longer news for marketing

    as_(demo, "rep")
    news = demo.requests.news()
    assert "Mara Lindqvist approved “Price quote" in news[-1].text
    demo.requests.mark_news_seen()
    assert demo.requests.news() == [] and not demo.requests.mine()[0].news
    made, _ = demo.requests.final_document(request_id)
    text, info = pdf_text_and_info(made.pdf)
    assert not made.draft and "DRAFT" not in text and "12.5" in text
    assert "round 1, approved by Mara Lindqvist on 2026-11-23" in info["/SatchelApproval"]
    verdict = demo.templates.verify(made.pdf)
    assert verdict.genuine and request_id in verdict.message and "Mara Lindqvist" in verdict.message
    again, _ = demo.requests.final_document(request_id)  # any time, without asking again
    assert not again.draft


def test_nobody_decides_their_own_request_and_a_rep_decides_none(demo: Services) -> None:
    request_id = ask(demo)
    with pytest.raises(PermissionDeniedError):
        demo.requests.decide(request_id, Decision.APPROVE)
    as_(demo, "admin")
    own, _ = demo.requests.submit(quote_id(demo), {**QUOTE, "discount": "14"})
    with pytest.raises(PermissionDeniedError, match="their own request"):
        demo.requests.decide(own.request.id, Decision.APPROVE)
    as_(demo, "rep")
    with pytest.raises(PermissionDeniedError, match="only your own"):
        demo.requests.get(own.request.id)


def test_a_second_decision_is_refused_naming_who_decided_and_when(demo: Services) -> None:
    request_id = ask(demo)
    as_(demo, "marketer")
    demo.requests.decide(request_id, Decision.APPROVE)
    as_(demo, "admin")
    with pytest.raises(KnownError, match=r"Already approved by Mara Lindqvist at \d\d:\d\d\."):
        demo.requests.decide(request_id, Decision.REJECT, comment="Too late.")


def test_approve_with_edits_shows_the_rep_each_change_and_the_final_has_the_edits(
    demo: Services,
) -> None:
    request_id = ask(demo)
    as_(demo, "marketer")
    with pytest.raises(ValidationError, match="Discount"):  # beyond the hard limit (15 %)
        demo.requests.decide(request_id, Decision.APPROVE_WITH_EDITS, "",
                             {**QUOTE, "discount": "20"})  # fmt: skip
    demo.requests.decide(request_id, Decision.APPROVE_WITH_EDITS, "11 % is what we can do.",
                         {**QUOTE, "discount": "11"})  # fmt: skip
    as_(demo, "rep")
    detail = demo.requests.get(request_id)
    assert detail.request.state is RequestState.APPROVED_WITH_EDITS
    assert detail.approved_changes == {"discount": ("12.5", "11")}
    made, _ = demo.requests.final_document(request_id)
    text, _ = pdf_text_and_info(made.pdf)
    assert "11" in text and "12.5" not in text and not made.draft


def test_changes_requested_then_resubmitted_is_a_second_round(demo: Services) -> None:
    request_id = ask(demo)
    as_(demo, "marketer")
    with pytest.raises(ValidationError, match="Say what should change"):
        demo.requests.decide(request_id, Decision.REQUEST_CHANGES)
    demo.requests.decide(request_id, Decision.REQUEST_CHANGES, comment="Make it 12 %.")
    as_(demo, "rep")
    detail, _ = demo.requests.resubmit(request_id, {**QUOTE, "discount": "12"})
    assert detail.request.round == 2 and detail.request.state is RequestState.SUBMITTED
    as_(demo, "marketer")
    detail, _ = demo.requests.decide(request_id, Decision.APPROVE)
    assert [s.to_state for s in detail.steps] == [
        RequestState.SUBMITTED, RequestState.CHANGES_REQUESTED, RequestState.SUBMITTED,
        RequestState.APPROVED,
    ]  # fmt: skip
    assert detail.steps[1].comment == "Make it 12 %." and detail.steps[2].changes == {
        "discount": ("12.5", "12")
    }


def test_a_rep_withdraws_an_open_request_and_it_leaves_the_queue(demo: Services) -> None:
    request_id = ask(demo)
    demo.requests.withdraw(request_id)
    assert demo.requests.get(request_id).request.state is RequestState.WITHDRAWN
    as_(demo, "marketer")
    assert demo.requests.queue()[1] == 0
    with pytest.raises(KnownError, match="withdrawn"):
        demo.requests.decide(request_id, Decision.APPROVE)


def test_refused_values_are_listed_and_nothing_is_stored(demo: Services) -> None:
    as_(demo, "rep")
    with pytest.raises(ValidationError) as refused:
        demo.requests.submit(quote_id(demo), {**QUOTE, "discount": "40", "quote_number": "42"})
    assert len(refused.value.problems) == 2
    assert demo.requests.mine() == []


def test_hostile_notes_and_comments_are_kept_as_text_or_refused_with_the_limit(
    demo: Services,
) -> None:
    as_(demo, "rep")
    hostile = "<script>alert(1)</script>\u202e\x07 زبون 🎉"
    detail, _ = demo.requests.submit(quote_id(demo), {**QUOTE, "discount": "12"},
                                     customer=hostile, note=hostile)  # fmt: skip
    assert detail.request.customer.startswith("<script>alert(1)</script>")
    assert "\u202e" not in detail.request.note and "\x07" not in detail.request.note
    as_(demo, "marketer")
    with pytest.raises(ValidationError, match="4,000 characters"):
        demo.requests.decide(detail.request.id, Decision.REJECT, comment="x" * 100_000)
    assert demo.requests.get(detail.request.id).request.state is RequestState.SUBMITTED


# --- ready for the hub ------------------------------------------------------------------


def outbox(root: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(root / "satchel.db") as db:
        return db.execute("SELECT id, kind FROM outbox ORDER BY position").fetchall()


def test_the_same_submission_twice_is_one_request_and_every_step_is_in_the_outbox(
    demo: Services, demo_dir: Path
) -> None:
    values = {**QUOTE, "discount": "12.5"}
    as_(demo, "rep")
    first, _ = demo.requests.submit(
        quote_id(demo), values, request_id="c0ffee00-0000-4000-8000-000000000001"
    )
    again, changes = demo.requests.submit(quote_id(demo), values, request_id=first.request.id)
    assert again.request.id == first.request.id and not changes.any
    assert len(demo.requests.mine()) == 1
    as_(demo, "marketer")
    demo.requests.decide(first.request.id, Decision.REJECT, comment="No.")
    assert [kind for _, kind in outbox(demo_dir)] == ["request.submitted", "request.rejected"]
    assert len(demo.requests.get(first.request.id).steps) == 2


def test_a_template_replaced_meanwhile_keeps_the_request_decidable_on_its_version(
    demo: Services,
) -> None:
    request_id = ask(demo)
    as_(demo, "marketer")
    quote = template_named(demo, "Price quote")
    from satchel.core.domain.templates import fields_to_json

    demo.templates.publish(quote.asset_id, fields_to_json(quote.fields), "Price quote (2027)")
    as_(demo, "rep")
    assert demo.requests.mine()[0].newer_version == quote.version + 1
    as_(demo, "marketer")
    detail, _ = demo.requests.decide(request_id, Decision.APPROVE)
    assert detail.summary.template_version == quote.version


# --- the queue --------------------------------------------------------------------------


def test_the_queue_filters_sorts_oldest_first_and_shows_what_is_overdue(
    demo: Services, clock: Clock
) -> None:
    first = ask(demo)
    clock.now += dt.timedelta(days=3)  # Thursday: the first is past its two working days
    second = ask(demo, discount="13")
    as_(demo, "marketer")
    page, total = demo.requests.queue()
    assert total == 2 and [s.id for s in page] == [first, second]
    assert [s.overdue for s in page] == [True, False]
    assert [s.id for s in demo.requests.queue(QueueFilter(overdue_only=True))[0]] == [first]
    assert [s.id for s in demo.requests.queue(QueueFilter(oldest_first=False))[0]] == [
        second,
        first,
    ]
    assert demo.requests.queue(QueueFilter(territory="Nowhere"))[1] == 0
    assert demo.requests.queue(limit=1, offset=1)[0][0].id == second
    assert demo.requests.queue(review_days=5)[0][0].overdue is False


# --- the audit trail --------------------------------------------------------------------


def trail(demo: Services) -> None:
    """Four events: submitted, changes requested, resubmitted, approved."""
    request_id = ask(demo)
    as_(demo, "marketer")
    demo.requests.decide(request_id, Decision.REQUEST_CHANGES, comment="12 % please.")
    as_(demo, "rep")
    demo.requests.resubmit(request_id, {**QUOTE, "discount": "12"})
    as_(demo, "marketer")
    demo.requests.decide(request_id, Decision.APPROVE)


def tamper(root: Path, sql: str) -> None:
    with sqlite3.connect(root / "satchel.db") as db:
        db.execute(sql)


@pytest.mark.parametrize(
    ("sql", "caught"),
    [
        (
            "UPDATE request_events SET text = replace(text, '12 % please.', 'fine') WHERE sequence = 2",
            "Event 2 was edited",
        ),
        ("DELETE FROM request_events WHERE sequence = 2", "Event 2 is missing"),
        ("DELETE FROM request_events WHERE sequence = 4", "Event 4 is missing"),
        ("UPDATE request_events SET sequence = sequence + 10 WHERE sequence = 3", "Event 13"),
        ("MOVE 2", "Event 2 was moved"),  # stored again after event 4
    ],
)
def test_audit_verify_names_the_first_event_changed_behind_its_back(
    demo: Services, demo_dir: Path, sql: str, caught: str
) -> None:
    trail(demo)
    assert demo.requests.verify_audit() == (4, None)
    if sql == "MOVE 2":  # to the end of the stored order, every byte as it was
        with sqlite3.connect(demo_dir / "satchel.db") as db:
            row = db.execute("SELECT * FROM request_events WHERE sequence = 2").fetchone()
            db.execute("DELETE FROM request_events WHERE sequence = 2")
            db.execute(f"INSERT INTO request_events VALUES ({','.join('?' * len(row))})", row)
    else:
        tamper(demo_dir, sql)
    problem = demo.requests.verify_audit()[1]
    assert problem is not None and caught in problem


def test_moved_timestamps_are_caught(demo: Services, demo_dir: Path) -> None:
    trail(demo)
    tamper(
        demo_dir, "UPDATE request_events SET at = '2020-01-01 00:00:00.000000' WHERE sequence = 3"
    )
    assert demo.requests.verify_audit()[1] is None  # the stored text is what counts …
    tamper(demo_dir, "UPDATE request_events SET text = replace(text, '2026-11-23T', '2020-01-01T') "
                     "WHERE sequence = 3")  # fmt: skip
    assert "Event 3 was edited" in str(demo.requests.verify_audit()[1])  # … and it is hashed


def test_the_trail_exports_as_csv_with_names_and_formulas_defused(
    demo: Services, tmp_path: Path
) -> None:
    trail(demo)
    as_(demo, "rep")
    request_id = demo.requests.mine()[0].id
    as_(demo, "marketer")
    path, count = demo.requests.export_audit(tmp_path / "audit.csv")
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert count == 4 and len(rows) == 5 and rows[0][0] == "sequence"
    assert [r[5] for r in rows[1:]] == ["submitted", "changes_requested", "submitted", "approved"]
    assert rows[2][3] == "Mara Lindqvist" and rows[1][2] == request_id
    as_(demo, "rep")
    with pytest.raises(PermissionDeniedError):
        demo.requests.export_audit(tmp_path / "again.csv")


def test_an_approved_requests_preview_is_the_final_document_without_draft(demo: Services) -> None:
    values = {**QUOTE, "discount": "12.5"}
    template = template_named(demo, "Price quote")
    draft = demo.templates.preview(template, values, 600)
    final = demo.templates.preview(template, values, 600, approved=True)
    plain = demo.templates.preview(template, {**QUOTE, "discount": "7.5"}, 600)
    assert draft != final  # the watermark

    def red_share(png: bytes) -> float:  # the DRAFT watermark: a light, see-through red
        data = Image.open(io.BytesIO(png)).convert("RGB").tobytes()
        reds = sum(1 for r, g, b in zip(data[0::3], data[1::3], data[2::3], strict=True)
                   if r - g > 20 and r - b > 20)  # fmt: skip
        return reds / (len(data) / 3)

    assert red_share(draft) > red_share(final) + 0.005
    assert abs(red_share(final) - red_share(plain)) < 0.002


def test_the_chain_verifies_after_a_backup_and_a_restore(demo: Services) -> None:
    trail(demo)
    as_(demo, "admin")
    snapshot = demo.care.backup()
    as_(demo, "rep")
    ask(demo, discount="13")  # after the backup: gone again after the restore
    as_(demo, "admin")
    demo.care.restore(snapshot)
    assert demo.requests.verify_audit() == (4, None)
    as_(demo, "rep")
    ask(demo, discount="14")  # the chain goes on from the restored head
    assert demo.requests.verify_audit() == (5, None)
