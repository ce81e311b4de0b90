"""The capstone on the real VMs of ONE ``storage`` lab: network (VLAN, bridge, NAT), block
storage (LVM thin volume as an iSCSI LUN with CHAP and a udev name) and file storage (NFS with
root_squash, a qcow2 template and a clone), graded across the server and the client.

With one student's own values (``labkit.variants``, a fixed course salt): a fresh lab scores 0;
the solution scores full marks (gl and en) and the same hosts graded with another student's
values score less; each fault fails exactly the checks it names (graded once, languages
alternating), then its undo script restores the host — the next fault's exact result proves
it, and the last undo is graded again. No re-boot, no re-solve: one lab for the module.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from labkit import exercises
from labkit.grading import Report, grade
from labkit.host import Host
from labkit.sandbox import Lab, lab_hosts, running_lab
from labkit.variants import student_params
from tests.helpers import assert_fault_report

pytestmark = [pytest.mark.sandbox, pytest.mark.timeout(1800)]

LAB = "capstone-pytest"
SALT = "labkit-ci-capstone"
STUDENT, OTHER = "alumna.capstone", "alumno.outro"
NAME = "capstone"


@pytest.fixture(scope="module")
def lab(lab_image: object) -> Iterator[Lab]:
    with running_lab("storage", LAB) as lab:
        yield lab


def _full(report: Report, context: str) -> None:
    __tracebackhide__ = True
    bad = [(c.id, c.status, c.message) for c in report.checks if c.status != "passed"]
    assert not bad, f"{context}: {bad}"
    assert report.score == report.max_score


def test_every_check_is_failed_by_a_fault() -> None:
    spec = exercises.load(NAME)
    assert set(spec.roles) == {"server", "client"}
    assert {c.role for c in spec.checks} == {"server", "client"}
    faults = exercises.faults(NAME)
    assert set().union(*(f.fails for f in faults)) == {c.id for c in spec.checks}
    for fault in faults:
        assert fault.undo, f"{fault.name} has no undo script"


def test_capstone(lab: Lab, timings: dict[str, float]) -> None:
    spec = exercises.load(NAME)
    params = student_params(spec, STUDENT, salt=SALT)
    other = student_params(spec, OTHER, salt=SALT)
    assert params and params != other
    urls = lab_hosts(LAB)
    hosts = {role: Host(urls[role]) for role in spec.roles}
    started = time.monotonic()

    fresh = grade(spec, hosts, lang="gl", params=params)
    assert {c.status for c in fresh.checks} <= {"failed", "blocked"}, fresh.checks
    assert fresh.score == 0
    exercises.run_scripts(hosts, exercises.solution_scripts(NAME), spec, params, timeout=900)
    timings["capstone: fresh graded + solution"] = round(time.monotonic() - started, 1)
    started = time.monotonic()
    for lang in ("gl", "en"):
        _full(grade(spec, hosts, lang=lang, params=params), f"solution [{lang}]")
    assert grade(spec, hosts, lang="en", params=other).score < spec.max_score
    timings["capstone: solution graded (gl, en, other student)"] = round(
        time.monotonic() - started, 1)

    started = time.monotonic()
    faults = exercises.faults(NAME)
    for index, fault in enumerate(faults):
        exercises.run_scripts(hosts, list(fault.scripts), spec, params, timeout=600)
        lang = ("gl", "en")[index % 2]
        report = grade(spec, hosts, lang=lang, params=params)
        assert_fault_report(report, spec, fault.fails, f"{fault.name} [{lang}]")
        exercises.run_scripts(hosts, list(fault.undo), spec, params, timeout=600)
    _full(grade(spec, hosts, lang="en", params=params), "after undoing every fault")
    timings[f"capstone: {len(faults)} faults, graded and undone"] = round(
        time.monotonic() - started, 1)
