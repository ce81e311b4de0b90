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

The backend is four modules: :mod:`~labkit.sandbox.libvirt_xml` (names and XML, pure),
:mod:`~labkit.sandbox.libvirt_save` (the warm save image's header),
:mod:`~labkit.sandbox.libvirt_hypervisor` (connection, pool, volumes, guest agent) and this
one (the warm state, and labs: create, reset, destroy, list).
"""

from __future__ import annotations

import contextlib
import os
import re
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from labkit.errors import SandboxError
from labkit.sandbox.backend import Backend, LabInfo, LabPlan, Progress, VMInfo
from labkit.sandbox.guest import check_personalised, personalise_argv
from labkit.sandbox.libvirt_hypervisor import POOL, Hypervisor, _libvirt
from labkit.sandbox.libvirt_save import (
    _SAVE_HEADER,
    SaveHeader,
    parse_save_header,
    save_header_bytes,
    saved_domain_xml,
)
from labkit.sandbox.libvirt_xml import (
    CPU_MODEL,
    SWITCHES,
    DomainSpec,
    check_lab_name,
    domain_name,
    domain_xml,
    lab_group,
    lab_mac,
    place,
    read_metadata,
    volume_names,
    volume_xml,
    warm_key,
)
from labkit.sandbox.topology import HostSpec

#: Ports tried per VM when QEMU cannot bind the one picked.
PORT_TRIES = 5
BOOT_TIMEOUT = 600.0

__all__ = [
    "CPU_MODEL", "POOL", "SWITCHES", "DomainSpec", "ImageFiles", "LibvirtBackend", "SaveHeader",
    "check_lab_name", "domain_name", "domain_xml", "lab_group", "lab_mac", "parse_save_header",
    "place", "read_metadata", "save_header_bytes", "saved_domain_xml", "volume_names",
    "volume_xml", "warm_key",
]


@dataclass(frozen=True)
class ImageFiles:
    """The local files of the lab image that ``prepare`` uploads."""

    id: str
    disk: Path
    kernel: Path
    initrd: Path



class LibvirtBackend(Hypervisor, Backend):
    """One hypervisor's labs: the image and warm state on it, and every VM made from them."""

    def __init__(self, uri: str, *, image: ImageFiles | None = None, accel: str = "tcg",
                 pool_dir: str | None = None) -> None:
        super().__init__(uri, pool_dir=pool_dir)
        self.image = image
        self.accel = accel
        self._header: SaveHeader | None = None

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

    def _personalise(self, dom: Any, plan: LabPlan, host: HostSpec) -> str:
        """``labkit-setup`` (clock, hostname, key, lab address), then a machine id and an SSH
        host key of the VM's own (the plan's), in one guest-agent command; returns the
        public host key."""
        peers = [f"{h.name}={h.lab_ip}" for h in plan.topology.hosts]
        meta = read_metadata(dom.XMLDesc(0)) or {}
        mac = lab_mac(int(meta.get("switch", "0")), host)
        setup = [host.name, f"{time.time():.3f}", host.lab_cidr, mac, plan.pubkey, *peers]
        identity = plan.identities.get(host.name)
        if identity is None:
            raise SandboxError(f"no identity (machine id, SSH host key) for {dom.name()}")
        check_personalised(dom.name(), *self.agent_exec(
            dom, personalise_argv(setup, identity), stdin=identity.private_key.encode()))
        return identity.public_key

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
                key = self._personalise(dom, plan, host)
                info.vms[host.name] = VMInfo(plan.lab, host.name, host.role, spec.name,
                                             "running", spec.ssh_port, host.lab_ip, key)
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
        key = self._personalise(dom, plan, spec_host)
        return VMInfo(plan.lab, spec_host.name, spec_host.role, name, "running", port,
                      spec_host.lab_ip, key)

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
