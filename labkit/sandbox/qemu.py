"""The QEMU command line of a lab VM, as an argv list (never a shell string).

Every lab VM has the same virtual hardware, so a snapshot taken on one (the warm
snapshot, see :mod:`labkit.sandbox.warm`) can be restored on any other:

==========  ======================================================================
PCI slot    device
==========  ======================================================================
0x02        virtio-net ``eth0``: QEMU user net, ``restrict=on``, SSH forwarded from
            127.0.0.1:PORT only
0x03        virtio-net ``eth1``: the lab network (a unix-datagram link to the lab's
            switch, or an unconnected hub port for a single VM)
0x04        virtio-blk ``vda``: root overlay
0x05-0x08   virtio-blk ``vdb``-``vde``: spare disks 1-4 (the exercises'), serials
            ``labkit-disk1``..``4``
0x09        virtio-serial: the QEMU guest agent channel
0x0a        virtio-rng
0x0b-0x0e   virtio-blk ``vdf``-``vdi``: spare disks 5-8 (the lessons' own), serials
            ``labkit-disk5``..``8``
0x0f        virtio-blk ``vdj``: spare disk 9 (the exercises' fifth), serial
            ``labkit-disk9``
==========  ======================================================================

Spare disks are sparse qcow2 files (``DISK_SIZE`` virtual, a few hundred KiB real until a
guest writes to them). The guest names virtio disks in PCI order, so disks 5-8 (after the
agent and RNG slots, kept where they were) are still ``vdf``..``vdi``, and disk 9 is ``vdj``.
The exercises own ``vdb``..``vde`` and ``vdj``; the lessons own ``vdf``..``vdi``.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from labkit.sandbox.guest import KERNEL_CMDLINE

QEMU = "qemu-system-x86_64"
MEMORY_MB = 1024
DISK_COUNT = 9
DISK_SIZE = "1G"
# Bump when the virtual hardware below changes (old warm snapshots become unusable).
HARDWARE_VERSION = 3
SERIAL_SLOT = 0x09
RNG_SLOT = 0x0A


def disk_slot(index: int) -> int:
    """The PCI slot of spare disk ``index`` (1..DISK_COUNT): 0x05-0x08, then 0x0b-0x0f."""
    if not 1 <= index <= DISK_COUNT:
        raise ValueError(f"no spare disk {index}")
    return 0x04 + index if index <= 4 else RNG_SLOT + index - 4


MGMT_MAC = "52:54:00:12:34:56"


@dataclass(frozen=True)
class LabLink:
    """How ``eth1`` is connected: to the lab switch socket, or to nothing (``switch=None``)."""

    local: Path | None = None
    switch: Path | None = None

    def netdev(self) -> str:
        if self.switch is None or self.local is None:
            return "hubport,id=lab,hubid=0"
        return (f"dgram,id=lab,local.type=unix,local.path={self.local},"
                f"remote.type=unix,remote.path={self.switch}")


@dataclass(frozen=True)
class VMConfig:
    """Everything that decides one VM's command line."""

    name: str
    accel: str
    kernel: Path
    initrd: Path
    root_disk: Path
    extra_disks: tuple[Path, ...]
    ssh_port: int
    qmp_socket: Path
    agent_socket: Path
    serial_log: Path
    pidfile: Path
    lab_mac: str
    lab_link: LabLink = field(default_factory=LabLink)
    memory_mb: int = MEMORY_MB
    loadvm: str | None = None


def _check_option_value(value: str) -> str:
    # QEMU splits -drive/-netdev options on commas; a comma in a path would inject options.
    if "," in value:
        raise ValueError(f"QEMU option value may not contain a comma: {value!r}")
    return value


def qemu_argv(cfg: VMConfig) -> list[str]:
    """The full QEMU argv for ``cfg`` (daemonizes; writes ``cfg.pidfile``)."""
    for path in (cfg.root_disk, *cfg.extra_disks, cfg.qmp_socket, cfg.agent_socket,
                 cfg.serial_log, cfg.pidfile, cfg.kernel, cfg.initrd):
        _check_option_value(str(path))
    if cfg.lab_link.local is not None:
        _check_option_value(str(cfg.lab_link.local))
    if cfg.lab_link.switch is not None:
        _check_option_value(str(cfg.lab_link.switch))
    if cfg.accel not in ("kvm", "tcg"):
        raise ValueError(f"unknown accelerator {cfg.accel!r}")
    argv = [
        QEMU,
        "-name", f"{_check_option_value(cfg.name)},debug-threads=off",
        "-machine", "q35",
        "-accel", "kvm" if cfg.accel == "kvm" else "tcg,thread=multi",
        "-cpu", "host" if cfg.accel == "kvm" else "max",
        "-m", str(cfg.memory_mb),
        "-smp", "1",
        "-nodefaults", "-no-user-config", "-display", "none",
        "-kernel", str(cfg.kernel),
        "-initrd", str(cfg.initrd),
        "-append", KERNEL_CMDLINE,
        "-serial", f"file:{cfg.serial_log}",
        "-chardev", f"socket,id=qmp,path={cfg.qmp_socket},server=on,wait=off",
        "-mon", "chardev=qmp,mode=control",
        "-chardev", f"socket,id=qga,path={cfg.agent_socket},server=on,wait=off",
        "-netdev", f"user,id=mgmt,restrict=on,hostfwd=tcp:127.0.0.1:{cfg.ssh_port}-:22",
        "-device", f"virtio-net-pci,netdev=mgmt,mac={MGMT_MAC},bus=pcie.0,addr=0x2",
        "-netdev", cfg.lab_link.netdev(),
        "-device", f"virtio-net-pci,netdev=lab,mac={cfg.lab_mac},bus=pcie.0,addr=0x3",
        "-drive", f"if=none,id=root,file={cfg.root_disk},format=qcow2,cache=unsafe,"
                  "discard=unmap",
        "-device", "virtio-blk-pci,drive=root,serial=labkit-root,bus=pcie.0,addr=0x4",
    ]
    for index, disk in enumerate(cfg.extra_disks, start=1):
        argv += [
            "-drive", f"if=none,id=disk{index},file={disk},format=qcow2,cache=unsafe,"
                      "discard=unmap",
            "-device", f"virtio-blk-pci,drive=disk{index},serial=labkit-disk{index},"
                       f"bus=pcie.0,addr={disk_slot(index):#04x}",
        ]
    argv += [
        "-device", f"virtio-serial-pci,id=vser0,bus=pcie.0,addr={SERIAL_SLOT:#04x}",
        "-device", "virtserialport,bus=vser0.0,chardev=qga,name=org.qemu.guest_agent.0",
        "-device", f"virtio-rng-pci,bus=pcie.0,addr={RNG_SLOT:#04x}",
        "-pidfile", str(cfg.pidfile),
        "-daemonize",
    ]
    if cfg.loadvm:
        argv += ["-loadvm", cfg.loadvm]
    return argv


def overlay_argv(base: Path, overlay: Path) -> list[str]:
    """``qemu-img create`` of a copy-on-write overlay over a read-only base image."""
    return ["qemu-img", "create", "-q", "-f", "qcow2", "-b", str(base), "-F", "qcow2",
            str(overlay)]


def blank_disk_argv(path: Path, size: str = DISK_SIZE) -> list[str]:
    """``qemu-img create`` of one empty spare disk."""
    return ["qemu-img", "create", "-q", "-f", "qcow2", str(path), size]


def qemu_version() -> str:
    """The first line of ``qemu-system-x86_64 --version`` (part of the warm snapshot key)."""
    out = subprocess.run([QEMU, "--version"], capture_output=True, text=True, timeout=30,
                         check=True)
    return out.stdout.splitlines()[0].strip()
