"""A dozen edit requests for the demo, in every state, dated in the days before the build
(so the queue shows fresh, due and overdue requests, and reps have decisions to read)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from satchel.core.domain.requests import Decision
from satchel.core.domain.users import Role


class HistoryClock:
    """A clock the demo sets to a moment `days` before `start`; it ticks a second a read."""

    def __init__(self, start: dt.datetime) -> None:
        self.start = start
        self.now = start

    def at(self, days: float) -> None:
        self.now = self.start - dt.timedelta(days=days)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now


@dataclass(frozen=True)
class Step:
    """Something a person does to the request, `days` before the build."""

    days: float
    who: str  # "rep" or "marketer"
    decision: Decision | None = None  # None: the rep resubmits with `values`
    comment: str = ""
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoRequest:
    template: str  # the start of the template's title
    customer: str
    values: dict[str, str]
    days: float  # submitted this many days before the build
    note: str = ""
    steps: tuple[Step, ...] = ()
    withdraw_after: float | None = None


def _quote(customer: str, number: int, discount: str, valid: dt.date) -> dict[str, str]:
    return {"customer": customer, "quote_number": f"Q-2026-{number:04d}", "qty_0": "6",
            "qty_1": "150", "discount": discount, "valid_until": valid.isoformat(),
            "note": "Includes commissioning and a two-day on-site training."}  # fmt: skip


def requests(today: dt.date) -> tuple[DemoRequest, ...]:
    valid = today + dt.timedelta(days=45)
    brochure = "Co-branded brochure"
    return (
        DemoRequest("Price quote", "Harlow Foods", _quote("Harlow Foods Ltd.", 101, "7.5", valid),
                    9),
        DemoRequest("Price quote", "Northwind Foods", _quote("Northwind Foods", 102, "12.5", valid),
                    0.1, "Three-year deal; they compare us with Falcon Automation."),
        DemoRequest("Price quote", "Bavaria Brauerei", _quote("Bavaria Brauerei GmbH", 103, "15", valid),
                    6, "Competitive tender closing on Friday."),
        DemoRequest("Price quote", "Contoso Dairy", _quote("Contoso Dairy", 104, "12", valid), 8,
                    "Second site; same terms as the first.",
                    (Step(7.8, "marketer", Decision.APPROVE, "Fine for a second site."),)),
        DemoRequest("Price quote", "Fabrikam Packaging",
                    _quote("Fabrikam Packaging", 105, "14", valid), 7, "They asked for 14 %.",
                    (Step(6.7, "marketer", Decision.APPROVE_WITH_EDITS, "12 % is the most we "
                          "give a first order.", {"discount": "12"}),)),
        DemoRequest(brochure, "Alpine Bottling",
                    {"customer": "Alpine Bottling", "headline": "The best maintenance in the world"},
                    5, "Their CEO liked this line.",
                    (Step(4.6, "marketer", Decision.REQUEST_CHANGES,
                          "We cannot claim “the best in the world”; say what they measured."),)),
        DemoRequest("Price quote", "Tailspin Snacks", _quote("Tailspin Snacks", 106, "15", valid),
                    4, "Price match with a competitor.",
                    (Step(3.9, "marketer", Decision.REJECT,
                          "We do not price-match Falcon; offer the training bundle instead."),)),
        DemoRequest("Price quote", "Adatum Foods", _quote("Adatum Foods", 107, "11", valid), 3,
                    withdraw_after=2.9),
        DemoRequest(brochure, "Cascade Beverages",
                    {"customer": "Cascade Beverages", "headline": "Cascade never stops the line"}, 4,
                    "For their trade-show booth.",
                    (Step(3.5, "marketer", Decision.REQUEST_CHANGES,
                          "“Never” is a promise we cannot keep."),
                     Step(1.2, "rep", values={"customer": "Cascade Beverages",
                                              "headline": "41 % less unplanned downtime at Cascade"}))),
        DemoRequest(brochure, "Lakeside Creamery",
                    {"customer": "Lakeside Creamery", "headline": "Lakeside plans repairs a month ahead"},
                    2, steps=(Step(1.8, "marketer", Decision.APPROVE),)),
        DemoRequest("Event invitation", "Woodgrove Mills",
                    {"guest": "Dana Weiss, Woodgrove Mills",
                     "event_date": (today + dt.timedelta(days=21)).isoformat(),
                     "venue": "Online (Teams)", "rsvp": "riley.chen@kestrel-systems.example"}, 1),
        DemoRequest(brochure, "Northwind Foods",
                    {"customer": "Northwind Foods", "headline": "Northwind cut downtime by 41 %"},
                    0.3, "Same deal as the quote."),
    )  # fmt: skip


def add_history(services, clock: HistoryClock) -> None:  # type: ignore[no-untyped-def]
    """Submit and decide the demo's requests, every step in time order on `clock` (the
    audit chain is in time order too)."""
    people = {p.role: p.id for p in services.people.list_all()}
    who = {"rep": people[Role.REP], "marketer": people[Role.MARKETER]}
    templates = services.templates.list_all()
    ids: dict[int, str] = {}

    def submit(n: int, item: DemoRequest) -> None:
        template = next(t.id for t in templates if t.title.startswith(item.template))
        detail, _ = services.requests.submit(template, item.values, customer=item.customer,
                                             note=item.note)  # fmt: skip
        ids[n] = detail.request.id

    def take(n: int, item: DemoRequest, step: Step) -> None:
        if step.decision is None:
            services.requests.resubmit(ids[n], step.values)
        else:
            edited = {**item.values, **step.values} if step.values else None
            services.requests.decide(ids[n], step.decision, step.comment, edited)

    def withdraw(n: int) -> None:
        services.requests.withdraw(ids[n])

    moments: list[tuple[float, str, Callable[[], None]]] = []
    for n, item in enumerate(requests(clock.start.date())):
        moments.append((item.days, "rep", partial(submit, n, item)))
        moments += [(step.days, step.who, partial(take, n, item, step)) for step in item.steps]
        if item.withdraw_after is not None:
            moments.append((item.withdraw_after, "rep", partial(withdraw, n)))
    for days, person, act in sorted(moments, key=lambda moment: -moment[0]):
        clock.at(days)
        services.people.sign_in(who[person])
        act()
