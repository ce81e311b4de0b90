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
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from labkit.cli.common import select_students as _select
from labkit.cli.common import stderr_and_progress
from labkit.errors import ConfigError, UsageError


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
                            "grades.csv, junit.xml, index.html); grades already there are "
                            "kept: the students graded now replace their own earlier results")
    group.add_argument("--format", default="json,csv,junit,html", metavar="LIST",
                       help="which reports to write with --out, comma-separated "
                            "(json,csv,junit,html; default: all)")
    group.add_argument("--moodle-id", choices=("idnumber", "username", "email"),
                       default="idnumber",
                       help="first column of grades.csv, for Moodle's 'Identify user by' "
                            "(default: idnumber = the roster's student id)")
    group.add_argument("--scale", type=float, metavar="MAX",
                       help="grades.csv scores out of MAX (e.g. 10) instead of points")
    group.add_argument("more_exercises", nargs="*", default=[], metavar="EXERCISE",
                       help="more exercises graded for the same class: each gets its own "
                            "folder under --out and one grades.csv joins them (one column "
                            "per exercise)")
    group.add_argument("--retry-errors", action="store_true",
                       help="grade again only the students whose host could not be graded "
                            "in the earlier run in --out (their new results are merged)")
    group.add_argument("--snapshot", metavar="FILE",
                       help="also store what was read from every host (with the time and the "
                            "host's identity) in FILE: a deadline snapshot")
    group.add_argument("--from-snapshot", metavar="FILE",
                       help="grade from a deadline snapshot instead of the hosts (the grade "
                            "as of the deadline); no host is contacted")


#: Options of ``labkit grade`` that mean something only for a class (with ``--roster``), with
#: their defaults: given without ``--roster`` they are refused, not silently ignored.
CLASS_ONLY: dict[str, Any] = {
    "group": None, "student": [], "workers": 32, "out": None,
    "format": "json,csv,junit,html", "moodle_id": "idnumber", "scale": None,
    "retry_errors": False, "snapshot": None, "from_snapshot": None, "more_exercises": []}


def _given(args: argparse.Namespace, names: Iterable[str]) -> list[str]:
    return [name for name in names if getattr(args, name, CLASS_ONLY[name]) != CLASS_ONLY[name]]


def is_class_run(args: argparse.Namespace) -> bool:
    """``labkit grade --roster``: a class run, unless it names one ``--student`` and asks for
    nothing a class run does (then it grades that student and prints the report)."""
    if not getattr(args, "roster", None):
        return False
    return len(args.student) != 1 or bool(_given(args, [n for n in CLASS_ONLY
                                                        if n not in ("student", "group")]))


def refuse_class_options(args: argparse.Namespace) -> None:
    """UsageError if an option that only applies with ``--roster`` was given without it."""
    from labkit.i18n import text

    if getattr(args, "roster", None):
        return
    given = _given(args, CLASS_ONLY)
    if "more_exercises" in given:
        raise UsageError(text("teacher.several_need_roster", args.lang))
    if given:
        options = ", ".join("--" + name.replace("_", "-") for name in given)
        raise UsageError(text("teacher.needs_roster", args.lang, options=options))


def with_timeout(context: Any, args: argparse.Namespace) -> Any:
    """``--timeout`` for one student's grade (no roster): each SSH host URL gets
    ``timeout=SECONDS`` unless it sets its own, so a hung host costs about that long."""
    import dataclasses
    from urllib.parse import parse_qsl, urlsplit

    seconds = getattr(args, "timeout", 30.0)
    if seconds == 30.0:  # the option's default: each URL's own (or the transport's) timeout
        return context
    if not seconds > 0:
        from labkit.i18n import text

        raise UsageError(text("teacher.timeout_positive", args.lang))
    urls = {}
    for role, url in context.urls.items():
        parts = urlsplit(url)
        if parts.scheme == "ssh" and "timeout" not in dict(parse_qsl(parts.query)):
            url += ("&" if parts.query else "?") + f"timeout={seconds:g}"
        urls[role] = url
    return dataclasses.replace(context, urls=urls)


def check_out_dir(out: str | Path, lang: str) -> Path:
    """``out`` as a folder that exists and can be written (created if missing), checked
    before any host is graded."""
    import os

    from labkit.i18n import text

    path = Path(out).expanduser()
    if path.exists() and not path.is_dir():
        raise UsageError(text("teacher.out_is_file", lang, out=out))
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(text("teacher.out_unwritable", lang, out=out,
                               reason=exc.strerror or str(exc))) from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise ConfigError(text("teacher.out_unwritable", lang, out=out,
                               reason="permission denied"))
    return path


def cmd_grade_class(args: argparse.Namespace) -> int:
    """``labkit grade EXERCISE… --roster FILE …``."""
    from labkit import exercises
    from labkit.cli.common import params as _params
    from labkit.grading import snapshot as snapshots
    from labkit.grading.batch import BatchResult, StudentResult, grade_many, grade_many_exercises
    from labkit.grading.class_roster import load_roster
    from labkit.grading.writers import (
        FORMATS,
        check_scale,
        error_ids,
        load_batch,
        read_summary,
        write_csv,
        write_reports,
    )
    from labkit.i18n import text

    lang = args.lang
    if getattr(args, "host", None) or getattr(args, "lab", None) is not None:
        raise UsageError(text("teacher.roster_or_host", lang))
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise UsageError(text("teacher.unknown_format", lang, name=unknown[0],
                              known=", ".join(FORMATS)))
    if args.workers < 1 or not args.timeout > 0:
        raise UsageError(text("teacher.workers_timeout", lang))
    check_scale(args.scale)
    if args.retry_errors and not args.out:
        raise UsageError(text("teacher.retry_needs_out", lang))
    if args.snapshot and args.from_snapshot:
        raise UsageError(text("teacher.snapshot_either", lang))
    names = list(dict.fromkeys([args.exercise, *getattr(args, "more_exercises", [])]))
    specs = [exercises.load(name) for name in names]
    outs: dict[str, Path] = {}
    if args.out:
        base = check_out_dir(args.out, lang)
        for spec in specs:
            outs[spec.exercise] = base if len(specs) == 1 else \
                check_out_dir(base / spec.exercise, lang)
            found = read_summary(outs[spec.exercise])
            if found is not None and found["exercise"] != spec.exercise:
                raise UsageError(text("teacher.out_other_exercise", lang,
                                      out=outs[spec.exercise], found=found["exercise"],
                                      exercise=spec.exercise))
    snap = snapshots.load(args.from_snapshot) if args.from_snapshot else None
    roster = load_roster(args.roster, group=args.group, lang=lang)  # or the class's labs
    students = _select(roster, args.student)
    todo: dict[str, list[Any]] = {}
    for spec in specs:
        todo[spec.exercise] = students
        if args.retry_errors:
            again = set(error_ids(outs[spec.exercise]))
            todo[spec.exercise] = [s for s in students if s.id in again]
    err, progress = stderr_and_progress()
    for warning in roster.warnings:
        err.print(f"labkit: warning: {warning}", style="yellow", highlight=False, markup=False)
    params = _params(args.param)
    explicit = bool(getattr(args, "lang_given", False))  # --lang typed: it wins over the roster
    batches: list[BatchResult] = []
    ahead: dict[str, BatchResult] = {}
    with progress:
        for index, spec in enumerate(specs):
            class_ = todo[spec.exercise]
            if args.retry_errors and not class_:
                err.print(text("teacher.nothing_to_retry", lang, out=outs[spec.exercise]),
                          highlight=False, markup=False)
                continue
            task = progress.add_task(spec.exercise, total=len(class_), errors=0)
            errors = 0

            def on_result(result: StudentResult, task: Any = task) -> None:
                nonlocal errors
                if result.report.error:
                    errors += 1
                    progress.console.print(f"{result.student.id}: {result.report.error}",
                                           style="magenta", highlight=False, markup=False)
                progress.update(task, advance=1, errors=errors)

            if snap is not None:
                batch = snapshots.grade(spec, class_, snap, lang=lang, params=params,
                                        explicit_lang=explicit)
                for r in batch.results:
                    on_result(r)
            elif args.snapshot and index == 0:
                snap, batch = snapshots.take(specs, class_, args.snapshot,
                                             workers=args.workers, timeout=args.timeout,
                                             lang=lang, params=params, on_result=on_result,
                                             explicit_lang=explicit)
            elif spec.exercise in ahead:  # read with the first exercise, in one round trip
                batch = ahead[spec.exercise]
                for r in batch.results:
                    on_result(r)
            elif len(specs) > 1 and not args.retry_errors:  # one connection per host for all
                def first_only(r: StudentResult, own: Any = on_result) -> None:
                    if r.report.exercise == specs[0].exercise:
                        own(r)

                batch, *rest = grade_many_exercises(
                    specs, class_, workers=args.workers, timeout=args.timeout, lang=lang,
                    params=params, explicit_lang=explicit, on_result=first_only,
                    early=getattr(args, "early_hosts", None))
                ahead = {b.exercise: b for b in rest}
            else:
                batch = grade_many(spec, class_, workers=args.workers, timeout=args.timeout,
                                   lang=lang, params=params, on_result=on_result,
                                   explicit_lang=explicit,
                                   early=None if index else getattr(args, "early_hosts", None))
            batches.append(batch)
            if batch.interrupted:
                break
    written: dict[str, dict[str, Path]] = {}
    kept: dict[str, int] = {}
    for batch in batches:
        if args.out:
            out = outs[batch.exercise]
            written[batch.exercise] = write_reports(batch, out, formats,
                                                    id_column=args.moodle_id, scale=args.scale)
            kept[batch.exercise] = len(load_batch(out, batch.spec).results) - len(batch.results)
    if args.out and len(specs) > 1 and "csv" in formats:
        joined = [load_batch(outs[s.exercise], s) for s in specs
                  if (outs[s.exercise] / "summary.json").exists()]
        written["gradebook"] = {"csv": write_csv(joined, Path(args.out) / "grades.csv",
                                                 id_column=args.moodle_id, scale=args.scale)}
    if getattr(args, "json", False):
        _print_json(batches, written)
    else:
        for batch in batches:
            _print_summary(batch, written.get(batch.exercise, {}), err=err, lang=lang,
                           roster=args.roster, out=args.out, kept=kept.get(batch.exercise, 0))
        for path in written.get("gradebook", {}).values():
            print(text("teacher.written", lang, kind="grades.csv", path=path))
    if any(b.interrupted for b in batches):
        return 130
    return 1 if any(b.errors for b in batches) else 0


def _print_json(batches: list[Any], written: dict[str, dict[str, Path]]) -> None:
    out = []
    for batch in batches:
        rows = [{"student": r.student.id,
                 "score": None if r.report.error else r.report.score,
                 "max_score": r.report.max_score, "error": r.report.error}
                for r in batch.results]
        out.append({"exercise": batch.exercise, "interrupted": batch.interrupted,
                    "seconds": round(batch.seconds, 3), "students": rows,
                    "not_graded": [s.id for s in batch.pending],
                    "files": {k: str(v) for k, v in written.get(batch.exercise, {}).items()}})
    shown: Any = out[0] if len(out) == 1 else {"exercises": out, "files": {
        k: str(v) for k, v in written.get("gradebook", {}).items()}}
    print(json.dumps(shown, ensure_ascii=False, indent=1))


def _print_summary(batch: Any, written: dict[str, Path], *, err: Any, lang: str,
                   roster: str, out: str | None, kept: int) -> None:
    """The end of a class run: the figures, who could not be graded and why, the files."""
    import shlex

    from labkit.grading.writers import number as _num
    from labkit.i18n import text

    graded = [r for r in batch.results if r.ok]
    average = sum(r.report.score for r in graded) / len(graded) if graded else 0.0
    full = sum(1 for r in graded if r.report.complete)
    print(text("teacher.run_summary", lang, exercise=batch.exercise, graded=len(graded),
               total=len(batch.results) + len(batch.pending), seconds=batch.seconds,
               average=_num(round(average, 2)), max_score=_num(batch.spec.max_score),
               full=full, errors=len(batch.errors)))
    if batch.errors:
        print(text("teacher.run_not_graded", lang, n=len(batch.errors)))
        for r in batch.errors:
            print(f"  {r.student.id}: {' '.join(str(r.report.error).split())}")
    if batch.pending:
        err.print(text("teacher.run_pending", lang, n=len(batch.pending),
                       ids=", ".join(s.id for s in batch.pending)),
                  highlight=False, markup=False)
    if (batch.errors or batch.pending) and out:
        print(text("teacher.run_retry", lang, exercise=batch.exercise,
                   roster=shlex.quote(roster), out=shlex.quote(out)))
    if kept > 0 and out:
        print(text("teacher.run_kept", lang, out=out, n=kept))
    for kind, path in written.items():
        print(text("teacher.written", lang, kind=kind, path=path))


# -- labkit variants / labkit evidence ---------------------------------------------------------
def cmd_variants(args: argparse.Namespace) -> int:
    from labkit import variants
    from labkit.grading.class_roster import student_ids

    spec_name = args.exercise
    if args.roster:
        ids = student_ids(args.roster, group=args.group)
    elif args.student:
        ids = list(args.student)
    else:
        from labkit.i18n import text

        raise UsageError(text("teacher.whose_values", args.lang))
    salt = variants.course_salt()  # the teacher's own secret, also inside a hub server
    rows = {sid: variants.for_student(spec_name, sid, lang=args.lang, salt=salt,
                                      show_all=True).values for sid in ids}
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
        print(variants.class_summary(spec_name, ids, lang=args.lang), file=sys.stderr)
    return 0


def cmd_evidence_verify(args: argparse.Namespace) -> int:
    import labkit.evidence as evidence

    key = evidence.load_key(args.key_file)
    records: list[dict[str, Any]] = []
    bad = 0
    # every notebook (folders: every .ipynb in them) must hold its owner's record
    for submission in evidence.verify_submissions(args.files, key):
        name = submission.path
        if not submission.records:
            bad += 1
            print(f"MISSING  {name}: no evidence record (\"Check my work\" was never run "
                  "and saved)")
        for record in submission.records:
            check = evidence.verify(record, key)
            who = record.get("student", "?")
            if check.ok:
                print(f"ok       {name}: {who} {record.get('exercise')} "
                      f"{record.get('score')}/{record.get('max_score')} at {record.get('time')}")
                records.append(record)
            else:
                bad += 1
                print(f"TAMPERED {name}: {who}: {'; '.join(check.problems)}")
            owner = submission.owner
            same = owner is None or evidence.normalize_id(str(who)) == evidence.normalize_id(owner)
            if not same:
                bad += 1
                print(f"NOT OWN  {name}: the record is {who}'s, the submission is {owner}'s")
    copies = evidence.find_copies(records)
    for copy in copies:
        print(f"COPY     {copy}")
    late: list[str] = []
    if getattr(args, "snapshot", None):
        from labkit.grading import snapshot

        late = snapshot.late_records(records, snapshot.load(args.snapshot))
        for line in late:
            print(f"LATE     {line}")
    return 1 if bad or copies or late else 0


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
    v.add_argument("--snapshot", metavar="FILE",
                   help="a deadline snapshot (labkit snapshot): flag records made after it, "
                        "or on another host than the one read at the deadline")
    v.set_defaults(func=cmd_evidence_verify)

