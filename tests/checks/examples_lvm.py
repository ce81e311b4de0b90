"""Examples for labkit/checks/lvm.py (LVM and mounts; see _examples.py). The names are those
of the recorded cases (tests/probes/setups.py, VM): VG ``vgt`` on /dev/vdb-vdd; LVs
``database`` (raid1), ``templates`` (3 stripes), ``database-sn``, thin ``ftpserver`` in
``pool``; ``data`` and its invalid snapshot ``data-sn``; ext4 on ``web`` mounted on /srv/lv."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from _examples import recorded

from labkit.probes.lvm import LvmSettings, LvmState

MiB = 1 << 20
_WEB: dict[str, Any] = {"target": "/srv/lv", "sources": ["/dev/vgt/web"], "fstypes": ["ext4"]}
_MOUNTS: list[dict[str, Any]] = [
    _WEB, {**_WEB, "sources": ["/dev/vgt/other"]}, {**_WEB, "fstypes": ["xfs"]},
    {"target": "/srv/nothing"}, {"target": "/srv/lv"},
    {**_WEB, "sources": ["/dev/mapper/vgt-web"]}]

ARGS: dict[str, list[dict[str, Any]]] = {
    "lvm.pv": [{"device": "/dev/vdb", "vg": "vgt"}, {"device": "/dev/vdb", "vg": "other"},
               {"device": "/dev/vde", "vg": ""}, {"device": "/dev/vdz"}],
    "lvm.vg": [{"vg": "vgt", "pvs": ["/dev/vdb", "/dev/vdc", "/dev/vdd"], "extent_size": "4M"},
               {"vg": "vgt", "extent_size": "8M"}, {"vg": "other"}],
    "lvm.lv": [{"vg": "vgt", "lv": "database", "type": "raid1", "mirrors": 1, "size": "16M"},
               {"vg": "vgt", "lv": "templates", "type": "striped", "stripes": 3},
               {"vg": "vgt", "lv": "templates", "type": "linear"},
               {"vg": "vgt", "lv": "templates", "stripes": 2},
               {"vg": "vgt", "lv": "database", "mirrors": 2},
               {"vg": "vgt", "lv": "database", "size": "32M"},
               {"vg": "vgt", "lv": "nothing"}],
    "lvm.snapshot": [{"vg": "vgt", "lv": "database-sn", "origin": "database", "size": "8M"},
                     {"vg": "vgt", "lv": "database-sn", "origin": "database", "size": "4M"},
                     {"vg": "vgt", "lv": "database-sn", "origin": "templates"},
                     {"vg": "vgt", "lv": "templates", "origin": "database"},
                     {"vg": "vgt", "lv": "data-sn", "origin": "data"}],
    "lvm.thin": [{"vg": "vgt", "lv": "ftpserver", "pool": "pool", "size": "100M",
                  "overprovisioned": True},
                 {"vg": "vgt", "lv": "ftpserver", "pool": "pool", "overprovisioned": True},
                 {"vg": "vgt", "lv": "ftpserver", "pool": "pool", "size": "50M"},
                 {"vg": "vgt", "lv": "ftpserver", "pool": "other"},
                 {"vg": "vgt", "lv": "templates", "pool": "pool"}],
    "lvm.fs_size": [{"vg": "vgt", "lv": "data"}],
    "lvm.autoextend": [{"snapshot_threshold": 70, "snapshot_percent": 20},
                       {"thin_pool_threshold": 100}],
    "mount.active": _MOUNTS,
    "mount.boot": _MOUNTS,
}


def _small_thin() -> LvmState:
    """The advanced report with the thin volume no larger than its pool."""
    report: LvmState = recorded("lvm.report", "advanced")
    return replace(report, lvs=tuple(replace(lv, size=16 * MiB) if lv.name == "ftpserver"
                                     else lv for lv in report.lvs))


VALUES: dict[str, list[Any]] = {
    "lvm.report": [_small_thin()],
    # what lvmconfig gives once lvm.conf sets the snapshot threshold to 70
    "lvm.config": [LvmSettings(snapshot_autoextend_threshold=70, snapshot_autoextend_percent=20,
                               thin_pool_autoextend_threshold=100,
                               thin_pool_autoextend_percent=20)],
    # a filesystem not grown with its LV
    "blockdev.ext4": [{"state": "ok", "size": 4 * MiB, "block_count": 4096,
                       "block_size": 1024}],
    # a mount at boot the system skips
    "blockdev.fstab": [[{"source": "/dev/vgt/web", "target": "/srv/lv", "fstype": "ext4",
                         "options": ["noauto"]}]],
}
