"""Edit requests from the command line.

`satchel requests [--mine | --queue] [--state S…] [--overdue] [--json]` lists the actor's
requests (or marketing's queue); `satchel request TEMPLATE --set k=v…` submits and
`request show ID` shows one; `approve`, `reject`, `changes`, `withdraw` and `resubmit`
take one step; `satchel audit verify | export --csv FILE` checks or exports the trail.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from satchel.cli.cmd_render import read_values
from satchel.cli.output import EXIT_FAILED, EXIT_OK, print_json, safe
from satchel.core.domain.metadata import parse_assignments
from satchel.core.domain.requests import Decision, RequestDetail, RequestState, RequestSummary
from satchel.core.errors import ValidationError
from satchel.core.services import Services
from satchel.core.services.requests import QueueFilter
from satchel.core.settings import Settings

STATES = [state.value for state in RequestState]


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    listing = subparsers.add_parser("requests", help="list your edit requests, or the queue")
    which = listing.add_mutually_exclusive_group()
    which.add_argument("--mine", action="store_true", help="your own requests (the default)")
    which.add_argument("--queue", action="store_true",
                       help="marketing's review queue (submitted ones unless --state)")  # fmt: skip
    listing.add_argument("--state", action="extend", nargs="+", choices=STATES, default=[],
                         help="only these states")  # fmt: skip
    listing.add_argument("--overdue", action="store_true", help="the queue: only overdue ones")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=run_list, writes=False)

    one = subparsers.add_parser(
        "request", help="submit values for approval: request TEMPLATE --set k=v…; "
        "or request show ID",
    )  # fmt: skip
    one.add_argument("template", metavar="TEMPLATE|show", help="template id, or `show`")
    one.add_argument("id", nargs="?", help="with show: the request id")
    values = one.add_mutually_exclusive_group()
    values.add_argument("--set", action="extend", nargs="+", default=[], metavar="KEY=VALUE")
    values.add_argument("--values", type=Path, metavar="FILE.json", help="values as a JSON object")
    one.add_argument("--for", dest="customer", default="", metavar="TEXT",
                     help="the account or opportunity it is for")  # fmt: skip
    one.add_argument("--note", default="", help="a note to marketing")
    one.add_argument("--json", action="store_true")
    one.set_defaults(run=run_request, writes=True)

    for name, decision, help_text in (
        ("approve", Decision.APPROVE, "approve a request (with --set: approve with your edits)"),
        ("reject", Decision.REJECT, "reject a request (a comment is needed)"),
        ("changes", Decision.REQUEST_CHANGES, "send a request back for changes (with a comment)"),
    ):
        step = subparsers.add_parser(name, help=help_text)
        step.add_argument("id")
        step.add_argument("--comment", default="")
        if decision is Decision.APPROVE:
            step.add_argument("--set", action="extend", nargs="+", default=[],
                              metavar="KEY=VALUE")  # fmt: skip
        step.add_argument("--json", action="store_true")
        step.set_defaults(run=run_decide, decision=decision, writes=True)
    withdraw = subparsers.add_parser("withdraw", help="take back your open request")
    withdraw.add_argument("id")
    withdraw.add_argument("--json", action="store_true")
    withdraw.set_defaults(run=run_withdraw, writes=True)
    resubmit = subparsers.add_parser("resubmit", help="the next round of your request")
    resubmit.add_argument("id")
    resubmit.add_argument("--set", action="extend", nargs="+", default=[], metavar="KEY=VALUE",
                          help="values to change (the others stay)")  # fmt: skip
    resubmit.add_argument("--note", default=None)
    resubmit.add_argument("--json", action="store_true")
    resubmit.set_defaults(run=run_resubmit, writes=True)

    audit = subparsers.add_parser("audit", help="check or export the requests' audit trail")
    actions = audit.add_subparsers(dest="audit_action", metavar="ACTION", required=True)
    verify = actions.add_parser("verify", help="is the hash chain whole?")
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(run=run_audit_verify, writes=False)
    export = actions.add_parser("export", help="the trail as CSV")
    export.add_argument("--csv", type=Path, required=True, metavar="FILE")
    export.set_defaults(run=run_audit_export, writes=False)


def review_days() -> int:
    return int(Settings.default().value("requests.review_days"))


def _age(summary: RequestSummary) -> str:
    if summary.state is not RequestState.SUBMITTED or summary.due_at is None:
        return ""
    return "OVERDUE" if summary.overdue else f"due {summary.due_at:%Y-%m-%d %H:%M}"


def _print_summaries(summaries: list[RequestSummary]) -> None:
    for s in summaries:
        print(f"{s.id[:8]}  {s.state_words:22} r{s.round}  {safe(s.template_title)[:32]:32} "
              f"{safe(s.customer)[:24]:24} {safe(s.requester)[:20]:20} {_age(s)}".rstrip())  # fmt: skip


def run_list(services: Services, args: argparse.Namespace) -> int:
    states = tuple(RequestState(s) for s in args.state)
    if args.queue:
        chosen = QueueFilter(overdue_only=args.overdue, **({"states": states} if states else {}))
        summaries, total = services.requests.queue(chosen, limit=1000, review_days=review_days())
    else:
        summaries = services.requests.mine(states, review_days=review_days())
        total = len(summaries)
    if args.json:
        print_json({"total": total, "requests": summaries})
    elif not summaries:
        print("No requests." if not args.queue else "Nothing waits for a decision.")
    else:
        _print_summaries(summaries)
        if total > len(summaries):
            print(f"… and {total - len(summaries)} more.")
    return EXIT_OK


def _show(detail: RequestDetail, as_json: bool) -> None:
    if as_json:
        print_json(detail)
        return
    s = detail.summary
    print(f"Request {s.id} — {safe(s.template_title)} (version {s.template_version})")
    print(f"  for {safe(s.customer) or '(no account given)'}, by {safe(s.requester)}; "
          f"{s.state_words}, round {s.round} {_age(s)}".rstrip())  # fmt: skip
    if s.newer_version:
        print(f"  A newer version of this template exists (version {s.newer_version}).")
    if detail.note:
        print(f"  Note: {safe(detail.note)}")
    for reason in detail.reasons:
        print(f"  Needs approval: {safe(reason)}")
    for key, value in detail.request.values.items():
        print(f"    {safe(detail.labels.get(key, key))}: {safe(value)}")
    for key, (before, after) in detail.approved_changes.items():
        print(f"  Marketing changed {safe(detail.labels.get(key, key))}: "
              f"{safe(before or '')} → {safe(after or '')}")  # fmt: skip
    for step in detail.steps:
        comment = f" — “{safe(step.comment)}”" if step.comment else ""
        print(f"  {step.at:%Y-%m-%d %H:%M} {safe(step.actor)}: {step.to_state.value} "
              f"(round {step.round}){comment}")  # fmt: skip


def run_request(services: Services, args: argparse.Namespace) -> int:
    if args.template == "show":
        if args.id is None:
            raise ValidationError(["Say which request: satchel request show ID."])
        _show(services.requests.get(args.id, review_days()), args.json)
        return EXIT_OK
    if args.id is not None:
        raise ValidationError([f"Unexpected {args.id!r}: values go after --set."])
    values = read_values(args.values) if args.values else parse_assignments(args.set)
    detail, _ = services.requests.submit(args.template, values, customer=args.customer,
                                         note=args.note)  # fmt: skip
    _show(detail, args.json)
    if not args.json:
        if detail.can_generate_final:
            print(f"Approved at once: make the final PDF with "
                  f"satchel render --request {detail.request.id[:8]} -o OUT.pdf")  # fmt: skip
        else:
            print("Sent to marketing; until it is approved, documents from these values are "
                  "DRAFTs.")  # fmt: skip
    return EXIT_OK


def run_resubmit(services: Services, args: argparse.Namespace) -> int:
    current = services.requests.get(args.id)
    values = {**current.request.values, **parse_assignments(args.set)}
    detail, _ = services.requests.resubmit(current.request.id, values, note=args.note)
    _show(detail, args.json)
    return EXIT_OK


def run_decide(services: Services, args: argparse.Namespace) -> int:
    edits = parse_assignments(getattr(args, "set", []))
    decision = args.decision
    values = None
    if edits:
        decision = Decision.APPROVE_WITH_EDITS
        values = {**services.requests.get(args.id).request.values, **edits}
    detail, _ = services.requests.decide(args.id, decision, args.comment, values)
    _show(detail, args.json)
    return EXIT_OK


def run_withdraw(services: Services, args: argparse.Namespace) -> int:
    detail, _ = services.requests.withdraw(args.id)
    _show(detail, args.json)
    return EXIT_OK


def run_audit_verify(services: Services, args: argparse.Namespace) -> int:
    count, problem = services.requests.verify_audit()
    if args.json:
        print_json({"ok": problem is None, "events": count, "problem": problem})
    elif problem is None:
        print(f"The audit trail is whole: {count} events, each linked to the one before.")
    else:
        print(f"The audit trail was changed: {problem}")
    return EXIT_OK if problem is None else EXIT_FAILED


def run_audit_export(services: Services, args: argparse.Namespace) -> int:
    path, count = services.requests.export_audit(args.csv)
    print(f"Wrote {count} events to {path}.")
    return EXIT_OK
