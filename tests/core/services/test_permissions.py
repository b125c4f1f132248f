"""Every service call that changes something (or reads what is personal) × every role,
against a real demo library: the service itself refuses, with the sentence."""

from __future__ import annotations

import datetime as dt
import inspect
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from satchel.app import main
from satchel.core.domain.permissions import Capability, allows, refusal
from satchel.core.domain.requests import Decision
from satchel.core.domain.synonyms import Synonym
from satchel.core.domain.templates import fields_to_json
from satchel.core.domain.usage import UsageAction
from satchel.core.domain.users import Role
from satchel.core.errors import KnownError, PermissionDeniedError
from satchel.core.services import Services
from tests.conftest import DEMO_USERS, TEST_LIMITS
from tests.helpers.files import pdf_bytes, write


@dataclass
class Ctx:
    """What the calls work on, in one library."""

    services: Services
    scratch: Path
    asset: str
    quote: str
    other_user: str
    document: str  # one the acting user generated
    collection: str
    request: str  # one someone else submitted, waiting for a decision
    mine: str  # one the acting user submitted, approved at once


def _insight(name: str) -> Callable[[Ctx], object]:
    """An insights panel of the last 90 days."""
    return lambda c: getattr(c.services.insights, name)(c.services.insights.period())


def _values() -> dict[str, str]:
    valid = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    return {"customer": "Harlow Foods", "quote_number": "Q-2026-0007", "discount": "5",
            "valid_until": valid}  # fmt: skip


pytestmark = pytest.mark.slow  # once per `make test` (the Qt-free pass skips it)


def _past_the_check(call: Callable[[], object]) -> None:
    """Calls that fail after their permission check in this library (no hub here, no
    such conflict): only a refusal of the permission counts."""
    try:
        call()
    except PermissionDeniedError:
        raise
    except KnownError:
        pass


# name → (capability needed, the call). Order matters: destructive calls come last.
MATRIX: dict[str, tuple[Capability, Callable[[Ctx], object]]] = {
    "assets.import_paths": (Capability.IMPORT, lambda c: c.services.assets.import_paths(
        [write(c.scratch / "n.pdf", pdf_bytes(title="Matrix import"))])),
    "assets.new_version": (Capability.NEW_VERSION, lambda c: c.services.assets.new_version(
        c.asset, write(c.scratch / "v.pdf", pdf_bytes(title="Matrix version")))),
    "assets.update_metadata": (Capability.EDIT_METADATA, lambda c: c.services.assets.update_metadata(c.asset, {"title": "X"})),
    "collections.create": (Capability.MANAGE_COLLECTIONS, lambda c: c.services.collections.create("C", [c.asset])),
    "collections.rename": (Capability.MANAGE_COLLECTIONS, lambda c: c.services.collections.rename(
        c.collection, "Renamed")),
    "collections.add_assets": (Capability.MANAGE_COLLECTIONS, lambda c: c.services.collections.add_assets(
        c.collection, [c.asset])),
    "collections.move": (Capability.MANAGE_COLLECTIONS, lambda c: c.services.collections.move(
        c.collection, c.services.collections.members(c.collection)[0], 1)),
    "collections.remove_assets": (Capability.MANAGE_COLLECTIONS, lambda c: c.services.collections.remove_assets(
        c.collection, [c.asset])),
    "collections.share": (Capability.MANAGE_COLLECTIONS, lambda c: c.services.collections.share(
        c.collection, [Role.REP], ["EMEA"])),
    "collections.delete": (Capability.MANAGE_COLLECTIONS, lambda c: c.services.collections.delete(
        c.collection)),
    "templates.publish": (Capability.PUBLISH_TEMPLATES, lambda c: c.services.templates.publish(
        c.services.templates.get(c.quote).asset_id, fields_to_json(c.services.templates.get(c.quote).fields))),
    "templates.draft": (Capability.PUBLISH_TEMPLATES, lambda c: c.services.templates.draft(
        c.services.templates.get(c.quote).asset_id, [], "Draft")),
    "templates.generate": (Capability.CUSTOMIZE, lambda c: c.services.templates.generate(c.quote, _values())),
    "templates.save_customization": (Capability.SUBMIT_REQUESTS, lambda c: c.services.templates.save_customization(
        c.services.templates.get(c.quote), _values())),
    "assets.record_usage": (Capability.VIEW, lambda c: c.services.assets.record_usage(c.asset, UsageAction.VIEWED)),
    "assets.shareable_copy": (Capability.VIEW, lambda c: c.services.assets.shareable_copy(c.asset, UsageAction.COPIED)),
    "documents.shareable_copy": (Capability.CUSTOMIZE, lambda c: c.services.documents.shareable_copy(
        c.document)),
    "assets.export_copy": (Capability.VIEW, lambda c: c.services.assets.export_copy(c.asset, c.scratch / "copy.pdf")),
    "requests.submit": (Capability.SUBMIT_REQUESTS, lambda c: c.services.requests.submit(
        c.quote, {**_values(), "discount": "12.5"}, customer="Matrix")),
    "requests.queue": (Capability.DECIDE_REQUESTS, lambda c: c.services.requests.queue()),
    "requests.export_audit": (Capability.DECIDE_REQUESTS, lambda c: c.services.requests.export_audit(
        c.scratch / "audit.csv")),
    "requests.decide": (Capability.DECIDE_REQUESTS, lambda c: c.services.requests.decide(
        c.request, Decision.APPROVE, "Fine")),
    "requests.final_document": (Capability.CUSTOMIZE, lambda c: c.services.requests.final_document(c.mine)),
    "requests.resubmit": (Capability.SUBMIT_REQUESTS, lambda c: c.services.requests.resubmit(
        c.mine, {**_values(), "discount": "12.5"})),
    "requests.withdraw": (Capability.SUBMIT_REQUESTS, lambda c: c.services.requests.withdraw(c.mine)),
    "search.set_synonyms": (Capability.MANAGE_SYNONYMS, lambda c: c.services.search.set_synonyms(
        [Synonym("spec sheet", "datasheet")])),
    "search.record_low_result": (Capability.VIEW, lambda c: c.services.search.record_low_result("zzz", 0)),
    "search.low_result_searches": (Capability.SEE_OTHERS_ACTIVITY, lambda c: c.services.search.low_result_searches()),
    "people.update": (Capability.MANAGE_USERS, lambda c: c.services.people.update(
        c.other_user, {"title": "Changed"})),
    "people.update (own details)": (Capability.VIEW, lambda c: c.services.people.update(
        c.services.actor.id, {"title": "Mine"})),  # type: ignore[union-attr]
    "people.update (own role)": (Capability.MANAGE_USERS, lambda c: c.services.people.update(
        c.services.actor.id, {"role": c.services.actor.role.value})),  # type: ignore[union-attr]
    "people.add": (Capability.MANAGE_USERS, lambda c: c.services.people.add("New", "new@x.test", Role.REP)),
    "people.add_owner": (Capability.MANAGE_USERS, lambda c: c.services.people.add_owner("someone", Role.REP)),
    "people.mark_demo": (Capability.POLICY, lambda c: c.services.people.mark_demo()),
    "sync.now": (Capability.VIEW, lambda c: _past_the_check(
        lambda: c.services.sync.now("postgresql://nobody@localhost:1/satchel"))),
    "sync.resolve": (Capability.EDIT_METADATA, lambda c: _past_the_check(
        lambda: c.services.sync.resolve("no-such-conflict", {}))),
    "sync.keep_outbox_local": (Capability.POLICY, lambda c: c.services.sync.keep_outbox_local()),
    "feedback.give": (Capability.GIVE_FEEDBACK, lambda c: c.services.feedback.give(
        c.asset, "yes", account="Harlow Foods", rating=4)),
    "feedback.record_outcome": (Capability.GIVE_FEEDBACK, lambda c: c.services.feedback.record_outcome(
        "Harlow Foods", "won")),
    "feedback.team": (Capability.SEE_OTHERS_ACTIVITY, lambda c: c.services.feedback.team()),
    "assets.record_presentation": (Capability.VIEW, lambda c: c.services.assets.record_presentation(
        c.asset, 30.0, {1: 20.0, 2: 10.0})),
    "notes.note": (Capability.GIVE_FEEDBACK, lambda c: c.services.notes.note("Acme", "30 % off")),
    "notes.triage": (Capability.SEE_OTHERS_ACTIVITY, lambda c: c.services.notes.triage(
        c.services.notes.notes()[0].note.id, tags=["price"])),
    "notes.keep_competitor": (Capability.EDIT_METADATA, lambda c: c.services.notes.keep_competitor(
        "Acme", ["Acme Edge"])),
    "notes.keep_objection_tags": (Capability.EDIT_METADATA,
                                  lambda c: c.services.notes.keep_objection_tags()),
    "asks.ask": (Capability.GIVE_FEEDBACK, lambda c: c.services.asks.ask("A dairy case study")),
    "asks.plus_one": (Capability.GIVE_FEEDBACK, lambda c: _past_the_check(  # one's own: counted once
        lambda: c.services.asks.plus_one(c.services.asks.asks(mine=True)[0].ask.id))),
    "asks.answer": (Capability.DECIDE_REQUESTS, lambda c: c.services.asks.answer(
        c.services.asks.asks()[0].ask.id, "declined", reason="We have one")),
    "asks.announce": (Capability.GIVE_FEEDBACK, lambda c: c.services.asks.announce("Dairy push")),
    **{f"insights.{name}": (Capability.SEE_OTHERS_ACTIVITY, _insight(name)) for name in (
        "utilization", "utilization_by_week", "top_assets", "turnaround", "requested_changes",
        "demand", "competitors",
        "objections", "all", "digest")},
    "insights.filter_choices": (Capability.SEE_OTHERS_ACTIVITY,
                                lambda c: c.services.insights.filter_choices()),
    "campaigns.save": (Capability.EDIT_METADATA, lambda c: c.services.campaigns.save(
        "Spring launch", "2027-03-01")),
    "campaigns.cancel": (Capability.EDIT_METADATA, lambda c: _past_the_check(
        lambda: c.services.campaigns.cancel("none such"))),
    "insights.wastebasket": (Capability.SEE_OTHERS_ACTIVITY,
                             lambda c: c.services.insights.wastebasket()),
    "insights.influence": (Capability.SEE_OTHERS_ACTIVITY, lambda c: c.services.insights.influence()),
    "insights.pack": (Capability.SEE_OTHERS_ACTIVITY, lambda c: c.services.insights.pack(
        c.services.insights.period(days=7), c.scratch / "pack.pdf")),
    "care.check": (Capability.REPAIR, lambda c: c.services.care.check(repair=True)),
    "care.backup": (Capability.BACKUP, lambda c: c.services.care.backup()),
    "care.restore": (Capability.RESTORE, lambda c: c.services.care.restore(c.services.care.list_backups()[0])),
}  # fmt: skip
# Calls that change nothing anyone else sees, or only derived data (the index), or that
# choose who acts: not in the matrix, but named so a new method must be placed.
OPEN_TO_ALL = {
    "search.find", "search.ensure_index", "search.reindex", "search.synonyms",
    "assets.list_all", "assets.get", "assets.blob_path", "assets.thumbnail_path", "assets.thumbnail",
    "sync.status", "sync.conflicts", "sync.address", "sync.identity", "sync.login",
    "feedback.mine", "feedback.outcomes_due", "feedback.outcome_of", "feedback.accounts",
    "notes.notes", "notes.objections", "notes.competitors", "notes.objection_tags",
    "notes.suggest_tags", "asks.similar", "asks.asks", "asks.fulfilled", "asks.initiatives",
    "field_export.csv", "insights.period", "campaigns.list_all", "campaigns.get",
    "campaigns.of_asset",
    "assets.page_image", "assets.suggested_file_name", "assets.recently_used",
    "assets.expiring_soon", "assets.updated_since_used", "collections.list_all", "collections.members",
    "documents.mine", "documents.provenance", "requests.get", "requests.mine", "requests.news",
    "requests.mark_news_seen", "requests.verify_audit", "requests.review_due",
    "templates.generate_approved",  # only for services.requests, after its own checks
    "templates.list_all", "templates.get", "templates.check_values", "templates.preview",
    "templates.verify", "templates.list_customizations", "templates.save_document",
    "people.list_all", "people.find", "people.is_demo", "people.sign_in", "people.acting_user",
    "people.may", "people.require", "care.summary", "care.list_backups", "care.keep_backups",
    "care.mark_index_stale", "close", "open", "build_demo", "backups_of", "restore_library",
    "actor", "root", "read_only", "library_id", "today", "writer_lane",
}  # fmt: skip
AREAS = ("assets", "search", "collections", "templates", "documents", "people", "care", "requests",
         "sync", "feedback", "notes", "asks", "field_export", "campaigns", "insights")  # fmt: skip


def _public(cls: type) -> set[str]:
    return {name for name, _ in inspect.getmembers(cls) if not name.startswith("_")}


def test_every_public_service_method_has_a_row(demo_dir: Path) -> None:
    with Services.open(demo_dir, read_only=True) as services:
        areas = {area: type(getattr(services, area)) for area in AREAS}
    public = (_public(Services) - set(AREAS)) | {
        f"{area}.{name}" for area, cls in areas.items() for name in _public(cls)
    }
    rows = {name.split(" ")[0] for name in MATRIX}
    assert public - rows - OPEN_TO_ALL == set(), "a new service method needs a matrix row"
    assert (rows | OPEN_TO_ALL) - public == set()


@pytest.fixture(scope="module")
def role_libraries(
    demo_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[Role, Path]:
    root = tmp_path_factory.mktemp("roles")
    return {role: Path(shutil.copytree(demo_template, root / role.value)) for role in Role}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_may_do_exactly_what_the_table_says(role: Role, role_libraries: dict[Role, Path],
                                                      tmp_path: Path) -> None:  # fmt: skip
    with Services.open(role_libraries[role], limits=TEST_LIMITS, workers=1) as services:
        services.people.sign_in(DEMO_USERS[role.value])
        services.people.sign_in(DEMO_USERS["admin"])
        services.care.backup()  # something to restore
        me = services.people.sign_in(DEMO_USERS[role.value])
        other = next(p for p in services.people.list_all() if p.id != me.id)
        asset = next(a.id for a in services.assets.list_all() if a.file_type.value == "pdf")
        quote = next(
            t.id for t in services.templates.list_all() if t.title.startswith("Price quote")
        )
        made, _ = services.templates.generate(quote, _values())
        collection = services.collections.list_all()[0].id
        mine = services.requests.submit(quote, _values(), customer="Mine")[0].request.id
        services.people.sign_in(other.id)
        theirs = services.requests.submit(
            quote, {**_values(), "discount": "12.5"}, customer="Theirs"
        )
        services.people.sign_in(me.id)
        ctx = Ctx(services, tmp_path, asset, quote, other.id, made.id, collection,
                  theirs[0].request.id, mine)  # fmt: skip
        for name, (capability, call) in MATRIX.items():
            services.people.sign_in(me.id)
            if allows(role, capability):
                call(ctx)
            else:
                with pytest.raises(PermissionDeniedError) as refused:
                    call(ctx)
                assert str(refused.value) == refusal(role, capability), name


def test_nobody_removes_the_last_admin(role_libraries: dict[Role, Path]) -> None:
    with Services.open(role_libraries[Role.ADMIN], workers=1) as services:
        admin = services.people.sign_in(DEMO_USERS["admin"])
        with pytest.raises(PermissionDeniedError, match="last admin"):
            services.people.update(admin.id, {"role": "rep"})


def test_the_cli_refuses_a_rep_and_lets_a_marketer(demo_dir: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    with Services.open(demo_dir, read_only=True) as services:
        asset = services.assets.list_all()[0].id
    lib = ["--library", str(demo_dir)]
    code = main([*lib, "--user", DEMO_USERS["rep"], "set", asset, "title=x"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.strip() == ("satchel: Only marketers and admins can edit asset details; you are "
                           "signed in as a rep.")  # fmt: skip
    assert main([*lib, "--user", DEMO_USERS["marketer"], "set", asset, "title=x"]) == 0
    assert main([*lib, "set", asset, "title=y", "--user", DEMO_USERS["rep"]]) == 1  # after, too
    capsys.readouterr()
    assert main([*lib, "--user", DEMO_USERS["marketer"], "users", "add", "Kim", "kim@x.test",
                 "--role", "rep"]) == 1  # fmt: skip
    assert "Only admins can manage users" in capsys.readouterr().err
    assert main([*lib, "--user", DEMO_USERS["admin"], "users", "add", "Kim", "kim@x.test",
                 "--role", "rep", "--json"]) == 0  # fmt: skip
    assert main([*lib, "--user", DEMO_USERS["admin"], "users", "set", "kim@x.test",
                 "role=marketer"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "kim@x.test" in out and "marketer" in out
    assert main([*lib, "--user", "kim@x.test", "users", "set", "kim@x.test", "role=admin"]) == 1
    assert "Only admins" in capsys.readouterr().err
    assert main([*lib, "--user", DEMO_USERS["rep"], "users", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 4
