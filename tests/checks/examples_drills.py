"""Examples for the repair drills' kinds: labkit/checks/lvm_health.py, content.py and
iscsi_health.py (see _examples.py). The recorded cases (``lvm.health``: VG ``vgt`` with a
RAID 1 ``data`` or a thin pool ``pool``; ``file.head``; ``iscsi.kernel_sessions``) give the
real shapes; the hand-made values add the states a recording cannot hold still: a RAID still
copying, a RAID with mismatches, an unreadable file, a session whose connection dropped."""

from __future__ import annotations

import dataclasses
from typing import Any

from _examples import recorded, result

from labkit.probes.content import FileText
from labkit.probes.iscsi_health import KernelSessions

LAB_IQN = "iqn.2026-11.lab.labkit.server:vms"   # the recorded solved session's target
PORTAL = "192.168.100.10"

ARGS: dict[str, list[dict[str, Any]]] = {
    "lvm.vg_complete": [{"vg": "vgt"}, {"vg": "nope"}],
    "lvm.raid_healthy": [{"vg": "vgt", "lv": "data"}, {"vg": "vgt", "lv": "data", "images": 3},
                         {"vg": "vgt", "lv": "pool"}, {"vg": "vgt", "lv": "nothing"},
                         {"vg": "nope", "lv": "data"}],
    "lvm.pool_room": [{"vg": "vgt", "lv": "pool", "below": 80}, {"vg": "vgt", "lv": "pool",
                                                                  "below": 20},
                      {"vg": "vgt", "lv": "data"}, {"vg": "nope", "lv": "pool"}],
    "lvm.monitored": [{"vg": "vgt", "lv": "pool"}, {"vg": "vgt", "lv": "nothing"}],
    "file.contains": [{"path": "/srv/x/LEEME.txt", "text": "k7pq2m"},
                      {"path": "/srv/x/LEEME.txt", "text": "another"}],
    "iscsi.session_up": [{"iqn": LAB_IQN, "portal": PORTAL},
                         {"iqn": LAB_IQN, "portal": f"{PORTAL}:3260"}],
}


def _raid(health: str, sync: float, action: str) -> Any:
    """The recorded healthy RAID 1, in another state."""
    report = recorded("lvm.health", "raid-ok")
    lvs = tuple(dataclasses.replace(lv, health=health, sync_percent=sync, sync_action=action)
                if lv.name == "data" else lv for lv in report.lvs)
    return dataclasses.replace(report, lvs=lvs)


_DROPPED = f"S {LAB_IQN} FAILED {PORTAL} 3260 down\nD sda\n"

VALUES: dict[str, list[Any]] = {
    "lvm.health": [_raid("", 42.5, "recover"), _raid("mismatches exist", 100.0, "idle")],
    "file.head": [FileText(exists=True, readable=False)],
    "iscsi.kernel_sessions": [KernelSessions().parse(result(KernelSessions().command(),
                                                            _DROPPED))],
}
