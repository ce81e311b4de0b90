"""The teacher's week, driven through the ``labkit`` command over real local sshd hosts: a
grade book that never loses a row, several exercises in one Moodle CSV, deadline snapshots,
``--lang`` where a teacher types it, repair drills and the mutation test of an exercise."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import EXERCISE, ClassHosts, params_of

from labkit import evidence, exercises
from labkit.cli.main import main
from labkit.host import Host

pytestmark = pytest.mark.sshd


def write_roster(path: Path, hosts: ClassHosts, *, ghost_url: str | None = None,
                 ghost_dir: Path | None = None, langs: tuple[str, ...] = ("", "", "")) -> Path:
    lines = ["student_id,name,lang,host,param:workdir"]
    for i, (h, w) in enumerate(zip(hosts.good, hosts.workdirs, strict=True)):
        lines.append(f"alumno{i},Alumno {i},{langs[i]},{h.url},{w}")
    lines.append(f"ghost,Ghost,,{ghost_url or hosts.unreachable_url},"
                 f"{ghost_dir or hosts.workdirs[0]}")
    path.write_text("\n".join(lines) + "\n")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def grades(path: Path) -> dict[str, dict[str, str]]:
    return {row["idnumber"]: row for row in csv.DictReader(io.StringIO(path.read_text()))}


@pytest.fixture
def roster(class_hosts: ClassHosts, tmp_path: Path) -> Path:
    return write_roster(tmp_path / "class.csv", class_hosts)


def test_a_class_run_lists_who_was_not_graded_and_a_retry_grades_only_them(
        class_hosts: ClassHosts, roster: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code, printed, err = run(capsys, "grade", EXERCISE, "--roster", str(roster), "--out",
                             str(out), "--timeout", "5", "--lang", "en")
    assert code == 1
    assert "Not graded (1):" in printed and "  ghost: Could not grade" in printed
    assert "could not connect to the host" in printed  # one language, the tool's words quoted
    assert "--retry-errors" in printed
    assert "[magenta]" not in err and "[magenta]" not in printed
    before = grades(out / "grades.csv")
    assert before["ghost"][EXERCISE] == "" and before["alumno0"][EXERCISE] == "10"
    assert before["alumno2"][EXERCISE] == "8"  # the fixture's student who forgot the resize
    # ghost's host is back (on alumno0's machine here, in its own folder, solved with ghost's
    # own values): only ghost is graded again
    workdir = tmp_path / "ghost"
    workdir.mkdir()
    spec = exercises.load(EXERCISE)
    with Host(class_hosts.good[0].url) as host:
        assert exercises.run_script(host, exercises.solution(EXERCISE), spec,
                                    params_of(spec, "ghost", workdir)).ok
    write_roster(roster, class_hosts, ghost_url=class_hosts.good[0].url, ghost_dir=workdir)
    code, printed, err = run(capsys, "grade", EXERCISE, "--roster", str(roster), "--out",
                             str(out), "--retry-errors", "--json")
    assert code == 0
    assert [s["student"] for s in json.loads(printed)["students"]] == ["ghost"]
    after = grades(out / "grades.csv")
    assert list(after) == list(before)
    assert after["ghost"][EXERCISE] == "10"
    assert {k: v for k, v in after.items() if k != "ghost"} == {
        k: v for k, v in before.items() if k != "ghost"}
    # nothing left to retry
    code, printed, err = run(capsys, "grade", EXERCISE, "--roster", str(roster), "--out",
                             str(out), "--retry-errors", "--lang", "en")
    assert code == 0 and "nothing to grade again" in err


def test_grading_one_student_into_the_folder_keeps_the_others(
        class_hosts: ClassHosts, roster: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert run(capsys, "grade", EXERCISE, "--roster", str(roster), "--out", str(out),
               "--timeout", "5")[0] == 1
    before = grades(out / "grades.csv")
    code, printed, _ = run(capsys, "grade", EXERCISE, "--roster", str(roster), "--student",
                           "alumno1", "--out", str(out), "--lang", "en")
    assert code == 0
    assert "kept the earlier grades of 3 students" in printed
    assert grades(out / "grades.csv") == before
    summary = json.loads((out / "summary.json").read_text())
    assert [s["student"] for s in summary["students"]] == list(before)


@pytest.mark.parametrize(("argv", "message"), [
    (["--scale", "nan"], "--scale wants a number above 0"),
    (["--scale", "0"], "--scale wants a number above 0"),
    (["--scale", "-10"], "--scale wants a number above 0"),
    (["--out", "FILE"], "it is a file, not a folder"),
    (["--retry-errors"], "--retry-errors needs --out"),
])
def test_bad_options_are_refused_before_any_host_is_graded(
        roster: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
        message: str) -> None:
    afile = tmp_path / "grades.txt"
    afile.write_text("not a folder")
    argv = [str(afile) if a == "FILE" else a for a in argv]
    code, printed, err = run(capsys, "grade", EXERCISE, "--roster", str(roster), "--lang",
                             "en", *argv)
    assert code == 2 and message in err and "Traceback" not in err
    assert printed == ""  # nothing was graded
    assert afile.read_text() == "not a folder"


def test_class_options_without_a_roster_are_refused(class_hosts: ClassHosts, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "grade", EXERCISE, "--host", class_hosts.good[0].url, "--out",
                       str(tmp_path / "o"), "--scale", "10", "--lang", "en")
    assert code == 2
    assert "--out, --scale: only works with --roster" in err
    assert not (tmp_path / "o").exists()
    code, _, err = run(capsys, "grade", EXERCISE, "qemu-img-snapshots", "--host",
                       class_hosts.good[0].url, "--lang", "en")
    assert code == 2 and "several exercises at once" in err


def test_lang_after_the_subcommand_the_environment_and_the_roster(
        class_hosts: ClassHosts, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    roster = write_roster(tmp_path / "class.csv", class_hosts, langs=("", "gl", ""))
    out = tmp_path / "out"
    monkeypatch.setenv("LABKIT_LANG", "en")
    code, printed, _ = run(capsys, "grade", EXERCISE, "--roster", str(roster), "--out",
                           str(out), "--timeout", "5")
    assert code == 1 and "could not be graded" in printed  # $LABKIT_LANG: English
    rows = grades(out / "grades.csv")
    assert "was expected" in rows["alumno2"][f"{EXERCISE} feedback"]  # a failed check, in en
    reports = {p.stem: json.loads(p.read_text()) for p in (out / "reports").glob("*.json")}
    assert reports["alumno1"]["checks"][0]["message"].endswith(" existe.")  # roster's lang
    assert reports["alumno0"]["checks"][0]["message"].endswith(" exists.")
    langs = {row["student"]: row["lang"]
             for row in json.loads((out / "summary.json").read_text())["students"]}
    assert langs == {"alumno0": "en", "alumno1": "gl", "alumno2": "en", "ghost": "en"}
    assert "Class" in (out / "index.html").read_text()
    # --lang after the subcommand wins over the environment and the roster (the one rule)
    code, printed, _ = run(capsys, "grade", EXERCISE, "--roster", str(roster), "--student",
                           "alumno0", "--student", "alumno1", "--out", str(out), "--lang", "gl")
    assert code == 0 and "corrixidos" in printed
    code, printed, _ = run(capsys, "grade", EXERCISE, "--roster", str(roster), "--student",
                           "alumno1", "--out", str(out), "--lang", "en")
    assert code == 0 and "1/1 graded" in printed
    alumno1 = json.loads((out / "reports" / "alumno1.json").read_text())
    assert alumno1["checks"][0]["message"].endswith(" exists.")


def test_several_exercises_give_one_moodle_csv(class_hosts: ClassHosts, roster: Path,
                                               tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code, _, _ = run(capsys, "grade", EXERCISE, "qemu-img-snapshots", "--roster",
                           str(roster), "--out", str(out), "--timeout", "5", "--scale", "10",
                           "--lang", "en")
    assert code == 1
    rows = grades(out / "grades.csv")
    header = next(csv.reader(io.StringIO((out / "grades.csv").read_text())))
    assert header == ["idnumber", "fullname", EXERCISE, f"{EXERCISE} feedback",
                      "qemu-img-snapshots", "qemu-img-snapshots feedback"]
    assert rows["alumno0"][EXERCISE] == "10" and rows["alumno0"]["qemu-img-snapshots"] == "0"
    assert rows["ghost"][EXERCISE] == rows["ghost"]["qemu-img-snapshots"] == ""
    assert (out / EXERCISE / "index.html").exists()
    assert (out / "qemu-img-snapshots" / "summary.json").exists()
    # the same CSV from the two folders afterwards
    joined = tmp_path / "book.csv"
    assert run(capsys, "gradebook", str(out / EXERCISE), str(out / "qemu-img-snapshots"),
               "--out", str(joined), "--scale", "10")[0] == 0
    assert joined.read_text() == (out / "grades.csv").read_text()


@pytest.fixture
def spare_workdir(class_hosts: ClassHosts, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """alumno0's host with a fresh, solved workdir that a test may break."""
    workdir = tmp_path / "spare"
    workdir.mkdir()
    spec = exercises.load(EXERCISE)
    with Host(class_hosts.good[0].url) as host:
        assert exercises.run_script(host, exercises.solution(EXERCISE), spec,
                                    {"workdir": str(workdir)}).ok
    yield class_hosts.good[0].url, workdir
    shutil.rmtree(workdir, ignore_errors=True)


def test_a_snapshot_grades_as_of_the_deadline(class_hosts: ClassHosts, tmp_path: Path,
                                              spare_workdir: tuple[str, Path],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    url, workdir = spare_workdir
    roster = tmp_path / "class.csv"
    roster.write_text("student_id,host,param:workdir\n"
                      f"ana,{url},{workdir}\n"
                      f"ghost,{class_hosts.unreachable_url},{workdir}\n")
    spec = exercises.load(EXERCISE)
    with Host(url) as host:  # ana's own values (variants)
        assert exercises.run_script(host, exercises.solution(EXERCISE), spec,
                                    params_of(spec, "ana", workdir)).ok
    snap = tmp_path / "deadline.json"
    code, printed, _ = run(capsys, "snapshot", EXERCISE, "--roster", str(roster), "--out",
                           str(snap), "--timeout", "5", "--lang", "en")
    assert code == 1 and "state of 2 students taken" in printed and "ghost" in printed
    stored = json.loads(snap.read_text())
    ana = stored["students"]["ana"]
    assert len(ana["hosts"]["host"]["machine_id"]) == 32
    assert ana["hosts"]["host"]["host_key"].startswith("SHA256:")
    assert stored["students"]["ghost"]["error"]
    # after the deadline, ana breaks her disk
    with Host(url) as host:
        assert exercises.run_script(host, exercises.fault(EXERCISE, "not-grown").path, spec,
                                    params_of(spec, "ana", workdir)).ok
    live, late = tmp_path / "live", tmp_path / "deadline"
    run(capsys, "grade", EXERCISE, "--roster", str(roster), "--out", str(live), "--timeout",
        "5")
    code, _, _ = run(capsys, "grade", EXERCISE, "--roster", str(roster), "--out", str(late),
                     "--from-snapshot", str(snap))
    assert code == 1  # ghost could not be read at the deadline
    assert grades(live / "grades.csv")["ana"][EXERCISE] == "8"
    assert grades(late / "grades.csv")["ana"][EXERCISE] == "10"
    assert grades(late / "grades.csv")["ghost"][EXERCISE] == ""
    row = json.loads((late / "summary.json").read_text())["students"][0]
    assert row["snapshot"] == "deadline.json" and row["when"] == ana["time"]
    # a "Check my work" record made after the deadline, and one from another machine
    key = b"k" * 32
    base = {"labkit_evidence": 1, "exercise": EXERCISE, "student": "ana", "score": 0.0,
            "max_score": 10.0, "checks": [], "params": {}, "probes": {}, "error": None}
    early = evidence.sign({**base, "time": "2000-01-01T00:00:00Z",
                           "hosts": {"host": ana["hosts"]["host"]}}, key)
    other = evidence.sign({**base, "time": "2099-01-01T00:00:00Z",
                           "hosts": {"host": {**ana["hosts"]["host"],
                                              "machine_id": "0" * 32}}}, key)
    (tmp_path / "early.json").write_text(json.dumps(early))
    (tmp_path / "other.json").write_text(json.dumps(other))
    (tmp_path / "key").write_bytes(key)
    code, printed, _ = run(capsys, "evidence", "verify", str(tmp_path / "early.json"),
                           "--key-file", str(tmp_path / "key"), "--snapshot", str(snap))
    assert code == 0 and "LATE" not in printed
    code, printed, _ = run(capsys, "evidence", "verify", str(tmp_path / "other.json"),
                           "--key-file", str(tmp_path / "key"), "--snapshot", str(snap))
    assert code == 1
    assert "made after the deadline snapshot" in printed and "machine_id differs" in printed


def test_grade_while_taking_a_snapshot(class_hosts: ClassHosts, roster: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    out, snap = tmp_path / "out", tmp_path / "snap.json"
    assert run(capsys, "grade", EXERCISE, "--roster", str(roster), "--out", str(out),
               "--snapshot", str(snap), "--timeout", "5")[0] == 1
    assert grades(out / "grades.csv")["alumno0"][EXERCISE] == "10"
    assert sorted(json.loads(snap.read_text())["students"]) == [
        "alumno0", "alumno1", "alumno2", "ghost"]


def test_break_then_solve_is_a_repair_drill(spare_workdir: tuple[str, Path],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    url, workdir = spare_workdir
    where = ["--host", url, "--param", f"workdir={workdir}", "--lang", "en"]
    for seed in ("1", "2", "7"):
        code, printed, err = run(capsys, "break", "repair-qemu-img", *where, "--seed", seed,
                                 "--reveal")
        assert code == 0
        assert f"Broke repair-qemu-img on {url.split('?')[0]}" in err and "seed " + seed in err
        applied = printed.split()
        assert 1 <= len(applied) <= 2
        assert not any(name in err for name in applied)  # it does not say which
        code, printed, _ = run(capsys, "grade", "repair-qemu-img", *where, "--json")
        report = json.loads(printed)
        assert code == 1 and report["score"] < report["max_score"]
        failed = {c["id"] for c in report["checks"] if c["status"] == "failed"}
        for name in applied:
            assert exercises.fault("repair-qemu-img", name).fails <= failed
        code, _, err = run(capsys, "solve", "repair-qemu-img", *where)
        assert code == 0 and "Applied the solution of repair-qemu-img" in err
        code, printed, _ = run(capsys, "grade", "repair-qemu-img", *where, "--json")
        assert code == 0 and json.loads(printed)["score"] == 10
    # a student's own seed: the same drill every time for the same student
    picks = {run(capsys, "break", "repair-qemu-img", *where, "--student", "ana",
                 "--reveal")[1] for _ in range(3)}
    assert len(picks) == 1
    code, _, err = run(capsys, "fault", "repair-qemu-img", "not-grown", *where)
    assert code == 0 and "Applied the fault not-grown of repair-qemu-img" in err


def test_check_exercise_finds_a_wrong_fault_declaration(
        spare_workdir: tuple[str, Path], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    url, workdir = spare_workdir
    where = ["--host", url, "--param", f"workdir={workdir}", "--lang", "en"]
    code, printed, _ = run(capsys, "check-exercise", EXERCISE, *where)
    assert code == 0, printed
    assert "solution: 10/10" in printed and "fault not-grown: fails disk-grown" in printed
    assert f"all good ({len(exercises.faults(EXERCISE))} faults)" in printed
    # a teacher's own folder: a copy with a fault that declares the wrong check, and no
    # fault failing small-exists
    course = tmp_path / "course"
    shutil.copytree(exercises.exercise_dir(EXERCISE), course / "exercises" / "mine")
    (course / "graders").mkdir()
    yaml_text = exercises.grader_path(EXERCISE).read_text().replace(
        f"exercise: {EXERCISE}", "exercise: mine")
    (course / "graders" / "mine.yaml").write_text(yaml_text)
    for script in (course / "exercises" / "mine" / "faults").glob("*.sh"):
        if not script.name.startswith(("not-grown", "not-shrunk")):
            script.unlink()
    fault = course / "exercises" / "mine" / "faults" / "not-shrunk.sh"
    fault.write_text(fault.read_text().replace("labkit-fails: small-shrunk",
                                               "labkit-fails: small-exists"))
    code, printed, _ = run(capsys, "check-exercise", str(course / "mine"), *where)
    assert code == 1
    assert "fault not-shrunk: declares small-exists but fails small-shrunk" in printed
    untested = next(line for line in printed.splitlines() if "no fault fails: " in line)
    assert "small-exists" in untested and "disk-grown" not in untested
    # a broken grader is named by file, line and field, before any host is touched
    (course / "graders" / "mine.yaml").write_text(yaml_text.replace("points: 2", "points: x",
                                                                    1))
    code, _, err = run(capsys, "check-exercise", str(course / "mine"), "--lint-only")
    assert code == 2 and "mine.yaml:" in err and "points" in err


def test_a_hung_host_costs_the_teachers_timeout_without_a_roster(
        class_hosts: ClassHosts, capsys: pytest.CaptureFixture[str]) -> None:
    """A host that logs in but never answers: ``--timeout`` bounds one student's grade as it
    bounds a class's (the URL's own ``timeout=`` does too)."""
    import time

    for argv in (["--host", class_hosts.hanging.url, "--timeout", "3"],
                 ["--host", class_hosts.hanging.url + "&timeout=3"]):
        started = time.monotonic()
        code, _, err = run(capsys, "grade", EXERCISE, *argv, "--lang", "en")
        elapsed = time.monotonic() - started
        assert code == 2 and "did not answer within 3 s" in err
        assert elapsed < 3 + 4, elapsed
