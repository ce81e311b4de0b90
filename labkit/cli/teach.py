"""The teacher's commands, and what every command shares: ``--lang`` anywhere, and saying
which hosts a command changed.

``labkit break EXERCISE --host URL|--lab [--seed N] [--roster F --student ID]``
    a repair drill (``labkit.drills``): the exercise's solution, then one or two of its
    faults chosen by the seed (by default the student's own seed), without saying which; the
    exercise's grader grades the repair.

The teacher's other commands have their own modules, registered with ``break`` by
:func:`add_commands`: ``check-exercise`` (:mod:`labkit.cli.check_exercise`); ``snapshot``,
``gradebook`` and ``course init`` (:mod:`labkit.cli.gradebook`).

``--lang`` is accepted before and after the subcommand (``labkit grade X --lang en``), and
``$LABKIT_LANG`` is the default (see ``share_lang``).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

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


# -- the parser ----------------------------------------------------------------------------------
def add_commands(sub: Any) -> None:
    """Add the teacher's commands to the subparsers: ``break`` from here, then those of
    :mod:`labkit.cli.check_exercise` and :mod:`labkit.cli.gradebook`."""
    from labkit.cli import check_exercise, gradebook
    from labkit.cli.common import script_options

    p = sub.add_parser("break", help="repair drill: take a host to a broken state to diagnose")
    p.add_argument("exercise")
    script_options(p)
    p.add_argument("--seed", type=int, metavar="N",
                   help="which faults (default: the student's own seed, from --student or "
                        "$LABKIT_STUDENT; else a random one)")
    p.add_argument("--roster", metavar="FILE", help="with --student: that student's hosts")
    p.add_argument("--group", metavar="NAME", help="with an Ansible inventory: this group")
    p.add_argument("--student", metavar="ID", help="whose drill (seed, values and hosts)")
    p.add_argument("--reveal", action="store_true",
                   help="print the names of the faults applied (for the teacher)")
    p.set_defaults(func=cmd_break)

    check_exercise.add_commands(sub)
    gradebook.add_commands(sub)
