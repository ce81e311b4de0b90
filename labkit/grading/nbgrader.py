"""The nbgrader bridge: grade a student's real lab host from a hidden autograder test cell.

An exercise's nbgrader notebook ends with a test cell worth the spec's ``max_score``::

    ### BEGIN HIDDEN TESTS
    from labkit.grading.nbgrader import autograde_points
    autograde_points("qemu-img-basics", points=10)
    ### END HIDDEN TESTS

``nbgrader autograde`` runs each submission's notebook in
``<course>/autograded/<student_id>/<assignment>/``; the bridge takes the student id from that
folder, looks the student up in the roster, grades the host(s), prints the checks as plain text
(they become the student's feedback) and returns the score scaled to ``points``. nbgrader
reads a test cell's last value as partial credit (``nbgrader.utils.determine_grade``) and gives
0 to a cell that wrote anything to stderr, so the bridge never writes to stderr and never
raises for a host, roster or spec problem: it prints the reason and returns 0.

Where each setting comes from (first found wins):

- student id: ``student=``; while nbgrader autogrades (``NBGRADER_EXECUTION=autograde``, or
  the kernel runs in ``…/autograded/<student>/<assignment>``) the folder name; else
  ``$LABKIT_STUDENT``. The folder wins over the variable during autograde, so a variable left
  set in the teacher's shell can never grade every student against one host;
- roster: ``roster=``, ``$LABKIT_ROSTER``, else the first ``labkit-roster.csv`` in the
  kernel's folder or above it (``<course>/labkit-roster.csv``); format in ``labkit.rosters``;
- parameters (e.g. ``workdir``), most specific wins: ``params=``; the roster's
  ``param:EXERCISE:NAME`` then ``param:NAME`` columns; ``$LABKIT_PARAMS`` (``k=v,k=v``); the
  spec's defaults. Names the exercise does not have are ignored, except in ``params=``;
- language: ``lang=``, the roster's ``lang`` column, ``$LABKIT_LANG``, else Galician.

Under ``nbgrader validate`` (``NBGRADER_EXECUTION=validate``) with no student id there is no
host to grade: the bridge says so and returns full points, so validating the source notebook
passes.

This module does not import nbgrader: it only follows nbgrader's conventions.
"""

from __future__ import annotations

import contextlib
import os
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TextIO

from labkit import exercises, rosters
from labkit.checks.spec import ExerciseSpec
from labkit.errors import LabkitError
from labkit.grading.grade import grade_url
from labkit.grading.report import Report
from labkit.i18n import DEFAULT_LANG, LANGS, text
from labkit.rosters import Student

__all__ = ["ROSTER_NAME", "autograde_points", "find_roster", "format_report", "parse_params",
           "student_id"]

ROSTER_NAME = "labkit-roster.csv"

# Messages of the bridge itself (TODO: move into labkit.i18n.catalog with the lead).
_TEXT: dict[str, dict[str, str]] = {
    "no_student": {
        "gl": "Non se sabe de que estudante é esta entrega (nin cartafol de nbgrader autograde "
              "nin LABKIT_STUDENT): non se pode corrixir.",
        "en": "Whose submission this is is unknown (no nbgrader autograde folder and no "
              "LABKIT_STUDENT): it cannot be graded.",
    },
    "no_roster": {
        "gl": "Non se atopou a lista de máquinas ({name}, LABKIT_ROSTER): avisa ao profesorado.",
        "en": "The list of lab hosts was not found ({name}, LABKIT_ROSTER): tell your teacher.",
    },
    "not_in_roster": {
        "gl": "O estudante {student!r} non está na lista de máquinas {roster}: avisa ao "
              "profesorado.",
        "en": "Student {student!r} is not in the list of lab hosts {roster}: tell your teacher.",
    },
    "cannot_grade": {
        "gl": "Non se puido corrixir: {reason}",
        "en": "Could not grade: {reason}",
    },
    "unreachable": {
        "gl": "Non se puido ler a túa máquina do laboratorio, así que esta parte vale 0 puntos. "
              "Comproba que a máquina está acesa e accesible e pídelle ao profesorado que volva "
              "corrixir.",
        "en": "Your lab host could not be read, so this part is worth 0 points. Check that the "
              "host is running and reachable, and ask your teacher to grade it again.",
    },
    "validate": {
        "gl": "nbgrader validate: {exercise} corríxese na máquina de cada estudante só con "
              "nbgrader autograde; aquí non hai nada que corrixir.",
        "en": "nbgrader validate: {exercise} is graded on each student's lab host by nbgrader "
              "autograde only; there is nothing to grade here.",
    },
    "points": {
        "gl": "Puntos desta cela: {points:g}/{max_points:g}",
        "en": "Points of this cell: {points:g}/{max_points:g}",
    },
}


def _t(key: str, lang: str, **values: object) -> str:
    return _TEXT[key][lang].format(**values)


# -- finding the student, the roster and the parameters ---------------------------------------
def student_id(cwd: str | Path | None = None, env: Mapping[str, str] | None = None) -> str | None:
    """The student whose submission is being graded, or None (see the module docstring)."""
    env = os.environ if env is None else env
    here = Path.cwd() if cwd is None else Path(cwd)
    autograding = env.get("NBGRADER_EXECUTION") == "autograde" \
        or here.parent.parent.name == "autograded"
    if autograding and here.parent.name:
        return here.parent.name
    return env.get("LABKIT_STUDENT") or None


def find_roster(cwd: str | Path | None = None,
                env: Mapping[str, str] | None = None) -> Path | None:
    """``$LABKIT_ROSTER``, else the nearest ``labkit-roster.csv`` in ``cwd`` or above."""
    env = os.environ if env is None else env
    if env.get("LABKIT_ROSTER"):
        return Path(env["LABKIT_ROSTER"])
    here = (Path.cwd() if cwd is None else Path(cwd)).resolve()
    for folder in (here, *here.parents):
        if (folder / ROSTER_NAME).is_file():
            return folder / ROSTER_NAME
    return None


def parse_params(value: str) -> dict[str, str]:
    """``"k=v,k=v"`` -> ``{"k": "v", …}``; raise LabkitError for an item without ``=``."""
    params: dict[str, str] = {}
    for item in value.split(","):
        if not item.strip():
            continue
        name, sep, val = item.partition("=")
        if not sep or not name.strip():
            raise LabkitError(f"bad LABKIT_PARAMS item {item!r} (expected name=value)")
        params[name.strip()] = val.strip()
    return params


def _params(spec: ExerciseSpec, entry: Student, explicit: Mapping[str, str] | None,
            env: Mapping[str, str]) -> dict[str, str]:
    known = set(spec.params)
    merged = parse_params(env.get("LABKIT_PARAMS", ""))
    merged.update(entry.params_for(spec.exercise))
    merged = {k: v for k, v in merged.items() if k in known}
    merged.update(explicit or {})  # unknown names here are the caller's error: SpecError
    return merged


# -- output ------------------------------------------------------------------------------------
def format_report(report: Report) -> str:
    """The report as plain text: one block per check, hints under failed checks."""
    lang = report.lang
    lines = [f"{report.exercise} @ {report.host}: {text('report.score', lang)} "
             f"{report.score:g}/{report.max_score:g}"]
    if report.error:
        lines.append(report.error)
        return "\n".join(lines)
    width = max((len(c.id) for c in report.checks), default=0)
    statuses = {s: text("status." + s, lang) for s in ("passed", "failed", "blocked", "error")}
    status_width = max(len(s) for s in statuses.values())
    for c in report.checks:
        mark = "✔" if c.status == "passed" else "✘"
        lines.append(f"{mark} {c.id:<{width}}  {statuses[c.status]:<{status_width}}  "
                     f"{c.points:g}/{c.max_points:g}  {c.message}")
        if c.hint:
            lines.append(f"  {' ' * width}  {text('report.hint', lang)}: {c.hint}")
    return "\n".join(lines)


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Library warnings and log lines go to stdout: nbgrader scores a cell with any stderr
    output as 0."""
    with warnings.catch_warnings(), contextlib.redirect_stderr(sys.stdout):
        warnings.simplefilter("ignore")
        yield


# -- the entry point ---------------------------------------------------------------------------
def autograde_points(exercise: str, *, points: float | None = None,
                     roster: str | Path | None = None, student: str | None = None,
                     lang: str | None = None, params: Mapping[str, str] | None = None,
                     out: TextIO | None = None) -> float:
    """Grade ``student``'s host(s) for ``exercise``; print the checks; return the score scaled
    to ``points`` (default: the spec's max_score), between 0 and ``points``.

    Use it as the last line of a hidden autograder test cell whose points equal ``points``.
    """
    write = (out or sys.stdout).write
    env = os.environ
    chosen_lang = lang if lang in LANGS else None
    with _quiet_stderr():
        try:
            spec = exercises.load(exercise)
        except LabkitError as exc:
            write(_t("cannot_grade", chosen_lang or DEFAULT_LANG, reason=exc) + "\n")
            return 0.0
        cell_points = spec.max_score if points is None else float(points)
        if env.get("NBGRADER_EXECUTION") == "validate" and not (student or student_id(env=env)):
            # `nbgrader validate` of the source notebook: there is no student host to grade.
            write(_t("validate", chosen_lang or DEFAULT_LANG, exercise=exercise) + "\n")
            return cell_points
        report, language = _grade(spec, roster, student, chosen_lang, params, env, write)
        if report is None:
            write(_t("points", language, points=0, max_points=cell_points) + "\n")
            return 0.0
        write(format_report(report) + "\n")
        if report.error:
            write(_t("unreachable", language) + "\n")
        score = 0.0 if report.error or report.max_score <= 0 else \
            round(report.score * cell_points / report.max_score, 4)
        score = min(max(score, 0.0), cell_points)
        write(_t("points", language, points=score, max_points=cell_points) + "\n")
        return score


def _grade(spec: ExerciseSpec, roster: str | Path | None, student: str | None,
           lang: str | None, params: Mapping[str, str] | None, env: Mapping[str, str],
           write: Callable[[str], object]) -> tuple[Report | None, str]:
    """Find the student's hosts and grade them; on a setup problem print why, return None."""
    env_lang = env.get("LABKIT_LANG", "")
    language = lang or (env_lang if env_lang in LANGS else DEFAULT_LANG)
    sid = student or student_id(env=env)
    if not sid:
        write(_t("no_student", language) + "\n")
        return None, language
    roster_path = Path(roster) if roster else find_roster(env=env)
    if roster_path is None:
        write(_t("no_roster", language, name=ROSTER_NAME) + "\n")
        return None, language
    try:
        roster_file = rosters.load(roster_path)
    except LabkitError as exc:
        write(_t("cannot_grade", language, reason=exc) + "\n")
        return None, language
    entry = roster_file[sid] if sid in roster_file.ids else None
    if entry is None:
        write(_t("not_in_roster", language, student=sid, roster=roster_path) + "\n")
        return None, language
    if lang is None and entry.lang:
        language = entry.lang
    try:
        values = _params(spec, entry, params, env)
        return grade_url(spec, entry.hosts, lang=language, params=values), language
    except LabkitError as exc:
        write(_t("cannot_grade", language, reason=exc) + "\n")
        return None, language
