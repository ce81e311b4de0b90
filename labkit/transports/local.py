"""Run commands on this machine (the lab host is the machine JupyterLab runs on)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time

from labkit.errors import CommandTimeout
from labkit.transports.base import DEFAULT_TIMEOUT, CommandResult, Transport


class LocalTransport(Transport):
    """``/bin/sh -c`` on this machine; a timed-out command is killed with its whole group."""

    def __init__(self, url: str = "local://") -> None:
        self.url = url

    def run(self, command: str, *, timeout: float = DEFAULT_TIMEOUT,
            stdin: bytes | None = None) -> CommandResult:
        started = time.monotonic()
        proc = subprocess.Popen(
            ["/bin/sh", "-c", command],
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
            env={**os.environ, "LC_ALL": "C"},
        )
        try:
            out, err = proc.communicate(stdin, timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise CommandTimeout(command, timeout) from None
        return CommandResult(command, proc.returncode, out.decode("utf-8", "replace"),
                             err.decode("utf-8", "replace"), time.monotonic() - started)
