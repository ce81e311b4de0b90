"""Tiny synchronous clients for QEMU's two JSON sockets.

* :class:`QMP`: the machine monitor (``query-status``, ``quit``, HMP ``savevm``/``loadvm``).
* :class:`GuestAgent`: the QEMU guest agent inside the VM (``guest-ping``, ``guest-exec``).

Every call has a timeout; failures raise :class:`labkit.errors.SandboxError`.
"""

from __future__ import annotations

import base64
import json
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from labkit.errors import SandboxError


class _JsonSocket:
    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        try:
            self.sock.connect(str(path))
        except OSError as exc:
            self.sock.close()
            raise SandboxError(f"cannot connect to {path}: {exc.strerror or exc}") from exc
        self.buffer = b""

    def close(self) -> None:
        self.sock.close()

    def send(self, message: dict[str, Any]) -> None:
        self.sock.sendall(json.dumps(message).encode() + b"\n")

    def read_message(self, deadline: float) -> dict[str, Any]:
        while b"\n" not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise SandboxError(f"no answer on {self.path.name} in time")
            self.sock.settimeout(remaining)
            try:
                chunk = self.sock.recv(65536)
            except TimeoutError:
                raise SandboxError(f"no answer on {self.path.name} in time") from None
            except OSError as exc:
                raise SandboxError(f"{self.path.name}: {exc}") from exc
            if not chunk:
                raise SandboxError(f"{self.path.name}: connection closed by QEMU")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        line = line.replace(b"\xff", b"").strip()
        if not line:
            return self.read_message(deadline)
        try:
            data: dict[str, Any] = json.loads(line)
        except ValueError as exc:
            raise SandboxError(f"{self.path.name}: bad JSON {line[:80]!r}") from exc
        return data


class QMP:
    """A QMP connection; use as a context manager. Events are skipped."""

    def __init__(self, path: Path, timeout: float = 10.0) -> None:
        self.timeout = timeout
        self._conn = _JsonSocket(path, timeout)
        deadline = time.monotonic() + timeout
        greeting = self._conn.read_message(deadline)
        if "QMP" not in greeting:
            raise SandboxError(f"{path.name}: not a QMP greeting")
        self.execute("qmp_capabilities")

    def __enter__(self) -> QMP:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._conn.close()

    def execute(self, command: str, arguments: dict[str, Any] | None = None,
                timeout: float | None = None) -> Any:
        """Run one QMP command and return its ``return`` value."""
        message: dict[str, Any] = {"execute": command}
        if arguments:
            message["arguments"] = arguments
        self._conn.send(message)
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            answer = self._conn.read_message(deadline)
            if "event" in answer:
                continue
            if "error" in answer:
                desc = answer["error"].get("desc", answer["error"])
                raise SandboxError(f"QEMU refused {command}: {desc}")
            return answer.get("return")

    def hmp(self, command_line: str, timeout: float | None = None) -> str:
        """Run a human monitor command (e.g. ``savevm NAME``); return its output.

        HMP reports errors as text, so any output from savevm/loadvm/delvm is an error.
        """
        out = self.execute("human-monitor-command", {"command-line": command_line},
                           timeout=timeout)
        return str(out or "")

    def status(self) -> str:
        """The run state: ``running``, ``paused``, ``internal-error``, ``shutdown``..."""
        result = self.execute("query-status")
        return str(result["status"])


@dataclass(frozen=True)
class ExecResult:
    exitcode: int
    stdout: str
    stderr: str


class GuestAgent:
    """A connection to the QEMU guest agent (org.qemu.guest_agent.0)."""

    def __init__(self, path: Path, timeout: float = 10.0) -> None:
        self.timeout = timeout
        self._conn = _JsonSocket(path, timeout)
        self._sync(timeout)

    def __enter__(self) -> GuestAgent:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._conn.close()

    def _sync(self, timeout: float) -> None:
        # guest-sync-delimited makes the agent drop stale input and mark its answer
        # with 0xFF, so leftovers from an earlier client (or a restored snapshot) are skipped.
        ident = int(time.monotonic_ns() % 2_000_000_000)
        self._conn.sock.sendall(b"\xff")
        self._conn.send({"execute": "guest-sync-delimited", "arguments": {"id": ident}})
        deadline = time.monotonic() + timeout
        while True:
            answer = self._conn.read_message(deadline)
            if answer.get("return") == ident:
                return

    def execute(self, command: str, arguments: dict[str, Any] | None = None,
                timeout: float | None = None) -> Any:
        message: dict[str, Any] = {"execute": command}
        if arguments:
            message["arguments"] = arguments
        self._conn.send(message)
        deadline = time.monotonic() + (timeout or self.timeout)
        answer = self._conn.read_message(deadline)
        if "error" in answer:
            desc = answer["error"].get("desc", answer["error"])
            raise SandboxError(f"guest agent refused {command}: {desc}")
        return answer.get("return")

    def exec(self, argv: list[str], timeout: float = 60.0, stdin: bytes | None = None
             ) -> ExecResult:
        """Run ``argv`` in the guest (no shell) and wait for it; at most ``timeout`` s.
        ``stdin``: what the command reads (else nothing)."""
        arguments: dict[str, Any] = {"path": argv[0], "arg": argv[1:], "capture-output": True}
        if stdin is not None:
            arguments["input-data"] = base64.b64encode(stdin).decode()
        started = self.execute("guest-exec", arguments)
        pid = started["pid"]
        deadline = time.monotonic() + timeout
        while True:
            status = self.execute("guest-exec-status", {"pid": pid})
            if status.get("exited"):
                out = base64.b64decode(status.get("out-data", "")).decode(errors="replace")
                err = base64.b64decode(status.get("err-data", "")).decode(errors="replace")
                code = status.get("exitcode", -status.get("signal", 1))
                return ExecResult(int(code), out, err)
            if time.monotonic() > deadline:
                raise SandboxError(f"guest command timed out after {timeout:g} s: {argv[0]}")
            time.sleep(0.1)


def wait_for_agent(path: Path, timeout: float) -> GuestAgent:
    """Connect to the guest agent once it answers, or raise after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    last = "not started"
    while time.monotonic() < deadline:
        try:
            return GuestAgent(path, timeout=min(5.0, max(0.5, deadline - time.monotonic())))
        except SandboxError as exc:
            last = str(exc)
            time.sleep(0.5)
    raise SandboxError(f"the guest agent did not answer within {timeout:g} s ({last})")
