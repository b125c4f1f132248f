"""What the field tells marketing besides feedback on an asset, for scripts and bulk entry:

- `satchel note COMPETITOR TEXT [--account A] [--asset ID]`, `satchel note list`
- `satchel competitors [add NAME [--alias A]… [--notes T] | remove NAME]`
- `satchel ask TEXT [--audience …] [--by DATE] …`, `satchel ask --plus-one ID`
- `satchel asks [--mine] [--state S]`, `satchel asks answer ID accepted|declined|fulfilled …`
- `satchel initiative TEXT [--starts DATE] [--ends DATE] [--segment S] [--collateral C]`
- `satchel export feedback|notes|asks|initiatives --csv FILE`

each with `--json`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from satchel.cli.output import EXIT_OK, EXIT_USAGE, print_json, safe
from satchel.core.domain.feedback import FeedbackRecord
from satchel.core.domain.field import Answer
from satchel.core.services import Services
from satchel.core.services.asks import AskView
from satchel.core.services.field_export import Exported
from satchel.core.services.field_notes import NoteView
from satchel.core.settings import Settings


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    note = subparsers.add_parser("note", help="log what a competitor claimed or offered")
    note.add_argument("competitor", metavar="COMPETITOR", help="the competitor, or 'list'")
    note.add_argument("text", metavar="TEXT", nargs="?", default="",
                      help="what they claimed or offered")  # fmt: skip
    note.add_argument("--account", default="", help="the account it was heard at")
    note.add_argument("--asset", default=None, help="an asset it concerns (id or its start)")
    note.add_argument("--competitor", dest="of", default="", help="with 'list': of one competitor")
    note.add_argument("--json", action="store_true")
    note.set_defaults(run=run_note, writes=True)

    rivals = subparsers.add_parser("competitors", help="marketing's competitor list")
    rivals.add_argument("action", nargs="?", default="list", choices=("list", "add", "remove"))
    rivals.add_argument("name", nargs="?", default="")
    rivals.add_argument("--alias", action="append", default=[], help="another name (repeat)")
    rivals.add_argument("--notes", default="")
    rivals.add_argument("--json", action="store_true")
    rivals.set_defaults(run=run_competitors, writes=True)

    ask = subparsers.add_parser("ask", help="ask marketing for collateral that does not exist")
    ask.add_argument("text", metavar="TEXT", nargs="?", default="", help="what is needed")
    for option in ("audience", "product", "language", "region", "account"):
        ask.add_argument(f"--{option}", default="")
    ask.add_argument("--by", default=None, metavar="DATE", help="needed by (2027-03-31)")
    ask.add_argument("--deals", default=None, metavar="N", help="how many deals it affects")
    ask.add_argument("--plus-one", default=None, metavar="ID",
                     help="+1 this request instead of filing another")  # fmt: skip
    ask.add_argument("--json", action="store_true")
    ask.set_defaults(run=run_ask, writes=True)

    asks = subparsers.add_parser("asks", help="the content requests, or answer one")
    asks.add_argument("action", nargs="?", default="list", choices=("list", "answer"))
    asks.add_argument("ask_id", nargs="?", default="", metavar="ID")
    asks.add_argument("answer", nargs="?", default="", metavar="|".join(a.value for a in Answer))
    asks.add_argument("--mine", action="store_true", help="mine and the ones I +1'd")
    asks.add_argument("--state", default="", help="open, accepted, declined or fulfilled")
    asks.add_argument("--target", default=None, metavar="DATE")
    asks.add_argument("--owner", default="")
    asks.add_argument("--reason", default="")
    asks.add_argument("--asset", default="", help="the asset that fulfils it")
    asks.add_argument("--json", action="store_true")
    asks.set_defaults(run=run_asks, writes=True)

    push = subparsers.add_parser("initiative", help="announce a sales push to marketing")
    push.add_argument("text", metavar="TEXT")
    push.add_argument("--starts", default=None, metavar="DATE")
    push.add_argument("--ends", default=None, metavar="DATE")
    push.add_argument("--segment", default="", help="the segment or accounts")
    push.add_argument("--collateral", default="", help="the collateral it needs")
    push.add_argument("--json", action="store_true")
    push.set_defaults(run=run_initiative, writes=True)

    export = subparsers.add_parser("export", help="the field's records as a spreadsheet (CSV)")
    export.add_argument("what", choices=[e.value for e in Exported])
    export.add_argument("--csv", required=True, type=Path, metavar="FILE")
    export.add_argument("--json", action="store_true")
    export.set_defaults(run=run_export, writes=False)


def _record(record: FeedbackRecord) -> dict[str, object]:
    return {"id": record.id, "person": record.person, "asset_id": record.asset_id,
            "asset": record.asset_title, "at": record.at.isoformat(), **record.body}  # fmt: skip


def _note(view: NoteView) -> dict[str, object]:
    return {**_record(view.note), "tags": list(view.tags), "duplicate_of": view.duplicate_of,
            "counter_asset": view.counter_asset}  # fmt: skip


def _ask(view: AskView) -> dict[str, object]:
    return {**_record(view.ask), "deals": view.deals, "votes": view.votes, "state": view.state,
            "answer": dict(view.answer.body) if view.answer else None}  # fmt: skip


def run_note(services: Services, args: argparse.Namespace) -> int:
    if args.competitor == "list" and not args.text:
        listed = services.notes.notes(competitor=args.of)
        if args.json:
            print_json([_note(view) for view in listed])
        for view in [] if args.json else listed:
            note = view.note
            print(f"{note.at:%Y-%m-%d}  {note.id[:8]}  {safe(note.body['competitor'])}: "
                  f"{safe(note.body['claim'][:80])}  ({safe(note.person)})")  # fmt: skip
        return EXIT_OK
    record, _ = services.notes.note(args.competitor, args.text, args.account, args.asset)
    if args.json:
        print_json(_record(record))
    else:
        print(f"Note on {safe(record.body['competitor'])} kept; it reaches marketing with the "
              "next sync.")  # fmt: skip
    return EXIT_OK


def run_competitors(services: Services, args: argparse.Namespace) -> int:
    if args.action != "list":
        services.notes.keep_competitor(args.name, args.alias, args.notes,
                                       remove=args.action == "remove")  # fmt: skip
    listed = services.notes.competitors()
    if args.json:
        print_json(listed)
    for rival in [] if args.json else listed:
        also = f" (also {', '.join(rival.aliases)})" if rival.aliases else ""
        print(f"{safe(rival.name)}{safe(also)}")
    return EXIT_OK


def run_ask(services: Services, args: argparse.Namespace) -> int:
    if args.plus_one:
        view, _ = services.asks.plus_one(args.plus_one, args.account, args.deals)
        if args.json:
            print_json(_ask(view))
        else:
            print(f"+1 counted: {view.votes + 1} people ask for it now, for {view.deals} deal(s).")
        return EXIT_OK
    alike = services.asks.similar(args.text)
    view, _ = services.asks.ask(args.text, args.audience, args.product, args.language,
                                args.region, args.by, args.account, args.deals)  # fmt: skip
    if args.json:
        print_json({**_ask(view), "similar": [_ask(other) for other in alike]})
        return EXIT_OK
    print(f"Request {view.ask.id[:8]} filed; it reaches marketing with the next sync.")
    for other in alike:
        print(f"  Similar, asked before: {other.ask.id[:8]}  {safe(other.ask.body['need'][:70])} "
              f"— `satchel ask --plus-one {other.ask.id[:8]}` adds you to it.")  # fmt: skip
    return EXIT_OK


def run_asks(services: Services, args: argparse.Namespace) -> int:
    if args.action == "answer":
        if not args.ask_id or not args.answer:
            print("satchel: asks answer needs a request's ID and an answer.")
            return EXIT_USAGE
        view, _ = services.asks.answer(args.ask_id, args.answer, args.target, args.owner,
                                       args.reason, args.asset)  # fmt: skip
        listed = [view]
    else:
        listed = services.asks.asks(mine=args.mine, state=args.state)
    if args.json:
        print_json([_ask(view) for view in listed] if args.action == "list" else _ask(listed[0]))
        return EXIT_OK
    for view in listed:
        print(f"{view.ask.at:%Y-%m-%d}  {view.ask.id[:8]}  {view.state:<9}  +{view.votes}  "
              f"{view.deals} deal(s)  {safe(view.ask.body['need'][:70])}")  # fmt: skip
    return EXIT_OK


def run_initiative(services: Services, args: argparse.Namespace) -> int:
    record, _ = services.asks.announce(args.text, args.starts, args.ends, args.segment,
                                       args.collateral)  # fmt: skip
    if args.json:
        print_json(_record(record))
    else:
        print("Initiative announced; marketing sees it after the next sync.")
    return EXIT_OK


def run_export(services: Services, args: argparse.Namespace) -> int:
    pseudonyms = bool(Settings.default().value("reports.pseudonymize"))
    count = services.field_export.csv(args.what, args.csv, pseudonymize=pseudonyms)
    if args.json:
        print_json({"file": str(args.csv), "rows": count, "pseudonymized": pseudonyms})
    else:
        print(f"{count} row(s) of {args.what} written to {safe(str(args.csv))}.")
    return EXIT_OK
