"""Class reports: what ``grade_many`` found, as files for people and for other programs.

``write_reports(batch, out_dir, formats)`` writes, for one exercise::

    OUT/reports/<student>.json   one per student: exactly Report.to_dict()
    OUT/summary.json             the class: student, name, score, max_score, error, file
    OUT/grades.csv               for the Moodle grade book (see write_csv)
    OUT/junit.xml                for CI (see write_junit)
    OUT/index.html               heat map, most-failed checks; OUT/students/<student>.html

Nothing is lost between runs: grading part of a class (``--student``, ``--retry-errors``, a
re-run after Ctrl-C) into a folder that already holds grades of the same exercise *merges*
(``merge_into``): each new result replaces that student's old one, everybody else stays. The
JSON files (``summary.json`` and ``reports/``) are the folder's memory, so they are always
written, whatever ``formats`` says. Every file is written to a temporary file in the same folder
and renamed over the old one, so an earlier file stays whole until its replacement is complete.

A student whose host could not be read has no score anywhere: ``score`` is null in JSON, the
grade cell is empty in CSV (Moodle keeps its grade), the HTML pages say "no grade" and show the
reason, JUnit marks every check ``error``.

File names are the student ids, with any character outside ``A-Z a-z 0-9 . _ @ -`` replaced
(and a short hash added, so two ids never share a file). Everything a student could control
(host output in messages, names) is escaped in HTML and XML, cleaned of characters XML
forbids, and guarded against formula injection in CSV.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import hashlib
import io
import json
import math
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from labkit.checks.engine import CheckResult
from labkit.checks.spec import ExerciseSpec
from labkit.errors import ConfigError, UsageError
from labkit.grading.batch import BatchResult, StudentResult
from labkit.grading.report import Report
from labkit.i18n import text
from labkit.rosters.model import Student

__all__ = ["FORMATS", "atomic_write", "load_batch", "merge", "safe_name", "write_csv",
           "write_html", "write_json", "write_junit", "write_reports"]

FORMATS = ("json", "csv", "junit", "html")
MOODLE_ID_COLUMNS = ("idnumber", "username", "email")
_UNSAFE = re.compile(r"[^A-Za-z0-9._@-]")
#: Characters XML 1.0 does not allow (most control characters, lone surrogates, U+FFFE/F).
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

STATUSES = ("passed", "failed", "blocked", "error")
SYMBOL = {"passed": "✓", "failed": "✗", "blocked": "⊘", "error": "!"}


#: Words of the class pages (keys ``teacher.<word>`` of the catalog).
WORDS = ("class", "student", "students", "graded", "not_graded", "full_marks", "average",
         "reteach", "heatmap", "not_passed", "host", "params", "back", "generated",
         "interrupted", "feedback", "no_grade", "why_not_graded", "graded_at", "snapshot_at")


def _w(key: str, lang: str, **values: Any) -> str:
    return text(f"teacher.{key}", lang, **values)


def safe_name(student_id: str) -> str:
    """A file name for ``student_id``: itself if it is safe, else a cleaned form + a hash."""
    cleaned = _UNSAFE.sub("_", student_id).lstrip(".") or "_"
    if cleaned == student_id:
        return cleaned
    digest = hashlib.sha256(student_id.encode()).hexdigest()[:8]
    return f"{cleaned[:60]}-{digest}"


def xml_text(value: object) -> str:
    """``value`` as text XML can hold (forbidden characters become U+FFFD)."""
    return _XML_BAD.sub("\ufffd", str(value))


def _csv_cell(value: str) -> str:
    """Text a spreadsheet will not run as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def atomic_write(path: str | Path, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename it
    over ``path``: a reader (or a crash) never sees half a file, and the old file stays until
    the new one is complete."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


# -- reading an earlier grading back, merging --------------------------------------------------
def _report_from(data: dict[str, Any], lang: str) -> Report:
    checks = [CheckResult(id=c["id"], status=c["status"], points=float(c["points"]),
                          max_points=float(c["max_points"]), message=c.get("message", ""),
                          hint=c.get("hint", "")) for c in data.get("checks", [])]
    return Report(exercise=data["exercise"], host=data.get("host", "-"), lang=lang,
                  checks=checks, error=data.get("error"))


def read_summary(out_dir: str | Path) -> dict[str, Any] | None:
    """``OUT/summary.json`` as a dict, None if there is none; ConfigError if it is broken."""
    path = Path(out_dir) / "summary.json"
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or "exercise" not in data:
            raise ValueError("no exercise in it")
    except (OSError, ValueError) as exc:
        raise ConfigError(text("teacher.out_unreadable", "en", path=path,
                               reason=str(exc))) from None
    return data


def load_batch(out_dir: str | Path, spec: ExerciseSpec | None = None,
               lang: str | None = None) -> BatchResult:
    """The grading stored in ``out_dir`` (``summary.json`` + ``reports/``) as a BatchResult.

    ``spec``: the exercise's spec (default: loaded by the exercise's name)."""
    out = Path(out_dir)
    data = read_summary(out)
    if data is None:
        raise ConfigError(text("teacher.not_a_report", lang or "en", path=out))
    if spec is None:
        from labkit import exercises

        spec = exercises.load(data["exercise"])
    results = []
    for row in data.get("students", []):
        path = out / row["file"]
        try:
            report_data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(text("teacher.out_unreadable", "en", path=path,
                                   reason=str(exc))) from None
        student = Student(row["student"], {}, name=row.get("name") or "",
                          email=row.get("email") or "", lang=row.get("lang"))
        results.append(StudentResult(
            student, _report_from(report_data, row.get("lang") or data.get("lang", "gl")),
            dict(row.get("params") or {}), float(row.get("seconds") or 0.0),
            when=row.get("when") or "", snapshot=row.get("snapshot") or ""))
    pending = [Student(sid, {}) for sid in data.get("not_graded", [])]
    return BatchResult(spec, data.get("lang", lang or "gl"), results, pending,
                       bool(data.get("interrupted")), 0.0)


def merge(old: BatchResult, new: BatchResult) -> BatchResult:
    """``old`` with ``new``'s students replaced or added (old order, newcomers at the end)."""
    fresh = {r.student.id: r for r in new.results}
    results = [fresh.pop(r.student.id, r) for r in old.results]
    results += [r for r in new.results if r.student.id in fresh]
    graded = {r.student.id for r in results}
    pending = {s.id: s for s in [*old.pending, *new.pending] if s.id not in graded}
    return dataclasses.replace(new, results=results, pending=list(pending.values()))


def merge_into(batch: BatchResult, out_dir: str | Path) -> BatchResult:
    """``batch`` merged with the grading already in ``out_dir`` (if any, same exercise)."""
    data = read_summary(out_dir)
    if data is None:
        return batch
    if data["exercise"] != batch.exercise:
        raise UsageError(text("teacher.out_other_exercise", batch.lang, out=out_dir,
                              found=data["exercise"], exercise=batch.exercise))
    return merge(load_batch(out_dir, batch.spec, batch.lang), batch)


def error_ids(out_dir: str | Path) -> list[str]:
    """Students of an earlier grading in ``out_dir`` whose host could not be read, and those
    an interrupted run never reached (what ``--retry-errors`` grades again)."""
    data = read_summary(out_dir)
    if data is None:
        return []
    ids = [row["student"] for row in data.get("students", []) if row.get("error")]
    return ids + [sid for sid in data.get("not_graded", []) if sid not in ids]


# -- JSON ------------------------------------------------------------------------------------
def write_json(batch: BatchResult, out_dir: str | Path) -> list[Path]:
    """``reports/<student>.json`` (Report.to_dict()) for each student, and ``summary.json``."""
    out = Path(out_dir)
    (out / "reports").mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    summary = []
    for r in batch.results:
        path = out / "reports" / f"{safe_name(r.student.id)}.json"
        atomic_write(path, r.report.to_json() + "\n")
        written.append(path)
        summary.append({"student": r.student.id, "name": r.student.name,
                        "email": r.student.email, "lang": r.report.lang, "host": r.report.host,
                        "score": None if r.report.error else r.report.score,
                        "max_score": r.report.max_score,
                        "error": r.report.error, "seconds": round(r.seconds, 3),
                        "when": r.when, "snapshot": r.snapshot or None,
                        "params": r.params, "file": f"reports/{path.name}"})
    index = {"exercise": batch.exercise, "lang": batch.lang,
             "generated": datetime.now(UTC).isoformat(timespec="seconds"),
             "interrupted": batch.interrupted,
             "not_graded": [s.id for s in batch.pending], "students": summary}
    path = atomic_write(out / "summary.json", json.dumps(index, ensure_ascii=False, indent=1)
                        + "\n")
    written.append(path)
    return written


# -- CSV for Moodle ----------------------------------------------------------------------------
def _feedback(r: StudentResult) -> str:
    if r.report.error:
        return r.report.error
    missing = [f"{c.id}: {c.message}" for c in r.report.checks if c.status != "passed"]
    head = f"{_num(r.report.score)}/{_num(r.report.max_score)}"
    return head + (". " + " | ".join(missing) if missing else ".")


def csv_text(batches: BatchResult | Sequence[BatchResult], *, id_column: str = "idnumber",
             scale: float | None = None, checks: bool = False, delimiter: str = ",") -> str:
    """The grade-book CSV as text (see ``write_csv``)."""
    if isinstance(batches, BatchResult):
        batches = [batches]
    if id_column not in MOODLE_ID_COLUMNS:
        raise ValueError(f"id_column must be one of {', '.join(MOODLE_ID_COLUMNS)}")
    header = [id_column, "fullname"]
    for b in batches:
        header += [b.exercise, f"{b.exercise} feedback"]
        if checks:
            header += [f"{b.exercise}:{c.id}" for c in b.spec.checks]
    rows: dict[str, dict[str, str]] = {}
    order: list[str] = []
    for b in batches:
        for r in b.results:
            s = r.student
            if s.id not in rows:
                order.append(s.id)
                ident = s.email if id_column == "email" else s.id
                rows[s.id] = {id_column: _csv_cell(ident), "fullname": _csv_cell(s.name)}
            row = rows[s.id]
            if r.report.error:
                row[b.exercise] = ""  # Moodle leaves the grade as it was
            else:
                score = r.report.score
                if scale is not None and r.report.max_score:
                    score = round(score / r.report.max_score * scale, 2)
                row[b.exercise] = _num(score)
            row[f"{b.exercise} feedback"] = _csv_cell(_feedback(r))
            if checks:
                for c in r.report.checks:
                    row[f"{b.exercise}:{c.id}"] = "" if r.report.error else _num(c.points)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, delimiter=delimiter, restval="",
                            lineterminator="\n")
    writer.writeheader()
    for sid in order:
        writer.writerow(rows[sid])
    return buffer.getvalue()


def write_csv(batches: BatchResult | Sequence[BatchResult], path: str | Path, *,
              id_column: str = "idnumber", scale: float | None = None,
              checks: bool = False) -> Path:
    """A CSV for Moodle's grade import (Grades > Import > CSV file), UTF-8, comma-separated.

    One row per student, one column per grade item (the exercise, named by its id: create a
    grade item with that name, or map the column to any item) and its feedback column:

    - ``id_column`` names the first column and what it holds: ``idnumber`` or ``username``
      (the student id of the roster) or ``email`` (the roster's email). In Moodle's import
      choose "Identify user by: <that column>" and "Map to: ID number / Username / Email
      address" accordingly;
    - ``fullname`` is only for people reading the file (map it to "Ignore");
    - ``EXERCISE``: the score (points, or out of ``scale`` if given, e.g. 10); empty when the
      host could not be graded, so Moodle keeps whatever grade was there;
    - ``EXERCISE feedback``: score and the checks not passed (map it to the item's feedback);
    - with ``checks=True``, ``EXERCISE:CHECK`` columns with each check's points.

    Several exercises (batches) give one row per student with their columns side by side.
    Decimals use a point; cells starting with = + - @ get a leading ' (no formulas).
    """
    return atomic_write(path, csv_text(batches, id_column=id_column, scale=scale,
                                       checks=checks))


# -- JUnit XML -------------------------------------------------------------------------------
def junit_tree(batch: BatchResult) -> ET.ElementTree[ET.Element]:
    """One ``testsuite`` per student, one ``testcase`` per check: failed -> ``failure``,
    error -> ``error``, blocked -> ``skipped``."""
    totals: Counter[str] = Counter()
    root = ET.Element("testsuites", name=f"labkit {xml_text(batch.exercise)}")
    now = datetime.now(UTC).isoformat(timespec="seconds")
    for r in batch.results:
        counts = Counter(c.status for c in r.report.checks)
        suite = ET.SubElement(root, "testsuite", {
            "name": xml_text(r.student.id), "tests": str(len(r.report.checks)),
            "failures": str(counts["failed"]), "errors": str(counts["error"]),
            "skipped": str(counts["blocked"]), "time": f"{r.seconds:.3f}",
            "timestamp": now, "hostname": xml_text(r.report.host)})
        props = ET.SubElement(suite, "properties")
        for name, value in (("exercise", batch.exercise), ("student", r.student.id),
                            ("name", r.student.name), ("host", r.report.host),
                            ("score", "" if r.report.error else _num(r.report.score)),
                            ("max_score", _num(r.report.max_score))):
            ET.SubElement(props, "property", name=name, value=xml_text(value))
        per_check = r.seconds / max(1, len(r.report.checks))
        for c in r.report.checks:
            case = ET.SubElement(suite, "testcase", {
                "classname": xml_text(f"{batch.exercise}.{r.student.id}"),
                "name": xml_text(c.id), "time": f"{per_check:.3f}"})
            body = xml_text(c.message + (f"\n{c.hint}" if c.hint else ""))
            if c.status == "failed":
                el = ET.SubElement(case, "failure", message=xml_text(c.message), type="failed")
                el.text = body
            elif c.status == "error":
                el = ET.SubElement(case, "error", message=xml_text(c.message), type="error")
                el.text = body
            elif c.status == "blocked":
                ET.SubElement(case, "skipped", message=xml_text(c.message))
        totals.update(tests=len(r.report.checks), failures=counts["failed"],
                      errors=counts["error"], skipped=counts["blocked"])
        totals["time_ms"] += int(r.seconds * 1000)
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(totals[key]))
    root.set("time", f"{batch.seconds:.3f}")
    return ET.ElementTree(root)


def write_junit(batch: BatchResult, path: str | Path) -> Path:
    tree = junit_tree(batch)
    ET.indent(tree)
    buffer = io.BytesIO()
    tree.write(buffer, encoding="utf-8", xml_declaration=True)
    return atomic_write(path, buffer.getvalue())


# -- HTML ------------------------------------------------------------------------------------
def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
        lstrip_blocks=True)
    return env


def check_ranking(batch: BatchResult) -> list[dict[str, Any]]:
    """Each check with its counts by status, the most failed first (ties: spec order).

    Students whose host could not be read are left out: they say nothing about teaching."""
    graded = [r for r in batch.results if r.ok]
    rows: list[dict[str, Any]] = []
    for position, check in enumerate(batch.spec.checks):
        counts: Counter[str] = Counter(
            c.status for r in graded for c in r.report.checks if c.id == check.id)
        not_passed = counts["failed"] + counts["blocked"]
        rows.append({"id": check.id, "position": position, "message":
                     check.message[batch.lang] if batch.lang in ("gl", "en") else check.id,
                     "counts": {s: counts[s] for s in STATUSES}, "not_passed": not_passed,
                     "share": not_passed / len(graded) if graded else 0.0})
    rows.sort(key=lambda row: (-int(row["counts"]["failed"]), -int(row["not_passed"]),
                               int(row["position"])))
    return rows


def write_html(batch: BatchResult, out_dir: str | Path) -> Path:
    """``index.html`` (summary, most-failed checks, heat map) and ``students/<id>.html``."""
    out = Path(out_dir)
    (out / "students").mkdir(parents=True, exist_ok=True)
    env = _environment()
    lang = batch.lang
    words = {k: _w(k, lang, n=len(batch.pending)) for k in WORDS}
    words.update({k: text(f"report.{k}", lang)
                  for k in ("check", "status", "points", "message", "score", "hint")})
    status_words = {s: text(f"status.{s}", lang) for s in STATUSES}
    graded = [r for r in batch.results if r.ok]
    summary = {
        "students": len(batch.results) + len(batch.pending), "graded": len(graded),
        "errors": len(batch.results) - len(graded),
        "full": sum(1 for r in graded if r.report.complete),
        "average": _num(sum(r.report.score for r in graded) / len(graded)) if graded else "-",
        "max_score": _num(batch.spec.max_score),
    }
    students = [{"id": r.student.id, "name": r.student.name, "file": safe_name(r.student.id),
                 "score": _num(r.report.score), "max_score": _num(r.report.max_score),
                 "error": r.report.error, "host": r.report.host,
                 "cells": {c.id: c for c in r.report.checks}} for r in batch.results]
    common = {"lang": lang, "words": words, "status_words": status_words, "symbol": SYMBOL,
              "exercise": batch.exercise, "title": batch.spec.title[lang]
              if lang in ("gl", "en") else batch.exercise,
              "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}
    index = atomic_write(out / "index.html", env.get_template("class.html").render(
        **common, summary=summary, ranking=check_ranking(batch), students=students,
        checks=[c.id for c in batch.spec.checks], interrupted=batch.interrupted,
        pending=[s.id for s in batch.pending]))
    template = env.get_template("student.html")
    for r in batch.results:
        page = out / "students" / f"{safe_name(r.student.id)}.html"
        atomic_write(page, template.render(**common, student=r.student, report=r.report,
                                           score=_num(r.report.score),
                                           max_score=_num(r.report.max_score),
                                           params=r.params, when=r.when,
                                           snapshot=r.snapshot))
    return index


def check_scale(scale: float | None) -> None:
    """``scale`` must be a finite number above 0 (or None: points)."""
    if scale is not None and not (math.isfinite(scale) and scale > 0):
        raise UsageError(text("teacher.bad_scale", "en", value=scale))


# -- all of them -----------------------------------------------------------------------------
def write_reports(batch: BatchResult, out_dir: str | Path,
                  formats: Iterable[str] = FORMATS, *, id_column: str = "idnumber",
                  scale: float | None = None, merge: bool = True) -> dict[str, Path]:
    """Write ``formats`` into ``out_dir``; returns the main file of each format.

    With ``merge`` (the default) the students already graded in ``out_dir`` stay, and
    ``batch``'s students replace their own earlier results (see the module docstring)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    wanted = list(dict.fromkeys(formats))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown report format {unknown[0]!r} (known: {', '.join(FORMATS)})")
    check_scale(scale)
    if merge:
        batch = merge_into(batch, out)
    written: dict[str, Path] = {}
    json_main = write_json(batch, out)[-1]  # always: the folder's memory for the next merge
    if "json" in wanted:
        written["json"] = json_main
    if "csv" in wanted:
        written["csv"] = write_csv(batch, out / "grades.csv", id_column=id_column, scale=scale)
    if "junit" in wanted:
        written["junit"] = write_junit(batch, out / "junit.xml")
    if "html" in wanted:
        written["html"] = write_html(batch, out)
    return written
