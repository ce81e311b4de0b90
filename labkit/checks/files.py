"""Check kinds about plain files."""

from __future__ import annotations

from typing import ClassVar, Literal

from labkit.checks.base import Args, CheckKind, Facts, Verdict
from labkit.probes.files import FileStat

_TYPES = {"file": "regular file", "directory": "directory"}


class FileExistsArgs(Args):
    path: str
    type: Literal["file", "directory", "any"] = "file"


class FileExists(CheckKind[FileExistsArgs]):
    """``path`` exists (and is a regular file or a directory, as asked)."""

    name: ClassVar[str] = "file.exists"
    Args = FileExistsArgs

    def probe(self, args: FileExistsArgs) -> FileStat:
        return FileStat(args.path)

    def evaluate(self, args: FileExistsArgs, facts: Facts) -> Verdict:
        stat = facts[self.probe(args)]
        if not stat["exists"]:
            return Verdict(False, "file.missing", {"path": args.path})
        if args.type != "any" and stat["type"] != _TYPES[args.type]:
            values = {"path": args.path, "type": stat["type"]}
            if args.type == "directory":
                return Verdict(False, "file.not_directory", values)
            return Verdict(False, "file.not_file", values)
        return Verdict(True, "file.exists", {"path": args.path})
