"""What a file holds: its first bytes as text, to tell whether data survived a repair."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from labkit.errors import ProbeError
from labkit.probes.base import Probe, q
from labkit.transports.base import CommandResult

_MISSING = "labkit:missing"
_NOT_FILE = "labkit:not-a-file"


@dataclass(frozen=True)
class FileText:
    """``exists``: there is a regular file; ``text``: its first ``limit`` bytes, decoded
    (bytes that are not UTF-8 replaced); ``readable``: it could be read (an I/O error on a
    failed disk makes it False)."""

    exists: bool
    readable: bool = False
    text: str = ""


@dataclass(frozen=True)
class FileHead(Probe[FileText]):
    """The first ``limit`` bytes of ``path`` (``head -c``): a :class:`FileText`."""

    name: ClassVar[str] = "file.head"
    path: str
    limit: int = 4096

    def command(self) -> str:
        p = q(self.path)
        return (f"if [ -f {p} ]; then head -c {int(self.limit)} -- {p}; "
                f"elif [ -e {p} ]; then echo {_NOT_FILE}; else echo {_MISSING}; fi")

    def parse(self, result: CommandResult) -> FileText:
        first = result.stdout.strip()
        if first in (_MISSING, _NOT_FILE) and result.ok:
            return FileText(exists=False)
        if result.exit_code == 0:
            return FileText(exists=True, readable=True, text=result.stdout)
        if "Input/output error" in result.stderr or "Permission denied" in result.stderr:
            return FileText(exists=True, readable=False)
        raise ProbeError(f"cannot read {self.path}: {result.tail(2) or 'no output'}")
