"""Check kinds about LVM (PVs, VGs, LVs, snapshots, thin pools, lvm.conf) and about mounts
(mounted now: ``mount.active``; mounted at boot, from /etc/fstab: ``mount.boot``)."""

from __future__ import annotations

import abc
import posixpath
from typing import Any, ClassVar, Literal, TypeVar

from pydantic import Field

from labkit.checks.base import Args, CheckKind, Facts, Size, Verdict
from labkit.probes.base import Probe
from labkit.probes.blockdev import Ext4Size, Fstab, MountEntry, Mounts
from labkit.probes.lvm import LvInfo, LvmConfig, LvmReport, LvmState
from labkit.units import format_size

LvType = Literal["linear", "striped", "raid1", "thin-pool", "thin", "snapshot"]


def lv_type(lv: LvInfo) -> str:
    """What the course calls the LV: linear, striped, raid1, snapshot, thin-pool, thin…"""
    if lv.origin and lv.type in "sS":
        return "snapshot"
    return lv.segments[0].type if lv.segments else "?"


def mapper_path(vg: str, lv: str) -> str:
    """/dev/mapper/<vg>-<lv>, with the ``-`` inside names doubled as device-mapper does."""
    return f"/dev/mapper/{vg.replace('-', '--')}-{lv.replace('-', '--')}"


def same_device(a: str, b: str) -> bool:
    """Whether two names of a block device are the same LV (/dev/VG/LV = /dev/mapper/VG-LV)."""
    def norm(path: str) -> str:
        parts = path.split("/")
        if len(parts) == 4 and parts[:2] == ["", "dev"] and parts[2] != "mapper":
            return mapper_path(parts[2], parts[3])
        return posixpath.normpath(path) if path.startswith("/") else path
    return norm(a) == norm(b)


# -- PVs and VGs -----------------------------------------------------------------------------

def _approx(size: int) -> str:
    """A VG's size (whole extents minus metadata: rarely a round number) as ``~2.99 GiB``."""
    exact = format_size(size)
    if not exact.endswith(" B") or size < 1 << 20:
        return exact
    unit, factor = ("GiB", 1 << 30) if size >= 1 << 30 else ("MiB", 1 << 20)
    return f"~{size / factor:.2f} {unit}"

class PvArgs(Args):
    device: str
    #: the VG it must belong to; ``""``: in none (e.g. the disk that was replaced)
    vg: str | None = None


class PhysicalVolume(CheckKind[PvArgs]):
    """``device`` is an LVM physical volume (in ``vg``, or in no VG when ``vg`` is "")."""

    name: ClassVar[str] = "lvm.pv"
    Args = PvArgs

    def probe(self, args: PvArgs) -> LvmReport:
        return LvmReport()

    def evaluate(self, args: PvArgs, facts: Facts) -> Verdict:
        pv = next((p for p in facts[self.probe(args)].pvs if p.name == args.device), None)
        values = {"device": args.device, "vg": args.vg or ""}
        if pv is None:
            return Verdict(False, "lvm.pv_missing", values)
        if args.vg is not None and pv.vg != args.vg:
            key = "lvm.pv_in_vg" if not args.vg else "lvm.pv_wrong_vg"
            return Verdict(False, key, {**values, "found": pv.vg or "-"})
        return Verdict(True, "lvm.pv_ok", values)


class VgArgs(Args):
    vg: str
    #: exactly these PVs (any order); None: not checked
    pvs: list[str] | None = None
    extent_size: Size | None = None



class VolumeGroup(CheckKind[VgArgs]):
    """The VG ``vg`` exists (made of exactly ``pvs``, with extents of ``extent_size``)."""

    name: ClassVar[str] = "lvm.vg"
    Args = VgArgs

    def probe(self, args: VgArgs) -> LvmReport:
        return LvmReport()

    def evaluate(self, args: VgArgs, facts: Facts) -> Verdict:
        report = facts[self.probe(args)]
        vg = report.vg(args.vg)
        values: dict[str, Any] = {"vg": args.vg}
        if vg is None:
            return Verdict(False, "lvm.vg_missing", values)
        if args.pvs is not None:
            found = sorted(p.name for p in report.pvs if p.vg == args.vg)
            if found != sorted(args.pvs):
                extra = sorted(set(found) - set(args.pvs))
                missing = sorted(set(args.pvs) - set(found))
                return Verdict(False, "lvm.vg_pvs_wrong", {
                    **values, "found": ", ".join(found), "pvs": ", ".join(sorted(args.pvs)),
                    "extra": ", ".join(extra) or "-", "missing": ", ".join(missing) or "-"})
        if args.extent_size is not None and vg.extent_size != args.extent_size:
            return Verdict(False, "lvm.vg_extent_wrong", {
                **values, "extent_size": format_size(args.extent_size),
                "found": format_size(vg.extent_size)})
        return Verdict(True, "lvm.vg_ok", {**values, "size": _approx(vg.size)})


# -- LVs -------------------------------------------------------------------------------------
class LvRef(Args):
    """An LV, ``vg/lv``."""

    vg: str
    lv: str


class LvArgs(LvRef):
    size: Size | None = None
    type: LvType | None = None
    stripes: int | None = None
    #: extra copies of a RAID 1 (``-m 1``: one copy besides the original)
    mirrors: int | None = None



L = TypeVar("L", bound=LvRef)


class _LvKind(CheckKind[L]):
    """A kind that judges one LV ``vg/lv`` of the LVM report: it must exist."""

    def probe(self, args: L) -> LvmReport:
        return LvmReport()

    def evaluate(self, args: L, facts: Facts) -> Verdict:
        report = facts[self.probe(args)]
        lv = report.lv(args.vg, args.lv)
        if lv is None:
            key = "lvm.vg_missing" if report.vg(args.vg) is None else "lvm.lv_missing"
            return Verdict(False, key, {"vg": args.vg, "lv": args.lv})
        return self.judge(args, lv, report, facts)

    @abc.abstractmethod
    def judge(self, args: L, lv: LvInfo, report: LvmState, facts: Facts) -> Verdict:
        """Judge ``lv`` (``report``: the whole LVM report; ``facts``: the other probes')."""


def _size_wrong(want: int | None, lv: LvInfo, values: dict[str, Any]) -> Verdict | None:
    """Why ``lv`` is not of the size ``want`` (None: it is, or no size is asked)."""
    if want is not None and lv.size != want:
        return Verdict(False, "lvm.lv_size_wrong", {
            **values, "size": format_size(want), "found": format_size(lv.size)})
    return None


class LogicalVolume(_LvKind[LvArgs]):
    """The LV ``vg/lv`` exists, of ``size``, ``type``, ``stripes`` and ``mirrors`` when given."""

    name: ClassVar[str] = "lvm.lv"
    Args = LvArgs

    def judge(self, args: LvArgs, lv: LvInfo, report: LvmState,
              facts: Facts) -> Verdict:
        values: dict[str, Any] = {"vg": args.vg, "lv": args.lv}
        found_type = lv_type(lv)
        if args.type is not None and found_type != args.type:
            return Verdict(False, "lvm.lv_type_wrong",
                           {**values, "type": args.type, "found": found_type})
        stripes = lv.segments[0].stripes if lv.segments else 0
        if args.stripes is not None and ((found_type != "striped" and args.stripes > 1)
                                         or stripes != args.stripes):
            return Verdict(False, "lvm.lv_stripes_wrong",
                           {**values, "stripes": args.stripes, "found": stripes})
        if args.mirrors is not None:
            copies = stripes - 1 if found_type.startswith("raid1") else 0
            if copies != args.mirrors:
                return Verdict(False, "lvm.lv_mirrors_wrong",
                               {**values, "mirrors": args.mirrors, "found": copies})
        if wrong := _size_wrong(args.size, lv, values):
            return wrong
        return Verdict(True, "lvm.lv_ok",
                       {**values, "size": format_size(lv.size), "type": found_type})


class SnapshotArgs(LvRef):
    origin: str
    size: Size | None = None



class Snapshot(_LvKind[SnapshotArgs]):
    """``vg/lv`` is a (thick) snapshot of ``origin`` with room for ``size`` of changes, and
    still valid: a snapshot whose changes outgrow its size is invalidated for good."""

    name: ClassVar[str] = "lvm.snapshot"
    Args = SnapshotArgs

    def judge(self, args: SnapshotArgs, lv: LvInfo, report: LvmState,
              facts: Facts) -> Verdict:
        values: dict[str, Any] = {"vg": args.vg, "lv": args.lv, "origin": args.origin}
        if lv_type(lv) != "snapshot":
            return Verdict(False, "lvm.snapshot_not", {**values, "found": lv_type(lv)})
        if lv.origin != args.origin:
            return Verdict(False, "lvm.snapshot_origin_wrong", {**values, "found": lv.origin})
        if lv.invalid:
            return Verdict(False, "lvm.snapshot_invalid", {**values,
                                                            "size": format_size(lv.size)})
        if wrong := _size_wrong(args.size, lv, values):
            return wrong
        used = lv.data_percent if lv.data_percent is not None else 0.0
        return Verdict(True, "lvm.snapshot_ok", {**values, "used": f"{used:g}"})


class ThinArgs(LvRef):
    pool: str
    size: Size | None = None
    #: its virtual size (with the pool's other thin volumes) is larger than the pool
    overprovisioned: bool = False



class ThinVolume(_LvKind[ThinArgs]):
    """``vg/lv`` is a thin volume in the thin pool ``pool`` (of virtual ``size``; larger than
    the pool itself when ``overprovisioned``)."""

    name: ClassVar[str] = "lvm.thin"
    Args = ThinArgs

    def judge(self, args: ThinArgs, lv: LvInfo, report: LvmState,
              facts: Facts) -> Verdict:
        values: dict[str, Any] = {"vg": args.vg, "lv": args.lv, "pool": args.pool}
        if lv_type(lv) != "thin":
            return Verdict(False, "lvm.thin_not", {**values, "found": lv_type(lv)})
        if lv.pool != args.pool:
            return Verdict(False, "lvm.thin_pool_wrong", {**values, "found": lv.pool})
        if wrong := _size_wrong(args.size, lv, values):
            return wrong
        pool = report.lv(args.vg, args.pool)
        pool_size = pool.size if pool else 0
        virtual = sum(x.size for x in report.lvs
                      if x.vg == args.vg and x.pool == args.pool and lv_type(x) == "thin")
        values.update(virtual=format_size(virtual), pool_size=format_size(pool_size))
        if args.overprovisioned and virtual <= pool_size:
            return Verdict(False, "lvm.thin_not_over", values)
        return Verdict(True, "lvm.thin_ok", values)


class FsArgs(LvRef):
    """The LV whose filesystem is read."""


class FilesystemFills(_LvKind[FsArgs]):
    """The ext4 filesystem inside ``vg/lv`` is exactly as large as the LV (it was resized
    with it: ``lvresize -r``)."""

    name: ClassVar[str] = "lvm.fs_size"
    Args = FsArgs

    def filesystem(self, args: FsArgs) -> Ext4Size:
        return Ext4Size(f"/dev/{args.vg}/{args.lv}")

    def probes(self, args: FsArgs) -> list[Probe[Any]]:
        return [self.probe(args), self.filesystem(args)]

    def judge(self, args: FsArgs, lv: LvInfo, report: LvmState,
              facts: Facts) -> Verdict:
        fs = facts[self.filesystem(args)]
        values: dict[str, Any] = {"vg": args.vg, "lv": args.lv, "size": format_size(lv.size)}
        if fs["state"] != "ok":
            return Verdict(False, "lvm.fs_missing", values)
        if fs["size"] != lv.size:
            key = "lvm.fs_smaller" if fs["size"] < lv.size else "lvm.fs_larger"
            return Verdict(False, key, {**values, "found": format_size(fs["size"])})
        return Verdict(True, "lvm.fs_ok", values)


class AutoextendArgs(Args):
    snapshot_threshold: int | None = None
    snapshot_percent: int | None = None
    thin_pool_threshold: int | None = None
    thin_pool_percent: int | None = None


_SETTING = {"snapshot_threshold": "snapshot_autoextend_threshold",
            "snapshot_percent": "snapshot_autoextend_percent",
            "thin_pool_threshold": "thin_pool_autoextend_threshold",
            "thin_pool_percent": "thin_pool_autoextend_percent"}


class Autoextend(CheckKind[AutoextendArgs]):
    """lvm.conf makes snapshots / thin pools grow by themselves as asked (the settings given;
    a threshold of 100 turns automatic growth off)."""

    name: ClassVar[str] = "lvm.autoextend"
    Args = AutoextendArgs

    def probe(self, args: AutoextendArgs) -> LvmConfig:
        return LvmConfig()

    def evaluate(self, args: AutoextendArgs, facts: Facts) -> Verdict:
        config = facts[self.probe(args)]
        for field, setting in _SETTING.items():
            expected = getattr(args, field)
            found = getattr(config, setting)
            if expected is not None and found != expected:
                return Verdict(False, "lvm.autoextend_wrong", {
                    "setting": setting, "expected": expected, "found": found})
        shown = ", ".join(f"{_SETTING[f]}={getattr(args, f)}" for f in _SETTING
                          if getattr(args, f) is not None)
        return Verdict(True, "lvm.autoextend_ok", {"settings": shown})


# -- mounts ----------------------------------------------------------------------------------
class MountArgs(Args):
    target: str
    #: any of these sources (a device, /dev/VG/LV, server:/path); empty: any
    sources: list[str] = Field(default_factory=list)
    #: any of these filesystem types (nfs, nfs4, ext4 …); empty: any
    fstypes: list[str] = Field(default_factory=list)


def _source_ok(args: MountArgs, source: str) -> bool:
    if not args.sources or source.startswith(("UUID=", "LABEL=", "PARTUUID=")):
        return True
    return any(same_device(source, s) for s in args.sources)


def _mount_verdict(args: MountArgs, entry: MountEntry | None, prefix: str) -> Verdict:
    values: dict[str, Any] = {"target": args.target, "sources": " | ".join(args.sources) or "?",
                              "fstypes": " | ".join(args.fstypes) or "?"}
    if entry is None:
        return Verdict(False, f"{prefix}_missing", values)
    if not _source_ok(args, entry["source"]):
        return Verdict(False, f"{prefix}_source_wrong", {**values, "found": entry["source"]})
    if args.fstypes and entry["fstype"] not in args.fstypes:
        return Verdict(False, f"{prefix}_fstype_wrong", {**values, "found": entry["fstype"]})
    return Verdict(True, f"{prefix}_ok", {**values, "source": entry["source"],
                                          "fstype": entry["fstype"]})


class MountActive(CheckKind[MountArgs]):
    """Something from one of ``sources`` is mounted on ``target`` now (findmnt)."""

    name: ClassVar[str] = "mount.active"
    Args = MountArgs

    def probe(self, args: MountArgs) -> Mounts:
        return Mounts()

    def evaluate(self, args: MountArgs, facts: Facts) -> Verdict:
        target = posixpath.normpath(args.target)
        entry = next((m for m in reversed(facts[self.probe(args)]) if m["target"] == target), None)
        return _mount_verdict(args, entry, "mount.active")


class MountAtBoot(CheckKind[MountArgs]):
    """/etc/fstab mounts one of ``sources`` on ``target`` at boot (survives a reboot)."""

    name: ClassVar[str] = "mount.boot"
    Args = MountArgs

    def probe(self, args: MountArgs) -> Fstab:
        return Fstab()

    def evaluate(self, args: MountArgs, facts: Facts) -> Verdict:
        target = posixpath.normpath(args.target)
        entry = next((e for e in reversed(facts[self.probe(args)])
                      if posixpath.normpath(e["target"]) == target), None)
        if entry is not None and "noauto" in entry["options"]:
            entry = None
        return _mount_verdict(args, entry, "mount.boot")
