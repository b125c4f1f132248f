"""The demo library: realistic, every kind, three languages, three roles, deterministic."""

from __future__ import annotations

from pathlib import Path

import pytest

from satchel.core.domain.assets import AssetKind, FileType
from satchel.core.domain.users import Role
from satchel.core.errors import KnownError
from satchel.core.services import Services
from tests.conftest import TEST_LIMITS


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "library"
    Services.build_demo(root, limits=TEST_LIMITS).close()
    return root


def test_demo_covers_every_kind_language_and_role(demo: Path) -> None:
    with Services.open(demo, read_only=True) as services:
        assets = services.assets.list_all()
        assert 40 <= len(assets) <= 50
        assert {a.metadata.kind for a in assets} == set(AssetKind)
        assert {a.metadata.language for a in assets} == {"en", "de", "es"}
        assert {a.file_type for a in assets} == set(FileType)
        assert len({a.metadata.product for a in assets} - {""}) == 3
        assert {u.role for u in services.people.list_all()} == set(Role)
        assert services.care.check().ok
        for asset in assets:
            assert asset.metadata.summary and asset.metadata.tags and asset.metadata.region
            assert services.assets.thumbnail_path(asset.sha256) is not None
        brochure = next(a for a in assets if a.metadata.title.startswith("Atlas X-200: The edge"))
        text = " ".join(services.assets.get(brochure.id, with_text=True).page_texts)
        assert "OPC UA" in text and "lorem" not in text.lower()
        templates = services.templates.list_all()
        assert len(templates) == 4
        kinds = {spec.kind.value for t in templates for spec in t.fields}
        assert {"text", "paragraph", "profile", "percent", "date", "image", "choice"} <= kinds
        assert [c.count for c in services.collections.list_all()] == [6, 4]


def test_demo_build_is_deterministic(demo: Path, tmp_path: Path) -> None:
    with Services.build_demo(tmp_path / "again", limits=TEST_LIMITS) as again:
        second = [(a.id, a.sha256, a.metadata, a.updated_at) for a in again.assets.list_all()]
    with Services.open(demo, read_only=True) as services:
        first = [(a.id, a.sha256, a.metadata, a.updated_at) for a in services.assets.list_all()]
    assert first == second


def test_demo_refuses_a_folder_with_content(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(KnownError, match="not empty"):
        Services.build_demo(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


# A small labelled set: each query a rep might type, and the asset that must be in the top 3.
RELEVANCE = [
    ("atlas datasheet", "Atlas X-200 Datasheet"),
    ("edge gateway", "Atlas X-200: The edge gateway that keeps every machine on the line talking."),
    ("vibration sensor battery", "Beacon BT-40 Datasheet"),
    (
        "bottling downtime case study",
        "How Harlow Foods cut unplanned downtime on its bottling lines by 41 %",
    ),
    (
        "hospital air handlers",
        "St. Aurelia keeps 96 air handlers healthy with predictive maintenance",
    ),
    ("brauerei", "Brauerei Lenz senkt Stillstände in der Abfüllung um ein Drittel"),
    ("preisliste", "Preisliste 2027"),
    ("lista de precios", "Lista de precios 2027"),
    ("security questionnaire", "Security questionnaire: standard answers"),
    ("SAP PM integration", "Cirrus CX Datasheet"),
    ("quotation template", "Price quote (template)"),
    ("company overview deck", "Kestrel Systems company overview"),
    ("beacon photo", "Beacon BT-40 product photo"),
    (
        "Überblick Cirrus",
        "Cirrus CX: Ausfälle Wochen im Voraus erkennen – und wissen, welcher Auftrag nötig ist.",
    ),
]


@pytest.mark.parametrize(("query", "expected"), RELEVANCE)
def test_relevance_on_the_demo_library(demo: Path, query: str, expected: str) -> None:
    with Services.open(demo, read_only=True) as services:
        top = [hit.title for hit in services.search.find(query).hits[:3]]
    assert expected in top, top
