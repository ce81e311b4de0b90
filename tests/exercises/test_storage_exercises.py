"""The storage exercises (LVM, NFS, iSCSI) on the real sandbox VMs of one ``storage`` lab.

A freshly started lab, before any solution, scores 0 in every exercise (every check failed or
blocked). For every storage exercise, with one student's own values (variants): its solution
scores full marks; each fault fails exactly the checks it names (``# labkit-fails:``), with a
message and a hint, in both languages (one collection, judged in gl and en); grading leaves
the hosts as it found them (a fingerprint of their storage state is taken before and after).
Each VM has its own machine id and SSH host key, and the lab's known_hosts holds them.

Under TCG a solution takes a minute or two and ``lab.reset`` ~35 s, so faults are not run
from a fresh VM each: each fault ``faults/<name>.sh`` has an undo script
``faults/<name>.undo.sh`` (per role: ``<name>.undo.<role>.sh``) run after grading it, and the
next fault starts from full marks again (checked). Exercises are separated by a reset of
both VMs (a few seconds: the warm snapshot). Each exercise runs on the hosts its roles name
(lvm-basics on the client, lvm-advanced and iscsi-target's LUN on the server's own disks).

A report is collected once and judged in both languages from the same facts (a transport
that answers a repeated command from memory), so both languages cost one collection. Cost
under TCG (2 shared cores): about 17 minutes for the module (identity, the fresh lab, 4
exercises and their 27 faults). The
fingerprint ignores times: the NFS write test creates and removes a scratch folder, which
touches its parent's mtime.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest

from labkit import exercises
from labkit.grading import Report
from labkit.grading.context import GradingContext
from labkit.host import Host
from labkit.sandbox import Lab, lab_hosts, running_lab
from labkit.testing.memo import SameAnswer
from tests.helpers import assert_fault_report

pytestmark = [pytest.mark.sandbox, pytest.mark.timeout(2400)]

LAB = "st-pytest"
LANGS = ("gl", "en")
STORAGE = ["iscsi-target", "lvm-advanced", "lvm-basics", "nfs-exports"]
STUDENT = "ana.lopez"
SALT = "sandbox-course-secret"

#: Read-only fingerprint of the storage state a grade must not change.
FINGERPRINT = (
    "export LC_ALL=C; lvs -a --noheadings -o vg_name,lv_name,lv_attr,lv_size,devices 2>&1; "
    "pvs --noheadings 2>&1; findmnt -l -n -o TARGET,SOURCE,FSTYPE; cat /etc/fstab; "
    "cat /etc/exports 2>/dev/null; exportfs -s 2>/dev/null; "
    "find /sys/kernel/config/target -maxdepth 6 2>/dev/null | sort; "
    "iscsiadm -m session 2>/dev/null; lsblk -d -n -o NAME,SIZE; "
    "find /srv -maxdepth 2 -printf '%p %M %u %g\\n' 2>/dev/null | sort; md5sum /etc/lvm/lvm.conf "
    "/etc/rtslib-fb-target/saveconfig.json 2>/dev/null"
)


@pytest.fixture(scope="module")
def lab(lab_image: object) -> Iterator[Lab]:
    saved = os.environ.get("LABKIT_COURSE_SALT")
    os.environ["LABKIT_COURSE_SALT"] = SALT
    try:
        with running_lab("storage", LAB) as lab:
            yield lab
    finally:
        if saved is None:
            os.environ.pop("LABKIT_COURSE_SALT", None)
        else:
            os.environ["LABKIT_COURSE_SALT"] = saved


def _context(name: str) -> GradingContext:
    """The student's context: their own values, every hint level (the teacher's view)."""
    return GradingContext.build(name, student=STUDENT, salt=SALT, hint_level=3,
                                need_hosts=False)


def _hosts(name: str) -> dict[str, Host]:
    urls = lab_hosts(LAB)
    return {role: Host(urls.get(role) or urls["server"])
            for role in exercises.load(name).roles}


def _grade_both(name: str, hosts: dict[str, Host]) -> dict[str, Report]:
    """One collection per host, judged in gl and en."""
    import dataclasses

    memo = {role: Host(SameAnswer(h.transport)) for role, h in hosts.items()}
    context = _context(name)
    return {lang: dataclasses.replace(context, lang=lang).grade(memo) for lang in LANGS}


def _fingerprint(lab: Lab) -> dict[str, str]:
    return {h: lab.run(h, FINGERPRINT, timeout=120).stdout for h in ("server", "client")}


def _grade(name: str, hosts: dict[str, Host], lang: str) -> Report:
    import dataclasses

    return dataclasses.replace(_context(name), lang=lang).grade(hosts)


def _full(report: Report, context: str) -> None:
    __tracebackhide__ = True
    bad = [(c.id, c.status, c.message) for c in report.checks if c.status != "passed"]
    assert not bad, f"{context}: {bad}"
    assert report.score == report.max_score


def test_storage_exercises_are_found() -> None:
    assert set(STORAGE) <= set(exercises.names())


def test_each_vm_has_its_own_identity(lab: Lab) -> None:
    """A fresh machine id and SSH host key per VM when the lab comes up; the lab's
    known_hosts holds each VM's own key (labkit's SSH connections verify it)."""
    ids = {h: lab.run(h, "cat /etc/machine-id", timeout=60).stdout.strip()
           for h in ("server", "client")}
    keys = {h: lab.run(h, "cut -d' ' -f2 /etc/ssh/ssh_host_ed25519_key.pub",
                       timeout=60).stdout.strip() for h in ("server", "client")}
    assert len(set(ids.values())) == 2 and all(len(i) == 32 for i in ids.values()), ids
    assert len(set(keys.values())) == 2, keys
    known = lab.known_hosts.read_text()
    for key in keys.values():
        assert key in known
    with Host(lab_hosts(LAB)["server"]) as host:  # verified against known_hosts
        assert host.run("cat /etc/machine-id").stdout.strip() == ids["server"]


def test_a_fresh_lab_scores_zero_in_every_exercise(lab: Lab) -> None:
    """Before any solution, every check is failed or blocked: nothing passes by itself (e.g.
    Debian enables its iSCSI restore unit on install)."""
    for host in ("server", "client"):
        lab.reset(host)
    for name in STORAGE:
        hosts = _hosts(name)
        reports = _grade_both(name, hosts)
        for lang, report in reports.items():
            assert report.error is None, report.error
            passed = [(c.id, c.message) for c in report.checks if c.status == "passed"]
            assert not passed, f"{name} [{lang}] passes on a fresh lab: {passed}"
            assert {c.status for c in report.checks} <= {"failed", "blocked"}
            assert report.score == 0


@pytest.mark.parametrize("name", STORAGE)
def test_exercise(lab: Lab, name: str, timings: dict[str, float]) -> None:
    for host in ("server", "client"):
        lab.reset(host)
    hosts = _hosts(name)
    spec = exercises.load(name)
    params = _context(name).params
    started = time.monotonic()
    exercises.run_scripts(hosts, exercises.solution_scripts(name), spec, params, timeout=900)
    timings[f"{name}: solution"] = round(time.monotonic() - started, 1)
    started = time.monotonic()

    before = _fingerprint(lab)
    for lang, report in _grade_both(name, hosts).items():
        _full(report, f"{name} solution [{lang}]")
    assert _fingerprint(lab) == before, "grading changed the hosts"
    other = GradingContext.build(name, student="brais.vila", salt=SALT, need_hosts=False)
    assert other.params != params
    assert other.grade(hosts).score < spec.max_score, "another student's grade is full"

    timings[f"{name}: solution graded (gl, en)"] = round(time.monotonic() - started, 1)
    started = time.monotonic()
    ids = {c.id for c in spec.checks}
    for fault in exercises.faults(name):
        assert fault.fails <= ids, f"{fault.name} names unknown checks"
        undo = list(fault.undo)
        assert undo, f"{name}/{fault.name} has no undo script"
        exercises.run_scripts(hosts, list(fault.scripts), spec, params, timeout=600)
        before = _fingerprint(lab)
        messages = {lang: assert_fault_report(report, spec, fault.fails,
                                              f"{name}/{fault.name} [{lang}]")
                    for lang, report in _grade_both(name, hosts).items()}
        for check_id in fault.fails:
            assert messages["gl"][check_id] != messages["en"][check_id], (
                f"{name}/{fault.name}: {check_id}")
        assert _fingerprint(lab) == before, f"grading {name}/{fault.name} changed the hosts"
        exercises.run_scripts(hosts, undo, spec, params, timeout=600)
        _full(_grade(name, hosts, "en"), f"{name} after undoing {fault.name}")
    timings[f"{name}: faults, graded and undone"] = round(time.monotonic() - started, 1)
