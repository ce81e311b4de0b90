"""labkit: a Jupyter teaching lab and exercise grader for virtualization infrastructure.

The public API (everything else is internal and may change)::

    from labkit import Host, grade, load_spec
    host = Host("ssh://root@127.0.0.1:2222?key=~/.ssh/lab")
    report = grade(load_spec("graders/qemu-img-basics.yaml"), {"host": host}, lang="en")
"""

from labkit.checks.spec import ExerciseSpec, load_spec
from labkit.errors import (
    AuthError,
    CommandTimeout,
    ConnectError,
    ExerciseError,
    HostURLError,
    LabkitError,
    ProbeError,
    RosterError,
    SandboxError,
    SpecError,
)
from labkit.grading import Report, grade, grade_url
from labkit.host import Host
from labkit.transports import CommandResult, Transport, open_transport, parse_url

__version__ = "0.1.0"

__all__ = [
    "AuthError",
    "CommandResult",
    "CommandTimeout",
    "ConnectError",
    "ExerciseError",
    "ExerciseSpec",
    "Host",
    "HostURLError",
    "LabkitError",
    "ProbeError",
    "Report",
    "RosterError",
    "SandboxError",
    "SpecError",
    "Transport",
    "grade",
    "grade_url",
    "load_spec",
    "open_transport",
    "parse_url",
]
