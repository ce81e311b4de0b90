"""The teacher's commands: drills, own exercises, deadlines, the grade book, a course folder.

``labkit break EXERCISE --host URL|--lab [--seed N] [--roster F --student ID]``
    a repair drill: the exercise's solution, then one or two of its faults chosen by the seed
    (by default the student's own seed), without saying which; the exercise's grader grades
    the repair.
``labkit check-exercise [DIR/]NAME --host URL|--lab``
    lint a grader, then run the solution and every fault on a host and print which checks each
    fault fails: a mutation test for a teacher's own exercises. Exit 1 on any problem.
``labkit snapshot EXERCISE… --roster F --out FILE``
    a deadline snapshot of every student's facts (``labkit.grading.snapshot``).
``labkit gradebook DIR… --out grades.csv``
    one Moodle CSV joining the class reports of several exercises, one column each.
``labkit course init DIR [--exercise NAME…] [--roster F]``
    an nbgrader course folder (``labkit.course``).

``--lang`` is accepted before and after the subcommand (``labkit grade X --lang en``), and
``$LABKIT_LANG`` is the default (see ``share_lang``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from labkit.errors import ConfigError, ConnectError, LabkitError, UsageError
from labkit.i18n import LANGS, lang_or_default, text


# -- --lang everywhere ---------------------------------------------------------------------------
def share_lang(parser: argparse.ArgumentParser) -> None:
    """Accept ``--lang`` after any subcommand too; the one given last wins, the default is
    ``$LABKIT_LANG`` (else Galician). ``args.lang_given`` says whether one was given."""
    for action in parser._actions:
        if action.dest == "lang":
            action.default = None
    seen: set[int] = set()

    def visit(p: argparse.ArgumentParser) -> None:
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for child in action.choices.values():
                    if id(child) in seen:
                        continue
                    seen.add(id(child))
                    if not any(a.dest == "lang" for a in child._actions):
                        child.add_argument("--lang", choices=LANGS, default=argparse.SUPPRESS,
                                           help="language of messages (gl: Galician, en: "
                                                "English; default: $LABKIT_LANG, else gl)")
                    visit(child)

    visit(parser)


def resolve_lang(args: argparse.Namespace) -> None:
    """Fill ``args.lang`` (given, else ``$LABKIT_LANG``, else gl) and ``args.lang_given``."""
    from labkit.settings import current

    given = getattr(args, "lang", None)
    args.lang_given = given is not None
    args.lang = lang_or_default(given or current().lang)


def said(args: argparse.Namespace, key: str, hosts: dict[str, str], **values: Any) -> None:
    """Say on stderr what a command did to which hosts (solve, fault, break)."""
    from labkit.transports import parse_url

    shown = ", ".join(parse_url(u).display for u in hosts.values())
    print(f"labkit: {text(key, args.lang, hosts=shown, **values)}", file=sys.stderr)


def said_scripts(args: argparse.Namespace, exercise: str, hosts: dict[str, str]) -> None:
    """What ``labkit solve`` / ``labkit fault`` did."""
    fault = getattr(args, "fault", None)
    if fault:
        said(args, "teacher.did_fault", hosts, exercise=exercise, fault=fault)
    else:
        said(args, "teacher.did_solve", hosts, exercise=exercise)


def _open(urls: dict[str, str]) -> dict[str, Any]:
    from labkit.host import Host

    return {role: Host(url) for role, url in urls.items()}


def _close(hosts: dict[str, Any]) -> None:
    for host in hosts.values():
        host.close()


# -- break -------------------------------------------------------------------------------------
def cmd_break(args: argparse.Namespace) -> int:
    """A repair drill (``labkit.drills``): whose, on which hosts, then break them."""
    from labkit import drills
    from labkit.cli.common import params as _params

    ctx = drills.context(args.exercise, student=args.student, roster=args.roster,
                         group=args.group, host=args.host, lab=args.lab,
                         params=_params(args.param), lang=args.lang)
    done = drills.break_hosts(ctx, seed=args.seed, timeout=args.script_timeout)
    if done.setup:  # an HA drill's own setup: nothing chosen to report
        return 0
    said(args, "teacher.did_break", ctx.urls, exercise=done.exercise, n=len(done.faults),
         seed=done.seed)
    if args.reveal:
        print(" ".join(done.faults))
    return 0


# -- check-exercise ------------------------------------------------------------------------------
def _use_folder(target: str, lang: str) -> str:
    """``DIR/NAME`` -> NAME, with DIR (holding graders/ and exercises/) as the course root."""
    path = Path(target)
    if len(path.parts) == 1:
        return target
    root = path.parent
    if path.parent.name == "exercises":  # DIR/exercises/NAME
        root = path.parent.parent
    if not (root / "graders").is_dir():
        raise ConfigError(text("teacher.no_graders_dir", lang, root=root))
    from labkit.settings import configure

    configure(course_dir=root.resolve())
    return path.name


def cmd_check_exercise(args: argparse.Namespace) -> int:
    from labkit import exercises
    from labkit.cli.common import params as _params
    from labkit.cli.common import resolve_hosts
    from labkit.grading.grade import grade

    lang = args.lang
    name = _use_folder(args.exercise, lang)
    spec = exercises.load(name)  # SpecError names file, line and field
    faults = exercises.faults(name)
    problems: list[str] = []
    ids = {c.id for c in spec.checks}
    for fault in faults:
        unknown = sorted(fault.fails - ids)
        if unknown:
            problems.append(f"{fault.path}: labkit-fails names unknown check(s) "
                            f"{', '.join(unknown)}")
    solution = exercises.solution_scripts(name)
    print(text("teacher.ce_lint_ok", lang, path=exercises.grader_path(name),
               n=len(spec.checks), points=spec.max_score))
    if problems or args.lint_only:
        for p in problems:
            print(f"  ✗ {p}")
        return 1 if problems else 0
    params = _params(args.param)
    urls = resolve_hosts(args, spec.roles)
    hosts = _open(urls)
    failed_by: dict[str, set[str]] = {}
    try:
        exercises.run_scripts(hosts, solution, spec, params, timeout=args.script_timeout)
        report = grade(spec, hosts, lang=lang, params=params)
        if report.error:
            raise ConnectError(report.error)
        print(text("teacher.ce_solution", lang, score=report.score,
                   max_score=report.max_score))
        short = [c.id for c in report.checks if c.status != "passed"]
        if short:
            problems.append(text("teacher.ce_solution_short", lang, ids=", ".join(short)))
        for fault in faults:
            exercises.run_scripts(hosts, list(fault.scripts), spec, params,
                                  timeout=args.script_timeout)
            report = grade(spec, hosts, lang=lang, params=params)
            if report.error:
                raise ConnectError(report.error)
            failed = {c.id for c in report.checks if c.status == "failed"}
            failed_by[fault.name] = failed
            shown = ", ".join(sorted(failed)) or text("teacher.ce_none", lang)
            if failed != set(fault.fails):
                problems.append(text("teacher.ce_fault_wrong", lang, fault=fault.name,
                                     declared=", ".join(sorted(fault.fails)), failed=shown))
                print(f"  ✗ {problems[-1]}")
            else:
                print(f"  ✓ {text('teacher.ce_fault', lang, fault=fault.name, failed=shown)}")
            undo = _undo_scripts(name, fault.name, spec.roles)
            exercises.run_scripts(hosts, undo or solution, spec, params,
                                  timeout=args.script_timeout)
    finally:
        _close(hosts)
    never = sorted(ids - set().union(*failed_by.values())) if failed_by else sorted(ids)
    if never:
        problems.append(text("teacher.ce_unfailed", lang, ids=", ".join(never)))
    if problems:
        print(text("teacher.ce_problems", lang, exercise=name, n=len(problems)))
        for p in problems:
            print(f"  - {p}")
        return 1
    print(text("teacher.ce_ok", lang, exercise=name, n=len(faults)))
    return 0


def _undo_scripts(name: str, fault: str, roles: list[str]) -> list[tuple[str, Path]]:
    """``faults/<fault>.undo[.<role>].sh``, in role order (none: re-run the solution)."""
    from labkit import exercises
    from labkit.course import base_of

    folder = exercises.exercise_dir(base_of(name)) / "faults"
    found = []
    for index, role in enumerate(roles):
        for candidate in [folder / f"{fault}.undo.{role}.sh"] + (
                [folder / f"{fault}.undo.sh"] if index == 0 else []):
            if candidate.exists():
                found.append((role, candidate))
                break
    return found


# -- snapshot / gradebook ------------------------------------------------------------------------
def cmd_snapshot(args: argparse.Namespace) -> int:
    from labkit import exercises, rosters
    from labkit.cli.common import params as _params
    from labkit.cli.common import select_students as _select
    from labkit.grading import snapshot

    if args.workers < 1 or not args.timeout > 0:
        raise UsageError(text("teacher.workers_timeout", args.lang))
    out = Path(args.out)
    if out.is_dir():
        raise UsageError(text("teacher.out_is_dir", args.lang, out=out))
    specs = [exercises.load(name) for name in dict.fromkeys(args.names)]
    roster = rosters.load(args.roster, group=args.group)
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

    from labkit.grading.writers import _csv_cell, _num

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


# -- course init ---------------------------------------------------------------------------------
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


# -- the parser ----------------------------------------------------------------------------------
def _where(p: argparse.ArgumentParser) -> None:
    from labkit.cli.common import host_options as _host_options

    _host_options(p)
    p.add_argument("--script-timeout", type=float, default=600.0, metavar="SECONDS",
                   help="time allowed to each solution or fault script (default: 600)")


def add_commands(sub: Any) -> None:
    """Add break, check-exercise, snapshot, gradebook and course to the subparsers."""
    p = sub.add_parser("break", help="repair drill: take a host to a broken state to diagnose")
    p.add_argument("exercise")
    _where(p)
    p.add_argument("--seed", type=int, metavar="N",
                   help="which faults (default: the student's own seed, from --student or "
                        "$LABKIT_STUDENT; else a random one)")
    p.add_argument("--roster", metavar="FILE", help="with --student: that student's hosts")
    p.add_argument("--group", metavar="NAME", help="with an Ansible inventory: this group")
    p.add_argument("--student", metavar="ID", help="whose drill (seed, values and hosts)")
    p.add_argument("--reveal", action="store_true",
                   help="print the names of the faults applied (for the teacher)")
    p.set_defaults(func=cmd_break)

    p = sub.add_parser("check-exercise",
                       help="lint an exercise and run its solution and every fault on a host")
    p.add_argument("exercise", metavar="[DIR/]NAME",
                   help="an exercise name, or DIR/NAME of a folder holding graders/NAME.yaml "
                        "and exercises/NAME/")
    _where(p)
    p.add_argument("--lint-only", action="store_true", help="only check the files")
    p.set_defaults(func=cmd_check_exercise)

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
