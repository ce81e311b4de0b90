"""What the host layer does with an answer it cannot read: an AnswerError that carries the
command result (as Invoke's Failure does), one printable line for a person."""

from __future__ import annotations

import pytest

from labkit.errors import AnswerError, Failure, LabkitError, ProbeError, ScriptFailed
from labkit.host import Host
from labkit.probes.files import FileStat
from labkit.transports.base import CommandResult, Transport


class Answers(Transport):
    """A transport that answers every command with one fixed result."""

    url = "test://answers"

    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.answer = (exit_code, stdout, stderr)

    def run(self, command: str, *, timeout: float = 30.0,
            stdin: bytes | None = None) -> CommandResult:
        return CommandResult(command, *self.answer)


def test_an_answer_that_is_not_understood_carries_the_result() -> None:
    host = Host(Answers(1, "", "Traceback (most recent call last):\n\x1b[31mMemoryError\n"))
    with pytest.raises(AnswerError) as raised:
        host.collect([FileStat("/etc/hostname")])
    error = raised.value
    assert isinstance(error, Failure) and isinstance(error, ProbeError)
    assert error.exit_code == 1 and error.result.exit_code == 1
    assert error.command.startswith(": labkit-collect;")
    assert error.tail == "Traceback (most recent call last): [31mMemoryError"
    assert str(error) == ("test://answers: the lab host's answer was not understood "
                          "(exit code 1): Traceback (most recent call last): [31mMemoryError")
    assert "\x1b" not in str(error) and "\n" not in str(error)


def test_failure_classes_are_caught_as_their_older_names() -> None:
    result = CommandResult("sh -s", 2, "", "x: not found\n")
    script = ScriptFailed("solution.sh failed on the host host", result)
    assert isinstance(script, LabkitError) and isinstance(script, RuntimeError)
    assert isinstance(script, LookupError)  # ExerciseError, as before
    assert str(script) == "solution.sh failed on the host host (exit code 2): x: not found"
    huge = Failure("x", CommandResult("c", 1, "", "e" * 10_000))
    assert len(huge.tail) == 160
    binary = Failure("x", CommandResult("c", 1, "\x00\x01\x02" * 100, ""))
    assert binary.tail == "binary data, not text (300 characters)"
