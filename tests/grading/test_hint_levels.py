"""Hints in levels: the idea, the shape of the command, the full command.

Students see the levels up to the assignment's hint level (``hint_level=``, the course's
``LABKIT_HINT_LEVEL``, the grader's ``hint_level``, else 2: graded work never shows the
command by default); the report keeps every level for the teacher.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from labkit import exercises
from labkit.grading import Report
from labkit.grading.context import DEFAULT_HINT_LEVEL, GradingContext, resolve_hint_level
from labkit.host import Host

NAME = "qemu-img-basics"


def _hints(workdir: Path, hint_level: int | None = None) -> tuple[dict[str, str], Report]:
    context = GradingContext.build(NAME, student="ana", lang="en", env={}, need_hosts=False,
                                   params={"workdir": str(workdir)}, hint_level=hint_level)
    with Host("local://") as host:
        report = context.grade({"host": host})
    assert report.checks[0].status == "failed"  # nothing was done: every hint is there
    return {c.id: c.hint for c in report.checks if c.status == "failed"}, report


#: The course's exercises (drills and the capstone have graders of their own).
EXERCISES = ["intro-container", "iscsi-target", "lvm-advanced", "lvm-basics", "net-bridges",
             "net-devices", "net-vlans-nat", "nfs-exports", "qemu-img-basics",
             "qemu-img-snapshots"]


@pytest.mark.parametrize("name", EXERCISES)
def test_every_check_has_three_levels(name: str) -> None:
    for check in exercises.load(name).checks:
        assert check.hint is not None, f"{name}/{check.id} has no hint"
        assert len(check.hints) == 2, f"{name}/{check.id}: give [idea, shape]"
        idea = check.hints[0]
        assert idea["gl"] != idea["en"], f"{name}/{check.id}: the idea in both languages"


def test_the_default_shows_the_idea_and_the_shape_not_the_command(workdir: Path) -> None:
    assert DEFAULT_HINT_LEVEL == 2
    shown, report = _hints(workdir)
    spec = exercises.load(NAME)
    params = GradingContext.build(NAME, student="ana", env={}, need_hosts=False).params
    disk = spec.checks[0]
    assert shown["disk-exists"].startswith(disk.hints[0]["en"].replace("{workdir}", str(workdir)))
    assert "qemu-img create -f FORMAT NAME SIZE" in shown["disk-exists"]
    assert f"{params['disk']}.qcow2" not in shown["disk-exists"]  # the command is not given
    # the teacher's report keeps every level, the full command included
    levels = report.hints["disk-exists"]
    assert len(levels) == 3 and f"{params['disk']}.qcow2 {params['size']}M" in levels[2]
    assert report.to_dict(teacher=True)["hints"]["disk-exists"] == levels
    assert "hints" not in report.to_dict()


@pytest.mark.parametrize(("level", "parts"), [(1, 1), (2, 2), (3, 3)])
def test_each_level_adds_one_part(workdir: Path, level: int, parts: int) -> None:
    shown, report = _hints(workdir, hint_level=level)
    levels = report.hints["disk-exists"]
    assert shown["disk-exists"] == " ".join(levels[:parts])


def test_the_course_setting_and_the_grader_field(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = exercises.load(NAME)
    assert resolve_hint_level(None, spec, env={}) == 2
    assert resolve_hint_level(None, spec, env={"LABKIT_HINT_LEVEL": "1"}) == 1
    assert resolve_hint_level(3, spec, env={"LABKIT_HINT_LEVEL": "1"}) == 3
    with_field = spec.model_copy(update={"hint_level": 3})
    assert resolve_hint_level(None, with_field, env={}) == 3
    assert resolve_hint_level(None, with_field, env={"LABKIT_HINT_LEVEL": "1"}) == 1
