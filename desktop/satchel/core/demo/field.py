"""A quarter of field data for the demo: three reps' hand-outs of most of the collateral
(copied, exported, presented) and their feedback on it, a few accounts won and lost,
notes on two competitors that marketing tagged and merged, content requests with +1s
and marketing's answers, a sales initiative, and two campaigns coming (one with a late
piece). Drawn from
a seeded generator, dated over the 90 days before the build, so the insights reports
have something real to show and every build is the same."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from functools import partial
from typing import Any

from satchel.core.demo.requests import HistoryClock
from satchel.core.domain.assets import AssetKind
from satchel.core.domain.campaigns import CampaignItem
from satchel.core.domain.usage import UsageAction
from satchel.core.domain.users import Role

SEED = 20261204
QUARTER_DAYS = 90
REPS = (("Jordan Ellis", "jordan.ellis@kestrel-systems.example", "Northeast"),
        ("Lena Vogt", "lena.vogt@kestrel-systems.example", "DACH"))  # fmt: skip
ACCOUNTS = ("Northwind Foods", "Harlow Dairy", "Lakeside Creamery", "Cascade Beverages",
            "Woodgrove Mills", "Brauerei Lenz", "St. Aurelia Medical Center", "Fabrikam Metals",
            "Contoso Packaging", "Alpine Bottling")  # fmt: skip
OUTCOMES = {"Northwind Foods": "won", "Cascade Beverages": "won", "Brauerei Lenz": "won",
            "Harlow Dairy": "lost", "Fabrikam Metals": "lost",
            "Woodgrove Mills": "no decision"}  # fmt: skip
COMPETITORS = (("Acme Robotics", ("Acme", "Acme Edge"),
                "Cloud-first monitoring; sells on price for 3-year contracts."),
               ("Bolt Systems", ("Bolt", "BoltSys"),
                "Strong in breweries; bundles sensors with the maintenance contract."))  # fmt: skip
OBJECTION_TAGS = ("price", "integration", "security review", "timing", "support")
OBJECTIONS = ("The price is above their budget for this year",
              "Worried about integration with their SAP PM",
              "IT wants a security review before any pilot",
              "Timing: nothing before the new fiscal year",
              "They ask who gives support on night shifts",
              "Price per sensor looks high against Acme",
              "Integration with the old PLCs is unclear")  # fmt: skip
MISSING = ("A case study from a dairy", "Numbers for a plant under 50 machines",
           "The German version", "A one-page summary for the CFO", "")  # fmt: skip
NOTES = (("Acme", "Offers 30 % off for a three-year contract", "Harlow Dairy"),
         ("Acme Robotics", "Claims no integration work is needed with SAP", "Fabrikam Metals"),
         ("acme edge", "30% discount on three-year deals, again", "Contoso Packaging"),
         ("Bolt", "Bundles sensors free with the maintenance contract", "Brauerei Lenz"),
         ("Bolt Systems", "Says our gateway needs a cloud account (it does not)", "Alpine Bottling"),
         ("Acme Robotics", "Shows a live demo on the customer's own data", "Lakeside Creamery"),
         ("BoltSys", "Promises on-site support within 4 hours", "Woodgrove Mills"),
         ("Acme", "Free pilot for 60 days", "Cascade Beverages"))  # fmt: skip
ASKS = (("A case study from a dairy plant, with downtime numbers", "Plant managers", 3),
        ("A German price sheet for the Cirrus CX", "Procurement", 2),
        ("A battlecard against Acme Robotics' three-year discount", "Account executives", 4),
        ("A security whitepaper for IT reviews", "IT security", 2))  # fmt: skip


def add_field_history(services, clock: HistoryClock) -> None:  # type: ignore[no-untyped-def]
    """Record the quarter, each step in time order on `clock`, as the person it is by."""
    rng = random.Random(SEED)
    services.people.sign_in(next(p.id for p in services.people.list_all() if p.role is Role.ADMIN))
    for name, email, territory in REPS:
        services.people.add(name, email, Role.REP, title="Account Executive",
                            territory=territory)  # fmt: skip
    people = services.people.list_all()
    reps = [p.id for p in people if p.role is Role.REP]
    marketer = next(p.id for p in people if p.role is Role.MARKETER)
    assets = [a for a in services.assets.list_all()
              if a.metadata.kind not in (AssetKind.IMAGE, AssetKind.TEMPLATE)
              and a.metadata.status.value == "published"]  # fmt: skip
    moments: list[tuple[float, str, Callable[[], object]]] = []

    def at(days: float, who: str, act: Callable[[], object]) -> None:
        moments.append((days, who, act))

    at(QUARTER_DAYS + 1, marketer, lambda: [services.notes.keep_competitor(*entry)
                                            for entry in COMPETITORS])  # fmt: skip
    at(QUARTER_DAYS + 1, marketer, lambda: services.notes.keep_objection_tags(add=OBJECTION_TAGS))

    def hand_out(asset_id: str, action: UsageAction, body: dict[str, Any]) -> None:
        """The rep copies, exports or presents the asset, then answers the prompt."""
        if action is UsageAction.PRESENTED:
            services.assets.record_presentation(asset_id, 600.0, {1: 240.0, 2: 360.0})
        else:
            services.assets.record_usage(asset_id, action)
        services.feedback.give(asset_id, **body)

    used_with: dict[str, float] = {}  # account → the first day it was used with (days before)
    for asset in assets[: len(assets) * 4 // 5]:  # most of the collateral
        for _ in range(rng.randint(1, 3)):
            days = rng.uniform(3, QUARTER_DAYS)
            account = rng.choice(ACCOUNTS)
            used = rng.choices(("yes", "not yet", "no"), (7, 2, 1))[0]
            if used == "yes":
                used_with[account] = max(used_with.get(account, 0), days)
            body = {"used": used, "account": account if used != "no" else "",
                    "stage": rng.choice(("awareness", "consideration", "decision", "")),
                    "rating": rng.choice((None, 3, 4, 4, 5, 5, 2)),
                    "missing": rng.choice(MISSING),
                    "objections": rng.choice(OBJECTIONS) if rng.random() < 0.4 else "",
                    "competitor": rng.choice(("", "", "Acme Robotics", "Bolt Systems"))}  # fmt: skip
            action = rng.choice((UsageAction.COPIED, UsageAction.EXPORTED, UsageAction.PRESENTED))
            at(days, rng.choice(reps), partial(hand_out, asset.id, action, body))
    for account, outcome in OUTCOMES.items():
        if account in used_with:
            at(used_with[account] - rng.uniform(1, min(20, used_with[account] - 1)),
               rng.choice(reps), partial(services.feedback.record_outcome, account, outcome))  # fmt: skip
    noted: list[str] = []
    asked: list[str] = []

    def note(competitor: str, claim: str, account: str) -> None:
        noted.append(services.notes.note(competitor, claim, account)[0].id)

    def ask(need: str, audience: str, deals: int) -> None:
        asked.append(services.asks.ask(need, audience, deals=deals)[0].ask.id)

    def plus_one(number: int, deals: int) -> None:
        services.asks.plus_one(asked[number], deals=deals)

    for number, (competitor, claim, account) in enumerate(NOTES):
        at(
            QUARTER_DAYS - 8 - number * 10,
            rng.choice(reps),
            partial(note, competitor, claim, account),
        )
    at(5, marketer, lambda: services.notes.triage(noted[0], tags=["price"]))
    at(5, marketer, lambda: services.notes.triage(noted[2], tags=["price"], duplicate_of=noted[0]))
    case_study = next(a.id for a in assets if a.metadata.kind is AssetKind.CASE_STUDY)
    at(4, marketer, lambda: services.notes.triage(noted[1], tags=["integration"],
                                                  counter_asset=case_study))  # fmt: skip
    for number, (need, audience, deals) in enumerate(ASKS):
        requester = reps[number % len(reps)]
        at(60 - number * 12, requester, partial(ask, need, audience, deals))
        for voter in [r for r in reps if r != requester][: 2 - number % 2]:
            at(50 - number * 12, voter, partial(plus_one, number, rng.randint(1, 3)))
    at(20, marketer, lambda: services.asks.answer(asked[0], "fulfilled", asset_id=case_study))
    at(15, marketer, lambda: services.asks.answer(asked[1], "declined",
                                                  reason="The Cirrus CX sheet is English-only "
                                                  "until the German launch in spring."))  # fmt: skip
    at(2, marketer, lambda: services.asks.answer(asked[2], "accepted",
                                                 target=_in_days(clock, 30), owner="Mara Lindqvist"))  # fmt: skip
    at(30, reps[0], lambda: services.asks.announce("Dairy push in the Midwest", segment="Dairy",
                                                   collateral="Case studies, ROI calculator"))  # fmt: skip
    datasheet, brochure, dairy = (next(a.id for a in assets if a.metadata.title.startswith(t))
                                  for t in ("Cirrus CX Datasheet", "Cirrus CX: Predict",
                                            "How Harlow Foods"))  # fmt: skip
    at(12, marketer, lambda: services.campaigns.save(
        "Cirrus CX spring launch", _in_days(clock, 45), "Mara Lindqvist",
        [CampaignItem(asset_id=datasheet), CampaignItem(asset_id=brochure),
         CampaignItem(planned="Cirrus CX launch deck", due=_day_in(clock, -3)),  # late
         CampaignItem(planned="Cirrus CX price sheet in German", due=_day_in(clock, 25))]))  # fmt: skip
    at(8, marketer, lambda: services.campaigns.save(
        "Dairy push kit", _in_days(clock, 20), "Mara Lindqvist",
        [CampaignItem(asset_id=dairy),
         CampaignItem(planned="Dairy ROI one-pager", due=_day_in(clock, 10))]))  # fmt: skip
    for days, who, act in sorted(moments, key=lambda moment: -moment[0]):
        clock.at(days)
        services.people.sign_in(who)
        act()


def _day_in(clock: HistoryClock, days: int) -> dt.date:
    """The day `days` after the build (the demo's target dates lie ahead of it)."""
    return clock.start.date() + dt.timedelta(days=days)


def _in_days(clock: HistoryClock, days: int) -> str:
    return _day_in(clock, days).isoformat()
