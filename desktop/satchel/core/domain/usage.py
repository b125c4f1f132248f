"""What people do with assets and collections of them."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from satchel.core.domain.permissions import Capability, allows
from satchel.core.domain.users import Profile, Role


class UsageAction(enum.StrEnum):
    """A usage event's action (they feed the insights reports)."""

    VIEWED = "viewed"  # details shown
    PREVIEWED = "previewed"  # pages drawn
    OPENED = "opened"  # handed to the system viewer
    COPIED = "copied"  # put on the clipboard
    EXPORTED = "exported"  # saved as a copy
    PRESENTED = "presented"  # shown full screen to a customer; detail: seconds, per page


MAX_PRESENTED_SECONDS = 12 * 3600  # a longer presentation was left open: counted as this


def presentation_detail(seconds: float, dwell: dict[int, float],
                        page_count: int) -> dict[str, object]:  # fmt: skip
    """How long an asset was presented and how long each page was shown (pages outside
    the file and negative times, which a bad clock makes, left out)."""
    pages = {str(page): round(min(max(0.0, shown), MAX_PRESENTED_SECONDS), 1)
             for page, shown in sorted(dwell.items()) if 1 <= page <= max(1, page_count)}  # fmt: skip
    return {"seconds": round(min(max(0.0, seconds), MAX_PRESENTED_SECONDS), 1), "pages": pages}


@dataclass(frozen=True)
class CollectionInfo:
    """A named set of assets, with how many it holds."""

    id: str
    name: str
    description: str
    count: int
    roles: tuple[Role, ...] = tuple(Role)  # who sees it: these roles, and the people in
    territories: tuple[str, ...] = ()  # these territories (marketing always sees it)

    def visible_to(self, person: Profile | None) -> bool:
        """Marketers and admins see every collection (nobody signed in: maintenance
        reads, which see all); anyone else by role or by territory."""
        if person is None or allows(person.role, Capability.MANAGE_COLLECTIONS):
            return True
        if person.role in self.roles:
            return True
        mine = fold_territory(person.territory)
        return bool(mine) and mine in {fold_territory(t) for t in self.territories}

    def shared_with(self) -> str:
        """ "Shared with everyone", "Shared with reps in DACH and Nordics", …"""
        if Role.REP in self.roles:
            return "Shared with everyone"
        if self.territories:
            places = list(self.territories)
            named = places[0] if len(places) == 1 else ", ".join(places[:-1]) + " and " + places[-1]
            return f"Shared with reps in {named}"
        return "Marketing only: not shared with reps"


def fold_territory(name: str) -> str:
    """Territories compare without case or surrounding space ("DACH" is "dach ")."""
    return " ".join(name.split()).casefold()
