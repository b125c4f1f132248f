"""Refusing library folders where SQLite's WAL mode is unsafe: network shares, cloud sync."""

from __future__ import annotations

from pathlib import Path, PurePath

import psutil

from satchel.core.errors import LibraryLocationError

NETWORK_FILESYSTEMS = {
    "nfs",
    "nfs4",
    "cifs",
    "smb",
    "smb2",
    "smb3",
    "smbfs",
    "afpfs",
    "webdav",
    "davfs",
    "fuse.sshfs",
    "sshfs",
    "9p",
    "fuse.rclone",
    "ncpfs",
    "afs",
    "ceph",
    "glusterfs",
    "fuse.glusterfs",
    "lustre",
    "gpfs",
}

# Folder names the cloud-sync clients create (they rewrite files behind SQLite's back).
CLOUD_FOLDERS = {
    "onedrive": "OneDrive",
    "dropbox": "Dropbox",
    "google drive": "Google Drive",
    "googledrive": "Google Drive",
    "my drive": "Google Drive",
    "icloud drive": "iCloud",
    "icloud": "iCloud",
    "com~apple~clouddocs": "iCloud",
    "box sync": "Box",
    "box": "Box",
    "pcloud drive": "pCloud",
    "mega": "MEGA",
    "nextcloud": "Nextcloud",
}


def cloud_service(path: PurePath) -> str | None:
    """The cloud-sync service whose folder contains `path`, if any."""
    for part in path.parts:
        name = part.lower()
        if name.startswith("onedrive"):  # "OneDrive - Contoso"
            return "OneDrive"
        if name in CLOUD_FOLDERS:
            return CLOUD_FOLDERS[name]
    return None


def filesystem_type(path: Path) -> tuple[str, bool]:
    """(filesystem type, is remote) of the mount holding `path` (the longest mount prefix)."""
    target = path.resolve()
    best: Path | None = None
    fstype, remote = "", False
    for part in psutil.disk_partitions(all=True):
        mount = Path(part.mountpoint)
        if target.is_relative_to(mount) and (best is None or len(mount.parts) > len(best.parts)):
            best, fstype = mount, part.fstype.lower()
            remote = "remote" in part.opts.split(",")  # how psutil marks Windows network drives
    return fstype, remote


def check_library_location(path: Path) -> None:
    """Raise `LibraryLocationError` if a live library must not live at `path`."""
    service = cloud_service(path.resolve())
    if service:
        raise LibraryLocationError(
            f"The folder {path} is synced by {service}. A live library cannot be kept "
            "there: the sync client copies the database while it is being written and "
            "can damage it. Choose a local folder; teams share through the hub instead."
        )
    if str(path).startswith(("\\\\", "//")):
        raise LibraryLocationError(_network_message(path))
    probe = path
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    fstype, remote = filesystem_type(probe)
    if remote or fstype in NETWORK_FILESYSTEMS:
        raise LibraryLocationError(_network_message(path))


def _network_message(path: Path) -> str:
    return (
        f"The folder {path} is on a network share. A live library needs a local disk, "
        "because the database's locking is not reliable over a network. Choose a local "
        "folder; teams share through the hub instead."
    )
