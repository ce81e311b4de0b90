"""Examples for labkit/checks/iscsi.py (see _examples.py). The recorded cases (the
``iscsi-target`` exercise solved on a storage lab: target ``iqn.2026-11.lab.labkit.server:vms``)
give the real shapes; the hand-made values add each way a target can be wrong (in the shape
the probes document), and units, sessions and node records made by the real parsers from text
as systemctl and iscsiadm print it."""

from __future__ import annotations

import copy
from typing import Any

from _examples import result

from labkit.probes.iscsi import Nodes, Sessions, Units

IQN = "iqn.2024-01.lab.labkit:storage"
INITIATOR = "iqn.2024-01.lab.labkit:client"
PORTAL = "192.168.100.10"
LAB_IQN = "iqn.2026-11.lab.labkit.server:vms"   # the recorded cases' target

ARGS: dict[str, list[dict[str, Any]]] = {
    "iscsi.target": [{"iqn": IQN, "luns": ["fileio/vm1"], "acl": INITIATOR, "chap_user": "alumno",
                      "persistence": p} for p in (False, True)]
    + [{"iqn": LAB_IQN, "luns": ["fileio/vm1", "block/vm2"], "acl": INITIATOR,
        "chap_user": "labuser", "persistence": p} for p in (False, True)],
    "iscsi.restore_unit": [{}],
    "iscsi.initiator": [{"iqn": i, "portal": PORTAL, "when": w}
                        for i in (IQN, LAB_IQN) for w in ("now", "boot")],
    "iscsi.disk": [{"path": "/dev/vm1", "size": "24M"}, {"path": "/dev/vm1", "size": "1G"}],
}

_TPG: dict[str, Any] = {
    "tag": 1, "enabled": True, "luns": [{"index": 0, "backstore": "fileio/vm1"}],
    "acls": [{"iqn": INITIATOR, "userid": "alumno", "password_set": True}],
    "portals": ["0.0.0.0:3260"]}
_DATA: dict[str, Any] = {
    "backstores": [{"name": "vm1", "plugin": "fileio", "dev": "/srv/vm1.img", "size": 24 << 20}],
    "targets": [{"iqn": IQN, "tpgs": [_TPG]}]}


def _variants() -> list[dict[str, Any]]:
    """The target data, and one variant for each way it can be wrong."""
    out = [_DATA, {**_DATA, "targets": []}]
    changes: list[dict[str, Any]] = [
        {"tag": 2}, {"luns": []}, {"acls": []}, {"portals": ["0.0.0.0:3261"]},
        {"acls": [{"iqn": INITIATOR, "userid": "", "password_set": False}]}]
    for change in changes:
        data = copy.deepcopy(_DATA)
        data["targets"][0]["tpgs"][0].update(change)
        out.append(data)
    return out


_UNITS = ("rtslib-fb-targetctl.service", "target.service")
_SESSION = (f"Target: {IQN} (non-flash)\n\tCurrent Portal: {PORTAL}:3260,1\n"
            f"\tPersistent Portal: {PORTAL}:3260,1\n\t\tiSCSI Session State: LOGGED_IN\n"
            "\t\t\tAttached scsi disk sdb\t\tState: running\n")
_NODE = (f"== /etc/iscsi/nodes/{IQN}/{PORTAL},3260,1/default\nnode.name = {IQN}\n"
         "node.startup = {startup}\n"
         f"node.conn[0].address = {PORTAL}\nnode.conn[0].port = 3260\n")

VALUES: dict[str, list[Any]] = {
    "iscsi.live": [{"loaded": False}] + [{"loaded": True, **d} for d in _variants()],
    "iscsi.saveconfig": [{"exists": False}] + [{"exists": True, **d} for d in _variants()],
    "iscsi.units": [Units().parse(result("systemctl is-enabled", t)) for t in (
        f"{_UNITS[0]} enabled\n{_UNITS[1]} Failed to get unit file state for target.service: "
        "No such file or directory\n",
        f"{_UNITS[0]} disabled\n{_UNITS[1]} disabled\n")],
    "iscsi.sessions": [Sessions().parse(result("iscsiadm -m session -P 3", t)) for t in (
        _SESSION, _SESSION.replace(IQN, IQN + "x"))]
    + [Sessions().parse(result("iscsiadm -m session -P 3", "", 21,
                               "iscsiadm: No active sessions.\n"))],
    "iscsi.nodes": [Nodes().parse(result("find /etc/iscsi/nodes", t)) for t in (
        _NODE.format(startup="automatic"), _NODE.format(startup="manual"), "")],
    # a udev name that is not a disk (the disk itself is in tests/probes/blockdev.path)
    "blockdev.path": [{"exists": True, "link": True, "target": "/srv/vm1.img", "block": False,
                       "size": None}],
}
