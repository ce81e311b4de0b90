"""Probe cases (``tests/probes/<probe>/<case>.json``): parsers against real tool output.

``test_recorded`` needs no host: the recorded output must parse to ``expected``, and the probe
must still build the recorded command (if it changed, re-run ``capture.py``).
``test_live`` re-creates each case with the real tools now and checks the parse still equals
``expected`` (volatile fields aside), so the fixtures cannot drift from the tools.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from _cases import (
    CASES_DIR,
    as_json,
    case_files,
    load,
    make_probe,
    normalise,
    recorded_result,
    run_probe,
    run_setup,
    temp_dir,
)

from labkit.errors import ProbeError
from labkit.probes import PROBES

KEYS = {"probe", "args", "setup", "dir", "command", "exit_code", "stdout", "stderr", "expected"}
CASES = case_files()
IDS = [str(p.relative_to(CASES_DIR).with_suffix("")) for p in CASES]


def _parse(case: dict[str, Any], probe: Any, result: Any) -> Any:
    if case.get("raises"):
        with pytest.raises(ProbeError):
            probe.parse(result)
        return None
    return as_json(probe.parse(result))


def test_every_probe_has_cases() -> None:
    covered = {p.parent.name for p in CASES}
    assert covered == set(PROBES), f"probes without cases: {set(PROBES) - covered}"


@pytest.mark.parametrize("path", CASES, ids=IDS)
def test_recorded(path: Path) -> None:
    case = load(path)
    assert set(case) - {"raises"} == KEYS, f"{path.name}: keys {sorted(case)}"
    assert path.parent.name == case["probe"]
    probe = make_probe(case, case["dir"])
    assert probe.command() == case["command"], "the command changed: re-run capture.py"
    assert _parse(case, probe, recorded_result(case)) == case["expected"]


@pytest.mark.parametrize("path", CASES, ids=IDS)
def test_live(path: Path) -> None:
    case = load(path)
    with temp_dir() as directory:
        run_setup(case, directory)
        before = sorted(os.listdir(directory))
        probe, result = run_probe(case, directory)
        assert sorted(os.listdir(directory)) == before, "a probe must never write"
        assert not os.path.exists(os.path.join(directory, "canary"))
        got = _parse(case, probe, result)
        assert normalise(got, directory) == normalise(case["expected"], case["dir"])
