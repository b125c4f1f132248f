"""Building the demo library: render the catalogue, import it, describe it, add users."""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import uuid
from pathlib import Path

from satchel.core.demo.catalog import LOGOS, catalogue
from satchel.core.demo.content import COLLECTIONS, SYNONYMS, USERS
from satchel.core.demo.template_designs import DESIGNS
from satchel.core.domain.synonyms import Synonym
from satchel.core.domain.users import Role
from satchel.core.errors import KnownError

DEMO_SEED = 20261122
DEMO_START = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)


class DemoClock:
    """A clock that starts at a fixed moment and ticks one minute per reading."""

    def __init__(self) -> None:
        self._now = DEMO_START

    def __call__(self) -> dt.datetime:
        self._now += dt.timedelta(minutes=1)
        return self._now


def seeded_ids(seed: int = DEMO_SEED):  # type: ignore[no-untyped-def]
    """UUIDs from a seeded generator, so the same build gives the same ids."""
    rng = random.Random(seed)
    return lambda: str(uuid.UUID(int=rng.getrandbits(128), version=4))


def write_sources(folder: Path, today: dt.date | None = None) -> list[Path]:
    """Render every demo file into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for item in catalogue(today):
        path = folder / item.file_name
        path.write_bytes(item.make())
        paths.append(path)
    return paths


def populate(services, library_root: Path) -> None:  # type: ignore[no-untyped-def]
    """Import the catalogue into an open, empty library and describe each asset."""
    if services.care.summary().assets:
        raise KnownError(f"{library_root} already holds a library; the demo needs an empty folder.")
    # The admin first (a new library's first profile is its owner), then as the admin:
    # the others, the files, the collections; templates are published by the marketer.
    for name, email, role, title, phone, territory in sorted(USERS, key=lambda u: u[2] != "admin"):
        services.people.add(name, email, Role(role), title=title, phone=phone, territory=territory)
        if role == "admin":
            services.people.sign_in(email)
    today = dt.date.today()  # a few assets fall due around the day the demo is built
    with tempfile.TemporaryDirectory(prefix="satchel-demo-src-") as temp:
        paths = write_sources(Path(temp), today)
        report, _ = services.assets.import_paths(paths)
        by_name = {Path(r.path).name: r for r in report.results}
        for item in catalogue(today):
            result = by_name[item.file_name]
            if result.asset_id is None:
                raise RuntimeError(f"demo file {item.file_name} failed: {result.reason}")
            services.assets.update_metadata(result.asset_id, item.metadata)
    titles = {a.metadata.title: a.id for a in services.assets.list_all()}
    for name, description, starts, territories in COLLECTIONS:
        members = [next(i for t, i in titles.items() if t.startswith(s)) for s in starts]
        info, _ = services.collections.create(name, members, description)
        if territories:
            services.collections.share(info.id, [], territories)
    services.search.set_synonyms([Synonym(*entry) for entry in SYNONYMS])
    services.people.mark_demo()
    admin = services.actor
    assert admin is not None  # signed in above, to import
    services.people.sign_in(
        next(p.id for p in services.people.list_all() if p.role is Role.MARKETER)
    )
    logos = [titles[f"{name} logo"] for name, _colour in LOGOS]
    for design in DESIGNS:
        services.templates.publish(titles[design.title], design.fields(logos), design.title)
    services.people.sign_in(admin.id)
