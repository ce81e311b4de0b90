"""grade_many over real local sshd hosts: the good ones are graded promptly, an unreachable
and a hanging host are ``error`` within their own timeout, Ctrl-C keeps finished results."""

from __future__ import annotations

import argparse
import json
import threading
import time
from pathlib import Path

import pytest
from conftest import ClassHosts

from labkit.checks.spec import ExerciseSpec
from labkit.cli.classes import add_roster_grading, cmd_grade_class
from labkit.errors import SpecError
from labkit.grading.batch import StudentResult, grade_many, student_params
from labkit.rosters import Student

pytestmark = pytest.mark.sshd
TIMEOUT = 4.0


def class_of(hosts: ClassHosts) -> list[Student]:
    students = [Student(f"alumno{i}", {"host": h.url}, name=f"Alumno {i}",
                        params={"workdir": str(w)})
                for i, (h, w) in enumerate(zip(hosts.good, hosts.workdirs, strict=True))]
    students.insert(1, Student("ghost", {"host": hosts.unreachable_url}))
    students.insert(3, Student("sleepy", {"host": hosts.hanging.url}))
    return students


def test_bad_hosts_are_errors_and_delay_nobody(class_hosts: ClassHosts,
                                               spec: ExerciseSpec) -> None:
    finished: list[tuple[str, float, str]] = []
    started = time.monotonic()

    def on_result(result: StudentResult) -> None:
        finished.append((result.student.id, time.monotonic() - started,
                         threading.current_thread().name))

    batch = grade_many(spec, class_of(class_hosts), workers=8, timeout=TIMEOUT, lang="en",
                       on_result=on_result)
    elapsed = time.monotonic() - started
    assert not batch.interrupted and not batch.pending
    by = {r.student.id: r for r in batch.results}
    assert [r.student.id for r in batch.results] == ["alumno0", "ghost", "alumno1", "sleepy",
                                                     "alumno2"]  # roster order
    assert by["alumno0"].report.score == by["alumno1"].report.score == spec.max_score
    assert by["alumno2"].report.error is None
    assert {c.id for c in by["alumno2"].report.checks if c.status == "failed"} == {"disk-grown"}
    for bad in ("ghost", "sleepy"):
        report = by[bad].report
        assert report.error and report.score == 0
        assert {c.status for c in report.checks} == {"error"}
    assert "cannot connect" in by["ghost"].report.error  # type: ignore[operator]
    assert "did not answer within" in by["sleepy"].report.error  # type: ignore[operator]
    when = {sid: t for sid, t, _ in finished}
    assert when["ghost"] < TIMEOUT - 1  # a closed port answers at once
    for good in ("alumno0", "alumno1", "alumno2"):
        assert when[good] < when["sleepy"], finished  # not held up by the hanging host
    assert TIMEOUT - 0.5 < when["sleepy"] < TIMEOUT + 3
    assert elapsed < TIMEOUT + 4
    assert {thread for _, _, thread in finished} == {threading.current_thread().name}
    assert [e.student.id for e in batch.errors] == ["ghost", "sleepy"]


def test_the_watchdog_gives_up_on_a_stuck_host(class_hosts: ClassHosts,
                                               spec: ExerciseSpec,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Even if a host's own timeouts did not fire, the student is given up on at the
    deadline and a fresh worker grades the others."""
    import labkit.grading.batch as batch_mod

    monkeypatch.setattr(batch_mod, "GRACE", 0.5)
    real_open = batch_mod._open_host

    def open_without_timeouts(url: str, timeout: float) -> object:
        return real_open(url, 600.0)  # the host itself would wait ten minutes

    monkeypatch.setattr(batch_mod, "_open_host", open_without_timeouts)
    students = class_of(class_hosts)
    started = time.monotonic()
    batch = grade_many(spec, [students[3], students[0]], workers=1, timeout=2.0)
    elapsed = time.monotonic() - started
    sleepy, alumno0 = batch.results
    assert sleepy.report.error is not None and "2 s" in sleepy.report.error
    assert alumno0.report.score == spec.max_score
    assert elapsed < 8


def test_ctrl_c_keeps_the_finished_results(class_hosts: ClassHosts,
                                           spec: ExerciseSpec) -> None:
    def interrupt(result: StudentResult) -> None:
        raise KeyboardInterrupt  # what Ctrl-C does in the caller's thread

    students = class_of(class_hosts)
    started = time.monotonic()
    batch = grade_many(spec, [students[0], students[3], students[2], students[4]],
                       workers=1, timeout=30, on_result=interrupt)
    assert time.monotonic() - started < 10  # did not wait for the hanging host
    assert batch.interrupted
    assert [r.student.id for r in batch.results] == ["alumno0"]
    assert [s.id for s in batch.pending] == ["sleepy", "alumno1", "alumno2"]

    stop = threading.Event()
    stop.set()
    batch = grade_many(spec, students, stop=stop)
    assert batch.interrupted and len(batch.pending) + len(batch.results) == len(students)


def test_parameters_in_order_and_checked_before_connecting(spec: ExerciseSpec) -> None:
    student = Student("ana", {"host": "ssh://root@192.0.2.1"},
                      params={"workdir": "/srv/ana", "vg": "ignored-here",
                              "qemu-img-basics:workdir": "/srv/ana-basics"})
    assert student_params(spec, student)["workdir"] == "/srv/ana-basics"
    assert "vg" not in student_params(spec, student)  # another exercise's parameter
    # the teacher's --param is the strongest (the grading context's rule)
    assert student_params(spec, student, {"workdir": "/teacher"})["workdir"] == "/teacher"
    assert student_params(spec, Student("bo", {"host": "local://"}),
                          {"workdir": "/teacher"})["workdir"] == "/teacher"
    wrong = Student("eve", {"host": "ssh://root@192.0.2.1"}, source="class.csv:7",
                    params={"qemu-img-basics:wrokdir": "/x"})
    with pytest.raises(SpecError, match=r"class\.csv:7: student 'eve': .* no parameter "
                                        r"'wrokdir'"):
        grade_many(spec, [wrong])


def test_roster_mapping_from_labkit_roster(class_hosts: ClassHosts,
                                           spec: ExerciseSpec) -> None:
    """``labkit.roster.load_roster``'s {student: {role: url}} works as the class too."""
    batch = grade_many(spec, {"ghost": {"host": class_hosts.unreachable_url}}, timeout=3)
    assert batch.results[0].student.id == "ghost" and batch.results[0].report.error


def test_cli_grades_a_roster_and_writes_the_reports(class_hosts: ClassHosts, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    roster = tmp_path / "class.csv"
    lines = ["student_id,name,host,param:workdir"]
    for i, (h, w) in enumerate(zip(class_hosts.good, class_hosts.workdirs, strict=True)):
        lines.append(f"alumno{i},Alumno {i},{h.url},{w}")
    lines.append(f"ghost,Ghost,{class_hosts.unreachable_url},")
    roster.write_text("\n".join(lines) + "\n")
    parser = argparse.ArgumentParser()
    parser.add_argument("exercise")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--param", action="append", default=[])
    parser.add_argument("--json", action="store_true")
    add_roster_grading(parser)
    out = tmp_path / "out"
    args = parser.parse_args(["qemu-img-basics", "--roster", str(roster), "--out", str(out),
                              "--timeout", "5", "--workers", "4", "--json"])
    assert cmd_grade_class(args) == 1  # one host could not be graded
    printed = json.loads(capsys.readouterr().out)
    assert [s["student"] for s in printed["students"]] == ["alumno0", "alumno1", "alumno2",
                                                            "ghost"]
    assert sorted(p.name for p in out.iterdir()) == [
        "grades.csv", "index.html", "junit.xml", "reports", "students", "summary.json"]
    assert (out / "reports" / "alumno0.json").exists()
    args = parser.parse_args(["qemu-img-basics", "--roster", str(roster), "--student",
                              "alumno0", "--student", "alumno1", "--format", "csv",
                              "--out", str(tmp_path / "two")])
    assert cmd_grade_class(args) == 0
    # the JSON files are the folder's memory (for merging later runs): always there
    assert sorted(p.name for p in (tmp_path / "two").iterdir()) == [
        "grades.csv", "reports", "summary.json"]
