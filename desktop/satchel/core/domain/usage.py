"""What people do with assets and collections of them."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class UsageAction(enum.StrEnum):
    """A usage event's action (they feed the insights reports)."""

    VIEWED = "viewed"  # details shown
    PREVIEWED = "previewed"  # pages drawn
    OPENED = "opened"  # handed to the system viewer
    COPIED = "copied"  # put on the clipboard
    EXPORTED = "exported"  # saved as a copy


@dataclass(frozen=True)
class CollectionInfo:
    """A named set of assets, with how many it holds."""

    id: str
    name: str
    description: str
    count: int
