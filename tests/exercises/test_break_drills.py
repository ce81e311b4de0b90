"""Repair drills without a VM (``labkit.drills``): which faults a seed chooses, whose values a
drill breaks with, and — on a real local sshd — that ``labkit break repair-qemu-img --student
S`` breaks with S's own values and ``labkit grade --student S`` grades exactly those.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from labkit import drills, exercises, variants
from labkit.cli.main import main
from labkit.course import base_of
from labkit.errors import UsageError
from labkit.grading.context import GradingContext
from labkit.host import Host
from labkit.testing.sshd import LocalSSHHost

SALT = "labkit-test-drills"
REPAIRS = sorted(n for n in exercises.names() if base_of(n) != n)


@pytest.fixture(autouse=True)
def _salt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABKIT_COURSE_SALT", SALT)
    for name in ("LABKIT_STUDENT", "JUPYTERHUB_USER", "NB_USER", "LABKIT_PARAMS"):
        monkeypatch.delenv(name, raising=False)


def test_every_topic_has_a_repair_drill_built_on_its_exercise() -> None:
    assert REPAIRS == ["repair-iscsi", "repair-lvm", "repair-network", "repair-nfs",
                       "repair-qemu-img"]


@pytest.mark.parametrize("name", REPAIRS)
def test_a_repair_drill_has_its_base_exercise_variants(name: str) -> None:
    base = base_of(name)
    declared = variants.declarations(name)  # by name: what `labkit variants` and notebooks read
    assert declared and declared == variants.declarations(base)
    assert declared == variants.declarations(exercises.load(name))
    ana = GradingContext.build(name, student="ana", need_hosts=False)
    bo = GradingContext.build(name, student="bo", need_hosts=False)
    # the grader's values (the context) are the student's variants, by name and by spec
    by_name = variants.student_params(name, "ana")
    assert by_name and by_name == variants.student_params(exercises.load(name), "ana")
    assert {k: ana.params[k] for k in by_name} == by_name
    assert ana.params != bo.params
    assert ana.params["workdir"] == f"/root/lab/{name}"  # the drill's own folder
    shown = variants.for_student(name, "ana", lang="en").values
    assert shown == {k: v for k, _, v in ana.values_table("en")}


def test_choose_faults_picks_one_or_two_with_their_own_symptoms() -> None:
    faults = exercises.faults("repair-qemu-img")
    picks = [drills.choose_faults(faults, seed) for seed in range(200)]
    assert {len(p) for p in picks} == {1, 2}
    for pick in picks:
        if len(pick) == 2:
            assert not pick[0].fails & pick[1].fails
    assert drills.choose_faults(faults, 7) == drills.choose_faults(faults, 7)
    assert drills.choose_faults([], 7) == []
    assert drills.drill_seed("repair-lvm", "ana") == drills.drill_seed("repair-lvm", "ana")
    assert len({drills.drill_seed("repair-lvm", s) for s in ("ana", "bo", "cris")}) == 3
    assert drills.drill_seed("repair-lvm", "ana") != drills.drill_seed("repair-nfs", "ana")


def test_a_drill_context_from_a_roster(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("id,host,param:repair-qemu-img:disk\n"
                      "ana,ssh://root@192.0.2.7:22,propio\n", encoding="utf-8")
    with pytest.raises(UsageError, match="--student"):
        drills.context("repair-qemu-img", roster=roster, lang="en")
    with pytest.raises(UsageError, match="no student 'zoe'"):
        drills.context("repair-qemu-img", roster=roster, student="zoe", lang="en")
    ctx = drills.context("repair-qemu-img", roster=roster, student="ana", lang="en")
    assert ctx.urls == {"host": "ssh://root@192.0.2.7:22"} and ctx.student == "ana"
    assert ctx.params["disk"] == "propio"  # the roster's value over the variant
    assert ctx.params["raw"] == variants.student_params("repair-qemu-img", "ana")["raw"]
    other = drills.context("repair-qemu-img", roster=roster, student="ana", lang="en",
                           host=["ssh://root@192.0.2.9:22"])
    assert other.urls == {"host": "ssh://root@192.0.2.9:22"}  # --host over the roster's


# -- on a real sshd --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sshd() -> Iterator[LocalSSHHost]:
    host = LocalSSHHost()
    try:
        host.start()
        yield host
    finally:
        host.stop()


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _grade(capsys: pytest.CaptureFixture[str], where: list[str], student: str
           ) -> dict[str, object]:
    code, out, _ = _run(capsys, "grade", "repair-qemu-img", *where, "--student", student,
                        "--json")
    report: dict[str, object] = json.loads(out)
    assert code in (0, 1), report
    return report


@pytest.mark.sshd
def test_break_and_grade_agree_on_the_students_values(
        sshd: LocalSSHHost, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workdir = tmp_path / "drill"
    where = ["--host", sshd.url, "--param", f"workdir={workdir}", "--lang", "en"]
    mine = variants.student_params("repair-qemu-img", "ana")
    theirs = variants.student_params("repair-qemu-img", "bo")
    assert mine["disk"] != theirs["disk"] and mine["raw"] != theirs["raw"]
    defaults = exercises.load("repair-qemu-img").params
    assert mine["disk"] != defaults["disk"]

    code, out, err = _run(capsys, "break", "repair-qemu-img", *where, "--student", "ana",
                          "--reveal")
    assert code == 0, err
    applied = out.split()
    assert 1 <= len(applied) <= 2 and "Broke repair-qemu-img" in err
    assert f"seed {drills.drill_seed('repair-qemu-img', 'ana')}" in err
    assert applied == [f.name for f in drills.choose_faults(
        exercises.faults("repair-qemu-img"), drills.drill_seed("repair-qemu-img", "ana"))]
    made = {p.name for p in workdir.iterdir()}
    assert f"{mine['small']}.qcow2" in made or "small-missing" in applied
    assert not {f"{defaults['disk']}.qcow2", f"{theirs['disk']}.qcow2"} & made

    broken = _grade(capsys, where, "ana")
    failed = {c["id"] for c in broken["checks"] if c["status"] == "failed"}  # type: ignore[attr-defined]
    for name in applied:
        fails = exercises.fault("repair-qemu-img", name).fails
        assert fails <= failed, (name, failed)
    assert broken["score"] < broken["max_score"]  # type: ignore[operator]
    assert _grade(capsys, where, "bo")["score"] == 0  # bo's files are not there

    code, _, err = _run(capsys, "solve", "repair-qemu-img", *where, "--student", "ana")
    assert code == 0, err
    repaired = _grade(capsys, where, "ana")
    assert repaired["score"] == repaired["max_score"] == 10


@pytest.mark.sshd
def test_break_as_a_library_call(sshd: LocalSSHHost, tmp_path: Path) -> None:
    workdir = tmp_path / "lib"
    ctx = GradingContext.build("repair-qemu-img", student="cris", lang="gl", urls={
        "host": sshd.url}, params={"workdir": str(workdir)})
    with Host(sshd.url) as host:
        done = drills.break_hosts(ctx, seed=3, hosts={"host": host})
        assert done.seed == 3 and not done.setup and done.urls == ctx.urls
        report = ctx.grade({"host": host})
    failed = {c.id for c in report.checks if c.status == "failed"}
    assert done.faults and all(exercises.fault("repair-qemu-img", f).fails <= failed
                               for f in done.faults)
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.mark.parametrize("name", REPAIRS)
def test_a_repair_notebook_tells_the_students_own_values(name: str) -> None:
    """The work sheet in the notebook names the student's values (placeholders the next
    cell's table fills in), never the defaults the drill does not use."""
    import re

    import nbformat

    nb = nbformat.read(exercises.exercise_dir(name) / f"{name}.ipynb", as_version=4)
    instructions = next(c for c in nb.cells
                        if c.metadata.get("nbgrader", {}).get("grade_id") == "instructions")
    named = set(re.findall(r"(?<![{])\{([a-z_0-9]+)\}(?![}])", instructions.source))
    spec = exercises.load(name)
    assert named and named <= set(spec.params), named - set(spec.params)
    assert named & set(variants.declarations(name))
    shown = set(variants.for_student(name, "ana").values)  # the table the student sees
    fixed = {k for k in spec.params if k not in spec.variants}  # the same for everyone
    assert named <= shown | fixed, named - shown - fixed
    assert any(f'for_student("{name}"' in c.source for c in nb.cells if c.cell_type == "code")
