"""Reps see published assets only; marketers see drafts too (issue 13)."""

from __future__ import annotations

from pathlib import Path

import pytest

from satchel.core.domain.usage import UsageAction
from satchel.core.errors import NotFoundError
from tests.conftest import open_as


def test_a_rep_never_finds_gets_or_exports_a_draft(demo_dir: Path, tmp_path: Path) -> None:
    with open_as(demo_dir, "marketer") as services:
        draft = next(a for a in services.assets.list_all() if a.file_type.value == "pdf")
        services.assets.update_metadata(draft.id, {"status": "draft"})
        title = draft.metadata.title
        found = services.search.find(title)
        assert draft.id in [hit.id for hit in found.hits]
        assert next(h for h in found.hits if h.id == draft.id).status == "draft"

        services.people.sign_in("riley.chen@kestrel-systems.example")  # the rep
        assert draft.id not in [hit.id for hit in services.search.find(title).hits]
        browsing = services.search.find("", page_size=1000, include_hidden=True)
        assert draft.id not in [hit.id for hit in browsing.hits]
        assert "draft" not in dict(browsing.facets.get("status", ()))
        assert draft.id not in [a.id for a in services.assets.list_all()]
        for attempt in (
            lambda: services.assets.get(draft.id),
            lambda: services.assets.export_copy(draft.id, tmp_path / "copy.pdf"),
            lambda: services.assets.shareable_copy(draft.id, UsageAction.COPIED),
        ):
            with pytest.raises(NotFoundError, match="is a draft: marketing has not published"):
                attempt()
        assert not (tmp_path / "copy.pdf").exists()

        services.people.sign_in("mara.lindqvist@kestrel-systems.example")
        services.assets.update_metadata(draft.id, {"status": "published"})
        services.people.sign_in("riley.chen@kestrel-systems.example")
        assert draft.id in [hit.id for hit in services.search.find(title).hits]


def test_recently_used_lists_the_newest_first(demo_dir: Path) -> None:
    with open_as(demo_dir, "rep") as services:
        first, second, third = [a.id for a in services.assets.list_all()[:3]]
        for asset_id in (second, first, third, second):
            services.assets.record_usage(asset_id, UsageAction.OPENED)
        recent = services.assets.recently_used()
        assert recent == [second, third, first]
        listed = services.search.find("", scope=recent)
        assert [hit.id for hit in listed.hits] == [second, third, first]
        paged = services.search.find("", scope=recent, page=2, page_size=2)
        assert [hit.id for hit in paged.hits] == [first] and paged.total == 3
