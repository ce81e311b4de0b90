"""Check kinds about what files hold (the data a repair had to keep)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from labkit.checks.base import Args, CheckKind, Facts, Verdict
from labkit.probes.content import FileHead


class ContainsArgs(Args):
    path: str
    #: text the file's first 4 KiB must hold
    text: str = Field(min_length=1)


class FileContains(CheckKind[ContainsArgs]):
    """``path`` is a readable regular file whose first 4 KiB hold ``text``."""

    name: ClassVar[str] = "file.contains"
    Args = ContainsArgs

    def probe(self, args: ContainsArgs) -> FileHead:
        return FileHead(args.path)

    def evaluate(self, args: ContainsArgs, facts: Facts) -> Verdict:
        found = facts[self.probe(args)]
        values = {"path": args.path, "text": args.text}
        if not found.exists:
            return Verdict(False, "drills.file_missing", values)
        if not found.readable:
            return Verdict(False, "drills.file_unreadable", values)
        if args.text not in found.text:
            return Verdict(False, "drills.file_changed", values)
        return Verdict(True, "drills.file_ok", values)
