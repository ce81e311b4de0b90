"""Repair drills on a real storage lab VM: ``labkit break`` leaves the host below full marks
with the faults it chose, the exercise's grader sees them, and the solution repairs it.

One ``storage`` lab for the module (the LVM drill runs on its client VM). Under TCG the LVM
solution takes a minute or two, so the drill is broken and repaired once.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from labkit import exercises
from labkit.cli.main import main
from labkit.sandbox import Lab, running_lab
from labkit.sandbox.accel import detect_accel
from labkit.sandbox.image import build_image
from labkit.sandbox.warm import ensure_warm

pytestmark = [pytest.mark.sandbox, pytest.mark.timeout(1800)]

LAB = "repair-pytest"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    saved = {k: os.environ.get(k) for k in ("LABKIT_HOME", "LABKIT_LAB")}
    os.environ["LABKIT_HOME"] = str(tmp_path_factory.mktemp("lkhome"))
    os.environ.pop("LABKIT_LAB", None)
    try:
        image = build_image(quiet=True)
        accel, _ = detect_accel(image.kernel)
        ensure_warm(image, accel)
        with running_lab("storage", LAB) as lab:
            yield lab
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _server() -> list[str]:
    """The lab's host for the exercise's role (lvm-basics: the storage lab's client)."""
    return ["--lab", LAB]


def _grade(capsys: pytest.CaptureFixture[str], name: str) -> dict[str, object]:
    code = main(["grade", name, *_server(), "--json", "--lang", "en"])
    report: dict[str, object] = json.loads(capsys.readouterr().out)
    assert code in (0, 1), report
    return report


def test_lvm_drill_break_grade_repair(lab: Lab, capsys: pytest.CaptureFixture[str],
                                      tmp_path: Path) -> None:
    seed = "4"
    code = main(["break", "repair-lvm", *_server(), "--seed", seed, "--reveal",
                 "--lang", "en"])
    out, err = capsys.readouterr()
    assert code == 0, err
    applied = out.split()
    assert 1 <= len(applied) <= 2 and "Broke repair-lvm" in err
    assert not any(name in err for name in applied)
    broken = _grade(capsys, "repair-lvm")
    assert broken["score"] < broken["max_score"]  # type: ignore[operator]
    failed = {c["id"] for c in broken["checks"] if c["status"] == "failed"}  # type: ignore[attr-defined]
    for name in applied:
        assert exercises.fault("repair-lvm", name).fails <= failed
    code = main(["solve", "repair-lvm", *_server(), "--lang", "en"])
    out, err = capsys.readouterr()
    assert code == 0, f"{applied}: {out[-2000:]} {err[-2000:]}"
    repaired = _grade(capsys, "repair-lvm")
    assert repaired["score"] == repaired["max_score"] == 10
