"""Check kinds of the LVM repair drills: a VG with no vanished PV, a RAID whose legs are all
there and copied, a thin pool with room, a volume that dmeventd watches."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from labkit.checks.base import Args, CheckKind, Facts, Verdict
from labkit.probes.lvm_health import UNKNOWN, LvHealth, LvmHealth, LvmHealthReport


def _lv(report: LvmHealthReport, vg: str, name: str) -> LvHealth | None:
    return next((lv for lv in report.lvs if lv.vg == vg and lv.name == name), None)


def _missing(report: LvmHealthReport, vg: str, lv: str) -> Verdict:
    if not any(v.name == vg for v in report.vgs):
        return Verdict(False, "drills.vg_missing", {"vg": vg})
    return Verdict(False, "drills.lv_missing", {"vg": vg, "lv": lv})


class VgArgs(Args):
    vg: str


class VgComplete(CheckKind[VgArgs]):
    """The VG ``vg`` exists and every PV its metadata lists is present (no ``[unknown]``)."""

    name: ClassVar[str] = "lvm.vg_complete"
    Args = VgArgs

    def probe(self, args: VgArgs) -> LvmHealth:
        return LvmHealth()

    def evaluate(self, args: VgArgs, facts: Facts) -> Verdict:
        report = facts[self.probe(args)]
        vg = next((v for v in report.vgs if v.name == args.vg), None)
        if vg is None:
            return Verdict(False, "drills.vg_missing", {"vg": args.vg})
        missing = sum(1 for p in report.pvs if p.vg == args.vg and p.missing)
        missing = max(missing, vg.missing_pvs)
        if missing:
            return Verdict(False, "drills.vg_pv_missing", {"vg": args.vg, "count": missing})
        present = sorted(p.name for p in report.pvs if p.vg == args.vg)
        return Verdict(True, "drills.vg_complete", {"vg": args.vg,
                                                     "pvs": ", ".join(present) or "-"})


class RaidArgs(Args):
    vg: str
    lv: str
    #: how many copies (legs) a healthy RAID 1 has: ``-m 1`` gives 2
    images: int = Field(default=2, ge=2)


class RaidHealthy(CheckKind[RaidArgs]):
    """``vg/lv`` is a RAID 1 of ``images`` legs, every leg on a present PV, fully copied
    (``Cpy%Sync`` 100, no copy running) and with nothing wrong in ``lv_health_status``."""

    name: ClassVar[str] = "lvm.raid_healthy"
    Args = RaidArgs

    def probe(self, args: RaidArgs) -> LvmHealth:
        return LvmHealth()

    def evaluate(self, args: RaidArgs, facts: Facts) -> Verdict:
        report = facts[self.probe(args)]
        lv = _lv(report, args.vg, args.lv)
        values: dict[str, Any] = {"vg": args.vg, "lv": args.lv, "images": args.images}
        if lv is None:
            return _missing(report, args.vg, args.lv)
        if lv.segtype != "raid1":
            return Verdict(False, "drills.raid_not", {**values, "found": lv.segtype})
        legs = [_lv(report, args.vg, d) for d in lv.devices]
        if len(legs) != args.images:
            return Verdict(False, "drills.raid_legs", {**values, "found": len(legs)})
        lost = [d for d, leg in zip(lv.devices, legs, strict=True)
                if leg is None or UNKNOWN in leg.devices or leg.health]
        if lost or lv.health in ("partial", "refresh needed", "failed"):
            return Verdict(False, "drills.raid_leg_lost", {
                **values, "legs": ", ".join(lost) or "-", "health": lv.health or "-"})
        if lv.health:
            return Verdict(False, "drills.raid_unhealthy", {**values, "health": lv.health})
        if (lv.sync_percent or 0.0) < 100.0 or lv.sync_action not in ("idle", ""):
            return Verdict(False, "drills.raid_syncing", {
                **values, "sync": f"{lv.sync_percent or 0.0:g}", "action": lv.sync_action or "-"})
        disks = sorted({d for leg in legs if leg is not None for d in leg.devices})
        return Verdict(True, "drills.raid_ok", {**values, "disks": ", ".join(disks)})


class PoolArgs(Args):
    vg: str
    lv: str
    #: the highest Data% (and Meta%) a pool with room may show
    below: float = Field(default=80.0, gt=0, le=100)


class PoolRoom(CheckKind[PoolArgs]):
    """The thin pool ``vg/lv`` is not full: data and metadata use under ``below`` %, and LVM
    does not report it out of space."""

    name: ClassVar[str] = "lvm.pool_room"
    Args = PoolArgs

    def probe(self, args: PoolArgs) -> LvmHealth:
        return LvmHealth()

    def evaluate(self, args: PoolArgs, facts: Facts) -> Verdict:
        report = facts[self.probe(args)]
        lv = _lv(report, args.vg, args.lv)
        values: dict[str, Any] = {"vg": args.vg, "lv": args.lv, "below": f"{args.below:g}"}
        if lv is None:
            return _missing(report, args.vg, args.lv)
        if lv.segtype != "thin-pool":
            return Verdict(False, "drills.pool_not", {**values, "found": lv.segtype})
        data = lv.data_percent or 0.0
        meta = lv.metadata_percent or 0.0
        values.update(data=f"{data:g}", meta=f"{meta:g}")
        if lv.health in ("out_of_data", "metadata_read_only", "failed") or data >= 100.0:
            return Verdict(False, "drills.pool_full", {**values, "health": lv.health or "-"})
        if data >= args.below or meta >= args.below:
            return Verdict(False, "drills.pool_nearly_full", values)
        return Verdict(True, "drills.pool_ok", values)


class MonitorArgs(Args):
    vg: str
    lv: str


class Monitored(CheckKind[MonitorArgs]):
    """dmeventd monitors ``vg/lv`` (``lvs -o seg_monitor``): it is what extends a thin pool
    or a snapshot automatically and repairs a RAID by the policy in lvm.conf."""

    name: ClassVar[str] = "lvm.monitored"
    Args = MonitorArgs

    def probe(self, args: MonitorArgs) -> LvmHealth:
        return LvmHealth()

    def evaluate(self, args: MonitorArgs, facts: Facts) -> Verdict:
        report = facts[self.probe(args)]
        lv = _lv(report, args.vg, args.lv)
        values: dict[str, Any] = {"vg": args.vg, "lv": args.lv}
        if lv is None:
            return _missing(report, args.vg, args.lv)
        if lv.monitor != "monitored":
            return Verdict(False, "drills.not_monitored", {**values,
                                                            "found": lv.monitor or "-"})
        return Verdict(True, "drills.monitored", values)
