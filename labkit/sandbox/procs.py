"""Processes we started: pid files that may be stale, and stopping by PID only.

A pid file is trusted only if the process it names is alive, is not a zombie, and has the
expected marker (the pid file's own path) on its command line, so a recycled PID is
never signalled.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path


def _cmdline(pid: int) -> list[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def is_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    # The state follows the command name in parentheses, which may itself contain ')'.
    return stat.rsplit(")", 1)[-1].split()[0] == "Z"


def _reap(pid: int) -> None:
    # Reap our own zombie children (e.g. in a long-lived pytest process).
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def process_alive(pid: int, marker: str) -> bool:
    """Whether ``pid`` runs and its command line contains ``marker``."""
    if pid <= 0:
        return False
    if is_zombie(pid):
        _reap(pid)
        return False
    args = _cmdline(pid)
    return any(marker in arg for arg in args)


def read_pid(pidfile: Path) -> int | None:
    """The live PID recorded in ``pidfile`` (marker: the pidfile path), else None.

    A stale pid file (dead process, or a PID now used by something else) is removed.
    """
    try:
        text = pidfile.read_text().strip()
    except OSError:
        return None
    try:
        pid = int(text.split()[0])
    except (ValueError, IndexError):
        pid = -1
    if process_alive(pid, str(pidfile)):
        return pid
    with contextlib.suppress(OSError):
        pidfile.unlink()
    return None


def wait_gone(pid: int, marker: str, timeout: float) -> bool:
    """Wait until ``pid`` has exited; True if it did within ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process_alive(pid, marker):
            return True
        time.sleep(0.1)
    return not process_alive(pid, marker)


def terminate(pid: int, marker: str, timeout: float = 10.0) -> None:
    """SIGTERM, then SIGKILL, the process ``pid`` (only if it still carries ``marker``)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if not process_alive(pid, marker):
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
        if wait_gone(pid, marker, timeout):
            return
