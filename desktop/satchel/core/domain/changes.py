"""The `Changes` value every mutating service call returns; the UI refreshes from it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Changes:
    """What a service call changed."""

    assets_added: frozenset[str] = frozenset()
    assets_changed: frozenset[str] = frozenset()
    assets_removed: frozenset[str] = frozenset()
    users: bool = False
    collections: bool = False
    templates: bool = False
    library_replaced: bool = False  # e.g. after a restore: reload everything
    documents: frozenset[str] = frozenset()  # generated documents recorded
    customizations: frozenset[str] = frozenset()  # a rep's kept values
    usage: bool = False  # usage events recorded
    search_log: bool = False  # a low-result search recorded
    synonyms: bool = False  # the search synonyms changed
    requests: bool = False  # a request was made, decided or read
    feedback: bool = False  # feedback or an outcome recorded

    @property
    def any(self) -> bool:
        return bool(
            self.assets_added
            or self.assets_changed
            or self.assets_removed
            or self.users
            or self.collections
            or self.templates
            or self.library_replaced
            or self.documents
            or self.customizations
            or self.usage
            or self.search_log
            or self.synonyms
            or self.requests
            or self.feedback
        )
