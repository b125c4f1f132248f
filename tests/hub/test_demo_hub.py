"""`satchel demo --hub URL PATH`: the demo as a team — a marketer's library and a rep's,
both meeting one hub, and the whole loop runs between them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from satchel.core.domain.requests import Decision, RequestState
from satchel.core.domain.templates import Policy, Severity
from satchel.core.hub import credentials
from satchel.core.services import Services
from tests.helpers.hub_server import HubServer
from tests.hub.conftest import make_team


def test_the_demo_team_runs_the_loop_on_one_computer(server: HubServer, tmp_path: Path) -> None:
    team = make_team(server)
    done = subprocess.run(
        [sys.executable, "-m", "satchel", "demo", "--hub", team["admin"].url,
         str(tmp_path / "demo")],
        capture_output=True, text=True, timeout=600, check=False,
        env={**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "The hub now holds the demo library" in done.stdout
    logins = dict(re.findall(r"hub login (\S+), one-time password (\S+) \(asked", done.stdout))
    assert len(logins) == 2

    def signed(library: Path) -> tuple[Services, str]:
        """The library open as the person it syncs as, and its address with the password."""
        services = Services.open(library, workers=1)
        services.people.sign_in(str(services.sync.identity()))
        address = services.sync.address("")
        return services, credentials.with_password(address, logins[credentials.login_of(address)])

    rep, rep_url = signed(tmp_path / "demo-rep")
    mara, mara_url = signed(tmp_path / "demo")
    with rep, mara:
        published = [a for a in mara.assets.list_all() if str(a.metadata.status) == "published"]
        assert len(rep.assets.list_all()) >= len(published) > 10
        template, values = next(
            (t, v)
            for t in rep.templates.list_all()
            if not rep.templates.check_values(
                t.id, v := {f.key: f.default or "Northwind Foods" for f in t.fields}
            )
            and any(f.policy is Policy.APPROVAL for f in t.fields)
        )  # a demo template the defaults fill (with a customer's name)
        asked = next(f for f in template.fields if f.policy is Policy.APPROVAL)
        values[asked.key] = "Built for Northwind's plants"  # a change marketing decides
        issues = rep.templates.check_values(template.id, values)
        assert [i.severity for i in issues] == [Severity.NEEDS_APPROVAL], issues
        detail, _ = rep.requests.submit(template.id, values, note="Please check")
        rep.sync.now(rep_url)
        mara.sync.now(mara_url)
        assert detail.summary.state is RequestState.SUBMITTED
        assert detail.summary.id in {r.id for r in mara.requests.queue()[0]}
        mara.requests.decide(detail.summary.id, Decision.APPROVE)
        mara.sync.now(mara_url)
        rep.sync.now(rep_url)
        assert rep.requests.get(detail.summary.id).summary.state is RequestState.APPROVED
