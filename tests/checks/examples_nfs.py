"""Examples for labkit/checks/nfs.py (see _examples.py). The recorded cases (the
``nfs-exports`` exercise solved on a storage lab: /srv/nfs/share to 192.168.100.0/24) give the
real shapes; the hand-made exports are made by the real parsers from text as /etc/exports and
``exportfs -s`` print it, one for each way an export can be wrong."""

from __future__ import annotations

from typing import Any

from _examples import result

from labkit.probes.nfs import ExportfsLive, ExportsFile

SHARE = "/srv/nfs/share"
CLIENT = "192.168.100.20"

ARGS: dict[str, list[dict[str, Any]]] = {
    "nfs.export_file": [{"path": SHARE, "client": CLIENT, "options": ["rw", "root_squash"]},
                        {"path": SHARE + "/", "client": CLIENT},
                        {"path": SHARE, "client": "192.168.100.0/24",
                         "options": ["rw", "root_squash"]}],
    "nfs.exported": [{"path": SHARE, "client": c, "options": ["rw", "sync"]}
                     for c in (CLIENT, "192.168.100.0/24")],
    "nfs.root_write": [{"directory": "/mnt/share", "expect": e}
                       for e in ("squashed", "root", "refused")],
}

_FILES = [
    f"{SHARE} {CLIENT}(rw,sync,no_subtree_check)\n",
    f"# comment\n{SHARE} {CLIENT}(ro) 192.168.100.0/24(rw)\n",
    f"{SHARE} 192.168.100.30(rw,no_root_squash)\n",
    f"{SHARE} {CLIENT}(rw,no_root_squash)\n",
    "",
]
_LIVE = [
    f"running\n{SHARE}\t{CLIENT}(sync,wdelay,hide,no_subtree_check,sec=sys,rw,secure,"
    "root_squash,no_all_squash)\n",
    f"running\n{SHARE}\n\t\t{CLIENT}(async,wdelay,hide,no_subtree_check,sec=sys,ro,secure,"
    "root_squash,no_all_squash)\n",
    f"running\n{SHARE}\t192.168.100.30(sync,rw)\n",
    "running\n",
    "stopped\n",
]

VALUES: dict[str, list[Any]] = {
    "nfs.exports_file": [ExportsFile().parse(result("cat /etc/exports", t)) for t in _FILES],
    "nfs.exportfs": [ExportfsLive().parse(result("exportfs -s", t)) for t in _LIVE],
    "nfs.write_test": [{"state": "written", "uid": 65534, "gid": 65534, "user": "nobody"},
                       {"state": "written", "uid": 0, "gid": 0, "user": "root"},
                       {"state": "written", "uid": 1000, "gid": 1000, "user": "alumno"},
                       {"state": "refused", "error": "Read-only file system"},
                       {"state": "not-a-directory"},
                       {"state": "stale", "error": "Stale file handle"}],
}
