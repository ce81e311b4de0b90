"""Small lesson notebooks written against the lesson API, for the tests that need a lesson
before (or besides) the stored ones: the same first cell, ``sh`` on the lesson's own names
and devices (``LessonSpec.practice``), a diagram read from the live host, "Check my work"."""

from __future__ import annotations

from typing import Any

import nbformat

#: Code cells after the first, per lesson ({lang} is filled in).
CELLS: dict[str, list[str]] = {
    "01-virtualization": [
        'sh("systemd-detect-virt")',
        'sh("mkdir -p /sys/fs/cgroup/lesson-box && echo 64M > '
        '/sys/fs/cgroup/lesson-box/memory.max && cat /sys/fs/cgroup/lesson-box/memory.max")',
        'sh("rmdir /sys/fs/cgroup/lesson-box")',
        'lesson.check("intro-container")',
    ],
    "02-qemu-img": [
        'sh("qemu-img create -f qcow2 systemdisk.qcow2 100M")',
        'sh("qemu-img convert -f qcow2 -O raw systemdisk.qcow2 systemrawdisk.raw")',
        'sh("qemu-img resize systemdisk.qcow2 +20M")',
        'sh("qemu-img create -f qcow2 base.qcow2 100M && '
        'qemu-img create -f qcow2 -b base.qcow2 -F qcow2 snapdisk.qcow2")',
        'lesson.chain("snapdisk.qcow2")',
        'lesson.check("qemu-img-basics")',
        'lesson.check("qemu-img-snapshots")',
    ],
    "03-lvm": [
        'sh("pvcreate -q /dev/vdf /dev/vdg /dev/vdh && vgcreate -q Practica /dev/vdf /dev/vdg '
        '&& vgs -o vg_name,pv_count Practica")',
        'sh("lvcreate -q -y -n web -L 40M Practica && lvs -o lv_name,lv_size Practica")',
        'from labkit.widgets import LvmMap\nLvmMap(lesson.host("server"), lesson.lang)',
        'lesson.check("lvm-basics")',
        'lesson.check("lvm-advanced")',
    ],
    "04-nfs": [
        'sh("mkdir -p /srv/lesson-nfs/share /etc/exports.d && echo '
        '\'/srv/lesson-nfs/share 192.168.100.0/24(rw,sync,no_subtree_check)\' > '
        '/etc/exports.d/lesson.exports && systemctl start nfs-server && exportfs -ra && '
        'exportfs -v")',
        'sh("mkdir -p /mnt/lesson-v4 && mount -t nfs4 192.168.100.10:/srv/lesson-nfs/share '
        '/mnt/lesson-v4 && findmnt -n -o SOURCE,FSTYPE /mnt/lesson-v4", on="client")',
        'lesson.check("nfs-exports")',
    ],
    "05-iscsi": [
        'sh("targetcli /backstores/block create ldisk2 /dev/vdf >/dev/null && targetcli '
        '/iscsi create iqn.2026-11.lab.labkit.server:lesson >/dev/null && targetcli ls /iscsi '
        '1")',
        'from labkit.widgets import TargetDiagram\nTargetDiagram(lesson.host("server"), '
        'lesson.lang)',
        'lesson.check("iscsi-target")',
    ],
    "06-network-devices": [
        'sh("ip tuntap add ltap0 mode tap && ip tuntap add ltun0 mode tun && '
        'ip -br link show type tun")',
        'sh("ip link add lveth0 type veth peer name lveth0-sw && ip -br link show type veth")',
        'from labkit.widgets import NetTopology\nNetTopology({"b": lesson.host("b")}, '
        'lesson.lang)',
        'lesson.check("net-devices")',
    ],
    "07-bridges-ovs": [
        'sh("ip link add lbr0 type bridge && ip link set lbr0 up && '
        'ip addr add 10.60.0.1/24 dev lbr0 && ip -br addr show lbr0")',
        'sh("ovs-vsctl add-br lovsbr0 && ovs-vsctl list-br")',
        'lesson.check("net-bridges")',
    ],
    "08-vlans-nat": [
        'sh("ip link add link eth1 name eth1.30 type vlan id 30 && '
        'ip addr add 10.0.30.1/24 dev eth1.30 && ip link set eth1.30 up")',
        'sh("ip link add link eth1 name eth1.30 type vlan id 30 && '
        'ip addr add 10.0.30.11/24 dev eth1.30 && ip link set eth1.30 up && '
        'ping -c 1 -W 3 10.0.30.1 >/dev/null && echo reached", on="a")',
        'lesson.check("net-vlans-nat")',
    ],
}


def own_notebook(lesson_id: str, lang: str) -> Any:
    """The notebook (NotebookNode) of ``lesson_id`` in ``lang``; output of every ``sh`` cell
    is checked (tag ``nbval-check-output``), the rest ignored."""
    first = (f'from labkit.lessons import Lesson\nlesson = Lesson("{lesson_id}", "{lang}")\n'
             "sh = lesson.sh")
    cells = [nbformat.v4.new_code_cell(first)]  # type: ignore[no-untyped-call]
    for source in CELLS[lesson_id]:
        cell = nbformat.v4.new_code_cell(source)  # type: ignore[no-untyped-call]
        cell.metadata["tags"] = ["nbval-check-output" if source.startswith("sh(")
                                 else "nbval-ignore-output"]
        cells.append(cell)
    cells[0].metadata["tags"] = ["nbval-ignore-output"]
    nb = nbformat.v4.new_notebook(cells=cells)  # type: ignore[no-untyped-call]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return nb
