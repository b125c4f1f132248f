"""Where things live: the library folder layout (DESIGN §3.1) and platform folders."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "Satchel"
APP_AUTHOR = "Satchel"


def resources_dir() -> Path:
    """Bundled fonts and icons: inside the installed package, else the source checkout."""
    package = Path(__file__).resolve().parents[1]
    installed = package / "resources"
    return installed if installed.is_dir() else package.parents[1] / "resources"


def font_path(bold: bool = False) -> Path:
    """The bundled sans-serif font (never a system font: output must match everywhere)."""
    return resources_dir() / "fonts" / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")


def default_library_dir() -> Path:
    """The rep's local library in the platform data folder."""
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)) / "Library"


def log_dir() -> Path:
    """The platform log folder."""
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


@dataclass(frozen=True)
class LibraryPaths:
    """The files and folders inside one library folder."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "satchel.db"

    @property
    def blobs(self) -> Path:
        return self.root / "blobs"

    @property
    def staging(self) -> Path:
        """Files being written; anything here after a crash is garbage, but for a
        file from the hub not yet whole (see BlobStore.resume)."""
        return self.root / "blobs" / "tmp"

    @property
    def index(self) -> Path:
        return self.root / "index"

    @property
    def thumbnails(self) -> Path:
        return self.root / "cache" / "thumbs"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def lock(self) -> Path:
        return self.root / "satchel.lock"

    @property
    def marker(self) -> Path:
        """The library's id, written into the folder when it is created."""
        return self.root / "satchel.id"

    @property
    def quarantine(self) -> Path:
        """What a repair took out, in dated folders, kept some days before purging."""
        return self.root / "quarantine"

    def thumbnail(self, sha256: str) -> Path:
        """The cached PNG thumbnail of a blob."""
        return self.thumbnails / sha256[:2] / f"{sha256}.png"
