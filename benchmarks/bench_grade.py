"""Benchmark: grading the qemu-img exercises with labkit vs pytest-testinfra.

Both grade the SAME checks (graders/qemu-img-*.yaml; benchmarks/testinfra_qemu_img.py) on the
same real lab host: a throwaway sshd on 127.0.0.1 that is already listening, with the
exercises' solutions applied. Two sets of figures, each repetition interleaved:

**Whole processes** (what a student's "Check my work" or a teacher's command costs, Python's
start-up and imports included), each a fresh process with a new SSH connection:

- floor: a bare Python process that imports paramiko, opens one connection and runs one
  command (``true``): the least any one-round-trip grader can cost;
- ``labkit grade qemu-img-basics --host URL`` (the console script), against the floor
  (goal: at most 1.5x);
- the two qemu-img exercises: one ``labkit grade qemu-img-basics qemu-img-snapshots
  --roster`` process (a one-student roster: one connection, one round trip for both
  exercises' probes) against one ``pytest --hosts=paramiko://…
  benchmarks/testinfra_qemu_img.py`` process, both graders in one process each (goal: 8x);
  and, for reference, two ``labkit grade`` processes (two starts, two connections).

**In process** (the grading alone, imports done), each repetition a NEW SSH connection for each
tool (its setup is counted), both exercises:

- labkit: ``Host(url)`` + ``grade()`` per exercise: one remote command (round trip) for all of
  an exercise's probes;
- testinfra: the paramiko backend, one remote command per check, the test module run by
  pytest in-process; counted is the time pytest reports for the tests themselves (setup, call
  and teardown of every test, so the connection too), not pytest's own start-up and
  collection (shown apart as "pytest wall").

Run::

    .venv/bin/python benchmarks/bench_grade.py            # 20 repetitions, both sets
    .venv/bin/python benchmarks/bench_grade.py -n 50 --with-bashrc
    .venv/bin/python benchmarks/bench_grade.py --only processes
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from labkit import exercises
from labkit.checks.spec import spec_params
from labkit.grading import grade
from labkit.host import Host
from labkit.testing.sshd import LocalSSHHost
from labkit.transports import CommandResult, Transport, open_transport

EXERCISES = ("qemu-img-basics", "qemu-img-snapshots")
ENV = {"qemu-img-basics": "LABKIT_BENCH_BASICS", "qemu-img-snapshots": "LABKIT_BENCH_SNAPSHOTS"}
TESTINFRA_MODULE = Path(__file__).with_name("testinfra_qemu_img.py")


class _Counting(Transport):
    def __init__(self, inner: Transport) -> None:
        self.inner, self.url, self.calls = inner, inner.url, 0

    def run(self, command: str, *, timeout: float = 30.0,
            stdin: bytes | None = None) -> CommandResult:
        self.calls += 1
        return self.inner.run(command, timeout=timeout, stdin=stdin)

    def close(self) -> None:
        self.inner.close()


def labkit_once(url: str, workdirs: dict[str, str]) -> tuple[float, int]:
    """Connect, grade both exercises, close. Returns (seconds, remote commands)."""
    specs = {name: exercises.load(name) for name in EXERCISES}  # (outside the timing)
    started = time.perf_counter()
    transport = _Counting(open_transport(url))
    with Host(transport) as host:
        for name, spec in specs.items():
            report = grade(spec, {"host": host}, params={"workdir": workdirs[name]})
            if not report.complete:
                raise SystemExit(f"labkit: {name} not at full marks:\n{report.to_json()}")
    return time.perf_counter() - started, transport.calls


class _TestinfraTimer:
    """A pytest plugin: adds up the durations of every test's setup, call and teardown."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.failed: list[str] = []
        self.tests = 0

    def pytest_runtest_logreport(self, report: Any) -> None:
        self.seconds += report.duration
        if report.when == "call":
            self.tests += 1
        if report.failed:
            self.failed.append(f"{report.nodeid}: {report.longreprtext[-500:]}")


def testinfra_once(hostspec: str) -> tuple[float, float, int]:
    """One pytest run of the testinfra module on a fresh connection.
    Returns (seconds in the tests, pytest wall seconds, remote commands)."""
    import testinfra.backend.paramiko as tparamiko
    import testinfra.host

    # testinfra keeps its hosts (and their connections) for the life of the process:
    # forget them, so that every repetition connects again, as labkit does.
    for cache in (testinfra.host.Host._host_cache, testinfra.host.Host._hosts_cache):
        for value in list(cache.values()):
            for host in value if isinstance(value, list) else [value]:
                if "client" in host.backend.__dict__:
                    host.backend.client.close()
        cache.clear()
    calls = 0
    original = tparamiko.ParamikoBackend.run

    def counting_run(self: Any, command: str, *args: str, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        return original(self, command, *args, **kwargs)

    timer = _TestinfraTimer()
    tparamiko.ParamikoBackend.run = counting_run  # type: ignore[method-assign]
    started = time.perf_counter()
    try:
        with contextlib.redirect_stdout(io.StringIO()) as out:
            code = pytest.main([str(TESTINFRA_MODULE), "-q", "-p", "no:cacheprovider",
                                "-p", "no:timeout", "-W", "ignore", f"--hosts={hostspec}"],
                               plugins=[timer])
    finally:
        tparamiko.ParamikoBackend.run = original  # type: ignore[method-assign]
    wall = time.perf_counter() - started
    if code != 0 or timer.failed or timer.tests == 0:
        raise SystemExit(f"testinfra: exit {code}\n" + "\n".join(timer.failed)
                         + out.getvalue()[-2000:])
    return timer.seconds, wall, calls


#: The floor: a bare Python process, one paramiko connection, one command.
FLOOR = """
import sys, paramiko
host, port, user, key, known = sys.argv[1:6]
client = paramiko.SSHClient()
client.load_host_keys(known)
client.connect(host, int(port), user, key_filename=key, look_for_keys=False,
               allow_agent=False, timeout=10)
_, out, _ = client.exec_command("true")
sys.exit(out.channel.recv_exit_status())
"""
BIN = Path(sys.executable).parent


def _environment() -> dict[str, str]:
    """The processes' environment: without labkit's and pytest's settings, and without
    PYTHONDONTWRITEBYTECODE, so that the warm-up leaves the .pyc files an installed package
    has (else every module changed since the last write is compiled again in every run)."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("LABKIT_", "PYTEST")) and k != "PYTHONDONTWRITEBYTECODE"}


#: CPU seconds (user + system) of the last process_once's process: unlike wall time, barely
#: moved by other work on a busy machine.
CPU: list[float] = []


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def process_once(argv: list[str], env: dict[str, str] | None = None) -> float:
    """Seconds for one whole process (start-up to exit); it must succeed. Its CPU seconds
    are appended to ``CPU``."""
    cpu = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300,
                          env=env or _environment(), cwd=Path(__file__).parent)
    seconds = time.perf_counter() - started
    CPU.append(_children_cpu() - cpu)
    if done.returncode != 0:
        raise SystemExit(f"{shlex.join(argv)}: exit {done.returncode}\n"
                         f"{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return seconds


def processes(lab: LocalSSHHost, workdirs: dict[str, str], hostspec: str,
              repetitions: int) -> None:
    """The whole-process figures (see the module docstring)."""
    floor = [sys.executable, "-c", FLOOR, "127.0.0.1", str(lab.port), lab.user, str(lab.key),
             str(lab.known_hosts)]
    grade_cmd = {name: [str(BIN / "labkit"), "grade", name, "--host", lab.url, "--param",
                        f"workdir={workdirs[name]}"] for name in EXERCISES}
    testinfra = [str(BIN / "pytest"), str(TESTINFRA_MODULE), "-q", "-p", "no:cacheprovider",
                 "-p", "no:timeout", "-W", "ignore", f"--hosts={hostspec}"]
    tenv = {**_environment(), **{ENV[n]: workdirs[n] for n in EXERCISES}}
    # Both exercises in ONE labkit process, as a teacher grades several (a one-student
    # roster pinning every parameter to the value the solutions used).
    roster = Path(workdirs[EXERCISES[0]]).parent / "roster.csv"
    values = {name: {**spec_params(exercises.load(name)), "workdir": workdirs[name]}
              for name in EXERCISES}
    columns = [(n, k) for n in EXERCISES for k in sorted(values[n])]
    roster.write_text("id,host," + ",".join(f"param:{n}:{k}" for n, k in columns) + "\n"
                      + f"bench,{lab.url}," + ",".join(values[n][k] for n, k in columns)
                      + "\n", encoding="utf-8")
    out = roster.parent / "class-out"
    one_process = [str(BIN / "labkit"), "grade", *EXERCISES, "--roster", str(roster), "--out",
                   str(out), "--format", "json"]
    times: dict[str, list[float]] = {"floor": [], "basics": [], "both": [], "one": [],
                                     "testinfra": []}
    cpu: dict[str, list[float]] = {name: [] for name in times}
    for _ in range(2):  # warm-up: page cache, .pyc files
        process_once(floor), process_once(grade_cmd[EXERCISES[0]])
        process_once(testinfra, tenv)
    for _ in range(repetitions):  # interleaved: every tool sees the same machine load
        times["floor"].append(process_once(floor))
        cpu["floor"].append(CPU[-1])
        basics = process_once(grade_cmd["qemu-img-basics"])
        times["basics"].append(basics)
        cpu["basics"].append(CPU[-1])
        times["both"].append(basics + process_once(grade_cmd["qemu-img-snapshots"]))
        cpu["both"].append(cpu["basics"][-1] + CPU[-1])
        times["one"].append(process_once(one_process))
        cpu["one"].append(CPU[-1])
        for name in EXERCISES:  # the roster run graded both at full marks
            summary = json.loads((out / name / "summary.json").read_text(encoding="utf-8"))
            row = summary["students"][0]
            if row["score"] != row["max_score"] or not row["max_score"]:
                raise SystemExit(f"labkit --roster: {name} not at full marks: {row}")
        times["testinfra"].append(process_once(testinfra, tenv))
        cpu["testinfra"].append(CPU[-1])
    print(f"Whole processes, {repetitions} repetitions (median, [min-max]):")
    print(_row("floor (paramiko, 1 cmd)", times["floor"]))
    print(_row("labkit grade basics", times["basics"]))
    print(_row("labkit grade both (2 proc)", times["both"]))
    print(_row("labkit grade both --roster", times["one"]))
    print(_row("testinfra both (pytest)", times["testinfra"]))
    ratios = [b / f for b, f in zip(times["basics"], times["floor"], strict=True)]
    speed = [t / b for t, b in zip(times["testinfra"], times["both"], strict=True)]
    print(f"labkit grade / floor: {statistics.median(ratios):.2f}x median "
          f"[{min(ratios):.2f}-{max(ratios):.2f}] (goal <= 1.5x)")
    print(f"testinfra / labkit (both exercises, 2 processes): {statistics.median(speed):.2f}x "
          f"median [{min(speed):.2f}-{max(speed):.2f}]")
    speed = [t / b for t, b in zip(times["testinfra"], times["one"], strict=True)]
    print(f"testinfra / labkit (both, one process each): {statistics.median(speed):.2f}x median "
          f"[{min(speed):.2f}-{max(speed):.2f}] (goal >= 8x)")
    print("CPU seconds of the process itself (user + system; the lab host's side not "
          "counted), median: " + ", ".join(f"{name} {statistics.median(v) * 1000:.0f} ms"
                                             for name, v in cpu.items()))
    median = {name: statistics.median(v) for name, v in cpu.items()}
    print(f"  labkit grade / floor: {median['basics'] / median['floor']:.2f}x; "
          f"testinfra / labkit (both): {median['testinfra'] / median['both']:.2f}x; "
          f"(both, one process): {median['testinfra'] / median['one']:.2f}x")
    print(f"  (machine load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")


def _row(name: str, times: list[float]) -> str:
    return (f"{name:<24} median {statistics.median(times) * 1000:8.1f} ms   "
            f"total {sum(times):7.2f} s   min {min(times) * 1000:7.1f} ms   "
            f"max {max(times) * 1000:7.1f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--repetitions", type=int, default=20)
    parser.add_argument("--with-bashrc", action="store_true",
                        help="let bash read root's ~/.bashrc for every command, as sshd makes it "
                             "do (by default SHLVL=1 stops that, as on a lab VM whose stock "
                             ".bashrc costs nothing: a developer's pyenv/conda setup would "
                             "dominate the figures)")
    parser.add_argument("--only", choices=("processes", "in-process"),
                        help="only one set of figures (default: both)")
    args = parser.parse_args(argv)

    extra = "" if args.with_bashrc else "SetEnv SHLVL=1\n"
    with tempfile.TemporaryDirectory(prefix="labkit-bench-") as tmp, \
            LocalSSHHost(extra_config=extra) as lab:
        workdirs = {name: str(Path(tmp) / name) for name in EXERCISES}
        with Host(lab.url) as host:
            for name in EXERCISES:
                result = exercises.run_script(host, exercises.solution(name),
                                              exercises.load(name), {"workdir": workdirs[name]})
                if not result.ok:
                    raise SystemExit(f"{name}: the solution failed: {result.tail()}")
        for name, variable in ENV.items():
            os.environ[variable] = workdirs[name]
        ssh_config = Path(tmp) / "ssh_config"
        ssh_config.write_text("Host 127.0.0.1\n  StrictHostKeyChecking no\n")
        hostspec = (f"paramiko://{lab.user}@127.0.0.1:{lab.port}"
                    f"?ssh_identity_file={lab.key}&ssh_config={ssh_config}")

        labkit_once(lab.url, workdirs)  # warm-up (imports, page cache, host key), not counted
        if args.only != "in-process":
            processes(lab, workdirs, hostspec, args.repetitions)
        if args.only == "processes":
            return 0
        testinfra_once(hostspec)

        labkit_times, testinfra_times, walls = [], [], []
        labkit_calls = testinfra_calls = testinfra_tests = 0
        for _ in range(args.repetitions):  # interleaved, so both see the same machine load
            seconds, labkit_calls = labkit_once(lab.url, workdirs)
            labkit_times.append(seconds)
            seconds, wall, testinfra_calls = testinfra_once(hostspec)
            testinfra_times.append(seconds)
            walls.append(wall)
        testinfra_tests = sum(1 for line in TESTINFRA_MODULE.read_text().splitlines()
                              if line.startswith("def test_"))

    checks = sum(len(exercises.load(name).checks) for name in EXERCISES)
    print(f"Grading {', '.join(EXERCISES)} ({checks} checks) on a local sshd"
          f"{' (root ~/.bashrc read per command)' if args.with_bashrc else ''}, "
          f"{args.repetitions} repetitions, a new SSH connection each:")
    print(_row(f"labkit ({labkit_calls} commands)", labkit_times))
    print(_row(f"testinfra ({testinfra_calls} cmds)", testinfra_times))
    print(_row("  (testinfra pytest wall)", walls))
    ratio = statistics.median(testinfra_times) / statistics.median(labkit_times)
    print(f"ratio testinfra/labkit: {ratio:.2f}x (median), "
          f"{sum(testinfra_times) / sum(labkit_times):.2f}x (total); "
          f"testinfra ran {testinfra_tests} tests")
    return 0


if __name__ == "__main__":
    sys.exit(main())
