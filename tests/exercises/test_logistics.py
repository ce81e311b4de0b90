"""Exercises can all stay set up at once, as the notebooks ask: no two share a spare disk on
one host, a volume group name or a work folder.

Lab VMs have nine spare disks: vdb..vde and vdj are the exercises', vdf..vdi the lessons' own.
In the storage lab a role runs on the host of that name; a ``host`` role runs on its first host,
the server (``labkit.grading.context.lab_urls``). A disk parameter (a value ``/dev/vd…``)
belongs to the role its name starts with (``client_disk``), else to the exercise's first role.
Repair drills (``base:`` or ``drill:`` in the grader) start from a state of their own, so they
are not counted.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from labkit import exercises
from labkit.checks.spec import ExerciseSpec

EXERCISE_DISKS = {"/dev/vdb", "/dev/vdc", "/dev/vdd", "/dev/vde", "/dev/vdj"}


def _kept() -> list[ExerciseSpec]:
    from labkit.course import base_of

    specs = [exercises.load(name) for name in exercises.names() if base_of(name) == name]
    return [s for s in specs if getattr(s, "drill", None) is None]


def _host(role: str) -> str:
    return "server" if role == "host" else role


def _disk_users() -> dict[tuple[str, str], list[str]]:
    """(host, disk) -> the exercises that use it."""
    users: dict[tuple[str, str], list[str]] = defaultdict(list)
    for spec in _kept():
        for name, value in spec.params.items():
            if isinstance(value, str) and value.startswith("/dev/vd"):
                assert value in EXERCISE_DISKS, (
                    f"{spec.exercise}: {name}={value} is not one of the exercises' disks "
                    f"{sorted(EXERCISE_DISKS)} (vdf..vdi are the lessons')")
                assert name not in spec.variants, f"{spec.exercise}: disks do not vary"
                role = next((r for r in spec.roles if name.startswith(f"{r}_")), spec.roles[0])
                users[(_host(role), value)].append(spec.exercise)
    return users


@pytest.mark.parametrize("where", [(host, disk) for host in ("server", "client")
                                   for disk in sorted(EXERCISE_DISKS)])
def test_exercises_never_share_a_spare_disk_on_one_host(where: tuple[str, str]) -> None:
    users = _disk_users()
    assert users, "no exercise declares its disks"
    assert len(set(users.get(where, []))) <= 1, f"{where}: {users[where]}"


def test_exercises_never_share_a_volume_group_or_a_work_folder() -> None:
    for param in ("vg", "workdir"):
        seen: dict[str, str] = {}
        for spec in _kept():
            value = spec.params.get(param)
            if value is None:
                continue
            assert str(value) not in seen, (
                f"{spec.exercise} and {seen[str(value)]} share {param}={value}")
            seen[str(value)] = spec.exercise
        assert len(seen) >= 2


def test_per_student_volume_groups_never_meet_across_exercises() -> None:
    """The VG names a variant can give in one exercise are not any other exercise's."""
    choices: dict[str, set[str]] = {}
    for spec in _kept():
        variant = spec.variants.get("vg")
        names = {str(spec.params["vg"])} if "vg" in spec.params else set()
        if variant is not None and variant.choice is not None:
            names |= {str(c) for c in variant.choice}
        if names:
            choices[spec.exercise] = names
    exercises_with_vgs = sorted(choices)
    for i, first in enumerate(exercises_with_vgs):
        for second in exercises_with_vgs[i + 1:]:
            assert not choices[first] & choices[second], (first, second)
