"""Decisions under faults: a crash mid-decision leaves the request as it was (or decided,
never half), and two people deciding at once in two processes give one decision."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DEMO_USERS
from tests.faults.conftest import satchel


def waiting_request(library: Path) -> str:
    run = satchel(library, "requests", "--queue", "--json", "--user", DEMO_USERS["marketer"])
    assert run.code == 0, run.err
    return str(json.loads(run.out)["requests"][0]["id"])


def state(library: Path, request_id: str) -> tuple[str, int]:
    run = satchel(library, "request", "show", request_id, "--json")
    detail = json.loads(run.out)
    return detail["request"]["state"], len(detail["steps"])


def audit_is_whole(library: Path) -> bool:
    return satchel(library, "audit", "verify").code == 0


@pytest.mark.parametrize(("failpoint", "decided"), [("db.commit:crash", False),
                                                    ("db.committed:crash", True)])  # fmt: skip
def test_a_crash_mid_decision_leaves_it_undecided_or_decided_never_half(
    demo_template: Path, tmp_path: Path, failpoint: str, decided: bool
) -> None:
    library = Path(shutil.copytree(demo_template, tmp_path / "library"))
    request_id = waiting_request(library)
    before = state(library, request_id)
    crashed = satchel(library, "approve", request_id, failpoint=failpoint)
    assert crashed.code != 0
    assert audit_is_whole(library)
    if decided:
        assert state(library, request_id) == ("approved", before[1] + 1)
        again = satchel(library, "approve", request_id)
        assert again.code == 1 and "Already approved by Sam Okafor" in again.said("Already")
    else:
        assert state(library, request_id) == before
        again = satchel(library, "approve", request_id)
        assert again.code == 0 and state(library, request_id) == ("approved", before[1] + 1)
    assert audit_is_whole(library)


def test_two_people_deciding_at_once_in_two_processes_give_one_decision(
    demo_template: Path, tmp_path: Path
) -> None:
    """One library is written by one process at a time (the second is refused while the
    first holds it); whoever comes second, at once or after a retry, is told who won."""
    library = Path(shutil.copytree(demo_template, tmp_path / "library"))
    request_id = waiting_request(library)
    _, steps_before = state(library, request_id)
    base = [sys.executable, "-m", "satchel", "--library", str(library)]
    commands = [
        [*base, "--user", DEMO_USERS["marketer"], "approve", request_id],
        [*base, "--user", DEMO_USERS["admin"], "reject", request_id, "--comment", "Not now."],
    ]
    racing = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for c in commands]  # fmt: skip
    results = [(*p.communicate(timeout=120), p.returncode) for p in racing]
    for number, (_out, err, code) in enumerate(results):
        if code != 0 and "open in another Satchel" in err:  # refused by the lock: retry
            again = subprocess.run(commands[number], capture_output=True, text=True,
                                   timeout=120, check=False)  # fmt: skip
            results[number] = (again.stdout, again.stderr, again.returncode)
    assert sorted(code for _o, _e, code in results) == [0, 1], results
    winner = next(n for n, (_o, _e, code) in enumerate(results) if code == 0)
    loser_said = results[1 - winner][1]
    who = ("Mara Lindqvist", "Sam Okafor")[winner]
    assert "Already" in loser_said and f" by {who} at " in loser_said, loser_said
    final, steps = state(library, request_id)
    assert final == ("approved", "rejected")[winner] and audit_is_whole(library)
    assert steps == steps_before + 1  # the one decision
