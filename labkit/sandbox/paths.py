"""Where the sandbox keeps its files.

* ``$LABKIT_HOME`` (default ``~/.local/share/labkit``): state; labs live in ``labs/<name>/``.
* ``$LABKIT_CACHE`` (default ``~/.cache/labkit``): built or imported images and warm snapshots.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from labkit.errors import SandboxError
from labkit.settings import current

DEFAULT_LAB = "default"
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")


def labkit_home() -> Path:
    """The state directory (``$LABKIT_HOME`` or ``~/.local/share/labkit``)."""
    return current().home


def cache_dir() -> Path:
    """The cache directory (``$LABKIT_CACHE`` or ``~/.cache/labkit``)."""
    return current().cache


def labs_dir() -> Path:
    """The directory holding one sub-directory per lab."""
    return labkit_home() / "labs"


def check_name(name: str, what: str = "lab name") -> str:
    """Return ``name`` if it is a safe file/host name, else raise :class:`SandboxError`."""
    if not _NAME_RE.match(name):
        raise SandboxError(
            f"invalid {what} {name!r}: use letters, digits, '.', '_' or '-' (at most 32)"
        )
    return name


def lab_dir(name: str) -> Path:
    """The directory of lab ``name``."""
    return labs_dir() / check_name(name)


# Linux limits a unix socket path to 107 bytes.
MAX_SOCKET_PATH = 107


def check_socket_path(path: Path) -> Path:
    """Refuse unix socket paths that the kernel would truncate."""
    if len(os.fsencode(path)) > MAX_SOCKET_PATH:
        raise SandboxError(
            f"path too long for a unix socket ({len(str(path))} > {MAX_SOCKET_PATH} bytes): "
            f"{path}; set LABKIT_HOME to a shorter directory"
        )
    return path


class InFolder:
    """A file of an object's folder, as a read-only attribute::

        class Lab:
            key = InFolder("id_ed25519")      # lab.key == lab.dir / "id_ed25519"
    """

    def __init__(self, name: str, folder: str = "dir") -> None:
        self.name = name
        self.folder = folder

    def __get__(self, obj: Any, owner: type | None = None) -> Path:
        if obj is None:
            raise AttributeError(self.name)
        folder: Path = getattr(obj, self.folder)
        return folder / self.name
