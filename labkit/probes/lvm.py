"""LVM read with its own reporting tools: ``pvs``, ``vgs``, ``lvs -a`` (JSON) and ``lvmconfig``.

Every size is in bytes (``--units b --nosuffix``). ``lvs -a`` includes the hidden sub-volumes
(``[database_rimage_0]``, ``[pool_tmeta]``…) that show how a RAID, a thin pool or a snapshot
is really laid out. None of these commands changes anything.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, ClassVar

from labkit.errors import ProbeError
from labkit.probes.base import Probe
from labkit.transports.base import CommandResult

PV_FIELDS = ("pv_name", "vg_name", "pv_size", "pv_free", "pv_pe_count", "pv_pe_alloc_count")
VG_FIELDS = ("vg_name", "vg_size", "vg_free", "vg_extent_size", "vg_extent_count",
             "vg_free_count", "pv_count", "lv_count")
LV_FIELDS = ("lv_name", "vg_name", "lv_attr", "lv_size", "origin", "pool_lv", "data_percent",
             "metadata_percent", "segtype", "stripes", "devices", "seg_size", "lv_layout")
_REPORT = "--reportformat json --units b --nosuffix"
#: The settings of lvm.conf that the course names (automatic growth of snapshots and pools).
AUTOEXTEND = ("activation/snapshot_autoextend_threshold", "activation/snapshot_autoextend_percent",
              "activation/thin_pool_autoextend_threshold",
              "activation/thin_pool_autoextend_percent")
_DEVICE = re.compile(r"^(.*)\((\d+)\)$")


def _docs(text: str, count: int) -> list[Any]:
    """``count`` JSON documents printed one after another."""
    decoder, docs, pos = json.JSONDecoder(), [], 0
    try:
        for _ in range(count):
            while pos < len(text) and text[pos].isspace():
                pos += 1
            doc, pos = decoder.raw_decode(text, pos)
            docs.append(doc)
    except (ValueError, RecursionError):
        raise ProbeError("the LVM tools printed something that is not JSON") from None
    return docs


def _rows(doc: Any, table: str, fields: tuple[str, ...]) -> list[dict[str, str]]:
    try:
        rows = doc["report"][0][table]
    except (KeyError, IndexError, TypeError):
        raise ProbeError(f"unexpected LVM report: no {table!r} table") from None
    if not isinstance(rows, list):
        raise ProbeError(f"unexpected LVM report: {table!r} is not a list")
    out = []
    for row in rows:
        if not isinstance(row, dict) or not all(isinstance(row.get(f), str) for f in fields):
            raise ProbeError(f"unexpected LVM report row in {table!r}: {row!r}")
        out.append({f: row[f] for f in fields})
    return out


def report_command(*reports: tuple[str, tuple[str, ...]]) -> str:
    """LVM's reporting tools one after another (``("pvs", FIELDS)``…), each printing the
    given fields as JSON, sizes in bytes: what :func:`report_docs` reads."""
    return "; ".join(f"{tool} {_REPORT} -o {','.join(fields)}" for tool, fields in reports)


def report_docs(result: CommandResult, count: int) -> list[Any]:
    """The ``count`` JSON reports of :func:`report_command`, or ProbeError saying why not."""
    if result.exit_code == 127 or "command not found" in result.stderr:
        raise ProbeError("LVM (the lvm2 package) is not installed on the lab host")
    if not result.stdout.strip():
        raise ProbeError(f"the LVM tools failed: {result.tail(2) or 'no output'}")
    return _docs(result.stdout, count)


def _int(value: str, what: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ProbeError(f"unexpected LVM {what}: {value!r}") from None


def _percent(value: str) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        raise ProbeError(f"unexpected LVM percentage: {value!r}") from None


@dataclass(frozen=True)
class SegmentDevice:
    """Where a segment lies: ``/dev/vdb(16)`` is ``SegmentDevice("/dev/vdb", 16)``."""

    device: str
    extent: int


@dataclass(frozen=True)
class LvSegment:
    """One segment of an LV: its type (``linear``, ``striped``, ``raid1``, ``thin-pool``,
    ``thin``…), stripes (the images of a RAID 1), size in bytes and devices."""

    type: str
    stripes: int
    size: int
    devices: tuple[SegmentDevice, ...]


@dataclass(frozen=True)
class LvInfo:
    """One LV (``hidden``: a sub-volume such as ``[pool_tdata]``); ``type`` is
    ``lv_attr[0]`` (``s``: a snapshot, ``t``: a thin pool, ``V``: a thin volume…)."""

    vg: str
    name: str
    hidden: bool
    attr: str
    type: str
    size: int
    active: bool
    #: a snapshot that filled up and was invalidated (``lv_attr[4] == "I"``)
    invalid: bool
    origin: str
    pool: str
    data_percent: float | None
    metadata_percent: float | None
    layout: tuple[str, ...]
    segments: tuple[LvSegment, ...]


@dataclass(frozen=True)
class PvInfo:
    name: str
    vg: str
    size: int
    free: int
    extents: int
    allocated: int


@dataclass(frozen=True)
class VgInfo:
    name: str
    size: int
    free: int
    extent_size: int
    extents: int
    free_extents: int
    pv_count: int
    lv_count: int


@dataclass(frozen=True)
class LvmState:
    """Every PV, VG and LV (hidden ones too) of a host; sizes in bytes."""

    pvs: tuple[PvInfo, ...]
    vgs: tuple[VgInfo, ...]
    lvs: tuple[LvInfo, ...]

    def lv(self, vg: str, name: str) -> LvInfo | None:
        return next((lv for lv in self.lvs if lv.vg == vg and lv.name == name), None)

    def vg(self, name: str) -> VgInfo | None:
        return next((v for v in self.vgs if v.name == name), None)


@dataclass(frozen=True)
class LvmSettings:
    """The effective automatic-growth settings of lvm.conf (LVM's defaults where the file
    says nothing); a threshold of 100 turns growth off."""

    snapshot_autoextend_threshold: int
    snapshot_autoextend_percent: int
    thin_pool_autoextend_threshold: int
    thin_pool_autoextend_percent: int


def _devices(text: str) -> tuple[SegmentDevice, ...]:
    """``/dev/vdb(16),/dev/vdc(6)`` -> ``(SegmentDevice("/dev/vdb", 16), …)``."""
    out = []
    for part in filter(None, text.split(",")):
        match = _DEVICE.match(part)
        if not match:
            raise ProbeError(f"unexpected LVM devices field: {text!r}")
        out.append(SegmentDevice(match.group(1), int(match.group(2))))
    return tuple(out)


def _lvs(rows: list[dict[str, str]]) -> tuple[LvInfo, ...]:
    """One entry per LV, its segments in order (``lvs`` prints a row per segment)."""
    first: dict[tuple[str, str], dict[str, str]] = {}
    segments: dict[tuple[str, str], list[LvSegment]] = {}
    for row in rows:
        if len(row["lv_attr"]) < 10:
            raise ProbeError(f"unexpected lv_attr: {row['lv_attr']!r}")
        key = (row["vg_name"], row["lv_name"])
        first.setdefault(key, row)
        segments.setdefault(key, []).append(LvSegment(
            type=row["segtype"], stripes=_int(row["stripes"] or "0", "stripes"),
            size=_int(row["seg_size"], "segment size"), devices=_devices(row["devices"])))
    out = []
    for key, row in first.items():
        raw, attr = row["lv_name"], row["lv_attr"]
        hidden = raw.startswith("[") and raw.endswith("]")
        out.append(LvInfo(
            vg=row["vg_name"], name=raw[1:-1] if hidden else raw, hidden=hidden, attr=attr,
            type=attr[0], size=_int(row["lv_size"], "size"), active=attr[4] == "a",
            invalid=attr[0] in "sS" and attr[4] == "I",
            origin=row["origin"], pool=row["pool_lv"],
            data_percent=_percent(row["data_percent"]),
            metadata_percent=_percent(row["metadata_percent"]),
            layout=tuple(x for x in row["lv_layout"].split(",") if x),
            segments=tuple(segments[key])))
    return tuple(out)


@dataclass(frozen=True)
class LvmReport(Probe[LvmState]):
    """Every PV, VG and LV (hidden ones too) of the host: an :class:`LvmState`."""

    name: ClassVar[str] = "lvm.report"

    def command(self) -> str:
        return report_command(("pvs", PV_FIELDS), ("vgs", VG_FIELDS), ("lvs -a", LV_FIELDS))

    def parse(self, result: CommandResult) -> LvmState:
        pv_doc, vg_doc, lv_doc = report_docs(result, 3)
        pvs = tuple(PvInfo(name=r["pv_name"], vg=r["vg_name"], size=_int(r["pv_size"], "size"),
                           free=_int(r["pv_free"], "size"),
                           extents=_int(r["pv_pe_count"], "extent count"),
                           allocated=_int(r["pv_pe_alloc_count"], "extent count"))
                    for r in _rows(pv_doc, "pv", PV_FIELDS))
        vgs = tuple(VgInfo(name=r["vg_name"], size=_int(r["vg_size"], "size"),
                           free=_int(r["vg_free"], "size"),
                           extent_size=_int(r["vg_extent_size"], "extent size"),
                           extents=_int(r["vg_extent_count"], "extent count"),
                           free_extents=_int(r["vg_free_count"], "extent count"),
                           pv_count=_int(r["pv_count"], "count"),
                           lv_count=_int(r["lv_count"], "count"))
                    for r in _rows(vg_doc, "vg", VG_FIELDS))
        return LvmState(pvs, vgs, _lvs(_rows(lv_doc, "lv", LV_FIELDS)))


@dataclass(frozen=True)
class LvmConfig(Probe[LvmSettings]):
    """The effective autoextend settings of lvm.conf (``lvmconfig --typeconfig full``: the
    file's values, or LVM's defaults where the file says nothing): :class:`LvmSettings`."""

    name: ClassVar[str] = "lvm.config"

    def command(self) -> str:
        return "lvmconfig --typeconfig full " + " ".join(AUTOEXTEND)

    def parse(self, result: CommandResult) -> LvmSettings:
        if result.exit_code == 127:
            raise ProbeError("LVM (the lvm2 package) is not installed on the lab host")
        if not result.ok:
            raise ProbeError(f"lvmconfig failed: {result.tail(2) or 'no output'}")
        values: dict[str, int] = {}
        for line in result.stdout.splitlines():
            key, sep, value = line.strip().partition("=")
            if not sep:
                continue
            try:
                values[key] = int(value)
            except ValueError:
                raise ProbeError(f"unexpected lvmconfig line: {line!r}") from None
        wanted = {k.split("/")[1] for k in AUTOEXTEND}
        if set(values) != wanted:
            raise ProbeError(f"lvmconfig printed {sorted(values)}, not {sorted(wanted)}")
        return LvmSettings(**values)
