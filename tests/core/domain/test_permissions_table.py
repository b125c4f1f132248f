"""The pure permission table: capabilities per role and the sentences of a refusal."""

from __future__ import annotations

import pytest

from satchel.core.domain.permissions import (
    Capability,
    allows,
    check_role_change,
    refusal,
    require,
    roles_for,
)
from satchel.core.domain.users import Profile, Role
from satchel.core.errors import KnownError, PermissionDeniedError

EXPECTED = {  # the issue's table, written out once more by hand
    Capability.VIEW: {Role.REP, Role.MARKETER, Role.ADMIN},
    Capability.CUSTOMIZE: {Role.REP, Role.MARKETER, Role.ADMIN},
    Capability.SUBMIT_REQUESTS: {Role.REP, Role.MARKETER, Role.ADMIN},
    Capability.GIVE_FEEDBACK: {Role.REP, Role.MARKETER, Role.ADMIN},  # issue 17
    Capability.SEE_DRAFTS: {Role.MARKETER, Role.ADMIN},  # issue 13: reps see published only
    Capability.IMPORT: {Role.MARKETER, Role.ADMIN},
    Capability.EDIT_METADATA: {Role.MARKETER, Role.ADMIN},
    Capability.NEW_VERSION: {Role.MARKETER, Role.ADMIN},  # issue 13: replace a file
    Capability.RETIRE: {Role.MARKETER, Role.ADMIN},
    Capability.MANAGE_COLLECTIONS: {Role.MARKETER, Role.ADMIN},
    Capability.MANAGE_SYNONYMS: {Role.MARKETER, Role.ADMIN},  # issue 20
    Capability.PUBLISH_TEMPLATES: {Role.MARKETER, Role.ADMIN},
    Capability.DECIDE_REQUESTS: {Role.MARKETER, Role.ADMIN},
    Capability.SEE_OTHERS_ACTIVITY: {Role.MARKETER, Role.ADMIN},
    Capability.MANAGE_USERS: {Role.ADMIN},
    Capability.BACKUP: {Role.ADMIN},
    Capability.RESTORE: {Role.ADMIN},
    Capability.REPAIR: {Role.ADMIN},
    Capability.POLICY: {Role.ADMIN},
}


def _person(role: Role, pid: str = "p1") -> Profile:
    return Profile(id=pid, name=f"Pat {role.value}", email=f"{pid}@x.test", role=role)


def test_the_table_is_the_issues_table() -> None:
    assert set(EXPECTED) == set(Capability)
    for capability, roles in EXPECTED.items():
        assert set(roles_for(capability)) == roles
        for role in Role:
            assert allows(role, capability) is (role in roles)


def test_a_refusal_names_the_action_and_the_roles() -> None:
    assert refusal(Role.REP, Capability.PUBLISH_TEMPLATES) == (
        "Only marketers and admins can design and publish templates; you are signed in as a rep."
    )
    assert refusal(Role.MARKETER, Capability.MANAGE_USERS) == (
        "Only admins can manage users and roles; you are signed in as a marketer."
    )
    with pytest.raises(PermissionDeniedError) as refused:
        require(None, Capability.IMPORT)
    assert "nobody is signed in" in str(refused.value)
    assert isinstance(refused.value, KnownError)
    require(_person(Role.MARKETER), Capability.IMPORT)


def test_role_changes_keep_an_admin_and_never_raise_ones_own() -> None:
    admin, rep = _person(Role.ADMIN, "a"), _person(Role.REP, "r")
    check_role_change(admin, rep, Role.MARKETER, admins=1)
    with pytest.raises(PermissionDeniedError, match="last admin"):
        check_role_change(admin, admin, Role.REP, admins=1)
    check_role_change(admin, admin, Role.REP, admins=2)
    with pytest.raises(PermissionDeniedError, match="Only admins"):
        check_role_change(_person(Role.MARKETER, "m"), rep, Role.ADMIN, admins=1)
    with pytest.raises(PermissionDeniedError, match="Only admins"):
        check_role_change(rep, rep, Role.ADMIN, admins=1)
