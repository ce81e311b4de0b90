"""Examples for labkit/checks/container.py (see _examples.py); the values are shaped as the
parsers return what the sandbox VM printed (tests/exercises/test_intro_container.py)."""

from __future__ import annotations

from typing import Any

CG = "/sys/fs/cgroup/labkit-box"
NAMESPACES = ("pid", "uts", "net", "mnt", "ipc")

ARGS: dict[str, list[dict[str, Any]]] = {
    "container.cgroup": [{"cgroup": CG}],
    "container.memory_max": [{"cgroup": CG, "max": "64M"}],
    "container.cpu_max": [{"cgroup": CG, "quota": 20000}],
    "container.populated": [{"cgroup": CG}],
    "container.namespace": [{"cgroup": CG, "ns": n} for n in NAMESPACES]
    + [{"cgroup": CG, "ns": "uts", "hostname": "labkit-box"}],
    "container.enforced": [{"cgroup": CG, "resource": r} for r in ("memory", "cpu")],
}

_HOST_NS = {n: f"{n}:[1]" for n in NAMESPACES}
_OWN_NS = {n: f"{n}:[2]" for n in NAMESPACES}
_BASE = {"state": "ok", "v2": True, "procs": [5], "controllers": ["cpu", "memory"],
         "memory_max": 64 << 20, "swap_max": 0, "cpu_max": {"quota": 20000, "period": 100000},
         "pids_max": None, "has_memory": True, "has_cpu": True,
         "memory_events": {"oom_kill": 1}, "cpu_stat": {"nr_throttled": 3}}
_MEMBER = {"pid": 5, "comm": "sleep", "nspid": [5, 1], "ns": _OWN_NS,
           "hostname": "labkit-box", "interfaces": ["lo"]}
_HOST = {"ns": _HOST_NS, "hostname": "host"}

VALUES: dict[str, list[Any]] = {
    "container.cgroup": [
        _BASE, {**_BASE, "procs": []}, {**_BASE, "memory_max": None},
        {**_BASE, "memory_max": 1 << 20}, {**_BASE, "has_memory": False},
        {**_BASE, "cpu_max": None}, {**_BASE, "cpu_max": {"quota": None, "period": 100000}},
        {**_BASE, "cpu_max": {"quota": 1, "period": 100000}},
        {**_BASE, "memory_events": {}, "cpu_stat": {}},
        {"state": "missing", "v2": True}, {"state": "missing", "v2": False},
        {"state": "not-cgroup", "v2": True}],
    "container.members": [
        {"state": "ok", "count": 1, "host": _HOST, "members": [m]} for m in (
            _MEMBER, {**_MEMBER, "ns": _HOST_NS}, {**_MEMBER, "hostname": "host"},
            {**_MEMBER, "interfaces": ["lo", "eth0"]}, {**_MEMBER, "nspid": []})]
    + [{"state": "ok", "count": 0, "host": _HOST, "members": []},
       {"state": "missing", "host": _HOST}],
}
