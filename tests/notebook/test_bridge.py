"""The nbgrader bridge without nbgrader: student id, roster, parameters, scores and messages.

The student's host is a throwaway sshd on this machine that reads as another machine (its
sessions see their own machine id: ``tests/helpers.student_host``), with each case's files
in tmp; ``local://`` and recordings stand in for no one and earn 0. See test_autograde.py for
the same bridge inside a real ``nbgrader autograde``.
"""

from __future__ import annotations

import shutil
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from labkit import exercises
from labkit.errors import ConfigError
from labkit.grading.context import GradingContext
from labkit.host import Host
from labkit.notebook import nbgrader as bridge
from labkit.testing.sshd import free_port
from tests.helpers import student_host

EXERCISE = "qemu-img-basics"
needs_qemu_img = pytest.mark.skipif(shutil.which("qemu-img") is None,
                                    reason="qemu-img is not installed")


@pytest.fixture(scope="module")
def H(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The students' lab host: a real sshd that reads as another machine."""
    if shutil.which("sshd") is None and not Path("/usr/sbin/sshd").exists():
        pytest.skip("OpenSSH server not installed")
    host = student_host(tmp_path_factory.mktemp("student-host"))
    try:
        yield host.url
    finally:
        host.stop()


def _prepare(workdir: Path, fault: str | None = None, student: str = "alice") -> None:
    """Run the solution (and ``fault``) with ``student``'s own values into ``workdir``."""
    context = GradingContext.build(EXERCISE, student=student, params={"workdir": str(workdir)},
                                   need_hosts=False, env={})
    spec = context.spec
    with Host("local://") as host:
        scripts = [exercises.solution(EXERCISE)]
        if fault:
            scripts.append(exercises.fault(EXERCISE, fault).path)
        for script in scripts:
            result = exercises.run_script(host, script, spec, context.params)
            assert result.ok, result.tail()


def _roster(path: Path, *rows: str, header: str = "student_id,host,param:workdir") -> Path:
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LABKIT_STUDENT", "LABKIT_ROSTER", "LABKIT_PARAMS", "LABKIT_LANG",
                 "NBGRADER_EXECUTION"):
        monkeypatch.delenv(name, raising=False)


# -- the student id --------------------------------------------------------------------------
def test_student_from_the_autograded_folder_wins_over_the_variable(tmp_path: Path) -> None:
    here = tmp_path / "autograded" / "alice" / "qemu-img-basics"
    assert bridge.student_id(here, {"LABKIT_STUDENT": "mallory"}) == "alice"


def test_student_from_the_folder_while_nbgrader_autogrades(tmp_path: Path) -> None:
    here = tmp_path / "graded-by-nbgrader" / "bob" / "a1"  # a renamed autograded_directory
    assert bridge.student_id(here, {"NBGRADER_EXECUTION": "autograde"}) == "bob"


def test_student_from_the_variable_outside_autograde(tmp_path: Path) -> None:
    assert bridge.student_id(tmp_path, {"LABKIT_STUDENT": "carol"}) == "carol"
    assert bridge.student_id(tmp_path, {}) is None


# -- finding the roster, parameters -----------------------------------------------------------
def test_roster_found_in_a_parent_folder(tmp_path: Path) -> None:
    roster = _roster(tmp_path / bridge.ROSTER_NAME, "alice,local://,")
    here = tmp_path / "autograded" / "alice" / "a1"
    here.mkdir(parents=True)
    assert bridge.find_roster(here, {}) == roster
    assert bridge.find_roster(here, {"LABKIT_ROSTER": "/elsewhere.csv"}) == Path("/elsewhere.csv")


def test_parse_params() -> None:
    assert bridge.parse_params("workdir=/tmp/a, x = 1,") == {"workdir": "/tmp/a", "x": "1"}
    assert bridge.parse_params("") == {}
    with pytest.raises(ConfigError, match=r"(?i)name=value"):
        bridge.parse_params("workdir")


# -- grading ---------------------------------------------------------------------------------
@needs_qemu_img
def test_full_marks_and_scaled_partial_credit(tmp_path: Path, H: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    _prepare(tmp_path / "a")
    _prepare(tmp_path / "b", fault="resize-without-plus", student="bob")  # 2 of 10 points
    roster = _roster(tmp_path / "r.csv", f"alice,{H},{tmp_path / 'a'}",
                     f"bob,{H},{tmp_path / 'b'}")
    assert bridge.autograde_points(EXERCISE, roster=roster, student="alice") == 10.0
    assert bridge.autograde_points(EXERCISE, roster=roster, student="bob") == 8.0
    assert bridge.autograde_points(EXERCISE, roster=roster, student="bob", points=5) == 4.0
    out, err = capsys.readouterr()
    assert err == ""
    assert "✘ disk-grown" in out and "Pista:" in out  # Galician by default
    assert "Puntos desta cela: 4/5" in out


@needs_qemu_img
def test_parameter_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, H: str,
                              capsys: pytest.CaptureFixture[str]) -> None:
    _prepare(tmp_path / "good")
    _prepare(tmp_path / "good-bob", student="bob")
    roster = _roster(tmp_path / "r.csv", f"alice,{H},",
                     f"bob,{H},{tmp_path / 'good-bob'}",
                     header="student_id,host,param:workdir")
    # LABKIT_PARAMS applies to every student; names this exercise lacks are ignored.
    monkeypatch.setenv("LABKIT_PARAMS", f"workdir={tmp_path / 'good'},nosuch=3")
    assert bridge.autograde_points(EXERCISE, roster=roster, student="alice") == 10.0
    # The roster's column is more specific than the variable.
    monkeypatch.setenv("LABKIT_PARAMS", f"workdir={tmp_path / 'missing'}")
    assert bridge.autograde_points(EXERCISE, roster=roster, student="bob") == 10.0
    # An explicit argument wins over both, and must name a real parameter.
    assert bridge.autograde_points(EXERCISE, roster=roster, student="bob",
                                   params={"workdir": str(tmp_path / "missing")}) == 0.0
    capsys.readouterr()
    assert bridge.autograde_points(EXERCISE, roster=roster, student="bob",
                                   params={"wrokdir": "/x"}) == 0.0
    assert "unknown parameter 'wrokdir'" in capsys.readouterr().out


@needs_qemu_img
def test_exercise_specific_roster_column_and_language(tmp_path: Path, H: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    _prepare(tmp_path / "a")
    roster = _roster(tmp_path / "r.csv", f"alice,{H},en,/nowhere,{tmp_path / 'a'}",
                     header=f"student_id,host,lang,param:workdir,param:{EXERCISE}:workdir")
    assert bridge.autograde_points(EXERCISE, roster=roster, student="alice") == 10.0
    assert "Points of this cell: 10/10" in capsys.readouterr().out
    assert bridge.autograde_points(EXERCISE, roster=roster, student="alice", lang="gl") == 10.0
    assert "Puntos desta cela: 10/10" in capsys.readouterr().out


def test_unreachable_host_prints_why_and_scores_zero(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    url = f"ssh://root@127.0.0.1:{free_port()}?timeout=3&known_hosts={tmp_path / 'kh'}"
    roster = _roster(tmp_path / "r.csv", f"carol,{url},", "dave,local://,")
    assert bridge.autograde_points(EXERCISE, roster=roster, student="carol", lang="en") == 0.0
    out, err = capsys.readouterr()
    assert err == "" and "Traceback" not in out
    assert "Your lab host could not be read" in out and "127.0.0.1" in out
    assert "Points of this cell: 0/10" in out


@pytest.mark.parametrize(("case", "expected"), [
    ("not-in-roster", "'zoe' is not in the list of lab hosts"),
    ("no-roster", "labkit-roster.csv"),
    ("bad-roster", "r.csv:3: duplicate student id 'alice'"),
    ("no-student", "Whose submission this is is unknown"),
    ("unknown-exercise", "unknown exercise 'nope'"),
])
def test_setup_problems_print_why_and_score_zero(
        case: str, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    rows = ["alice,local://,", "alice,local://,"] if case == "bad-roster" else ["alice,local://,"]
    roster: Path | None = _roster(tmp_path / "r.csv", *rows)
    student: str | None = "zoe" if case == "not-in-roster" else "alice"
    exercise = "nope" if case == "unknown-exercise" else EXERCISE
    if case == "no-roster":
        roster = None
    if case == "no-student":
        student = None
    assert bridge.autograde_points(exercise, roster=roster, student=student, lang="en") == 0.0
    out, err = capsys.readouterr()
    assert expected in out
    assert err == ""


def test_library_noise_never_reaches_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            H: str, capsys: pytest.CaptureFixture[str]) -> None:
    """nbgrader scores a test cell that wrote to stderr as 0: warnings and stray prints from
    the libraries below (paramiko, cryptography) must not get there."""
    real = GradingContext.grade

    def noisy(*args: object, **kwargs: object) -> object:
        warnings.warn("TripleDES has been moved", UserWarning, stacklevel=1)
        print("paramiko says something", file=sys.stderr)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(GradingContext, "grade", noisy)
    roster = _roster(tmp_path / "r.csv", f"alice,{H},{tmp_path / 'nothing'}")
    assert bridge.autograde_points(EXERCISE, roster=roster, student="alice") == 0.0
    out, err = capsys.readouterr()
    assert err == ""
    assert "paramiko says something" in out
    assert "✘ disk-exists" in out


def test_nbgrader_validate_of_the_source_notebook_passes(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")
    assert bridge.autograde_points(EXERCISE, points=10) == 10.0
    assert "nbgrader validate" in capsys.readouterr().out
    # With a student given, validate grades for real (a teacher trying a host out).
    assert bridge.autograde_points(EXERCISE, student="zoe", roster=_roster(
        tmp_path / "r.csv", "alice,local://,")) == 0.0


@needs_qemu_img
@pytest.mark.parametrize("host", ["local://", "replay"])
def test_the_grading_machine_or_a_recording_earns_zero_and_needs_a_human(
        host: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The same solved files, read through this machine itself or through a recording of a
    real host, earn nothing: 0 points and the reason, for the teacher to grade by hand."""
    _prepare(tmp_path / "a")
    url = host
    if host == "replay":
        recording = next((Path(__file__).parents[2] / "exercises").glob("*/replay/*.json"))
        url = f"replay://{recording}"
    roster = _roster(tmp_path / "r.csv", f"alice,{url},{tmp_path / 'a'}")
    assert bridge.autograde_points(EXERCISE, roster=roster, student="alice", lang="en") == 0.0
    out, err = capsys.readouterr()
    assert err == ""
    assert "left for manual grading" in out
    assert ("grading machine itself" if host == "local://" else "is a recording") in out
    assert "Points of this cell: 0/10" in out
