"""The exercise ``intro-container``: a container made by hand (namespaces + a cgroup v2 group).

- Offline (no mark): the probes' parsers on outputs recorded from the sandbox VM, and the check
  kinds on those facts.
- ``sandbox``: on one real ``single`` lab VM (module fixture), with one student's own names
  and limits (variants): the solution scores full marks (another student's values do not),
  each fault fails exactly the checks its ``# labkit-fails:`` line names (the others pass or
  are blocked behind one that failed), in Galician and English; a fresh host scores 0.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from labkit import exercises
from labkit.checks import KINDS
from labkit.checks.base import Facts, ProbeUnavailable
from labkit.checks.spec import bind
from labkit.grading.context import GradingContext
from labkit.host import Host, Outcome
from labkit.i18n import CATALOG, LANGS, text
from labkit.probes.container import CgroupInfo, CgroupMembers, parse_cpu_max, parse_max
from labkit.sandbox import Lab, lab_hosts, running_lab
from labkit.transports.base import CommandResult
from tests.checks.examples_container import ARGS as CONTAINER_ARGS

NAME = "intro-container"
CG = "/sys/fs/cgroup/labkit-box"

# -- offline: parsers and checks ---------------------------------------------------------------
#: What the host-side scripts printed on the sandbox VM after the solution (trimmed).
CGROUP_OUT = {
    "v2": True, "state": "ok",
    "files": {"cgroup.procs": "569\n", "cgroup.controllers": "cpu memory pids\n",
              "cgroup.type": "domain\n", "memory.max": "67108864\n", "memory.swap.max": "0\n",
              "memory.current": "4096\n",
              "memory.events": "low 0\nhigh 0\nmax 67\noom 1\noom_kill 1\noom_group_kill 0\n",
              "cpu.max": "20000 100000\n",
              "cpu.stat": "usage_usec 7400554\nnr_periods 378\nnr_throttled 18\n",
              "pids.max": "max\n"}}
MEMBERS_OUT = {
    "host": {"ns": {"pid": "pid:[4026531836]", "uts": "uts:[4026531838]",
                    "net": "net:[4026531840]", "mnt": "mnt:[4026531841]",
                    "ipc": "ipc:[4026531839]"}, "hostname": "host"},
    "state": "ok", "count": 1,
    "members": [{"pid": 569, "comm": "sleep", "hostname": "labkit-box",
                 "status": "Name:\tsleep\nNSpid:\t569\t1\n",
                 "ns": {"pid": "pid:[4026532365]", "uts": "uts:[4026532364]",
                        "net": "net:[4026532366]", "mnt": "mnt:[4026532363]",
                        "ipc": "ipc:[4026531839]"},
                 "net_dev": "Inter-|   Receive\n face |bytes\n    lo:       0       0\n"}]}


def _result(stdout: str, exit_code: int = 0, stderr: str = "") -> CommandResult:
    return CommandResult(command="python3 -c …", exit_code=exit_code, stdout=stdout,
                         stderr=stderr)


def _ok(data: Any) -> CommandResult:
    return _result(json.dumps(data))


def _facts(cgroup: Any, members: Any) -> Facts:
    return Facts({CgroupInfo(CG).key: Outcome(value=CgroupInfo(CG).parse(_ok(cgroup))),
                  CgroupMembers(CG).key: Outcome(value=CgroupMembers(CG).parse(_ok(members)))})


def _statuses(facts: Facts) -> dict[str, bool]:
    spec = exercises.load(NAME)
    return {c.spec.id: c.kind.evaluate(c.args, facts).passed for c in bind(spec, None)}


def test_parsers() -> None:
    info = CgroupInfo(CG).parse(_ok(CGROUP_OUT))
    assert info["memory_max"] == 64 << 20 and info["swap_max"] == 0
    assert info["cpu_max"] == {"quota": 20000, "period": 100000}
    assert info["procs"] == [569] and info["memory_events"]["oom_kill"] == 1
    assert info["pids_max"] is None and info["controllers"] == ["cpu", "memory", "pids"]
    members = CgroupMembers(CG).parse(_ok(MEMBERS_OUT))
    assert members["members"][0]["nspid"] == [569, 1]
    assert members["members"][0]["interfaces"] == ["lo"]
    assert parse_max("max\n") is None and parse_cpu_max("max 100000") == {
        "quota": None, "period": 100000}
    assert CgroupInfo(CG).parse(_ok({"v2": False, "state": "missing"})) == {
        "state": "missing", "v2": False}


@pytest.mark.parametrize("output", ["", "not json", "[]", '{"state": "weird"}'])
def test_parsers_refuse_nonsense(output: str) -> None:
    from labkit.errors import ProbeError

    for probe in (CgroupInfo(CG), CgroupMembers(CG)):
        with pytest.raises(ProbeError):
            probe.parse(_result(output))
    with pytest.raises(ProbeError, match="python3"):
        CgroupInfo(CG).parse(_result("", 127, "python3: not found"))


def test_commands_quote_the_path() -> None:
    evil = "/sys/fs/cgroup/x'; rm -rf /"
    assert "'/sys/fs/cgroup/x'\"'\"'; rm -rf /'" in CgroupInfo(evil).command()
    assert CgroupMembers(evil).command().startswith("python3 -c '")


def test_checks_on_recorded_facts() -> None:
    assert all(_statuses(_facts(CGROUP_OUT, MEMBERS_OUT)).values())
    unlimited = json.loads(json.dumps(CGROUP_OUT))
    unlimited["files"]["memory.max"] = "max\n"
    unlimited["files"]["cpu.max"] = "max 100000\n"
    got = _statuses(_facts(unlimited, MEMBERS_OUT))
    assert {k for k, v in got.items() if not v} == {"memory-limit", "cpu-limit"}
    shared = json.loads(json.dumps(MEMBERS_OUT))
    shared["members"][0]["ns"]["net"] = shared["host"]["ns"]["net"]
    shared["members"][0]["hostname"] = "host"
    got = _statuses(_facts(CGROUP_OUT, shared))
    assert {k for k, v in got.items() if not v} == {"net-namespace", "uts-namespace"}
    no_v2 = {"v2": False, "state": "missing"}
    got = _statuses(_facts(no_v2, {"host": MEMBERS_OUT["host"], "state": "missing"}))
    assert not any(got.values())


# Facts of every shape the parsers produce, to reach every message (tests/test_i18n.py style),
# for the container kinds' example arguments: the generic tests' own (CONTAINER_ARGS).


def container_values() -> list[dict[str, Any]]:
    host_ns = {n: f"{n}:[1]" for n in ("pid", "uts", "net", "mnt", "ipc")}
    own_ns = {n: f"{n}:[2]" for n in host_ns}
    base = {"state": "ok", "v2": True, "procs": [5], "controllers": ["cpu", "memory"],
            "memory_max": 64 << 20, "swap_max": 0, "cpu_max": {"quota": 20000, "period": 100000},
            "pids_max": None, "has_memory": True, "has_cpu": True,
            "memory_events": {"oom_kill": 1}, "cpu_stat": {"nr_throttled": 3}}
    cgroups = [base, {**base, "procs": []}, {**base, "memory_max": None},
               {**base, "memory_max": 1 << 20}, {**base, "has_memory": False},
               {**base, "cpu_max": None}, {**base, "cpu_max": {"quota": None, "period": 100000}},
               {**base, "cpu_max": {"quota": 1, "period": 100000}},
               {**base, "memory_events": {}, "cpu_stat": {}},
               {"state": "missing", "v2": True}, {"state": "missing", "v2": False},
               {"state": "not-cgroup", "v2": True}]
    member = {"pid": 5, "comm": "sleep", "nspid": [5, 1], "ns": own_ns,
              "hostname": "labkit-box", "interfaces": ["lo"]}
    host = {"ns": host_ns, "hostname": "host"}
    members = [{"state": "ok", "count": 1, "host": host, "members": [m]} for m in (
        member, {**member, "ns": host_ns}, {**member, "hostname": "host"},
        {**member, "interfaces": ["lo", "eth0"]})]
    members += [{"state": "ok", "count": 0, "host": host, "members": []},
                {"state": "missing", "host": host}]
    return cgroups + members


class _Everything(Facts):
    def __init__(self, value: Any) -> None:
        super().__init__({})
        self.value = value

    def __getitem__(self, probe: Any) -> Any:
        return self.value


def test_every_container_message_is_reached_and_formats() -> None:
    seen = set()
    for kind, arg_list in CONTAINER_ARGS.items():
        for raw in arg_list:
            args = KINDS[kind].Args.model_validate(raw)
            for value in container_values():
                try:
                    verdict = KINDS[kind]().evaluate(args, _Everything(value))
                except (KeyError, TypeError, AttributeError, ProbeUnavailable):
                    continue  # a value of the other probe's shape
                for lang in LANGS:
                    message = text(verdict.key, lang, **verdict.values)
                    assert "{" not in message and "None" not in message, message
                seen.add(verdict.key)
    assert {k for k in CATALOG if k.startswith("container.")} == seen
    assert set(CONTAINER_ARGS) == {k for k in KINDS if k.startswith("container.")}


# -- on the sandbox VM ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def container_lab(lab_image: Any, timings: dict[str, float]) -> Iterator[Lab]:
    started = time.monotonic()
    with running_lab("single", "e2e-intro-container") as lab:
        timings["lab up single (intro-container)"] = round(time.monotonic() - started, 1)
        yield lab


STUDENT = "ana.lopez"
SALT = "sandbox-course-secret"


def _context(student: str = STUDENT, lang: str = "en") -> GradingContext:
    return GradingContext.build(NAME, student=student, salt=SALT, lang=lang, hint_level=3,
                                need_hosts=False, env={})


def _run_and_grade(lab: Lab, fault: str | None) -> dict[str, Any]:
    context = _context()
    scripts = [exercises.solution(NAME)]
    if fault is not None:
        scripts.append(exercises.fault(NAME, fault).path)
    with Host(lab_hosts(lab.name)["host"]) as host:
        for script in scripts:
            result = exercises.run_script(host, script, context.spec, context.params,
                                          timeout=240)
            assert result.ok, f"{script.name} failed ({result.exit_code}): {result.tail()}"
        reports = {lang: _context(lang=lang).grade({"host": host}) for lang in LANGS}
        if fault is None:
            reports["other student"] = _context("brais.vila").grade({"host": host})
        return reports


@pytest.mark.sandbox
@pytest.mark.timeout(900)
def test_solution_scores_full_marks(container_lab: Lab) -> None:
    reports = _run_and_grade(container_lab, None)
    assert reports.pop("other student").score < 10
    for lang, report in reports.items():
        bad = [(c.id, c.status, c.message) for c in report.checks if c.status != "passed"]
        assert not bad, f"[{lang}] {bad}"
        assert report.score == report.max_score == 10
    messages = {c.id: c.message for c in reports["en"].checks}
    assert "inside it, it is PID 1" in messages["pid-namespace"]
    assert "sees only lo" in messages["net-namespace"]


@pytest.mark.sandbox
@pytest.mark.timeout(900)
@pytest.mark.parametrize("fault", [f.name for f in exercises.faults(NAME)])
def test_fault_fails_exactly_its_checks(container_lab: Lab, fault: str) -> None:
    spec = exercises.load(NAME)
    expected = exercises.fault(NAME, fault).fails
    requires = {c.id: c.requires for c in spec.checks}
    reports = _run_and_grade(container_lab, fault)
    for lang, report in reports.items():
        status = {c.id: c.status for c in report.checks}
        assert {i for i, s in status.items() if s == "failed"} == expected, (lang, status)
        for check in report.checks:
            assert check.status in ("passed", "failed", "blocked"), (check.id, check.message)
            if check.status == "blocked":
                assert any(status[d] in ("failed", "blocked") for d in requires[check.id])
            if check.status == "failed":
                assert check.hint, check.id
                assert "{" not in check.message and "None" not in check.message
        assert report.score < report.max_score
    gl = {c.id: c.message for c in reports["gl"].checks if c.status == "failed"}
    en = {c.id: c.message for c in reports["en"].checks if c.status == "failed"}
    assert all(gl[k] != en[k] for k in gl)


@pytest.mark.sandbox
@pytest.mark.timeout(300)
def test_fresh_host_fails_without_errors(container_lab: Lab) -> None:
    """Before the student does anything (after a reset), the group is missing: a message, no
    probe error."""
    container_lab.reset("host")
    with Host(lab_hosts(container_lab.name)["host"]) as host:
        report = _context().grade({"host": host})
    assert report.score == 0
    status = {c.id: c.status for c in report.checks}
    assert status["cgroup-exists"] == "failed"
    assert set(status.values()) == {"failed", "blocked"}
    assert "does not exist" in report.checks[0].message
