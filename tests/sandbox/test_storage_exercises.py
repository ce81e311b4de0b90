"""The storage exercises (LVM, NFS, iSCSI) on the real sandbox VMs of one ``storage`` lab.

For every storage exercise: its solution scores full marks; each fault fails exactly the
checks it names (``# labkit-fails:``), with a message and a hint; grading leaves the hosts as
it found them (a fingerprint of their storage state is taken before and after).

Under TCG a solution takes a minute or two and ``lab.reset`` ~35 s, so faults are not run
from a fresh VM each: each fault ``faults/<name>.sh`` has an undo script
``faults/<name>.undo.sh`` (per role: ``<name>.undo.<role>.sh``) run after grading it, and the
next fault starts from full marks again (checked). Exercises are separated by a reset of
both VMs (a few seconds: the warm snapshot). LVM exercises (role ``host``) run on the server VM.

Cost under TCG (2 shared cores): ~16 min when every fault was graded in both languages; so
the solution is graded in gl and en, and each fault in one language, alternating
(``LABKIT_STORAGE_ALL_LANGS=1`` grades faults in both). The fingerprint ignores times: the
NFS write test creates and removes a scratch folder, which touches its parent's mtime.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from labkit import exercises
from labkit.grading import Report, grade
from labkit.host import Host
from labkit.sandbox import Lab, lab_hosts, running_lab

pytestmark = [pytest.mark.sandbox, pytest.mark.timeout(2400)]

LAB = "st-pytest"
LANGS = ("gl", "en")
#: The solution is graded in both languages; each fault in one (alternating), unless
#: LABKIT_STORAGE_ALL_LANGS is set: a grade takes ~8 s under TCG, and CI has 15 minutes.
FAULT_LANGS = LANGS if os.environ.get("LABKIT_STORAGE_ALL_LANGS") else ()
STORAGE = [n for n in exercises.names()
           if exercises.load(n).topic in ("lvm", "nfs", "iscsi")]

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
    with running_lab("storage", LAB) as lab:
        yield lab


def _hosts(name: str) -> dict[str, Host]:
    urls = lab_hosts(LAB)
    return {role: Host(urls.get(role) or urls["server"])
            for role in exercises.load(name).roles}


def _fingerprint(lab: Lab) -> dict[str, str]:
    return {h: lab.run(h, FINGERPRINT, timeout=120).stdout for h in ("server", "client")}


def _undo_scripts(name: str, fault: str) -> list[tuple[str, Path]]:
    folder = exercises.exercise_dir(name) / "faults"
    roles = exercises.load(name).roles
    out = []
    for index, role in enumerate(roles):
        for candidate in [folder / f"{fault}.undo.{role}.sh"] + (
                [folder / f"{fault}.undo.sh"] if index == 0 else []):
            if candidate.exists():
                out.append((role, candidate))
                break
    return out


def _grade(name: str, hosts: dict[str, Host], lang: str) -> Report:
    return grade(exercises.load(name), hosts, lang=lang)


def _full(report: Report, context: str) -> None:
    __tracebackhide__ = True
    bad = [(c.id, c.status, c.message) for c in report.checks if c.status != "passed"]
    assert not bad, f"{context}: {bad}"
    assert report.score == report.max_score


def test_storage_exercises_are_found() -> None:
    assert {"lvm-basics", "lvm-advanced", "nfs-exports", "iscsi-target"} <= set(STORAGE)


@pytest.mark.parametrize("name", STORAGE)
def test_exercise(lab: Lab, name: str, timings: dict[str, float]) -> None:
    for host in ("server", "client"):
        lab.reset(host)
    hosts = _hosts(name)
    spec = exercises.load(name)
    started = time.monotonic()
    exercises.run_scripts(hosts, exercises.solution_scripts(name), spec, timeout=900)
    timings[f"{name}: solution"] = round(time.monotonic() - started, 1)
    started = time.monotonic()

    before = _fingerprint(lab)
    for lang in ("gl", "en"):
        _full(_grade(name, hosts, lang), f"{name} solution [{lang}]")
    assert _fingerprint(lab) == before, "grading changed the hosts"

    timings[f"{name}: solution graded (gl, en)"] = round(time.monotonic() - started, 1)
    started = time.monotonic()
    ids = {c.id for c in spec.checks}
    requires = {c.id: c.requires for c in spec.checks}
    for index, fault in enumerate(exercises.faults(name)):
        assert fault.fails <= ids, f"{fault.name} names unknown checks"
        undo = _undo_scripts(name, fault.name)
        assert undo, f"{name}/{fault.name} has no undo script"
        exercises.run_scripts(hosts, list(fault.scripts), spec, timeout=600)
        before = _fingerprint(lab)
        for lang in FAULT_LANGS or (LANGS[index % 2],):
            report = _grade(name, hosts, lang)
            status = {c.id: c.status for c in report.checks}
            failed = {i for i, s in status.items() if s == "failed"}
            assert failed == fault.fails, (
                f"{name}/{fault.name} [{lang}]: failed {sorted(failed)}, "
                f"expected {sorted(fault.fails)}; {[(c.id, c.message) for c in report.checks]}")
            for check in report.checks:
                assert check.status in ("passed", "failed", "blocked"), (check.id, check.message)
                if check.status == "blocked":
                    assert any(status[d] != "passed" for d in requires[check.id])
                if check.status == "failed":
                    assert check.hint and check.message
                    assert "{" not in check.message and "Traceback" not in check.message
        assert _fingerprint(lab) == before, f"grading {name}/{fault.name} changed the hosts"
        exercises.run_scripts(hosts, undo, spec, timeout=600)
        _full(_grade(name, hosts, "en"), f"{name} after undoing {fault.name}")
    timings[f"{name}: faults, graded and undone"] = round(time.monotonic() - started, 1)
