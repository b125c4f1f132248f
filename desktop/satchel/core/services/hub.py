"""The team hub's administration as use cases: set it up, manage its people, see its
state, check its audit chain. These need no library: they talk to the hub only."""

from __future__ import annotations

from satchel.core.domain.users import Role
from satchel.core.hub.admin import HubClient, HubPerson, HubStatus
from satchel.core.hub.bootstrap import InitReport, init_hub
from satchel.core.workflow.audit import Link, verify

__all__ = ["HubAdmin", "HubPerson", "HubStatus", "InitReport"]


class HubAdmin:
    """What `satchel hub …` does, as the person whose login is in the hub address."""

    def __init__(self, url: str) -> None:
        self.url = url

    def init(self, admin: tuple[str, str] | None = None) -> InitReport:
        """Create or upgrade the hub (an owner connection: see core/hub/bootstrap.py)."""
        return init_hub(self.url, admin)

    def add_user(self, name: str, email: str, role: Role, title: str = "", phone: str = "",
                 territory: str = "") -> tuple[dict[str, str], str]:  # fmt: skip
        with HubClient(self.url) as hub:
            return hub.add_user(name, email, role, title, phone, territory)

    def set_role(self, email: str, role: Role) -> dict[str, str]:
        with HubClient(self.url) as hub:
            return hub.set_role(email, role)

    def remove_user(self, email: str) -> dict[str, str]:
        with HubClient(self.url) as hub:
            return hub.remove_user(email)

    def people(self) -> list[HubPerson]:
        with HubClient(self.url) as hub:
            return hub.people()

    def status(self) -> HubStatus:
        with HubClient(self.url) as hub:
            return hub.status()

    def verify_audit(self) -> tuple[int, str | None]:
        """(events checked, None when the chain is whole, else the first break)."""
        with HubClient(self.url) as hub:
            links = [Link(*row) for row in hub.audit_links()]
            return len(links), verify(links, hub.audit_head())
