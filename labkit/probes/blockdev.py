"""Block devices, filesystems and mounts: ``dumpe2fs -h``, ``lsblk -J``, ``findmnt -J``
and /etc/fstab. All read-only (``dumpe2fs -h`` only reads the superblock)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, Required, TypedDict

from labkit.errors import ProbeError
from labkit.probes.base import Probe, q
from labkit.transports.base import CommandResult

_MISSING = "labkit:missing"


class Ext4Info(TypedDict, total=False):
    """``blockdev.ext4``: ``state`` ``ok`` (with the size in bytes, block count and size),
    ``missing`` (no such device) or ``no-fs`` (no ext filesystem)."""

    state: Required[Literal["ok", "missing", "no-fs"]]
    size: int
    block_count: int
    block_size: int


class MountEntry(TypedDict):
    """A mounted filesystem (findmnt) or an /etc/fstab line."""

    source: str
    target: str
    fstype: str
    options: list[str]


class BlockDevice(TypedDict):
    """A block device as lsblk lists it (strings ``""`` when lsblk knows nothing)."""

    name: str
    size: int
    serial: str
    vendor: str
    model: str
    tran: str
    type: str


class PathInfo(TypedDict, total=False):
    """``blockdev.path``: where a path leads (``target``), whether it is a symbolic link and a
    block device, and the device's size in bytes (0 unless a block device)."""

    exists: Required[bool]
    link: bool
    target: str
    block: bool
    size: int


@dataclass(frozen=True)
class Ext4Size(Probe[Ext4Info]):
    """The size of the ext2/3/4 filesystem on ``device`` (its superblock, read-only).

    Returns ``{"state": "ok", "size": bytes, "block_count", "block_size"}``,
    ``{"state": "missing"}`` (no such device) or ``{"state": "no-fs"}`` (no ext filesystem).
    """

    name: ClassVar[str] = "blockdev.ext4"
    device: str

    def command(self) -> str:
        d = q(self.device)
        return f"if [ -e {d} ]; then dumpe2fs -h -- {d}; else echo {_MISSING}; fi"

    def parse(self, result: CommandResult) -> Ext4Info:
        if result.stdout.strip() == _MISSING:
            return {"state": "missing"}
        if result.exit_code == 127:
            raise ProbeError("dumpe2fs (e2fsprogs) is not installed on the lab host")
        if not result.ok:
            if "Bad magic number" in result.stderr or "superblock" in result.stderr:
                return {"state": "no-fs"}
            raise ProbeError(f"dumpe2fs failed: {result.tail(2) or 'no output'}")
        fields: dict[str, str] = {}
        for line in result.stdout.splitlines():
            key, sep, value = line.partition(":")
            if sep:
                fields[key.strip()] = value.strip()
        try:
            count, size = int(fields["Block count"]), int(fields["Block size"])
        except (KeyError, ValueError):
            raise ProbeError("dumpe2fs printed no block count or block size") from None
        return {"state": "ok", "size": count * size, "block_count": count, "block_size": size}


def _json_rows(result: CommandResult, tool: str, table: str) -> list[Any]:
    """The list ``table`` of what a util-linux tool printed with ``-J`` (``findmnt``,
    ``lsblk``), or ProbeError saying why there is none."""
    if not result.ok:
        raise ProbeError(f"{tool} failed: {result.tail(2) or 'no output'}")
    try:
        data = json.loads(result.stdout)
    except (ValueError, RecursionError):
        raise ProbeError(f"{tool} printed something that is not JSON") from None
    rows = data.get(table) if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise ProbeError(f"{tool} printed an unexpected JSON shape")
    return rows


@dataclass(frozen=True)
class Mounts(Probe[list[MountEntry]]):
    """Every mounted filesystem (``findmnt -J -l``).

    Returns ``[{"target", "source", "fstype", "options": [..]}]``.
    """

    name: ClassVar[str] = "blockdev.mounts"

    def command(self) -> str:
        return "findmnt -J -l -o TARGET,SOURCE,FSTYPE,OPTIONS"

    def parse(self, result: CommandResult) -> list[MountEntry]:
        rows = _json_rows(result, "findmnt", "filesystems")
        out: list[MountEntry] = []
        for row in rows:
            if not isinstance(row, dict) or not all(
                    isinstance(row.get(k), str) for k in ("target", "source", "fstype")):
                raise ProbeError(f"findmnt printed an unexpected entry: {row!r}")
            options = row.get("options") or ""
            out.append({"target": row["target"], "source": row["source"],
                        "fstype": row["fstype"], "options": str(options).split(",")})
        return out


def parse_fstab(text: str) -> list[MountEntry]:
    """The entries of an fstab file: ``[{"source", "target", "fstype", "options": [..]}]``.
    Comments and blank lines are skipped; ``\\040`` stands for a space, as in fstab(5)."""
    entries: list[MountEntry] = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        fields = [f.replace("\\040", " ") for f in line.split()]
        if len(fields) < 2:
            continue
        fields += ["", "defaults"][len(fields) - 2:] if len(fields) < 4 else []
        entries.append({"source": fields[0], "target": fields[1], "fstype": fields[2],
                        "options": fields[3].split(",")})
    return entries


@dataclass(frozen=True)
class Fstab(Probe[list[MountEntry]]):
    """/etc/fstab, parsed: what is mounted at boot (see ``parse_fstab``)."""

    name: ClassVar[str] = "blockdev.fstab"

    def command(self) -> str:
        return "cat /etc/fstab"

    def parse(self, result: CommandResult) -> list[MountEntry]:
        if not result.ok:
            if "No such file" in result.stderr:
                return []
            raise ProbeError(f"cannot read /etc/fstab: {result.tail(2) or 'no output'}")
        return parse_fstab(result.stdout)


@dataclass(frozen=True)
class Lsblk(Probe[list[BlockDevice]]):
    """Every block device with its size in bytes, serial, vendor, model and transport
    (``lsblk -J -b``); iSCSI disks have ``"tran": "iscsi"``.

    Returns ``[{"name", "size", "serial", "vendor", "model", "tran", "type"}]``
    (strings stripped; ``""`` when lsblk knows nothing).
    """

    name: ClassVar[str] = "blockdev.lsblk"

    def command(self) -> str:
        return "lsblk -J -b -d -o NAME,SIZE,SERIAL,VENDOR,MODEL,TRAN,TYPE"

    def parse(self, result: CommandResult) -> list[BlockDevice]:
        rows = _json_rows(result, "lsblk", "blockdevices")
        out: list[BlockDevice] = []
        for row in rows:
            if not isinstance(row, dict) or not isinstance(row.get("name"), str):
                raise ProbeError(f"lsblk printed an unexpected entry: {row!r}")
            size = row.get("size")
            if isinstance(size, bool) or not isinstance(size, int):
                raise ProbeError(f"lsblk printed an unexpected size: {size!r}")
            text = {k: str(row.get(k) or "").strip()
                    for k in ("serial", "vendor", "model", "tran", "type")}
            out.append({"name": row["name"], "size": size, "serial": text["serial"],
                        "vendor": text["vendor"], "model": text["model"],
                        "tran": text["tran"], "type": text["type"]})
        return out


@dataclass(frozen=True)
class Symlink(Probe[PathInfo]):
    """Where the path ``path`` (e.g. a udev name /dev/vm1) leads, and what it is.

    Returns ``{"exists": False}`` or ``{"exists": True, "link": bool, "target": "/dev/sda",
    "block": bool, "size": bytes (0 unless a block device)}``.
    """

    name: ClassVar[str] = "blockdev.path"
    path: str

    def command(self) -> str:
        p = q(self.path)
        return (f"if [ -e {p} ] || [ -L {p} ]; then "
                f"if [ -L {p} ]; then echo link; else echo plain; fi; readlink -f -- {p}; "
                f"if [ -b {p} ]; then blockdev --getsize64 {p}; else echo -; fi; "
                f"else echo {_MISSING}; fi")

    def parse(self, result: CommandResult) -> PathInfo:
        lines = result.stdout.splitlines()
        if lines[:1] == [_MISSING]:
            return {"exists": False}
        if len(lines) < 3 or lines[0] not in ("link", "plain"):
            raise ProbeError(f"cannot read {self.path}: {result.tail(2) or 'no output'}")
        block = lines[2] != "-"
        try:
            size = int(lines[2]) if block else 0
        except ValueError:
            raise ProbeError(f"unexpected size of {self.path}: {lines[2]!r}") from None
        return {"exists": True, "link": lines[0] == "link", "target": lines[1],
                "block": block, "size": size}
