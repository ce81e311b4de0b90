"""Fixtures of the class (teacher-side) tests: a small class of real local lab hosts.

``class_hosts`` starts, for the whole module, three healthy sshd lab hosts (students
``alumno0``…``alumno2``, each solved with their own variant values), a closed port (an
unreachable host) and an sshd that accepts the key but never runs the command (a hanging
host: ``ForceCommand sleep 600``). Every sshd is stopped at the end, even after failures.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from labkit import exercises
from labkit.checks.spec import ExerciseSpec
from labkit.grading.batch import student_params
from labkit.host import Host
from labkit.rosters import Student
from labkit.testing.sshd import SSHD_CANDIDATES, LocalSSHHost, free_port

EXERCISE = "qemu-img-basics"


@dataclass
class ClassHosts:
    good: list[LocalSSHHost]
    workdirs: list[Path]
    unreachable_url: str
    hanging: LocalSSHHost


def closed_port() -> int:
    """A loopback port nothing listens on."""
    port = free_port()
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0
    return port


def params_of(spec: ExerciseSpec, student: str, workdir: Path) -> dict[str, str]:
    """The values ``student`` is graded with (their own variants) in ``workdir``: what their
    solution must be run with."""
    return student_params(spec, Student(student, {"host": "local://"},
                                        params={"workdir": str(workdir)}))


@pytest.fixture(scope="module")
def spec() -> ExerciseSpec:
    return exercises.load(EXERCISE)


@pytest.fixture(scope="module")
def class_hosts(tmp_path_factory: pytest.TempPathFactory,
                spec: ExerciseSpec) -> Iterator[ClassHosts]:
    if not any(Path(p).exists() for p in SSHD_CANDIDATES):
        pytest.skip("OpenSSH server not installed (apt-get install openssh-server)")
    started: list[LocalSSHHost] = []
    try:
        good = []
        workdirs = []
        for i in range(3):
            host = LocalSSHHost().start()
            started.append(host)
            good.append(host)
            workdir = tmp_path_factory.mktemp(f"student{i}")
            workdirs.append(workdir)
            with Host(host.url) as h:
                result = exercises.run_script(h, exercises.solution(EXERCISE), spec,
                                              params_of(spec, f"alumno{i}", workdir))
                assert result.ok, result.stderr
        with Host(good[2].url) as h:  # the third student forgot the resize
            result = exercises.run_script(h, exercises.fault(EXERCISE, "not-grown").path,
                                          spec, params_of(spec, "alumno2", workdirs[2]))
            assert result.ok, result.stderr
        hanging = LocalSSHHost(extra_config="ForceCommand sleep 600\n").start()
        started.append(hanging)
        key = good[0].key
        unreachable = f"ssh://root@127.0.0.1:{closed_port()}?key={key}"
        yield ClassHosts(good, workdirs, unreachable, hanging)
    finally:
        for host in started:
            host.stop()
