"""A lab: the VMs of one topology, their switch, key and state, under ``labs/<name>/``.

Files of lab ``NAME`` (all removed by :meth:`Lab.down`)::

    $LABKIT_HOME/labs/NAME/
        state.json              topology, image, accelerator, hosts and their SSH ports
        id_ed25519(.pub)        the lab's SSH key (made per lab)
        known_hosts             each guest's host key on its forwarded port
        hostkeys/HOST(.pub)     each guest's own SSH host key (its machine id derives from it)
        switch.sock switch.pid  the lab switch (labs with more than one host)
        HOST/                   one VM (see labkit.sandbox.vm)

Typical use from Python::

    from labkit.sandbox import running_lab
    with running_lab("storage", "mytest") as lab:
        lab.run("server", "lvs")          # -> subprocess.CompletedProcess
        lab.reset("client")

Only ``up``, ``reset`` and ``down`` change a lab; they serialise on a lock (the labs
directory itself), so two commands on one LABKIT_HOME never race.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from labkit.errors import SandboxError
from labkit.sandbox import procs
from labkit.sandbox.accel import detect_accel
from labkit.sandbox.guest import check_personalised, personalise_argv
from labkit.sandbox.image import Image, Progress, current_image, images_dir
from labkit.sandbox.paths import (
    DEFAULT_LAB,
    InFolder,
    check_name,
    check_socket_path,
    lab_dir,
    labs_dir,
)
from labkit.sandbox.qemu import LabLink, VMConfig
from labkit.sandbox.sshcmd import (
    host_url,
    known_hosts_lines,
    make_identity,
    make_key,
    ssh_argv,
    wait_banner,
    wait_ssh,
)
from labkit.sandbox.topology import HostSpec, Topology, get_topology
from labkit.sandbox.vm import VM, VMFiles, stop_vm_files
from labkit.sandbox.warm import WARM_TAG, copy_disks, ensure_warm, start_with_free_port, vm_config
from labkit.settings import current

SSH_TIMEOUT = 120.0
SETUP_TIMEOUT = 60.0
LOCK_TIMEOUT = 900.0


def _quiet(_message: str) -> None:
    pass


@dataclass(frozen=True)
class HostStatus:
    """What ``lab status`` shows for one host."""

    name: str
    role: str
    state: str
    ssh_port: int
    lab_ip: str
    pid: int | None
    url: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "role": self.role, "state": self.state,
            "ssh_port": self.ssh_port, "lab_ip": self.lab_ip, "pid": self.pid,
            "url": self.url,
        }


class Lab:
    """Lab ``name`` (default ``default``); creating the object starts nothing."""

    def __init__(self, name: str | None = None) -> None:
        self.name = check_name(name or current().lab or DEFAULT_LAB)
        self.dir = lab_dir(self.name)
        self._state_lock = threading.Lock()

    # -- files -----------------------------------------------------------------------------
    key = InFolder("id_ed25519")
    known_hosts = InFolder("known_hosts")
    state_file = InFolder("state.json")
    switch_socket = InFolder("switch.sock")
    switch_pidfile = InFolder("switch.pid")

    def host_files(self, host: str) -> VMFiles:
        return VMFiles(self.dir / check_name(host, "host name"))

    def state(self) -> dict[str, Any] | None:
        """The saved state, or None if the lab does not exist."""
        try:
            data: dict[str, Any] = json.loads(self.state_file.read_text())
        except FileNotFoundError:
            return None
        except ValueError as exc:
            raise SandboxError(f"{self.state_file} is damaged ({exc}); "
                               f"run `labkit lab down --name {self.name}`") from exc
        return data

    def _require_state(self) -> dict[str, Any]:
        state = self.state()
        if state is None:
            raise SandboxError(f"lab {self.name!r} is not up: run `labkit lab up`"
                               + ("" if self.name == DEFAULT_LAB else f" --name {self.name}"))
        return state

    def topology(self) -> Topology:
        return get_topology(str(self._require_state()["topology"]))

    def _write_state(self, state: dict[str, Any]) -> None:
        with self._state_lock:
            tmp = self.state_file.with_suffix(f".tmp{os.getpid()}")
            tmp.write_text(json.dumps(state, indent=2) + "\n")
            tmp.replace(self.state_file)
            # each VM's own host key (``_personalise`` makes one), else the image's
            self.known_hosts.write_text("".join(
                known_hosts_lines([int(h["ssh_port"])], str(h.get("host_key") or state["host_key"]))
                for h in state["hosts"].values() if h.get("ssh_port")))

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.dir.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.dir.parent, os.O_RDONLY)
        try:
            deadline = time.monotonic() + LOCK_TIMEOUT
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise SandboxError("another labkit command holds the lab lock") from None
                    time.sleep(0.2)
            yield
        finally:
            os.close(fd)

    # -- VMs --------------------------------------------------------------------------------
    def _image(self, state: dict[str, Any]) -> Image:
        image = Image(images_dir() / str(state["image"]))
        if not image.is_complete():
            raise SandboxError(f"the image {image.id} of lab {self.name} is gone; "
                               "run `labkit lab down` then `labkit lab up`")
        return image

    def _vm(self, state: dict[str, Any], host: HostSpec, port: int) -> VM:
        return VM(self._vm_config(state, host, port))

    def _vm_config(self, state: dict[str, Any], host: HostSpec, port: int) -> VMConfig:
        files = self.host_files(host.name)
        topo = get_topology(str(state["topology"]))
        link = (LabLink(local=files.lab_socket, switch=self.switch_socket)
                if topo.switched else LabLink())
        return vm_config(files, name=f"labkit-{self.name}-{host.name}",
                         image=self._image(state), accel=str(state["accel"]), port=port,
                         lab_mac=host.lab_mac, lab_link=link, loadvm=WARM_TAG)

    def _personalise(self, state: dict[str, Any], host: HostSpec, vm: VM) -> None:
        """``labkit-setup`` (clock, hostname, key, lab address), then the VM's own machine id
        and SSH host key (made once per host of the lab, the same after every reset; every
        VM of one snapshot shares the image's until then, which copy detection would take
        for copied VMs); the lab's known_hosts learns the key."""
        topo = get_topology(str(state["topology"]))
        pubkey = self.key.with_suffix(".pub").read_text().strip()
        peers = [f"{h.name}={h.lab_ip}" for h in topo.hosts]
        identity = make_identity(self.dir / "hostkeys" / host.name,
                                 f"labkit-{self.name}-{host.name}")
        argv = personalise_argv([host.name, f"{time.time():.3f}", host.lab_cidr, host.lab_mac,
                                 pubkey, *peers], identity)
        with vm.agent(timeout=SETUP_TIMEOUT) as agent:
            result = agent.exec(argv, timeout=SETUP_TIMEOUT,
                                stdin=identity.private_key.encode())
        check_personalised(host.name, result.exitcode, result.stdout, result.stderr)
        key = identity.public_key
        with self._state_lock:
            state["hosts"][host.name]["host_key"] = key
        self._write_state(state)

    def _boot_host(self, state: dict[str, Any], host: HostSpec, warm_files: VMFiles) -> None:
        """(Re)create one VM from the warm snapshot and make it reachable by SSH."""
        files = self.host_files(host.name)
        stop_vm_files(files, timeout=5.0)
        copy_disks(warm_files, files)
        vm, port = start_with_free_port(lambda p: self._vm_config(state, host, p))
        try:
            with self._state_lock:
                state["hosts"][host.name]["ssh_port"] = port
            self._write_state(state)
            self._personalise(state, host, vm)
            wait_ssh(port, self.key, self.known_hosts, SSH_TIMEOUT)
        except BaseException:
            vm.kill()
            raise

    def _ensure_switch(self, topo: Topology) -> None:
        if not topo.switched or procs.read_pid(self.switch_pidfile) is not None:
            return
        check_socket_path(self.switch_socket)
        ports = [str(check_socket_path(self.host_files(h.name).lab_socket)) for h in topo.hosts]
        for host in topo.hosts:
            self.host_files(host.name).directory.mkdir(parents=True, exist_ok=True)
        argv = [sys.executable, "-m", "labkit.sandbox.switch", "--socket",
                str(self.switch_socket), "--pidfile", str(self.switch_pidfile), *ports]
        log = self.dir / "switch.log"
        with log.open("a") as err:
            result = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=err, timeout=30, check=False)
        if result.returncode != 0:
            raise SandboxError(f"the lab switch did not start (see {log})")
        deadline = time.monotonic() + 10
        while procs.read_pid(self.switch_pidfile) is None:
            if time.monotonic() > deadline:
                raise SandboxError(f"the lab switch did not start (see {log})")
            time.sleep(0.05)

    # -- public API ---------------------------------------------------------------------------
    def up(self, topology: str | None = None, progress: Progress = _quiet) -> Lab:
        """Start the lab (``topology`` default: the lab's own, else ``single``) and return
        when SSH answers on every host. Hosts already running are left alone; crashed or
        stopped ones are started afresh. A failed first ``up`` leaves nothing behind."""
        with self._locked():
            state = self.state()
            fresh = state is None
            try:
                return self._up(state, topology, progress)
            except BaseException:
                if fresh:
                    self._down()
                raise

    def _up(self, state: dict[str, Any] | None, topology: str | None,
            progress: Progress) -> Lab:
        if state is not None and topology and topology != state["topology"]:
            raise SandboxError(
                f"lab {self.name!r} is up with topology {state['topology']}; "
                f"run `labkit lab down` first (or use another --name)")
        topo = get_topology(topology or (state or {}).get("topology") or "single")
        image = self._image(state) if state else current_image()
        accel, why = detect_accel(image.kernel)
        progress(f"accelerator: {accel.upper()} ({why})")
        warm = ensure_warm(image, accel, progress)
        self.dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        make_key(self.key, f"labkit-{self.name}")
        if state is None or state.get("accel") != accel:
            state = {
                "name": self.name, "topology": topo.name, "image": image.id,
                "accel": accel, "accel_reason": why, "host_key": image.host_key,
                "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "hosts": {h.name: {"role": h.role, "lab_ip": h.lab_ip, "ssh_port": 0}
                          for h in topo.hosts},
            }
        self._write_state(state)
        self._ensure_switch(topo)
        todo = [h for h in topo.hosts
                if self._vm(state, h, 0).state() != "running"]
        if todo:
            progress(f"starting {', '.join(h.name for h in todo)} from the warm snapshot")
        with ThreadPoolExecutor(max_workers=max(1, len(todo))) as pool:
            futures = [pool.submit(self._boot_host, state, h, warm.files) for h in todo]
            errors = [f.exception() for f in futures]
        for error in errors:
            if error is not None:
                raise error
        return self

    def reset(self, host: str, progress: Progress = _quiet) -> None:
        """Bring ``host`` back to the clean state (disks, memory, processes) in seconds:
        ``loadvm`` of the warm snapshot, then the same personalisation as ``up``."""
        with self._locked():
            state = self._require_state()
            spec = get_topology(str(state["topology"])).host(host)
            port = int(state["hosts"][spec.name]["ssh_port"])
            vm = self._vm(state, spec, port)
            if vm.state() in ("running", "paused"):
                progress(f"{spec.name}: loadvm {WARM_TAG}")
                vm.loadvm(WARM_TAG)
                self._personalise(state, spec, vm)
                # sshd was running when the snapshot was taken, and labkit-setup has just
                # written the key (and said so): the banner is proof enough, and saves the
                # seconds a full login costs under TCG.
                wait_banner(port, SSH_TIMEOUT)
            else:
                progress(f"{spec.name}: not running; starting it afresh")
                image = self._image(state)
                warm = ensure_warm(image, str(state["accel"]), progress)
                self._ensure_switch(get_topology(str(state["topology"])))
                self._boot_host(state, spec, warm.files)

    def down(self) -> None:
        """Stop every process of the lab and remove all its files. Safe to repeat."""
        with self._locked():
            self._down()

    def _down(self) -> None:
        if not self.dir.exists():
            return
        for pidfile in sorted(self.dir.glob("*/qemu.pid")):
            stop_vm_files(VMFiles(pidfile.parent), timeout=10.0)
        pid = procs.read_pid(self.switch_pidfile)
        if pid is not None:
            procs.terminate(pid, str(self.switch_pidfile), timeout=5.0)
        shutil.rmtree(self.dir, ignore_errors=True)
        if self.dir.exists():
            raise SandboxError(f"could not remove {self.dir}")

    def pids(self) -> dict[str, int]:
        """Live PIDs of the lab's processes (host name or ``switch`` -> PID)."""
        found: dict[str, int] = {}
        for pidfile in sorted(self.dir.glob("*/qemu.pid")):
            pid = procs.read_pid(pidfile)
            if pid is not None:
                found[pidfile.parent.name] = pid
        pid = procs.read_pid(self.switch_pidfile)
        if pid is not None:
            found["switch"] = pid
        return found

    def status(self) -> dict[str, Any]:
        """The lab as data (``lab status --json``): name, topology, accelerator, hosts."""
        state = self._require_state()
        topo = get_topology(str(state["topology"]))
        hosts = []
        for spec in topo.hosts:
            port = int(state["hosts"][spec.name].get("ssh_port") or 0)
            vm = self._vm(state, spec, port)
            hosts.append(HostStatus(
                name=spec.name, role=spec.role, state=vm.state() if port else "stopped",
                ssh_port=port, lab_ip=spec.lab_ip, pid=vm.pid(),
                url=host_url(port, self.key, self.known_hosts),
            ).as_dict())
        switch = procs.read_pid(self.switch_pidfile) if topo.switched else None
        return {
            "name": self.name, "topology": topo.name, "image": state["image"],
            "accel": state["accel"], "accel_reason": state.get("accel_reason", ""),
            "created": state.get("created", ""), "switch_pid": switch,
            "dir": str(self.dir), "hosts": hosts,
        }

    def hosts(self) -> dict[str, str]:
        """role -> ``ssh://`` URL of every running host (see :func:`lab_hosts`)."""
        status = self.status()
        down = [h["name"] for h in status["hosts"] if h["state"] != "running"]
        if down:
            raise SandboxError(f"lab {self.name!r}: {', '.join(down)} not running; "
                               f"run `labkit lab up` again")
        return {str(h["role"]): str(h["url"]) for h in status["hosts"]}

    def ssh_argv(self, host: str, command: Sequence[str] = (), *, tty: bool = False
                 ) -> list[str]:
        """The ``ssh`` argv to log in to ``host`` (or run ``command`` there)."""
        state = self._require_state()
        spec = get_topology(str(state["topology"])).host(host)
        port = int(state["hosts"][spec.name]["ssh_port"])
        return ssh_argv(port, self.key, self.known_hosts, command, batch=not tty, tty=tty)

    def run(self, host: str, command: str, timeout: float = 120.0,
            check: bool = False) -> subprocess.CompletedProcess[str]:
        """Run a shell ``command`` on ``host`` as root over SSH; output captured as text."""
        result = subprocess.run(self.ssh_argv(host, [command]), stdin=subprocess.DEVNULL,
                                capture_output=True, text=True, timeout=timeout, check=False)
        if check and result.returncode != 0:
            raise SandboxError(f"{host}: `{command}` failed (exit {result.returncode}): "
                               f"{result.stderr.strip()[-500:]}")
        return result


def list_labs() -> list[str]:
    """Names of the labs that have a state file."""
    if not labs_dir().is_dir():
        return []
    return sorted(p.parent.name for p in labs_dir().glob("*/state.json"))


def images_in_use() -> set[str]:
    """Image ids used by the labs of this LABKIT_HOME (their disks are backed by them)."""
    used: set[str] = set()
    if labs_dir().is_dir():
        for state_file in labs_dir().glob("*/state.json"):
            with contextlib.suppress(OSError, ValueError, KeyError):
                used.add(str(json.loads(state_file.read_text())["image"]))
    return used


def lab_hosts(name: str | None = None) -> dict[str, str]:
    """Role -> host URL of the running lab ``name``.

    Each URL is ``ssh://root@127.0.0.1:PORT?key=/abs/key&known_hosts=/abs/known_hosts``.
    ``name`` defaults to ``$LABKIT_LAB``, else ``default``, else the only lab that is up.
    Raises :class:`labkit.errors.SandboxError` (one clear line) when no such lab runs.
    """
    if name is None and not current().lab:
        labs = list_labs()
        if DEFAULT_LAB not in labs and len(labs) == 1:
            name = labs[0]
        elif DEFAULT_LAB not in labs and len(labs) > 1:
            raise SandboxError(f"several labs are up ({', '.join(labs)}): name one")
    return Lab(name).hosts()


@contextlib.contextmanager
def running_lab(topology: str = "single", name: str = "pytest",
                progress: Progress = _quiet) -> Iterator[Lab]:
    """Bring lab ``name`` up with ``topology`` and always take it down afterwards,
    even when the body (a test) fails. Any leftover lab of that name is removed first."""
    lab = Lab(name)
    lab.down()
    try:
        lab.up(topology, progress=progress)
        yield lab
    finally:
        lab.down()
