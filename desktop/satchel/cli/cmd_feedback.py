"""`satchel feedback ASSET --used yes …`: a rep's word on an asset; `satchel outcome
ACCOUNT won|lost|open|no-decision`: how an account went (for every asset used with it);
`satchel feedback list [--team] [--json]`: what was recorded."""

from __future__ import annotations

import argparse

from satchel.cli.output import EXIT_OK, print_json, safe
from satchel.core.domain.feedback import STAGES, FeedbackRecord, Outcome, Used
from satchel.core.services import Services


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("feedback", help="tell marketing how an asset did with a "
                                                    "customer")  # fmt: skip
    parser.add_argument("asset", metavar="ASSET", help="the asset's id (or its first characters), "
                                                       "or 'list'")  # fmt: skip
    parser.add_argument("--used", default="yes", metavar="|".join(u.value for u in Used),
                        help="used with a customer? (yes)")  # fmt: skip
    parser.add_argument("--account", default="", help="the account or opportunity")
    parser.add_argument("--stage", default="", metavar="|".join(STAGES), help="funnel stage")
    parser.add_argument("--rating", default=None, metavar="1-5")
    parser.add_argument("--missing", default="", help="what was missing or wrong")
    parser.add_argument("--objections", default="", help="objections the customer raised")
    parser.add_argument("--competitor", default="", help="competitor mentioned")
    parser.add_argument("--team", action="store_true", help="with 'list': everyone's (marketing)")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(run=run_feedback, writes=True)
    outcome = subparsers.add_parser("outcome", help="record how an account went")
    outcome.add_argument("account", metavar="ACCOUNT")
    outcome.add_argument("outcome", metavar="|".join(o.value.replace(" ", "-") for o in Outcome))
    outcome.add_argument("--json", action="store_true")
    outcome.set_defaults(run=run_outcome, writes=True)


def _as_json(record: FeedbackRecord) -> dict[str, object]:
    return {"id": record.id, "asset_id": record.asset_id, "asset": record.asset_title,
            "person": record.person, "kind": record.kind.value, "at": record.at.isoformat(),
            **record.body}  # fmt: skip


def run_feedback(services: Services, args: argparse.Namespace) -> int:
    if args.asset == "list":
        listed = services.feedback.team() if args.team else services.feedback.mine()
        if args.json:
            print_json([_as_json(record) for record in listed])
        for record in [] if args.json else listed:
            what = record.asset_title or f"account {record.body.get('account', '')}"
            detail = record.body.get("outcome") or f"used: {record.body.get('used')}"
            print(f"{record.at:%Y-%m-%d %H:%M}  {safe(record.person)}  {safe(what)}  {detail}")
        return EXIT_OK
    record, _ = services.feedback.give(args.asset, args.used, args.account, args.stage,
                                       args.rating, args.missing, args.objections,
                                       args.competitor)  # fmt: skip
    if args.json:
        print_json(_as_json(record))
    else:
        print(f"Feedback on {safe(record.asset_title)} recorded; it reaches marketing with the "
              "next sync.")  # fmt: skip
    return EXIT_OK


def run_outcome(services: Services, args: argparse.Namespace) -> int:
    record, _ = services.feedback.record_outcome(args.account, args.outcome)
    _, assets = services.feedback.outcome_of(args.account)
    if args.json:
        print_json({**_as_json(record), "assets_used": assets})
    else:
        print(f"{safe(str(record.body['account']))}: {record.body['outcome']} — for the "
              f"{len(assets)} asset(s) used with it.")  # fmt: skip
    return EXIT_OK
