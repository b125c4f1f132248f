"""The team hub's administration as use cases: set it up, manage its people, see its
state, check its audit chain. These need no library: they talk to the hub only."""

from __future__ import annotations

import hashlib

from satchel.core.domain.documents import Verification
from satchel.core.domain.users import Role
from satchel.core.hub import credentials
from satchel.core.hub.admin import HubClient, HubPerson, HubStatus
from satchel.core.hub.bootstrap import InitReport, init_hub
from satchel.core.workflow.audit import Link, verify

__all__ = ["HubAdmin", "HubPerson", "HubStatus", "InitReport"]


class HubAdmin:
    """What `satchel hub …` does, as the person whose login is in the hub address."""

    def __init__(self, url: str) -> None:
        self.url = url

    @staticmethod
    def login(url: str, login: str, password: str) -> tuple[dict[str, str], str, bool]:
        """Check the login against the hub, then keep its password in the keyring:
        (who the hub says this is, the address to remember, whether a keyring kept it)."""
        address = credentials.with_user(url, login)
        with HubClient(credentials.with_password(address, password)) as hub:
            who = hub.whoami()
        return who, address, credentials.store(address, password)

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

    def verify_document(self, pdf: bytes) -> Verification:
        """What the hub knows of these exact bytes: whose document, of which request,
        approved by whom. Anyone on the team may ask."""
        with HubClient(self.url) as hub:
            found = hub.value("SELECT api.verify_document(:sha)",
                              sha=hashlib.sha256(pdf).hexdigest())  # fmt: skip
        if not found:
            return Verification(False, "The team hub has no record of this file: it is not an "
                                       "unmodified document made by anyone on the team.")  # fmt: skip
        state = "a draft" if found["draft"] else "final"
        request = ""
        if found.get("request"):
            request = f", request {found['request']} round {found['request_round']}"
            if found.get("decided_by"):
                request += (f", {str(found['state']).replace('_', ' ')} by "
                            f"{found['decided_by']} at {str(found['decided_at'])[:16]} UTC")  # fmt: skip
        return Verification(
            True,
            f"On the team hub: “{found['template']}” version {found['template_version']}"
            f"{request}, {state}, made by {found['made_by']} on {str(found['made_at'])[:16]} UTC.",
            template_title=str(found["template"]), version=int(found["template_version"]),
            request_id=str(found.get("request") or ""), draft=bool(found["draft"]),
            made_by=str(found["made_by"]),
        )  # fmt: skip

    def verify_audit(self) -> tuple[int, str | None]:
        """(events checked, None when the chain is whole, else the first break)."""
        with HubClient(self.url) as hub:
            links = [Link(*row) for row in hub.audit_links()]
            return len(links), verify(links, hub.audit_head())
