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
from typing import TYPE_CHECKING, Any

from labkit.cli.common import host_options as _host_options
from labkit.cli.common import params as _params
from labkit.cli.common import student_options as _student_options
from labkit.errors import ExerciseError, LabkitError, UsageError
from labkit.i18n import DEFAULT_LANG, LANGS

if TYPE_CHECKING:
    from labkit.checks.spec import ExerciseSpec
    from labkit.host import Host

#: The commands this module defines. Running one of them builds only their parsers: the
#: other command groups (class, classroom, teacher, sandbox) are imported only to run or
#: to list them (``labkit --help``).
OWN_COMMANDS = ("exercises", "grade", "solve", "fault")


def _one_line(message: object) -> str:
    """``labkit: REASON`` on stderr is one line, whatever the reason's text holds."""
    return " ".join(str(message).split())


def _context(args: argparse.Namespace) -> Any:
    """The grading context of one student's command: ``--host``/``--lab``, or the roster's
    hosts of ``--roster FILE --student ID``; parameters by the context's one rule."""
    from labkit.grading.context import GradingContext

    students = list(getattr(args, "student", None) or [])
    if len(students) > 1:
        raise UsageError("give one --student for this command")
    student = students[0] if students else None
    entry = None
    if getattr(args, "roster", None):
        if student is None:
            raise UsageError("with --roster, say whose values and hosts: --student ID")
        from labkit.grading.class_roster import load_roster

        roster = load_roster(args.roster, group=getattr(args, "group", None), lang=args.lang)
        if student not in roster:
            raise UsageError(f"no student {student!r} in the roster {roster.source}")
        entry = roster[student]
    if entry is None and not args.host and args.lab is None:
        raise UsageError("say where: --host URL (e.g. ssh://root@127.0.0.1:2222?key=PATH), "
                          "--lab, or --roster FILE --student ID")
    return GradingContext.build(args.exercise, student=student, entry=entry, lang=args.lang,
                                host=args.host, lab=args.lab, params=_params(args.param),
                                hint_level=getattr(args, "hint_level", None))


def cmd_exercises(args: argparse.Namespace) -> int:
    from labkit import exercises

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


def _connect_early(args: argparse.Namespace) -> dict[str, Host]:
    """Hosts of ``--host`` URLs, already connecting in the background (``Host.connect_soon``)
    while the grader is read and checked; by URL. Empty when the URLs are for the context to
    judge (``--lab``, a roster, ``--timeout``) or one of them is not a valid URL (the context
    then says why, in its own order)."""
    if not args.host or args.lab is not None or args.roster or args.timeout != 30.0:
        return {}
    from labkit.host import Host

    urls = []
    for item in args.host:
        role, sep, url = item.partition("=")
        urls.append(url if sep and "://" not in role else item)
    if not all(url.startswith("ssh://") for url in urls):  # only SSH has a handshake to wait on
        return {}
    hosts: dict[str, Host] = {}
    try:
        for url in dict.fromkeys(urls):
            hosts[url] = Host(url).connect_soon(collect=True)
    except LabkitError:
        for host in hosts.values():
            host.close()
        return {}
    return hosts


def _class_early(args: argparse.Namespace) -> dict[str, Host]:
    """For a class run: the hosts of the students graded first (as many as ``--workers``),
    already connecting while the graders are read, by URL (``labkit.host.open_early``).
    Empty when the run reads no hosts or its roster is for the run itself to judge."""
    if args.snapshot or args.from_snapshot or args.retry_errors or args.host \
            or args.lab is not None or args.workers < 1 or not args.timeout > 0:
        return {}
    from labkit.cli.common import select_students
    from labkit.grading.class_roster import load_roster
    from labkit.host import open_early

    try:
        students = select_students(load_roster(args.roster, group=args.group),
                                   args.student)[:args.workers]
    except LabkitError:  # the run itself says what is wrong, in its order
        return {}
    return open_early([url for s in students for url in s.hosts.values()], args.timeout)


def cmd_grade(args: argparse.Namespace) -> int:
    from labkit.cli.classes import cmd_grade_class, is_class_run, refuse_class_options

    if is_class_run(args):
        args.early_hosts = _class_early(args)
        try:
            return cmd_grade_class(args)
        finally:
            for host in args.early_hosts.values():  # the batch closed those it took
                host.close()
    # One --student with --host/--lab grades that student's own values (not a class option).
    student, args.student = list(args.student), [] if not args.roster else args.student
    refuse_class_options(args)
    args.student = student
    from labkit.cli.classes import with_timeout

    early = _connect_early(args)
    try:
        context = with_timeout(_context(args), args)  # --timeout without a roster too
        hosts = {role: early[url] for role, url in context.urls.items() if url in early}
        report = context.grade(hosts if len(hosts) == len(context.urls) else None)
    finally:
        for host in early.values():
            host.close()
    if args.json:
        print(report.to_json(teacher=True))
    elif sys.stdout.isatty():
        from rich.console import Console

        Console().print(report.rich_table())
    else:  # a pipe or a file: the same table as plain text, without loading rich
        print(report.text_table())
    if report.stand_in:
        from labkit.i18n import text

        note = text("grading.teacher_note", args.lang, reason=report.stand_in)
        print(f"labkit: {_one_line(note)}", file=sys.stderr)
    if report.error:
        print(f"labkit: {_one_line(report.error)}", file=sys.stderr)
        return 2
    return 0 if report.complete else 1


def _run_scripts(args: argparse.Namespace,
                 scripts_of: Callable[[ExerciseSpec], list[tuple[str, Path]]]) -> int:
    """Run an exercise's scripts, each on its role's host (``--role`` picks one role)."""
    from labkit import exercises
    from labkit.host import Host

    context = _context(args)
    spec, urls = context.spec, context.urls
    scripts = scripts_of(spec)
    if getattr(args, "role", None):
        scripts = [(role, path) for role, path in scripts if role == args.role]
        if not scripts:
            raise ExerciseError(f"no script for role {args.role!r}")
    for role, script in scripts:
        if role not in urls:
            raise UsageError(f"no host for role {role!r} (give --host {role}=URL)")
        with Host(urls[role]) as host:
            result = exercises.run_script(host, script, spec, context.params)
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
        if not result.ok:
            print(f"labkit: {script.name} failed on the {role} host with exit code "
                  f"{result.exit_code}", file=sys.stderr)
            return 1
    from labkit.cli.teach import said_scripts

    said_scripts(args, spec.exercise, {role: urls[role] for role, _ in scripts})
    return 0


def cmd_solve(args: argparse.Namespace) -> int:
    from labkit import exercises

    return _run_scripts(args, lambda spec: exercises.solution_scripts(spec.exercise))


def cmd_fault(args: argparse.Namespace) -> int:
    from labkit import exercises

    return _run_scripts(
        args, lambda spec: list(exercises.fault(spec.exercise, args.fault).scripts))


def _version() -> str:
    from labkit import __version__
    return __version__


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with ``command`` one of :data:`OWN_COMMANDS`, only the
    parsers that command needs (the others' modules are not imported)."""
    from labkit.cli.classes import add_roster_grading

    parser = argparse.ArgumentParser(
        prog="labkit",
        description="Grade virtualization lab exercises on real hosts, and run the sandbox lab.")
    parser.add_argument("--lang", choices=LANGS, default=DEFAULT_LANG,
                        help="language of messages (gl: Galician, en: English)")
    parser.add_argument("--version", action="version", version=f"labkit {_version()}")
    parser.add_argument("--exercises", type=Path, metavar="DIR",
                        help="a course folder with your own graders/ and exercises/, used "
                             "besides the shipped ones (default: $LABKIT_COURSE_DIR)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("exercises", help="list the exercises")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_exercises)

    p = sub.add_parser("grade", help="grade an exercise on a lab host")
    p.add_argument("exercise")
    _host_options(p)
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--hint-level", type=int, choices=(1, 2, 3), metavar="N",
                   help="highest hint level shown: 1 the idea, 2 the shape of the command, "
                        "3 the full command (default: the grader's, else 2)")
    add_roster_grading(p)
    p.set_defaults(func=cmd_grade)

    p = sub.add_parser("solve", help="run an exercise's solution on a lab host (teachers, CI)")
    p.add_argument("exercise")
    _host_options(p)
    p.add_argument("--role", help="which role's host runs the script (default: the first)")
    _student_options(p)
    p.set_defaults(func=cmd_solve)

    p = sub.add_parser("fault", help="apply one of an exercise's fault scripts (teachers, CI)")
    p.add_argument("exercise")
    p.add_argument("fault")
    _host_options(p)
    p.add_argument("--role", help="which role's host runs the script (default: the first)")
    _student_options(p)
    p.set_defaults(func=cmd_fault)

    if command not in OWN_COMMANDS:
        _add_other_commands(sub)
    from labkit.cli.teach import share_lang

    share_lang(parser)  # --lang after the subcommand too; $LABKIT_LANG as the default
    return parser


def _add_other_commands(sub: Any) -> None:
    """Every command group of the other modules."""
    from labkit.cli.classes import add_commands as add_class_commands
    from labkit.cli.classroom import add_commands as add_classroom_commands
    from labkit.cli.teach import add_commands as add_teacher_commands

    add_class_commands(sub)
    add_classroom_commands(sub)
    add_teacher_commands(sub)
    try:
        from labkit.cli.sandbox import add_commands
    except ImportError:
        pass
    else:
        add_commands(sub)


def _command(argv: Sequence[str]) -> str | None:
    """The command named in ``argv`` (after the global options), or None."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--lang")
    pre.add_argument("--exercises")
    try:
        _, rest = pre.parse_known_args(argv)
    except SystemExit:  # e.g. --lang without its value: the full parser says so
        return None
    return rest[0] if rest and not rest[0].startswith("-") else None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command in ``argv`` (default: the process's arguments) and return its exit
    code. Run as the process itself (no ``argv``), ``grade`` ends the process at once when
    it is done (:func:`_exit_now`)."""
    whole = argv is None
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command(argv))
    args = parser.parse_args(argv)
    if args.exercises is not None and not (args.exercises / "graders").is_dir():
        parser.error(f"--exercises {args.exercises}: no graders/ folder there")
    from labkit.settings import configure

    configure(course_dir=args.exercises)  # for this command only: None is the environment's
    from labkit.cli.teach import resolve_lang

    resolve_lang(args)
    if args.command in EXIT_NOW:
        # pydantic looks for plugins among every installed package's entry points when it
        # builds its first validator; labkit's models use none (a user's own setting wins).
        import os

        os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
        if whole:
            # paramiko imports invoke (about 60 ms, on the way to the first SSH handshake)
            # only to run ssh_config "Match exec" lines, and labkit never reads ssh_config:
            # in a process of its own, the grade tells paramiko that invoke is absent.
            sys.modules.setdefault("invoke", None)  # type: ignore[arg-type]
    try:
        code: int = args.func(args)
    except LabkitError as exc:
        print(f"labkit: {_one_line(exc)}", file=sys.stderr)
        code = 2
    except KeyboardInterrupt:
        print("labkit: interrupted", file=sys.stderr)
        return 130
    if whole and args.command in EXIT_NOW:
        _exit_now(code)
    return code


#: Commands that, run as the process itself, end it without tearing the interpreter down.
EXIT_NOW = ("grade",)


def _exit_now(code: int) -> None:
    """End the process with ``code`` once its output is flushed, skipping the interpreter's
    teardown: freeing every object of paramiko, pydantic and the rest one by one costs a
    grade tens of milliseconds, and a grade leaves nothing behind that needs it (its hosts
    are closed and its files written and closed before it returns)."""
    import contextlib
    import os

    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (``| head``)
            stream.flush()
    os._exit(code)

if __name__ == "__main__":
    sys.exit(main())
