"""Grades for other programs: a CSV for Moodle's grade book and JUnit XML for CI.

A student whose host could not be read has no grade: the CSV cell is empty (Moodle keeps its
grade) and JUnit marks every check ``error``. Everything a student could control (names, host
output in messages) is cleaned of characters XML forbids, and guarded against formula
injection in CSV.
"""

from __future__ import annotations

import csv
import io
import math
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from labkit.errors import UsageError
from labkit.grading.batch import BatchResult, StudentResult
from labkit.grading.outdir import atomic_write
from labkit.i18n import text

__all__ = ["MOODLE_ID_COLUMNS", "check_scale", "csv_cell", "csv_text", "junit_tree", "number",
           "write_csv", "write_junit", "xml_text"]

MOODLE_ID_COLUMNS = ("idnumber", "username", "email")
#: Characters XML 1.0 does not allow (most control characters, lone surrogates, U+FFFE/F).
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def xml_text(value: object) -> str:
    """``value`` as text XML can hold (forbidden characters become U+FFFD)."""
    return _XML_BAD.sub("\ufffd", str(value))


def csv_cell(value: str) -> str:
    """Text a spreadsheet will not run as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def number(value: float) -> str:
    """Points as people write them: ``10``, ``2.5``, ``0.33`` (at most two decimals)."""
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def check_scale(scale: float | None) -> None:
    """``scale`` must be a finite number above 0 (or None: points)."""
    if scale is not None and not (math.isfinite(scale) and scale > 0):
        raise UsageError(text("teacher.bad_scale", "en", value=scale))


# -- CSV for Moodle ----------------------------------------------------------------------------
def _feedback(r: StudentResult) -> str:
    if r.report.error:
        return r.report.error
    missing = [f"{c.id}: {c.message}" for c in r.report.checks if c.status != "passed"]
    head = f"{number(r.report.score)}/{number(r.report.max_score)}"
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
                rows[s.id] = {id_column: csv_cell(ident), "fullname": csv_cell(s.name)}
            row = rows[s.id]
            if r.report.error:
                row[b.exercise] = ""  # Moodle leaves the grade as it was
            else:
                score = r.report.score
                if scale is not None and r.report.max_score:
                    score = round(score / r.report.max_score * scale, 2)
                row[b.exercise] = number(score)
            row[f"{b.exercise} feedback"] = csv_cell(_feedback(r))
            if checks:
                for c in r.report.checks:
                    row[f"{b.exercise}:{c.id}"] = "" if r.report.error else number(c.points)
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
                            ("score", "" if r.report.error else number(r.report.score)),
                            ("max_score", number(r.report.max_score))):
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
