"""A class on libvirt hypervisors: every student's whole lab on one hypervisor, and the
allocation (student -> hosts by role, URLs) where grading and the hub read it (what reads it,
and the allocation's format, are in :mod:`labkit.sandbox.class_allocation`).

::

    from labkit.sandbox.libvirt_class import Classroom, allocated_hosts
    room = Classroom("class.csv")
    room.up(["qemu+ssh://labkit@hv1/session", "qemu+ssh://labkit@hv2/session"], "storage")
    allocated_hosts("class.csv")   # {"alice": {"server": "ssh://root@127.0.0.1:23000?…&via=…"}}
    room.reset("alice", "client")
    room.down()

Files of a class (``$LABKIT_HOME/classes/ID/``, ID from the roster's name and path; all
removed by ``down``)::

    allocation.json     class, topology, image, and per student: hypervisor, lab, hosts
    roster.csv          the same as a labkit roster (student_id,name,ROLE…): grade with it
    keys/STUDENT        each student's SSH key to their own lab VMs (and .pub)
    hostkeys/STUDENT-HOST   each VM's own SSH host key (its machine id derives from it):
                        installed at every start and reset, so it never changes
    known_hosts         each lab VM's host key on its forwarded port
    hypervisors_known_hosts   the jump hosts' keys (trusted on first contact)

Lab VMs keep SSH on their hypervisor's loopback: a host URL reaches it through the
hypervisor as a jump host (``via=``, see :mod:`labkit.transports.ssh`), derived from the
hypervisor's URI (``qemu+ssh://USER@HOST:PORT/…?keyfile=KEY``). A local URI
(``qemu:///session``) needs no jump.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shlex
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from labkit.errors import LabkitError, SandboxError, UsageError
from labkit.sandbox.backend import LabPlan
from labkit.sandbox.class_allocation import (
    ALLOCATION,
    ID_COLUMNS,
    HypervisorRef,
    allocated_hosts,
    class_dir,
    class_id,
    hypervisor_ref,
    lab_name,
    read_allocation,
    read_hypervisors_file,
    read_students,
    vm_url,
)
from labkit.sandbox.libvirt import ImageFiles, LibvirtBackend, place
from labkit.sandbox.qemu import MEMORY_MB
from labkit.sandbox.sshcmd import known_hosts_lines, make_identity, make_key
from labkit.sandbox.topology import Topology, get_topology

__all__ = [
    "ALLOCATION", "ID_COLUMNS", "Classroom", "HypervisorRef", "allocated_hosts", "class_dir",
    "class_id", "hypervisor_ref", "lab_name", "read_allocation", "read_hypervisors_file",
    "read_students", "vm_url",
]

Progress = Callable[[str], None]
#: How long a class waits for every lab VM to answer SSH through its jump host.
SSH_READY_TIMEOUT = 120.0


def _quiet(_message: str) -> None:
    pass



class Classroom:
    """The class of one roster on libvirt hypervisors."""

    def __init__(self, roster: str | Path) -> None:
        self.roster = Path(roster)
        self.id = class_id(roster)
        self.dir = class_dir(roster)
        self._lock = threading.Lock()

    @property
    def known_hosts(self) -> Path:
        return self.dir / "known_hosts"

    def key(self, student: str) -> Path:
        return self.dir / "keys" / re.sub(r"[^A-Za-z0-9_.@-]", "_", student)

    def host_key(self, student: str, host: str) -> Path:
        """The private SSH host key of one of ``student``'s VMs (made by :meth:`plan`)."""
        return self.dir / "hostkeys" / (self.key(student).name + "-" + host)

    def plan(self, student: str, lab: str, topology: Topology) -> LabPlan:
        """What a backend needs to start or reset ``student``'s lab: their key, and each VM's
        identity (an SSH host key made here once, and a machine id derived from it), the
        same after every reset, so the known_hosts that students were given stays right."""
        identities = {h.name: make_identity(self.host_key(student, h.name),
                                            f"labkit-{self.id}-{student}-{h.name}")
                      for h in topology.hosts}
        pubkey = self.key(student).with_suffix(".pub").read_text().strip()
        return LabPlan(lab, topology, pubkey, identities=identities)

    def allocation(self) -> dict[str, Any] | None:
        return read_allocation(self.roster)

    def _require(self) -> dict[str, Any]:
        data = self.allocation()
        if data is None:
            raise SandboxError(f"the class of {self.roster} is not up: run "
                               f"`labkit class up --roster {self.roster} --hypervisor URI`")
        return data

    def _write(self, data: dict[str, Any]) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        tmp = self.dir / f"{ALLOCATION}.tmp{os.getpid()}"
        tmp.write_text(json.dumps(data, indent=2) + "\n")
        tmp.replace(self.dir / ALLOCATION)
        # each VM's own host key (made when it was started or reset), else the image's
        self.known_hosts.write_text("".join(
            known_hosts_lines([int(port)], s.get("host_keys", {}).get(h) or data["host_key"])
            for s in data["students"].values() for h, port in s["ports"].items()))
        roles = [h.role for h in get_topology(data["topology"]).hosts]
        with (self.dir / "roster.csv").open("w", newline="") as handle:
            out = csv.writer(handle)
            out.writerow(["student_id", "name", *roles])
            for sid, entry in data["students"].items():
                out.writerow([sid, entry.get("name", ""),
                              *(entry["hosts"].get(r, "") for r in roles)])

    def _backend(self, ref: HypervisorRef, image: ImageFiles | None, accel: str) -> LibvirtBackend:
        return LibvirtBackend(ref.uri, image=image, accel=accel,
                              pool_dir=self._pool_dir(ref))

    @staticmethod
    def _pool_dir(ref: HypervisorRef) -> str | None:
        """Where the hypervisor keeps labkit's pool if it has none yet."""
        if "/system" in urlsplit(ref.uri).path:
            return "/var/lib/labkit/pool"
        if ref.jump is None:
            return None  # this machine's user: ~/.local/share/labkit/pool
        from labkit.transports import open_transport

        with open_transport(ref.jump) as hv:
            result = hv.run('printf %s "$HOME"', timeout=30)
        home = result.stdout.strip()
        if not result.ok or not home.startswith("/"):
            raise SandboxError(f"{ref.where}: cannot read the hypervisor user's home folder")
        return f"{home}/.local/share/labkit/pool"

    # -- up ---------------------------------------------------------------------------------
    def up(self, hypervisors: list[str], topology: str = "single",
           progress: Progress = _quiet, accel: str = "tcg") -> dict[str, Any]:
        """Start every student's lab (whole, on one hypervisor chosen by free memory) from
        the warm state, wait until every VM answers SSH through its jump host, and write the
        allocation. Students already up are kept; a failure leaves what was up before."""
        from labkit.sandbox.image import current_image

        if not hypervisors:
            raise UsageError("give at least one --hypervisor (or --hypervisors FILE)")
        topo = get_topology(topology)
        students = read_students(self.roster)
        image = current_image()
        files = ImageFiles(image.id, image.disk, image.kernel, image.initrd)
        old = self.allocation()
        if old is not None and old["topology"] != topo.name:
            raise SandboxError(f"the class is up with topology {old['topology']}; run "
                               "`labkit class down` first")
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "keys").mkdir(mode=0o700, exist_ok=True)
        (self.dir / "hostkeys").mkdir(mode=0o700, exist_ok=True)
        refs = [hypervisor_ref(u, self.dir / "hypervisors_known_hosts") for u in hypervisors]
        backends = {r.uri: self._backend(r, files, accel) for r in refs}
        by_uri = {r.uri: r for r in refs}
        started = time.monotonic()

        def prepare(backend: LibvirtBackend) -> None:
            backend.prepare(progress)

        with ThreadPoolExecutor(max_workers=len(backends)) as pool:
            list(pool.map(prepare, backends.values()))
            # Free memory is read once every hypervisor is ready (a warm boot elsewhere would
            # skew it), all at the same moment.
            free = dict(zip(backends, pool.map(LibvirtBackend.free_memory_mb,
                                               backends.values()), strict=True))
        data: dict[str, Any] = old or {
            "class": self.id, "roster": str(self.roster.resolve()), "topology": topo.name,
            "image": image.id, "accel": accel, "host_key": image.host_key,
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "students": {},
        }
        todo = {lab_name(self.id, sid): (sid, name) for sid, name in students
                if sid not in data["students"]}
        need = MEMORY_MB * len(topo.hosts)
        placed = place({lab: need for lab in todo}, free)
        for sid, _name in students:
            make_key(self.key(sid), f"labkit-{self.id}-{sid}")

        def start(uri: str) -> list[tuple[str, dict[str, Any]]]:
            backend, ref, done = backends[uri], by_uri[uri], []
            for lab, where in placed.items():
                if where != uri:
                    continue
                sid, name = todo[lab]
                key = self.key(sid)
                plan = self.plan(sid, lab, topo)
                info = backend.create_lab(plan, progress)
                entry = {
                    "name": name, "hypervisor": uri, "jump": ref.jump, "lab": lab,
                    "key": str(key),
                    "ports": {h: vm.ssh_port for h, vm in info.vms.items()},
                    "roles": {h: vm.role for h, vm in info.vms.items()},
                    "host_keys": {h: vm.host_key for h, vm in info.vms.items()},
                    "hosts": {vm.role: vm_url(vm.ssh_port, key, self.known_hosts, ref.jump)
                              for vm in info.vms.values()},
                }
                done.append((sid, entry))
                with self._lock:
                    data["students"][sid] = entry
                    self._write(data)
            return done

        with ThreadPoolExecutor(max_workers=len(backends)) as pool:
            futures = [pool.submit(start, uri) for uri in backends]
            errors = [f.exception() for f in futures]
        self._write(data)
        for error in errors:
            if error is not None:
                raise error
        self.authorize_jumps(data)
        self.wait_ssh(data, progress)
        progress(f"class {self.id}: {len(data['students'])} students up in "
                 f"{time.monotonic() - started:.0f} s")
        for backend in backends.values():
            backend.close()
        return data

    def _jump_tag(self) -> str:
        return f"labkit-jump:{self.id}:"

    def authorize_jumps(self, data: dict[str, Any] | None) -> None:
        """On each remote hypervisor, let every student's own key through as a jump to their
        own VMs' SSH ports and nothing else (``restrict,port-forwarding,permitopen=…`` in the
        hypervisor user's ``~/.ssh/authorized_keys``, tagged with the class). ``None``: remove
        the class's lines (``down``)."""
        from labkit.transports import open_transport

        jumps: dict[str, list[str]] = {}
        for sid, entry in (data or {"students": {}})["students"].items():
            if not entry.get("jump"):
                continue
            pub = Path(entry["key"]).with_suffix(".pub").read_text().split()
            opens = ",".join(f'permitopen="127.0.0.1:{p}"' for p in entry["ports"].values())
            line = (f'restrict,port-forwarding,{opens},command="/bin/false" {pub[0]} {pub[1]} '
                    f"{self._jump_tag()}{re.sub(r'[^A-Za-z0-9_.@-]', '_', sid)}")
            jumps.setdefault(entry["jump"], []).append(line)
        if data is None:
            old = self.allocation() or {"students": {}}
            for entry in old["students"].values():
                if entry.get("jump"):
                    jumps.setdefault(entry["jump"], [])
        tag = shlex.quote(" " + self._jump_tag())
        # Classes sharing a hypervisor user rewrite one file: one at a time (a lock file of
        # its own, as the rewrite replaces authorized_keys), each through its own temp file.
        script = ('umask 077; mkdir -p "$HOME/.ssh"; f="$HOME/.ssh/authorized_keys"; '
                  'exec 9>>"$HOME/.ssh/.labkit-jumps.lock"; '
                  '{ command -v flock >/dev/null && flock -w 60 9; } || true; '
                  'touch "$f"; { grep -vF -- ' + tag + ' "$f" || true; cat; } > "$f.labkit.$$"; '
                  'mv "$f.labkit.$$" "$f"')
        for jump, lines in jumps.items():
            with open_transport(jump) as hv:
                result = hv.run(script, timeout=30,
                                stdin="".join(ln + "\n" for ln in lines).encode())
            if not result.ok:
                raise SandboxError(f"{jump.split('?', 1)[0]}: cannot authorize the students' "
                                   f"jumps: {result.tail(3)}")

    def wait_ssh(self, data: dict[str, Any], progress: Progress = _quiet,
                 students: list[str] | None = None) -> None:
        """Log in once to every VM through its jump host (a proof the class is usable: the
        VM shows its own host key, the one in known_hosts, and takes the student's key)."""
        from labkit.transports import open_transport
        from labkit.transports.ssh import SSHTransport

        urls = [url for sid, entry in data["students"].items()
                if students is None or sid in students for url in entry["hosts"].values()]

        def login(url: str) -> None:
            deadline = time.monotonic() + SSH_READY_TIMEOUT
            while True:
                try:
                    with open_transport(url) as host:
                        if isinstance(host, SSHTransport):
                            host.connect()  # key exchange and login: no command needed
                            return
                        if host.run("true", timeout=30).ok:
                            return
                except LabkitError as exc:
                    if time.monotonic() > deadline:
                        raise SandboxError(f"a lab VM did not answer SSH: {exc}") from None
                time.sleep(0.2)

        with ThreadPoolExecutor(max_workers=max(1, min(16, len(urls)))) as pool:
            list(pool.map(login, urls))
        progress(f"SSH answers on {len(urls)} lab VMs")

    # -- status, reset, down ----------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        """The allocation with each VM's live state on its hypervisor."""
        data = self._require()
        states: dict[str, dict[str, dict[str, str]]] = {}
        for uri in sorted({e["hypervisor"] for e in data["students"].values()}):
            backend = LibvirtBackend(uri)
            try:
                labs = backend.labs()
                states[uri] = {lab: {h: vm.state for h, vm in info.vms.items()}
                               for lab, info in labs.items()}
            except SandboxError as exc:
                states[uri] = {"error": {"": str(exc)}}
            finally:
                backend.close()
        students = []
        for sid, entry in data["students"].items():
            live = states.get(entry["hypervisor"], {}).get(entry["lab"], {})
            students.append({
                "student": sid, "name": entry.get("name", ""),
                "hypervisor": entry["hypervisor"].split("?", 1)[0], "lab": entry["lab"],
                "hosts": [{"host": h, "role": entry["roles"][h], "ssh_port": p,
                           "state": live.get(h, "missing"), "url": entry["hosts"][
                               entry["roles"][h]]}
                          for h, p in entry["ports"].items()],
            })
        return {"class": data["class"], "topology": data["topology"], "image": data["image"],
                "roster": str(self.dir / "roster.csv"), "students": students}

    def reset(self, student: str, host: str | None = None, progress: Progress = _quiet
              ) -> float:
        """One student's host (name or role; None: the only one of their lab) back to the
        warm state, the others untouched; returns the seconds it took (until SSH answers
        again through the jump host). ``labkit lab reset --roster`` and ``labkit class
        reset`` both come here."""
        data = self._require()
        entry = data["students"].get(student)
        if entry is None:
            raise SandboxError(f"no student {student!r} in the class of {self.roster}")
        started = time.monotonic()
        topo = get_topology(data["topology"])
        hosts = ", ".join(entry["roles"])
        if host is None:
            if len(entry["roles"]) != 1:
                raise UsageError(f"{student}'s lab has several hosts ({hosts}): name one")
            host = next(iter(entry["roles"]))
        name = next((h for h, role in entry["roles"].items() if host in (h, role)), None)
        if name is None:
            raise SandboxError(f"no host {host!r} in {student}'s lab (hosts: {hosts})")
        from labkit.sandbox.image import Image, images_dir

        image = Image(images_dir() / data["image"])
        backend = LibvirtBackend(entry["hypervisor"], accel=data["accel"], image=ImageFiles(
            image.id, image.disk, image.kernel, image.initrd))
        try:
            plan = self.plan(student, entry["lab"], topo)
            backend.reset_vm(plan, name, progress)
        finally:
            backend.close()
        only = {**data, "students": {student: {**entry, "hosts": {
            entry["roles"][name]: entry["hosts"][entry["roles"][name]]}}}}
        self.wait_ssh(only)
        return time.monotonic() - started

    def down(self, purge: bool = False, hypervisors: list[str] | None = None,
             progress: Progress = _quiet) -> None:
        """Remove every lab of the class (domains, disks, saved states) and its files.
        ``purge``: also the image and warm state on each hypervisor (its whole pool)."""
        data = self.allocation()
        if data is not None:
            self.authorize_jumps(None)
        uris = set(hypervisors or [])
        if data is not None:
            uris |= {e["hypervisor"] for e in data["students"].values()}
        for uri in sorted(uris):
            backend = LibvirtBackend(uri)
            try:
                prefix = f"{self.id}-"
                for lab in backend.labs():
                    if lab.startswith(prefix):
                        progress(f"{uri.split('?', 1)[0]}: removing {lab}")
                        backend.destroy_lab(lab)
                if purge:
                    backend.remove_everything()
            finally:
                backend.close()
        if self.dir.exists():
            shutil.rmtree(self.dir)

