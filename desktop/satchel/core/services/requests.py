"""Edit requests: a rep asks for values outside the self-service limits, marketing
decides, and every step lands in the audit chain and the outbox for the hub.

Each step is one write transaction: the request row, its round, the chained event and
the outbox entry commit together or not at all. The database's write lock serializes
steps, so of two deciders (in two windows or two processes) exactly one lands, and the
other is told who decided first."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from satchel.core.domain.changes import Changes
from satchel.core.domain.documents import ApprovalStamp, Generated
from satchel.core.domain.permissions import Capability, allows
from satchel.core.domain.requests import (
    STATE_WORDS,
    Decision,
    Event,
    Request,
    RequestDetail,
    RequestNews,
    RequestState,
    RequestStep,
    RequestSummary,
)
from satchel.core.domain.templates import FieldIssue, Severity, Template
from satchel.core.domain.users import Profile
from satchel.core.errors import KnownError, NotFoundError, PermissionDeniedError
from satchel.core.services.context import Area
from satchel.core.services.csv_files import write_csv
from satchel.core.services.templates import TemplateService, field_issues, refuse_errors
from satchel.core.storage import requests_repo, templates_repo, users_repo
from satchel.core.storage.models import RequestEventRow, RequestRow, TemplateVersion, User
from satchel.core.workflow import audit
from satchel.core.workflow import requests as rules

_VERBS = {
    RequestState.SUBMITTED: "submitted",
    RequestState.APPROVED: "approved",
    RequestState.APPROVED_WITH_EDITS: "approved with edits",
    RequestState.CHANGES_REQUESTED: "asked for changes to",
    RequestState.REJECTED: "rejected",
    RequestState.WITHDRAWN: "withdrew",
    RequestState.AUTO_APPROVED: "got automatic approval for",
}


@dataclass(frozen=True)
class QueueFilter:
    """What the review queue shows (None: any)."""

    template_id: str | None = None
    requester_id: str | None = None
    territory: str | None = None
    overdue_only: bool = False
    states: tuple[RequestState, ...] = (RequestState.SUBMITTED,)
    oldest_first: bool = True


class RequestService(Area):
    """`services.requests`."""

    # --- the rep's steps --------------------------------------------------------------

    def submit(self, template_id: str, values: Mapping[str, str], customer: str = "",
               note: str = "", version: int | None = None,
               request_id: str | None = None) -> tuple[RequestDetail, Changes]:  # fmt: skip
        """A new request for the actor's values, submitted at once: approved on the spot
        when every value is inside the self-service limits, else in marketing's queue.
        `request_id` is the client's UUID: submitting the same one again changes nothing."""
        self._ctx.allow(Capability.SUBMIT_REQUESTS)
        actor = self._actor()
        template = TemplateService(self._ctx).get(template_id, version)
        values = dict(values)
        reasons = self._reasons(template, values, actor)
        library = self._ctx.library
        request_id = request_id or library.new_id()
        with library.db.write() as session:
            existing = session.get(RequestRow, request_id)
            if existing is not None:
                if (existing.requester_id, existing.values_sha256) != (
                    actor.id,
                    rules.values_hash(values),
                ):
                    raise KnownError("Another request already has this id; nothing was sent.")
                return self._detail(session, existing), Changes()
            version_row = templates_repo.version_id(session, template)
            if version_row is None:
                raise NotFoundError("Only a published template's values can be requested.")
            draft = rules.new_request(request_id, actor, template.id, template.version, values,
                                      customer, note)  # fmt: skip
            after, event = rules.submit(draft, actor, bool(reasons), library.clock())
            self._store(session, after, event, version_row, None, reasons)
            return self._detail(session, self._row(session, after.id)), Changes(requests=True)

    def resubmit(self, request_id: str, values: Mapping[str, str],
                 note: str | None = None) -> tuple[RequestDetail, Changes]:  # fmt: skip
        """The next round of the actor's request with new values (after changes were asked
        for, or to change values already approved), on the request's own template version."""
        self._ctx.allow(Capability.SUBMIT_REQUESTS)
        actor = self._actor()
        values = dict(values)
        with self._ctx.library.db.write() as session:
            row = requests_repo.find_row(session, request_id)
            template = self._template(session, row)
            reasons = self._reasons(template, values, actor)
            after, event = rules.resubmit(requests_repo.load(session, row), actor, values,
                                          bool(reasons), self._ctx.library.clock(), note)  # fmt: skip
            self._store(session, after, event, row.template_version_id, None, reasons)
            return self._detail(session, row), Changes(requests=True)

    def withdraw(self, request_id: str) -> tuple[RequestDetail, Changes]:
        self._ctx.allow(Capability.SUBMIT_REQUESTS)
        actor = self._actor()
        with self._ctx.library.db.write() as session:
            row = requests_repo.find_row(session, request_id)
            after, event = rules.withdraw(requests_repo.load(session, row), actor,
                                          self._ctx.library.clock())  # fmt: skip
            self._store(session, after, event, row.template_version_id, row.decided_by)
            return self._detail(session, row), Changes(requests=True)

    # --- marketing's decision ---------------------------------------------------------

    def decide(self, request_id: str, decision: Decision, comment: str = "",
               values: Mapping[str, str] | None = None) -> tuple[RequestDetail, Changes]:  # fmt: skip
        """Approve, approve with edits (`values`: the approver's, inside the template's
        hard limits), ask for changes or reject the current round."""
        self._ctx.allow(Capability.DECIDE_REQUESTS)
        actor = self._actor()
        with self._ctx.library.db.write() as session:
            row = requests_repo.find_row(session, request_id)
            problems: list[str] = []
            if values is not None and decision is Decision.APPROVE_WITH_EDITS:
                template = self._template(session, row)
                problems = [f"{self._label(template, i.field)}: {i.message}"
                            for i in self._issues(template, values, self._requester(session, row))
                            if i.severity is Severity.ERROR]  # fmt: skip
            after, event = rules.decide(requests_repo.load(session, row), actor, decision,
                                        self._ctx.library.clock(), comment,
                                        None if values is None else dict(values), problems)  # fmt: skip
            self._store(session, after, event, row.template_version_id, actor.id)
            return self._detail(session, row), Changes(requests=True)

    # --- reading ----------------------------------------------------------------------

    def get(self, request_id: str, review_days: int = rules.DEFAULT_REVIEW_DAYS) -> RequestDetail:
        """One request with its history; a rep sees only their own."""
        with self._ctx.library.db.read() as session:
            row = requests_repo.find_row(session, request_id)
            if not self._may_see(row):
                raise PermissionDeniedError("You can see only your own requests.")
            return self._detail(session, row, review_days)

    def mine(self, states: Sequence[RequestState] = (),
             review_days: int = rules.DEFAULT_REVIEW_DAYS) -> list[RequestSummary]:  # fmt: skip
        """The actor's requests, newest first."""
        me = self._actor().id
        with self._ctx.library.db.read() as session:
            query = select(RequestRow).where(RequestRow.requester_id == me)
            if states:
                query = query.where(RequestRow.state.in_([s.value for s in states]))
            query = query.order_by(RequestRow.created_at.desc(), RequestRow.id)
            return self._summaries(session, list(session.scalars(query)), review_days, me)

    def queue(self, chosen: QueueFilter = QueueFilter(), limit: int = 100, offset: int = 0,
              review_days: int = rules.DEFAULT_REVIEW_DAYS) -> tuple[list[RequestSummary], int]:  # fmt: skip
        """Marketing's queue: one page of the requests `chosen` selects, and how many
        there are in all."""
        self._ctx.allow(Capability.DECIDE_REQUESTS, writes=False)
        now = self._ctx.library.clock()
        with self._ctx.library.db.read() as session:
            query = select(RequestRow).join(User, User.id == RequestRow.requester_id)
            query = query.where(RequestRow.state.in_([s.value for s in chosen.states]))
            if chosen.template_id:
                query = query.where(RequestRow.template_id == chosen.template_id)
            if chosen.requester_id:
                query = query.where(RequestRow.requester_id == chosen.requester_id)
            if chosen.territory:
                query = query.where(User.territory == chosen.territory)
            if chosen.overdue_only:
                query = query.where(
                    RequestRow.submitted_at <= rules.overdue_cutoff(now, review_days)
                )
            total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
            submitted = (
                RequestRow.submitted_at.asc()
                if chosen.oldest_first
                else RequestRow.submitted_at.desc()
            )
            rows = list(session.scalars(query.order_by(submitted, RequestRow.id)
                                        .limit(limit).offset(offset)))  # fmt: skip
            return self._summaries(session, rows, review_days, self._actor().id), total

    def review_due(self, review_days: int = rules.DEFAULT_REVIEW_DAYS) -> dt.datetime:
        """When marketing should decide a request submitted now (the review target)."""
        return rules.due_at(self._ctx.library.clock(), review_days)

    def news(self) -> list[RequestNews]:
        """Steps the actor has not seen: decisions on their requests, and (for marketing)
        requests submitted to the queue; oldest first."""
        me = self._actor()
        with self._ctx.library.db.read() as session:
            query = (select(RequestEventRow, RequestRow)
                     .join(RequestRow, RequestRow.id == RequestEventRow.request_id)
                     .where(RequestEventRow.sequence > requests_repo.seen(session, me.id),
                            RequestEventRow.actor_id != me.id))  # fmt: skip
            mine = RequestRow.requester_id == me.id
            if allows(me.role, Capability.DECIDE_REQUESTS):
                submitted = RequestEventRow.text.contains('"to":"submitted"')
                waiting = RequestRow.state == RequestState.SUBMITTED.value  # not decided yet
                query = query.where(
                    or_(mine, and_(submitted, waiting, RequestRow.requester_id != me.id))
                )
            else:
                query = query.where(mine)
            found = session.execute(query.order_by(RequestEventRow.sequence).limit(500)).all()
            return [self._news(session, event, row) for event, row in found]

    def mark_news_seen(self, up_to: int | None = None) -> Changes:
        """Everything up to event `up_to` (default: all) is read."""
        self._ctx.allow(Capability.VIEW)
        me = self._actor()
        with self._ctx.library.db.write() as session:
            last = requests_repo.head(session)
            requests_repo.mark_seen(session, me.id, up_to if up_to is not None else
                                    (last[0] if last else 0))  # fmt: skip
        return Changes(requests=True)

    # --- the final document -----------------------------------------------------------

    def final_document(self, request_id: str) -> tuple[Generated, Changes]:
        """The final PDF of an approved request (no DRAFT; its provenance names the
        request, the round, the approver and the time), as often as the rep likes."""
        self._ctx.allow(Capability.CUSTOMIZE)
        with self._ctx.library.db.read() as session:
            row = requests_repo.find_row(session, request_id)
            if not self._may_see(row):
                raise PermissionDeniedError("You can see only your own requests.")
            request = requests_repo.load(session, row)
            template = self._template(session, row)
            requester = self._requester(session, row)
        values = rules.final_values(request)
        if values is None:
            raise KnownError(f"This request is {STATE_WORDS[request.state]}: only approved "
                             "values give a final document.")  # fmt: skip
        issues = self._issues(template, values, requester)
        approval = ApprovalStamp(request.id, request.round, self._approval_text(request))
        return TemplateService(self._ctx).generate_approved(template, values, requester, issues,
                                                            approval)  # fmt: skip

    # --- the audit trail --------------------------------------------------------------

    def verify_audit(self) -> tuple[int, str | None]:
        """How many events the chain holds, and None when it is whole, else a sentence
        naming the first event edited, deleted, inserted or moved."""
        with self._ctx.library.db.read() as session:
            links = list(requests_repo.links(session))
            head = requests_repo.head(session)
        return len(links), audit.verify(links, head)

    def export_audit(self, path: Path) -> tuple[Path, int]:
        """The trail as CSV, one event per row, in chain order (marketing or admins)."""
        self._ctx.allow(Capability.DECIDE_REQUESTS, writes=False)
        header = ["sequence", "time (UTC)", "request", "actor", "from", "to", "round",
                  "comment", "changes", "previous hash", "hash"]  # fmt: skip
        with self._ctx.library.db.read() as session:
            names = dict(session.execute(select(User.id, User.name)).all())

            def rows() -> Iterator[list[object]]:
                for link in requests_repo.links(session):
                    body = json.loads(link.text)
                    yield [link.sequence, body["at"], body["request"],
                           names.get(body["actor"], body["actor"]), body["from"], body["to"],
                           body["round"], body["comment"],
                           json.dumps(body["diff"], ensure_ascii=False), link.previous,
                           link.hash]  # fmt: skip

            count = write_csv(path, header, rows(), failpoint="audit.export")
        return path, count

    # --- helpers ----------------------------------------------------------------------

    def _actor(self) -> Profile:
        if self._ctx.actor is None:
            raise PermissionDeniedError("Sign in first: requests are made and decided by people.")
        return self._ctx.actor

    def _may_see(self, row: RequestRow) -> bool:
        actor = self._actor()
        return row.requester_id == actor.id or allows(actor.role, Capability.DECIDE_REQUESTS)

    @staticmethod
    def _row(session: Session, request_id: str) -> RequestRow:
        row = session.get(RequestRow, request_id)
        assert row is not None
        return row

    def _issues(self, template: Template, values: Mapping[str, str],
                profile: Profile | None) -> list[FieldIssue]:  # fmt: skip
        return field_issues(template, values, profile, self._ctx.library.clock().date())

    def _reasons(self, template: Template, values: Mapping[str, str],
                 profile: Profile) -> list[str]:  # fmt: skip
        """Why these values need marketing (empty: approved automatically); refused
        values raise `ValidationError` listing each."""
        issues = self._issues(template, values, profile)
        refuse_errors(issues)
        return [f"{self._label(template, i.field)}: {i.message}" for i in issues
                if i.severity is Severity.NEEDS_APPROVAL]  # fmt: skip

    @staticmethod
    def _label(template: Template, key: str) -> str:
        return next((f.label for f in template.fields if f.key == key), key)

    @staticmethod
    def _template(session: Session, row: RequestRow) -> Template:
        version = session.get(TemplateVersion, row.template_version_id)
        if version is None:
            raise NotFoundError("The template version of this request is missing.")
        return templates_repo.find_template(session, version.template_id, version.version)

    @staticmethod
    def _requester(session: Session, row: RequestRow) -> Profile:
        user = session.get(User, row.requester_id)
        if user is None:
            raise NotFoundError("The person who made this request is missing.")
        return users_repo.to_profile(user)

    def _store(self, session: Session, after: Request, event: Event, version_row: str,
               decided_by: str | None, reasons: list[str] | None = None) -> None:  # fmt: skip
        """The request row, its round, the chained event and the outbox entry, in the
        caller's transaction."""
        library = self._ctx.library
        now = event.at
        row = session.get(RequestRow, after.id)
        submitted_at = now if reasons is not None else (row.submitted_at if row else None)
        requests_repo.save(session, after, version_row, decided_by, submitted_at, now)
        session.flush()
        if reasons is not None:  # a submission opens a round
            requests_repo.open_round(session, library.new_id, after, reasons, now)
        if after.state is not RequestState.SUBMITTED:
            requests_repo.close_round(session, after, decided_by, now)
        event_id = library.new_id()
        link = requests_repo.append_event(session, event, event_id)
        payload = {
            "request": {
                "id": after.id, "template_id": after.template_id,
                "template_version": after.template_version, "requester_id": after.requester_id,
                "state": after.state.value, "round": after.round, "values": dict(after.values),
                "values_sha256": after.values_sha256, "customer": after.customer,
                "note": after.note, "approved_values": after.approved_values and dict(after.approved_values),
            },
            "event": {"id": event_id, "text": link.text, "hash": link.hash},
            "reasons": reasons,
        }  # fmt: skip
        requests_repo.add_outbox(session, event_id, f"request.{event.to_state.value}", payload, now)

    def _summaries(self, session: Session, rows: list[RequestRow], review_days: int,
                   viewer: str) -> list[RequestSummary]:  # fmt: skip
        if not rows:
            return []
        ids = [row.id for row in rows]
        versions = {v.id: v for v in session.scalars(
            select(TemplateVersion).where(TemplateVersion.id.in_({r.template_version_id for r in rows})))}  # fmt: skip
        newest = dict(session.execute(
            select(TemplateVersion.template_id, func.max(TemplateVersion.version))
            .where(TemplateVersion.template_id.in_({r.template_id for r in rows}))
            .group_by(TemplateVersion.template_id)).all())  # fmt: skip
        people = {u.id: u for u in session.scalars(
            select(User).where(User.id.in_({r.requester_id for r in rows})))}  # fmt: skip
        seen = requests_repo.seen(session, viewer)
        unseen = set(session.scalars(
            select(RequestEventRow.request_id).where(RequestEventRow.request_id.in_(ids),
                                                     RequestEventRow.sequence > seen,
                                                     RequestEventRow.actor_id != viewer)))  # fmt: skip
        now = self._ctx.library.clock()
        out = []
        for row in rows:
            version = versions.get(row.template_version_id)
            person = people.get(row.requester_id)
            number = version.version if version else 0
            latest = newest.get(row.template_id, number)
            waiting = row.state == RequestState.SUBMITTED.value and row.submitted_at is not None
            due = (
                rules.due_at(row.submitted_at, review_days)
                if waiting and row.submitted_at
                else None
            )
            out.append(RequestSummary(
                row.id, row.template_id, version.title if version else "(missing template)",
                number, person.name if person else "(removed)",
                person.territory if person else "", row.customer, RequestState(row.state),
                row.round, row.submitted_at, due, due is not None and due <= now,
                latest if latest > number else None, row.id in unseen,
            ))  # fmt: skip
        return out

    def _detail(self, session: Session, row: RequestRow,
                review_days: int = rules.DEFAULT_REVIEW_DAYS) -> RequestDetail:  # fmt: skip
        request = requests_repo.load(session, row)
        summary = self._summaries(session, [row], review_days, self._actor().id)[0]
        template = self._template(session, row)
        rounds = requests_repo.rounds(session, row.id)
        current = next((r for r in rounds if r.round == row.round), None)
        names = dict(session.execute(select(User.id, User.name)).all())
        steps = []
        for event in requests_repo.events_of(session, row.id):
            body = json.loads(event.text)  # what the chain vouches for
            steps.append(RequestStep(
                event.sequence, audit.parse_time(body["at"]), names.get(body["actor"], "(removed)"),
                RequestState(body["from"]), RequestState(body["to"]), body["round"], body["comment"],
                {key: (pair[0], pair[1]) for key, pair in body["diff"].items()},
            ))  # fmt: skip
        approved_changes = (rules.diff(request.values, request.approved_values)
                            if request.approved_values is not None else {})  # fmt: skip
        return RequestDetail(
            summary, request, request.note, {f.key: f.label for f in template.fields},
            {f.key: f.default for f in template.fields},
            tuple(current.reasons) if current else (), tuple(steps), request.decided_by,
            request.decided_at, approved_changes,
        )  # fmt: skip

    def _news(self, session: Session, event: RequestEventRow, row: RequestRow) -> RequestNews:
        body = json.loads(event.text)
        actor = session.get(User, event.actor_id)
        version = session.get(TemplateVersion, row.template_version_id)
        title = version.title if version else "a template"
        verb = _VERBS.get(RequestState(body["to"]), body["to"])
        whom = f" for {row.customer}" if row.customer else ""
        return RequestNews(event.sequence, row.id, event.at,
                           f"{actor.name if actor else 'Someone'} {verb} “{title}”{whom}")  # fmt: skip

    @staticmethod
    def _approval_text(request: Request) -> str:
        if request.state is RequestState.AUTO_APPROVED or request.decided_by is None:
            return f"round {request.round}, inside the self-service limits"
        when = request.decided_at.strftime("%Y-%m-%d %H:%M UTC") if request.decided_at else ""
        words = (
            "approved with edits"
            if request.state is RequestState.APPROVED_WITH_EDITS
            else "approved"
        )
        return f"round {request.round}, {words} by {request.decided_by} on {when}"
