"""The request rules (core/workflow): who may do what, in which state, with which words,
and the audit chain that shows any edit of the trail. Pure code: no library needed."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from satchel.core.domain.users import Profile, Role
from satchel.core.errors import KnownError, PermissionDeniedError, ValidationError
from satchel.core.workflow import audit
from satchel.core.workflow.requests import (
    APPROVED_STATES,
    Decision,
    Event,
    Request,
    RequestConflictError,
    RequestState,
    decide,
    due_at,
    final_values,
    new_request,
    overdue_cutoff,
    resubmit,
    submit,
    values_hash,
    withdraw,
)

REP = Profile("u-rep", "Jonas Weber", "jonas@example.com", Role.REP)
OTHER_REP = Profile("u-rep2", "Ana Ruiz", "ana@example.com", Role.REP)
MARKETER = Profile("u-mkt", "Mara Lindqvist", "mara@example.com", Role.MARKETER)
ADMIN = Profile("u-adm", "Ola Admin", "ola@example.com", Role.ADMIN)
NOW = dt.datetime(2026, 12, 2, 14, 2, tzinfo=dt.UTC)
VALUES = {"customer": "Northwind Foods", "discount": "12.5"}


def submitted(values: dict[str, str] = VALUES) -> Request:
    draft = new_request("r-1", REP, "t-quote", 3, values, customer="Northwind Foods")
    return submit(draft, REP, needs_approval=True, now=NOW)[0]


def test_a_request_binds_to_its_version_and_the_hash_of_its_values() -> None:
    draft = new_request("r-1", REP, "t-quote", 3, VALUES)
    assert (draft.template_version, draft.state, draft.round) == (3, RequestState.DRAFT, 1)
    assert draft.values_sha256 == values_hash({"discount": "12.5", "customer": "Northwind Foods"})
    assert draft.values_sha256 != values_hash({**VALUES, "discount": "12.50"})


def test_inside_the_envelopes_a_request_is_approved_at_once() -> None:
    draft = new_request("r-1", REP, "t-quote", 3, VALUES)
    request, event = submit(draft, REP, needs_approval=False, now=NOW)
    assert request.state is RequestState.AUTO_APPROVED
    assert final_values(request) == VALUES
    assert (event.from_state, event.to_state) == (RequestState.DRAFT, RequestState.AUTO_APPROVED)


def test_approve_approves_exactly_the_values_seen() -> None:
    request, event = decide(submitted(), MARKETER, Decision.APPROVE, NOW, comment="Fine for Q4.")
    assert request.state is RequestState.APPROVED and final_values(request) == VALUES
    assert event.comment == "Fine for Q4." and event.actor_id == MARKETER.id
    assert final_values(submitted()) is None  # not approved: only a DRAFT can be generated


def test_a_second_decision_names_who_decided_and_when() -> None:
    decided, _ = decide(submitted(), MARKETER, Decision.APPROVE, NOW)
    with pytest.raises(RequestConflictError, match="Already approved by Mara Lindqvist at 14:02"):
        decide(decided, ADMIN, Decision.REJECT, NOW, comment="No.")


def test_nobody_decides_their_own_request_and_reps_decide_none() -> None:
    own = submit(new_request("r-2", MARKETER, "t-quote", 3, VALUES), MARKETER, True, NOW)[0]
    with pytest.raises(PermissionDeniedError, match="their own request"):
        decide(own, MARKETER, Decision.APPROVE, NOW)
    assert decide(own, ADMIN, Decision.APPROVE, NOW)[0].state is RequestState.APPROVED
    with pytest.raises(PermissionDeniedError, match="Only marketers and admins can decide"):
        decide(submitted(), OTHER_REP, Decision.APPROVE, NOW)


def test_reject_and_changes_need_a_comment() -> None:
    for decision in (Decision.REJECT, Decision.REQUEST_CHANGES):
        with pytest.raises(ValidationError, match="Say"):
            decide(submitted(), MARKETER, decision, NOW, comment="   ")
    with pytest.raises(ValidationError, match="4,000 characters"):
        decide(submitted(), MARKETER, Decision.REJECT, NOW, comment="x" * 4001)


def test_approve_with_edits_keeps_the_marketers_values_and_the_difference() -> None:
    edited = {**VALUES, "discount": "11"}
    request, event = decide(submitted(), MARKETER, Decision.APPROVE_WITH_EDITS, NOW, edited=edited)
    assert request.state is RequestState.APPROVED_WITH_EDITS
    assert final_values(request) == edited and request.values == VALUES
    assert event.diff == {"discount": ("12.5", "11")}
    with pytest.raises(ValidationError, match="at least one value changed"):
        decide(submitted(), MARKETER, Decision.APPROVE_WITH_EDITS, NOW, edited=dict(VALUES))
    with pytest.raises(ValidationError, match="cannot be above 15"):
        decide(submitted(), MARKETER, Decision.APPROVE_WITH_EDITS, NOW,
               edited={**VALUES, "discount": "20"}, problems=["Discount cannot be above 15 %."])  # fmt: skip


def test_changes_requested_then_resubmitted_is_the_next_round() -> None:
    back, _ = decide(submitted(), MARKETER, Decision.REQUEST_CHANGES, NOW, comment="Max 11 %.")
    again, event = resubmit(back, REP, {**VALUES, "discount": "11"}, True, NOW)
    assert (again.state, again.round) == (RequestState.SUBMITTED, 2)
    assert again.values_sha256 == values_hash({**VALUES, "discount": "11"})
    assert event.diff == {"discount": ("12.5", "11")} and event.round == 2


def test_a_change_after_an_approval_needs_a_new_decision() -> None:
    approved, _ = decide(submitted(), MARKETER, Decision.APPROVE, NOW)
    changed, _ = resubmit(approved, REP, {**VALUES, "customer": "Contoso"}, True, NOW)
    assert changed.state is RequestState.SUBMITTED and final_values(changed) is None
    with pytest.raises(ValidationError, match="Nothing changed"):
        resubmit(approved, REP, dict(VALUES), True, NOW)


def test_only_the_requester_withdraws_and_only_while_open() -> None:
    with pytest.raises(PermissionDeniedError, match="Only the person who made a request"):
        withdraw(submitted(), OTHER_REP, NOW)
    gone, _ = withdraw(submitted(), REP, NOW)
    assert gone.state is RequestState.WITHDRAWN
    with pytest.raises(RequestConflictError, match="already withdrawn"):
        withdraw(gone, REP, NOW)
    with pytest.raises(RequestConflictError, match="was withdrawn"):
        decide(gone, MARKETER, Decision.APPROVE, NOW)


def test_hostile_text_is_kept_literally_or_refused_with_the_limit() -> None:
    hostile = "<b>x</b>\u202e\x1b[31m 🎉"
    request = new_request("r-3", REP, "t", 1, VALUES, customer=hostile, note=hostile + "\nline 2")
    # markup and emoji stay, as text; control and bidi-override characters go
    assert request.customer == "<b>x</b> [31m 🎉"
    assert request.note == "<b>x</b> [31m 🎉\nline 2"
    with pytest.raises(ValidationError, match="200 characters"):
        new_request("r-3", REP, "t", 1, VALUES, customer="x" * 100_000)


# --- the audit chain -----------------------------------------------------------------


def chain(count: int) -> list[audit.Link]:
    links: list[audit.Link] = []
    for number in range(count):
        event = Event(f"r-{number}", REP.id, NOW + dt.timedelta(minutes=number),
                      RequestState.DRAFT, RequestState.SUBMITTED, 1, f"note {number}")  # fmt: skip
        links.append(audit.link(event, f"e-{number}", links[-1] if links else None))
    return links


def test_a_whole_chain_verifies() -> None:
    assert audit.verify(chain(5)) is None
    assert audit.verify([]) is None


def test_an_edited_event_is_named() -> None:
    links = chain(5)
    text = links[2].text.replace("note 2", "note two")
    links[2] = dataclasses.replace(links[2], text=text)
    assert audit.verify(links) == "Event 3 was edited after it was written."


def test_an_edited_event_with_its_hash_recomputed_breaks_the_next_link() -> None:
    links = chain(5)
    text = links[2].text.replace("note 2", "note two")
    links[2] = dataclasses.replace(links[2], text=text, hash=audit.digest(text))
    assert audit.verify(links) == "Event 4 does not follow event 3: it was inserted or moved."


def test_a_deleted_event_is_named() -> None:
    links = chain(5)
    del links[1]
    assert (
        audit.verify(links) == "Event 2 is missing: it was deleted (the chain goes on at event 3)."
    )


def test_a_reordered_event_is_named() -> None:
    links = chain(5)
    links[1], links[2] = links[2], links[1]
    assert audit.verify(links) == "Event 2 was moved: it is stored after event 3."


def test_the_stored_text_is_what_was_hashed_with_utc_microseconds() -> None:
    (first,) = chain(1)
    assert '"at":"2026-12-02T14:02:00.000000Z"' in first.text
    assert first.previous == audit.GENESIS and audit.digest(first.text) == first.hash
    local = dt.datetime(2026, 12, 2, 15, 2, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert audit.utc_text(local) == "2026-12-02T14:02:00.000000Z"


# --- any sequence of steps by anyone ---------------------------------------------------

PEOPLE = [REP, OTHER_REP, MARKETER, ADMIN]
STEP = st.tuples(
    st.sampled_from(["submit", "resubmit", "withdraw", *Decision]),
    st.sampled_from(PEOPLE),
    st.booleans(),  # needs approval
    st.sampled_from(["", "Because."]),
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PEOPLE), st.lists(STEP, max_size=12))
def test_no_path_reaches_approval_without_a_decider_or_the_envelope(
    requester: Profile, steps: list[tuple[str, Profile, bool, str]]
) -> None:
    request = new_request("r-p", requester, "t", 1, VALUES)
    links: list[audit.Link] = []
    for number, (action, actor, needs_approval, comment) in enumerate(steps):
        now = NOW + dt.timedelta(minutes=number)
        try:
            if action == "submit":
                after, event = submit(request, actor, needs_approval, now)
            elif action == "resubmit":
                values = {**request.values, "discount": str(number)}
                after, event = resubmit(request, actor, values, needs_approval, now)
            elif action == "withdraw":
                after, event = withdraw(request, actor, now)
            else:
                edited = {**request.values, "discount": "9"}
                after, event = decide(request, actor, Decision(action), now, comment, edited=edited)
        except KnownError:
            continue  # refused: nothing changes
        if after.state in APPROVED_STATES and after.state is not RequestState.AUTO_APPROVED:
            assert actor.role in (Role.MARKETER, Role.ADMIN) and actor.id != requester.id
        if after.state is RequestState.AUTO_APPROVED:
            assert not needs_approval and actor.id == requester.id
        if event.to_state in {RequestState.REJECTED, RequestState.CHANGES_REQUESTED}:
            assert event.comment.strip()
        links.append(audit.link(event, f"e-{number}", links[-1] if links else None))
        request = after
    assert audit.verify(links) is None


# --- due dates ----------------------------------------------------------------------------

MOMENTS = st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2027, 12, 31),
                       timezones=st.just(dt.UTC))  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(MOMENTS, MOMENTS, st.integers(min_value=1, max_value=15))
def test_overdue_by_submission_time_is_exactly_overdue_by_due_date(
    submitted: dt.datetime, now: dt.datetime, days: int
) -> None:
    due = due_at(submitted, days)
    assert due.weekday() < 5 and due - submitted >= dt.timedelta(days=days)
    assert (due <= now) == (submitted <= overdue_cutoff(now, days))


def test_due_dates_skip_the_weekend() -> None:
    friday = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)
    assert due_at(friday, 2) == dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)  # Tuesday
    saturday = friday + dt.timedelta(days=1, hours=5)
    assert due_at(saturday, 2) == dt.datetime(2026, 12, 2, 0, 0, tzinfo=dt.UTC)  # Tuesday's end
