"""Every error labkit raises on purpose.

The tree (each class also inherits the builtin a caller would naturally catch)::

    LabkitError
    ├── HostURLError(ValueError)        a host URL that cannot be understood
    ├── ConnectError(ConnectionError)   the lab host cannot be reached or refuses us
    │   └── AuthError                   reached, but the key was refused
    ├── CommandTimeout(TimeoutError)    a remote command ran past its time limit
    ├── Failure(RuntimeError)           a command ran and failed: carries its result
    │   ├── AnswerError(ProbeError)     the lab host answered what labkit cannot read
    │   └── ScriptFailed(ExerciseError) a solution or fault script failed on its host
    ├── ProbeError(ValueError)          a probe's output could not be understood
    ├── SpecError(ValueError)           a grader YAML file is wrong (names file, line, field)
    ├── RosterError(ValueError)         a roster file is wrong
    ├── ExerciseError(LookupError)      an unknown exercise, or one without a solution/fault
    ├── UsageError(ValueError)          options or arguments that do not go together
    ├── ConfigError(ValueError)         a setting, key or file labkit needs is missing or wrong
    └── SandboxError(RuntimeError)      the sandbox VMs could not be built, started or found

Every message is written for the person at the keyboard: one line, what went wrong and,
where it helps, what to do about it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from labkit.transports.base import CommandResult


class LabkitError(Exception):
    """Root of every error labkit raises on purpose."""


class HostURLError(LabkitError, ValueError):
    """A host URL that cannot be understood."""


class ConnectError(LabkitError, ConnectionError):
    """The lab host cannot be reached, or the connection broke."""


class AuthError(ConnectError):
    """The lab host answered but did not accept our key."""


class CommandTimeout(LabkitError, TimeoutError):
    """A command ran past its time limit."""

    def __init__(self, command: str, timeout: float) -> None:
        super().__init__(f"command timed out after {timeout:g} s: {command}")
        self.command = command
        self.timeout = timeout


class ProbeError(LabkitError, ValueError):
    """The output of a probe could not be understood."""


def excerpt(result: CommandResult, limit: int = 160) -> str:
    """One short printable line from a result that is not what it should be: the end of its
    stderr (the likely reason), else the start of its stdout. Never huge, never control bytes,
    whatever the host sent."""
    text = result.stderr[-4 * limit:].strip() or result.stdout[:4 * limit].strip()
    if not text:
        return "(no output)"
    bad = sum(1 for c in text if c == "\ufffd" or not (c.isprintable() or c.isspace()))
    if bad * 10 > len(text):
        return f"binary data, not text ({len(result.stdout) + len(result.stderr)} characters)"
    shown = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return shown if len(shown) <= limit else shown[:limit - 1] + "…"


class Failure(LabkitError, RuntimeError):
    """A command ran and did not do what it should, as Invoke's ``Failure``: it carries the
    result (``result``, ``command``, ``exit_code``) and ``tail``, the end of its output, so a
    caller can show them its own way; ``str()`` is one line: what failed, the exit code and
    the tail."""

    def __init__(self, what: str, result: CommandResult) -> None:
        self.what = what
        self.result = result
        self.command = result.command
        self.exit_code = result.exit_code
        self.tail = excerpt(result)
        super().__init__(f"{what} (exit code {result.exit_code}): {self.tail}")


class AnswerError(Failure, ProbeError):
    """The lab host answered the collector with something labkit cannot read."""


class SpecError(LabkitError, ValueError):
    """A grader specification (YAML) is invalid."""

    def __init__(self, message: str, *, file: str = "", line: int | None = None,
                 field: str = "") -> None:
        where = file
        if line is not None:
            where += f":{line}"
        if field:
            where += f" (field {field})" if where else f"field {field}"
        super().__init__(f"{where}: {message}" if where else message)
        self.file = file
        self.line = line
        self.field = field


class RosterError(LabkitError, ValueError):
    """A roster (list of students and their hosts) is invalid."""


class ExerciseError(LabkitError, LookupError):
    """An unknown exercise, or a missing solution or fault script."""


class UsageError(LabkitError, ValueError):
    """Options or arguments that do not go together (``--host`` and ``--lab``, a
    ``--param`` without ``=``, a student not in the roster…)."""


class ConfigError(LabkitError, ValueError):
    """A setting, key or file labkit needs is missing, unreadable or wrong (the evidence
    key, a recording, a course file)."""


class ScriptFailed(Failure, ExerciseError):
    """A solution or fault script failed on its host."""


class SandboxError(LabkitError, RuntimeError):
    """The sandbox lab could not be built, started, reached or found."""
