"""`satchel demo --hub URL PATH`: the demo as a team. The hub gets the demo's rep and
marketer as people, the marketer's library (the demo library at PATH) sends its
collateral and templates to the hub, and a rep's library (PATH-rep, new) fetches them —
two libraries, two windows, the whole loop on one computer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from satchel.core.demo.content import USERS
from satchel.core.domain.users import Role
from satchel.core.hub import credentials
from satchel.core.services.facade import Services
from satchel.core.services.hub import HubAdmin


@dataclass(frozen=True)
class DemoSeat:
    """One person of the demo team and the library they open."""

    name: str
    role: str
    library: Path
    login: str
    password: str  # one-time, shown once; kept in the keyring when there is one
    kept: bool


def seed_demo_hub(admin_url: str, path: Path) -> tuple[list[DemoSeat], int]:
    """Build the demo at `path` and a rep's library beside it, both meeting the hub at
    `admin_url` (an admin's address); the seats, and how many assets reached the hub."""
    hub = HubAdmin(admin_url)
    rep_path = path.with_name(path.name + "-rep")
    seats = []
    marketer_library = Services.build_demo(path)
    try:
        admin = next(u[1] for u in USERS if u[2] == "admin")
        marketer_library.people.sign_in(admin)
        marketer_library.sync.keep_outbox_local()  # the demo's request history is its own
        sent = 0
        team = sorted(
            (u for u in USERS if u[2] in ("rep", "marketer")), key=lambda u: u[2] != "marketer"
        )
        for name, email, role, title, phone, territory in team:  # the marketer sends first
            created, password = hub.add_user(name, email, Role(role), title, phone, territory)
            address = credentials.with_user(admin_url, str(created["login"]))
            kept = credentials.store(address, password)
            library = path if role == "marketer" else rep_path
            seats.append(DemoSeat(name, role, library, str(created["login"]), password, kept))
            signed = credentials.with_password(address, password)
            if role == "marketer":
                marketer_library.people.sign_in(email)
                sent = marketer_library.sync.now(signed).published.assets
            else:
                with Services.open(rep_path, create=True) as rep:
                    rep.people.acting_user(None, Role.REP, name)
                    rep.sync.now(signed)
    finally:
        marketer_library.close()
    return seats, sent
