"""The transport contract: run one shell command on a host and return what it printed."""

from __future__ import annotations

import abc
from dataclasses import dataclass
from types import TracebackType

DEFAULT_TIMEOUT = 30.0
#: First words of the one-round-trip collector command (the replay transport answers it
#: probe by probe).
COLLECTOR_PREFIX = ": labkit-collect;"


@dataclass(frozen=True)
class CommandResult:
    """What one command did: its exit code and its output, decoded as UTF-8."""

    command: str
    exit_code: int
    stdout: str
    stderr: str
    duration: float = 0.0

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    def tail(self, lines: int = 10) -> str:
        """The last lines of stdout and stderr: what a person needs to see on failure."""
        text = (self.stdout.rstrip("\n") + "\n" + self.stderr.rstrip("\n")).strip("\n")
        return "\n".join(text.splitlines()[-lines:])


class Transport(abc.ABC):
    """Runs shell commands on one host.

    Creating a transport does not connect; it connects on first use and closes when used as a
    context manager. ``command`` is a string for ``/bin/sh -c``: callers quote every argument.
    """

    url: str = ""

    @abc.abstractmethod
    def run(self, command: str, *, timeout: float = DEFAULT_TIMEOUT,
            stdin: bytes | None = None) -> CommandResult:
        """Run ``command`` and wait at most ``timeout`` seconds (raises CommandTimeout)."""

    def close(self) -> None:  # noqa: B027 - optional for transports that hold nothing
        """Release the connection, if any."""

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url}>"
