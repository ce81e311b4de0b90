"""``labkit class up|status|reset|down``: a class's lab VMs on libvirt hypervisors.

::

    labkit class up --roster class.csv --hypervisor qemu+ssh://labkit@hv1/session \\
                    --hypervisor qemu+ssh://labkit@hv2/session [--topology storage]
    labkit class status --roster class.csv [--json]
    labkit class reset --roster class.csv --student alice client
    labkit class down --roster class.csv [--purge]

The allocation (student -> hosts by role) is read by grading and the hub
(:func:`labkit.sandbox.libvirt_class.allocated_hosts`). Errors print one line and return 2.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from labkit.errors import LabkitError, UsageError
from labkit.i18n import text
from labkit.sandbox.topology import DEFAULT_TOPOLOGY, TOPOLOGIES


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _hypervisors(args: argparse.Namespace) -> list[str]:
    from labkit.sandbox.libvirt_class import read_hypervisors_file

    uris = list(args.hypervisor or [])
    if getattr(args, "hypervisors", None):
        uris += read_hypervisors_file(args.hypervisors)
    return uris


def cmd_up(args: argparse.Namespace) -> int:
    from labkit.sandbox.libvirt_class import Classroom

    uris = _hypervisors(args)
    if not uris:
        raise UsageError(text("classroom.no_hypervisor", args.lang))
    room = Classroom(args.roster)
    started = time.monotonic()
    data = room.up(uris, args.topology, progress=_say, accel=args.accel)
    print(text("classroom.up_done", args.lang, cls=room.id, count=len(data["students"]),
               hypervisors=len(uris), seconds=time.monotonic() - started,
               roster=room.dir / "roster.csv"))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from labkit.sandbox.libvirt_class import Classroom

    status = Classroom(args.roster).status()
    if args.json:
        print(json.dumps(status, indent=2))
        return 0
    lang = args.lang
    head = [text(f"classroom.col_{c}", lang)
            for c in ("student", "hypervisor", "host", "state", "port")]
    rows = [[s["student"], s["hypervisor"], f"{h['host']} ({h['role']})", h["state"],
             str(h["ssh_port"])] for s in status["students"] for h in s["hosts"]]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for row in [head, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return 0


def cmd_reset(args: argparse.Namespace) -> int:
    """The same as ``labkit lab reset --roster … --student …`` (one implementation:
    :meth:`labkit.sandbox.libvirt_class.Classroom.reset`)."""
    from labkit.sandbox.libvirt_class import Classroom

    seconds = Classroom(args.roster).reset(args.student, args.host, progress=_say)
    print(text("classroom.reset_done", args.lang, student=args.student, host=args.host,
               seconds=seconds))
    return 0


def cmd_down(args: argparse.Namespace) -> int:
    from labkit.sandbox.libvirt_class import Classroom

    room = Classroom(args.roster)
    room.down(purge=args.purge, hypervisors=_hypervisors(args), progress=_say)
    print(text("classroom.down_done", args.lang, cls=room.id))
    return 0


def _run(func: object) -> object:
    def wrapped(args: argparse.Namespace) -> int:
        try:
            return func(args)  # type: ignore[operator, no-any-return]
        except LabkitError as exc:
            print(f"labkit: {exc}", file=sys.stderr)
            return 2
    return wrapped


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """``labkit class …`` on labkit's sub-parsers."""
    group = sub.add_parser("class", help="a class's lab VMs on libvirt hypervisors (teachers)")
    csub = group.add_subparsers(dest="class_command", required=True, metavar="COMMAND")

    def common(p: argparse.ArgumentParser, hypervisors: bool = False) -> None:
        p.add_argument("--roster", required=True, metavar="FILE",
                       help="the class's CSV roster (student_id[,name…]); host columns "
                            "are not needed")
        if hypervisors:
            p.add_argument("--hypervisor", action="append", metavar="URI",
                           help="a libvirt URI, e.g. qemu+ssh://labkit@hv1/system "
                                "(repeatable)")
            p.add_argument("--hypervisors", metavar="FILE",
                           help="a file of libvirt URIs, one a line")
        p.add_argument("--lang", default=None, help=argparse.SUPPRESS)

    p = csub.add_parser("up", help="every student's lab, whole on one hypervisor")
    common(p, hypervisors=True)
    p.add_argument("--topology", default=DEFAULT_TOPOLOGY, choices=sorted(TOPOLOGIES))
    p.add_argument("--accel", default="tcg", choices=("tcg", "kvm"),
                   help="the hypervisors' accelerator (default: tcg)")
    p.set_defaults(func=_run(cmd_up))
    p = csub.add_parser("status", help="where each student's hosts run, and their state")
    common(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=_run(cmd_status))
    p = csub.add_parser("reset", help="one student's host back to its clean state")
    common(p)
    p.add_argument("--student", required=True)
    p.add_argument("host", help="host name or role (e.g. client)")
    p.set_defaults(func=_run(cmd_reset))
    p = csub.add_parser("down", help="remove every lab of the class; nothing is left behind")
    common(p, hypervisors=True)
    p.add_argument("--purge", action="store_true",
                   help="also remove the image and warm state from the hypervisors")
    p.set_defaults(func=_run(cmd_down))
