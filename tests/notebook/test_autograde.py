"""End to end: a real nbgrader course grades students' real lab hosts through the labkit bridge.

One course in a temporary folder, both qemu-img exercises as assignments, three students:

- alice ran the solution                -> full marks (Galician feedback, the default);
- bob ran the solution plus one fault   -> max_score minus the points of the failed check
                                           (English feedback, from the roster's lang column);
- carol's host does not answer          -> 0, with a message instead of a traceback;
- dave's "host" is the grading machine itself (``local://``, his files solved) -> 0, the
  reason, and ``needs_manual_grade`` in the gradebook (labkit's FlagManualGrades
  preprocessor, added in the course's nbgrader_config.py).

Every student has their own values (variants, from the course secret the teacher sets); the
solutions ran with them. The lab host is a real OpenSSH server on 127.0.0.1 that reads as
another machine (``tests/helpers.student_host``); each student's files live in their own
folder under tmp, given to the grader by the roster's ``param:`` columns. ``nbgrader
generate_assignment`` and ``nbgrader autograde`` run as real commands.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

from labkit import exercises
from labkit.grading.context import GradingContext
from labkit.host import Host
from labkit.testing.sshd import LocalSSHHost, free_port
from tests.helpers import student_host

pytestmark = [pytest.mark.nbgrader, pytest.mark.sshd, pytest.mark.timeout(300)]

ROOT = Path(__file__).resolve().parents[2]
COURSE_ID = "virt-test"
ASSIGNMENTS = ("qemu-img-basics", "qemu-img-snapshots")
#: Faults whose failed checks block no other check, so the expected score is exact.
FAULTS = {"qemu-img-basics": "resize-without-plus", "qemu-img-snapshots": "not-rebased"}
STUDENTS = ("alice", "bob", "carol", "dave")
LANG = {"alice": "gl", "bob": "en", "carol": "gl", "dave": "gl"}
SALT = "virt-test-course-secret"
MANUAL = "application/vnd.labkit.manual+json"


def _context(assignment: str, student: str, workdir: str) -> GradingContext:
    return GradingContext.build(assignment, student=student, lang=LANG[student], salt=SALT,
                                params={"workdir": workdir}, need_hosts=False, env={})
TEST_CELL = "lab-host"
COMMAND_TIMEOUT = 150


@dataclass
class Course:
    root: Path
    lab: LocalSSHHost
    workdirs: dict[tuple[str, str], str] = field(default_factory=dict)
    commands: dict[str, subprocess.CompletedProcess[str]] = field(default_factory=dict)

    def autograded(self, student: str, assignment: str) -> nbformat.NotebookNode:
        path = self.root / "autograded" / student / assignment / f"{assignment}.ipynb"
        return nbformat.read(path, as_version=4)


def _cell(nb: nbformat.NotebookNode, grade_id: str) -> nbformat.NotebookNode:
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _stdout(cell: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for o in cell.outputs
                   if o.output_type == "stream" and o.name == "stdout")


def _nbgrader(course: Path, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    """Run the real nbgrader CLI in ``course`` with an isolated Jupyter config."""
    jupyter = course.parent / "jupyter"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LABKIT_", "JUPYTER"))}
    env.update(
        # nbgrader runs `alembic` from PATH when it creates the gradebook.
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        JUPYTER_CONFIG_DIR=str(jupyter / "config"), JUPYTER_DATA_DIR=str(jupyter / "data"),
        JUPYTER_RUNTIME_DIR=str(jupyter / "runtime"), IPYTHONDIR=str(jupyter / "ipython"),
        LABKIT_ROOT=str(ROOT), LABKIT_COURSE_SALT=SALT,
        **extra_env,
    )
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                            capture_output=True, text=True, timeout=COMMAND_TIMEOUT)
    assert result.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{result.stderr[-4000:]}"
    return result


def _submit(release: Path, dest: Path, commands: str | None) -> None:
    nb = nbformat.read(release, as_version=4)
    if commands is not None:
        cell = _cell(nb, "commands")
        head = [ln for ln in cell.source.splitlines()
                if ln.startswith(("%%", "#")) and "YOUR CODE HERE" not in ln]
        cell.source = "\n".join([*head, commands])
    dest.mkdir(parents=True)
    nbformat.write(nb, dest / release.name)
    (dest / "timestamp.txt").write_text("2025-03-01 10:00:00.000000 UTC\n")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalSSHHost]:
    host = student_host(tmp_path_factory.mktemp("sshd"))
    try:
        yield host
    finally:
        host.stop()


@pytest.fixture(scope="module")
def course(lab: LocalSSHHost, tmp_path_factory: pytest.TempPathFactory) -> Course:
    base = tmp_path_factory.mktemp("nbgrader")
    root = base / "course"
    root.mkdir()
    (root / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.root = {str(root)!r}\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
        "c.Execute.timeout = 90\n"
        "from labkit.notebook.nbgrader_manual import autograde_preprocessors\n"
        "c.Autograde.autograde_preprocessors = autograde_preprocessors()\n"
    )
    result = Course(root, lab)

    # Each student's lab state, in their own folder on the lab host.
    with Host(lab.url) as host:
        for assignment in ASSIGNMENTS:
            spec = exercises.load(assignment)
            for student in ("alice", "bob", "dave"):
                workdir = str(base / "hosts" / student / assignment)
                result.workdirs[(student, assignment)] = workdir
                params = _context(assignment, student, workdir).params
                for script in [exercises.solution(assignment)] + (
                        [exercises.fault(assignment, FAULTS[assignment]).path]
                        if student == "bob" else []):
                    run = exercises.run_script(host, script, spec, params)
                    assert run.ok, f"{script}: {run.tail()}"

    closed_port = free_port()
    with (root / "labkit-roster.csv").open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["student_id", "host", "lang",
                      *(f"param:{a}:workdir" for a in ASSIGNMENTS)])
        for student in ("alice", "bob"):
            out.writerow([student, lab.url, "en" if student == "bob" else "",
                          *(result.workdirs[(student, a)] for a in ASSIGNMENTS)])
        out.writerow(["carol", f"ssh://root@127.0.0.1:{closed_port}?key={lab.key}"
                               f"&known_hosts={lab.known_hosts}&timeout=5", "", "", ""])
        out.writerow(["dave", "local://", "",
                      *(result.workdirs[("dave", a)] for a in ASSIGNMENTS)])

    for assignment in ASSIGNMENTS:
        source = root / "source" / assignment
        source.mkdir(parents=True)
        nb_name = f"{assignment}.ipynb"
        (source / nb_name).write_bytes((ROOT / "exercises" / assignment / nb_name).read_bytes())
        result.commands[f"generate {assignment}"] = _nbgrader(
            root, "generate_assignment", assignment, "--force")
        release = root / "release" / assignment / nb_name
        solution = exercises.solution(assignment).read_text()
        for student in STUDENTS:
            # If the grader ever ran the recorded commands, this file would appear.
            canary = f"touch {base / 'hosts' / student / 'grader-ran-it'}"
            _submit(release, root / "submitted" / student / assignment,
                    None if student == "carol" else f"{solution}\n{canary}")
        result.commands[f"autograde {assignment}"] = _nbgrader(
            root, "autograde", assignment, "--force",
            # Left set in the teacher's shell by mistake: during autograde the folder must win.
            LABKIT_STUDENT="mallory")
    return result


# -- the release copy ----------------------------------------------------------------------------
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_has_no_hidden_tests_or_solution(course: Course, assignment: str) -> None:
    release = course.root / "release" / assignment / f"{assignment}.ipynb"
    text = release.read_text()
    assert "HIDDEN TESTS" not in text
    assert "autograde_points" not in text
    nb = nbformat.read(release, as_version=4)
    assert "qemu-img" not in _cell(nb, "commands").source  # the solution commands are gone
    assert _cell(nb, "commands").source.startswith("%%script true\n")
    assert "/root/lab/" in _cell(nb, "instructions").source
    test_cell = _cell(nb, TEST_CELL)
    assert test_cell.metadata.nbgrader["points"] == exercises.load(assignment).max_score


# -- the gradebook ---------------------------------------------------------------------------------
def _gradebook_scores(course: Course) -> dict[tuple[str, str], tuple[float, float, bool]]:
    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}", course_id=COURSE_ID) as gb:
        for assignment in ASSIGNMENTS:
            for student in STUDENTS:
                grade = gb.find_grade(TEST_CELL, assignment, assignment, student)
                submission = gb.find_submission(assignment, student)
                scores[(student, assignment)] = (
                    float(grade.score), float(submission.score), bool(grade.needs_manual_grade))
    return scores


def test_gradebook_scores(course: Course) -> None:
    scores = _gradebook_scores(course)
    expected = {}
    for assignment in ASSIGNMENTS:
        spec = exercises.load(assignment)
        failed = exercises.fault(assignment, FAULTS[assignment]).fails
        assert not any(set(c.requires) & failed for c in spec.checks), \
            "pick a fault whose failed checks block nothing, so the expected score is exact"
        lost = sum(c.points for c in spec.checks if c.id in failed)
        assert lost > 0
        expected[("alice", assignment)] = spec.max_score
        expected[("bob", assignment)] = spec.max_score - lost
        expected[("carol", assignment)] = 0.0
        expected[("dave", assignment)] = 0.0
    got = {key: (cell, total) for key, (cell, total, _) in scores.items()}
    assert got == {key: (value, value) for key, value in expected.items()}
    manual = {key for key, (_, _, needs) in scores.items() if needs}
    assert manual == {(s, a) for a in ASSIGNMENTS for s in ("carol", "dave")}, (
        "a host that could not be read, and the grading machine itself, need a human")


def test_export_csv_agrees(course: Course) -> None:
    _nbgrader(course.root, "export", "--to", str(course.root / "grades.csv"))
    with (course.root / "grades.csv").open() as f:
        rows = {(r["student_id"], r["assignment"]): float(r["score"]) for r in csv.DictReader(f)}
    scores = _gradebook_scores(course)
    assert rows == {key: total for key, (_, total, _) in scores.items()}


# -- the feedback --------------------------------------------------------------------------------
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
@pytest.mark.parametrize("student", ["alice", "bob"])
def test_check_messages_in_autograded_notebook(course: Course, student: str,
                                               assignment: str) -> None:
    nb = course.autograded(student, assignment)
    cell = _cell(nb, TEST_CELL)
    assert not [o for o in cell.outputs if o.output_type == "error"
                or (o.output_type == "stream" and o.name == "stderr")]
    shown = _stdout(cell)
    # What the same grade says when run directly: every message must reach the student.
    report = _context(assignment, student, course.workdirs[(student, assignment)]).grade(
        {"host": Host(course.lab.url)})
    for check in report.checks:
        assert check.id in shown
        assert check.message in shown
        if check.hint:
            assert check.hint in shown
    if student == "bob":
        assert report.score < report.max_score and "failed" in shown  # English, from the roster
    else:
        assert report.complete and "superada" in shown
    result = [o for o in cell.outputs if o.output_type == "execute_result"]
    assert len(result) == 1 and float(result[0].data["text/plain"]) == report.score

    # The commands cell keeps the student's commands and never runs them on the grader.
    commands = _cell(nb, "commands")
    assert "qemu-img create" in commands.source and commands.outputs == []
    assert not (Path(course.workdirs[(student, assignment)]).parent / "grader-ran-it").exists()


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_unreachable_host_gets_a_message_not_a_traceback(course: Course,
                                                         assignment: str) -> None:
    cell = _cell(course.autograded("carol", assignment), TEST_CELL)
    assert cell.outputs[-1].output_type == "execute_result"
    assert all((o.output_type == "stream" and o.name == "stdout")
               or (o.output_type == "display_data" and MANUAL in o.data)
               for o in cell.outputs[:-1])
    shown = _stdout(cell)
    assert "Non se puido ler a túa máquina do laboratorio" in shown
    assert "127.0.0.1" in shown
    assert "Traceback" not in shown
    assert float(cell.outputs[-1].data["text/plain"]) == 0.0


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_grading_machine_earns_zero_with_its_reason(course: Course, assignment: str) -> None:
    cell = _cell(course.autograded("dave", assignment), TEST_CELL)
    shown = _stdout(cell)
    assert "a propia máquina que corrixe" in shown and "corrección manual" in shown
    assert float(cell.outputs[-1].data["text/plain"]) == 0.0
    assert any(MANUAL in (o.get("data") or {}) for o in cell.outputs)


#: The one traceback a kernel may print on its way out, not from any cell: ipykernel's
#: control channel publishing "idle" while its IOPub event pipe is being closed (a race in
#: ipykernel's shutdown; its send path was fixed in 7.4, the event pipe's is not).
_KERNEL_EXIT_RACE = re.compile(
    r"Traceback \(most recent call last\):\n(?:  .*\n)*?.*ipykernel/iostream\.py.*\n"
    r"(?:  .*\n)*?zmq\.error\.ZMQError: Socket operation on non-socket\n")


def test_nbgrader_reported_no_cell_errors(course: Course) -> None:
    """No cell of any autograded notebook failed (no error output), and neither nbgrader nor a
    cell printed a traceback (the kernel's own exit race aside)."""
    for assignment in ASSIGNMENTS:
        for student in STUDENTS:
            errors = [(cell.get("metadata", {}).get("nbgrader", {}).get("grade_id"), o.ename)
                      for cell in course.autograded(student, assignment).cells
                      for o in cell.get("outputs", []) if o.output_type == "error"]
            assert not errors, f"{assignment}/{student}: cells failed: {errors}"
    for name, run in course.commands.items():
        stderr = _KERNEL_EXIT_RACE.sub("", run.stderr)
        assert "Traceback" not in stderr, f"{name}:\n{stderr[-3000:]}"


def test_the_kernel_exit_race_is_all_that_is_forgiven() -> None:
    race = ("Traceback (most recent call last):\n"
            '  File "/v/ipykernel/kernelbase.py", line 409, in process_control\n'
            '  File "/v/ipykernel/iostream.py", line 343, in schedule\n'
            "    self._event_pipe.send(b\"\")\n"
            '  File "zmq/backend/cython/_zmq.py", line 190, in zmq.backend.cython._zmq._check_rc\n'
            "zmq.error.ZMQError: Socket operation on non-socket\n")
    cell = ("Traceback (most recent call last):\n"
            '  File "<ipython-input-3>", line 1, in <module>\n'
            "NameError: name 'lesson' is not defined\n")
    assert "Traceback" not in _KERNEL_EXIT_RACE.sub("", race)
    assert "NameError" in _KERNEL_EXIT_RACE.sub("", cell + race)
    assert "Traceback" in _KERNEL_EXIT_RACE.sub("", race + cell)


def test_validate_of_the_source_notebook_passes(course: Course) -> None:
    """`nbgrader validate` (the teacher's check of a source notebook) has no host to grade."""
    notebook = course.root / "source" / ASSIGNMENTS[0] / f"{ASSIGNMENTS[0]}.ipynb"
    run = _nbgrader(course.root, "validate", str(notebook))
    assert "Success! Your notebook passes all the tests." in run.stdout
