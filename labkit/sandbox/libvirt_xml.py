"""The libvirt backend's pure parts: names, the domain XML, labkit's metadata, pool and
volume XML, placement of labs on hypervisors, and the key of a warm state (see
:mod:`labkit.sandbox.libvirt`)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

from labkit.errors import SandboxError
from labkit.sandbox.guest import KERNEL_CMDLINE
from labkit.sandbox.qemu import (
    DISK_COUNT,
    DISK_SIZE,
    HARDWARE_VERSION,
    MEMORY_MB,
    MGMT_MAC,
    RNG_SLOT,
    SERIAL_SLOT,
    disk_slot,
)
from labkit.sandbox.topology import HostSpec

#: The one CPU model of every lab VM: TCG emulates all of it, every x86-64 KVM host since
#: 2008 has it, so a warm state saved on one hypervisor restores on any other.
CPU_MODEL = "Nehalem"
METADATA_NS = "urn:labkit:vm:1"
QEMU_NS = "http://libvirt.org/schemas/domain/qemu/1.0"
#: UDP ports of the per-student lab switches (multicast groups on the loopback).
SWITCH_PORT_BASE = 45000
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")


def check_lab_name(name: str) -> str:
    if not _NAME.match(name):
        raise SandboxError(f"bad lab name {name!r}: letters, digits, '.', '_' and '-' only, "
                           "at most 63")
    return name



def domain_name(lab: str, host: str) -> str:
    return f"labkit-{lab}-{host}"


def volume_names(prefix: str) -> tuple[str, ...]:
    """The root disk and the spare disks of one VM (or of the warm state)."""
    return (f"{prefix}-root.qcow2",
            *(f"{prefix}-disk{i}.qcow2" for i in range(1, DISK_COUNT + 1)))


#: Lab switches per hypervisor (multicast groups; each its own UDP port).
SWITCHES = 15000


def lab_group(index: int) -> tuple[str, int]:
    """The multicast group and UDP port of lab switch number ``index`` on one hypervisor."""
    if not 0 <= index < SWITCHES:
        raise SandboxError(f"lab switch number out of range: {index}")
    return f"239.255.{76 + index // 250}.{1 + index % 250}", SWITCH_PORT_BASE + index


def lab_mac(index: int, host: HostSpec) -> str:
    """Unique on a hypervisor: the lab switch number and the host's place in the topology."""
    return f"52:54:00:{(index >> 8) & 0xff:02x}:{index & 0xff:02x}:{0x10 + host.index:02x}"


@dataclass(frozen=True)
class DomainSpec:
    """Everything that decides one domain's XML."""

    name: str
    lab: str
    host: str
    role: str
    kernel: str
    initrd: str
    disks: tuple[str, ...]
    ssh_port: int
    lab_mac: str
    switch: tuple[str, int] | None       # multicast group and port; None: an unplugged NIC
    memory_mb: int = MEMORY_MB
    accel: str = "tcg"
    uuid: str = ""
    switch_index: int = -1


def domain_xml(spec: DomainSpec) -> str:
    """The libvirt domain XML of one lab VM. Same virtual hardware on every VM (PCI slots
    as :mod:`labkit.sandbox.qemu` lists them), one pinned CPU model, SSH only on loopback."""
    if spec.accel not in ("tcg", "kvm"):
        raise SandboxError(f"unknown accelerator {spec.accel!r}")
    if not 0 < spec.ssh_port < 65536:
        raise SandboxError(f"bad SSH port {spec.ssh_port}")
    if len(spec.disks) != DISK_COUNT + 1:
        raise SandboxError(f"a lab VM has {DISK_COUNT + 1} disks, not {len(spec.disks)}")
    for value in (spec.kernel, spec.initrd, *spec.disks):
        if "," in value:  # QEMU splits -drive options on commas
            raise SandboxError(f"a path may not contain a comma: {value!r}")

    def pci(slot: int) -> str:
        return (f"<address type='pci' domain='0x0000' bus='0x00' slot='{slot:#04x}' "
                "function='0x0'/>")

    disks = []
    for i, path in enumerate(spec.disks):
        serial = "labkit-root" if i == 0 else f"labkit-disk{i}"
        disks.append(
            "<disk type='file' device='disk'>"
            "<driver name='qemu' type='qcow2' cache='unsafe' discard='unmap'/>"
            f"<source file={quoteattr(path)}/><target dev='vd{chr(ord('a') + i)}' bus='virtio'/>"
            f"<serial>{serial}</serial>{pci(0x4 if i == 0 else disk_slot(i))}</disk>")
    if spec.switch is None:
        lab_nic = ("<interface type='udp'><source address='127.0.0.1' port='9'>"
                   "<local address='127.0.0.1' port='0'/></source>")
    else:
        group, port = spec.switch
        lab_nic = (f"<interface type='mcast'><source address={quoteattr(group)} "
                   f"port='{port}'><local address='127.0.0.1'/></source>")
    lab_nic += (f"<mac address={quoteattr(spec.lab_mac)}/><model type='virtio'/>{pci(0x3)}"
                "</interface>")
    mgmt = ("user,id=mgmt,restrict=on,"
            f"hostfwd=tcp:127.0.0.1:{spec.ssh_port}-:22")
    mgmt_dev = f"virtio-net-pci,netdev=mgmt,mac={MGMT_MAC},bus=pcie.0,addr=0x2"
    meta = (f"<labkit:vm xmlns:labkit='{METADATA_NS}'>"
            f"<labkit:lab>{escape(spec.lab)}</labkit:lab>"
            f"<labkit:host>{escape(spec.host)}</labkit:host>"
            f"<labkit:role>{escape(spec.role)}</labkit:role>"
            f"<labkit:ssh-port>{spec.ssh_port}</labkit:ssh-port>"
            f"<labkit:switch>{spec.switch_index}</labkit:switch>"
            "</labkit:vm>")
    return (
        f"<domain type='{'kvm' if spec.accel == 'kvm' else 'qemu'}' xmlns:qemu='{QEMU_NS}'>"
        f"<name>{escape(spec.name)}</name>"
        + (f"<uuid>{spec.uuid}</uuid>" if spec.uuid else "")
        + f"<metadata>{meta}</metadata>"
        f"<memory unit='MiB'>{spec.memory_mb}</memory><vcpu>1</vcpu>"
        "<os><type arch='x86_64' machine='q35'>hvm</type>"
        f"<kernel>{escape(spec.kernel)}</kernel><initrd>{escape(spec.initrd)}</initrd>"
        f"<cmdline>{escape(KERNEL_CMDLINE)}</cmdline></os>"
        "<features><acpi/></features>"
        f"<cpu mode='custom' match='exact' check='none'><model fallback='forbid'>{CPU_MODEL}"
        "</model></cpu>"
        "<clock offset='utc'/>"
        "<on_poweroff>destroy</on_poweroff><on_reboot>restart</on_reboot>"
        "<on_crash>destroy</on_crash>"
        "<devices>"
        + "".join(disks) + lab_nic
        + "<controller type='usb' model='none'/>"
        f"<controller type='virtio-serial' index='0'>{pci(SERIAL_SLOT)}</controller>"
        "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"
        "<serial type='pty'><target port='0'/></serial>"
        f"<rng model='virtio'><backend model='random'>/dev/urandom</backend>{pci(RNG_SLOT)}</rng>"
        "<memballoon model='none'/>"
        "</devices>"
        "<qemu:commandline>"
        f"<qemu:arg value='-netdev'/><qemu:arg value={quoteattr(mgmt)}/>"
        f"<qemu:arg value='-device'/><qemu:arg value={quoteattr(mgmt_dev)}/>"
        "</qemu:commandline>"
        "</domain>"
    )


def read_metadata(xml: str) -> dict[str, str] | None:
    """labkit's metadata of a domain (lab, host, role, ssh-port, switch), or None."""
    try:
        root = ET.fromstring(xml)  # noqa: S314 - our own or our hypervisor's XML
    except ET.ParseError:
        return None
    node = root.find(f"metadata/{{{METADATA_NS}}}vm")
    if node is None:
        return None
    return {child.tag.split("}", 1)[1]: (child.text or "") for child in node}


def pool_xml(name: str, path: str) -> str:
    return (f"<pool type='dir'><name>{escape(name)}</name>"
            f"<target><path>{escape(path)}</path>"
            "<permissions><mode>0700</mode></permissions></target></pool>")


def volume_xml(name: str, capacity: int, fmt: str = "raw",
               backing: tuple[str, str] | None = None) -> str:
    """A volume; ``backing`` = (path, format) makes it a thin overlay."""
    back = ""
    if backing is not None:
        back = (f"<backingStore><path>{escape(backing[0])}</path>"
                f"<format type='{backing[1]}'/></backingStore>")
    return (f"<volume><name>{escape(name)}</name><capacity unit='bytes'>{capacity}</capacity>"
            f"<allocation unit='bytes'>0</allocation>"
            f"<target><format type='{fmt}'/></target>{back}</volume>")


def place(labs: Mapping[str, int], free_mb: Mapping[str, int],
          reserve_mb: int = 512) -> dict[str, str]:
    """Put each lab (name -> MiB it needs) whole on one hypervisor (uri -> free MiB).

    Biggest lab first, each to the hypervisor with the most memory left (ties: the order
    given), keeping ``reserve_mb`` free on each. Raises SandboxError naming what is missing.
    """
    left = {uri: mb - reserve_mb for uri, mb in free_mb.items()}
    if not left:
        raise SandboxError("no hypervisor given")
    order = list(free_mb)
    placed: dict[str, str] = {}
    for lab, need in sorted(labs.items(), key=lambda kv: (-kv[1], kv[0])):
        uri = max(order, key=lambda u: (left[u], -order.index(u)))
        if left[uri] < need:
            total_need = sum(labs.values())
            total_free = sum(max(0, mb - reserve_mb) for mb in free_mb.values())
            raise SandboxError(
                f"not enough memory on the hypervisors for lab {lab} ({need} MiB; the "
                f"class needs {total_need} MiB, the hypervisors have {total_free} MiB free "
                f"after keeping {reserve_mb} MiB each): add a hypervisor")
        left[uri] -= need
        placed[lab] = uri
    return {lab: placed[lab] for lab in labs}




def warm_key(image_id: str, accel: str) -> str:
    blob = json.dumps({"image": image_id, "accel": accel, "cpu": CPU_MODEL,
                       "hw": HARDWARE_VERSION, "memory": MEMORY_MB, "disk": DISK_SIZE,
                       "disks": DISK_COUNT,
                       "cmdline": KERNEL_CMDLINE, "backend": "libvirt-1"}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]

