"""Which lab each lesson needs, and the names, files and devices its practice uses.

A lesson practises on its OWN names, files and devices, never on its exercise's: running a
lesson and then grading the exercise on the same host scores only what the student did for the
exercise. The exercises keep the spare disks ``/dev/vdb``..``/dev/vde`` and ``/dev/vdj``, and
their ``workdir`` (``/root/lab/<exercise>``); the lessons use ``/dev/vdf``..``/dev/vdi`` and
``/root/lessons/<lesson>``. Every lab VM has the nine spare disks (1 GiB sparse overlays).

Topology per lesson, chosen so that a student going 01 -> 08 in order switches twice, each time
at a change of subject (containers/disk images -> storage -> networks):

=====================  ========  =====================  =======================================
lesson                 lab       main role (others)     the lesson's own names (``practice``)
=====================  ========  =====================  =======================================
01-virtualization      single    host                   cgroup and hostname ``lesson-box``
02-qemu-img            single    host                   work folder ``/root/lessons/02-qemu-img``
03-lvm                 storage   server (client)        disks ``/dev/vdf``..``/dev/vdi``, VG
                                                        ``Practica``, LVs ``web`` ``db``
                                                        ``bandas`` ``orixe`` ``pool``
                                                        ``fino`` (in their own VG, so
                                                        no check of the exercise's VG
                                                        sees them),
                                                        mount point ``/srv/practica``
04-nfs                 storage   server (client)        ``/etc/exports.d/lesson.exports`` (never
                                                        ``/etc/exports``), ``/srv/lesson-nfs``,
                                                        client mounts under ``/mnt/lesson-*``
05-iscsi               storage   server (client)        target ``iqn.2026-11.lab.labkit.server:
                                                        lesson``, disk ``/dev/vdf``, file
                                                        ``/srv/lesson-iscsi/disk1.img``, CHAP
                                                        ``lessonuser`` / ``lessonpass2026``
06-network-devices     network   b (router, a)          ``ltap0`` ``ltun0`` ``lmacvtap0``-``2``
                                                        ``lveth0``/``lveth0-sw``
07-bridges-ovs         network   b (router, a)          bridge ``lbr0`` (10.60.0.0/24), OVS
                                                        ``lovsbr0`` (10.70.0.0/24), namespaces
                                                        ``lns1``..``lns4``
08-vlans-nat           network   router (a, b)          VLAN 30 (``eth1.30``, 10.0.30.0/24)
=====================  ========  =====================  =======================================

Exercise roles map to lab hosts by topology (``ROLE_HOSTS``): the role ``host`` of a
single-host exercise is ``host`` on ``single``, ``server`` on ``storage`` and ``b`` on
``network``; other roles are host names.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from labkit.errors import ExerciseError, UsageError
from labkit.sandbox.topology import TOPOLOGIES

#: The spare disks of every lab VM: the exercises use the first four, the lessons the rest.
EXERCISE_DISKS = ("/dev/vdb", "/dev/vdc", "/dev/vdd", "/dev/vde", "/dev/vdj")
LESSON_DISKS = ("/dev/vdf", "/dev/vdg", "/dev/vdh", "/dev/vdi")
#: Where lessons keep their files on the lab host (exercises: ``/root/lab/<exercise>``).
LESSONS_ROOT = "/root/lessons"

#: Lab hosts of each topology, in display order (the sandbox's host names).
TOPOLOGY_HOSTS: dict[str, tuple[str, ...]] = {
    name: tuple(h.name for h in topology.hosts) for name, topology in TOPOLOGIES.items()}
#: Exercise role -> lab host, by topology (roles not listed are host names).
ROLE_HOSTS: dict[str, dict[str, str]] = {
    name: {"host": topology.one_host} for name, topology in TOPOLOGIES.items()}


@dataclass(frozen=True)
class LessonSpec:
    """One lesson: its lab, its main role, its exercises and its own practice names."""

    id: str
    topology: str
    main: str
    exercises: tuple[str, ...]
    practice: dict[str, str] = field(default_factory=dict)

    @property
    def number(self) -> str:
        return self.id.split("-", 1)[0]

    @property
    def workdir(self) -> str:
        """The lesson's own work folder on the lab host (created by the first command)."""
        return f"{LESSONS_ROOT}/{self.id}"

    @property
    def roles(self) -> tuple[str, ...]:
        return TOPOLOGY_HOSTS[self.topology]


def _spec(id: str, topology: str, main: str, exercises: tuple[str, ...],
          **practice: str) -> LessonSpec:
    return LessonSpec(id, topology, main, exercises, practice)


LESSONS: dict[str, LessonSpec] = {spec.id: spec for spec in (
    _spec("01-virtualization", "single", "host", ("intro-container",),
          cgroup="lesson-box", hostname="lesson-box"),
    _spec("02-qemu-img", "single", "host", ("qemu-img-basics", "qemu-img-snapshots")),
    _spec("03-lvm", "storage", "server", ("lvm-basics", "lvm-advanced", "lvm-thin-full",
                                           "lvm-raid-repair"),
          disk1="/dev/vdf", disk2="/dev/vdg", disk3="/dev/vdh", disk4="/dev/vdi",
          vg="Practica", linear="web", mirror="db", striped="bandas", origin="orixe",
          pool="pool", thin="fino", mountpoint="/srv/practica"),
    _spec("04-nfs", "storage", "server", ("nfs-exports",),
          exports_file="/etc/exports.d/lesson.exports", root="/srv/lesson-nfs",
          share="/srv/lesson-nfs/share", data="/srv/lesson-data",
          mount_v4="/mnt/lesson-v4", mount_v3="/mnt/lesson-v3", server="192.168.100.10",
          network="192.168.100.0/24"),
    _spec("05-iscsi", "storage", "server", ("iscsi-target", "iscsi-session-repair", "capstone"),
          iqn="iqn.2026-11.lab.labkit.server:lesson", disk="/dev/vdf",
          fileio="/srv/lesson-iscsi/disk1.img", fileio_name="ldisk1", block_name="ldisk2",
          chap_user="lessonuser", chap_password="lessonpass2026",  # noqa: S106 - a lab value
          initiator="iqn.2024-01.lab.labkit:client", server="192.168.100.10",
          udev_rule="/etc/udev/rules.d/20-lesson-iscsi.rules", symlink="lessondisk"),
    _spec("06-network-devices", "network", "b", ("net-devices",),
          tap="ltap0", tun="ltun0", macvtap_bridge="lmacvtap0", macvtap_private="lmacvtap1",
          macvtap_vepa="lmacvtap2", veth="lveth0", veth_peer="lveth0-sw", uplink="eth1"),
    _spec("07-bridges-ovs", "network", "b", ("net-bridges",),
          bridge="lbr0", bridge_net="10.60.0.0/24", bridge_ip="10.60.0.1/24",
          switch="lovsbr0", switch_net="10.70.0.0/24", namespaces="lns1 lns2 lns3 lns4"),
    _spec("08-vlans-nat", "network", "router", ("net-vlans-nat",),
          vlan="30", device="eth1.30", network="10.0.30.0/24", router_ip="10.0.30.1/24",
          a_ip="10.0.30.11/24", b_ip="10.0.30.12/24", uplink="eth1"),
)}


def lesson_spec(lesson_id: str) -> LessonSpec:
    """The lesson ``lesson_id`` (``"03-lvm"``; ``"03"`` works too)."""
    if lesson_id in LESSONS:
        return LESSONS[lesson_id]
    for spec in LESSONS.values():
        if spec.number == lesson_id:
            return spec
    raise UsageError(f"unknown lesson {lesson_id!r} (lessons: {', '.join(LESSONS)})")


def lesson_of(exercise: str) -> LessonSpec:
    """The lesson that teaches ``exercise`` (its exercise notebook uses the same lab)."""
    for spec in LESSONS.values():
        if exercise in spec.exercises:
            return spec
    raise ExerciseError(f"no lesson teaches the exercise {exercise!r}")


def lab_host_for(topology: str, role: str) -> str:
    """The lab host that plays the exercise role ``role`` on ``topology``."""
    return ROLE_HOSTS.get(topology, {}).get(role, role)


def moved(workdir: str, name: str | None = None) -> str:
    """``workdir`` under ``LABKIT_LAB_DIR`` when that is set (tests run lessons in a fresh
    folder): ``LAB_DIR/<name or last part of workdir>``."""
    from labkit import settings

    root = settings.current().lab_dir
    if not root or not workdir:
        return workdir
    return posixpath.join(root, name or posixpath.basename(workdir.rstrip("/")))
