"""``labkit check-exercise [DIR/]NAME --host URL|--lab [--lint-only]``: a teacher's own exercise,
tested the way the shipped ones are.

It lints the grader (``labkit.exercises.load`` names file, line and field), checks that every
fault's ``labkit-fails`` names checks that exist, then runs the solution and every fault on a
host and prints which checks each fault fails: a mutation test. After each fault the host is
put back with the fault's undo scripts (``faults/FAULT.undo[.ROLE].sh``), else with the
solution. Exit 1 on any problem.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from labkit.cli.common import close_hosts, open_hosts, script_options
from labkit.errors import ConfigError, ConnectError
from labkit.i18n import text

__all__ = ["add_commands", "cmd_check_exercise"]


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
    from labkit.grading.engine import grade

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
    hosts = open_hosts(urls)
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
            exercises.run_scripts(hosts, list(fault.undo) or solution, spec, params,
                                  timeout=args.script_timeout)
    finally:
        close_hosts(hosts)
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


def add_commands(sub: Any) -> None:
    """Add ``check-exercise`` to the command's subparsers."""
    p = sub.add_parser("check-exercise",
                       help="lint an exercise and run its solution and every fault on a host")
    p.add_argument("exercise", metavar="[DIR/]NAME",
                   help="an exercise name, or DIR/NAME of a folder holding graders/NAME.yaml "
                        "and exercises/NAME/")
    script_options(p)
    p.add_argument("--lint-only", action="store_true", help="only check the files")
    p.set_defaults(func=cmd_check_exercise)
