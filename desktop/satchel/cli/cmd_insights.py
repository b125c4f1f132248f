"""What marketing learns, on the command line (marketers and admins):

- `satchel insights [--since DATE] [--until DATE] [--json]`: every panel of a period
  (the last 90 days unless given)
- `satchel report digest [--since DATE] [--until DATE] [--format text|html]`: the
  week's digest (the last 7 days unless given) to paste into the weekly email
- `satchel report pack [--since DATE] [--until DATE] -o pack.pdf`: the meeting pack

each of them `--product P`, `--kind K`, `--territory T` or `--campaign ID` for a part
of the figures.

Definitions: docs/INSIGHTS.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from satchel.cli.cmd_requests import review_days
from satchel.cli.output import EXIT_OK, EXIT_USAGE, print_json, safe
from satchel.core.domain.insights import DIGEST_FORMATS, Filters, percent
from satchel.core.services import Services
from satchel.core.settings import Settings


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    insights = subparsers.add_parser("insights", help="what marketing learns from the records")
    _period(insights, 90)
    insights.add_argument("--json", action="store_true")
    insights.set_defaults(run=run_insights, writes=False)

    report = subparsers.add_parser("report", help="the weekly digest or meeting pack")
    report.add_argument("what", choices=("digest", "pack"))
    _period(report, 7)
    report.add_argument("--format", choices=DIGEST_FORMATS, default="text", help="the digest's")
    report.add_argument("-o", "--output", type=Path, default=None, metavar="FILE",
                        help="where the pack's PDF goes")  # fmt: skip
    report.set_defaults(run=run_report, writes=False)


def _period(parser: argparse.ArgumentParser, days: int) -> None:
    """The period and the filters, the same for every command here."""
    parser.add_argument("--since", default=None, metavar="DATE", help="the first day (2027-01-04)")
    parser.add_argument("--until", default=None, metavar="DATE", help="the last day (today)")
    parser.add_argument("--product", default="", help="only this product's assets")
    parser.add_argument("--kind", default="", help="only assets of this kind (datasheet, …)")
    parser.add_argument("--territory", default="", help="only the work of this territory's reps")
    parser.add_argument("--campaign", default="", metavar="ID", help="only a campaign's assets")
    parser.set_defaults(days=days)


def _filters(args: argparse.Namespace) -> Filters:
    return Filters(args.product, args.kind, args.territory, args.campaign)


def unused_days() -> int:
    return int(Settings.default().value("insights.unused_days"))


def run_insights(services: Services, args: argparse.Namespace) -> int:
    period = services.insights.period(args.since, args.until, args.days)
    found = services.insights.all(period, unused_days(), review_days(), _filters(args))
    if args.json:
        print_json(found)
        return EXIT_OK
    use, turn = found.utilization, found.turnaround
    print(
        f"{period.words()}: {safe(use.headline(period))}"
        + (f" {safe(found.of)}." if found.of else "")
    )
    print(f"Utilization {percent(use.rate)}; wastebasket {len(found.wastebasket)}; requests "
          f"decided {turn.decided}, first pass {percent(turn.first_pass_rate)}, waiting "
          f"{turn.waiting} ({turn.overdue} overdue).")  # fmt: skip
    for used in found.top_assets:
        print(f"  used {used.uses:>4}  by {used.reach:>3}  {safe(used.title)}")
    for wasted in found.wastebasket:
        print(f"  {wasted.reason:<8} {safe(wasted.title)}")
    for wanted in found.demand:
        print(f"  wanted by {wanted.people:>3}  “{safe(wanted.phrase)}”")
    return EXIT_OK


def run_report(services: Services, args: argparse.Namespace) -> int:
    period = services.insights.period(args.since, args.until, args.days)
    if args.what == "pack":
        if args.output is None:
            print("satchel: say where the pack goes: -o pack.pdf", file=sys.stderr)
            return EXIT_USAGE
        pages = services.insights.pack(period, args.output, unused_days(), review_days(),
                                       _filters(args))  # fmt: skip
        print(f"Meeting pack for {period.words()} written to {safe(str(args.output))} "
              f"({pages} pages).")  # fmt: skip
        return EXIT_OK
    digest = services.insights.digest(period, args.format, unused_days(), review_days(),
                                      _filters(args))  # fmt: skip
    print("\n".join(safe(line) for line in digest.splitlines()))
    return EXIT_OK
