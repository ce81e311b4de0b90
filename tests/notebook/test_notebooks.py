"""Every exercise's nbgrader source notebook agrees with its grader spec (no nbgrader run)."""

from __future__ import annotations

import re
import subprocess

import nbformat
import pytest

from labkit import exercises

NOTEBOOKS = sorted(n for n in exercises.names()
                   if (exercises.exercise_dir(n) / f"{n}.ipynb").exists())


def _taught(name: str) -> bool:
    from labkit.errors import LabkitError
    from labkit.lessons import lesson_of

    try:
        lesson_of(name)
    except LabkitError:
        return False
    return True


#: Exercises a lesson teaches: their notebooks list the checks and show the Exercise panel.
#: (Repair drills tell the symptom only: no table of checks, which would give the cause away.)
TAUGHT = [n for n in NOTEBOOKS if _taught(n)]


def _cells(name: str) -> dict[str, nbformat.NotebookNode]:
    nb = nbformat.read(exercises.exercise_dir(name) / f"{name}.ipynb", as_version=4)
    nbformat.validate(nb)
    from nbgrader.nbgraderformat import MetadataValidator

    MetadataValidator().validate_nb(nb)
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if "nbgrader" in c.metadata}


def test_both_qemu_img_exercises_have_a_notebook() -> None:
    assert {"qemu-img-basics", "qemu-img-snapshots"} <= set(NOTEBOOKS)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_test_cell_is_worth_the_spec_max_score(name: str) -> None:
    spec = exercises.load(name)
    cells = _cells(name)
    graded = [c for c in cells.values() if c.metadata.nbgrader["grade"]]
    assert [c.metadata.nbgrader["grade_id"] for c in graded] == ["lab-host"]
    test = cells["lab-host"]
    assert test.cell_type == "code" and test.metadata.nbgrader["locked"]
    assert test.metadata.nbgrader["points"] == spec.max_score
    hidden = re.search(r"### BEGIN HIDDEN TESTS\n(.*)### END HIDDEN TESTS", test.source, re.S)
    assert hidden, "the call to the bridge must be hidden from students"
    call = re.search(r'autograde_points\("([^"]+)", points=([0-9.]+)\)\s*$', hidden.group(1))
    assert call and call.group(1) == name and float(call.group(2)) == spec.max_score


@pytest.mark.parametrize("name", TAUGHT)
def test_instructions_follow_the_spec_in_both_languages(name: str) -> None:
    spec = exercises.load(name)
    cell = _cells(name)["instructions"]
    assert cell.cell_type == "markdown" and cell.metadata.nbgrader["locked"]
    text = cell.source
    for lang in ("gl", "en"):
        assert spec.title[lang] in text
        for check in spec.checks:
            assert f"| {check.message[lang]} | {check.points:g} |" in text, check.id
    if "workdir" in spec.params:
        assert "{workdir}" in text or str(spec.params["workdir"]) in text
    for name in re.findall(r"(?<![{])\{([a-z_0-9]+)\}(?![}])", text):
        assert name in spec.params, f"{{{name}}} is not a parameter of {spec.exercise}"
    assert text.count(f"{spec.max_score:g} p") == 2  # "Vale N puntos" / "worth N points"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_commands_cell_is_an_ungraded_solution_that_never_runs_commands(name: str) -> None:
    cell = _cells(name)["commands"]
    meta = cell.metadata.nbgrader
    assert cell.cell_type == "code" and meta["solution"] and not meta["grade"]
    assert cell.source.startswith("%%script true\n")
    assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source


#: Commands that undo a lab: a model answer builds, it never tears down.
TEARDOWN = re.compile(r"\b(vgremove|pvremove|lvremove|wipefs|clearconfig|exportfs -ua|"
                      r"ip link del|ip netns del|del-br|del-port|-o delete|umount|rm -rf?)\b")


def test_intro_container_has_its_notebook_like_every_other_exercise() -> None:
    assert "intro-container" in TAUGHT
    from labkit.lessons import LESSONS

    assert {e for spec in LESSONS.values() for e in spec.exercises} <= set(TAUGHT)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_model_answer_is_a_shell_script_that_runs(name: str) -> None:
    """The solution in the commands cell parses as bash and only builds (no teardown)."""
    source = _cells(name)["commands"].source
    body = re.search(r"### BEGIN SOLUTION\n(.*)### END SOLUTION", source, re.S)
    assert body
    parsed = subprocess.run(["bash", "-n"], input=body.group(1), text=True,
                            capture_output=True, timeout=30)
    assert parsed.returncode == 0, parsed.stderr
    for line in body.group(1).splitlines():
        assert not TEARDOWN.search(line), line


@pytest.mark.parametrize("name", TAUGHT)
def test_the_exercise_panel_shows_the_students_values_but_never_runs_under_nbgrader(
        name: str) -> None:
    """Exercise(...) starts or attaches the lab: a student's kernel runs it, nbgrader's
    autograde must not (it would boot VMs on the teacher's machine)."""
    nb = nbformat.read(exercises.exercise_dir(name) / f"{name}.ipynb", as_version=4)
    panels = [c for c in nb.cells if c.cell_type == "code" and "Exercise(" in c.source]
    assert len(panels) == 1, name
    source = panels[0].source
    assert f'Exercise("{name}", "gl")' in source
    assert 'None if os.environ.get("NBGRADER_EXECUTION") else Exercise(' in source
    order = [c.metadata.get("nbgrader", {}).get("grade_id") or c.source[:20] for c in nb.cells]
    assert nb.cells.index(panels[0]) < order.index("commands")
