"""Every exercise on a real lab host: its solution scores full marks, and each of its faults
fails exactly the checks it names, with messages a student understands.

Each case runs over the real local sshd (``ssh``) and over ``local://``; the CLI is driven as
a teacher would drive it (``labkit solve`` / ``labkit fault`` / ``labkit grade --json``).
Every exercise declares per-student values: the scripts run with one student's values (the
grading context's), and another student's grade of the same host is below full marks.

Only exercises on host-level tools run here (their solutions work in a scratch ``workdir``
on any machine). Exercises on kernel features (LVM on the VM's spare disks, namespaces and
cgroups, networks) change the machine they run on: they run on the sandbox VM, never here.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from labkit import exercises
from labkit.checks.spec import bind
from labkit.grading import Report
from labkit.grading.context import GradingContext
from labkit.host import Host
from labkit.i18n import LANGS
from labkit.testing.memo import SameAnswer
from labkit.testing.sshd import LocalSSHHost
from tests.helpers import (
    assert_student_message,
    host_level_exercises,
    labkit_cli,
    validate_report,
)

LOCAL = host_level_exercises()
SOLUTIONS = [pytest.param(name, id=name) for name in LOCAL]
FAULTS = [pytest.param(name, fault.name, id=f"{name}/{fault.name}")
          for name in LOCAL for fault in exercises.faults(name)]


#: The student whose values the scripts use, and one whose values differ.
STUDENT, OTHER = "ana.lopez", "brais.vila"


def student_context(name: str, workdir: Path, student: str = STUDENT,
                    lang: str = "gl") -> GradingContext:
    """``student``'s grading context for ``name`` with files in ``workdir`` (teacher's view:
    every hint level shown)."""
    return GradingContext.build(name, student=student, lang=lang, env={},
                                params={"workdir": str(workdir)}, hint_level=3,
                                need_hosts=False)


def _solve_and_grade(url: str, name: str, fault: str | None,
                     workdir: Path) -> tuple[dict[str, str], dict[str, Report]]:
    """Run the solution (then the fault) with the student's values on the host and grade it
    in every language."""
    context = student_context(name, workdir)
    spec = context.spec
    scripts = [exercises.solution(name)]
    if fault is not None:
        scripts.append(exercises.fault(name, fault).path)
    with Host(url) as host:
        for script in scripts:
            result = exercises.run_script(host, script, spec, context.params)
            assert result.ok, f"{script.name} failed ({result.exit_code}): {result.tail()}"
        memo = Host(SameAnswer(host.transport))
        reports = {lang: dataclasses.replace(context, lang=lang).grade({"host": memo})
                   for lang in LANGS}
    return context.params, reports


def test_every_exercise_has_a_solution_and_faults() -> None:
    assert LOCAL, "no host-level exercises found"
    for name in exercises.names():
        assert exercises.solution(name).is_file()
        faults = exercises.faults(name)
        assert faults, f"{name} has no fault scripts"
        ids = {c.id for c in exercises.load(name).checks}
        for fault in faults:
            assert fault.fails, f"{name}/{fault.name} fails no check"
            unknown = fault.fails - ids
            assert not unknown, f"{name}/{fault.name} names unknown checks {sorted(unknown)}"


@pytest.mark.parametrize("name", SOLUTIONS)
def test_solution_scores_full_marks(host_url: str, name: str, workdir: Path) -> None:
    _, reports = _solve_and_grade(host_url, name, None, workdir)
    for lang, report in reports.items():
        bad = [(c.id, c.status, c.message) for c in report.checks if c.status != "passed"]
        assert not bad, f"[{lang}] {bad}"
        assert report.error is None
        assert report.complete
        assert report.score == report.max_score == exercises.load(name).max_score
        validate_report(report.to_dict())


@pytest.mark.parametrize("name", SOLUTIONS)
def test_one_students_solution_is_not_anothers(name: str, workdir: Path) -> None:
    """The same solved host graded as another student (their own names and sizes) is below
    full marks: one student's answer does not serve another."""
    mine = student_context(name, workdir)
    theirs = student_context(name, workdir, OTHER)
    assert mine.params != theirs.params
    _, reports = _solve_and_grade("local://", name, None, workdir)
    assert reports["gl"].complete
    with Host("local://") as host:
        report = theirs.grade({"host": host})
    assert report.error is None
    assert report.score < report.max_score, report.to_dict()


@pytest.mark.parametrize(("name", "fault"), FAULTS)
def test_fault_fails_exactly_its_checks(host_url: str, name: str, fault: str,
                                        workdir: Path) -> None:
    spec = exercises.load(name)
    expected = exercises.fault(name, fault).fails
    ids = [c.id for c in spec.checks]
    assert expected <= set(ids), f"the fault names unknown checks: {sorted(expected - set(ids))}"
    params, reports = _solve_and_grade(host_url, name, fault, workdir)
    paths = {c.spec.id: str(c.args.path) for c in bind(spec, params)}  # type: ignore[attr-defined]
    requires = {c.id: c.requires for c in spec.checks}
    messages: dict[str, dict[str, str]] = {}
    for lang, report in reports.items():
        assert report.error is None, report.error
        status = {c.id: c.status for c in report.checks}
        failed = {i for i, s in status.items() if s == "failed"}
        assert failed == expected, f"[{lang}] failed {sorted(failed)}, expected {sorted(expected)}"
        for check in report.checks:
            assert check.status in ("passed", "failed", "blocked"), (check.id, check.message)
            if check.status == "blocked":
                # Blocked only behind a check that did not pass, and that traces back to a
                # check that really failed.
                chain, seen = list(requires[check.id]), set()
                while chain:
                    dep = chain.pop()
                    if dep not in seen and status[dep] == "blocked":
                        chain.extend(requires[dep])
                    seen.add(dep)
                assert any(status[d] == "failed" for d in seen), (check.id, status)
                assert any(status[d] != "passed" for d in requires[check.id])
            if check.status == "failed":
                assert_student_message(check.message, paths[check.id])
                assert check.hint, f"{check.id} failed without a hint"
                messages.setdefault(check.id, {})[lang] = check.message
        assert report.score == sum(c.points for c in report.checks if c.status == "passed")
        assert report.score < report.max_score
        validate_report(report.to_dict())
    for check_id, by_lang in messages.items():
        assert by_lang["gl"] != by_lang["en"], f"{check_id}: the same message in gl and en"


@pytest.mark.sshd
@pytest.mark.parametrize("name", SOLUTIONS)
def test_cli_solve_fault_grade(lab_host: LocalSSHHost, name: str, workdir: Path) -> None:
    """``labkit solve`` -> grade exit 0 (full marks); ``labkit fault`` -> grade exit 1."""
    where = ["--host", lab_host.url, "--param", f"workdir={workdir}", "--student", STUDENT]
    solved = labkit_cli("solve", name, *where)
    assert solved.code == 0, solved.stderr

    graded = labkit_cli("--lang", "en", "grade", name, *where, "--json")
    assert graded.code == 0, graded.stderr
    # the throwaway sshd runs on the grading machine itself: labkit grades it, and says so
    assert graded.stderr.startswith("labkit: Note: ") and "grading machine itself" in graded.stderr
    data = json.loads(graded.stdout)
    validate_report(data)
    assert data["exercise"] == name
    assert data["score"] == data["max_score"] == exercises.load(name).max_score
    assert {c["status"] for c in data["checks"]} == {"passed"}
    assert "key=" not in data["host"], "the report shows the key's path"

    if name == LOCAL[0]:  # the terminal table, once
        table = labkit_cli("grade", name, *where)
        assert table.code == 0, table.stderr
        assert name in table.stdout

    fault = exercises.faults(name)[0]
    broken = labkit_cli("fault", name, fault.name, *where)
    assert broken.code == 0, broken.stderr

    graded = labkit_cli("grade", name, *where, "--json")
    assert graded.code == 1, graded.stderr
    data = json.loads(graded.stdout)
    validate_report(data)
    assert {c["id"] for c in data["checks"] if c["status"] == "failed"} == fault.fails
    assert data["score"] < data["max_score"]
    assert all("hint" in c for c in data["checks"] if c["status"] == "failed")


@pytest.mark.sshd
def test_cli_fault_unknown_and_failing_script(lab_host: LocalSSHHost, workdir: Path) -> None:
    """An unknown fault is exit 2; a fault script that fails (nothing to break: the solution
    was never run) is exit 1 with the script's own error on stderr."""
    name = LOCAL[0]
    where = ["--host", lab_host.url, "--param", f"workdir={workdir / 'never-made'}",
             "--student", STUDENT]
    unknown = labkit_cli("fault", name, "no-such-fault", *where)
    assert unknown.code == 2
    assert unknown.stderr.startswith("labkit: ") and "no-such-fault" in unknown.stderr
    failing = next(f for f in exercises.faults(name) if "cd " in f.path.read_text())
    result = labkit_cli("fault", name, failing.name, *where)
    assert result.code == 1, result.stderr
    assert "exit code" in result.stderr.splitlines()[-1]
    assert "Traceback" not in result.stderr


def test_cli_grade_on_a_recording_says_it_is_a_recording() -> None:
    """A recording shipped in the repository (a solved host, read once) grades, but the
    teacher is told plainly that it is a recording and earns nothing."""
    recording = Path(__file__).resolve().parents[2] / "exercises/net-devices/replay/b.json"
    graded = labkit_cli("--lang", "en", "grade", "net-devices", "--host",
                        f"replay://{recording}", "--json")
    assert graded.code == 0, graded.stderr
    data = json.loads(graded.stdout)
    validate_report(data)
    assert "is a recording of another host's outputs" in data["stand_in"]
    assert graded.stderr.startswith("labkit: Note: replay://")
    assert "is a recording" in graded.stderr and "earns no marks" in graded.stderr


@pytest.mark.sshd
def test_cli_solve_and_fault_take_a_roster_student(lab_host: LocalSSHHost,
                                                    tmp_path: Path) -> None:
    """``labkit solve``/``labkit fault --roster FILE --student ID`` use that student's host
    and values, as ``labkit grade --roster FILE --student ID`` grades them."""
    name = LOCAL[0]
    workdir = tmp_path / "work"
    roster = tmp_path / "roster.csv"
    roster.write_text(f"student_id,host,param:workdir\n{STUDENT},{lab_host.url},{workdir}\n"
                      f"{OTHER},{lab_host.url},{workdir}\n")
    mine = ["--roster", str(roster), "--student", STUDENT]
    solved = labkit_cli("solve", name, *mine)
    assert solved.code == 0, solved.stderr
    graded = labkit_cli("grade", name, *mine, "--json")
    assert graded.code == 0, graded.stderr
    assert json.loads(graded.stdout)["score"] == exercises.load(name).max_score
    theirs = labkit_cli("grade", name, "--roster", str(roster), "--student", OTHER, "--json")
    assert theirs.code == 1, theirs.stderr  # the same files, another student's values
    fault = exercises.faults(name)[0]
    broken = labkit_cli("fault", name, fault.name, *mine)
    assert broken.code == 0, broken.stderr
    graded = labkit_cli("grade", name, *mine, "--json")
    assert graded.code == 1
    failed = {c["id"] for c in json.loads(graded.stdout)["checks"] if c["status"] == "failed"}
    assert failed == fault.fails
    missing = labkit_cli("solve", name, "--roster", str(roster))
    assert missing.code == 2 and "--student" in missing.stderr
