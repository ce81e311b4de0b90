"""The teacher's side of the ``labkit`` command: a whole class at once.

``labkit grade EXERCISE --roster FILE [--out DIR] [--format json,csv,junit,html]`` grades every
student of a roster (CSV or Ansible inventory) in parallel, with a progress bar, and writes
the class reports. Exit codes: 0 every student was graded (whatever their scores), 1 some
students' hosts could not be graded (their reports say why), 2 nothing could be done (bad
roster, spec or arguments), 130 interrupted by Ctrl-C (the reports finished so far are
written).

``labkit variants EXERCISE --student ID | --roster FILE`` prints per-student values;
``labkit evidence verify NOTEBOOK…`` checks "Check my work" records and flags copied VMs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from labkit.errors import LabkitError


def add_roster_grading(parser: argparse.ArgumentParser) -> None:
    """Add the class options to ``labkit grade``'s parser."""
    group = parser.add_argument_group("a whole class")
    group.add_argument("--roster", metavar="FILE",
                       help="grade every student of this roster: CSV (student_id,name,email,"
                            "host,param:NAME…) or Ansible inventory (INI or YAML)")
    group.add_argument("--group", metavar="NAME",
                       help="with an Ansible inventory: only the hosts of this group")
    group.add_argument("--student", action="append", default=[], metavar="ID",
                       help="grade only this student of the roster (repeatable)")
    group.add_argument("--workers", type=int, default=32, metavar="N",
                       help="hosts graded at the same time (default: 32)")
    group.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                       help="time allowed per host to connect and answer; a host past it is "
                            "reported as an error (default: 30)")
    group.add_argument("--out", metavar="DIR",
                       help="write the class reports here (reports/*.json, summary.json, "
                            "grades.csv, junit.xml, index.html)")
    group.add_argument("--format", default="json,csv,junit,html", metavar="LIST",
                       help="which reports to write with --out, comma-separated "
                            "(json,csv,junit,html; default: all)")
    group.add_argument("--moodle-id", choices=("idnumber", "username", "email"),
                       default="idnumber",
                       help="first column of grades.csv, for Moodle's 'Identify user by' "
                            "(default: idnumber = the roster's student id)")
    group.add_argument("--scale", type=float, metavar="MAX",
                       help="grades.csv scores out of MAX (e.g. 10) instead of points")


def _select(roster: Any, wanted: list[str]) -> list[Any]:
    if not wanted:
        return list(roster)
    missing = [w for w in wanted if w not in roster]
    if missing:
        raise LabkitError(f"no student {missing[0]!r} in the roster {roster.source}")
    return [roster[w] for w in wanted]


def cmd_grade_class(args: argparse.Namespace) -> int:
    """``labkit grade EXERCISE --roster FILE …``."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from labkit import exercises, rosters
    from labkit.cli.main import _params
    from labkit.grading.batch import StudentResult, grade_many
    from labkit.grading.writers import FORMATS, write_reports

    if getattr(args, "host", None) or getattr(args, "lab", None) is not None:
        raise LabkitError("give either --roster or --host/--lab, not both")
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise LabkitError(f"unknown --format {unknown[0]!r} (known: {', '.join(FORMATS)})")
    if args.workers < 1 or args.timeout <= 0:
        raise LabkitError("--workers must be at least 1 and --timeout positive")
    spec = exercises.load(args.exercise)
    roster = rosters.load(args.roster, group=args.group)
    students = _select(roster, args.student)
    err = Console(stderr=True)
    for warning in roster.warnings:
        err.print(f"[yellow]labkit: warning: {warning}", highlight=False)
    progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                        MofNCompleteColumn(), TextColumn("{task.fields[errors]} errors"),
                        TimeElapsedColumn(), console=err, transient=False)
    with progress:
        task = progress.add_task(spec.exercise, total=len(students), errors=0)
        errors = 0

        def on_result(result: StudentResult) -> None:
            nonlocal errors
            if result.report.error:
                errors += 1
                progress.console.print(f"[magenta]{result.student.id}: {result.report.error}",
                                       highlight=False, markup=False)
            progress.update(task, advance=1, errors=errors)

        batch = grade_many(spec, students, workers=args.workers, timeout=args.timeout,
                           lang=args.lang, params=_params(args.param), on_result=on_result)
    written: dict[str, Path] = {}
    if args.out:
        written = write_reports(batch, args.out, formats, id_column=args.moodle_id,
                                scale=args.scale)
    _print_summary(batch, written, json_out=bool(getattr(args, "json", False)), err=err)
    if batch.interrupted:
        return 130
    return 1 if batch.errors else 0


def _print_summary(batch: Any, written: dict[str, Path], *, json_out: bool, err: Any) -> None:
    graded = [r for r in batch.results if r.ok]
    if json_out:
        rows = [{"student": r.student.id, "score": r.report.score,
                 "max_score": r.report.max_score, "error": r.report.error}
                for r in batch.results]
        print(json.dumps({"exercise": batch.exercise, "interrupted": batch.interrupted,
                          "seconds": round(batch.seconds, 3), "students": rows,
                          "not_graded": [s.id for s in batch.pending],
                          "files": {k: str(v) for k, v in written.items()}},
                         ensure_ascii=False, indent=1))
        return
    average = sum(r.report.score for r in graded) / len(graded) if graded else 0.0
    full = sum(1 for r in graded if r.report.complete)
    print(f"{batch.exercise}: {len(graded)}/{len(batch.results) + len(batch.pending)} graded "
          f"in {batch.seconds:.1f} s, average {average:.2f}/{batch.spec.max_score:g}, "
          f"{full} with full marks, {len(batch.errors)} host errors")
    if batch.interrupted:
        err.print(f"labkit: interrupted; {len(batch.pending)} students not graded",
                  highlight=False)
    for kind, path in written.items():
        print(f"  {kind}: {path}")


# -- labkit variants / labkit evidence ---------------------------------------------------------
def cmd_variants(args: argparse.Namespace) -> int:
    from labkit import rosters, variants

    spec_name = args.exercise
    if args.roster:
        ids = [s.id for s in rosters.load(args.roster, group=args.group)]
    elif args.student:
        ids = list(args.student)
    else:
        raise LabkitError("say whose values: --student ID (repeatable) or --roster FILE")
    rows = {sid: variants.for_student(spec_name, sid, lang=args.lang, show_all=True).values
            for sid in ids}
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        names = list(next(iter(rows.values()), {}))
        print("\t".join(["student", *names]))
        for sid, values in rows.items():
            print("\t".join([sid, *(values[n] for n in names)]))
    if args.roster and len(ids) > 1:
        for name, shared in variants.collisions(spec_name, ids).items():
            print(f"labkit: note: {name}: {len(shared)} values are shared by several students",
                  file=sys.stderr)
    return 0


def cmd_evidence_verify(args: argparse.Namespace) -> int:
    import labkit.evidence as evidence

    key = evidence.load_key(args.key_file)
    records: list[dict[str, Any]] = []
    bad = 0
    for name in args.files:
        for record in evidence.records_from_file(name):
            check = evidence.verify(record, key)
            who = record.get("student", "?")
            if check.ok:
                print(f"ok       {name}: {who} {record.get('exercise')} "
                      f"{record.get('score')}/{record.get('max_score')} at {record.get('time')}")
                records.append(record)
            else:
                bad += 1
                print(f"TAMPERED {name}: {who}: {'; '.join(check.problems)}")
    copies = evidence.find_copies(records)
    for copy in copies:
        print(f"COPY     {copy}")
    return 1 if bad or copies else 0


def add_commands(sub: Any) -> None:
    """Add ``labkit variants`` and ``labkit evidence`` to the command's subparsers."""
    p = sub.add_parser("variants", help="per-student values of an exercise (teachers)")
    p.add_argument("exercise")
    p.add_argument("--student", action="append", default=[], metavar="ID")
    p.add_argument("--roster", metavar="FILE", help="every student of this roster")
    p.add_argument("--group", metavar="NAME", help="with an Ansible inventory: this group")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_variants)

    p = sub.add_parser("evidence", help="verify students' 'Check my work' records (teachers)")
    esub = p.add_subparsers(dest="evidence_command", required=True, metavar="ACTION")
    v = esub.add_parser("verify", help="check signatures; flag edited records and copied VMs")
    v.add_argument("files", nargs="+", metavar="NOTEBOOK_OR_JSON")
    v.add_argument("--key-file", metavar="PATH",
                   help="the evidence key (default: $LABKIT_EVIDENCE_KEY or "
                        "$LABKIT_EVIDENCE_KEY_FILE)")
    v.set_defaults(func=cmd_evidence_verify)
