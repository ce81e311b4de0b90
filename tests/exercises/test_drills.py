"""Every repair drill on the real VMs of ONE ``storage`` lab: the HA drills (lvm-thin-full,
lvm-raid-repair, iscsi-session-repair) and a repair drill per topic (repair-lvm, repair-nfs,
repair-iscsi, repair-network), each with one student's own values (``labkit.variants``, a
fixed course salt) taken from the grading context.

HA drills:

- a fresh lab scores 0 (every check failed or blocked);
- the drill's setup (``drill.setup``: ``exercises/<name>/setup[.<role>].sh``) leaves a broken
  host that does not score full marks;
- the solution, run on that broken state, scores full marks (one collection judged in gl and
  en), and the same hosts graded with another student's values score less;
- each fault (after the solution) fails exactly the checks it names, then its undo script
  brings the host back (the next fault's exact result proves it; the last is graded again).

Repair drills (``labkit.drills.break_hosts``, what ``labkit break`` runs, with a fixed seed):
a fresh lab scores 0; the drill leaves the student's hosts broken, every fault it applied
failing the checks it names; the solution then scores full marks (gl and en).

Drills are separated by a reset of the VMs they use (seconds: the warm snapshot); a drill that
unplugs a disk (lvm-raid-repair) gets it back with the reset. Drills that share nothing run at
the same time (``ROUNDS``), at most one one-host drill per VM: under TCG each VM keeps its own
core busy.

Under TCG on two cores the module took 341 s (lab up 5 s; rounds 189 s and 138 s); three rounds
(the iSCSI session drill on its own) took 368 s, and two pairs then one drill at a time 621 s on
a busier machine.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from labkit import drills, exercises
from labkit.checks.spec import spec_params
from labkit.grading import Report
from labkit.grading.context import GradingContext
from labkit.host import Host
from labkit.sandbox import Lab, lab_hosts, running_lab
from labkit.testing.memo import SameAnswer
from tests.helpers import assert_fault_report

pytestmark = [pytest.mark.sandbox, pytest.mark.timeout(1800)]

LAB = "drills-pytest"
SALT = "labkit-ci-drills"
STUDENT, OTHER = "alumna.drills", "alumno.outro"
DRILLS = ["lvm-thin-full", "lvm-raid-repair", "iscsi-session-repair"]
#: repair drill -> the seed it is broken with (each chooses two faults: two symptoms).
REPAIRS = {"repair-lvm": 4, "repair-nfs": 4, "repair-iscsi": 2, "repair-network": 4}
#: Rounds: each starts from both VMs reset; its lanes run at the same time, each lane's drills
#: one after the other, each (drill, VM of a one-host drill). Drills that run at the same time
#: on one VM never share a disk, a volume group, a folder or a service's configuration.
ROUNDS: list[list[list[tuple[str, str]]]] = [
    [[("lvm-thin-full", "server")], [("repair-lvm", "client")], [("repair-iscsi", "server")]],
    [[("repair-network", "server")], [("lvm-raid-repair", "client")],
     [("repair-nfs", "server"), ("iscsi-session-repair", "server")]],
]


@pytest.fixture(scope="module")
def lab(lab_image: object, timings: dict[str, float]) -> Iterator[Lab]:
    started = time.monotonic()
    with running_lab("storage", LAB) as lab:
        timings["drills: lab up storage (2 VMs)"] = round(time.monotonic() - started, 1)
        yield lab


def _context(name: str, student: str = STUDENT, lang: str = "en") -> GradingContext:
    return GradingContext.build(name, student=student, lang=lang, salt=SALT, need_hosts=False)


#: The lab's URLs, read once per round after its resets: lanes running side by side must not
#: each ask QEMU's monitor (one client at a time) whether the VMs run.
_URLS: dict[str, str] = {}


def _hosts(name: str, vm: str) -> dict[str, Host]:
    """The drill's hosts: a role of the lab by its name, a one-host drill's on ``vm``."""
    urls = _URLS or lab_hosts(LAB)
    return {role: Host(urls.get(role) or urls[vm]) for role in exercises.load(name).roles}


def _close(hosts: dict[str, Host]) -> None:
    for host in hosts.values():
        host.close()


def _status(report: Report) -> dict[str, str]:
    return {c.id: c.status for c in report.checks}


def _full(report: Report, context: str) -> None:
    __tracebackhide__ = True
    bad = [(c.id, c.status, c.message) for c in report.checks if c.status != "passed"]
    assert not bad, f"{context}: {bad}"
    assert report.score == report.max_score


def _full_in_both_languages(ctx: GradingContext, hosts: dict[str, Host], context: str) -> None:
    """Full marks, one collection judged in gl and en."""
    __tracebackhide__ = True
    memo = {role: Host(SameAnswer(h.transport)) for role, h in hosts.items()}
    for lang in ("gl", "en"):
        _full(dataclasses.replace(ctx, lang=lang).grade(memo), f"{context} [{lang}]")


def _fresh(ctx: GradingContext, hosts: dict[str, Host]) -> None:
    __tracebackhide__ = True
    fresh = dataclasses.replace(ctx, lang="gl").grade(hosts)
    assert set(_status(fresh).values()) <= {"failed", "blocked"}, fresh.checks
    assert fresh.score == 0


# -- the drills ----------------------------------------------------------------------------------
def _ha_drill(name: str, vm: str, timings: dict[str, float]) -> None:
    spec = exercises.load(name)
    ctx, other = _context(name), _context(name, OTHER)
    params = ctx.params
    assert params != spec_params(spec) and params != other.params, "no per-student values"
    hosts = _hosts(name, vm)
    try:
        started = time.monotonic()
        _fresh(ctx, hosts)
        exercises.run_scripts(hosts, exercises.setup_scripts(name), spec, params, timeout=600)
        broken = ctx.grade(hosts)
        assert broken.score < broken.max_score, "the drill's setup leaves nothing to repair"
        assert all(s in ("passed", "failed", "blocked") for s in _status(broken).values())
        timings[f"{name}: fresh + setup graded"] = round(time.monotonic() - started, 1)

        started = time.monotonic()
        exercises.run_scripts(hosts, exercises.solution_scripts(name), spec, params,
                              timeout=600)
        _full_in_both_languages(ctx, hosts, f"{name} solution")
        assert other.grade(hosts).score < spec.max_score
        timings[f"{name}: solution graded"] = round(time.monotonic() - started, 1)

        started = time.monotonic()
        faults = exercises.faults(name)
        for index, fault in enumerate(faults):
            undo = list(fault.undo)
            assert undo, f"{name}/{fault.name} has no undo script"
            exercises.run_scripts(hosts, list(fault.scripts), spec, params, timeout=600)
            lang = ("gl", "en")[index % 2]
            report = dataclasses.replace(ctx, lang=lang).grade(hosts)
            # The student's hint level (2): a check with only the full command shows no hint.
            assert_fault_report(report, spec, fault.fails, f"{name}/{fault.name} [{lang}]",
                                hinted=False)
            exercises.run_scripts(hosts, undo, spec, params, timeout=600)
        _full(ctx.grade(hosts), f"{name} after undoing every fault")
        timings[f"{name}: {len(faults)} faults, graded and undone"] = round(
            time.monotonic() - started, 1)
    finally:
        _close(hosts)


def _repair_drill(name: str, vm: str, timings: dict[str, float]) -> None:
    spec = exercises.load(name)
    ctx = _context(name)
    assert ctx.params != spec_params(spec), "no per-student values"
    hosts = _hosts(name, vm)
    try:
        started = time.monotonic()
        _fresh(ctx, hosts)
        done = drills.break_hosts(ctx, seed=REPAIRS[name], hosts=hosts)
        assert done.faults and done.seed == REPAIRS[name]
        report = dataclasses.replace(ctx, lang="gl").grade(hosts)
        assert report.error is None and report.score < report.max_score
        status = _status(report)
        failed = {i for i, s in status.items() if s == "failed"}
        for fault in done.faults:
            assert exercises.fault(name, fault).fails <= failed, (
                f"{name}/{fault}: {[(c.id, c.status, c.message) for c in report.checks]}")
        assert set(status.values()) <= {"passed", "failed", "blocked"}
        timings[f"{name}: broken ({' + '.join(done.faults)}) and graded"] = round(
            time.monotonic() - started, 1)

        started = time.monotonic()
        exercises.run_scripts(hosts, exercises.solution_scripts(name), spec, ctx.params,
                              timeout=600)
        _full_in_both_languages(ctx, hosts, f"{name} repaired")
        timings[f"{name}: repaired and graded"] = round(time.monotonic() - started, 1)
    finally:
        _close(hosts)


def _run(name: str, vm: str, timings: dict[str, float]) -> None:
    drill: Callable[[str, str, dict[str, float]], None] = (
        _ha_drill if exercises.load(name).drill is not None else _repair_drill)
    drill(name, vm, timings)


# -- the tests -----------------------------------------------------------------------------------
def test_every_drill_declares_its_setup() -> None:
    drills_found = [n for n in exercises.names() if exercises.load(n).drill is not None]
    assert set(DRILLS) <= set(drills_found)
    for name in DRILLS:
        assert exercises.setup_scripts(name), name
        spec = exercises.load(name)
        failed_by_some_fault = set().union(*(f.fails for f in exercises.faults(name)))
        assert failed_by_some_fault == {c.id for c in spec.checks}, name


def test_the_modules_drills_are_every_drill() -> None:
    tested = [name for lanes in ROUNDS for lane in lanes for name, _ in lane]
    assert sorted(tested) == sorted(set(DRILLS) | set(REPAIRS))
    for name, seed in REPAIRS.items():  # two faults each: two symptoms to find
        assert len(drills.choose_faults(exercises.faults(name), seed)) == 2, name
    for lanes in ROUNDS:  # a VM runs one one-host drill at a time
        one_host = [vm for lane in lanes for name, vm in lane
                    if len(exercises.load(name).roles) == 1]
        assert len(one_host) == len(set(one_host))


def _lane(lane: list[tuple[str, str]], timings: dict[str, float]) -> list[BaseException]:
    errors: list[BaseException] = []
    for name, vm in lane:
        try:
            _run(name, vm, timings)
        except BaseException as exc:  # reported with the round's others
            errors.append(exc)
    return errors


@pytest.mark.parametrize("round_", range(len(ROUNDS)), ids=lambda i: " | ".join(
    " + ".join(name for name, _ in lane) for lane in ROUNDS[i]))
def test_round(lab: Lab, round_: int, timings: dict[str, float]) -> None:
    lanes = ROUNDS[round_]
    for host in ("server", "client"):
        lab.reset(host)
    _URLS.clear()
    _URLS.update(lab_hosts(LAB))
    started = time.monotonic()
    with ThreadPoolExecutor(len(lanes)) as pool:
        jobs = [pool.submit(_lane, lane, timings) for lane in lanes]
    errors = [error for job in jobs for error in job.result()]
    timings[f"round {round_ + 1} ({len(lanes)} lanes)"] = round(time.monotonic() - started, 1)
    if len(errors) > 1:
        for error in errors[1:]:
            errors[0].add_note(f"also: {type(error).__name__}: {error}")
    if errors:
        raise errors[0]
