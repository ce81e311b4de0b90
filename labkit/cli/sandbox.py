"""``labkit image ...`` and ``labkit lab ...``: the sandbox's command line.

labkit's main CLI calls :func:`add_commands` with its sub-parsers; every command sets
``func(args) -> int``. Errors print one line on stderr and return 2 (never a traceback).
``python -m labkit.cli.sandbox ...`` runs these commands alone.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labkit.errors import LabkitError, UsageError
from labkit.sandbox.topology import DEFAULT_TOPOLOGY, TOPOLOGIES

if TYPE_CHECKING:
    from labkit.sandbox import image as image_mod
    from labkit.sandbox.lab import Lab, list_labs

Handler = Callable[[argparse.Namespace], int]


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _import_sandbox() -> None:
    """The sandbox's modules, imported when a command runs, not to build the parser."""
    import importlib

    lab = importlib.import_module("labkit.sandbox.lab")
    globals().update(image_mod=importlib.import_module("labkit.sandbox.image"), Lab=lab.Lab,
                     list_labs=lab.list_labs)


def _guarded(handler: Handler) -> Handler:
    def run(args: argparse.Namespace) -> int:
        try:
            _import_sandbox()
            return handler(args)
        except LabkitError as exc:
            print(f"labkit: error: {exc}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            print("labkit: interrupted", file=sys.stderr)
            return 130
        except (OSError, subprocess.SubprocessError) as exc:
            print(f"labkit: error: {exc}", file=sys.stderr)
            return 2
    run.__doc__ = handler.__doc__
    return run


# -- image ---------------------------------------------------------------------------------
def _image_build(args: argparse.Namespace) -> int:
    started = time.monotonic()
    image = image_mod.build_image(force=args.force, quiet=args.quiet, progress=_say)
    if args.warm:
        from labkit.sandbox.accel import detect_accel
        from labkit.sandbox.warm import ensure_warm
        accel, why = detect_accel(image.kernel)
        _say(f"accelerator: {accel.upper()} ({why})")
        ensure_warm(image, accel, progress=_say)
    _say(f"done in {time.monotonic() - started:.0f} s")
    print(image.path)
    return 0


def _image_import(args: argparse.Namespace) -> int:
    image = image_mod.import_image(Path(args.file), progress=_say)
    print(image.path)
    return 0


def _image_export(args: argparse.Namespace) -> int:
    dest = image_mod.export_image(Path(args.file))
    _say(f"wrote {dest}")
    return 0


def _image_info(args: argparse.Namespace) -> int:
    info: dict[str, Any] = {"recipe": image_mod.recipe_hash(),
                            "cache": str(image_mod.images_dir())}
    try:
        current = image_mod.current_image()
        info["current"] = current.id
        info["path"] = str(current.path)
        info["manifest"] = current.manifest()
    except LabkitError as exc:
        info["current"] = None
        info["problem"] = str(exc)
    info["up_to_date"] = info["current"] == info["recipe"]
    if args.json:
        print(json.dumps(info, indent=2))
    else:
        print(f"recipe:   {info['recipe']}")
        print(f"current:  {info['current'] or '-'}"
              + ("" if info["up_to_date"] else "  (differs from the recipe)"))
        if "path" in info:
            print(f"path:     {info['path']}")
            manifest = info["manifest"]
            print(f"kernel:   {manifest.get('kernel', '?')}   source: "
                  f"{manifest.get('source', '?')}   built: {manifest.get('built_at', '?')}")
    return 0


def _image_prune(args: argparse.Namespace) -> int:
    from labkit.sandbox.lab import images_in_use
    from labkit.sandbox.warm import prune_cache
    keep = images_in_use()
    with contextlib.suppress(LabkitError):
        keep.add(image_mod.current_image().id)
    removed = prune_cache(keep, dry_run=args.dry_run)
    verb = "would remove" if args.dry_run else "removed"
    for path in removed:
        print(f"{verb} {path}")
    _say(f"{verb} {len(removed)} cached item(s); kept {', '.join(sorted(keep)) or 'nothing'}")
    return 0


# -- lab -----------------------------------------------------------------------------------
def _lab_up(args: argparse.Namespace) -> int:
    started = time.monotonic()
    lab = Lab(args.name).up(args.topology, progress=_say)
    _say(f"lab {lab.name} is up in {time.monotonic() - started:.1f} s")
    _print_status(lab.status())
    return 0


def _print_status(status: dict[str, Any]) -> None:
    print(f"lab {status['name']}: topology {status['topology']}, "
          f"accelerator {status['accel'].upper()}, image {status['image']}")
    print(f"  {'HOST':<8} {'ROLE':<8} {'STATE':<9} {'SSH':<17} {'LAB IP':<16} PID")
    for host in status["hosts"]:
        print(f"  {host['name']:<8} {host['role']:<8} {host['state']:<9} "
              f"127.0.0.1:{host['ssh_port']:<7} {host['lab_ip']:<16} {host['pid'] or '-'}")


def _lab_status(args: argparse.Namespace) -> int:
    names: list[str] = [args.name] if args.name else list_labs()
    if not names:
        if args.json:
            print("[]")
        else:
            print("no lab is up (start one with `labkit lab up`)")
        return 0
    statuses = [Lab(name).status() for name in names]
    if args.json:
        print(json.dumps(statuses[0] if args.name else statuses, indent=2))
    else:
        for status in statuses:
            _print_status(status)
    return 0


def _lab_ssh(args: argparse.Namespace) -> int:
    command = list(args.command)
    name = args.name
    if "--" in command and command[0].startswith("--name"):
        # options given after HOST (`lab ssh server --name x -- cmd`) land in the remainder
        cut = command.index("--")
        options, command = command[:cut], command[cut + 1:]
        extra = argparse.ArgumentParser(prog="labkit lab ssh HOST", add_help=False)
        extra.add_argument("--name", default=None)
        name = extra.parse_args(options).name or name
    lab = Lab(name)
    argv = lab.ssh_argv(args.host, command, tty=not command and sys.stdin.isatty())
    return subprocess.run(argv, check=False).returncode


def _lab_reset(args: argparse.Namespace) -> int:
    """One host back to clean: of a local lab (``--name``), or of one student's lab in a
    class on libvirt (``--roster`` and ``--student``), the others untouched."""
    if args.host and args.role and args.host != args.role:
        raise UsageError("give the host once: as an argument or with --role")
    host = args.host or args.role
    if args.roster or args.student:
        if not (args.roster and args.student):
            raise UsageError("a class's host needs both --roster FILE and --student ID")
        if args.name:
            raise UsageError("--name is a local lab's; a class's lab is named by --roster "
                             "and --student")
        from labkit.sandbox.libvirt_class import Classroom

        seconds = Classroom(args.roster).reset(args.student, host, progress=_say)
        _say(f"{args.student}: {host or 'their host'} is back to clean in {seconds:.1f} s")
        return 0
    if not host:
        raise UsageError("which host? e.g. `labkit lab reset server`")
    started = time.monotonic()
    Lab(args.name).reset(host, progress=_say)
    _say(f"{host} is back to clean in {time.monotonic() - started:.1f} s")
    return 0


def _lab_down(args: argparse.Namespace) -> int:
    lab = Lab(args.name)
    existed = lab.dir.exists()
    lab.down()
    _say(f"lab {lab.name} is down" if existed else f"lab {lab.name} was not up")
    return 0


def _name_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--name", default=None,
                        help="lab name (default: $LABKIT_LAB or 'default'); "
                             "several labs can run side by side")


def add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``image`` and ``lab`` commands to labkit's sub-parsers."""
    image = subparsers.add_parser("image", help="build, import or inspect the lab VM image")
    image_sub = image.add_subparsers(dest="image_command", required=True, metavar="COMMAND")

    build = image_sub.add_parser("build", help="build the Debian 12 lab image (cached)")
    build.add_argument("--force", action="store_true", help="rebuild even if cached")
    build.add_argument("--quiet", action="store_true", help="hide mmdebstrap's output")
    build.add_argument("--no-warm", dest="warm", action="store_false",
                       help="skip the warm snapshot (otherwise made now, not at `lab up`)")
    build.set_defaults(func=_guarded(_image_build))

    imp = image_sub.add_parser("import", help="use a prebuilt image bundle (from `export`)")
    imp.add_argument("file", help="the bundle (.tar) a teacher handed out")
    imp.set_defaults(func=_guarded(_image_import))

    exp = image_sub.add_parser("export", help="write the current image as a bundle")
    exp.add_argument("file", help="where to write the .tar bundle")
    exp.set_defaults(func=_guarded(_image_export))

    info = image_sub.add_parser("info", help="show the current image and recipe")
    info.add_argument("--json", action="store_true", help="machine-readable output")
    info.set_defaults(func=_guarded(_image_info))

    prune = image_sub.add_parser(
        "prune", help="delete cached images and snapshots that neither the current image "
                      "nor a lab in $LABKIT_HOME uses")
    prune.add_argument("--dry-run", action="store_true", help="only list what would go")
    prune.set_defaults(func=_guarded(_image_prune))

    lab = subparsers.add_parser("lab", help="start, inspect, reset and stop lab VMs")
    lab_sub = lab.add_subparsers(dest="lab_command", required=True, metavar="COMMAND")

    up = lab_sub.add_parser("up", help="start a lab; returns when SSH answers on every host")
    up.add_argument("topology", nargs="?", default=None, choices=sorted(TOPOLOGIES),
                    help=f"which hosts (default: the lab's own, else {DEFAULT_TOPOLOGY})")
    _name_option(up)
    up.set_defaults(func=_guarded(_lab_up))

    status = lab_sub.add_parser("status", help="hosts, roles, ports, state, accelerator")
    status.add_argument("--json", action="store_true", help="machine-readable output")
    _name_option(status)
    status.set_defaults(func=_guarded(_lab_status))

    ssh = lab_sub.add_parser("ssh", help="shell on a host, or run one command (its exit code)")
    ssh.add_argument("host", help="host name or role")
    ssh.add_argument("command", nargs=argparse.REMAINDER,
                     help="command to run, after -- (e.g. `labkit lab ssh server -- lvs -a`); "
                          "none for an interactive shell")
    _name_option(ssh)
    ssh.set_defaults(func=_guarded(_lab_ssh))

    reset = lab_sub.add_parser(
        "reset", help="bring a host back to clean in seconds (also a student's, in a class)")
    reset.add_argument("host", nargs="?", default=None,
                       help="host name or role (a class student's only host if omitted)")
    reset.add_argument("--role", default=None, help="the same as the host argument")
    reset.add_argument("--roster", default=None, metavar="FILE",
                       help="a class's roster (`labkit class up`): reset a student's host")
    reset.add_argument("--student", default=None, metavar="ID",
                       help="with --roster: whose host")
    _name_option(reset)
    reset.set_defaults(func=_guarded(_lab_reset))

    down = lab_sub.add_parser("down", help="stop the lab and remove its files")
    _name_option(down)
    down.set_defaults(func=_guarded(_lab_down))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the sandbox commands alone (``python -m labkit.cli.sandbox``)."""
    parser = argparse.ArgumentParser(prog="labkit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_commands(sub)
    args = parser.parse_args(argv)
    func: Handler = args.func
    return func(args)


if __name__ == "__main__":
    sys.exit(main())
