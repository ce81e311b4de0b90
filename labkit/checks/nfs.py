"""Check kinds about NFS: an export as written in /etc/exports (survives a reboot), as the
server exports it now (``exportfs -s``), and what root on a client can do in a mount
(a functional write test)."""

from __future__ import annotations

import posixpath
from typing import Any, ClassVar, Literal

from pydantic import Field

from labkit.checks.base import Args, CheckKind, Facts, Verdict
from labkit.probes.nfs import (
    Export,
    ExportClient,
    ExportfsLive,
    ExportsFile,
    WriteTest,
    effective,
    setting,
)

NOBODY = 65534


class ExportArgs(Args):
    path: str
    client: str
    #: options that must be in effect for that client (``rw``, ``root_squash``, ``fsid=0``…)
    options: list[str] = Field(default_factory=list)


def _find(entries: list[Export], args: ExportArgs) -> tuple[bool, ExportClient | None]:
    """(path exported at all, the entry of ``client`` for it); the last entry wins."""
    path = posixpath.normpath(args.path)
    found_path, found = False, None
    for entry in entries:
        if posixpath.normpath(entry["path"]) != path:
            continue
        found_path = True
        for client in entry["clients"]:
            if client["host"] == args.client:
                found = client
    return found_path, found


def _judge(args: ExportArgs, entries: list[Export], prefix: str) -> Verdict:
    values: dict[str, Any] = {"path": args.path, "client": args.client,
                              "options": ",".join(args.options)}
    exported, client = _find(entries, args)
    if client is None:
        others = sorted({c["host"] for e in entries
                         if posixpath.normpath(e["path"]) == posixpath.normpath(args.path)
                         for c in e["clients"]})
        if exported:
            return Verdict(False, f"{prefix}_client_wrong", {**values, "found": ", ".join(others)})
        return Verdict(False, f"{prefix}_missing", values)
    have = effective(client["options"])
    for option in args.options:
        key, value = setting(option)
        if have.get(key) != value:
            return Verdict(False, f"{prefix}_option_wrong", {
                **values, "option": option, "found": have.get(key, "-"),
                "written": ",".join(client["options"]) or "-"})
    return Verdict(True, f"{prefix}_ok", values)


class ExportInFile(CheckKind[ExportArgs]):
    """/etc/exports exports ``path`` to ``client`` with ``options`` (what the server will
    export after ``exportfs -a`` or a reboot)."""

    name: ClassVar[str] = "nfs.export_file"
    Args = ExportArgs

    def probe(self, args: ExportArgs) -> ExportsFile:
        return ExportsFile()

    def evaluate(self, args: ExportArgs, facts: Facts) -> Verdict:
        return _judge(args, facts[self.probe(args)], "nfs.file")


class ExportedNow(CheckKind[ExportArgs]):
    """The NFS server runs and exports ``path`` to ``client`` with ``options`` right now."""

    name: ClassVar[str] = "nfs.exported"
    Args = ExportArgs

    def probe(self, args: ExportArgs) -> ExportfsLive:
        return ExportfsLive()

    def evaluate(self, args: ExportArgs, facts: Facts) -> Verdict:
        live = facts[self.probe(args)]
        if not live["running"]:
            return Verdict(False, "nfs.server_stopped", {"path": args.path})
        return _judge(args, live["exports"], "nfs.live")


class WriteArgs(Args):
    directory: str
    #: ``squashed``: root's file belongs to nobody; ``root``: it stays root's (no_root_squash);
    #: ``refused``: the write fails (a read-only export)
    expect: Literal["squashed", "root", "refused"]


class RootWrite(CheckKind[WriteArgs]):
    """What happens when root writes in ``directory`` (an NFS mount): FUNCTIONAL, it writes
    and removes one scratch file (see ``labkit.probes.nfs.WriteTest``)."""

    name: ClassVar[str] = "nfs.root_write"
    Args = WriteArgs

    def probe(self, args: WriteArgs) -> WriteTest:
        return WriteTest(args.directory)

    def evaluate(self, args: WriteArgs, facts: Facts) -> Verdict:
        test = facts[self.probe(args)]
        values: dict[str, Any] = {"directory": args.directory}
        if test["state"] == "not-a-directory":
            return Verdict(False, "nfs.write_no_dir", values)
        if test["state"] == "stale":
            return Verdict(False, "nfs.write_stale", values)
        if test["state"] == "refused":
            values["error"] = test["error"]
            if args.expect == "refused":
                return Verdict(True, "nfs.write_refused_ok", values)
            return Verdict(False, "nfs.write_refused", values)
        values.update(user=test["user"], uid=test["uid"])
        if args.expect == "refused":
            return Verdict(False, "nfs.write_allowed", values)
        squashed = test["uid"] == NOBODY
        if args.expect == "squashed" and not squashed:
            return Verdict(False, "nfs.write_not_squashed", values)
        if args.expect == "root" and test["uid"] != 0:
            return Verdict(False, "nfs.write_squashed", values)
        return Verdict(True, "nfs.write_ok", values)
