"""One libvirt hypervisor as labkit uses it: the connection and its errors, the ``labkit``
storage pool and its volumes, the guest agent, and the labkit domains found there (with the
SSH ports and lab switches they hold). :class:`labkit.sandbox.libvirt.LibvirtBackend` builds
the class's labs on top."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from labkit.errors import SandboxError
from labkit.sandbox.libvirt_xml import SWITCHES, pool_xml, read_metadata, volume_xml
from labkit.sandbox.qemu import DISK_SIZE

POOL = "labkit"
#: SSH forwards on the hypervisor's loopback are picked from here: below Linux's ephemeral
#: range (32768-60999), so no outgoing connection on the hypervisor can be holding a VM's port
#: while a reset brings the VM back on it (the students' URLs name that port).
PORT_RANGE = (23000, 24999)
AGENT_TIMEOUT = 60.0


def _libvirt() -> Any:
    try:
        import libvirt  # type: ignore[import-untyped]
    except ImportError:
        raise SandboxError("libvirt for Python is not installed: pip install 'labkit[class]' "
                           "(or apt-get install python3-libvirt)") from None
    # libvirt prints every error on stderr by default; labkit turns them into its messages.
    libvirt.registerErrorHandler(lambda _ctx, _err: None, None)
    return libvirt



def _size_bytes(size: str) -> int:
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(size[:-1]) * units[size[-1]] if size[-1] in units else int(size)



class Hypervisor:
    """One hypervisor through libvirt (connects on first use). ``pool_dir``: where the
    ``labkit`` pool lives if it must be created (default: ``~/.local/share/labkit/pool`` of
    this machine's user, right for local URIs; give the hypervisor's own path for remote
    ones)."""

    def __init__(self, uri: str, *, pool_dir: str | None = None) -> None:
        self.uri = uri
        self.where = uri.split("?", 1)[0]  # for messages: without key paths
        self.pool_dir = pool_dir
        self._conn: Any = None
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

    # -- guest agent ------------------------------------------------------------------------
    def agent_exec(self, dom: Any, argv: list[str], *, timeout: float = AGENT_TIMEOUT,
                   wait_agent: float = AGENT_TIMEOUT, stdin: bytes | None = None
                   ) -> tuple[int, str, str]:
        """Run ``argv`` in the guest through the QEMU guest agent (libvirt passes it on);
        ``stdin``: what the command reads (else nothing)."""
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
                time.sleep(0.2)
        try:
            arguments: dict[str, Any] = {"path": argv[0], "arg": argv[1:],
                                         "capture-output": True}
            if stdin is not None:
                arguments["input-data"] = base64.b64encode(stdin).decode()
            pid = call({"execute": "guest-exec", "arguments": arguments})["pid"]
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
