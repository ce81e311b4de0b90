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


def _devices(text: str) -> list[dict[str, Any]]:
    """``/dev/vdb(16),/dev/vdc(6)`` -> ``[{"device": "/dev/vdb", "extent": 16}, …]``."""
    out = []
    for part in filter(None, text.split(",")):
        match = _DEVICE.match(part)
        if not match:
            raise ProbeError(f"unexpected LVM devices field: {text!r}")
        out.append({"device": match.group(1), "extent": int(match.group(2))})
    return out


def _lvs(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    """One entry per LV, its segments in order (``lvs`` prints a row per segment)."""
    by_key: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        raw = row["lv_name"]
        hidden = raw.startswith("[") and raw.endswith("]")
        name = raw[1:-1] if hidden else raw
        attr = row["lv_attr"]
        if len(attr) < 10:
            raise ProbeError(f"unexpected lv_attr: {attr!r}")
        key = (row["vg_name"], name)
        lv = by_key.get(key)
        if lv is None:
            lv = by_key[key] = {
                "vg": row["vg_name"], "name": name, "hidden": hidden, "attr": attr,
                "type": attr[0], "size": _int(row["lv_size"], "size"),
                "active": attr[4] == "a",
                # lv_attr[4] is "I" for a snapshot that filled up and was invalidated
                "invalid": attr[0] in "sS" and attr[4] == "I",
                "origin": row["origin"], "pool": row["pool_lv"],
                "data_percent": _percent(row["data_percent"]),
                "metadata_percent": _percent(row["metadata_percent"]),
                "layout": [x for x in row["lv_layout"].split(",") if x],
                "segments": [],
            }
        lv["segments"].append({
            "type": row["segtype"], "stripes": _int(row["stripes"] or "0", "stripes"),
            "size": _int(row["seg_size"], "segment size"), "devices": _devices(row["devices"]),
        })
    return list(by_key.values())


@dataclass(frozen=True)
class LvmReport(Probe[dict[str, Any]]):
    """Every PV, VG and LV (hidden ones too) of the host.

    Returns ``{"pvs": [{"name", "vg", "size", "free", "extents", "allocated"}],
    "vgs": [{"name", "size", "free", "extent_size", "extents", "free_extents", "pv_count",
    "lv_count"}], "lvs": [{"vg", "name", "hidden", "attr", "type", "size", "active",
    "invalid", "origin", "pool", "data_percent", "metadata_percent", "layout",
    "segments": [{"type", "stripes", "size", "devices": [{"device", "extent"}]}]}]}``.
    """

    name: ClassVar[str] = "lvm.report"

    def command(self) -> str:
        return (f"pvs {_REPORT} -o {','.join(PV_FIELDS)}; "
                f"vgs {_REPORT} -o {','.join(VG_FIELDS)}; "
                f"lvs -a {_REPORT} -o {','.join(LV_FIELDS)}")

    def parse(self, result: CommandResult) -> dict[str, Any]:
        if result.exit_code == 127 or "command not found" in result.stderr:
            raise ProbeError("LVM (the lvm2 package) is not installed on the lab host")
        if not result.stdout.strip():
            raise ProbeError(f"the LVM tools failed: {result.tail(2) or 'no output'}")
        pv_doc, vg_doc, lv_doc = _docs(result.stdout, 3)
        pvs = [{"name": r["pv_name"], "vg": r["vg_name"], "size": _int(r["pv_size"], "size"),
                "free": _int(r["pv_free"], "size"),
                "extents": _int(r["pv_pe_count"], "extent count"),
                "allocated": _int(r["pv_pe_alloc_count"], "extent count")}
               for r in _rows(pv_doc, "pv", PV_FIELDS)]
        vgs = [{"name": r["vg_name"], "size": _int(r["vg_size"], "size"),
                "free": _int(r["vg_free"], "size"),
                "extent_size": _int(r["vg_extent_size"], "extent size"),
                "extents": _int(r["vg_extent_count"], "extent count"),
                "free_extents": _int(r["vg_free_count"], "extent count"),
                "pv_count": _int(r["pv_count"], "count"), "lv_count": _int(r["lv_count"], "count")}
               for r in _rows(vg_doc, "vg", VG_FIELDS)]
        return {"pvs": pvs, "vgs": vgs, "lvs": _lvs(_rows(lv_doc, "lv", LV_FIELDS))}


@dataclass(frozen=True)
class LvmConfig(Probe[dict[str, int]]):
    """The effective autoextend settings of lvm.conf (``lvmconfig --typeconfig full``: the
    file's values, or LVM's defaults where the file says nothing).

    Returns ``{"snapshot_autoextend_threshold": 70, "snapshot_autoextend_percent": 20,
    "thin_pool_autoextend_threshold": 100, "thin_pool_autoextend_percent": 20}``.
    """

    name: ClassVar[str] = "lvm.config"

    def command(self) -> str:
        return "lvmconfig --typeconfig full " + " ".join(AUTOEXTEND)

    def parse(self, result: CommandResult) -> dict[str, int]:
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
        return values
