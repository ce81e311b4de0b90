"""Probe cases (``tests/probes/<probe>/<case>.json``): parsers against real tool output.

``test_recorded`` needs no host: the recorded output must parse to ``expected``, and the probe
must still build the recorded command (if it changed, re-capture it:
``python -m labkit.testing.capture``).
``test_live`` re-creates each case with the real tools now and checks the parse still equals
``expected`` (volatile fields aside), so the fixtures cannot drift from the tools.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import setups
from human import HUMAN, disagreements
from setups import CASES_DIR

from labkit.errors import ProbeError
from labkit.probes import PROBES
from labkit.testing.cases import (
    as_json,
    case_files,
    load,
    make_probe,
    normalise_value,
    recorded_result,
    run_probe,
    run_setup,
    temp_dir,
    vm_only,
)

KEYS = {"probe", "args", "setup", "dir", "command", "exit_code", "stdout", "stderr", "expected"}
CASES = case_files(CASES_DIR)
IDS = [str(p.relative_to(CASES_DIR).with_suffix("")) for p in CASES]


def _parse(case: dict[str, Any], probe: Any, result: Any) -> Any:
    if case.get("raises"):
        with pytest.raises(ProbeError):
            probe.parse(result)
        return None
    return as_json(probe.parse(result))


#: Probes with no recorded case yet, each of which needs a sandbox VM to capture: the
#: container probes (the cgroup of the ``intro-container`` exercise; trimmed outputs are
#: inline in tests/exercises/test_intro_container.py for now). Remove a name when its cases
#: land: the test fails until the list is exactly the gap.
AWAITING_CASES = {"container.cgroup", "container.members"}


def test_every_probe_has_cases() -> None:
    covered = {p.parent.name for p in CASES}
    assert covered <= set(PROBES), f"cases of unknown probes: {sorted(covered - set(PROBES))}"
    missing = set(PROBES) - covered
    assert sorted(missing - AWAITING_CASES) == [], "probes without cases"
    assert sorted(AWAITING_CASES - missing) == [], "have cases now: drop from AWAITING_CASES"


def test_vm_cases_have_a_live_recapture() -> None:
    """Each case this machine cannot re-create is re-created by a sandbox test: the storage
    ones (setups.VM) by tests/probes/test_vm_probe_cases.py (every ``vm:`` case), the
    network ones by tests/probes/test_net_probes_live.py (every case in setups.NET)."""
    listed = {"capture vm": {f"{p}/{n}" for p, n, _, _ in setups.VM},
              "capture net": {f"{p}/{n}" for p, n, _, _ in setups.NET},
              "capture solved": {f"{c[0]}/{c[1]}"
                                 for cases in setups.SOLVED.values() for c in cases}}
    for path in CASES:
        reason = vm_only(load(path))
        if reason:
            script = next(s for s in listed if s in reason)
            name = f"{path.parent.name}/{path.stem}"
            assert name in listed[script], f"{name} is not in the cases of {script}"


#: The iSCSI probes of the iscsi-target exercise (targetcli/configfs, iscsiadm, systemd).
ISCSI_TOOLS = {"iscsi.live", "iscsi.saveconfig", "iscsi.units", "iscsi.sessions", "iscsi.nodes"}


def test_human_expectations_cover_the_cases_a_parser_could_fool() -> None:
    """Every case recorded on a solved exercise (NFS, iSCSI) and the qemu-img chains carry
    values a person read off the raw output, and each names a real case."""
    assert set(HUMAN) <= set(IDS), sorted(set(HUMAN) - set(IDS))
    solved = {f"{c[0]}/{c[1]}" for cases in setups.SOLVED.values() for c in cases
              if c[0].startswith("nfs.") or c[0] in ISCSI_TOOLS}
    assert len(solved) >= 15
    assert sorted(solved - set(HUMAN)) == []
    assert {"qemu_img.info/overlay", "qemu_img.map/overlay-written"} <= set(HUMAN)


@pytest.mark.parametrize("name", sorted(HUMAN))
def test_parse_agrees_with_a_person(name: str) -> None:
    """The parse of the recorded output says what a person reads in it (tests/probes/human.py),
    so a wrong parse cannot hide behind an ``expected`` the same parser wrote."""
    case = load(CASES_DIR / f"{name}.json")
    probe = make_probe(case, case["dir"])
    assert disagreements(name, as_json(probe.parse(recorded_result(case)))) == []


@pytest.mark.parametrize("path", CASES, ids=IDS)
def test_recorded(path: Path) -> None:
    case = load(path)
    assert set(case) - {"raises"} == KEYS, f"{path.name}: keys {sorted(case)}"
    assert path.parent.name == case["probe"]
    probe = make_probe(case, case["dir"])
    assert probe.command() == case["command"], "the command changed: re-capture it"
    assert _parse(case, probe, recorded_result(case)) == case["expected"]


@pytest.mark.parametrize("path", CASES, ids=IDS)
def test_live(path: Path) -> None:
    case = load(path)
    reason = vm_only(case)
    if reason:
        pytest.skip(reason)
    with temp_dir() as directory:
        run_setup(case, directory)
        before = sorted(os.listdir(directory))
        probe, result = run_probe(case, directory)
        assert sorted(os.listdir(directory)) == before, "a probe must never write"
        assert not os.path.exists(os.path.join(directory, "canary"))
        got = _parse(case, probe, result)
        probe_name = case["probe"]
        assert normalise_value(probe_name, got, directory) == normalise_value(
            probe_name, case["expected"], case["dir"])
