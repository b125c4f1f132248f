"""Campaigns and the collateral they need:

- `satchel campaigns [--upcoming] [--json]`: every campaign (or those launching in the
  next 90 days) with its readiness, late planned pieces flagged;
- `satchel campaign add NAME --launch DATE [--owner O] [--asset ID]... [--planned "TITLE@DATE"]...`
- `satchel campaign set ID [the same options]`: what is given anew (pieces named
  replace them all);
- `satchel campaign cancel ID`.
"""

from __future__ import annotations

import argparse

from satchel.cli.output import EXIT_OK, print_json, safe
from satchel.core.domain.campaigns import CampaignItem, Readiness, read_day
from satchel.core.errors import ValidationError
from satchel.core.services import Services


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    listed = subparsers.add_parser("campaigns", help="launches coming and how ready they are")
    listed.add_argument("--upcoming", action="store_true", help="only those in the next 90 days")
    listed.add_argument("--json", action="store_true")
    listed.set_defaults(run=run_list, writes=False)

    one = subparsers.add_parser("campaign", help="add, change or cancel a campaign (marketing)")
    one.add_argument("action", choices=["add", "set", "cancel"])
    one.add_argument("what", metavar="NAME|ID", help="add: the name; set, cancel: the id")
    one.add_argument("--name", default=None, help="set: a new name")
    one.add_argument("--launch", default=None, metavar="DATE")
    one.add_argument("--owner", default="")
    one.add_argument("--asset", action="append", default=[], metavar="ID",
                     help="an asset it needs (repeat)")  # fmt: skip
    one.add_argument("--planned", action="append", default=[], metavar="TITLE@DATE",
                     help="a piece still to make, due by DATE (repeat)")  # fmt: skip
    one.add_argument("--json", action="store_true")
    one.set_defaults(run=run_campaign, writes=True)


def _pieces(args: argparse.Namespace) -> list[CampaignItem]:
    pieces = [CampaignItem(asset_id=asset) for asset in args.asset]
    for planned in args.planned:
        title, at, due = planned.rpartition("@")
        if not at:
            raise ValidationError([f"Write a planned piece as TITLE@DATE, not {planned!r}."])
        pieces.append(CampaignItem(planned=title, due=read_day(due, f"The due date of {title!r}")))
    return pieces


def _plain(ready: Readiness) -> dict[str, object]:
    campaign = ready.campaign
    return {"id": campaign.id, "name": campaign.name, "launch": campaign.launch.isoformat(),
            "owner": campaign.owner, "ready": ready.ready, "pieces": len(ready.pieces),
            "late": len(ready.late),
            "items": [{"asset_id": p.item.asset_id, "title": p.title, "state": p.state,
                       "due": p.item.due.isoformat() if p.item.due else None}
                      for p in ready.pieces]}  # fmt: skip


def _print(ready: Readiness) -> None:
    campaign = ready.campaign
    owner = f", {safe(campaign.owner)}" if campaign.owner else ""
    print(f"{campaign.id[:8]}  {campaign.launch.isoformat()}  {safe(campaign.name)}{owner}: "
          f"{ready.summary()}")  # fmt: skip
    for piece in ready.pieces:
        due = f", due {piece.item.due.isoformat()}" if piece.item.due else ""
        state = "LATE" if piece.state == "late" else piece.state  # the one to act on
        print(f"    {state:<8} {safe(piece.title)}{due}")


def run_list(services: Services, args: argparse.Namespace) -> int:
    found = services.campaigns.list_all(upcoming=args.upcoming)
    if args.json:
        print_json([_plain(ready) for ready in found])
        return EXIT_OK
    if not found:
        print("No campaigns coming." if args.upcoming else "No campaigns yet.")
    for ready in found:
        _print(ready)
    return EXIT_OK


def run_campaign(services: Services, args: argparse.Namespace) -> int:
    if args.action == "cancel":
        services.campaigns.cancel(args.what)
        if args.json:
            print_json({"cancelled": args.what})
        else:
            print("Campaign cancelled.")
        return EXIT_OK
    if args.action == "add":
        ready, _ = services.campaigns.save(args.what, args.launch, args.owner, _pieces(args))
    else:
        was = services.campaigns.get(args.what).campaign
        pieces = _pieces(args) or list(was.items)  # none named: the pieces stay
        ready, _ = services.campaigns.save(args.name or was.name, args.launch or was.launch,
                                           args.owner or was.owner, pieces,
                                           campaign_id=was.id)  # fmt: skip
    if args.json:
        print_json(_plain(ready))
    else:
        _print(ready)
    return EXIT_OK
