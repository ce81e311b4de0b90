"""The course's records: a deadline snapshot, the grade book, an nbgrader course folder.

``labkit snapshot EXERCISE… --roster F --out FILE``
    a deadline snapshot of every student's facts (``labkit.grading.snapshot``).
``labkit gradebook DIR… --out grades.csv`` (or ``--nbgrader EXPORT.csv``)
    one Moodle CSV joining the class reports of several exercises, one column each.
``labkit course init DIR [--exercise NAME…] [--roster F]``
    an nbgrader course folder (``labkit.course``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from labkit.errors import ConfigError, UsageError
from labkit.i18n import text

__all__ = ["add_commands", "cmd_course_init", "cmd_gradebook", "cmd_snapshot",
           "moodle_from_nbgrader"]


def cmd_snapshot(args: argparse.Namespace) -> int:
    from labkit import exercises
    from labkit.cli.common import params as _params
    from labkit.cli.common import select_students as _select
    from labkit.grading import snapshot
    from labkit.grading.class_roster import load_roster

    if args.workers < 1 or not args.timeout > 0:
        raise UsageError(text("teacher.workers_timeout", args.lang))
    out = Path(args.out)
    if out.is_dir():
        raise UsageError(text("teacher.out_is_dir", args.lang, out=out))
    specs = [exercises.load(name) for name in dict.fromkeys(args.names)]
    roster = load_roster(args.roster, group=args.group, lang=args.lang)
    students = _select(roster, args.student)
    snap, batch = snapshot.take(specs, students, out, workers=args.workers,
                                timeout=args.timeout, lang=args.lang, params=_params(args.param))
    errors = [r for r in batch.results if r.report.error]
    print(text("teacher.snapshot_done", args.lang, path=out, n=len(batch.results),
               time=snap.time, errors=len(errors)))
    if errors:
        print(text("teacher.run_not_graded", args.lang, n=len(errors)))
        for r in errors:
            print(f"  {r.student.id}: {' '.join(str(r.report.error).split())}")
    if batch.interrupted:
        return 130
    return 1 if errors else 0


def cmd_gradebook(args: argparse.Namespace) -> int:
    from labkit.grading.writers import atomic_write, check_scale, load_batch, write_csv

    check_scale(args.scale)
    out = Path(args.out)
    if out.is_dir():
        raise UsageError(text("teacher.out_is_dir", args.lang, out=out))
    if args.nbgrader:
        if args.folders:
            raise UsageError(text("teacher.folders_or_nbgrader", args.lang))
        atomic_write(out, moodle_from_nbgrader(args.nbgrader, scale=args.scale,
                                               id_column=args.moodle_id, lang=args.lang))
        print(text("teacher.written", args.lang, kind="grades.csv", path=out))
        return 0
    if not args.folders:
        raise UsageError(text("teacher.what_to_join", args.lang))
    batches = [load_batch(folder, lang=args.lang) for folder in args.folders]
    names = [b.exercise for b in batches]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise UsageError(text("teacher.exercise_twice", args.lang, exercise=twice[0]))
    path = write_csv(batches, out, id_column=args.moodle_id, scale=args.scale,
                     checks=args.checks)
    print(text("teacher.written", args.lang, kind="grades.csv", path=path))
    return 0


def moodle_from_nbgrader(path: str | Path, *, scale: float | None = None,
                         id_column: str = "idnumber", lang: str = "en") -> str:
    """``nbgrader export``'s CSV (one row per student and assignment) as the grade-book CSV
    of ``labkit.grading.writers.write_csv``: one row per student, one column per assignment
    (an assignment a student did not submit is left empty, so Moodle keeps its grade)."""
    import csv
    import io

    from labkit.grading.writers import csv_cell as _csv_cell
    from labkit.grading.writers import number as _num

    try:
        rows = list(csv.DictReader(io.StringIO(Path(path).read_text(encoding="utf-8"))))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ConfigError(text("teacher.cannot_read", lang, path=path, reason=exc)) from None
    need = {"assignment", "student_id", "score", "max_score"}
    if not rows or not need <= set(rows[0]):
        raise ConfigError(text("teacher.not_nbgrader_export", lang, path=path,
                               columns=", ".join(sorted(need))))
    assignments = list(dict.fromkeys(r["assignment"] for r in rows))
    people: dict[str, dict[str, str]] = {}
    for r in rows:
        sid = r["student_id"]
        person = people.setdefault(sid, {
            id_column: _csv_cell(r.get("email", "") if id_column == "email" else sid),
            "fullname": _csv_cell(" ".join(filter(None, [r.get("first_name"),
                                                          r.get("last_name")])))})
        if not r.get("timestamp"):  # no submission
            continue
        score, top = float(r["score"] or 0), float(r["max_score"] or 0)
        if scale is not None and top:
            score = round(score / top * scale, 2)
        person[r["assignment"]] = _num(score)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[id_column, "fullname", *assignments],
                            restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(people.values())
    return out.getvalue()


def cmd_course_init(args: argparse.Namespace) -> int:
    from labkit import course

    written = course.init_course(args.folder, args.exercise or None, roster=args.roster,
                                 course_id=args.course_id)
    names = [p.parent.name for p in written if p.suffix == ".ipynb"]
    roster = next(p for p in written if p.name == "labkit-roster.csv")
    print(text("teacher.course_done", args.lang, path=Path(args.folder), n=len(names),
               roster=roster))
    if args.json:
        print(json.dumps([str(p) for p in written], indent=1))
    return 0


def add_commands(sub: Any) -> None:
    """Add ``snapshot``, ``gradebook`` and ``course`` to the command's subparsers."""
    p = sub.add_parser("snapshot", help="deadline: store every student's facts to grade later")
    p.add_argument("names", nargs="+", metavar="EXERCISE")
    p.add_argument("--roster", required=True, metavar="FILE")
    p.add_argument("--group", metavar="NAME")
    p.add_argument("--student", action="append", default=[], metavar="ID")
    p.add_argument("--out", required=True, metavar="FILE", help="the snapshot file to write")
    p.add_argument("--workers", type=int, default=32, metavar="N")
    p.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    p.set_defaults(func=cmd_snapshot)

    p = sub.add_parser("gradebook", help="one Moodle CSV from the class reports of several "
                                         "exercises")
    p.add_argument("folders", nargs="*", metavar="DIR", help="folders written by grade --out")
    p.add_argument("--nbgrader", metavar="FILE",
                   help="instead: the CSV of `nbgrader export` (one column per assignment)")
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--moodle-id", choices=("idnumber", "username", "email"),
                   default="idnumber")
    p.add_argument("--scale", type=float, metavar="MAX")
    p.add_argument("--checks", action="store_true", help="also one column per check")
    p.set_defaults(func=cmd_gradebook)

    p = sub.add_parser("course", help="an nbgrader course folder (teachers)")
    csub = p.add_subparsers(dest="course_command", required=True, metavar="ACTION")
    c = csub.add_parser("init", help="nbgrader config, exercises as sources, roster, kernel")
    c.add_argument("folder")
    c.add_argument("--exercise", action="append", default=[], metavar="NAME",
                   help="only these exercises (default: every one with a notebook)")
    c.add_argument("--roster", metavar="FILE",
                   help="fill labkit-roster.csv from this roster (default: an example row)")
    c.add_argument("--course-id", metavar="ID", help="nbgrader course id (default: the "
                                                      "folder's name)")
    c.add_argument("--json", action="store_true", help="also print the files written")
    c.set_defaults(func=cmd_course_init)
