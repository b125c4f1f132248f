"""Collections edited by marketing: create, rename, add, remove, delete; reps only read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from satchel.core.domain.users import Role
from satchel.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from satchel.core.services import Services
from tests.conftest import TEST_LIMITS, open_as


@pytest.fixture
def demo(demo_dir: Path) -> Iterator[Services]:
    with open_as(demo_dir, limits=TEST_LIMITS, workers=1) as services:
        services.people.sign_in(
            next(u.id for u in services.people.list_all() if u.role is Role.MARKETER)
        )
        yield services


def test_a_collection_is_made_renamed_filled_emptied_and_removed(demo: Services) -> None:
    assets = [a.id for a in demo.assets.list_all()[:4]]
    info, _ = demo.collections.create("  Trade show  ", assets[:2])
    assert info.name == "Trade show" and demo.collections.members(info.id) == assets[:2]
    added, _ = demo.collections.add_assets(info.id, [assets[1], assets[2][:8], assets[3]])
    assert added == 2  # the one already in stays where it is; a unique prefix is enough
    assert demo.collections.members(info.id) == assets
    removed, _ = demo.collections.remove_assets(info.id, [assets[0], "not-a-member"])
    assert removed == 1 and demo.collections.members(info.id) == assets[1:]
    demo.collections.add_assets(info.id, [assets[0]])  # back in, at the end
    assert demo.collections.members(info.id) == [*assets[1:], assets[0]]
    order = demo.collections.members(info.id)
    assert demo.collections.move(info.id, order[2], -2)[0]  # to the top
    assert demo.collections.members(info.id) == [order[2], order[0], order[1], order[3]]
    assert not demo.collections.move(info.id, order[3], 1)[0]  # already last: no change
    demo.collections.rename(info.id, "Trade show 2027")
    assert "Trade show 2027" in {c.name for c in demo.collections.list_all()}
    with pytest.raises(ValidationError, match="needs a name"):
        demo.collections.rename(info.id, " \u200b ")
    demo.collections.delete(info.id)
    assert info.id not in {c.id for c in demo.collections.list_all()}
    assert len(demo.assets.list_all()) == 47  # the assets stay in the library
    with pytest.raises(NotFoundError, match="no longer exists"):
        demo.collections.add_assets(info.id, [assets[0]])
    with pytest.raises(NotFoundError):
        demo.collections.add_assets(demo.collections.list_all()[0].id, ["ffffffffffff"])


def test_reps_read_collections_and_change_none(demo: Services) -> None:
    collection = demo.collections.list_all()[0]
    demo.people.sign_in(next(u.id for u in demo.people.list_all() if u.role is Role.REP))
    assert demo.collections.members(collection.id)
    with pytest.raises(PermissionDeniedError):
        demo.collections.rename(collection.id, "Mine now")
    assert demo.collections.list_all()[0].name == collection.name


def test_a_collection_is_shared_with_roles_or_territories(demo: Services) -> None:
    kit = next(c for c in demo.collections.list_all() if c.name == "DACH trade fair kit")
    assert kit.shared_with() == "Shared with reps in EMEA"  # as the demo shares it
    demo.people.sign_in(next(u.id for u in demo.people.list_all() if u.role is Role.ADMIN))
    munich, _ = demo.people.add("Lena Vogt", "lena.vogt@x.test", Role.REP, territory=" emea")
    riley = next(u.id for u in demo.people.list_all() if u.name == "Riley Chen")  # Midwest

    def seen_by(person: str) -> set[str]:
        demo.people.sign_in(person)
        return {c.name for c in demo.collections.list_all()}

    assert "DACH trade fair kit" in seen_by(munich.id)  # territories match without case
    assert demo.collections.members(kit.id)
    assert "DACH trade fair kit" not in seen_by(riley)
    with pytest.raises(NotFoundError, match="not shared with you"):
        demo.collections.members(kit.id)
    with pytest.raises(PermissionDeniedError):
        demo.collections.share(kit.id, [Role.REP], [])

    marketer = next(u.id for u in demo.people.list_all() if u.role is Role.MARKETER)
    demo.people.sign_in(marketer)
    everyone, _ = demo.collections.share(kit.id, [Role.REP], [])
    assert everyone.shared_with() == "Shared with everyone"
    assert "DACH trade fair kit" in seen_by(riley)
    demo.people.sign_in(marketer)
    private, _ = demo.collections.share(kit.id, [], [])
    assert private.shared_with() == "Marketing only: not shared with reps"
    assert "DACH trade fair kit" in seen_by(marketer)  # marketing sees every collection
    assert "DACH trade fair kit" not in seen_by(munich.id)
