"""The ``labkit`` command: thin — it parses arguments, calls the library and prints.

Exit codes: 0 success (``grade``: full marks), 1 graded below full marks, 2 could not do it
(unreachable host, bad spec, bad arguments) with a one-line reason on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from labkit import exercises
from labkit.checks.spec import ExerciseSpec
from labkit.cli.classes import add_commands as add_class_commands
from labkit.cli.classes import add_roster_grading, cmd_grade_class
from labkit.errors import LabkitError
from labkit.i18n import DEFAULT_LANG, LANGS


def _one_line(message: object) -> str:
    """``labkit: REASON`` on stderr is one line, whatever the reason's text holds."""
    return " ".join(str(message).split())


def _params(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise LabkitError(f"--param wants NAME=VALUE, got {item!r}")
        out[name] = value
    return out


def resolve_hosts(args: argparse.Namespace, roles: list[str]) -> dict[str, str]:
    """role -> URL from ``--host [ROLE=]URL`` (repeatable) or ``--lab [NAME]``."""
    if args.host and args.lab is not None:
        raise LabkitError("give either --host or --lab, not both")
    if args.lab is not None:
        from labkit.sandbox import lab_hosts

        hosts = lab_hosts(args.lab or None)
        if roles == ["host"] or len(hosts) == 1:
            return {role: next(iter(hosts.values())) for role in roles} \
                if "host" not in hosts else {r: hosts["host"] for r in roles}
        missing = [r for r in roles if r not in hosts]
        if missing:
            raise LabkitError(f"the lab has no host for role(s) {', '.join(missing)} "
                              f"(it has: {', '.join(hosts)})")
        return {r: hosts[r] for r in roles}
    if not args.host:
        raise LabkitError("say where to grade: --host URL (e.g. ssh://root@127.0.0.1:2222?key=PATH)"
                          " or --lab")
    urls: dict[str, str] = {}
    for item in args.host:
        role, sep, url = item.partition("=")
        if sep and "://" not in role:
            urls[role] = url
        elif len(roles) == 1:
            urls[roles[0]] = item
        else:
            raise LabkitError(f"this exercise has roles {', '.join(roles)}: write --host ROLE=URL")
    unknown = set(urls) - set(roles)
    if unknown:
        raise LabkitError(f"unknown role {sorted(unknown)[0]!r} (roles: {', '.join(roles)})")
    return urls


def cmd_exercises(args: argparse.Namespace) -> int:
    rows = []
    for name in exercises.names():
        spec = exercises.load(name)
        rows.append({"exercise": name, "topic": spec.topic, "title": spec.title[args.lang],
                     "roles": spec.roles, "max_score": spec.max_score,
                     "checks": len(spec.checks)})
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            print(f"{row['exercise']:<24} {row['max_score']:>5g} pts  {row['title']}")
    return 0


def cmd_grade(args: argparse.Namespace) -> int:
    from labkit.grading import grade_url

    if args.roster:
        return cmd_grade_class(args)
    spec = exercises.load(args.exercise)
    report = grade_url(spec, resolve_hosts(args, spec.roles), lang=args.lang,
                       params=_params(args.param))
    if args.json:
        print(report.to_json())
    else:
        from rich.console import Console

        Console().print(report.rich_table())
    if report.error:
        print(f"labkit: {_one_line(report.error)}", file=sys.stderr)
        return 2
    return 0 if report.complete else 1


def _run_scripts(args: argparse.Namespace,
                 scripts_of: Callable[[ExerciseSpec], list[tuple[str, Path]]]) -> int:
    """Run an exercise's scripts, each on its role's host (``--role`` picks one role)."""
    from labkit.host import Host

    spec = exercises.load(args.exercise)
    urls = resolve_hosts(args, spec.roles)
    scripts = scripts_of(spec)
    if getattr(args, "role", None):
        scripts = [(role, path) for role, path in scripts if role == args.role]
        if not scripts:
            raise LabkitError(f"no script for role {args.role!r}")
    for role, script in scripts:
        if role not in urls:
            raise LabkitError(f"no host for role {role!r} (give --host {role}=URL)")
        with Host(urls[role]) as host:
            result = exercises.run_script(host, script, spec, _params(args.param))
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
        if not result.ok:
            print(f"labkit: {script.name} failed on the {role} host with exit code "
                  f"{result.exit_code}", file=sys.stderr)
            return 1
    return 0


def cmd_solve(args: argparse.Namespace) -> int:
    return _run_scripts(args, lambda spec: exercises.solution_scripts(spec.exercise))


def cmd_fault(args: argparse.Namespace) -> int:
    return _run_scripts(
        args, lambda spec: list(exercises.fault(spec.exercise, args.fault).scripts))


def _host_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", action="append", default=[], metavar="[ROLE=]URL",
                        help="lab host URL, e.g. ssh://root@127.0.0.1:2222?key=~/.ssh/id_ed25519;"
                             " repeat as ROLE=URL for exercises with several roles")
    parser.add_argument("--lab", nargs="?", const="", default=None, metavar="NAME",
                        help="use the hosts of a running sandbox lab (default: the running one)")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                        help="override an exercise parameter (e.g. workdir=/tmp/lab)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="labkit",
        description="Grade virtualization lab exercises on real hosts, and run the sandbox lab.")
    parser.add_argument("--lang", choices=LANGS, default=DEFAULT_LANG,
                        help="language of messages (gl: Galician, en: English)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("exercises", help="list the exercises")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_exercises)

    p = sub.add_parser("grade", help="grade an exercise on a lab host")
    p.add_argument("exercise")
    _host_options(p)
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    add_roster_grading(p)
    p.set_defaults(func=cmd_grade)

    p = sub.add_parser("solve", help="run an exercise's solution on a lab host (teachers, CI)")
    p.add_argument("exercise")
    _host_options(p)
    p.add_argument("--role", help="which role's host runs the script (default: the first)")
    p.set_defaults(func=cmd_solve)

    p = sub.add_parser("fault", help="apply one of an exercise's fault scripts (teachers, CI)")
    p.add_argument("exercise")
    p.add_argument("fault")
    _host_options(p)
    p.add_argument("--role", help="which role's host runs the script (default: the first)")
    p.set_defaults(func=cmd_fault)

    add_class_commands(sub)
    try:
        from labkit.cli.sandbox import add_commands
    except ImportError:
        pass
    else:
        add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except LabkitError as exc:
        print(f"labkit: {_one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("labkit: interrupted", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
