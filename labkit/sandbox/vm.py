"""One lab VM: its files, its QEMU process, and control through QMP and the guest agent.

Files of a VM live in one directory::

    root.qcow2 disk1.qcow2..disk9.qcow2   disks (overlay over the base image, spare disks)
    qemu.pid qmp.sock qga.sock            the process and its control sockets
    console.log                           the serial console
"""

from __future__ import annotations

import contextlib
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from labkit.errors import SandboxError
from labkit.sandbox import procs
from labkit.sandbox.paths import InFolder, check_socket_path
from labkit.sandbox.qemu import DISK_COUNT, VMConfig, qemu_argv
from labkit.sandbox.qmp import QMP, ExecResult, GuestAgent, wait_for_agent


class PortInUse(SandboxError):
    """QEMU could not listen on the SSH port we picked (someone took it meanwhile)."""


@dataclass(frozen=True)
class VMFiles:
    """The paths of one VM's files inside ``directory``."""

    directory: Path

    root = InFolder("root.qcow2", "directory")

    @property
    def disks(self) -> tuple[Path, ...]:
        return tuple(self.directory / f"disk{i}.qcow2" for i in range(1, DISK_COUNT + 1))

    pidfile = InFolder("qemu.pid", "directory")
    qmp = InFolder("qmp.sock", "directory")
    agent = InFolder("qga.sock", "directory")
    serial_log = InFolder("console.log", "directory")
    lab_socket = InFolder("eth1.sock", "directory")


class VM:
    """A QEMU process described by a :class:`VMConfig`."""

    def __init__(self, config: VMConfig) -> None:
        self.config = config

    @property
    def pidfile(self) -> Path:
        return self.config.pidfile

    def pid(self) -> int | None:
        """The live QEMU PID, or None (a stale pid file is removed)."""
        return procs.read_pid(self.pidfile)

    def start(self, timeout: float = 180.0) -> int:
        """Start QEMU (daemonized); return its PID. Raises :class:`PortInUse` if the SSH
        port was taken, :class:`SandboxError` for any other failure."""
        cfg = self.config
        for sock in (cfg.qmp_socket, cfg.agent_socket, cfg.lab_link.local):
            if sock is not None:
                check_socket_path(sock)
                with contextlib.suppress(FileNotFoundError):
                    sock.unlink()
        if self.pid() is not None:
            raise SandboxError(f"VM {cfg.name} is already running")
        try:
            result = subprocess.run(qemu_argv(cfg), stdin=subprocess.DEVNULL,
                                    capture_output=True, text=True, timeout=timeout,
                                    check=False)
        except FileNotFoundError:
            raise SandboxError("qemu-system-x86_64 is not installed") from None
        except subprocess.TimeoutExpired:
            self.kill()
            raise SandboxError(f"QEMU did not start VM {cfg.name} within {timeout:g} s") from None
        err = " ".join(line for line in result.stderr.strip().splitlines()
                       if "hub 0 is not connected" not in line)
        if result.returncode != 0:
            if "host forwarding rule" in err or "Address already in use" in err:
                raise PortInUse(f"port {cfg.ssh_port} is in use")
            raise SandboxError(f"QEMU failed to start VM {cfg.name}: {err or 'no message'}")
        pid = self.pid()
        if pid is None:
            raise SandboxError(f"QEMU started VM {cfg.name} but is gone already: {err}")
        return pid

    def qmp(self, timeout: float = 10.0) -> QMP:
        return QMP(self.config.qmp_socket, timeout=timeout)

    def state(self) -> str:
        """``running``, ``paused``, ``crashed`` (internal error, guest panic, no answer)
        or ``stopped`` (no process)."""
        if self.pid() is None:
            return "stopped"
        try:
            with self.qmp(timeout=3.0) as mon:
                status = mon.status()
        except SandboxError:
            return "crashed"
        if status in ("internal-error", "guest-panicked", "shutdown", "io-error"):
            return "crashed"
        return status

    def agent(self, timeout: float = 60.0) -> GuestAgent:
        """A guest agent connection (waits until the agent answers)."""
        return wait_for_agent(self.config.agent_socket, timeout)

    def exec(self, argv: list[str], timeout: float = 60.0) -> ExecResult:
        """Run a command in the guest through the guest agent."""
        with self.agent() as agent:
            return agent.exec(argv, timeout=timeout)

    def savevm(self, tag: str, timeout: float = 600.0) -> None:
        with self.qmp() as mon:
            out = mon.hmp(f"savevm {tag}", timeout=timeout)
        if out.strip():
            raise SandboxError(f"savevm {tag} failed: {out.strip()}")

    def loadvm(self, tag: str, timeout: float = 300.0) -> None:
        with self.qmp() as mon:
            out = mon.hmp(f"loadvm {tag}", timeout=timeout)
            if out.strip():
                raise SandboxError(f"loadvm {tag} failed: {out.strip()}")
            if mon.status() != "running":
                mon.execute("cont")

    def stop(self, timeout: float = 15.0) -> None:
        """Quit QEMU (QMP ``quit``, then SIGTERM/SIGKILL by PID). No-op if not running."""
        stop_vm_files(VMFiles(self.pidfile.parent), timeout)

    def kill(self) -> None:
        """Stop QEMU at once by PID (no clean quit)."""
        stop_vm_files(VMFiles(self.pidfile.parent), timeout=0.0)

    def with_port(self, port: int) -> VM:
        return VM(replace(self.config, ssh_port=port))


def wait_until(predicate: Callable[[], bool], timeout: float, what: str,
               interval: float = 0.5) -> None:
    """Poll ``predicate()`` until true or raise :class:`SandboxError` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise SandboxError(f"timed out after {timeout:g} s waiting for {what}")


def stop_vm_files(files: VMFiles, timeout: float = 15.0) -> None:
    """Stop the QEMU whose pid file is in ``files`` and remove its runtime files.

    Works from the files alone (no configuration needed), so it also cleans up after a
    crash or a lost state file. ``timeout=0`` skips the polite QMP ``quit``.
    """
    pid = procs.read_pid(files.pidfile)
    if pid is not None:
        marker = str(files.pidfile)
        if timeout > 0:
            with contextlib.suppress(SandboxError, OSError), QMP(files.qmp, timeout=3.0) as mon:
                mon.execute("quit")
        if timeout <= 0 or not procs.wait_gone(pid, marker, timeout):
            procs.terminate(pid, marker, timeout=5.0)
    for path in (files.pidfile, files.qmp, files.agent, files.lab_socket):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
