"""Offline sync against a real hub: two laptops (a rep's and a marketer's, each its own
library) meet the team through PostgreSQL, and nothing is lost or doubled."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import random
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from PIL import Image
from psycopg.types.json import Jsonb

from satchel.core.domain.campaigns import CampaignItem
from satchel.core.domain.feedback import Outcome
from satchel.core.domain.requests import Decision, RequestState
from satchel.core.domain.synonyms import Synonym
from satchel.core.domain.usage import UsageAction
from satchel.core.domain.users import Role
from satchel.core.errors import KnownError
from satchel.core.hub.bootstrap import REVISIONS
from satchel.core.services import Services
from satchel.core.services.hub import HubAdmin
from tests.helpers import hub_server, reliability
from tests.helpers.cutting_proxy import CuttingProxy
from tests.helpers.files import pdf_of_pages, write
from tests.helpers.hub_server import HubServer
from tests.hub.conftest import FIELDS, Person, Team, make_team

OUTSIDE = {
    "customer": "Northwind",
    "discount": "20",
    "plan": "Basic",
    "headline": "Built for uptime",
}  # fmt: skip  (20 % is past the 10 % envelope)


@pytest.fixture
def team(server: HubServer) -> Team:
    return make_team(server)  # each test its own hub: the counts below are exact


@pytest.fixture
def laptops(tmp_path: Path) -> Iterator[dict[str, Services]]:
    opened: dict[str, Services] = {}
    yield opened
    for services in opened.values():
        services.close()


def laptop(laptops: dict[str, Services], root: Path, name: str, role: Role) -> Services:
    """A new library as a person gets it on a new laptop: its owner's profile only."""
    services = Services.open(root / name, create=True, workers=1)
    services.people.acting_user(None, role, name)
    laptops[name] = services
    return services


def library_sql(root: Path, sql: str) -> None:
    """Change a library behind Satchel's back, as a fault would."""
    with contextlib.closing(sqlite3.connect(root / "satchel.db", isolation_level=None)) as db:
        db.execute(sql)


def synced_rep(laptops: dict[str, Services], root: Path, team: Team) -> Services:
    """Riley's new laptop after its first sync."""
    rep = laptop(laptops, root, "riley", Role.REP)
    rep.sync.now(team["rep"].url)
    return rep


def hub_holds(team: Team) -> tuple[int, int]:
    """How many requests and request steps the hub holds."""
    return (hub_count(team, "SELECT count(*) FROM satchel.requests"),
            hub_count(team, "SELECT count(*) FROM satchel.request_events"))  # fmt: skip


def hub_count(team: Team, sql: str) -> int:
    return int(team["admin"].call(sql))


def test_the_loop_a_request_reaches_marketing_and_the_decision_comes_back(
    team: Team, laptops: dict[str, Services], tmp_path: Path
) -> None:
    rep = laptop(laptops, tmp_path, "riley", Role.REP)
    first = rep.sync.now(team["rep"].url)
    assert first.identity and rep.people.list_all()  # the profile took the hub's id
    me = next(p for p in rep.people.list_all() if p.email == team["rep"].email)
    assert (me.id, me.role) == (first.identity, Role.REP)
    assert first.files == 1 and first.pulled > 0 and not first.refused
    template = rep.templates.get(team.template_id)
    assert template.title == "Price sheet"
    titles = {a.metadata.title for a in rep.assets.list_all()}
    assert "Price sheet" in titles and "Unreleased roadmap" not in titles  # drafts stay on the hub

    detail, _ = rep.requests.submit(team.template_id, OUTSIDE, customer="Northwind")
    assert detail.summary.state is RequestState.SUBMITTED
    sent = rep.sync.now(team["rep"].url)
    assert (sent.pushed, sent.refused) == (1, [])
    assert hub_count(team, "SELECT count(*) FROM satchel.requests") == 1

    mara = laptop(laptops, tmp_path, "mara", Role.MARKETER)
    mara.sync.now(team["marketer"].url)
    queue, total = mara.requests.queue()
    assert total == 1 and queue[0].id == detail.summary.id
    assert queue[0].requester == "Riley Chen"
    mara.requests.decide(detail.summary.id, Decision.APPROVE, "Fine for Northwind.")
    assert mara.sync.now(team["marketer"].url).pushed == 1

    back = rep.sync.now(team["rep"].url)
    assert back.events >= 1
    decided = rep.requests.get(detail.summary.id)
    assert decided.summary.state is RequestState.APPROVED
    assert any("Fine for Northwind." in step.comment for step in decided.steps)
    assert [n.request_id for n in rep.requests.news()] == [detail.summary.id]
    for services in (rep, mara):
        count, broken = services.requests.verify_audit()
        assert broken is None and count >= 2
    # Nothing doubled anywhere: one request, one round, two steps on the hub.
    assert hub_count(team, "SELECT count(*) FROM satchel.request_rounds") == 1
    assert hub_count(team, "SELECT count(*) FROM satchel.request_events") == 2
    assert len(rep.requests.mine()) == 1


def test_a_resent_outbox_never_applies_twice(
    team: Team, laptops: dict[str, Services], tmp_path: Path
) -> None:
    rep = synced_rep(laptops, tmp_path, team)
    rep.requests.submit(team.template_id, OUTSIDE)
    rep.sync.now(team["rep"].url)
    # As after a dropped answer: the laptop never learned that the hub took it.
    library_sql(tmp_path / "riley", "UPDATE outbox SET sent_at = NULL")
    again = rep.sync.now(team["rep"].url)
    assert (again.pushed, again.refused) == (1, [])
    assert hub_holds(team) == (1, 1)  # requests, steps


def test_first_decision_wins_and_the_loser_is_told_without_blocking_the_queue(
    team: Team, laptops: dict[str, Services], tmp_path: Path
) -> None:
    rep = synced_rep(laptops, tmp_path, team)
    first, _ = rep.requests.submit(team.template_id, OUTSIDE)
    second, _ = rep.requests.submit(team.template_id, {**OUTSIDE, "discount": "15"})
    rep.sync.now(team["rep"].url)
    mara = laptop(laptops, tmp_path, "mara", Role.MARKETER)
    max_ = laptop(laptops, tmp_path, "max", Role.MARKETER)
    mara.sync.now(team["marketer"].url)
    max_.sync.now(team["marketer2"].url)
    mara.requests.decide(first.summary.id, Decision.APPROVE)
    max_.requests.decide(first.summary.id, Decision.REJECT, "Too deep a discount.")
    max_.requests.decide(second.summary.id, Decision.APPROVE)  # after the losing one
    mara.sync.now(team["marketer"].url)

    late = max_.sync.now(team["marketer2"].url)
    assert late.pushed == 1 and len(late.refused) == 1
    assert "Already approved by Mara Lindqvist" in late.refused[0]
    assert max_.requests.get(first.summary.id).summary.state is RequestState.APPROVED
    assert max_.requests.get(second.summary.id).summary.state is RequestState.APPROVED
    assert max_.sync.status().refused and max_.sync.status().waiting == 0
    rep.sync.now(team["rep"].url)
    assert {r.state for r in rep.requests.mine()} == {RequestState.APPROVED}


def test_a_hub_newer_than_the_laptop_says_update(
    team: Team, laptops: dict[str, Services], tmp_path: Path
) -> None:
    rep = synced_rep(laptops, tmp_path, team)
    rep.requests.submit(team.template_id, OUTSIDE)
    with psycopg.connect(team.owner_url, autocommit=True) as owner:
        owner.execute("UPDATE satchel.alembic_version SET version_num = '9999'")
    try:
        with pytest.raises(KnownError, match=r"was upgraded .* update Satchel"):
            rep.sync.now(team["rep"].url)
        assert rep.sync.status().waiting == 1  # nothing sent to a hub it does not know
    finally:
        with psycopg.connect(team.owner_url, autocommit=True) as owner:
            owner.execute(f"UPDATE satchel.alembic_version SET version_num = '{REVISIONS[-1]}'")
    assert rep.sync.now(team["rep"].url).pushed == 1


def test_a_reset_hub_is_answered_with_a_full_resync_not_divergence(
    team: Team, laptops: dict[str, Services], tmp_path: Path
) -> None:
    rep = synced_rep(laptops, tmp_path, team)
    rep.requests.submit(team.template_id, OUTSIDE)
    rep.sync.now(team["rep"].url)
    assets_before = len(rep.assets.list_all())
    with psycopg.connect(team.owner_url, autocommit=True) as owner:
        owner.execute("UPDATE satchel.hub_state SET epoch = gen_random_uuid()")
    again = rep.sync.now(team["rep"].url)
    assert again.full_resync and again.refused == [] and again.pulled > 0
    assert len(rep.assets.list_all()) == assets_before
    assert len(rep.requests.mine()) == 1
    assert hub_count(team, "SELECT count(*) FROM satchel.requests") == 1
    assert rep.requests.verify_audit()[1] is None


def cli_sync(root: Path, person: Person, failpoint: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "satchel", "--library", str(root), "--user", person.email,
         "sync", "--hub", person.url, "--json", "--page-size", "3"],
        capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "SATCHEL_FAILPOINT": failpoint},
    )  # fmt: skip


def test_kill_mid_pull_resumes_from_the_last_whole_page(
    team: Team, laptops: dict[str, Services], tmp_path: Path
) -> None:
    rep = laptop(laptops, tmp_path, "riley", Role.REP)
    rep.sync.now(team["rep"].url, page_size=2)  # adopt the hub identity, then start over
    clean = {a.id for a in rep.assets.list_all()}
    rep.close()
    del laptops["riley"]
    library_sql(tmp_path / "riley", "UPDATE library_info SET value = '0' WHERE key = 'hub.cursor'")
    killed = cli_sync(tmp_path / "riley", team["rep"], failpoint="sync.page:crash:after=1")
    assert killed.returncode != 0
    with Services.open(tmp_path / "riley", workers=1) as services:
        cursor = services.sync.status().cursor
        assert cursor > 0  # the first page landed with its cursor
    done = cli_sync(tmp_path / "riley", team["rep"])
    assert done.returncode == 0, done.stderr
    with Services.open(tmp_path / "riley", workers=1) as services:
        services.people.sign_in(team["rep"].email)
        assert {a.id for a in services.assets.list_all()} == clean
        assert services.care.check().ok


def test_kill_between_the_hubs_answer_and_the_local_mark_sends_once(
    team: Team, laptops: dict[str, Services], tmp_path: Path
) -> None:
    rep = synced_rep(laptops, tmp_path, team)
    rep.requests.submit(team.template_id, OUTSIDE)
    rep.close()
    del laptops["riley"]
    killed = cli_sync(tmp_path / "riley", team["rep"], failpoint="sync.sent:crash")
    assert killed.returncode != 0
    assert hub_count(team, "SELECT count(*) FROM satchel.requests") == 1  # it had landed
    done = cli_sync(tmp_path / "riley", team["rep"])
    assert done.returncode == 0, done.stderr
    assert '"pushed": 1' in done.stdout
    assert hub_holds(team) == (1, 1)  # requests, steps


def test_the_hub_unreachable_keeps_everything_for_later(
    team: Team, laptops: dict[str, Services], tmp_path: Path
) -> None:
    rep = synced_rep(laptops, tmp_path, team)
    rep.requests.submit(team.template_id, OUTSIDE)
    with pytest.raises(KnownError, match="cannot be reached"):
        rep.sync.now(team["rep"].url.replace(f":{team.server.port}", ":1"))
    assert rep.sync.status().waiting == 1
    assert rep.sync.now(team["rep"].url).pushed == 1


def _import_and_publish(marketer: Services, folder: Path) -> tuple[str, str]:
    """A marketer imports a real PDF, publishes it, and makes a template of it."""
    source = write(folder / "edge-gateway.pdf",
                   pdf_of_pages(["Edge gateway datasheet", "Wartungsvertrag details"]))  # fmt: skip
    report, _ = marketer.assets.import_paths([source])
    asset_id = str(report.results[0].asset_id)
    marketer.assets.update_metadata(asset_id, {"title": "Edge gateway datasheet",
                                               "status": "published"})  # fmt: skip
    template, _ = marketer.templates.publish(asset_id, FIELDS, "Edge gateway offer")
    return asset_id, template.id


def test_new_collateral_reaches_every_laptop_with_its_file_text_and_template(
    team: Team, laptops: dict[str, Services], tmp_path: Path
) -> None:
    mara = laptop(laptops, tmp_path, "mara", Role.MARKETER)
    mara.sync.now(team["marketer"].url)
    asset_id, template_id = _import_and_publish(mara, tmp_path)
    sent = mara.sync.now(team["marketer"].url)
    assert (sent.published.assets, sent.published.versions, sent.published.templates) == (1, 1, 1)
    assert sent.published.files == 1 and sent.published.bytes_sent > 0 and not sent.refused
    again = mara.sync.now(team["marketer"].url)  # nothing is sent twice
    assert (again.published.assets, again.published.files, again.pushed) == (0, 0, 0)

    rep = synced_rep(laptops, tmp_path, team)
    hits = rep.search.find("Wartungsvertrag").hits
    assert [hit.id for hit in hits] == [asset_id]  # the page text came with it
    assert rep.templates.get(template_id).title == "Edge gateway offer"
    sha = rep.assets.get(asset_id).versions[-1].sha256
    pdf = rep.assets.blob_path(sha).read_bytes()
    assert pdf.startswith(b"%PDF") and rep.care.check().ok
    assert rep.assets.thumbnail_path(sha) is None  # thumbnails are not synced: drawn here
    thumbnail = rep.assets.thumbnail(sha)
    assert thumbnail is not None and thumbnail.read_bytes().startswith(b"\x89PNG")
    generated, _ = rep.templates.generate(template_id, {**OUTSIDE, "discount": "5"})
    rep.search.record_low_result("predictive maintenance roi calculator", 0)
    records = rep.sync.now(team["rep"].url)
    assert records.records_pushed >= 2 and not records.refused
    assert HubAdmin(team["rep"].url).verify_document(generated.pdf).genuine  # the team can check it
    assert hub_count(team, "SELECT count(*) FROM satchel.search_demand") == 1
    assert rep.sync.now(team["rep"].url).records_pushed == 0  # each sent once

    mara.assets.update_metadata(asset_id, {"title": "Edge gateway datasheet 2027"})
    mara.sync.now(team["marketer"].url)
    rep.sync.now(team["rep"].url)
    assert rep.assets.get(asset_id).metadata.title == "Edge gateway datasheet 2027"
    mara.assets.update_metadata(asset_id, {"status": "retired"})
    mara.sync.now(team["marketer"].url)
    rep.sync.now(team["rep"].url)
    assert str(rep.assets.get(asset_id).metadata.status) == "retired"


def test_a_stale_edit_is_kept_as_a_conflict_and_resolved_field_by_field(
    team: Team, laptops: dict[str, Services], tmp_path: Path
) -> None:
    mara = laptop(laptops, tmp_path, "mara", Role.MARKETER)
    mara.sync.now(team["marketer"].url)
    asset_id, _ = _import_and_publish(mara, tmp_path)
    mara.sync.now(team["marketer"].url)
    max_ = laptop(laptops, tmp_path, "max", Role.MARKETER)
    max_.sync.now(team["marketer2"].url)

    mara.assets.update_metadata(asset_id, {"title": "Mara's title", "product": "X200"})
    max_.assets.update_metadata(asset_id, {"title": "Max's title", "summary": "For plants"})
    mara.sync.now(team["marketer"].url)
    late = max_.sync.now(team["marketer2"].url)
    assert late.published.conflicts == 1
    assert max_.assets.get(asset_id).metadata.title == "Max's title"  # not silently dropped
    [conflict] = max_.sync.conflicts()
    assert ("title", "Max's title", "Mara's title") in conflict.fields
    max_.sync.resolve(conflict.id, {"title": "mine", "product": "theirs", "summary": "mine"})
    assert max_.sync.conflicts() == []
    assert max_.sync.now(team["marketer2"].url).published.assets == 1
    mara.sync.now(team["marketer"].url)
    merged = mara.assets.get(asset_id).metadata
    assert (merged.title, merged.product, merged.summary) == ("Max's title", "X200", "For plants")


def test_a_laptop_keeping_only_some_files_fetches_the_rest_when_opened(
    team: Team, laptops: dict[str, Services], tmp_path: Path
) -> None:
    mara = laptop(laptops, tmp_path, "mara", Role.MARKETER)
    mara.sync.now(team["marketer"].url)
    _, template_id = _import_and_publish(mara, tmp_path)
    brochure = write(
        tmp_path / "brochure.pdf", pdf_of_pages(["Plant brochure", "Zanzibar plant uptime"])
    )
    report, _ = mara.assets.import_paths([brochure])
    brochure_id = str(report.results[0].asset_id)
    mara.assets.update_metadata(brochure_id, {"status": "published"})
    mara.sync.now(team["marketer"].url)

    rep = laptop(laptops, tmp_path, "riley", Role.REP)
    first = rep.sync.now(team["rep"].url, keep_all=False)
    assert first.files == 2  # the team fixture's template and Mara's: templates always
    assert rep.templates.get(template_id).title == "Edge gateway offer"
    assert [h.id for h in rep.search.find("Zanzibar").hits] == [brochure_id]  # text is here
    assert rep.care.check().ok  # a file not kept is not a missing file
    assert rep.assets.page_image(brochure_id, 1, 200)  # fetched when opened
    assert rep.sync.now(team["rep"].url, keep_all=False).files == 0

    offline = laptop(laptops, tmp_path, "rosa", Role.REP)
    offline.sync.now(team["rep2"].url, keep_all=False)
    offline.close()
    del laptops["rosa"]
    with Services.open(tmp_path / "rosa", workers=1) as later:  # not synced this session
        later.people.sign_in(str(later.sync.identity()))
        with pytest.raises(KnownError, match="not kept on this laptop"):
            later.assets.page_image(brochure_id, 1, 200)


@pytest.mark.parametrize("days", [365, -365], ids=["ahead", "behind"])
def test_a_laptop_clock_a_year_off_changes_nothing_the_hub_decides(
    team: Team, laptops: dict[str, Services], tmp_path: Path, days: int
) -> None:
    off = Services.open(tmp_path / "riley", create=True, workers=1,
                        clock=lambda: dt.datetime.now(dt.UTC) + dt.timedelta(days=days))  # fmt: skip
    off.people.acting_user(None, Role.REP, "riley")
    laptops["riley"] = off
    off.sync.now(team["rep"].url)
    detail, _ = off.requests.submit(team.template_id, OUTSIDE)
    off.sync.now(team["rep"].url)
    submitted = team["admin"].call("SELECT submitted_at FROM satchel.requests")
    assert abs((submitted - dt.datetime.now(dt.UTC)).total_seconds()) < 600  # the hub's time
    mara = laptop(laptops, tmp_path, "mara", Role.MARKETER)
    mara.sync.now(team["marketer"].url)
    mara.requests.decide(detail.summary.id, Decision.APPROVE)
    mara.sync.now(team["marketer"].url)
    off.sync.now(team["rep"].url)
    assert off.requests.get(detail.summary.id).summary.state is RequestState.APPROVED
    assert off.requests.verify_audit()[1] is None  # the chain's times never go back
    reliability.record("Sync", f"A laptop's clock a year {'ahead' if days > 0 else 'behind'}",
                       "Nothing different: the request is approved as anywhere else",
                       "Order and conflicts by the hub's revisions; the hub's times on its rows")  # fmt: skip


def test_the_hub_down_for_a_working_day_and_back(
    team: Team, laptops: dict[str, Services], tmp_path: Path
) -> None:
    rep = synced_rep(laptops, tmp_path, team)
    mara = laptop(laptops, tmp_path, "mara", Role.MARKETER)
    mara.sync.now(team["marketer"].url)
    team.server.shut_down()  # the server itself, every connection to it gone
    try:
        for hour in range(8):  # a round every hour, each refused at once, the work goes on
            rep.requests.submit(team.template_id, {**OUTSIDE, "customer": f"Customer {hour}"})
            rep.assets.record_usage(team.asset_id, UsageAction.VIEWED)
            with pytest.raises(KnownError, match="cannot be reached"):
                rep.sync.now(team["rep"].url)
        assert rep.sync.status().waiting == 8
    finally:
        team.server.start_again()
    back = rep.sync.now(team["rep"].url)
    assert back.pushed == 8 and not back.refused and rep.sync.status().waiting == 0
    assert hub_holds(team) == (8, 8)  # requests, steps: each once
    assert hub_count(team, "SELECT count(*) FROM satchel.usage_events") == 8
    assert len(mara.requests.queue()[0]) == 0  # marketing sees them after its own round
    mara.sync.now(team["marketer"].url)
    assert len(mara.requests.queue()[0]) == 8
    reliability.record("Sync", "the hub's server down for a working day (8 rounds) and back",
                       "'cannot be reached' each round; the work went on offline",
                       "Every request and usage event made meanwhile, sent once when the hub "
                       "was back")  # fmt: skip


def test_a_laptop_restored_from_an_old_backup_neither_doubles_nor_skips(
    team: Team, laptops: dict[str, Services], tmp_path: Path
) -> None:
    rep = synced_rep(laptops, tmp_path, team)
    waiting, _ = rep.requests.submit(team.template_id, OUTSIDE)  # not sent at the backup
    snapshot = tmp_path / "riley-before.db"  # as the administrator's backup took it
    library_sql(tmp_path / "riley", f"VACUUM INTO '{snapshot}'")
    rep.sync.now(team["rep"].url)
    later, _ = rep.requests.submit(team.template_id, {**OUTSIDE, "discount": "12"})
    rep.sync.now(team["rep"].url)
    rep.close()
    del laptops["riley"]
    Services.restore_library(tmp_path / "riley", snapshot)
    with Services.open(tmp_path / "riley", workers=1) as restored:
        restored.people.sign_in(str(restored.sync.identity()))
        again = restored.sync.now(team["rep"].url)
        assert again.refused == []
        assert {r.id for r in restored.requests.mine()} == {waiting.summary.id, later.summary.id}
        assert hub_holds(team) == (2, 2)  # requests, steps
    reliability.record("Sync", "A laptop's library restored from a backup older than its "
                       "last sync", "Nothing to do: the next sync sends and fetches again",
                       "The outbox sent again is answered from the hub's records (no "
                       "duplicates); the older cursor fetches what came since")  # fmt: skip


def test_a_disk_that_fills_during_a_pull_loses_nothing(
    team: Team, laptops: dict[str, Services], tmp_path: Path
) -> None:
    rep = synced_rep(laptops, tmp_path, team)
    clean = {a.id for a in rep.assets.list_all()}
    rep.close()
    del laptops["riley"]
    library_sql(tmp_path / "riley", "UPDATE library_info SET value = '0' WHERE key = 'hub.cursor'")
    full = cli_sync(tmp_path / "riley", team["rep"], failpoint="sync.page:diskfull:after=1")
    assert full.returncode != 0 and "space" in full.stderr.lower()
    done = cli_sync(tmp_path / "riley", team["rep"])
    assert done.returncode == 0, done.stderr
    with Services.open(tmp_path / "riley", workers=1) as services:
        services.people.sign_in(team["rep"].email)
        assert {a.id for a in services.assets.list_all()} == clean
        assert services.care.check().ok
    reliability.record("Sync", "The disk fills during a pull", full.stderr.strip().splitlines()[-1],
                       "Every page applied before; the next sync goes on from there")  # fmt: skip


def test_kill_mid_file_is_finished_by_the_next_sync(
    team: Team, laptops: dict[str, Services], tmp_path: Path
) -> None:
    rep = synced_rep(laptops, tmp_path, team)
    base = rep.templates.get(team.template_id).base_sha256
    rep.assets.blob_path(base).unlink()  # as if the file had not come yet
    rep.close()
    del laptops["riley"]
    library_sql(tmp_path / "riley", f"UPDATE blobs SET stored = 0 WHERE sha256 = '{base}'")
    killed = cli_sync(tmp_path / "riley", team["rep"], failpoint="sync.part:crash")
    assert killed.returncode != 0
    done = cli_sync(tmp_path / "riley", team["rep"])
    assert done.returncode == 0, done.stderr
    with Services.open(tmp_path / "riley", workers=1) as services:
        services.people.sign_in(team["rep"].email)
        report = services.care.check()
        assert report.ok and services.assets.blob_path(base).is_file()
    reliability.record("Sync", "kill -9 while a file comes from the hub",
                       "(the process is gone); the next sync finishes the file",
                       "The parts received, in the download; only whole files checked "
                       "against their SHA-256 enter the library")  # fmt: skip


def test_a_file_cut_off_mid_way_goes_on_from_its_last_whole_part(
    team: Team, laptops: dict[str, Services], tmp_path: Path
) -> None:
    noise = io.BytesIO()  # a photo-like image: about 3 MB that do not compress
    Image.frombytes("RGB", (1000, 1000), random.Random(16).randbytes(3_000_000)).save(noise, "PNG")
    mara = laptop(laptops, tmp_path, "mara", Role.MARKETER)
    mara.sync.now(team["marketer"].url)
    report, _ = mara.assets.import_paths([write(tmp_path / "plant-photo.png", noise.getvalue())])
    asset_id = str(report.results[0].asset_id)
    mara.assets.update_metadata(asset_id, {"title": "Plant photo", "status": "published"})
    mara.sync.now(team["marketer"].url)
    sha = mara.assets.get(asset_id).versions[-1].sha256
    size = len(noise.getvalue())
    rep = laptop(laptops, tmp_path, "riley", Role.REP)
    rep.sync.now(team["rep"].url, keep_all=False)  # the templates' files, not the photo
    rep.close()
    del laptops["riley"]
    killed = cli_sync(tmp_path / "riley", team["rep"], failpoint="sync.part:crash")
    assert killed.returncode != 0
    download = tmp_path / "riley" / "blobs" / "tmp" / f"{sha}.download"
    assert download.stat().st_size == 1 << 20  # one whole part kept
    done = cli_sync(tmp_path / "riley", team["rep"])
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["file_bytes"] == size - (1 << 20)  # only the rest came
    with Services.open(tmp_path / "riley", workers=1) as services:
        services.people.sign_in(team["rep"].email)
        assert services.assets.blob_path(sha).read_bytes() == noise.getvalue()
        assert services.care.check().ok and not download.exists()
    reliability.record("Sync", "the connection lost half way through a 3 MB file",
                       "nothing; the next sync fetched the 2 MB not yet received",
                       "The whole 1 MiB parts received, in the download; the file enters the "
                       "library only whole and checked against its SHA-256")  # fmt: skip


def test_the_connection_cut_mid_page_resumes_from_the_last_whole_page(
    team: Team, laptops: dict[str, Services], tmp_path: Path
) -> None:
    with psycopg.connect(team.owner_url, autocommit=True) as hub:
        hub.execute(hub_server.many_assets_sql(300, 3))  # about 1,500 rows and 700 kB of text
    proxy = CuttingProxy(team.server.port)
    try:
        rep = laptop(laptops, tmp_path, "riley", Role.REP)
        proxy.cut_after(250_000)  # a third of the way, inside a page of 100 rows
        with pytest.raises(KnownError, match="cannot be reached"):
            rep.sync.now(proxy.url(team["rep"].url), page_size=100, keep_all=False)
        assert proxy.cuts == 1
        cursor = rep.sync.status().cursor
        held = {a.id for a in rep.assets.list_all()}
        with psycopg.connect(team.owner_url, autocommit=True) as hub:
            below = {str(row[0]) for row in hub.execute(
                "SELECT id FROM satchel.assets WHERE rev <= %s AND status = 'published'",
                (cursor,))}  # fmt: skip
            every = {str(row[0]) for row in hub.execute(
                "SELECT id FROM satchel.assets WHERE status = 'published'")}  # fmt: skip
        assert 0 < len(held) < len(every)
        assert held == below  # whole pages only, up to the cursor
        done = rep.sync.now(proxy.url(team["rep"].url), page_size=100, keep_all=False)
        assert not done.refused and done.pulled > 0
        assert {a.id for a in rep.assets.list_all()} == every
        assert len(rep.search.find("Gateway 217 datasheet").hits) >= 1
        assert rep.care.check().ok
    finally:
        proxy.close()
    reliability.record("Sync", "the connection cut by a proxy in the middle of a page",
                       "the sync stops with 'cannot be reached'; the next one goes on",
                       "Every whole page before the cut with its cursor; the cut page is "
                       "fetched again, nothing doubled")  # fmt: skip


def test_a_first_sync_finds_titles_as_they_land_before_the_index_is_built(
    team: Team, laptops: dict[str, Services], tmp_path: Path
) -> None:
    with psycopg.connect(team.owner_url, autocommit=True) as hub:
        hub.execute(hub_server.many_assets_sql(1500, 1))  # 6,000 rows: built at the end
        hub.execute("UPDATE satchel.assets SET status = 'retired' WHERE title LIKE 'Gateway 99 %'")
    rep = laptop(laptops, tmp_path, "riley", Role.REP)
    seen: dict[str, list[str]] = {}

    def progress(done: int, total: int) -> None:
        if done >= total // 2 and not seen:  # every asset row has landed, no text yet
            seen["typed"] = [h.title for h in rep.search.find("Gateway 1234 datasheet").hits]
            seen["typing"] = [h.title for h in rep.search.find("gateway 1234 data",
                                                                 as_you_type=True).hits]  # fmt: skip
            seen["retired"] = [h.title for h in rep.search.find("Gateway 99 datasheet").hits]
            seen["phrase"] = [h.title for h in rep.search.find('"Gateway 1234"').hits]
            seen["text"] = [h.title for h in rep.search.find("reduces").hits]  # page text
            seen["count"] = [str(rep.search.find("Gateway 1234 datasheet").total)]

    rep.sync.now(team["rep"].url, progress=progress, keep_all=False)
    assert seen["typed"][0].startswith("Gateway 1234 datasheet")  # the title that begins so
    assert seen["typing"][0].startswith("Gateway 1234 datasheet")
    assert len(seen["typed"]) == 1 and seen["count"] == ["1"]  # no other title has "1234"
    assert seen["retired"] == []  # hidden, as the index would hide it
    assert seen["phrase"] == [] and seen["text"] == []  # only the index answers those
    after = rep.search.find("Gateway 1234 datasheet").hits  # the index built: ranked by it
    assert after[0].title.startswith("Gateway 1234 datasheet") and after[0].score > 0


def test_tags_collections_and_synonyms_made_by_marketing_reach_the_team(
    team: Team, laptops: dict[str, Services], tmp_path: Path
) -> None:
    mara = laptop(laptops, tmp_path, "mara", Role.MARKETER)
    mara.sync.now(team["marketer"].url)
    mara.assets.update_metadata(team.asset_id, {"tags": "uptime, food plants"})
    kit, _ = mara.collections.create("Trade show kit", [team.asset_id], "For the Hannover fair")
    mara.search.set_synonyms([Synonym("tariff", "price"), Synonym("X200", "X-200", False)])
    sent = mara.sync.now(team["marketer"].url)
    assert sent.published.library_rows == 8 and not sent.refused  # tags 2 + 2 links, 1 + 1, 2
    assert mara.sync.now(team["marketer"].url).published.library_rows == 0  # each sent once

    max_ = laptop(laptops, tmp_path, "max", Role.MARKETER)  # the other marketer, offline
    source = write(tmp_path / "flyer.pdf", pdf_of_pages(["Uptime flyer"]))
    report, _ = max_.assets.import_paths([source], {"title": "Uptime flyer", "tags": "uptime",
                                                    "status": "published"})  # fmt: skip
    flyer = str(report.results[0].asset_id)
    max_.sync.now(team["marketer2"].url)  # his "uptime" becomes the hub's, with its id
    assert hub_count(team, "SELECT count(*) FROM satchel.tags WHERE name = 'uptime'") == 1

    rep = synced_rep(laptops, tmp_path, team)
    assert set(rep.assets.get(team.asset_id).metadata.tags) == {"uptime", "food plants"}
    assert rep.assets.get(flyer).metadata.tags == ("uptime",)
    shared = {c.name: c for c in rep.collections.list_all()}
    assert rep.collections.members(shared["Trade show kit"].id) == [team.asset_id]
    assert [hit.id for hit in rep.search.find("tariff").hits] == [team.asset_id]
    assert {hit.id for hit in rep.search.find("uptime").hits} == {team.asset_id, flyer}

    mara.collections.remove_assets(kit.id, [team.asset_id])
    mara.search.set_synonyms([])
    mara.sync.now(team["marketer"].url)
    rep.sync.now(team["rep"].url)
    assert rep.collections.members(shared["Trade show kit"].id) == []
    assert rep.search.synonyms() == [] and not rep.search.find("tariff").hits


def test_feedback_and_outcomes_from_the_field_reach_marketing_once(
    team: Team, laptops: dict[str, Services], tmp_path: Path
) -> None:
    rep = synced_rep(laptops, tmp_path, team)
    rep.feedback.give(team.asset_id, "yes", account="Northwind Foods", rating=4,
                      objections="Price: <b>too high</b>")  # fmt: skip
    rep.feedback.record_outcome("northwind foods", "won")
    sent = rep.sync.now(team["rep"].url)
    assert sent.records_pushed == 2 and not sent.refused
    assert rep.sync.now(team["rep"].url).records_pushed == 0  # each sent once
    assert hub_count(team, "SELECT count(*) FROM satchel.feedback") == 2
    mara = laptop(laptops, tmp_path, "mara", Role.MARKETER)
    mara.sync.now(team["marketer"].url)
    heard = {record.kind.value: record for record in mara.feedback.team()}
    assert heard["asset"].body["objections"] == "Price: <b>too high</b>"  # as typed, as text
    assert heard["asset"].person == heard["outcome"].person != mara.actor.name  # type: ignore[union-attr]
    assert mara.feedback.outcome_of("Northwind Foods") == (Outcome.WON, [team.asset_id])


def test_content_requests_notes_and_marketings_lists_travel_as_the_roles_allow(
    team: Team, laptops: dict[str, Services], tmp_path: Path
) -> None:
    riley = synced_rep(laptops, tmp_path, team)
    ask, _ = riley.asks.ask("A German brewery case study", deals=2)
    riley.notes.note("Acme Edge", "30 % off for three years", account="Northwind Foods")
    riley.asks.announce("Q1 brewery push in Bavaria", segment="Breweries")
    assert riley.sync.now(team["rep"].url).records_pushed == 3

    rosa = laptop(laptops, tmp_path, "rosa", Role.REP)
    rosa.sync.now(team["rep2"].url)
    alike = rosa.asks.similar("german brewery case studies")  # the team's requests reach her
    assert [view.ask.id for view in alike] == [ask.ask.id] and alike[0].ask.person == "a colleague"
    assert rosa.notes.notes() == []  # Riley's notes stay with Riley and marketing
    rosa.asks.plus_one(ask.ask.id, deals=1)
    rosa.sync.now(team["rep2"].url)

    mara = laptop(laptops, tmp_path, "mara", Role.MARKETER)
    mara.sync.now(team["marketer"].url)
    assert [n.note.body["claim"] for n in mara.notes.notes()] == ["30 % off for three years"]
    assert [r.body["what"] for r in mara.asks.initiatives()] == ["Q1 brewery push in Bavaria"]
    (seen,) = mara.asks.asks()
    assert (seen.ask.person, seen.votes, seen.deals) == ("Riley Chen", 1, 3)
    mara.asks.answer(ask.ask.id, "accepted", target="2099-03-31", owner="Mara")
    mara.notes.keep_competitor("Acme Edge", aliases=["ACME"])
    mara.notes.keep_objection_tags(add=["price"])
    launch = dt.date.today() + dt.timedelta(days=20)
    mara.campaigns.save("Brewery launch", launch, "Mara", [
        CampaignItem(asset_id=team.asset_id), CampaignItem(planned="Brewery deck", due=launch)])  # fmt: skip
    assert not mara.sync.now(team["marketer"].url).refused

    riley.sync.now(team["rep"].url)
    assert [(v.state, v.votes) for v in riley.asks.asks(mine=True)] == [("accepted", 1)]
    assert [c.name for c in riley.notes.competitors()] == ["Acme Edge"]
    assert riley.notes.objection_tags() == ["price"]
    (coming,) = riley.campaigns.list_all(upcoming=True)  # the launch reaches the reps
    assert (coming.campaign.name, coming.summary()) == ("Brewery launch", "1 of 2 ready")

    # A rep's laptop cannot write marketing's kinds on the hub, whatever it sends.
    forged = {
        "kind": "competitor",
        "at": "2026-12-01T00:00:00+00:00",
        "body": {"key": "us", "name": "Us", "aliases": [], "notes": "", "removed": False},
    }
    for kind, body in (
        ("competitor", forged["body"]),
        ("campaign", {"key": "x", "name": "Mine", "launch": "2027-01-01", "items": []}),
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="Only marketers and admins"):
            team["rep"].call("SELECT api.record_feedback(%s, %s)", str(uuid.uuid4()),
                             Jsonb({**forged, "kind": kind, "body": body}))  # fmt: skip
