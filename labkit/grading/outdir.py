"""The class folder's memory: safe file names, atomic writes, and the JSON reports written and
read back.

``OUT/reports/<student>.json`` (exactly ``Report.to_dict()``) and ``OUT/summary.json`` (the
class: student, name, score, max_score, error, file…) are always written, whatever formats a
teacher asks for: a later run into the same folder reads them back (``load_batch``) and
merges (``merge_into``), each new result replacing that student's old one. A student whose
host could not be read has ``score`` null.

File names are the student ids, with any character outside ``A-Z a-z 0-9 . _ @ -`` replaced
(and a short hash added, so two ids never share a file). Every file is written to a temporary
file in the same folder and renamed over the old one (``atomic_write``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import re
import tempfile
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

__all__ = ["atomic_write", "error_ids", "load_batch", "merge", "merge_into", "read_summary",
           "report_from_dict", "safe_name", "write_json"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._@-]")


def safe_name(student_id: str) -> str:
    """A file name for ``student_id``: itself if it is safe, else a cleaned form + a hash."""
    cleaned = _UNSAFE.sub("_", student_id).lstrip(".") or "_"
    if cleaned == student_id:
        return cleaned
    digest = hashlib.sha256(student_id.encode()).hexdigest()[:8]
    return f"{cleaned[:60]}-{digest}"


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
def report_from_dict(data: dict[str, Any], lang: str) -> Report:
    """A Report back from its ``to_dict()`` (a stored report, a grading service's answer)."""
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
            student, report_from_dict(report_data, row.get("lang") or data.get("lang", "gl")),
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
