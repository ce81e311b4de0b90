"""The warm state's save image: its header (read and rewritten in place, so each VM
restores the saved memory under its own name, disks and NICs) and the saved domain XML made
into one VM's (see :mod:`labkit.sandbox.libvirt`)."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from labkit.errors import SandboxError
from labkit.sandbox.libvirt_xml import METADATA_NS, QEMU_NS, DomainSpec, domain_xml

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
