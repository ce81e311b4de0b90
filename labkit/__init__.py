"""labkit: a Jupyter teaching lab and exercise grader for virtualization infrastructure.

The public API is what ``labkit.__all__`` names; every other module is internal and may
change (the settings, ``labkit.settings``, are documented in docs/settings.md)::

    from labkit import Host, grade, load_exercise
    host = Host("ssh://root@127.0.0.1:2222?key=~/.ssh/lab")
    report = grade(load_exercise("qemu-img-basics"), {"host": host}, lang="en")

- hosts: ``Host``, ``open_transport``, ``parse_url``, ``Transport``, ``CommandResult``,
  ``MockTransport`` (a host that answers from a table, for tests without a lab host);
- grading: ``load_exercise``, ``load_spec``, ``ExerciseSpec``, ``grade``, ``grade_url``,
  ``Report``; ``autograde_points`` (the hidden test cell of an nbgrader notebook);
  ``for_student`` (a student's own values for an exercise, as its notebook shows them);
- lessons: ``Lesson`` (a lesson notebook's lab: its hosts, ``sh``, "Check my work"),
  ``Exercise`` (an exercise notebook's lab: the student's own values, "Check my work");
- errors: ``LabkitError`` and its subclasses ``HostURLError``, ``ConnectError``,
  ``AuthError``, ``CommandTimeout``, ``ProbeError``, ``Failure`` (a command that failed:
  its command, exit code and output tail), ``AnswerError``, ``ScriptFailed``, ``SpecError``,
  ``RosterError``, ``ExerciseError``, ``SandboxError``, ``UsageError`` (options that do not
  go together), ``ConfigError`` (a setting, key or file that is missing or wrong) (the tree is
  drawn in ``labkit.errors``).

Names are imported on first use (PEP 562), so ``import labkit`` stays cheap: a command or a
notebook pays only for what it uses (paramiko, pydantic, ipywidgets come with the names that
need them).
"""

import typing as _typing

from labkit.lazy import attach as _attach

__version__ = "0.1.0"

#: Public name -> the module that defines it.
_EXPORTS: dict[str, str] = {
    # hosts
    "CommandResult": "labkit.transports.base",
    "Host": "labkit.host",
    "MockTransport": "labkit.transports.mock",
    "Transport": "labkit.transports.base",
    "open_transport": "labkit.transports",
    "parse_url": "labkit.transports",
    # grading
    "ExerciseSpec": "labkit.checks.spec",
    "Report": "labkit.grading.report",
    "autograde_points": "labkit.notebook.nbgrader",
    "grade": "labkit.grading.engine",
    "grade_url": "labkit.grading.engine",
    "load_exercise": "labkit.exercises",
    "load_spec": "labkit.checks.spec",
    "for_student": "labkit.variants",
    # lessons
    "Exercise": "labkit.lessons",
    "Lesson": "labkit.lessons",
    # errors
    "AnswerError": "labkit.errors",
    "AuthError": "labkit.errors",
    "CommandTimeout": "labkit.errors",
    "ConfigError": "labkit.errors",
    "ConnectError": "labkit.errors",
    "ExerciseError": "labkit.errors",
    "Failure": "labkit.errors",
    "HostURLError": "labkit.errors",
    "LabkitError": "labkit.errors",
    "ProbeError": "labkit.errors",
    "RosterError": "labkit.errors",
    "SandboxError": "labkit.errors",
    "ScriptFailed": "labkit.errors",
    "SpecError": "labkit.errors",
    "UsageError": "labkit.errors",
}
#: Public names whose attribute in their module has another name.
_RENAMED = {"load_exercise": "load"}

__all__ = [
    "AnswerError", "AuthError", "CommandResult", "CommandTimeout", "ConfigError", "ConnectError",
    "Exercise", "ExerciseError", "ExerciseSpec", "Failure", "Host", "HostURLError", "LabkitError",
    "Lesson", "MockTransport", "ProbeError", "Report", "RosterError", "SandboxError",
    "ScriptFailed", "SpecError", "Transport", "UsageError", "autograde_points", "for_student",
    "grade", "grade_url", "load_exercise", "load_spec", "open_transport", "parse_url",
]

if _typing.TYPE_CHECKING:
    from labkit.checks.spec import ExerciseSpec, load_spec
    from labkit.errors import (
        AnswerError,
        AuthError,
        CommandTimeout,
        ConfigError,
        ConnectError,
        ExerciseError,
        Failure,
        HostURLError,
        LabkitError,
        ProbeError,
        RosterError,
        SandboxError,
        ScriptFailed,
        SpecError,
        UsageError,
    )
    from labkit.exercises import load as load_exercise
    from labkit.grading.engine import grade, grade_url
    from labkit.grading.report import Report
    from labkit.host import Host
    from labkit.lessons import Exercise, Lesson
    from labkit.notebook.nbgrader import autograde_points
    from labkit.transports import open_transport, parse_url
    from labkit.transports.base import CommandResult, Transport
    from labkit.transports.mock import MockTransport
    from labkit.variants import for_student


__getattr__, __dir__ = _attach(__name__, _EXPORTS, _RENAMED)
