"""Shared fixtures: a real library in a temp folder, with real parser processes."""

from __future__ import annotations

import importlib.abc
import os
import shutil
import sys
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

if os.environ.get("SATCHEL_BLOCK_QT"):
    # Proves the core and CLI never need Qt: any import of it fails in this run.
    class _BlockQt(importlib.abc.MetaPathFinder):
        def find_spec(self, name: str, path: object, target: object = None) -> None:
            if name.split(".")[0] in ("PySide6", "shiboken6"):
                raise ImportError(f"{name} is blocked in the Qt-free test run")

    sys.meta_path.insert(0, _BlockQt())

from satchel.core.domain.users import Role
from satchel.core.ingest.limits import ImportLimits
from satchel.core.services import Services
from tests.helpers import reliability

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
TEST_LIMITS = ImportLimits(seconds_per_file=30, memory_mb=1024)


@pytest.fixture(autouse=True)
def _private_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep logs, settings and the default library out of the real home folder."""
    home = tmp_path_factory.mktemp("home")
    for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))


DEMO_USERS = {"rep": "riley.chen@kestrel-systems.example",
              "marketer": "mara.lindqvist@kestrel-systems.example",
              "admin": "sam.okafor@kestrel-systems.example"}  # fmt: skip


def signed_in(services: Services, role: str = "admin") -> Services:
    """Sign in as the demo's user with `role`, or as any other library's owner (a new
    library gets one: an admin), as the desktop and the CLI do."""
    if services.people.is_demo:
        services.people.sign_in(DEMO_USERS[role])
    else:
        services.people.acting_user(None, Role.ADMIN, "tester")
    return services


def open_as(root: Path, role: str = "admin", **options: object) -> Services:
    """`Services.open`, signed in (see `signed_in`)."""
    return signed_in(Services.open(root, **options), role)  # type: ignore[arg-type]


@pytest.fixture
def library_dir(tmp_path: Path) -> Path:
    return tmp_path / "library"


@pytest.fixture
def services(library_dir: Path) -> Iterator[Services]:
    with open_as(library_dir, create=True, limits=TEST_LIMITS, workers=2) as opened:
        yield opened


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo library, built once per run; tests work on copies (`demo_dir`). Without
    the demo's field data: tests of feedback start from none (test_demo checks it)."""
    root = tmp_path_factory.mktemp("demo") / "library"
    Services.build_demo(root, limits=TEST_LIMITS, field=False).close()
    return root


@pytest.fixture(scope="session")
def demo_template_without_requests(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo library without its request history, for tests that run the request
    loop on a clock of their own from an empty queue."""
    root = tmp_path_factory.mktemp("demo-plain") / "library"
    Services.build_demo(root, limits=TEST_LIMITS, history=False, field=False).close()
    return root


def copy_library(source: Path, parent: Path) -> Path:
    return Path(shutil.copytree(source, parent / "library"))


@pytest.fixture
def demo_dir(demo_template: Path, tmp_path: Path) -> Path:
    """A copy of the demo library of this test's own."""
    return copy_library(demo_template, tmp_path)


_fault_failures: list[str] = []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    rows = reliability.take_pending()
    if rows:
        report.user_properties.append((reliability.PROPERTY, rows))
    return report


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Runs where results are reported: in the one process, or in xdist's controller."""
    if report.failed and "tests/faults/" in report.nodeid.replace("\\", "/"):
        _fault_failures.append(report.nodeid)
    for name, rows in report.user_properties:
        if name == reliability.PROPERTY and report.passed:
            reliability.gather(rows)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """docs/RELIABILITY.md from the fault scenarios, when every one of them passed."""
    if hasattr(session.config, "workerinput"):  # an xdist worker: the controller writes
        return
    reliability.write_if_asked(all_passed=not _fault_failures)
