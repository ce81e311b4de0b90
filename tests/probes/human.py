"""Expectations a person read off the RAW output of recorded probe cases (not off the parse).

``expected`` in each case file is written by the parser it tests, so a wrong parse would pass
against it forever. These few values were read by eye from each case's ``stdout``/``stderr``
(or known from its setup, e.g. ``truncate -s 64M``); ``test_probe_cases.py`` checks the parse
of the recorded output against them, and the live re-captures check the fresh parse too.

Each entry: ``"probe/case": [(path, value), …]`` where ``path`` is a tuple of keys and list
indexes into the value's plain form (``plain()``: dataclasses as dicts, JSON-style keys).
"""

from __future__ import annotations

from typing import Any

Path = tuple[str | int, ...]

QI = "/tmp/labkit-probe-b3awpka9"          # the temp dir of qemu_img.info/overlay
RAW = "/tmp/labkit-probe-ors24ies"         # the temp dir of qemu_img.info/overlay-of-raw
SHARE_OPTIONS = ["sync", "wdelay", "hide", "no_subtree_check", "sec=sys", "rw", "secure",
                 "root_squash", "no_all_squash"]
IQN = "iqn.2026-11.lab.labkit.server:vms"
CLIENT = "iqn.2024-01.lab.labkit:client"

HUMAN: dict[str, list[tuple[Path, Any]]] = {
    # qemu-img info --backing-chain of top -> snap -> base, each 100M
    "qemu_img.info/overlay": [
        (("state",), "ok"),
        (("chain", 0, "filename"), f"{QI}/top.qcow2"),
        (("chain", 0, "format"), "qcow2"),
        (("chain", 0, "virtual_size"), 104857600),
        (("chain", 0, "backing_filename"), f"{QI}/snap.qcow2"),
        (("chain", 0, "backing_format"), "qcow2"),
        (("chain", 1, "backing_filename"), "base.qcow2"),
        (("chain", 1, "full_backing_filename"), f"{QI}/base.qcow2"),
        (("chain", 2, "filename"), f"{QI}/base.qcow2"),
        (("chain", 2, "backing_filename"), None),
    ],
    # a qcow2 overlay of a 64M raw base
    "qemu_img.info/overlay-of-raw": [
        (("chain", 0, "virtual_size"), 67108864),
        (("chain", 0, "backing_filename"), "base.raw"),
        (("chain", 0, "backing_format"), "raw"),
        (("chain", 1, "format"), "raw"),
        (("chain", 1, "actual_size"), 4096),
    ],
    "qemu_img.info/backing-deleted": [
        (("state",), "backing-missing"),
        (("missing",), "/tmp/labkit-probe-ud14qk22/base.qcow2"),
    ],
    # base: 1M of data at 0; overlay: 1M at 2M; the rest is zero
    "qemu_img.map/overlay-written": [
        (("extents", 0, "depth"), 1), (("extents", 0, "data"), True),
        (("extents", 2, "start"), 2097152), (("extents", 2, "depth"), 0),
        (("data_bytes", "0"), 1048576), (("data_bytes", "1"), 1048576),
    ],
    # -- NFS, on the storage lab after the nfs-exports solution -----------------------------
    "nfs.exportfs/solved": [
        (("running",), True),
        (("exports", 0, "path"), "/srv/nfs"),
        (("exports", 1, "path"), "/srv/nfs/share"),
        (("exports", 1, "clients", 0, "host"), "192.168.100.0/24"),
        (("exports", 1, "clients", 0, "options"), SHARE_OPTIONS),
        (("exports", 2, "path"), "/srv/nfs/ro"),
        (("exports", 2, "clients", 0, "options", 8), "all_squash"),
    ],
    "nfs.exportfs/stopped": [(("running",), False), (("exports",), [])],
    "nfs.exports_file/solved": [
        ((0, "path"), "/srv/nfs"), ((0, "line"), 2),       # line 1 is a comment
        ((0, "clients", 0, "options"), ["ro", "sync", "fsid=0", "no_subtree_check"]),
        ((1, "path"), "/srv/nfs/share"),
        ((1, "clients", 0, "options"), ["rw", "sync", "root_squash", "no_subtree_check"]),
        ((2, "clients", 0, "options"), ["ro", "sync", "all_squash", "no_subtree_check"]),
    ],
    "nfs.write_test/squashed": [(("state",), "written"), (("uid",), 65534),
                                (("gid",), 65534), (("user",), "nobody")],
    "nfs.write_test/read-only": [(("state",), "refused"), (("error",), "Read-only file system")],
    "nfs.write_test/stale": [(("state",), "stale"), (("error",), "Stale file handle")],
    "nfs.write_test/not-a-directory": [(("state",), "not-a-directory")],
    # -- iSCSI, on the storage lab after the iscsi-target solution --------------------------
    "iscsi.live/solved": [
        (("loaded",), True),
        (("backstores", 0, "name"), "vm1"), (("backstores", 0, "plugin"), "fileio"),
        (("backstores", 0, "dev"), "/srv/iscsi/vm1.img"),
        (("backstores", 0, "size"), 67108864),            # the solution's 64M image file
        (("backstores", 1, "dev"), "/dev/iscsi/vm2"),
        (("targets", 0, "iqn"), IQN),
        (("targets", 0, "tpgs", 0, "luns", 1, "backstore"), "block/vm2"),
        (("targets", 0, "tpgs", 0, "acls", 0, "iqn"), CLIENT),
        (("targets", 0, "tpgs", 0, "acls", 0, "userid"), "labuser"),
        (("targets", 0, "tpgs", 0, "acls", 0, "password_set"), True),
        (("targets", 0, "tpgs", 0, "portals"), ["0.0.0.0:3260"]),
    ],
    "iscsi.live/no-chap": [
        (("targets", 0, "tpgs", 0, "acls", 0, "userid"), ""),
        (("targets", 0, "tpgs", 0, "acls", 0, "password_set"), False),
    ],
    "iscsi.saveconfig/solved": [
        (("exists",), True),
        (("backstores", 1, "name"), "vm1"), (("backstores", 1, "size"), 67108864),
        (("targets", 0, "tpgs", 0, "acls", 0, "userid"), "labuser"),
    ],
    "iscsi.saveconfig/missing": [(("exists",), False)],
    "iscsi.units/solved": [(("rtslib-fb-targetctl.service",), "enabled"),
                           (("target.service",), "not-found")],
    "iscsi.units/disabled": [(("rtslib-fb-targetctl.service",), "disabled")],
    "iscsi.sessions/solved": [
        ((0, "target"), IQN), ((0, "portal"), "192.168.100.10:3260"),
        ((0, "state"), "LOGGED_IN"), ((0, "disks"), ["sda", "sdb"]),
    ],
    "iscsi.nodes/solved": [
        ((0, "target"), IQN), ((0, "portal"), "192.168.100.10:3260"),
        ((0, "startup"), "automatic"), ((0, "username"), "labuser"),
    ],
    # -- repair drills: a RAID 1 whose second leg's PV label was wiped; a full thin pool --------
    "lvm.health/raid-pv-missing": [
        (("vgs", 0, "missing_pvs"), 1), (("vgs", 0, "partial"), True),
        (("pvs", 3, "name"), "[unknown]"), (("pvs", 3, "missing"), True),
        (("lvs", 0, "name"), "data"), (("lvs", 0, "health"), "partial"),
        (("lvs", 0, "devices"), ["data_rimage_0", "data_rimage_1"]),
        (("lvs", 2, "devices"), ["[unknown]"]),
    ],
    "lvm.health/thin-full": [
        (("lvs", 1, "name"), "pool"), (("lvs", 1, "data_percent"), 100.0),
        (("lvs", 1, "health"), "out_of_data"), (("lvs", 1, "monitor"), "not monitored"),
        (("lvs", 1, "when_full"), "error"),
    ],
    "iscsi.kernel_sessions/solved": [
        ((0, "target"), IQN), ((0, "state"), "LOGGED_IN"),
        ((0, "portal"), "192.168.100.10:3260"), ((0, "disks"), ["sda", "sdb"]),
    ],
    "file.head/text": [(("exists",), True),
                       (("text",), "Datos que non se poden perder: k7pq2m\n")],
}


def at(value: Any, path: Path) -> Any:
    """The part of ``value`` (plain data) at ``path``; KeyError/IndexError if it has none."""
    for step in path:
        value = value[step]
    return value


def disagreements(name: str, value: Any) -> list[str]:
    """Where the plain ``value`` of case ``name`` differs from what a person read."""
    out = []
    for path, wanted in HUMAN.get(name, []):
        try:
            found = at(value, path)
        except (KeyError, IndexError, TypeError):
            out.append(f"{name} {path}: missing (a person read {wanted!r})")
            continue
        if found != wanted:
            out.append(f"{name} {path}: parsed {found!r}, a person read {wanted!r}")
    return out
