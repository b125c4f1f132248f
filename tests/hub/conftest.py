"""A real PostgreSQL server for the hub's tests, started per test worker.

Outside CI a machine without PostgreSQL skips these tests with the reason; in CI
(SATCHEL_REQUIRE_HUB=1) a server that cannot start fails them instead.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from keyrings.alt.file import PlaintextKeyring

from satchel.core.domain.users import Role
from satchel.core.services.hub import HubAdmin
from tests.helpers import hub_server
from tests.helpers.hub_server import HubServer

psycopg = pytest.importorskip("psycopg", reason="the hub extra (psycopg) is not installed")
from psycopg.types.json import Jsonb  # noqa: E402 - only once the skip above has passed


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/hub/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.hub)


@pytest.fixture(scope="session")
def server() -> Iterator[HubServer]:
    try:
        started = hub_server.start()
    except hub_server.NoServer as reason:
        if os.environ.get("SATCHEL_REQUIRE_HUB") == "1":
            pytest.fail(f"SATCHEL_REQUIRE_HUB=1 but {reason}")
        pytest.skip(f"no PostgreSQL server for the hub tests: {reason}")
    yield started
    started.stop()


@dataclass
class Person:
    name: str
    email: str
    role: Role
    login: str
    password: str
    url: str

    def connect(self, **options: Any) -> psycopg.Connection[Any]:
        """A plain psycopg connection as this person: SQL as any client could send it."""
        return psycopg.connect(self.url, autocommit=True, **options)

    def call(self, sql: str, *params: Any) -> Any:
        with self.connect() as connection:
            row = connection.execute(sql, params).fetchone()
            return row[0] if row else None


@dataclass
class Team:
    """A hub in its own database: an admin, two marketers, two reps, one published
    template with a self-service discount envelope of 0–10 % inside hard limits 0–30 %."""

    server: HubServer
    database: str
    owner_url: str  # the superuser's, for what only an owner or superuser can try
    people: dict[str, Person] = field(default_factory=dict)
    template_version_id: str = ""
    template_id: str = ""
    asset_id: str = ""
    draft_asset_id: str = ""

    def __getitem__(self, key: str) -> Person:
        return self.people[key]

    def submit(self, who: str, values: dict[str, str], auto_approve: bool = False,
               request_id: str | None = None, mutation: str | None = None) -> dict[str, Any]:  # fmt: skip
        body = {"id": request_id or str(uuid.uuid4()), "template_version_id":
                self.template_version_id, "values": values, "values_sha256": "0" * 64,
                "customer": "Northwind", "auto_approve": auto_approve}  # fmt: skip
        return dict(self[who].call("SELECT api.submit_request(%s, %s)",
                                   mutation or str(uuid.uuid4()), Jsonb(body)))  # fmt: skip

    def record_final_document(self, who: str, request_id: str, output_sha256: str) -> None:
        """Record, as `who`, the final document of round 1 of their request."""
        body = {"id": str(uuid.uuid4()), "template_version_id": self.template_version_id,
                "values": {"discount": "20"}, "values_hash": "0" * 64, "draft": False,
                "output_sha256": output_sha256, "request_id": request_id,
                "request_round": 1}  # fmt: skip
        self[who].call("SELECT api.record_document(%s, %s)", str(uuid.uuid4()), Jsonb(body))


FIELDS = [
    {"key": "customer", "label": "Customer", "kind": "text", "policy": "self_service",
     "default": "", "limits": {"required": True}},
    {"key": "discount", "label": "Discount", "kind": "percent", "policy": "self_service",
     "default": "5", "limits": {"minimum": 0, "maximum": 30, "envelope_min": 0,
                                "envelope_max": 10}},
    {"key": "plan", "label": "Plan", "kind": "choice", "policy": "self_service",
     "default": "Basic", "limits": {"choices": ["Basic", "Pro"]}},
    {"key": "headline", "label": "Headline", "kind": "text", "policy": "approval",
     "default": "Built for uptime", "limits": {}},
]  # fmt: skip
for _row, _spec in enumerate(FIELDS):  # where each goes, so a laptop can use the template too
    _spec["placement"] = {"page": 1, "x": 72, "y": 700 - 40 * _row, "width": 300, "height": 24}


def make_team(server: HubServer) -> Team:
    database = f"team_{secrets.token_hex(4)}"
    with psycopg.connect(server.url(), autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {database}")
    owner_url = server.url(database=database)
    suffix = database[-8:]
    admin_email = f"sam.{suffix}@example.com"
    report = HubAdmin(owner_url).init(("Sam Okafor", admin_email))
    team = Team(server, database, owner_url)

    def person(name: str, email: str, role: Role, login: str, password: str) -> Person:
        url = server.url(login.replace("@", "%40"), password, database)
        return Person(name, email, role, login, password, url)

    team.people["admin"] = person("Sam Okafor", admin_email, Role.ADMIN, report.admin_login or "",
                                  report.admin_password or "")  # fmt: skip
    admin = HubAdmin(team["admin"].url)
    for key, name, role, territory in (("marketer", "Mara Lindqvist", Role.MARKETER, ""),
                                       ("marketer2", "Max Berger", Role.MARKETER, ""),
                                       ("rep", "Riley Chen", Role.REP, "DACH"),
                                       ("rep2", "Rosa Diaz", Role.REP, "Iberia")):  # fmt: skip
        email = f"{key}.{suffix}@example.com"
        created, password = admin.add_user(name, email, role, territory=territory)
        team.people[key] = person(name, email, role, created["login"], password)
    _publish_template(team)
    return team


def _publish_template(team: Team) -> None:
    mara = team["marketer"]
    data = b"%PDF-1.4 a tiny stand-in base file for the hub tests\n"
    sha = hashlib.sha256(data).hexdigest()
    team.asset_id, team.draft_asset_id = str(uuid.uuid4()), str(uuid.uuid4())
    version_id, team.template_id = str(uuid.uuid4()), str(uuid.uuid4())
    with mara.connect() as hub:
        hub.execute("SELECT api.publish_asset(%s, %s)", (str(uuid.uuid4()), Jsonb(
            {"id": team.asset_id, "title": "Price sheet", "kind": "template",
             "status": "published", "language": "en"})))  # fmt: skip
        hub.execute("SELECT api.publish_asset(%s, %s)", (str(uuid.uuid4()), Jsonb(
            {"id": team.draft_asset_id, "title": "Unreleased roadmap", "kind": "deck",
             "status": "draft"})))  # fmt: skip
        hub.execute("SELECT api.put_blob(%s, %s, 'pdf', 1)", (sha, len(data)))
        hub.execute("SELECT api.put_blob_chunk(%s, 0, %s)", (sha, data))
        hub.execute("SELECT api.add_asset_version(%s, %s)", (str(uuid.uuid4()), Jsonb(
            {"id": version_id, "asset_id": team.asset_id, "blob_sha256": sha,
             "original_name": "price-sheet.pdf", "page_count": 1})))  # fmt: skip
        published = hub.execute("SELECT api.publish_template(%s, %s)", (str(uuid.uuid4()), Jsonb(
            {"id": str(uuid.uuid4()), "template_id": team.template_id,
             "asset_id": team.asset_id, "base_version_id": version_id,
             "title": "Price sheet", "fields": FIELDS}))).fetchone()  # fmt: skip
        team.template_version_id = published[0]["id"]


@pytest.fixture(scope="module")
def team(server: HubServer) -> Team:
    return make_team(server)


@pytest.fixture
def file_keyring() -> Iterator[KeyringBackend]:
    """A real keyring backend that works headless: keyrings.alt's file store (its file
    in this machine's data folder for the user; each test's entries its own login's)."""
    before = keyring.get_keyring()
    backend = PlaintextKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)
