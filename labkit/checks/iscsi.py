"""Check kinds about iSCSI: the target as running now (configfs) or as saved for the next
boot (``persistence: true``: saveconfig.json), the unit that restores it, and the initiator
(session now, node record at boot, the disk under its persistent udev name)."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field, field_validator

from labkit.checks.base import Args, CheckKind, Facts, Size, Verdict
from labkit.probes.blockdev import Symlink
from labkit.probes.iscsi import (
    IQN,
    IscsiTarget,
    LiveTarget,
    Nodes,
    SavedConfig,
    Sessions,
    Units,
)
from labkit.units import format_size


class TargetArgs(Args):
    iqn: str
    #: backstores exported as LUNs of tpg1, as ``plugin/name`` (``fileio/vm1``, ``block/vm2``)
    luns: list[str] = Field(default_factory=list)
    #: an initiator allowed in (ACL), and the CHAP user it must give
    acl: str | None = None
    chap_user: str | None = None
    port: int = 3260
    #: read saveconfig.json (what is restored at boot) instead of the running target
    persistence: bool = False

    @field_validator("iqn")
    @classmethod
    def _iqn(cls, value: str) -> str:
        if not IQN.match(value):
            raise ValueError(f"{value!r} is not an iqn (iqn.yyyy-mm.reversed.domain:name)")
        return value




class Target(CheckKind[TargetArgs]):
    """The target ``iqn`` exists, with ``luns`` in tpg1, an ACL for ``acl`` with CHAP user
    ``chap_user`` and a portal on ``port`` — now, or in saveconfig.json (``persistence``)."""

    name: ClassVar[str] = "iscsi.target"
    Args = TargetArgs

    def probe(self, args: TargetArgs) -> SavedConfig | LiveTarget:
        return SavedConfig() if args.persistence else LiveTarget()

    def _targets(self, args: TargetArgs, facts: Facts) -> list[IscsiTarget] | None:
        """The targets configured (saved or live), or None if there is no configuration."""
        probe = self.probe(args)
        if isinstance(probe, SavedConfig):
            saved = facts[probe]
            return saved.get("targets", []) if saved["exists"] else None
        live = facts[probe]
        return live.get("targets", []) if live["loaded"] else None

    def evaluate(self, args: TargetArgs, facts: Facts) -> Verdict:
        where = "saved" if args.persistence else "live"
        values: dict[str, Any] = {"iqn": args.iqn}
        targets = self._targets(args, facts)
        if targets is None:
            return Verdict(False, f"iscsi.{where}_none", values)
        target = next((t for t in targets if t["iqn"] == args.iqn), None)
        if target is None:
            found = ", ".join(t["iqn"] for t in targets) or "-"
            return Verdict(False, f"iscsi.{where}_missing", {**values, "found": found})
        tpg = next((g for g in target["tpgs"] if g["tag"] == 1), None)
        if tpg is None:
            return Verdict(False, f"iscsi.{where}_missing", {**values, "found": "-"})
        have = sorted(lun["backstore"] for lun in tpg["luns"])
        missing = sorted(set(args.luns) - set(have))
        if missing:
            return Verdict(False, f"iscsi.{where}_luns", {
                **values, "missing": ", ".join(missing), "found": ", ".join(have) or "-"})
        if args.acl is not None:
            acl = next((a for a in tpg["acls"] if a["iqn"] == args.acl), None)
            if acl is None:
                return Verdict(False, f"iscsi.{where}_acl", {**values, "acl": args.acl})
            if args.chap_user is not None and (acl["userid"] != args.chap_user
                                               or not acl["password_set"]):
                return Verdict(False, f"iscsi.{where}_chap", {
                    **values, "acl": args.acl, "user": args.chap_user,
                    "found": acl["userid"] or "-"})
        if not any(p.rsplit(":", 1)[-1] == str(args.port) for p in tpg["portals"]):
            return Verdict(False, f"iscsi.{where}_portal", {**values, "port": args.port})
        return Verdict(True, f"iscsi.{where}_ok", {**values, "luns": ", ".join(have)})


class RestoreArgs(Args):
    units: list[str] = Field(default_factory=lambda: ["rtslib-fb-targetctl.service",
                                                      "target.service"])


class RestoredAtBoot(CheckKind[RestoreArgs]):
    """A unit that restores the saved target at boot (``targetctl restore``) is enabled."""

    name: ClassVar[str] = "iscsi.restore_unit"
    Args = RestoreArgs

    def probe(self, args: RestoreArgs) -> Units:
        return Units(tuple(args.units))

    def evaluate(self, args: RestoreArgs, facts: Facts) -> Verdict:
        states = facts[self.probe(args)]
        enabled = [u for u, s in states.items() if s == "enabled"]
        if not enabled:
            return Verdict(False, "iscsi.unit_disabled", {"units": ", ".join(args.units)})
        return Verdict(True, "iscsi.unit_ok", {"units": ", ".join(enabled)})


class InitiatorArgs(Args):
    iqn: str
    portal: str
    #: ``now``: a session is logged in; ``boot``: the node record logs in at boot
    when: Literal["now", "boot"] = "now"


class Initiator(CheckKind[InitiatorArgs]):
    """The initiator is logged in to ``iqn`` on ``portal`` now, or will log in at boot
    (node.startup = automatic)."""

    name: ClassVar[str] = "iscsi.initiator"
    Args = InitiatorArgs

    def probe(self, args: InitiatorArgs) -> Sessions | Nodes:
        return Sessions() if args.when == "now" else Nodes()

    def evaluate(self, args: InitiatorArgs, facts: Facts) -> Verdict:
        values: dict[str, Any] = {"iqn": args.iqn, "portal": args.portal}
        portal = args.portal if ":" in args.portal else f"{args.portal}:3260"
        probe = self.probe(args)
        if isinstance(probe, Sessions):
            found = [s for s in facts[probe] if s["target"] == args.iqn
                     and s["portal"] == portal]
            if not found:
                return Verdict(False, "iscsi.session_none", values)
            return Verdict(True, "iscsi.session_ok",
                           {**values, "disks": ", ".join(found[0]["disks"]) or "-"})
        nodes = [n for n in facts[probe] if n["target"] == args.iqn and n["portal"] == portal]
        if not nodes:
            return Verdict(False, "iscsi.node_none", values)
        if nodes[0]["startup"] != "automatic":
            return Verdict(False, "iscsi.node_manual", {**values, "found": nodes[0]["startup"]})
        return Verdict(True, "iscsi.node_ok", values)


class DiskArgs(Args):
    path: str
    size: Size



class PersistentDisk(CheckKind[DiskArgs]):
    """``path`` (a udev name such as /dev/vm1) is a link to a disk of ``size``."""

    name: ClassVar[str] = "iscsi.disk"
    Args = DiskArgs

    def probe(self, args: DiskArgs) -> Symlink:
        return Symlink(args.path)

    def evaluate(self, args: DiskArgs, facts: Facts) -> Verdict:
        info = facts[self.probe(args)]
        values: dict[str, Any] = {"path": args.path, "size": format_size(args.size)}
        if not info["exists"]:
            return Verdict(False, "iscsi.disk_missing", values)
        if not info["block"]:
            return Verdict(False, "iscsi.disk_not_block", {**values, "found": info["target"]})
        if info["size"] != args.size:
            return Verdict(False, "iscsi.disk_size_wrong", {
                **values, "target": info["target"], "found": format_size(info["size"])})
        return Verdict(True, "iscsi.disk_ok", {**values, "target": info["target"]})
