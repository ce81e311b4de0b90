"""Every error labkit raises on purpose.

The tree (each class also inherits the builtin a caller would naturally catch)::

    LabkitError
    ├── HostURLError(ValueError)        a host URL that cannot be understood
    ├── ConnectError(ConnectionError)   the lab host cannot be reached or refuses us
    │   └── AuthError                   reached, but the key was refused
    ├── CommandTimeout(TimeoutError)    a remote command ran past its time limit
    ├── ProbeError(ValueError)          a probe's output could not be understood
    ├── SpecError(ValueError)           a grader YAML file is wrong (names file, line, field)
    ├── RosterError(ValueError)         a roster file is wrong
    ├── ExerciseError(LookupError)      an unknown exercise, or one without a solution/fault
    └── SandboxError(RuntimeError)      the sandbox VMs could not be built, started or found

Every message is written for the person at the keyboard: one line, what went wrong and,
where it helps, what to do about it.
"""

from __future__ import annotations


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


class SandboxError(LabkitError, RuntimeError):
    """The sandbox lab could not be built, started, reached or found."""
