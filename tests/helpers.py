"""Helpers for the end-to-end tests: running the ``labkit`` command and judging what a
student would read."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import jsonschema

from labkit import exercises

if TYPE_CHECKING:
    from labkit.checks.spec import ExerciseSpec
    from labkit.grading import Report

#: The console script installed next to this Python (the venv's ``labkit``).
LABKIT = Path(sys.executable).with_name("labkit")

#: ``labkit grade --json`` output (docs/architecture.md, labkit/grading/report.py).
REPORT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["exercise", "host", "score", "max_score", "checks"],
    "additionalProperties": False,
    "properties": {
        "exercise": {"type": "string", "minLength": 1},
        "host": {"type": "string", "minLength": 1},
        "score": {"type": "number", "minimum": 0},
        "max_score": {"type": "number", "minimum": 0},
        "error": {"type": "string", "minLength": 1},
        "stand_in": {"type": "string", "minLength": 1},
        "hints": {"type": "object", "additionalProperties": {
            "type": "array", "items": {"type": "string", "minLength": 1}}},
        "checks": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "status", "points", "max_points", "message"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
                    "status": {"enum": ["passed", "failed", "blocked", "error"]},
                    "points": {"type": "number", "minimum": 0},
                    "max_points": {"type": "number", "minimum": 0},
                    "message": {"type": "string", "minLength": 1},
                    "hint": {"type": "string", "minLength": 1},
                },
            },
        },
    },
}


def validate_report(data: Any) -> None:
    """The JSON report matches the schema and its numbers add up."""
    jsonschema.validate(data, REPORT_SCHEMA)
    assert data["score"] == sum(c["points"] for c in data["checks"])
    assert data["max_score"] == sum(c["max_points"] for c in data["checks"])
    for c in data["checks"]:
        assert c["points"] == (c["max_points"] if c["status"] == "passed" else 0)


@dataclass(frozen=True)
class CLIResult:
    code: int
    stdout: str
    stderr: str
    seconds: float


def labkit_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> CLIResult:
    """Run the ``labkit`` command as a user would."""
    command = [str(LABKIT)] if LABKIT.exists() else [sys.executable, "-m", "labkit.cli"]
    started = time.monotonic()
    proc = subprocess.run([*command, *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL)
    return CLIResult(proc.returncode, proc.stdout, proc.stderr, time.monotonic() - started)


def labkit_main(*args: str, env: dict[str, str] | None = None) -> CLIResult:
    """Run ``labkit.cli.main`` in this process (the same code as the command, without the
    half second a Python start-up costs), capturing what it prints."""
    import contextlib
    import io

    from labkit import cli
    from labkit.settings import override

    out, err = io.StringIO(), io.StringIO()
    saved = {name: os.environ.get(name) for name in env or {}}
    os.environ.update(env or {})
    started = time.monotonic()
    try:
        # override(): what the command configures (--exercises DIR) ends with it, as it
        # does when the command's process ends
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), override():
            try:
                code = cli.main(list(args))
            except SystemExit as exc:  # argparse
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return CLIResult(code, out.getvalue(), err.getvalue(), time.monotonic() - started)


def assert_clean_failure(result: CLIResult, *words: str) -> str:
    """Exit code 2, exactly one line on stderr starting ``labkit:``, no traceback anywhere;
    the line holds each of ``words`` (case-insensitive). Returns the line."""
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    lines = result.stderr.splitlines()
    assert result.code == 2, (result.code, result.stderr)
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("labkit: "), line
    assert len(line) < 4000, f"{len(line)} characters: {line[:300]}"
    for word in words:
        assert word.lower() in line.lower(), (word, line)
    return line


# Signs that a message was written for a programmer, not for a student.
_TECHNICAL = re.compile(
    r"Traceback|File \"|\b[A-Z]\w*(?:Error|Exception)\b|object at 0x|\{'|\['|'\]|'\}"
    r"|\bNone\b|\\x[0-9a-f]{2}|\\n|\{[a-z_]+\}|\bdict\b|\bstr\b|\bint\b"
)


def assert_student_message(message: str, path: str) -> None:
    """A message a student understands: one sentence-like line that names the file, with
    no Python reprs, tracebacks or unfilled placeholders."""
    assert message.strip(), "empty message"
    assert "\n" not in message, message
    assert PurePosixPath(path).name in message, (path, message)
    match = _TECHNICAL.search(message)
    assert match is None, f"{match.group(0)!r} in {message!r}" if match else ""


def assert_fault_report(report: Report, spec: ExerciseSpec, fails: frozenset[str],
                        context: str, *, hinted: bool = True) -> dict[str, str]:
    """A report graded after a fault: exactly the checks in ``fails`` (its ``# labkit-fails:``
    line) failed, each with a message a student reads (no ``{placeholder}`` left, no traceback)
    and, if ``hinted``, a hint (a check whose only hint is the full command shows none below
    hint level 3); every other check passed, or is blocked behind a check it requires that
    did not pass. The failed checks' messages, by check id."""
    __tracebackhide__ = True
    status = {c.id: c.status for c in report.checks}
    failed = {i for i, s in status.items() if s == "failed"}
    assert failed == fails, (
        f"{context}: failed {sorted(failed)}, expected {sorted(fails)}; "
        f"{[(c.id, c.status, c.message) for c in report.checks if c.status != 'passed']}")
    requires = {c.id: c.requires for c in spec.checks}
    messages = {}
    for check in report.checks:
        assert check.status in ("passed", "failed", "blocked"), (context, check.id, check.message)
        if check.status == "blocked":
            assert any(status[d] != "passed" for d in requires[check.id]), (context, check.id)
        if check.status == "failed":
            assert check.message, (context, check.id)
            assert check.hint or not hinted, (context, check.id, "no hint", check.message)
            assert "{" not in check.message and "Traceback" not in check.message, (
                context, check.id, check.message)
            messages[check.id] = check.message
    return messages


#: Topics whose exercises only need user-space tools and a scratch folder.
HOST_LEVEL_TOPICS = {"qemu-img"}


def host_level_exercises() -> list[str]:
    """The exercises safe to solve on this machine: a host-level topic and a ``workdir``.
    (Exercises on kernel features — LVM on spare disks, namespaces, networks — change the
    machine they run on: they are tested on the sandbox VM.)"""
    return [name for name in exercises.names()
            if (spec := exercises.load(name)).topic in HOST_LEVEL_TOPICS
            and "workdir" in spec.params]


#: A machine id that is not this machine's: the student hosts' (see ``student_host``).
STUDENT_MACHINE_ID = "5ad1e7c0ffee4b1dbeefcafe00000001"


def student_host_config(directory: Path, machine_id: str = STUDENT_MACHINE_ID) -> str:
    """sshd_config lines that run every session in its own mount namespace, where
    /etc/machine-id holds ``machine_id``: the throwaway sshd then reads as another machine, as
    a student's lab host does, not as the grading machine itself (which earns no marks)."""
    import shlex

    directory.mkdir(parents=True, exist_ok=True)
    mid = directory / "machine-id"
    mid.write_text(machine_id + "\n", encoding="utf-8")
    script = directory / "as-student-host.sh"
    script.write_text(
        "#!/bin/sh\n"
        "exec unshare -m /bin/sh -c 'mount --bind \"$1\" /etc/machine-id && "
        "exec bash -c \"$SSH_ORIGINAL_COMMAND\"' sh " + shlex.quote(str(mid)) + "\n",
        encoding="utf-8")
    script.chmod(0o755)
    return f"ForceCommand {script}\n"


def student_host(directory: Path, machine_id: str = STUDENT_MACHINE_ID) -> Any:
    """A started LocalSSHHost that reads as a student's machine (``student_host_config``);
    the caller stops it."""
    from labkit.testing.sshd import LocalSSHHost

    config = "SetEnv SHLVL=1\n" + student_host_config(directory / "identity", machine_id)
    return LocalSSHHost(extra_config=config).start()
