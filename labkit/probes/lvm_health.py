"""LVM health, read with ``vgs``/``pvs``/``lvs -a`` (JSON): what a repair drill looks at.

Where ``lvm.report`` describes the layout the student built, this probe reads what goes
wrong: physical volumes that vanished (``[unknown]`` in ``pvs``), RAID legs that failed or are
still copying (``sync_percent``, ``raid_sync_action``, ``lv_health_status``), thin pools
that filled up (``data_percent``, ``out_of_data``) and whether ``dmeventd`` watches a pool
(``seg_monitor``: automatic extension only happens for monitored pools). None of these
commands changes anything; with a PV missing they still answer, with warnings on stderr.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from labkit.errors import ProbeError
from labkit.probes.base import Probe
from labkit.probes.lvm import (  # one reader of the LVM tools' JSON reports
    _int,
    _percent,
    _rows,
    report_command,
    report_docs,
)
from labkit.transports.base import CommandResult

VG_FIELDS = ("vg_name", "vg_attr", "vg_missing_pv_count", "pv_count")
PV_FIELDS = ("pv_name", "vg_name", "pv_attr", "pv_missing")
LV_FIELDS = ("lv_name", "vg_name", "lv_attr", "lv_size", "segtype", "devices", "pool_lv",
             "data_percent", "metadata_percent", "sync_percent", "raid_sync_action",
             "raid_mismatch_count", "lv_health_status", "seg_monitor", "lv_when_full")
#: How ``pvs`` names a PV whose device is gone.
UNKNOWN = "[unknown]"


@dataclass(frozen=True)
class VgHealth:
    name: str
    #: PVs the VG's metadata lists but that are not there (``vg_missing_pv_count``)
    missing_pvs: int
    pv_count: int
    #: ``vg_attr[3] == "p"``: some LV lost part of its devices
    partial: bool


@dataclass(frozen=True)
class PvHealth:
    #: the device, or ``[unknown]`` when it vanished
    name: str
    vg: str
    missing: bool


@dataclass(frozen=True)
class LvHealth:
    vg: str
    name: str
    #: a hidden sub-volume (``[data_rimage_0]``): a RAID leg, pool data or metadata
    hidden: bool
    attr: str
    size: int
    segtype: str
    #: the devices of its first segment (sub-volumes for a RAID: ``data_rimage_0``…;
    #: ``[unknown]`` for a vanished PV)
    devices: tuple[str, ...]
    pool: str
    data_percent: float | None
    metadata_percent: float | None
    #: how much of a RAID is copied (None: not a RAID or nothing to copy)
    sync_percent: float | None
    #: ``idle``, ``resync``, ``recover``, ``check``, ``repair`` (RAID only; else "")
    sync_action: str
    mismatches: int | None
    #: ``""`` when healthy; ``partial``, ``refresh needed``, ``mismatches exist``,
    #: ``out_of_data``, ``metadata_read_only``, ``failed``…
    health: str
    #: ``monitored``, ``not monitored`` (thin pools, RAID, snapshots; else "")
    monitor: str
    #: what a full thin pool does to writes: ``queue`` or ``error`` (pools only)
    when_full: str


@dataclass(frozen=True)
class LvmHealthReport:
    vgs: tuple[VgHealth, ...]
    pvs: tuple[PvHealth, ...]
    lvs: tuple[LvHealth, ...]


def _devices(text: str) -> tuple[str, ...]:
    """``/dev/vdb(1),[unknown](0)`` -> ``("/dev/vdb", "[unknown]")``."""
    return tuple(part.rsplit("(", 1)[0] for part in text.split(",") if part)


def _lv(row: dict[str, str]) -> LvHealth:
    raw = row["lv_name"]
    hidden = raw.startswith("[") and raw.endswith("]")
    if len(row["lv_attr"]) < 10:
        raise ProbeError(f"unexpected lv_attr: {row['lv_attr']!r}")
    mismatches = row["raid_mismatch_count"]
    return LvHealth(
        vg=row["vg_name"], name=raw[1:-1] if hidden else raw, hidden=hidden,
        attr=row["lv_attr"], size=_int(row["lv_size"], "size"), segtype=row["segtype"],
        devices=_devices(row["devices"]), pool=row["pool_lv"],
        data_percent=_percent(row["data_percent"]),
        metadata_percent=_percent(row["metadata_percent"]),
        sync_percent=_percent(row["sync_percent"]), sync_action=row["raid_sync_action"],
        mismatches=_int(mismatches, "mismatch count") if mismatches else None,
        health=row["lv_health_status"], monitor=row["seg_monitor"],
        when_full=row["lv_when_full"])


@dataclass(frozen=True)
class LvmHealth(Probe[LvmHealthReport]):
    """The health of every VG, PV and LV (hidden ones too): an :class:`LvmHealthReport`."""

    name: ClassVar[str] = "lvm.health"

    def command(self) -> str:
        # LVM prints only the first segment of each LV row when asked for these fields.
        return report_command(("vgs", VG_FIELDS), ("pvs", PV_FIELDS), ("lvs -a", LV_FIELDS))

    def parse(self, result: CommandResult) -> LvmHealthReport:
        vg_doc, pv_doc, lv_doc = report_docs(result, 3)
        vgs = tuple(VgHealth(name=r["vg_name"],
                             missing_pvs=_int(r["vg_missing_pv_count"], "PV count"),
                             pv_count=_int(r["pv_count"], "PV count"),
                             partial=len(r["vg_attr"]) > 3 and r["vg_attr"][3] == "p")
                    for r in _rows(vg_doc, "vg", VG_FIELDS))
        pvs = tuple(PvHealth(name=r["pv_name"], vg=r["vg_name"],
                             missing=r["pv_missing"] == "missing" or r["pv_name"] == UNKNOWN)
                    for r in _rows(pv_doc, "pv", PV_FIELDS))
        seen: set[tuple[str, str]] = set()
        lvs = []
        for row in _rows(lv_doc, "lv", LV_FIELDS):
            lv = _lv(row)
            if (lv.vg, lv.name) not in seen:     # one row per segment: keep the first
                seen.add((lv.vg, lv.name))
                lvs.append(lv)
        return LvmHealthReport(vgs=vgs, pvs=pvs, lvs=tuple(lvs))
