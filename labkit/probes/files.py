"""Files on the lab host: existence, type, size, modification time and first bytes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Required, TypedDict

from labkit.errors import ProbeError
from labkit.probes.base import Probe, q
from labkit.transports.base import CommandResult

_MISSING = "labkit:missing"


class FileInfo(TypedDict, total=False):
    """``file.stat``: ``exists``; and, when it does, ``type`` as ``stat -L`` names it,
    ``size`` and ``mtime``, and ``magic``, its first 8 bytes in hex."""

    exists: Required[bool]
    type: str
    size: int
    mtime: int
    magic: str


@dataclass(frozen=True)
class FileStat(Probe[FileInfo]):
    """``stat`` of one path, plus its first 8 bytes in hex.

    Returns ``{"exists": False}`` or
    ``{"exists": True, "type": "regular file", "size": 4521984, "mtime": 1795750867,
    "magic": "514649fb00000003"}`` (``type`` as ``stat -L`` names it; a dangling symbolic
    link gives ``"symbolic link"``; ``magic`` is empty unless it is a readable regular file).
    """

    name: ClassVar[str] = "file.stat"
    path: str

    def command(self) -> str:
        p = q(self.path)
        # A symbolic link is followed; a dangling one is reported as "symbolic link".
        return (f"if [ -e {p} ]; then stat -L -c '%F|%s|%Y' -- {p} && "
                f"{{ [ -f {p} ] && [ -r {p} ] && od -An -tx1 -N8 -- {p} || true; }}; "
                f"elif [ -L {p} ]; then stat -c '%F|%s|%Y' -- {p}; "
                f"else echo {_MISSING}; fi")

    def parse(self, result: CommandResult) -> FileInfo:
        lines = result.stdout.splitlines()
        if lines and lines[0] == _MISSING:
            return {"exists": False}
        if not result.ok or not lines:
            raise ProbeError(f"stat failed: {result.tail(2) or 'no output'}")
        fields = lines[0].rsplit("|", 2)
        if len(fields) != 3:
            raise ProbeError(f"unexpected stat output: {lines[0]!r}")
        kind, size, mtime = fields
        # GNU stat says "regular empty file" for size 0; the size already tells that.
        kind = "regular file" if kind == "regular empty file" else kind
        magic = "".join("".join(lines[1:]).split())
        try:
            return {"exists": True, "type": kind, "size": int(size), "mtime": int(mtime),
                    "magic": magic}
        except ValueError:
            raise ProbeError(f"unexpected stat output: {lines[0]!r}") from None
