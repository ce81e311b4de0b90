"""Re-capture every storage probe case recorded in a VM and compare with the recorded one.

The cases with ``"dir": "vm:/…"`` (``tests/probes/<probe>/<case>.json``, written by
``python -m labkit.testing.capture vm``: LVM, block devices) were captured from the real tools in a
sandbox VM, so the local ``tests/probes/test_probe_cases.py::test_live`` skips them. Here each
case's own setup and probe run again in ONE fresh ``single`` lab VM (its spare disks
/dev/vdb-vde; each setup first undoes the previous one, as in ``capture vm``), and the parse
must still equal the recorded ``expected`` once volatile fields are normalised, so the fixtures
cannot drift from the tools.

The cases captured on a ``storage`` lab after an exercise's solution (``"dir": "vm:<role>"``:
NFS, iSCSI; ``capture solved``) are re-captured the same way in ONE storage lab: each
exercise's solution runs once, then its cases in their recorded order. Their fresh parse must
equal the recorded one AND agree with what a person read off the raw output
(tests/probes/human.py), so neither the tools nor the parser can drift unseen.

The network cases (setup guarded by capture's NET_GUARD) are re-captured by
``tests/probes/test_net_probes_live.py``; their files do not record a lab topology.
Set ``LABKIT_VM_CASES_LAB=NAME`` to use a lab that is already up (its host ``host`` or
``server``; the cases' setups wipe its spare disks).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from labkit.host import Host
from labkit.sandbox import lab_hosts, running_lab

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "probes"))

import setups
from human import disagreements
from setups import CASES_DIR

from labkit.testing.capture import capture_solved, capture_vm
from labkit.testing.cases import case_files, load, normalise

pytestmark = [pytest.mark.sandbox, pytest.mark.timeout(1800)]

#: Recorded cases known to differ from what a fresh VM gives (the lead routes the fix).
DRIFTED: dict[str, str] = {}
VM_CASES = [p for p in case_files(CASES_DIR) if str(load(p).get("dir", "")).startswith("vm:/")]
IDS = [str(p.relative_to(CASES_DIR).with_suffix("")) for p in VM_CASES]
PARAMS = [pytest.param(p, id=i, marks=[pytest.mark.xfail(strict=True, reason=DRIFTED[i])]
                       if i in DRIFTED else []) for p, i in zip(VM_CASES, IDS, strict=True)]
#: Cases captured on a ``storage`` lab after an exercise's solution (``"dir": "vm:<role>"``).
SOLVED_CASES = [p for p in case_files(CASES_DIR)
                if str(load(p).get("dir", "")).startswith("vm:")
                and not str(load(p)["dir"]).startswith("vm:/")]
SOLVED_IDS = [str(p.relative_to(CASES_DIR).with_suffix("")) for p in SOLVED_CASES]


def _ours(entry: dict[str, Any]) -> bool:
    """A mount or fstab entry made by a case (VG ``vgt``, mounted on /srv/lv), not one of the
    image's or the topology's own (memory-sized tmpfs, NFS bind mounts of a storage server)."""
    return "vgt" in entry.get("source", "") or entry.get("target", "").startswith("/srv/lv")


def comparable(probe: str, value: Any, vm_dir: str) -> Any:
    """``value`` with the case's temp dir as ``{dir}``, volatile fields zeroed, and only the
    case's own entries of the whole-host lists (mounts, fstab)."""
    if probe in ("blockdev.mounts", "blockdev.fstab") and isinstance(value, list):
        value = [e for e in value if _ours(e)]
    return normalise(value, vm_dir.removeprefix("vm:"))


@pytest.fixture(scope="module")
def vm_host(request: pytest.FixtureRequest) -> Iterator[Host]:
    reuse = os.environ.get("LABKIT_VM_CASES_LAB", "").strip()
    if reuse:
        urls = lab_hosts(reuse)
        with Host(urls["host"] if "host" in urls else urls["server"]) as host:
            yield host
        return
    request.getfixturevalue("lab_image")
    with running_lab("single", name="cases-pytest") as lab, \
            Host(lab_hosts("cases-pytest")["host"]) as host:
        assert lab.name == "cases-pytest"
        yield host


@pytest.mark.parametrize("path", PARAMS)
def test_recapture_in_vm(request: pytest.FixtureRequest, path: Path) -> None:
    recorded = load(path)
    vm_host: Host = request.getfixturevalue("vm_host")
    case = capture_vm(vm_host, recorded["probe"], recorded["args"], recorded["setup"])
    assert case["command"] == recorded["command"], "the command changed: re-capture it"
    assert case.get("raises") == recorded.get("raises"), case["stderr"] or case["stdout"]
    probe = recorded["probe"]
    assert comparable(probe, case["expected"], case["dir"]) == comparable(
        probe, recorded["expected"], recorded["dir"]), f"{path} drifted"


@pytest.fixture(scope="module")
def solved_cases(lab_image: object) -> dict[str, dict[str, Any]]:
    """Every ``capture solved`` case captured afresh, by ``probe/case``: one storage lab, each
    exercise's solution once, then its cases in order (as ``capture solved`` does)."""
    with running_lab("storage", name="solved-cases-pytest") as lab:
        captured = capture_solved(lab.name, setups.SOLVED, setups.BEFORE, [])
    return {f"{case['probe']}/{name}": case for name, case in captured}


def test_every_solved_case_is_recaptured() -> None:
    listed = {f"{c[0]}/{c[1]}" for cases in setups.SOLVED.values() for c in cases}
    assert set(SOLVED_IDS) <= listed, sorted(set(SOLVED_IDS) - listed)
    assert len(SOLVED_IDS) >= 15


@pytest.mark.parametrize("path", SOLVED_CASES, ids=SOLVED_IDS)
def test_recapture_solved(solved_cases: dict[str, dict[str, Any]], path: Path) -> None:
    recorded = load(path)
    name = str(path.relative_to(CASES_DIR).with_suffix(""))
    case = solved_cases[name]
    assert case["command"] == recorded["command"], "the command changed: re-capture it"
    assert case.get("raises") == recorded.get("raises"), case["stderr"] or case["stdout"]
    assert disagreements(name, case["expected"]) == [], case["stdout"][-2000:]
    assert case["expected"] == recorded["expected"], f"{name} drifted"
