"""Class reports: what ``grade_many`` found, as files for people and for other programs.

``write_reports(batch, out_dir, formats)`` writes, for one exercise::

    OUT/reports/<student>.json   one per student: exactly Report.to_dict()
    OUT/summary.json             the class: student, name, score, max_score, error, file
    OUT/grades.csv               for the Moodle grade book (see write_csv)
    OUT/junit.xml                for CI (see write_junit)
    OUT/index.html               heat map, most-failed checks; OUT/students/<student>.html

File names are the student ids, with any character outside ``A-Z a-z 0-9 . _ @ -`` replaced
(and a short hash added, so two ids never share a file). Everything a student could control
(host output in messages, names) is escaped in HTML and XML, cleaned of characters XML
forbids, and guarded against formula injection in CSV.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from labkit.grading.batch import BatchResult, StudentResult
from labkit.i18n import text

__all__ = ["FORMATS", "safe_name", "write_csv", "write_html", "write_json", "write_junit",
           "write_reports"]

FORMATS = ("json", "csv", "junit", "html")
MOODLE_ID_COLUMNS = ("idnumber", "username", "email")
_UNSAFE = re.compile(r"[^A-Za-z0-9._@-]")
#: Characters XML 1.0 does not allow (most control characters, lone surrogates, U+FFFE/F).
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

#: Words of the class reports not (yet) in labkit.i18n's catalog.
WORDS: dict[str, dict[str, str]] = {
    "class": {"gl": "Clase", "en": "Class"},
    "student": {"gl": "Estudante", "en": "Student"},
    "students": {"gl": "estudantes", "en": "students"},
    "graded": {"gl": "corrixidos", "en": "graded"},
    "not_graded": {"gl": "sen corrixir (erro de máquina)", "en": "not graded (host error)"},
    "full_marks": {"gl": "coa nota máxima", "en": "with full marks"},
    "average": {"gl": "media", "en": "average"},
    "reteach": {"gl": "Comprobacións máis falladas (que volver explicar)",
                "en": "Most-failed checks (what to teach again)"},
    "heatmap": {"gl": "Mapa da clase", "en": "Class map"},
    "not_passed": {"gl": "non superada", "en": "not passed"},
    "host": {"gl": "Máquina", "en": "Host"},
    "params": {"gl": "Valores do exercicio", "en": "Exercise values"},
    "back": {"gl": "Volver á clase", "en": "Back to the class"},
    "generated": {"gl": "Xerado", "en": "Generated"},
    "interrupted": {"gl": "Interrompido: faltan {n} estudantes.",
                    "en": "Interrupted: {n} students were not graded."},
    "feedback": {"gl": "comentario", "en": "feedback"},
}
STATUSES = ("passed", "failed", "blocked", "error")
SYMBOL = {"passed": "✓", "failed": "✗", "blocked": "⊘", "error": "!"}


def _w(key: str, lang: str, **values: Any) -> str:
    return WORDS[key].get(lang, WORDS[key]["en"]).format(**values)


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


# -- JSON ------------------------------------------------------------------------------------
def write_json(batch: BatchResult, out_dir: str | Path) -> list[Path]:
    """``reports/<student>.json`` (Report.to_dict()) for each student, and ``summary.json``."""
    out = Path(out_dir)
    (out / "reports").mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    summary = []
    for r in batch.results:
        path = out / "reports" / f"{safe_name(r.student.id)}.json"
        path.write_text(r.report.to_json() + "\n", encoding="utf-8")
        written.append(path)
        summary.append({"student": r.student.id, "name": r.student.name,
                        "email": r.student.email, "host": r.report.host,
                        "score": r.report.score, "max_score": r.report.max_score,
                        "error": r.report.error, "seconds": round(r.seconds, 3),
                        "params": r.params, "file": f"reports/{path.name}"})
    index = {"exercise": batch.exercise, "lang": batch.lang,
             "generated": datetime.now(UTC).isoformat(timespec="seconds"),
             "interrupted": batch.interrupted,
             "not_graded": [s.id for s in batch.pending], "students": summary}
    path = out / "summary.json"
    path.write_text(json.dumps(index, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
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
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(csv_text(batches, id_column=id_column, scale=scale, checks=checks),
                    encoding="utf-8")
    return path


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
                            ("score", _num(r.report.score)),
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
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tree = junit_tree(batch)
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)
    return path


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
    index = out / "index.html"
    index.write_text(env.get_template("class.html").render(
        **common, summary=summary, ranking=check_ranking(batch), students=students,
        checks=[c.id for c in batch.spec.checks], interrupted=batch.interrupted,
        pending=[s.id for s in batch.pending]), encoding="utf-8")
    template = env.get_template("student.html")
    for r in batch.results:
        page = out / "students" / f"{safe_name(r.student.id)}.html"
        page.write_text(template.render(**common, student=r.student, report=r.report,
                                        score=_num(r.report.score),
                                        max_score=_num(r.report.max_score),
                                        params=r.params), encoding="utf-8")
    return index


# -- all of them -----------------------------------------------------------------------------
def write_reports(batch: BatchResult, out_dir: str | Path,
                  formats: Iterable[str] = FORMATS, *, id_column: str = "idnumber",
                  scale: float | None = None) -> dict[str, Path]:
    """Write ``formats`` into ``out_dir``; returns the main file of each format."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    wanted = list(dict.fromkeys(formats))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown report format {unknown[0]!r} (known: {', '.join(FORMATS)})")
    written: dict[str, Path] = {}
    if "json" in wanted:
        written["json"] = write_json(batch, out)[-1]
    if "csv" in wanted:
        written["csv"] = write_csv(batch, out / "grades.csv", id_column=id_column, scale=scale)
    if "junit" in wanted:
        written["junit"] = write_junit(batch, out / "junit.xml")
    if "html" in wanted:
        written["html"] = write_html(batch, out)
    return written
