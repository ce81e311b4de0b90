"""Grading one host is ONE remote command for all its probes, and it runs with LC_ALL=C."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest

from labkit import exercises
from labkit.checks.engine import probes_for
from labkit.checks.spec import bind
from labkit.grading import grade
from labkit.host import Host
from labkit.probes.base import Probe
from labkit.testing.sshd import LocalSSHHost
from labkit.transports import CommandResult, Transport, open_transport
from labkit.transports.base import COLLECTOR_PREFIX
from tests.helpers import host_level_exercises


class CountingTransport(Transport):
    """Passes every command to a real transport and remembers it."""

    def __init__(self, inner: Transport) -> None:
        self.inner, self.url = inner, inner.url
        self.calls: list[tuple[str, bytes | None]] = []

    def run(self, command: str, *, timeout: float = 30.0,
            stdin: bytes | None = None) -> CommandResult:
        self.calls.append((command, stdin))
        return self.inner.run(command, timeout=timeout, stdin=stdin)

    def close(self) -> None:
        self.inner.close()


@pytest.mark.sshd
@pytest.mark.parametrize("name", host_level_exercises())
def test_grading_a_host_is_one_round_trip(lab_host: LocalSSHHost, name: str,
                                          workdir: Path) -> None:
    spec = exercises.load(name)
    params = {"workdir": str(workdir)}
    counting = CountingTransport(open_transport(lab_host.url))
    with Host(counting) as host:
        solved = exercises.run_script(Host(counting.inner), exercises.solution(name), spec,
                                      params)
        assert solved.ok, solved.tail()
        report = grade(spec, {"host": host}, lang="en", params=params)
    assert report.complete, report.to_json()

    assert len(counting.calls) == 1, [c[0][:60] for c in counting.calls]
    command, stdin = counting.calls[0]
    assert command.startswith(COLLECTOR_PREFIX)
    assert "LC_ALL=C exec python3" in command
    assert stdin is not None
    payload = json.loads(stdin)
    wanted = probes_for(bind(spec, params))["host"]
    # Every probe the checks need, each once (checks that share a probe share its run).
    assert sorted(p["id"] for p in payload["probes"]) == sorted(p.key for p in wanted)
    assert len({p["cmd"] for p in payload["probes"]}) == len(payload["probes"])


@dataclass(frozen=True)
class _Environment(Probe):
    """The environment of the collector process (the probe shell's parent) and of a probe."""

    timeout: ClassVar[float] = 10.0

    def command(self) -> str:
        return ("tr '\\0' '\\n' < /proc/$PPID/environ | grep -E '^(LC_ALL|LANG)='; "
                "echo ---; echo \"LC_ALL=$LC_ALL\"; ls /no-such-file-labkit 2>&1; true")

    def parse(self, result: CommandResult) -> Any:
        collector, _, probe = result.stdout.partition("---\n")
        return {"collector": collector.split(), "probe": probe.splitlines()}


# Set after the class is made, so that this test probe is not registered in PROBES.
_Environment.name = "test.environment"  # type: ignore[misc]


@pytest.mark.parametrize("url", [pytest.param("ssh", marks=pytest.mark.sshd), "local"])
def test_collector_runs_with_lc_all_c(url: str, request: pytest.FixtureRequest) -> None:
    host_url = request.getfixturevalue("lab_host").url if url == "ssh" else "local://"
    with Host(host_url) as host:
        outcome = host.collect([_Environment()])[_Environment().key]
        plain = host.run("echo \"LC_ALL=$LC_ALL\"")
    assert outcome.ok, outcome.error
    assert "LC_ALL=C" in outcome.value["collector"]
    assert outcome.value["probe"][0] == "LC_ALL=C"
    # English, untranslated tool messages: what the parsers expect.
    assert "No such file or directory" in outcome.value["probe"][1]
    assert plain.stdout.strip() == "LC_ALL=C"
