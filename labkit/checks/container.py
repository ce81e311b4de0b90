"""Check kinds about a container made by hand: a cgroup v2 group, its limits, and the
namespaces of the processes in it (read by ``labkit.probes.container``).

"The container" is the set of processes in the group (``cgroup.procs``). A namespace check
passes when one of them lives in a namespace of that type other than the host's (PID 1's):
the group may also hold helpers (a shell that moved itself in, ``unshare`` itself) that
stayed in the host's namespaces.
"""

from __future__ import annotations

import posixpath
from typing import Any, ClassVar, Literal

from labkit.checks.base import Args, CheckKind, Facts, Size, Verdict
from labkit.probes.container import CgroupInfo, CgroupMembers, CgroupState, Member
from labkit.units import format_size


class CgroupArgs(Args):
    cgroup: str  # the group's folder, e.g. /sys/fs/cgroup/labkit-box


def _name(args: CgroupArgs) -> str:
    return posixpath.basename(args.cgroup.rstrip("/")) or args.cgroup


def _missing(args: CgroupArgs, info: CgroupState) -> Verdict | None:
    """The verdict for a group that is not there (or not a v2 group), else None."""
    values = {"cgroup": args.cgroup, "name": _name(args)}
    if info["state"] == "ok":
        return None
    if not info.get("v2"):
        return Verdict(False, "container.no_cgroup2", values)
    if info["state"] == "not-cgroup":
        return Verdict(False, "container.not_cgroup", values)
    return Verdict(False, "container.cgroup_missing", values)


class CgroupExists(CheckKind[CgroupArgs]):
    """The group exists in the cgroup v2 hierarchy."""

    name: ClassVar[str] = "container.cgroup"
    Args = CgroupArgs

    def probe(self, args: CgroupArgs) -> CgroupInfo:
        return CgroupInfo(args.cgroup)

    def evaluate(self, args: CgroupArgs, facts: Facts) -> Verdict:
        info = facts[self.probe(args)]
        return _missing(args, info) or Verdict(
            True, "container.cgroup_ok", {"cgroup": args.cgroup, "name": _name(args)})


class MemoryArgs(CgroupArgs):
    max: Size



class MemoryMax(CheckKind[MemoryArgs]):
    """The group's ``memory.max`` is exactly ``max``."""

    name: ClassVar[str] = "container.memory_max"
    Args = MemoryArgs

    def probe(self, args: MemoryArgs) -> CgroupInfo:
        return CgroupInfo(args.cgroup)

    def evaluate(self, args: MemoryArgs, facts: Facts) -> Verdict:
        info = facts[self.probe(args)]
        missing = _missing(args, info)
        if missing:
            return missing
        values = {"cgroup": args.cgroup, "name": _name(args), "max": format_size(args.max)}
        if not info["has_memory"]:
            return Verdict(False, "container.no_memory_controller", values)
        found = info["memory_max"]
        if found is None:
            return Verdict(False, "container.memory_unlimited", values)
        if found != args.max:
            return Verdict(False, "container.memory_wrong", {**values, "found": format_size(found)})
        return Verdict(True, "container.memory_ok", values)


class CpuArgs(CgroupArgs):
    quota: int      # microseconds of CPU time…
    period: int = 100000  # …in every period (microseconds)


class CpuMax(CheckKind[CpuArgs]):
    """The group's ``cpu.max`` is ``quota period``."""

    name: ClassVar[str] = "container.cpu_max"
    Args = CpuArgs

    def probe(self, args: CpuArgs) -> CgroupInfo:
        return CgroupInfo(args.cgroup)

    def evaluate(self, args: CpuArgs, facts: Facts) -> Verdict:
        info = facts[self.probe(args)]
        missing = _missing(args, info)
        if missing:
            return missing
        values = {"cgroup": args.cgroup, "name": _name(args),
                  "expected": f"{args.quota} {args.period}",
                  "percent": f"{100 * args.quota / args.period:g}"}
        cpu = info["cpu_max"]
        if cpu is None:
            return Verdict(False, "container.no_cpu_controller", values)
        if cpu["quota"] is None:
            return Verdict(False, "container.cpu_unlimited", values)
        if (cpu["quota"], cpu["period"]) != (args.quota, args.period):
            return Verdict(False, "container.cpu_wrong",
                           {**values, "found": f"{cpu['quota']} {cpu['period']}"})
        return Verdict(True, "container.cpu_ok", values)


class Populated(CheckKind[CgroupArgs]):
    """At least one process is in the group."""

    name: ClassVar[str] = "container.populated"
    Args = CgroupArgs

    def probe(self, args: CgroupArgs) -> CgroupInfo:
        return CgroupInfo(args.cgroup)

    def evaluate(self, args: CgroupArgs, facts: Facts) -> Verdict:
        info = facts[self.probe(args)]
        missing = _missing(args, info)
        if missing:
            return missing
        values = {"cgroup": args.cgroup, "name": _name(args)}
        if not info["procs"]:
            return Verdict(False, "container.empty", values)
        return Verdict(True, "container.populated_ok",
                       {**values, "pids": ", ".join(str(p) for p in info["procs"][:8])})


Namespace = Literal["pid", "uts", "net", "mnt", "ipc"]


class NamespaceArgs(CgroupArgs):
    ns: Namespace
    hostname: str | None = None   # uts: the name the container must answer with


def _pids(members: list[Member]) -> str:
    return ", ".join(f"{m['pid']} ({m['comm']})" for m in members[:6]) or "-"


class OwnNamespace(CheckKind[NamespaceArgs]):
    """A process of the group lives in its own ``ns`` namespace, not the host's. For ``uts``
    with ``hostname``, that namespace also answers with ``hostname``; for ``net``, it sees no
    interface but ``lo``; for ``pid``, the process has a PID of its own there."""

    name: ClassVar[str] = "container.namespace"
    Args = NamespaceArgs

    def probe(self, args: NamespaceArgs) -> CgroupMembers:
        return CgroupMembers(args.cgroup)

    def evaluate(self, args: NamespaceArgs, facts: Facts) -> Verdict:
        data = facts[self.probe(args)]
        values: dict[str, Any] = {"cgroup": args.cgroup, "name": _name(args), "ns": args.ns,
                                  "hostname": args.hostname or "",
                                  "host_hostname": data["host"]["hostname"]}
        if data["state"] != "ok":
            return Verdict(False, "container.cgroup_missing", values)
        members = data["members"]
        if not members:
            return Verdict(False, "container.empty", values)
        host_ns = data["host"]["ns"].get(args.ns)
        own = [m for m in members if m["ns"].get(args.ns) and m["ns"][args.ns] != host_ns]
        values["pids"] = _pids(members)
        if not own:
            return Verdict(False, f"container.{args.ns}_shared", values)
        first = own[0]
        values.update(pid=first["pid"], comm=first["comm"])
        if args.ns == "uts" and args.hostname is not None:
            named = [m for m in own if m["hostname"] == args.hostname]
            if not named:
                return Verdict(False, "container.hostname_wrong",
                               {**values, "found": first["hostname"] or "?"})
            first = named[0]
            values.update(pid=first["pid"], comm=first["comm"])
        if args.ns == "net":
            others = [i for i in (first["interfaces"] or []) if i != "lo"]
            values["interfaces"] = ", ".join(first["interfaces"] or []) or "-"
            if others:
                return Verdict(False, "container.net_not_isolated", values)
        if args.ns == "pid":
            inner = first["nspid"][-1] if first["nspid"] else first["pid"]
            values["inner"] = inner
        if args.ns == "uts" and args.hostname is not None:
            return Verdict(True, "container.hostname_ok", values)
        return Verdict(True, f"container.{args.ns}_ok", values)


class EnforcedArgs(CgroupArgs):
    resource: Literal["memory", "cpu"]


class LimitEnforced(CheckKind[EnforcedArgs]):
    """The kernel has enforced the group's limit at least once: for ``memory``, a process of
    the group was killed for going over ``memory.max`` (``memory.events`` ``oom_kill``); for
    ``cpu``, the group was throttled (``cpu.stat`` ``nr_throttled``)."""

    name: ClassVar[str] = "container.enforced"
    Args = EnforcedArgs

    def probe(self, args: EnforcedArgs) -> CgroupInfo:
        return CgroupInfo(args.cgroup)

    def evaluate(self, args: EnforcedArgs, facts: Facts) -> Verdict:
        info = facts[self.probe(args)]
        missing = _missing(args, info)
        if missing:
            return missing
        values = {"cgroup": args.cgroup, "name": _name(args)}
        if args.resource == "memory":
            kills = int(info["memory_events"].get("oom_kill", 0))
            if kills == 0:
                return Verdict(False, "container.memory_never_enforced", values)
            return Verdict(True, "container.memory_enforced_ok", {**values, "count": kills})
        throttled = int(info["cpu_stat"].get("nr_throttled", 0))
        if throttled == 0:
            return Verdict(False, "container.cpu_never_enforced", values)
        return Verdict(True, "container.cpu_enforced_ok", {**values, "count": throttled})
