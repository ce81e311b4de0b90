"""What several command groups share: option sets and the small rules behind them.

The command modules (``main``, ``classes``, ``teach``, ``check_exercise``, ``gradebook``,
``sandbox``, ``classroom``) import from here and never from each other, except to register
the groups: ``main`` registers every group, ``teach`` the teacher's (no import cycles: the
import contracts in pyproject.toml check it).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from labkit.errors import UsageError

__all__ = ["close_hosts", "host_options", "open_hosts", "params", "resolve_hosts",
           "script_options", "select_students", "stderr_and_progress", "student_options"]


def params(items: list[str]) -> dict[str, str]:
    """``--param NAME=VALUE`` items as a mapping; UsageError for an item without ``=``."""
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"--param wants NAME=VALUE, got {item!r}")
        out[name] = value
    return out


def resolve_hosts(args: argparse.Namespace, roles: list[str]) -> dict[str, str]:
    """role -> URL from ``--host [ROLE=]URL`` (repeatable) or ``--lab [NAME]`` (the rules are
    the grading context's: ``labkit.grading.context``)."""
    from labkit.grading.context import lab_urls, parse_host_options

    if args.host and args.lab is not None:
        raise UsageError("give either --host or --lab, not both")
    if args.lab is not None:
        return lab_urls(roles, args.lab or None)
    if not args.host:
        raise UsageError("say where to grade: --host URL (e.g. ssh://root@127.0.0.1:2222?key=PATH)"
                         " or --lab")
    return parse_host_options(args.host, roles)


def host_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", action="append", default=[], metavar="[ROLE=]URL",
                        help="lab host URL, e.g. ssh://root@127.0.0.1:2222?key=~/.ssh/id_ed25519;"
                             " repeat as ROLE=URL for exercises with several roles")
    parser.add_argument("--lab", nargs="?", const="", default=None, metavar="NAME",
                        help="use the hosts of a running sandbox lab (default: the running one)")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                        help="override an exercise parameter (e.g. workdir=/tmp/lab)")


def script_options(parser: argparse.ArgumentParser) -> None:
    """Where scripts run (``host_options``) and how long each may take (``break``,
    ``check-exercise``)."""
    host_options(parser)
    parser.add_argument("--script-timeout", type=float, default=600.0, metavar="SECONDS",
                        help="time allowed to each solution or fault script (default: 600)")


def student_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--roster", metavar="FILE",
                        help="with --student: that student's hosts and values from this roster")
    parser.add_argument("--group", metavar="NAME",
                        help="with an Ansible inventory: only the hosts of this group")
    parser.add_argument("--student", action="append", default=[], metavar="ID",
                        help="use this student's per-student values (and, with --roster, hosts)")


def select_students(roster: Any, wanted: list[str]) -> list[Any]:
    """The roster's students named in ``wanted`` (all when empty)."""
    if not wanted:
        return list(roster)
    missing = [w for w in wanted if w not in roster]
    if missing:
        raise UsageError(f"no student {missing[0]!r} in the roster {roster.source}")
    return [roster[w] for w in wanted]


def open_hosts(urls: dict[str, str]) -> dict[str, Any]:
    """role -> an open ``labkit.host.Host`` for every URL (close them with ``close_hosts``)."""
    from labkit.host import Host

    return {role: Host(url) for role, url in urls.items()}


def close_hosts(hosts: dict[str, Any]) -> None:
    for host in hosts.values():
        host.close()


def stderr_and_progress() -> tuple[Any, Any]:
    """A command's stderr console and progress display (a class run's): rich's on a
    terminal; on a pipe or a file plain lines and no bars (rich is not even imported: a
    script's run starts sooner)."""
    if not sys.stderr.isatty():
        plain = _PlainStderr()
        return plain, _NoBars(plain)
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    err = Console(stderr=True)
    return err, Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                         MofNCompleteColumn(), TextColumn("{task.fields[errors]} errors"),
                         TimeElapsedColumn(), console=err, transient=False)


class _PlainStderr:
    """What the class run prints through rich's console, as plain lines on stderr."""

    def print(self, message: object = "", **_style: Any) -> None:
        print(message, file=sys.stderr)


class _NoBars:
    """rich's Progress where no bar can be drawn: its console's lines only."""

    def __init__(self, console: _PlainStderr) -> None:
        self.console = console

    def __enter__(self) -> _NoBars:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def add_task(self, description: str, **fields: Any) -> int:
        return 0

    def update(self, task: int, **fields: Any) -> None:
        return None
