"""My documents: what a person generated, handed out again by name, with provenance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from satchel.core.domain.users import Role
from satchel.core.errors import DamagedFileError, NotFoundError
from satchel.core.services import Services
from tests.conftest import TEST_LIMITS, open_as
from tests.core.services.test_templates import QUOTE, template_named

CLOCK = iter(dt.datetime(2026, 11, 23, 9, minute, tzinfo=dt.UTC) for minute in range(60))


@pytest.fixture
def demo(demo_dir: Path) -> Iterator[Services]:
    with open_as(demo_dir, limits=TEST_LIMITS, workers=1, clock=lambda: next(CLOCK)) as services:
        yield services


def sign_in(services: Services, role: Role) -> str:
    return services.people.sign_in(
        next(u.id for u in services.people.list_all() if u.role is role)
    ).id


def test_my_documents_lists_mine_newest_first_and_hands_them_out_by_name(demo: Services) -> None:
    sign_in(demo, Role.REP)
    quote = template_named(demo, "Price quote")
    first, _ = demo.templates.generate(quote.id, QUOTE)
    second, _ = demo.templates.generate(quote.id, {**QUOTE, "discount": "12.5",
                                                   "customer": "Müller Getränke"})  # fmt: skip
    mine = demo.documents.mine()
    assert [d.id for d in mine] == [second.id, first.id]
    assert mine[0].for_whom == "Q-2026-0042 Müller Getränke" and mine[0].draft
    assert mine[0].state == "Draft (awaits approval)" and mine[1].state == "Final"
    assert mine[1].template.version == quote.version
    copy = demo.documents.shareable_copy(first.id)
    assert copy.name == "Price quote Q-2026-0042 Harlow Foods Ltd.pdf"
    assert copy.read_bytes() == first.pdf
    told = demo.documents.provenance(second.id)
    assert f"Template: “{quote.title}” version {quote.version}" in told
    assert "Made by Riley Chen <riley.chen@kestrel-systems.example> on 2026-11-23 09:" in told
    assert "  Discount: 12.5" in told and f"File SHA-256: {second.sha256}" in told

    sign_in(demo, Role.MARKETER)  # someone else's documents are not theirs to list
    assert demo.documents.mine() == []
    with pytest.raises(NotFoundError, match="not among yours"):
        demo.documents.shareable_copy(first.id)


def test_a_damaged_document_is_not_handed_out(demo: Services) -> None:
    sign_in(demo, Role.REP)
    made, _ = demo.templates.generate(template_named(demo, "Price quote").id, QUOTE)
    demo._ctx.library.blobs.path_for(made.sha256).write_bytes(b"changed")
    with pytest.raises(DamagedFileError):
        demo.documents.shareable_copy(made.id)
