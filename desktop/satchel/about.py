"""What this build is made of: Satchel's version and the libraries it ships, with their
licences, read from the installed packages' own metadata (never typed in by hand)."""

from __future__ import annotations

import importlib.metadata as metadata
import platform
from dataclasses import dataclass

# The libraries a person may ask about (what the window and the documents rely on).
SHIPPED = ("PySide6-Essentials", "SQLAlchemy", "alembic", "whoosh-reloaded", "reportlab",
           "pypdf", "pypdfium2", "Pillow", "python-docx", "python-pptx", "pebble", "psutil",
           "platformdirs", "tomli-w")  # fmt: skip


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    licence: str


def satchel_version() -> str:
    try:
        return metadata.version("satchel")
    except metadata.PackageNotFoundError:  # a frozen build without the metadata
        return "unknown"


def components() -> list[Component]:
    """Python, then each shipped library with its version and licence."""
    found = [Component("Python", platform.python_version(), "PSF-2.0")]
    for name in SHIPPED:
        try:
            info = metadata.metadata(name)
        except metadata.PackageNotFoundError:
            found.append(Component(name, "not installed", ""))
            continue
        found.append(Component(name, info["Version"], _licence(info)))
    return found


def _licence(info: metadata.PackageMetadata) -> str:
    """The SPDX expression when the package gives one, else its License field's first
    line, else its licence classifier."""
    if expression := info.get("License-Expression"):
        return str(expression)
    if text := (info.get("License") or "").strip():
        return text.splitlines()[0].split(" (")[0][:80]
    classifiers = [c for c in info.get_all("Classifier") or [] if c.startswith("License ::")]
    return classifiers[0].rsplit(" :: ", 1)[-1] if classifiers else "see its distribution"
