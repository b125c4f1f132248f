"""The administrator's view of the hub: people and their roles, the hub's state, and the
audit chain as stored. Every change goes through the `api` functions, so the server
checks the caller's rights; reads go through row-level security."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from satchel.core.domain.permissions import Capability, refusal
from satchel.core.domain.users import Role
from satchel.core.errors import PermissionDeniedError
from satchel.core.hub.connection import connect, hub_errors, where
from satchel.core.hub.scram import new_password, verifier

COUNTED = ("profiles", "assets", "asset_versions", "blobs", "template_versions", "requests",
           "request_events", "generated_documents", "usage_events", "feedback",
           "search_demand", "devices")  # fmt: skip


@dataclass(frozen=True)
class HubPerson:
    email: str
    name: str
    role: str
    login: str
    territory: str
    active: bool


@dataclass(frozen=True)
class HubDevice:
    owner: str
    name: str
    last_seen: str  # ISO time, or "" when never
    last_pull_revision: int


@dataclass(frozen=True)
class HubStatus:
    where: str
    schema_revision: str | None
    revision: int  # the last server revision given out
    epoch: str
    counts: dict[str, int]
    devices: list[HubDevice]
    database_bytes: int


class HubClient:
    """One person's connection to the hub (their own login: the server knows who)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._engine = connect(url)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> HubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def value(self, sql: str, **params: Any) -> Any:
        """The first column of the first row of `sql`, in its own transaction."""
        with hub_errors(self.url), self._engine.begin() as connection:
            return connection.execute(text(sql), params).scalar()

    def rows(self, sql: str, **params: Any) -> list[Any]:
        with hub_errors(self.url), self._engine.begin() as connection:
            return list(connection.execute(text(sql), params))

    def whoami(self) -> dict[str, str]:
        return dict(self.value("SELECT api.whoami()"))

    def require_admin(self) -> None:
        """Refuse, with the laptop's own sentence, unless the caller is an admin."""
        role = Role(self.whoami()["role"])
        if role is not Role.ADMIN:
            raise PermissionDeniedError(refusal(role, Capability.MANAGE_USERS))

    def add_user(self, name: str, email: str, role: Role, title: str = "", phone: str = "",
                 territory: str = "") -> tuple[dict[str, str], str]:  # fmt: skip
        """The new person's login and a one-time password (shown once, never stored)."""
        password = new_password()
        created = self.value(
            "SELECT api.add_user(:name, :email, :role, :verifier, :title, :phone, :territory)",
            name=name, email=email, role=role.value, verifier=verifier(password), title=title,
            phone=phone, territory=territory,
        )  # fmt: skip
        return dict(created), password

    def set_role(self, email: str, role: Role) -> dict[str, str]:
        return dict(self.value("SELECT api.set_role(:email, :role)", email=email, role=role.value))

    def remove_user(self, email: str) -> dict[str, str]:
        return dict(self.value("SELECT api.remove_user(:email)", email=email))

    def people(self) -> list[HubPerson]:
        self.require_admin()
        return [HubPerson(*row) for row in self.rows(
            "SELECT email, name, role, login, territory, active FROM satchel.profiles "
            "WHERE NOT deleted ORDER BY active DESC, lower(name)")]  # fmt: skip

    def status(self) -> HubStatus:
        self.require_admin()
        counted = ", ".join(f"(SELECT count(*) FROM satchel.{table} WHERE NOT deleted)"
                            for table in COUNTED)  # fmt: skip
        counts = dict(zip(COUNTED, map(int, self.rows(f"SELECT {counted}")[0]), strict=True))
        revision, epoch, schema, size = self.rows(
            "SELECT CASE WHEN r.is_called THEN r.last_value ELSE 0 END, s.epoch::text, "
            "(SELECT version_num FROM satchel.alembic_version), "
            "pg_database_size(current_database()) FROM satchel.revisions r, satchel.hub_state s"
        )[0]  # fmt: skip
        devices = [HubDevice(owner, name or "", seen.isoformat() if seen else "", int(pulled))
                   for owner, name, seen, pulled in self.rows(
                       "SELECT p.name, d.name, d.last_seen, d.last_pull_rev FROM satchel.devices d "
                       "JOIN satchel.profiles p ON p.id = d.profile_id "
                       "ORDER BY d.last_seen DESC NULLS LAST")]  # fmt: skip
        return HubStatus(where(self.url), schema, int(revision), epoch, counts, devices, int(size))

    def audit_links(self, batch: int = 5000) -> Iterator[tuple[int, str, str, str]]:
        """(sequence, text, previous, hash) of every event, in chain order, in batches."""
        self.require_admin()
        after = 0
        while True:
            rows = self.rows("SELECT sequence, text, previous, hash FROM satchel.request_events "
                             "WHERE sequence > :after ORDER BY sequence LIMIT :batch",
                             after=after, batch=batch)  # fmt: skip
            if not rows:
                return
            for row in rows:
                yield int(row[0]), row[1], row[2], row[3]
            after = int(rows[-1][0])

    def audit_head(self) -> tuple[int, str]:
        row = self.rows("SELECT chain_sequence, chain_head FROM satchel.hub_state")[0]
        return int(row[0]), row[1]
