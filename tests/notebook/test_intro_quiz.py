"""The nbgrader assignment ``intro-quiz``: real ``generate_assignment`` and ``autograde``.

Three students submit the released notebook: alice with the right answers (full marks), bob
with a wrong hypervisor type and a wrong orchestrator (loses exactly those cells' points),
carol untouched (0, and nbgrader still grades every cell). The release must hide the answers
and the hidden tests. No lab host is needed: the quiz is answered in the notebook itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from labkit.widgets.quiz import CONTAINERS, HYPERVISORS, TECHNIQUES

pytestmark = [pytest.mark.nbgrader, pytest.mark.timeout(300)]

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "exercises" / "intro-quiz" / "intro-quiz.ipynb"
COURSE_ID = "virt-quiz-test"
ASSIGNMENT = "intro-quiz"
POINTS = {"t-types": 3.0, "t-techniques": 5.0, "t-tools": 1.0, "t-resources": 1.0}
#: The notebook's words for the lesson quiz's technique keys (labkit.widgets.quiz).
WORDS = {"full": "completa", "para": "paravirtualizacion", "hw": "hardware", "hybrid": "hibrida",
         "os": "so"}

RIGHT = {
    "a-types": 'tipos = {"VMware ESXi": "I", "Xen": "I", "KVM": "I", "Hyper-V": "I",\n'
               '         "VMware Player": "II", "VirtualBox": "II"}',
    "a-techniques": 'tecnicas = {"a": "completa", "b": "paravirtualizacion", "c": "hardware",\n'
                    '            "d": "hibrida", "e": "so"}',
    "a-tools": 'orquestrador = "kubernetes"',
    "a-resources": 'recursos = {"procesamento", "almacenamento", "conectividade"}',
}
WRONG = {**RIGHT,
         "a-types": RIGHT["a-types"].replace('"KVM": "I"', '"KVM": "II"'),
         "a-tools": 'orquestrador = "docker"'}


@dataclass
class Course:
    root: Path
    runs: dict[str, subprocess.CompletedProcess[str]]

    def autograded(self, student: str) -> nbformat.NotebookNode:
        path = self.root / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        return nbformat.read(path, as_version=4)


def _grade_id(cell: nbformat.NotebookNode) -> str:
    return str(cell.metadata.get("nbgrader", {}).get("grade_id", ""))


def _nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess[str]:
    jupyter = course.parent / "jupyter"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LABKIT_", "JUPYTER"))}
    env.update(PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
               JUPYTER_CONFIG_DIR=str(jupyter / "config"), JUPYTER_DATA_DIR=str(jupyter / "data"),
               JUPYTER_RUNTIME_DIR=str(jupyter / "runtime"), IPYTHONDIR=str(jupyter / "ipython"))
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                            capture_output=True, text=True, timeout=150)
    assert result.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{result.stderr[-4000:]}"
    return result


def _submit(release: Path, dest: Path, answers: dict[str, str] | None) -> None:
    nb = nbformat.read(release, as_version=4)
    for cell in nb.cells:
        if answers is not None and _grade_id(cell) in answers:
            cell.source = answers[_grade_id(cell)]
    dest.mkdir(parents=True)
    nbformat.write(nb, dest / release.name)
    (dest / "timestamp.txt").write_text("2025-03-01 10:00:00.000000 UTC\n")


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Course:
    base = tmp_path_factory.mktemp("nbgrader-quiz")
    root = base / "course"
    (root / "source" / ASSIGNMENT).mkdir(parents=True)
    (root / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.root = {str(root)!r}\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
        "c.Execute.timeout = 60\n")
    (root / "source" / ASSIGNMENT / SOURCE.name).write_bytes(SOURCE.read_bytes())
    runs = {"generate": _nbgrader(root, "generate_assignment", ASSIGNMENT, "--force")}
    release = root / "release" / ASSIGNMENT / SOURCE.name
    for student, answers in (("alice", RIGHT), ("bob", WRONG), ("carol", None)):
        _submit(release, root / "submitted" / student / ASSIGNMENT, answers)
    runs["autograde"] = _nbgrader(root, "autograde", ASSIGNMENT, "--force")
    return Course(root, runs)


def test_source_answers_agree_with_the_lesson_quiz() -> None:
    """The assignment's hidden answers are the lesson's quiz answers (one source of facts)."""
    text = SOURCE.read_text()
    for question in HYPERVISORS.questions:
        name = next(o for o in ("VMware ESXi", "Xen", "KVM", "Hyper-V", "VMware Player",
                                "VirtualBox") if o.lower().replace(" ", "-") == question.id)
        assert f'\\"{name}\\": \\"{question.answer}\\"' in text, name
    assert [WORDS[q.answer] for q in TECHNIQUES.questions] == [
        "completa", "paravirtualizacion", "hardware", "hibrida", "so"]
    assert next(q for q in CONTAINERS.questions if q.id == "orchestrate").answer == "kubernetes"


def test_release_hides_answers_and_hidden_tests(course: Course) -> None:
    release = course.root / "release" / ASSIGNMENT / SOURCE.name
    text = release.read_text()
    assert "HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text
    assert 'orquestrador == \\"kubernetes\\"' not in text
    nb = nbformat.read(release, as_version=4)
    answers = [c for c in nb.cells if _grade_id(c).startswith("a-")]
    assert len(answers) == 4
    assert all("raise NotImplementedError()" in c.source for c in answers)
    assert not any(word in c.source for c in answers
                   for word in ("kubernetes", "paravirtualizacion", "conectividade"))


def _scores(course: Course) -> dict[str, dict[str, float]]:
    from nbgrader.api import Gradebook

    out: dict[str, dict[str, float]] = {}
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}", course_id=COURSE_ID) as gb:
        for student in ("alice", "bob", "carol"):
            out[student] = {cell: float(gb.find_grade(cell, ASSIGNMENT, ASSIGNMENT,
                                                      student).score) for cell in POINTS}
            out[student]["total"] = float(gb.find_submission(ASSIGNMENT, student).score)
    return out


def test_right_answers_score_full_marks(course: Course) -> None:
    scores = _scores(course)["alice"]
    assert scores == {**POINTS, "total": sum(POINTS.values())}


def test_wrong_answers_lose_exactly_their_cells(course: Course) -> None:
    scores = _scores(course)["bob"]
    assert scores == {**POINTS, "t-types": 0.0, "t-tools": 0.0, "total": 6.0}
    nb = course.autograded("bob")
    failed = {_grade_id(c) for c in nb.cells
              if any(o.output_type == "error" for o in c.get("outputs", []))}
    assert failed == {"t-types", "t-tools"}


def test_untouched_notebook_scores_zero(course: Course) -> None:
    scores = _scores(course)["carol"]
    assert scores == {**dict.fromkeys(POINTS, 0.0), "total": 0.0}


def test_visible_tests_give_format_feedback(course: Course) -> None:
    """A malformed answer fails a visible assertion with a message in both languages."""
    nb = nbformat.read(SOURCE, as_version=4)
    test = next(c for c in nb.cells if _grade_id(c) == "t-types")
    visible = test.source.split("### BEGIN HIDDEN TESTS")[0]
    with pytest.raises(AssertionError, match="as chaves / the keys"):
        exec(visible, {"tipos": {"KVM": "I"}})
    with pytest.raises(AssertionError, match="only"):
        exec(visible, {"tipos": dict.fromkeys(("VMware ESXi", "Xen", "KVM", "Hyper-V",
                                               "VMware Player", "VirtualBox"), "III")})
