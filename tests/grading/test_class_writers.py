"""Class report writers: JSON per student, Moodle CSV, JUnit XML, HTML — all escaped."""

from __future__ import annotations

import csv
import dataclasses
import html
import io
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from labkit import exercises
from labkit.checks.engine import CheckResult, Status
from labkit.checks.spec import ExerciseSpec
from labkit.errors import UsageError
from labkit.grading.batch import BatchResult, StudentResult
from labkit.grading.report import Report
from labkit.grading.writers import (
    csv_text,
    error_ids,
    junit_tree,
    load_batch,
    safe_name,
    write_csv,
    write_html,
    write_json,
    write_junit,
    write_reports,
)
from labkit.rosters import Student

EVIL = "<script>alert('x')</script>&\x01"


@pytest.fixture(scope="module")
def spec() -> ExerciseSpec:
    return exercises.load("qemu-img-basics")


def report_of(spec: ExerciseSpec, statuses: dict[str, Status], *, message: str = "msg",
              error: str | None = None) -> Report:
    checks = []
    for c in spec.checks:
        status = statuses.get(c.id, "passed")
        checks.append(CheckResult(c.id, status, c.points if status == "passed" else 0.0,
                                  c.points, f"{message} {c.id}",
                                  "hint!" if status == "failed" else ""))
    return Report(spec.exercise, "ssh://root@10.0.0.1:22", "en", checks, error)


@pytest.fixture
def batch(spec: ExerciseSpec) -> BatchResult:
    everything_error: dict[str, Status] = {c.id: "error" for c in spec.checks}
    results = [
        StudentResult(Student("ana", {"host": "local://"}, "Ana Abad", "ana@uni.gal"),
                      report_of(spec, {}), {"workdir": "/root/lab"}, 0.5),
        StudentResult(Student("bea", {"host": "local://"}, "=HYPERLINK(\"x\")",
                              "bea@uni.gal"),
                      report_of(spec, {"disk-grown": "failed", "raw-exists": "failed",
                                       "raw-format": "blocked", "raw-size": "blocked"},
                                message=EVIL), {}, 0.7),
        StudentResult(Student("carl/../x", {"host": "local://"}, EVIL),
                      report_of(spec, {"disk-grown": "failed"}), {}, 0.6),
        StudentResult(Student("dan", {"host": "local://"}, "Dan"),
                      report_of(spec, everything_error, error="Could not grade: refused"),
                      {}, 3.0),
    ]
    return BatchResult(spec, "en", results, [Student("eve", {"host": "local://"})], True, 4.2)


def test_json_one_file_per_student_in_the_report_schema(batch: BatchResult,
                                                        tmp_path: Path) -> None:
    write_json(batch, tmp_path)
    ana = json.loads((tmp_path / "reports" / "ana.json").read_text())
    assert ana == batch.results[0].report.to_dict()
    assert set(ana) == {"exercise", "host", "score", "max_score", "checks"}
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert [s["student"] for s in summary["students"]] == ["ana", "bea", "carl/../x", "dan"]
    assert summary["not_graded"] == ["eve"] and summary["interrupted"] is True
    carl = summary["students"][2]["file"]
    assert carl.startswith("reports/carl_.._x-") and (tmp_path / carl).exists()


def test_safe_names_never_leave_the_folder_and_never_collide() -> None:
    assert safe_name("ana") == "ana" and safe_name("a.b@uni.gal") == "a.b@uni.gal"
    for evil in ("../x", "..", "a/b", "a\\b", ".hidden", "ñandú", ""):
        name = safe_name(evil)
        assert "/" not in name and "\\" not in name and not name.startswith(".")
    assert safe_name("a/b") != safe_name("a_b") != safe_name("a:b")


def test_moodle_csv_parses_back(batch: BatchResult, spec: ExerciseSpec,
                                tmp_path: Path) -> None:
    path = write_csv(batch, tmp_path / "grades.csv")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert list(rows[0]) == ["idnumber", "fullname", "qemu-img-basics",
                             "qemu-img-basics feedback"]
    assert [r["idnumber"] for r in rows] == ["ana", "bea", "carl/../x", "dan"]
    assert rows[0]["qemu-img-basics"] == f"{spec.max_score:g}"
    assert rows[1]["qemu-img-basics"] == f"{spec.max_score - 5:g}"
    assert rows[1]["fullname"] == "'=HYPERLINK(\"x\")"  # no formulas
    assert rows[1]["qemu-img-basics feedback"].startswith("5/10. disk-grown: ")
    assert rows[3]["qemu-img-basics"] == ""  # host error: Moodle keeps the old grade
    assert "refused" in rows[3]["qemu-img-basics feedback"]
    by_email = list(csv.DictReader(io.StringIO(
        csv_text(batch, id_column="email", scale=100, checks=True))))
    assert by_email[0]["email"] == "ana@uni.gal" and by_email[2]["email"] == ""
    assert by_email[1]["qemu-img-basics"] == "50"
    assert by_email[1]["qemu-img-basics:disk-grown"] == "0"
    assert by_email[0]["qemu-img-basics:disk-grown"] == "2"


def test_moodle_csv_with_two_exercises_has_one_row_per_student(batch: BatchResult) -> None:
    snaps = exercises.load("qemu-img-snapshots")
    other = BatchResult(snaps, "en", [StudentResult(batch.results[0].student,
                                                    report_of(snaps, {}), {}, 0.1)])
    rows = list(csv.DictReader(io.StringIO(csv_text([batch, other]))))
    assert len(rows) == 4
    assert rows[0]["qemu-img-snapshots"] == f"{snaps.max_score:g}"
    assert rows[1]["qemu-img-snapshots"] == ""


def test_junit_counts(batch: BatchResult, tmp_path: Path) -> None:
    path = write_junit(batch, tmp_path / "junit.xml")
    root = ET.parse(path).getroot()  # valid XML, even with \x01 in a message
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["ana", "bea", "carl/../x", "dan"]
    n = len(batch.spec.checks)
    bea = suites[1]
    assert (bea.get("tests"), bea.get("failures"), bea.get("errors"), bea.get("skipped")) == (
        str(n), "2", "0", "2")
    assert len(bea.findall("testcase/failure")) == 2
    assert len(bea.findall("testcase/skipped")) == 2
    assert suites[3].get("errors") == str(n) and len(suites[3].findall("testcase/error")) == n
    assert root.get("tests") == str(4 * n)
    assert root.get("failures") == "3" and root.get("errors") == str(n)
    assert root.get("skipped") == "2"
    failure = bea.find("testcase/failure")
    assert failure is not None and "\ufffd" in (failure.get("message") or "")
    props = {p.get("name"): p.get("value") for p in bea.iter("property")}
    assert props["score"] == "5" and props["max_score"] == "10"
    assert junit_tree(batch).getroot().get("tests") == str(4 * n)


def test_html_escapes_what_students_control(batch: BatchResult, tmp_path: Path) -> None:
    index = write_html(batch, tmp_path)
    page = index.read_text()
    assert "<script>" not in page and "&lt;script&gt;" in page
    for student_page in (tmp_path / "students").iterdir():
        text = student_page.read_text()
        assert "<script>" not in text, student_page.name
    bea = (tmp_path / "students" / "bea.html").read_text()
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;" in bea
    assert "hint!" in bea
    carl = next((tmp_path / "students").glob("carl_.._x-*.html"))
    assert f'href="students/{carl.stem}.html"' in page
    assert "Interrupted: 1 students were not graded." in page


def test_html_puts_the_most_failed_checks_first(batch: BatchResult, tmp_path: Path) -> None:
    page = write_html(batch, tmp_path).read_text()
    reteach = page.split("Class map")[0]
    first, second = reteach.index("<code>disk-grown</code>"), reteach.index(
        "<code>raw-exists</code>")
    assert first < second < reteach.index("<code>disk-exists</code>")


def test_write_reports_writes_what_is_asked(batch: BatchResult, tmp_path: Path) -> None:
    written = write_reports(batch, tmp_path, ["csv", "junit"])
    assert sorted(written) == ["csv", "junit"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "grades.csv", "junit.xml", "reports", "summary.json"]  # JSON: the folder's memory
    with pytest.raises(ValueError, match="unknown report format 'pdf'"):
        write_reports(batch, tmp_path, ["pdf"])


# -- never lose a grade ------------------------------------------------------------------------
def _one(batch: BatchResult, sid: str, report: Report) -> BatchResult:
    old = next(r for r in batch.results if r.student.id == sid)
    return dataclasses.replace(batch, results=[dataclasses.replace(old, report=report)])


def _csv_rows(path: Path) -> dict[str, dict[str, str]]:
    return {row["idnumber"]: row for row in csv.DictReader(io.StringIO(path.read_text()))}


def test_grading_part_of_a_class_merges_into_the_folder(batch: BatchResult, spec: ExerciseSpec,
                                                        tmp_path: Path) -> None:
    write_reports(batch, tmp_path)
    before = _csv_rows(tmp_path / "grades.csv")
    assert before["bea"]["qemu-img-basics"] == "5"
    # bea fixed her disk and is graded again alone (labkit grade … --student bea)
    write_reports(_one(batch, "bea", report_of(spec, {})), tmp_path)
    after = _csv_rows(tmp_path / "grades.csv")
    assert list(after) == list(before)  # nobody vanished, same order
    assert after["bea"]["qemu-img-basics"] == "10"
    assert {k: v for k, v in after.items() if k != "bea"} == {
        k: v for k, v in before.items() if k != "bea"}
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert [s["student"] for s in summary["students"]] == [r.student.id for r in batch.results]
    junit = ET.parse(tmp_path / "junit.xml").getroot()
    assert len(junit.findall("testsuite")) == len(batch.results)
    index = (tmp_path / "index.html").read_text()
    assert index.count('href="students/') >= len(batch.results)
    # a newcomer is added at the end
    newcomer = StudentResult(Student("zoe", {"host": "local://"}, "Zoe"), report_of(spec, {}))
    write_reports(dataclasses.replace(batch, results=[newcomer]), tmp_path, ["csv"])
    assert list(_csv_rows(tmp_path / "grades.csv")) == [*before, "zoe"]


def test_an_other_exercise_in_the_folder_is_refused(batch: BatchResult,
                                                    tmp_path: Path) -> None:
    write_reports(batch, tmp_path, ["csv"])
    other = dataclasses.replace(batch, spec=exercises.load("qemu-img-snapshots"))
    with pytest.raises(UsageError, match="holds the grades of qemu-img-basics"):
        write_reports(other, tmp_path)
    assert _csv_rows(tmp_path / "grades.csv")["ana"]["qemu-img-basics"] == "10"


def test_a_failed_write_keeps_the_previous_files(batch: BatchResult, spec: ExerciseSpec,
                                                 tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    write_reports(batch, tmp_path)
    files = ("grades.csv", "summary.json", "index.html", "junit.xml")
    before = {name: (tmp_path / name).read_bytes() for name in files}
    real = os.fsync
    calls = 0

    def disk_full(fd: int) -> None:
        nonlocal calls
        calls += 1
        if calls > 3:  # a few files in, the disk fills up
            raise OSError(28, "No space left on device")
        real(fd)

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        write_reports(_one(batch, "bea", report_of(spec, {})), tmp_path)
    monkeypatch.undo()
    for name in files:  # every file is the old one or a complete new one, never half
        data = (tmp_path / name).read_bytes()
        assert data == before[name] or name == "summary.json"
    json.loads((tmp_path / "summary.json").read_text())
    assert not [p for p in tmp_path.rglob("*.tmp")]  # no temporary files left behind


def test_an_unreachable_student_has_no_score_anywhere(batch: BatchResult, spec: ExerciseSpec,
                                                       tmp_path: Path) -> None:
    write_reports(batch, tmp_path)
    ghost = next(r for r in batch.results if r.report.error)
    reason = ghost.report.error
    assert reason
    row = next(s for s in json.loads((tmp_path / "summary.json").read_text())["students"]
               if s["student"] == ghost.student.id)
    assert row["score"] is None and row["error"] == reason
    csv_row = _csv_rows(tmp_path / "grades.csv")[ghost.student.id]
    assert csv_row["qemu-img-basics"] == "" and reason in csv_row["qemu-img-basics feedback"]
    page = (tmp_path / "students" / f"{safe_name(ghost.student.id)}.html").read_text()
    assert "0/10" not in page and "no grade" in page and html.escape(reason) in page
    suite = next(t for t in ET.parse(tmp_path / "junit.xml").getroot().iter("testsuite")
                 if t.get("name") == ghost.student.id)
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["score"] == "" and suite.get("errors") == str(len(spec.checks))
    index = (tmp_path / "index.html").read_text()
    assert html.escape(reason) in index.split("Most-failed")[0]  # on the page, at the top
    assert index.count(html.escape(reason)) >= 2  # and in the class map's row


@pytest.mark.parametrize("scale", [float("nan"), 0.0, -10.0, float("inf")])
def test_a_bad_scale_is_refused_before_writing(batch: BatchResult, tmp_path: Path,
                                               scale: float) -> None:
    with pytest.raises(UsageError, match="--scale"):
        write_reports(batch, tmp_path, scale=scale)
    assert not list(tmp_path.iterdir())


def test_load_batch_reads_back_what_was_written(batch: BatchResult, tmp_path: Path) -> None:
    write_reports(batch, tmp_path)
    again = load_batch(tmp_path)
    assert [r.student.id for r in again.results] == [r.student.id for r in batch.results]
    assert [r.report.to_dict() for r in again.results] == [
        r.report.to_dict() for r in batch.results]
    assert csv_text(again) == csv_text(batch)
    # --retry-errors: the hosts that could not be read, and whoever Ctrl-C left ungraded
    assert error_ids(tmp_path) == ["dan", "eve"]
