"""``MockTransport(handler)``: a test double that answers every command with a function.

Like httpx's mock transport: the handler receives the command (and its stdin) and returns a
:class:`CommandResult`, a ``str`` (stdout, exit code 0) or an ``(exit_code, stdout, stderr)``
tuple. Every call is kept in ``calls``, so a test can say what reached the host::

    transport = MockTransport(lambda cmd, stdin: "ok\\n" if "lvs" in cmd else (1, "", "no\\n"))
    Host(transport).run("lvs")
"""

from __future__ import annotations

from collections.abc import Callable

from labkit.transports.base import DEFAULT_TIMEOUT, CommandResult, Transport

Answer = CommandResult | str | tuple[int, str, str]
Handler = Callable[[str, bytes | None], Answer]


class MockTransport(Transport):
    """Answers commands with ``handler(command, stdin)``; records every call."""

    def __init__(self, handler: Handler, url: str = "mock://") -> None:
        self.handler = handler
        self.url = url
        self.calls: list[tuple[str, bytes | None]] = []
        self.closed = False

    def run(self, command: str, *, timeout: float = DEFAULT_TIMEOUT,
            stdin: bytes | None = None) -> CommandResult:
        self.calls.append((command, stdin))
        answer = self.handler(command, stdin)
        if isinstance(answer, CommandResult):
            return answer
        if isinstance(answer, str):
            return CommandResult(command, 0, answer, "")
        code, out, err = answer
        return CommandResult(command, code, out, err)

    def close(self) -> None:
        self.closed = True
