"""What this build is made of: Satchel's version and the libraries it ships, with their
licences, read from the installed packages' own metadata (never typed in by hand)."""

from __future__ import annotations

import importlib.metadata as metadata
import platform
import re
from dataclasses import dataclass

# The libraries shipped, when Satchel's own metadata (its requirements) is missing.
SHIPPED = ("PySide6-Essentials", "SQLAlchemy", "alembic", "whoosh-reloaded", "reportlab",
           "pypdf", "pypdfium2", "Pillow", "python-docx", "python-pptx", "pebble", "psutil",
           "platformdirs", "tomli-w", "rl-accel", "py3langid", "babel")  # fmt: skip
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def shipped() -> list[str]:
    """Satchel's required libraries (not the optional extras), as its metadata lists them."""
    try:
        wanted = metadata.requires("satchel") or []
    except metadata.PackageNotFoundError:
        return list(SHIPPED)
    names = [m.group(0) for r in wanted if "extra ==" not in r and (m := _NAME.match(r))]
    return names or list(SHIPPED)


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
    for name in shipped():
        try:
            info = metadata.metadata(name)
        except metadata.PackageNotFoundError:
            found.append(Component(name, "not installed", ""))
            continue
        found.append(Component(info["Name"] or name, info["Version"], _licence(info)))
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
