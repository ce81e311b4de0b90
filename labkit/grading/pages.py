"""The class pages for the teacher: ``OUT/index.html`` (summary, the most-failed checks, a heat
map) and ``OUT/students/<student>.html``, from the Jinja templates in ``templates/``.

A student whose host could not be read has "no grade" and the reason. Everything a student
could control (host output in messages, names) is escaped (autoescape).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from labkit.grading.batch import BatchResult
from labkit.grading.exports import number
from labkit.grading.outdir import atomic_write, safe_name
from labkit.i18n import text

__all__ = ["STATUSES", "SYMBOL", "check_ranking", "write_html"]

STATUSES = ("passed", "failed", "blocked", "error")
SYMBOL = {"passed": "✓", "failed": "✗", "blocked": "⊘", "error": "!"}

#: Words of the class pages (keys ``teacher.<word>`` of the catalog).
WORDS = ("class", "student", "students", "graded", "not_graded", "full_marks", "average",
         "reteach", "heatmap", "not_passed", "host", "params", "back", "generated",
         "interrupted", "feedback", "no_grade", "why_not_graded", "graded_at", "snapshot_at")


def _w(key: str, lang: str, **values: Any) -> str:
    return text(f"teacher.{key}", lang, **values)


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
        "average": number(sum(r.report.score for r in graded) / len(graded)) if graded else "-",
        "max_score": number(batch.spec.max_score),
    }
    students = [{"id": r.student.id, "name": r.student.name, "file": safe_name(r.student.id),
                 "score": number(r.report.score), "max_score": number(r.report.max_score),
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
                                           score=number(r.report.score),
                                           max_score=number(r.report.max_score),
                                           params=r.params, when=r.when,
                                           snapshot=r.snapshot))
    return index
