"""Search synonyms kept by marketing: applied when a query is read, checked as a list."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from satchel.core.domain.synonyms import Synonym, check
from satchel.core.domain.users import Role
from satchel.core.errors import PermissionDeniedError, ValidationError
from satchel.core.services import Services
from tests.conftest import TEST_LIMITS, open_as
from tests.core.services.test_documents import sign_in


@pytest.fixture
def demo(demo_dir: Path) -> Iterator[Services]:
    with open_as(demo_dir, "marketer", limits=TEST_LIMITS, workers=1) as services:
        yield services


def top(services: Services, query: str, count: int = 3) -> list[str]:
    return [hit.title for hit in services.search.find(query).hits[:count]]


def test_synonyms_widen_a_query_without_a_rebuild(demo: Services) -> None:
    assert [s.describe() for s in demo.search.synonyms()][:2] == [
        "spec sheet = datasheet",
        "slides = deck",
    ]  # the demo's
    demo.search.set_synonyms([])
    assert "Atlas X-200 Datasheet" not in top(demo, "atlas spec sheet")
    kept, changes = demo.search.set_synonyms([
        Synonym("spec sheet", "datasheet"),
        Synonym("X200", "X-200", both_ways=False),
        Synonym("TCO", "total cost of ownership"),
        Synonym("brewery", "Brauerei"),
    ])  # fmt: skip
    assert changes.synonyms and [s.describe() for s in kept][1] == "X200 → X-200"
    assert "Atlas X-200 Datasheet" in top(demo, "atlas spec sheet")
    assert "Atlas X-200 Datasheet" in top(demo, "x200 datasheet")
    assert "Brauerei Lenz senkt Stillstände in der Abfüllung um ein Drittel" in top(
        demo, "brewery case study"
    )
    sign_in(demo, Role.REP)  # everyone's searches use them; only marketing changes them
    assert "Atlas X-200 Datasheet" in top(demo, "atlas spec sheet")
    assert [s.term for s in demo.search.synonyms()] == ["spec sheet", "X200", "TCO", "brewery"]
    with pytest.raises(PermissionDeniedError, match="Only marketers and admins"):
        demo.search.set_synonyms([])


def test_hostile_and_looping_lists_are_refused_with_every_reason(demo: Services) -> None:
    before = demo.search.synonyms()
    hostile = [
        Synonym("", "datasheet"),
        Synonym("deck", "de\u200bck"),
        Synonym("Datasheet", " datasheet "),
        Synonym("a " * 7, "b"),
        Synonym("x" * 61, "y"),
        Synonym("flyer", "one-pager"),
        Synonym("one-pager", "FLYER"),
    ]
    with pytest.raises(ValidationError) as refused:
        demo.search.set_synonyms(hostile)
    assert refused.value.problems == [
        "Synonym 1: each side needs a word.",
        "Synonym 2: control or invisible characters are not allowed.",
        "Synonym 3: “Datasheet” and “datasheet” are the same words.",
        "Synonym 4: a side may have 6 words at most.",
        "Synonym 5: a side may have 60 characters at most.",
        "Synonym 7: “one-pager” and “FLYER” are listed twice.",
    ]
    with pytest.raises(ValidationError, match="go round in a circle: deck → slides → deck"):
        check([Synonym("deck", "slides", both_ways=False),
               Synonym("slides", "deck", both_ways=False)])  # fmt: skip
    with pytest.raises(ValidationError, match="at most 500"):
        check([Synonym(f"w{n}", f"v{n}") for n in range(501)])
    assert demo.search.synonyms() == before  # nothing kept


def test_a_word_with_synonyms_can_still_be_relaxed(demo: Services) -> None:
    """ "beacon datasheet" with datasheet = "spec sheet": assets matching only "beacon"
    still follow, as without the synonym."""
    results = demo.search.find("beacon datasheet")
    assert results.relaxed
    assert any(hit.unmatched == ("datasheet",) for hit in results.hits)
