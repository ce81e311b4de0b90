"""The nbgrader bridge: grade a student's real lab host from a hidden autograder test cell.

An exercise's nbgrader notebook ends with a test cell worth the spec's ``max_score``::

    ### BEGIN HIDDEN TESTS
    from labkit.notebook.nbgrader import autograde_points
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

- roster: ``roster=``, ``$LABKIT_ROSTER``, else the first ``labkit-roster.csv`` in the
  kernel's folder or above it (``<course>/labkit-roster.csv``); format in ``labkit.rosters``;
- student id, parameters, language and hint level: the grading context's rules
  (:mod:`labkit.grading.context`): the autograde folder names the student (it wins over
  ``$LABKIT_STUDENT``, so a variable left set in the teacher's shell can never grade every
  student against one host), and parameters go defaults < variants < ``$LABKIT_PARAMS`` <
  roster columns < ``params=``.

A recording (``replay://``) or the grading machine itself standing in for the student's host
earns 0: the cell prints the reason and leaves a ``application/vnd.labkit.manual+json``
output, which :class:`labkit.notebook.nbgrader_manual.FlagManualGrades` (an nbgrader
preprocessor the course's ``nbgrader_config.py`` adds after ``SaveAutoGrades``) turns into
``needs_manual_grade`` in the gradebook.

Under ``nbgrader validate`` (``NBGRADER_EXECUTION=validate``) with no student id there is no
host to grade: the bridge says so and returns full points, so validating the source notebook
passes.

This module does not import nbgrader: it only follows nbgrader's conventions. It imports
IPython only when a kernel runs the cell.
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
from labkit.errors import LabkitError
from labkit.grading.context import GradingContext, StandInHost, parse_params, resolve_lang
from labkit.grading.context import resolve_student as _resolve_student
from labkit.grading.report import Report
from labkit.i18n import DEFAULT_LANG, LANGS, text
from labkit.settings import Settings

__all__ = ["MANUAL_MIME", "ROSTER_NAME", "autograde_points", "find_roster", "format_report",
           "parse_params", "student_id"]

ROSTER_NAME = "labkit-roster.csv"
#: Output of a cell whose score must be reviewed by hand (read by FlagManualGrades).
MANUAL_MIME = "application/vnd.labkit.manual+json"


def _t(key: str, lang: str, **values: object) -> str:
    return text(f"nbgrader.{key}", lang, **values)


# -- finding the student and the roster ---------------------------------------------------------
def student_id(cwd: str | Path | None = None, env: Mapping[str, str] | None = None) -> str | None:
    """The student whose submission is being graded, or None (the grading context's rule)."""
    return _resolve_student(None, cwd=cwd, env=env)


def find_roster(cwd: str | Path | None = None,
                env: Mapping[str, str] | None = None) -> Path | None:
    """``$LABKIT_ROSTER``, else the nearest ``labkit-roster.csv`` in ``cwd`` or above."""
    roster = Settings.from_env(os.environ if env is None else env).roster
    if roster is not None:
        return roster
    here = (Path.cwd() if cwd is None else Path(cwd)).resolve()
    for folder in (here, *here.parents):
        if (folder / ROSTER_NAME).is_file():
            return folder / ROSTER_NAME
    return None


# -- output ------------------------------------------------------------------------------------
def format_report(report: Report) -> str:
    """The report as plain text: one block per check, hints under failed checks."""
    lang = report.lang
    lines = [f"{report.exercise} @ {report.host}: {text('report.score', lang)} "
             f"{report.score:g}/{report.max_score:g}"]
    if report.stand_in:
        lines.append(report.stand_in)
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


def _flag_manual(reason: str) -> None:
    """Leave the MANUAL_MIME output in the cell (when a kernel runs it)."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        return
    if get_ipython() is None:
        return
    display({MANUAL_MIME: {"reason": reason}, "text/plain": reason},
            raw=True)  # type: ignore[no-untyped-call]


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
        report, language = _grade(exercise, roster, student, chosen_lang, params, env, write)
        if report is None:
            write(_t("points", language, points=0, max_points=cell_points) + "\n")
            return 0.0
        write(format_report(report) + "\n")
        if report.error:
            write(_t("unreachable", language) + "\n")
            _flag_manual(report.error)  # a host error is for a person to look at, not a 0
        score = 0.0 if report.error or report.max_score <= 0 else \
            round(report.score * cell_points / report.max_score, 4)
        score = min(max(score, 0.0), cell_points)
        write(_t("points", language, points=score, max_points=cell_points) + "\n")
        return score


def _grade(exercise: str, roster: str | Path | None, student: str | None,
           lang: str | None, params: Mapping[str, str] | None, env: Mapping[str, str],
           write: Callable[[str], object]) -> tuple[Report | None, str]:
    """Find the student's hosts and grade them; on a setup problem print why, return None."""
    language = resolve_lang(lang, env=env)
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
    language = resolve_lang(lang, entry=entry, env=env)
    try:
        context = GradingContext.build(exercise, student=sid, entry=entry, lang=lang,
                                       params=params, env=env)
        return context.grade(official=True), context.lang
    except StandInHost as exc:
        write(_t("manual", language, reason=exc) + "\n")
        _flag_manual(str(exc))
        return None, language
    except LabkitError as exc:
        write(_t("cannot_grade", language, reason=exc) + "\n")
        return None, language
