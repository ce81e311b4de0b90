"""The repair drills (lvm-thin-full, lvm-raid-repair, iscsi-session-repair) on the real VMs of
ONE ``storage`` lab (LVM drills on the server VM).

For each drill, with one student's own values (``labkit.variants``, a fixed course salt):

- a fresh lab scores 0 (every check failed or blocked);
- the drill's setup (``drill.setup``: ``exercises/<name>/setup[.<role>].sh``) leaves a broken
  host that does not score full marks;
- the solution, run on that broken state, scores full marks (gl and en), and the same hosts
  graded with another student's values score less;
- each fault (after the solution) fails exactly the checks it names, then its undo script
  brings the host back (the next fault's exact result proves it; the last is graded again).

Drills are separated by a reset of both VMs (seconds: the warm snapshot); a drill that
unplugs a disk (lvm-raid-repair) gets it back with the reset.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from labkit import exercises
from labkit.checks.spec import ExerciseSpec
from labkit.grading import Report, grade
from labkit.host import Host
from labkit.sandbox import Lab, lab_hosts, running_lab
from labkit.variants import student_params

pytestmark = [pytest.mark.sandbox, pytest.mark.timeout(1800)]

LAB = "drills-pytest"
SALT = "labkit-ci-drills"
STUDENT, OTHER = "alumna.drills", "alumno.outro"
DRILLS = ["lvm-thin-full", "lvm-raid-repair", "iscsi-session-repair"]


@pytest.fixture(scope="module")
def lab(lab_image: object) -> Iterator[Lab]:
    with running_lab("storage", LAB) as lab:
        yield lab


def _hosts(spec: ExerciseSpec) -> dict[str, Host]:
    urls = lab_hosts(LAB)
    return {role: Host(urls.get(role) or urls["server"]) for role in spec.roles}


def _undo(name: str, fault: str, roles: list[str]) -> list[tuple[str, Path]]:
    folder = exercises.exercise_dir(name) / "faults"
    out = []
    for index, role in enumerate(roles):
        for candidate in [folder / f"{fault}.undo.{role}.sh"] + (
                [folder / f"{fault}.undo.sh"] if index == 0 else []):
            if candidate.exists():
                out.append((role, candidate))
                break
    return out


def _status(report: Report) -> dict[str, str]:
    return {c.id: c.status for c in report.checks}


def _full(report: Report, context: str) -> None:
    __tracebackhide__ = True
    bad = [(c.id, c.status, c.message) for c in report.checks if c.status != "passed"]
    assert not bad, f"{context}: {bad}"
    assert report.score == report.max_score


def test_every_drill_declares_its_setup() -> None:
    drills = [n for n in exercises.names() if exercises.load(n).drill is not None]
    assert set(DRILLS) <= set(drills)
    for name in DRILLS:
        assert exercises.setup_scripts(name), name
        spec = exercises.load(name)
        failed_by_some_fault = set().union(*(f.fails for f in exercises.faults(name)))
        assert failed_by_some_fault == {c.id for c in spec.checks}, name


@pytest.mark.parametrize("name", DRILLS)
def test_drill(lab: Lab, name: str, timings: dict[str, float]) -> None:
    for host in ("server", "client"):
        lab.reset(host)
    spec = exercises.load(name)
    params = student_params(spec, STUDENT, salt=SALT)
    other = student_params(spec, OTHER, salt=SALT)
    assert params and params != other, "the drill declares no per-student values"
    hosts = _hosts(spec)
    started = time.monotonic()

    fresh = grade(spec, hosts, lang="gl", params=params)
    assert set(_status(fresh).values()) <= {"failed", "blocked"}, fresh.checks
    assert fresh.score == 0

    exercises.run_scripts(hosts, exercises.setup_scripts(name), spec, params, timeout=600)
    broken = grade(spec, hosts, lang="en", params=params)
    assert broken.score < broken.max_score, "the drill's setup leaves nothing to repair"
    assert all(s in ("passed", "failed", "blocked") for s in _status(broken).values())
    timings[f"{name}: fresh + setup graded"] = round(time.monotonic() - started, 1)

    started = time.monotonic()
    exercises.run_scripts(hosts, exercises.solution_scripts(name), spec, params, timeout=600)
    for lang in ("gl", "en"):
        _full(grade(spec, hosts, lang=lang, params=params), f"{name} solution [{lang}]")
    assert grade(spec, hosts, lang="en", params=other).score < spec.max_score
    timings[f"{name}: solution graded"] = round(time.monotonic() - started, 1)

    started = time.monotonic()
    requires = {c.id: c.requires for c in spec.checks}
    faults = exercises.faults(name)
    for index, fault in enumerate(faults):
        undo = _undo(name, fault.name, spec.roles)
        assert undo, f"{name}/{fault.name} has no undo script"
        exercises.run_scripts(hosts, list(fault.scripts), spec, params, timeout=600)
        lang = ("gl", "en")[index % 2]
        report = grade(spec, hosts, lang=lang, params=params)
        status = _status(report)
        failed = {i for i, s in status.items() if s == "failed"}
        assert failed == fault.fails, (
            f"{name}/{fault.name} [{lang}]: failed {sorted(failed)}, expected "
            f"{sorted(fault.fails)}; {[(c.id, c.status, c.message) for c in report.checks]}")
        for check in report.checks:
            assert check.status in ("passed", "failed", "blocked"), (check.id, check.message)
            if check.status == "blocked":
                assert any(status[d] != "passed" for d in requires[check.id])
            if check.status == "failed":
                assert check.message and "{" not in check.message
        exercises.run_scripts(hosts, undo, spec, params, timeout=600)
    _full(grade(spec, hosts, lang="en", params=params), f"{name} after undoing every fault")
    timings[f"{name}: {len(faults)} faults, graded and undone"] = round(
        time.monotonic() - started, 1)
