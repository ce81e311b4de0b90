"""A container made by hand: a cgroup v2 group and the namespaces of the processes in it.

Both probes only read: cgroup files under ``/sys/fs/cgroup/…``, ``/proc/<pid>/ns/*``,
``/proc/<pid>/status``, ``/proc/<pid>/net/dev`` and the UTS name seen from the process's
namespace (``nsenter --uts`` running ``uname -n``, which changes nothing). The host-side
script is a fixed program sent as ``python3 -c`` (the collector already needs python3 there)
that prints the raw texts as JSON; every decision about them is made by ``parse`` (pure).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, ClassVar, Required, TypedDict

from labkit.errors import ProbeError
from labkit.probes.base import Probe, q
from labkit.transports.base import CommandResult

#: The namespaces a member's links are read for (``/proc/<pid>/ns/<name>``).
NAMESPACES = ("pid", "uts", "net", "mnt", "ipc")
#: Cgroup files read raw (missing ones are ``null``).
CGROUP_FILES = ("cgroup.procs", "cgroup.controllers", "cgroup.type", "memory.max",
                "memory.swap.max", "memory.current", "memory.events", "cpu.max", "cpu.stat",
                "pids.max")
#: At most this many of the cgroup's processes are described (the rest are only counted).
MAX_MEMBERS = 32

_CGROUP_SCRIPT = """\
import json, os, sys
d = sys.argv[1]
out = {"v2": os.path.exists("/sys/fs/cgroup/cgroup.controllers")}
if not os.path.isdir(d):
    out["state"] = "missing"
elif not os.path.exists(os.path.join(d, "cgroup.procs")):
    out["state"] = "not-cgroup"
else:
    out["state"] = "ok"
    files = {}
    for name in sys.argv[2:]:
        try:
            with open(os.path.join(d, name)) as f:
                files[name] = f.read(65536)
        except (IOError, OSError):
            files[name] = None
    out["files"] = files
sys.stdout.write(json.dumps(out))
"""

_MEMBERS_SCRIPT = """\
import json, os, subprocess, sys
d, limit = sys.argv[1], int(sys.argv[2])
names = sys.argv[3:]
def ns(pid):
    links = {}
    for name in names:
        try:
            links[name] = os.readlink("/proc/%s/ns/%s" % (pid, name))
        except OSError:
            links[name] = None
    return links
def text(path, size=65536):
    try:
        with open(path) as f:
            return f.read(size)
    except (IOError, OSError):
        return None
out = {"host": {"ns": ns(1), "hostname": os.uname()[1]}}
procs = text(os.path.join(d, "cgroup.procs"))
if procs is None:
    out["state"] = "missing"
else:
    out["state"] = "ok"
    pids = [p for p in procs.split() if p.isdigit()]
    out["count"] = len(pids)
    members = []
    for pid in pids[:limit]:
        status = text("/proc/%s/status" % pid)
        if status is None:
            continue
        try:
            uts = subprocess.run(["nsenter", "--target", pid, "--uts", "uname", "-n"],
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                 stdin=subprocess.DEVNULL, timeout=5)
            hostname = uts.stdout.decode("utf-8", "replace").strip()
            if uts.returncode != 0:
                hostname = None
        except (OSError, subprocess.SubprocessError):
            hostname = None
        members.append({"pid": int(pid), "comm": (text("/proc/%s/comm" % pid) or "").strip(),
                        "status": status, "ns": ns(pid), "hostname": hostname,
                        "net_dev": text("/proc/%s/net/dev" % pid)})
    out["members"] = members
sys.stdout.write(json.dumps(out))
"""


def _load(result: CommandResult, what: str) -> dict[str, Any]:
    if result.exit_code == 127:
        raise ProbeError("python3 is not installed on the lab host")
    if not result.ok:
        raise ProbeError(f"reading {what} failed: {result.tail(2) or 'no output'}")
    try:
        data = json.loads(result.stdout)
    except ValueError:
        raise ProbeError(f"reading {what} printed something that is not JSON") from None
    if not isinstance(data, dict) or data.get("state") not in ("ok", "missing", "not-cgroup"):
        raise ProbeError(f"reading {what} printed an unexpected JSON shape")
    return data


def _text(files: dict[str, Any], name: str) -> str | None:
    value = files.get(name)
    if value is not None and not isinstance(value, str):
        raise ProbeError(f"unexpected content for {name}")
    return value


def parse_max(text: str | None) -> int | None:
    """``"max"`` -> None (no limit); ``"67108864"`` -> 67108864; missing file -> None."""
    if text is None:
        return None
    value = text.strip()
    if value in ("", "max"):
        return None
    if not value.isdigit():
        raise ProbeError(f"unexpected limit value {value[:40]!r}")
    return int(value)


def parse_cpu_max(text: str | None) -> dict[str, int | None] | None:
    """``"20000 100000"`` -> ``{"quota": 20000, "period": 100000}``; ``"max 100000"`` ->
    quota None (no limit); a missing file (no cpu controller) -> None."""
    if text is None:
        return None
    parts = text.split()
    if len(parts) != 2 or not parts[1].isdigit() or not (parts[0] == "max" or parts[0].isdigit()):
        raise ProbeError(f"unexpected cpu.max {text.strip()[:40]!r}")
    return {"quota": None if parts[0] == "max" else int(parts[0]), "period": int(parts[1])}


def parse_flat_keyed(text: str | None) -> dict[str, int]:
    """``"oom 1\\noom_kill 1\\n"`` (memory.events, cpu.stat) -> ``{"oom": 1, "oom_kill": 1}``."""
    values: dict[str, int] = {}
    for line in (text or "").splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():
            values[parts[0]] = int(parts[1])
    return values


class CgroupState(TypedDict, total=False):
    """``container.cgroup``: see CgroupInfo (None: no limit, or the controller is off)."""

    state: Required[str]
    v2: Required[bool]
    procs: list[int]
    controllers: list[str]
    memory_max: int | None
    swap_max: int | None
    cpu_max: dict[str, int | None] | None
    pids_max: int | None
    has_memory: bool
    has_cpu: bool
    memory_events: dict[str, int]
    cpu_stat: dict[str, int]


class HostNamespaces(TypedDict):
    ns: dict[str, str | None]
    hostname: str


class Member(TypedDict):
    pid: int
    comm: str
    nspid: list[int]
    ns: dict[str, str | None]
    hostname: str | None
    interfaces: list[str] | None


class CgroupPeople(TypedDict, total=False):
    """``container.members``: see CgroupMembers."""

    state: Required[str]
    host: Required[HostNamespaces]
    count: int
    members: list[Member]


@dataclass(frozen=True)
class CgroupInfo(Probe[CgroupState]):
    """The files of one cgroup (v2), e.g. ``/sys/fs/cgroup/labkit-box``.

    Returns ``{"state": "ok", "v2": True, "procs": [pids], "controllers": ["cpu", …],
    "memory_max": bytes | None, "swap_max": bytes | None, "cpu_max": {"quota", "period"} |
    None, "pids_max": n | None, "memory_events": {"max": n, "oom_kill": n, …},
    "cpu_stat": {"nr_throttled": n, …}}`` (None: no limit, or the controller is off); or
    ``{"state": "missing" | "not-cgroup", "v2": bool}``.
    """

    name: ClassVar[str] = "container.cgroup"
    timeout: ClassVar[float] = 10.0
    path: str

    def command(self) -> str:
        return " ".join(["python3", "-c", q(_CGROUP_SCRIPT), q(self.path),
                         *(q(f) for f in CGROUP_FILES)])

    def parse(self, result: CommandResult) -> CgroupState:
        data = _load(result, self.path)
        v2 = data.get("v2") is True
        if data["state"] != "ok":
            return {"state": data["state"], "v2": v2}
        files = data.get("files")
        if not isinstance(files, dict):
            raise ProbeError("reading the cgroup printed an unexpected JSON shape")
        procs = [int(p) for p in (_text(files, "cgroup.procs") or "").split() if p.isdigit()]
        return {
            "state": "ok", "v2": v2, "procs": procs,
            "controllers": (_text(files, "cgroup.controllers") or "").split(),
            "memory_max": parse_max(_text(files, "memory.max")),
            "swap_max": parse_max(_text(files, "memory.swap.max")),
            "cpu_max": parse_cpu_max(_text(files, "cpu.max")),
            "pids_max": parse_max(_text(files, "pids.max")),
            "has_memory": _text(files, "memory.max") is not None,
            "has_cpu": _text(files, "cpu.max") is not None,
            "memory_events": parse_flat_keyed(_text(files, "memory.events")),
            "cpu_stat": parse_flat_keyed(_text(files, "cpu.stat")),
        }


def _nspid(status: str) -> list[int]:
    """The ``NSpid:`` line of /proc/PID/status: the PID in each nested PID namespace."""
    for line in status.splitlines():
        if line.startswith("NSpid:"):
            return [int(p) for p in line.split()[1:] if p.isdigit()]
    return []


def _interfaces(net_dev: str | None) -> list[str] | None:
    """Interface names in /proc/PID/net/dev (the process's network namespace)."""
    if net_dev is None:
        return None
    return [line.split(":", 1)[0].strip() for line in net_dev.splitlines()[2:] if ":" in line]


def _links(value: Any) -> dict[str, str | None]:
    if not isinstance(value, dict):
        raise ProbeError("reading the namespaces printed an unexpected JSON shape")
    return {n: value.get(n) if isinstance(value.get(n), str) else None for n in NAMESPACES}


@dataclass(frozen=True)
class CgroupMembers(Probe[CgroupPeople]):
    """The processes in one cgroup and the namespaces each lives in, next to the host's.

    Returns ``{"state": "ok", "count": n, "host": {"ns": {"pid": "pid:[4026531836]", …},
    "hostname": "debian"}, "members": [{"pid": 812, "comm": "sleep", "nspid": [812, 1],
    "ns": {…}, "hostname": "labkit-box", "interfaces": ["lo"]}]}`` (at most MAX_MEMBERS
    members; processes that ended while being read are left out), or ``{"state": "missing"}``.
    """

    name: ClassVar[str] = "container.members"
    timeout: ClassVar[float] = 20.0
    path: str

    def command(self) -> str:
        return " ".join(["python3", "-c", q(_MEMBERS_SCRIPT), q(self.path), str(MAX_MEMBERS),
                         *(q(n) for n in NAMESPACES)])

    def parse(self, result: CommandResult) -> CgroupPeople:
        data = _load(result, f"the processes of {self.path}")
        host = data.get("host")
        if not isinstance(host, dict):
            raise ProbeError("reading the namespaces printed an unexpected JSON shape")
        host_info: HostNamespaces = {"ns": _links(host.get("ns")),
                                     "hostname": str(host.get("hostname", ""))}
        if data["state"] != "ok":
            return {"state": "missing", "host": host_info}
        members: list[Member] = []
        raw = data.get("members")
        if not isinstance(raw, list):
            raise ProbeError("reading the namespaces printed an unexpected JSON shape")
        for entry in raw:
            if not isinstance(entry, dict) or not isinstance(entry.get("pid"), int):
                raise ProbeError("reading the namespaces printed an unexpected JSON shape")
            hostname = entry.get("hostname")
            members.append({
                "pid": entry["pid"], "comm": str(entry.get("comm", "")),
                "nspid": _nspid(str(entry.get("status") or "")),
                "ns": _links(entry.get("ns")),
                "hostname": hostname if isinstance(hostname, str) else None,
                "interfaces": _interfaces(entry.get("net_dev")),
            })
        count = data.get("count")
        return {"state": "ok", "count": count if isinstance(count, int) else len(members),
                "host": host_info, "members": members}
