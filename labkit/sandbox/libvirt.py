"""The libvirt backend: a class's lab VMs on hypervisors that run libvirt.

One :class:`LibvirtBackend` is one hypervisor (``qemu:///system``, ``qemu:///session``,
``qemu+ssh://labkit@hv3/system``…; ``test:///default`` for tests). On it, labkit keeps
everything in one storage pool called ``labkit`` (a folder):

==================================  =========================================================
volume                              what
==================================  =========================================================
``img-ID-disk.qcow2``               the lab image (uploaded once, read-only)
``img-ID-vmlinuz`` / ``-initrd``    its kernel and initrd
``warm-KEY-root.qcow2``,            the warm state: overlays of a VM booted once on this
``warm-KEY-diskN.qcow2``,           hypervisor, and its memory saved by ``virDomainSave``
``warm-KEY.save``
``LAB-HOST-root.qcow2``, ``-diskN`` one VM's disks: thin qcow2 overlays over the warm ones
==================================  =========================================================

A VM is *defined* with :func:`domain_xml` and *reverted* to the warm state with
``virDomainRestoreFlags(warm.save, dxml=its own XML)``: the saved memory plus fresh overlays
over the saved disks. That is the warm snapshot, shared by every VM of the hypervisor (an
internal qcow2 snapshot could not be: it lives inside one disk). ``reset`` is the same revert
of one VM. Every VM has the same virtual hardware and one pinned CPU model (:data:`CPU_MODEL`),
so the saved state restores on every hypervisor, under TCG or KVM.

Networks, and what never happens on the hypervisor:

- management NIC (``eth0``): QEMU user networking with ``restrict=on`` and one forward,
  ``127.0.0.1:PORT -> guest:22``, on the hypervisor's loopback only;
- lab NIC (``eth1``): a UDP multicast socket bound to the hypervisor's loopback, one group
  per student (:func:`lab_group`): the student's lab switch. Ethernet frames (802.1Q tags
  included) travel inside UDP on ``lo``; no bridge, tap or route on the hypervisor carries a
  guest address.

Every domain carries labkit's metadata (class lab, host, role, SSH port), so ``labs()`` finds
what labkit made and ``destroy_lab`` removes exactly that.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import re
import struct
import threading
import time
import uuid
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

from labkit.errors import SandboxError
from labkit.sandbox.backend import Backend, LabInfo, LabPlan, Progress, VMInfo
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
POOL = "labkit"
METADATA_NS = "urn:labkit:vm:1"
QEMU_NS = "http://libvirt.org/schemas/domain/qemu/1.0"
#: SSH forwards on the hypervisor's loopback are picked from here.
PORT_RANGE = (42000, 43999)
#: UDP ports of the per-student lab switches (multicast groups on the loopback).
SWITCH_PORT_BASE = 45000
AGENT_TIMEOUT = 60.0
#: Ports tried per VM when QEMU cannot bind the one picked.
PORT_TRIES = 5
BOOT_TIMEOUT = 600.0
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")


def _libvirt() -> Any:
    try:
        import libvirt  # type: ignore[import-untyped]
    except ImportError:
        raise SandboxError("libvirt for Python is not installed: pip install 'labkit[class]' "
                           "(or apt-get install python3-libvirt)") from None
    # libvirt prints every error on stderr by default; labkit turns them into its messages.
    libvirt.registerErrorHandler(lambda _ctx, _err: None, None)
    return libvirt


def check_lab_name(name: str) -> str:
    if not _NAME.match(name):
        raise SandboxError(f"bad lab name {name!r}: letters, digits, '.', '_' and '-' only, "
                           "at most 63")
    return name


# -- pure parts: names, XML, placement ---------------------------------------------------------
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


# -- the saved state's header ------------------------------------------------------------------
#: libvirt's save image starts with this header (``virQEMUSaveHeader``: magic, version,
#: data length, was-running, compressed, cookie offset, 14 unused words), then the domain XML
#: and a cookie, NUL-terminated and padded to the data length, then QEMU's migration stream.
SAVE_MAGIC = b"LibvirtQemudSave"
_SAVE_HEADER = struct.Struct("<16s5I56x")


@dataclass(frozen=True)
class SaveHeader:
    version: int
    data_len: int
    was_running: int
    compressed: int
    xml: str
    cookie: bytes

    @property
    def size(self) -> int:
        return _SAVE_HEADER.size + self.data_len


def parse_save_header(data: bytes) -> SaveHeader:
    """The header of a libvirt QEMU save image (``data``: at least its first bytes)."""
    if len(data) < _SAVE_HEADER.size:
        raise SandboxError("the warm state file is too short to be a libvirt save image")
    magic, version, data_len, running, compressed, cookie_at = _SAVE_HEADER.unpack_from(data)
    if magic != SAVE_MAGIC or version != 2:
        raise SandboxError(f"the warm state file is not a libvirt save image this labkit "
                           f"knows (magic {magic!r}, version {version})")
    body = data[_SAVE_HEADER.size:_SAVE_HEADER.size + data_len]
    if len(body) < data_len:
        return SaveHeader(version, data_len, running, compressed, "", b"")
    xml = body[:cookie_at or body.index(b"\0")].split(b"\0", 1)[0].decode()
    cookie = body[cookie_at:].split(b"\0", 1)[0] if cookie_at else b""
    return SaveHeader(version, data_len, running, compressed, xml, cookie)


def save_header_bytes(header: SaveHeader, xml: str) -> bytes:
    """``header`` with its domain XML replaced by ``xml``, the same length as before (the
    migration stream after it does not move)."""
    encoded = xml.encode() + b"\0"
    body = encoded + (header.cookie + b"\0" if header.cookie else b"")
    if len(body) > header.data_len:
        raise SandboxError("the domain XML does not fit in the warm state's header")
    cookie_at = len(encoded) if header.cookie else 0
    return (_SAVE_HEADER.pack(SAVE_MAGIC, header.version, header.data_len, header.was_running,
                              header.compressed, cookie_at)
            + body.ljust(header.data_len, b"\0"))


def saved_domain_xml(saved: str, spec: DomainSpec) -> str:
    """The warm VM's saved XML made into VM ``spec``'s: name, UUID, disks, lab NIC, SSH
    forward and labkit's metadata change; the virtual hardware stays exactly as saved."""
    ET.register_namespace("qemu", QEMU_NS)
    ET.register_namespace("labkit", METADATA_NS)
    root = ET.fromstring(saved)  # noqa: S314 - our own or our hypervisor's XML
    mine = ET.fromstring(domain_xml(spec))  # noqa: S314 - our own or our hypervisor's XML
    for tag in ("name", "uuid"):
        node = root.find(tag)
        if node is None:
            raise SandboxError(f"the warm state's XML has no <{tag}>")
        node.text = mine.findtext(tag)
    old_meta, new_meta = root.find("metadata"), mine.find("metadata")
    if old_meta is None or new_meta is None:
        raise SandboxError("the warm state's XML has no labkit metadata")
    root.remove(old_meta)
    root.insert(2, new_meta)
    devices = root.find("devices")
    if devices is None:
        raise SandboxError("the warm state's XML has no <devices>")
    disks = devices.findall("disk")
    if len(disks) != len(spec.disks):
        raise SandboxError("the warm state's XML has another number of disks")
    for disk, path in zip(disks, spec.disks, strict=True):
        source = disk.find("source")
        if source is None:
            raise SandboxError("a disk of the warm state's XML has no source")
        source.set("file", path)
        for back in disk.findall("backingStore"):
            disk.remove(back)
    nics = [n for n in devices.findall("interface") if n.get("type") in ("udp", "mcast")]
    new_nic = next(n for n in mine.iter("interface"))
    if len(nics) != 1:
        raise SandboxError("the warm state's XML has no lab NIC")
    old_nic = nics[0]
    for child in list(old_nic):
        if child.tag in ("source", "mac"):
            old_nic.remove(child)
    old_nic.set("type", str(new_nic.get("type")))
    for child in new_nic:
        if child.tag in ("source", "mac"):
            old_nic.insert(0, child)
    args_old = root.findall(f"{{{QEMU_NS}}}commandline/{{{QEMU_NS}}}arg")
    args_new = mine.findall(f"{{{QEMU_NS}}}commandline/{{{QEMU_NS}}}arg")
    if len(args_old) != len(args_new):
        raise SandboxError("the warm state's XML has other QEMU arguments")
    for old, new in zip(args_old, args_new, strict=True):
        old.set("value", str(new.get("value")))
    return ET.tostring(root, encoding="unicode")


def _size_bytes(size: str) -> int:
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(size[:-1]) * units[size[-1]] if size[-1] in units else int(size)


# -- the backend ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ImageFiles:
    """The local files of the lab image that ``prepare`` uploads."""

    id: str
    disk: Path
    kernel: Path
    initrd: Path


class LibvirtBackend(Backend):
    """One hypervisor through libvirt. ``pool_dir``: where the ``labkit`` pool lives if it
    must be created (default: ``~/.local/share/labkit/pool`` of this machine's user, right
    for local URIs; give the hypervisor's own path for remote ones)."""

    def __init__(self, uri: str, *, image: ImageFiles | None = None, accel: str = "tcg",
                 pool_dir: str | None = None) -> None:
        self.uri = uri
        self.where = uri.split("?", 1)[0]  # for messages: without key paths
        self.image = image
        self.accel = accel
        self.pool_dir = pool_dir
        self._conn: Any = None
        self._header: SaveHeader | None = None
        self._lock = threading.RLock()

    # -- connection and errors ----------------------------------------------------------------
    def _libvirt_error(self, what: str, exc: Exception) -> SandboxError:
        message = exc.get_error_message() if hasattr(exc, "get_error_message") else str(exc)
        return SandboxError(f"{self.where}: {what}: {message}")

    @contextlib.contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        libvirt = _libvirt()
        try:
            yield
        except libvirt.libvirtError as exc:
            raise self._libvirt_error(what, exc) from None

    def connection(self) -> Any:
        libvirt = _libvirt()
        with self._lock:
            if self._conn is not None:
                with contextlib.suppress(libvirt.libvirtError):
                    if self._conn.isAlive():
                        return self._conn
            try:
                self._conn = libvirt.open(self.uri)
            except libvirt.libvirtError as exc:
                raise self._libvirt_error("cannot connect to the hypervisor", exc) from None
            return self._conn

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                with contextlib.suppress(Exception):
                    self._conn.close()
                self._conn = None

    def free_memory_mb(self) -> int:
        with self._errors("cannot read the free memory"):
            return int(self.connection().getFreeMemory()) // (1 << 20)

    # -- storage ----------------------------------------------------------------------------
    def pool(self) -> Any:
        libvirt = _libvirt()
        conn = self.connection()
        try:
            pool = conn.storagePoolLookupByName(POOL)
        except libvirt.libvirtError:
            path = self.pool_dir or os.path.expanduser("~/.local/share/labkit/pool")
            with self._errors(f"cannot create the storage pool {POOL} at {path}"):
                pool = conn.storagePoolDefineXML(pool_xml(POOL, path), 0)
                pool.build(0)
        with self._errors(f"cannot start the storage pool {POOL}"):
            if not pool.isActive():
                pool.create(0)
            pool.setAutostart(1)
        return pool

    def pool_path(self) -> str:
        root = ET.fromstring(self.pool().XMLDesc(0))  # noqa: S314 - our own or our hypervisor's XML
        return str(root.findtext("target/path"))

    def volume(self, name: str) -> Any | None:
        libvirt = _libvirt()
        try:
            return self.pool().storageVolLookupByName(name)
        except libvirt.libvirtError:
            return None

    def volume_path(self, name: str) -> str:
        vol = self.volume(name)
        if vol is None:
            raise SandboxError(f"{self.where}: volume {name} is missing from pool {POOL}")
        return str(vol.path())

    def upload(self, name: str, source: Path, fmt: str = "raw") -> None:
        """Copy a local file into the pool as volume ``name`` (through libvirt's stream, so a
        remote hypervisor works the same); a half-uploaded volume is removed."""
        libvirt = _libvirt()
        size = source.stat().st_size
        pool = self.pool()
        with self._errors(f"cannot upload {source.name}"):
            vol = pool.createXML(volume_xml(name + ".part", size, fmt), 0)
            try:
                stream = self.connection().newStream(0)
                vol.upload(stream, 0, size, 0)
                with source.open("rb") as handle:
                    while chunk := handle.read(1 << 20):
                        sent = 0
                        while sent < len(chunk):
                            sent += stream.send(chunk[sent:])
                stream.finish()
                # A volume cannot be renamed: clone by name is a copy, so upload under the
                # final name only now that the bytes are known to arrive complete.
            except BaseException:
                with contextlib.suppress(libvirt.libvirtError):
                    vol.delete(0)
                raise
        with self._errors(f"cannot store {name}"):
            final = pool.createXMLFrom(volume_xml(name, size, fmt), vol, 0)
            vol.delete(0)
            del final

    def _overlay(self, name: str, backing: str, capacity: int) -> None:
        old = self.volume(name)
        if old is not None:
            with self._errors(f"cannot remove the old volume {name}"):
                old.delete(0)
        with self._errors(f"cannot create volume {name}"):
            self.pool().createXML(volume_xml(name, capacity, "qcow2", (backing, "qcow2")), 0)

    def _blank(self, name: str) -> None:
        with self._errors(f"cannot create volume {name}"):
            self.pool().createXML(volume_xml(name, _size_bytes(DISK_SIZE), "qcow2"), 0)

    # -- image and warm state ---------------------------------------------------------------
    def _image(self) -> ImageFiles:
        if self.image is None:
            raise SandboxError("no lab image given to the libvirt backend")
        return self.image

    def image_volumes(self) -> tuple[str, str, str]:
        ident = self._image().id
        return (f"img-{ident}-disk.qcow2", f"img-{ident}-vmlinuz", f"img-{ident}-initrd.img")

    def warm_prefix(self) -> str:
        return f"warm-{warm_key(self._image().id, self.accel)}"

    def warm_ready(self) -> bool:
        return self.volume(self.warm_prefix() + ".save") is not None

    def prepare(self, progress: Progress) -> None:
        image = self._image()
        disk, kernel, initrd = self.image_volumes()
        for name, source, fmt in ((kernel, image.kernel, "raw"), (initrd, image.initrd, "raw"),
                                  (disk, image.disk, "qcow2")):
            if self.volume(name) is None:
                progress(f"{self.where}: uploading {source.name} ({source.stat().st_size >> 20} "
                         "MiB)")
                self.upload(name, source, fmt)
        if not self.warm_ready():
            self._make_warm(progress)

    def _make_warm(self, progress: Progress) -> None:
        """Boot the image once on this hypervisor and save its memory: the warm state."""
        prefix = self.warm_prefix()
        disk, kernel, initrd = self.image_volumes()
        names = volume_names(prefix)
        base = self.volume(disk)
        if base is None:
            raise SandboxError(f"{self.where}: the image volume {disk} is missing")
        capacity = int(base.info()[1])
        self._overlay(names[0], self.volume_path(disk), capacity)
        for name in names[1:]:
            if self.volume(name) is not None:
                self.volume(name).delete(0)  # type: ignore[union-attr]
            self._blank(name)
        spec = DomainSpec(
            name=f"labkit-{prefix}", lab="warm", host="warm", role="warm",
            kernel=self.volume_path(kernel), initrd=self.volume_path(initrd),
            disks=tuple(self.volume_path(n) for n in names), ssh_port=self._free_port(set()),
            lab_mac="52:54:00:4c:42:ff", switch=None, accel=self.accel)
        started = time.monotonic()
        progress(f"{self.where}: booting the image once for the warm state (about a minute, "
                 "once per image)")
        conn = self.connection()
        save = f"{self.pool_path()}/{prefix}.save"
        with self._errors("cannot boot the warm VM"):
            dom = conn.createXML(domain_xml(spec), 0)
        try:
            state = self.agent_exec(dom, ["systemctl", "is-system-running", "--wait"],
                                    timeout=BOOT_TIMEOUT, wait_agent=BOOT_TIMEOUT)[1].strip()
            if state not in ("running", "degraded"):
                raise SandboxError(f"the image did not boot cleanly (systemd: {state or '?'})")
            self.agent_exec(dom, ["sh", "-c", "sync; echo 3 > /proc/sys/vm/drop_caches"],
                            timeout=120)
            progress(f"{self.where}: booted in {time.monotonic() - started:.0f} s; saving")
            with self._errors("cannot save the warm VM"):
                dom.save(save)
        except BaseException:
            with contextlib.suppress(Exception):
                dom.destroy()
            with contextlib.suppress(Exception):
                os.unlink(save) if os.path.exists(save) else None
            raise
        with self._errors("cannot refresh the storage pool"):
            self.pool().refresh(0)
        progress(f"{self.where}: warm state ready in {time.monotonic() - started:.0f} s")

    # -- guest agent ------------------------------------------------------------------------
    def agent_exec(self, dom: Any, argv: list[str], *, timeout: float = AGENT_TIMEOUT,
                   wait_agent: float = AGENT_TIMEOUT) -> tuple[int, str, str]:
        """Run ``argv`` in the guest through the QEMU guest agent (libvirt passes it on)."""
        import libvirt_qemu  # type: ignore[import-untyped]

        libvirt = _libvirt()

        def call(command: dict[str, Any]) -> Any:
            reply = libvirt_qemu.qemuAgentCommand(dom, json.dumps(command), 10, 0)
            return json.loads(reply)["return"]

        deadline = time.monotonic() + wait_agent
        while True:
            try:
                call({"execute": "guest-ping"})
                break
            except libvirt.libvirtError as exc:
                if time.monotonic() > deadline:
                    raise self._libvirt_error(
                        f"the guest agent of {dom.name()} did not answer", exc) from None
                time.sleep(0.5)
        try:
            pid = call({"execute": "guest-exec", "arguments": {
                "path": argv[0], "arg": argv[1:], "capture-output": True}})["pid"]
            deadline = time.monotonic() + timeout
            while True:
                status = call({"execute": "guest-exec-status", "arguments": {"pid": pid}})
                if status.get("exited"):
                    out = base64.b64decode(status.get("out-data", "")).decode(errors="replace")
                    err = base64.b64decode(status.get("err-data", "")).decode(errors="replace")
                    return int(status.get("exitcode", -1)), out, err
                if time.monotonic() > deadline:
                    raise SandboxError(f"{dom.name()}: {argv[0]} did not finish within "
                                       f"{timeout:g} s")
                time.sleep(0.1)
        except libvirt.libvirtError as exc:
            raise self._libvirt_error(f"the guest agent of {dom.name()} failed", exc) from None

    # -- domains ----------------------------------------------------------------------------
    def _domains(self) -> list[tuple[Any, dict[str, str]]]:
        with self._errors("cannot list the domains"):
            found = []
            for dom in self.connection().listAllDomains(0):
                meta = read_metadata(dom.XMLDesc(0))
                if meta is not None and meta.get("lab") != "warm":
                    found.append((dom, meta))
            return found

    def _free_port(self, used: set[int]) -> int:
        """An SSH port no labkit domain of this hypervisor uses. Scanning starts at a place
        that depends on the hypervisor, so hypervisors that share one loopback (tests) rarely
        pick the same; a port some other program holds is skipped when QEMU fails to bind it
        (see ``create_lab``)."""
        taken = set(used)
        for _dom, meta in self._domains():
            with contextlib.suppress(ValueError):
                taken.add(int(meta.get("ssh-port", "0")))
        low, high = PORT_RANGE
        start = zlib.crc32(self.where.encode()) % (high - low)
        for offset in range(high - low):
            port = low + (start + offset) % (high - low)
            if port not in taken:
                return port
        raise SandboxError(f"{self.where}: no free SSH port left in {PORT_RANGE}")

    def _free_switch(self, lab: str = "") -> int:
        """A lab switch number no other lab of this hypervisor uses; it starts from a hash
        of the lab's name, so two hypervisors on one machine (tests) do not share a group."""
        used = set()
        for _dom, meta in self._domains():
            with contextlib.suppress(ValueError):
                used.add(int(meta.get("switch", "-1")))
        index = zlib.crc32(lab.encode()) % SWITCHES if lab else 0
        while index in used:
            index = (index + 1) % SWITCHES
        return index

    def _spec(self, plan: LabPlan, host: HostSpec, port: int, switch: int) -> DomainSpec:
        disk, kernel, initrd = self.image_volumes()
        del disk
        return DomainSpec(
            name=domain_name(plan.lab, host.name), lab=plan.lab, host=host.name,
            role=host.role, kernel=self.volume_path(kernel), initrd=self.volume_path(initrd),
            disks=tuple(self.volume_path(n) for n in volume_names(f"{plan.lab}-{host.name}")),
            ssh_port=port, lab_mac=lab_mac(switch, host),
            switch=lab_group(switch) if plan.topology.switched else None,
            memory_mb=plan.memory_mb, accel=self.accel, switch_index=switch,
            uuid=str(uuid.uuid5(uuid.NAMESPACE_URL, f"labkit:{plan.lab}:{host.name}")))

    def _fresh_disks(self, plan: LabPlan, host: HostSpec) -> None:
        warm = volume_names(self.warm_prefix())
        mine = volume_names(f"{plan.lab}-{host.name}")
        for own, back in zip(mine, warm, strict=True):
            vol = self.volume(back)
            if vol is None:
                raise SandboxError(f"{self.where}: the warm state is incomplete ({back} missing); "
                                   "run `labkit class up` again")
            self._overlay(own, str(vol.path()), int(vol.info()[1]))

    def _download(self, vol: Any, offset: int, length: int) -> bytes:
        stream = self.connection().newStream(0)
        vol.download(stream, offset, length, 0)
        data = bytearray()
        while len(data) < length:
            chunk = stream.recv(min(1 << 20, length - len(data)))
            if not isinstance(chunk, bytes) or not chunk:
                break
            data += chunk
        stream.finish()
        return bytes(data)

    def warm_header(self) -> SaveHeader:
        """The header of this hypervisor's warm save image (read once, through libvirt)."""
        if self._header is None:
            name = self.warm_prefix() + ".save"
            vol = self.volume(name)
            if vol is None:
                raise SandboxError(f"{self.where}: the warm state {name} is missing")
            with self._errors("cannot read the warm state"):
                first = parse_save_header(self._download(vol, 0, _SAVE_HEADER.size))
                self._header = parse_save_header(self._download(vol, 0, first.size))
        return self._header

    def _vm_save(self, spec: DomainSpec) -> str:
        """The VM's own copy of the warm save image, its header naming this VM."""
        name = f"{spec.lab}-{spec.host}.save"
        header = self.warm_header()
        blob = save_header_bytes(header, saved_domain_xml(header.xml, spec))
        vol = self.volume(name)
        if vol is None:
            warm = self.volume(self.warm_prefix() + ".save")
            if warm is None:
                raise SandboxError(f"{self.where}: the warm state is missing")
            with self._errors(f"cannot copy the warm state for {spec.name}"):
                vol = self.pool().createXMLFrom(
                    volume_xml(name, int(warm.info()[1]), "raw"), warm, 0)
        with self._errors(f"cannot write the warm state header of {spec.name}"):
            stream = self.connection().newStream(0)
            vol.upload(stream, 0, len(blob), 0)
            sent = 0
            while sent < len(blob):
                sent += stream.send(blob[sent:])
            stream.finish()
        return str(vol.path())

    def _revert(self, spec: DomainSpec) -> Any:
        """Restore the VM from its copy of the warm state (memory, and fresh overlays over
        the warm disks), defining it first if needed."""
        libvirt = _libvirt()
        conn = self.connection()
        save = self._vm_save(spec)
        try:
            conn.lookupByName(spec.name)
        except libvirt.libvirtError:
            with self._errors(f"cannot define {spec.name}"):
                conn.defineXML(domain_xml(spec))
        with self._errors(f"cannot restore {spec.name} from the warm state"):
            conn.restoreFlags(save, None, libvirt.VIR_DOMAIN_SAVE_RUNNING)
        with self._errors(f"cannot find {spec.name}"):
            return conn.lookupByName(spec.name)

    def _personalise(self, dom: Any, plan: LabPlan, host: HostSpec) -> None:
        peers = [f"{h.name}={h.lab_ip}" for h in plan.topology.hosts]
        mac = lab_mac(int(read_metadata(dom.XMLDesc(0)).get("switch", "0")  # type: ignore[union-attr]
                          ), host)
        code, out, err = self.agent_exec(dom, [
            "/usr/local/sbin/labkit-setup", host.name, f"{time.time():.3f}", host.lab_cidr,
            mac, plan.pubkey, *peers])
        if code != 0 or "labkit-setup-ok" not in out:
            raise SandboxError(f"setting up {dom.name()} failed (exit {code}): "
                               f"{(err or out).strip()[-300:]}")

    def create_lab(self, plan: LabPlan, progress: Progress) -> LabInfo:
        check_lab_name(plan.lab)
        if not self.warm_ready():
            raise SandboxError(f"{self.where}: no warm state yet; prepare the hypervisor first")
        with self._lock:  # ports and switch numbers are picked from what is defined
            existing = self.labs().get(plan.lab)
            if existing is not None and existing.vms:
                return existing
            switch = self._free_switch(plan.lab)
            used: set[int] = set()
            ports = {}
            for host in plan.topology.hosts:
                ports[host.name] = self._free_port(used)
                used.add(ports[host.name])
            # Define first (under the lock), so concurrent labs see these ports taken.
            for host in plan.topology.hosts:
                self._fresh_disks(plan, host)
                with self._errors(f"cannot define {domain_name(plan.lab, host.name)}"):
                    self.connection().defineXML(domain_xml(
                        self._spec(plan, host, ports[host.name], switch)))
        info = LabInfo(plan.lab)
        try:
            for host in plan.topology.hosts:
                progress(f"{self.where}: {domain_name(plan.lab, host.name)} from the warm state")
                for attempt in range(PORT_TRIES):
                    spec = self._spec(plan, host, ports[host.name], switch)
                    try:
                        dom = self._revert(spec)
                        break
                    except SandboxError as exc:
                        if "forward" not in str(exc) or attempt == PORT_TRIES - 1:
                            raise
                    # Another program holds that port on the hypervisor's loopback.
                    with self._lock:
                        used.add(ports[host.name])
                        ports[host.name] = self._free_port(used)
                        used.add(ports[host.name])
                        with self._errors(f"cannot redefine {spec.name}"):
                            self.connection().defineXML(domain_xml(
                                self._spec(plan, host, ports[host.name], switch)))
                self._personalise(dom, plan, host)
                info.vms[host.name] = VMInfo(plan.lab, host.name, host.role, spec.name,
                                             "running", spec.ssh_port, host.lab_ip)
        except BaseException:
            self.destroy_lab(plan.lab)
            raise
        return info

    def reset_vm(self, plan: LabPlan, host: str, progress: Progress) -> VMInfo:
        spec_host = plan.topology.host(host)
        name = domain_name(plan.lab, spec_host.name)
        libvirt = _libvirt()
        with self._errors(f"no VM {name}"):
            dom = self.connection().lookupByName(name)
        meta = read_metadata(dom.XMLDesc(0)) or {}
        port, switch = int(meta.get("ssh-port", "0")), int(meta.get("switch", "0"))
        progress(f"{self.where}: {name} back to the warm state")
        with contextlib.suppress(libvirt.libvirtError):
            if dom.isActive():
                dom.destroy()
        self._fresh_disks(plan, spec_host)
        spec = self._spec(plan, spec_host, port, switch)
        dom = self._revert(spec)
        self._personalise(dom, plan, spec_host)
        return VMInfo(plan.lab, spec_host.name, spec_host.role, name, "running", port,
                      spec_host.lab_ip)

    def destroy_lab(self, lab: str) -> None:
        libvirt = _libvirt()
        for dom, meta in self._domains():
            if meta.get("lab") != lab:
                continue
            with contextlib.suppress(libvirt.libvirtError):
                if dom.isActive():
                    dom.destroy()
            with self._errors(f"cannot remove {dom.name()}"):
                if dom.isPersistent():
                    dom.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE
                                      | libvirt.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA)
        pool = self.pool()
        with self._errors("cannot list the volumes"):
            pool.refresh(0)
            names = pool.listVolumes()
        for name in names:
            if re.fullmatch(rf"{re.escape(lab)}-[^-]+(-root\.qcow2|-disk\d+\.qcow2|\.save)", name):
                with self._errors(f"cannot delete volume {name}"):
                    pool.storageVolLookupByName(name).delete(0)

    def labs(self) -> dict[str, LabInfo]:
        libvirt = _libvirt()
        states = {libvirt.VIR_DOMAIN_RUNNING: "running", libvirt.VIR_DOMAIN_PAUSED: "paused",
                  libvirt.VIR_DOMAIN_SHUTOFF: "shut off", libvirt.VIR_DOMAIN_CRASHED: "crashed"}
        found: dict[str, LabInfo] = {}
        for dom, meta in self._domains():
            lab = meta.get("lab", "")
            with self._errors(f"cannot read the state of {dom.name()}"):
                state = states.get(dom.state()[0], "other")
            vm = VMInfo(lab, meta.get("host", ""), meta.get("role", ""), dom.name(), state,
                        int(meta.get("ssh-port", "0") or 0))
            found.setdefault(lab, LabInfo(lab)).vms[vm.host] = vm
        return found

    def remove_everything(self) -> None:
        """Every labkit domain and volume, and the pool itself (``class down --all``)."""
        for lab in list(self.labs()):
            self.destroy_lab(lab)
        libvirt = _libvirt()
        try:
            pool = self.connection().storagePoolLookupByName(POOL)
        except libvirt.libvirtError:
            return
        with self._errors(f"cannot remove the storage pool {POOL}"):
            if pool.isActive():
                pool.refresh(0)
                for name in pool.listVolumes():
                    pool.storageVolLookupByName(name).delete(0)
                pool.destroy()
            with contextlib.suppress(libvirt.libvirtError):
                pool.delete(0)
            pool.undefine()

