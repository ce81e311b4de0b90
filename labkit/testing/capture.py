"""Capture probe cases from the real tools: the one tool for every place a case is made.

    python -m labkit.testing.capture local  [NAME…]                 # here, in a temp dir
    python -m labkit.testing.capture vm     --lab LAB [NAME…]        # a storage/single lab VM
    python -m labkit.testing.capture net    --lab LAB --host a [NAME…]   # a VM's netns
    python -m labkit.testing.capture solved --lab LAB [EXERCISE | probe/case …]

The cases to capture are data: ``setups.py`` in the cases folder (``--cases``, default
``tests/probes``) holds the tables ``LOCAL``, ``VM``, ``NET`` (``(probe, name, args, setup)``),
``SOLVED`` and ``BEFORE``. A NAME is a case name, ``probe/name`` or a probe. Each case is
written to ``<cases>/<probe>/<name>.json`` (format: :mod:`labkit.testing.cases`); re-run a
capture when a probe's command changes and review the diff of ``expected`` before committing.

Where each kind of case runs:

- ``local``: ``setup`` in an empty temp dir on this machine (``{dir}`` in ``args``).
- ``vm``: on a lab VM over SSH, in a fresh temp dir; the setup first undoes what earlier
  ones left (:data:`VM_CLEAN`: the spare disks /dev/vdb-vde) and refuses to run anywhere but
  a sandbox VM (:data:`VM_GUARD`). ``dir`` is written as ``vm:<that dir>``.
- ``net``: in a fresh network namespace of a lab VM (``# netns: root`` in a setup: in the
  root namespace, undone by its ``# cleanup:`` line); :data:`NET_GUARD` refuses other hosts.
- ``solved``: on a storage lab after an exercise's solution, on the role's host.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from labkit.host import Host
from labkit.testing.cases import make_probe, parsed, run_live, temp_dir, write
from labkit.transports.base import CommandResult

#: (probe, case name, args, setup)
Setup = tuple[str, str, dict[str, Any], str]

#: Only ever on a labkit sandbox VM: its initiator name says so.
VM_GUARD = ("grep -q '^InitiatorName=iqn.2024-01.lab.labkit:' /etc/iscsi/initiatorname.iscsi "
            "|| { echo 'labkit: VM-only probe case, not run here' >&2; exit 3; }")
#: Undo what an earlier VM case left on the spare disks.
VM_CLEAN = """
if [ -f /etc/lvm/lvm.conf.labkit-orig ]; then mv /etc/lvm/lvm.conf.labkit-orig /etc/lvm/lvm.conf; fi
umount /srv/lv 2>/dev/null || true
sed -i '\\#^/dev/vgt/#d' /etc/fstab
vgremove -qq -ff -y vgt >/dev/null 2>&1 || true
pvremove -qq -ff -y /dev/vdb /dev/vdc /dev/vdd /dev/vde >/dev/null 2>&1 || true
wipefs -qa /dev/vdb /dev/vdc /dev/vdd /dev/vde
"""
NETNS = "labkit-probe"
NET_GUARD = ("[ -x /usr/local/sbin/labkit-setup ] || { echo 'network probe cases run only in "
             "a sandbox VM: python -m labkit.testing.capture net' >&2; exit 1; }")


def capture_local(probe_name: str, args: dict[str, Any], setup: str) -> dict[str, Any]:
    """The case made by ``setup`` in a fresh temp dir here."""
    case: dict[str, Any] = {"probe": probe_name, "args": args, "setup": setup}
    with temp_dir() as directory:
        probe, result = run_live(case, directory)
    case["dir"] = directory
    return parsed(case, probe, result)


def capture_vm(host: Host, probe_name: str, args: dict[str, Any], setup: str
               ) -> dict[str, Any]:
    """The case made by ``setup`` in a fresh temp dir of a sandbox VM (spare disks wiped)."""
    case: dict[str, Any] = {"probe": probe_name, "args": args, "setup": setup}
    made = host.transport.run("mktemp -d /tmp/labkit-probe-XXXXXXXX", timeout=30)
    directory = made.stdout.strip()
    script = f"set -eu\n{VM_GUARD}\ncd {directory}\n{VM_CLEAN}\n{setup}\n"
    done = host.transport.run("export LC_ALL=C; exec /bin/sh -s", timeout=600,
                              stdin=script.encode())
    if not done.ok:
        raise RuntimeError(f"setup of {probe_name} failed: {done.tail()}")
    probe = make_probe(case, directory)
    raw = host.transport.run(f"cd {directory}; export LC_ALL=C; {probe.command()}",
                             timeout=probe.timeout)
    case["dir"] = f"vm:{directory}"
    return parsed(case, probe, CommandResult(probe.command(), raw.exit_code, raw.stdout,
                                             raw.stderr))


def directive(setup: str, name: str) -> str | None:
    """The value of a ``# name: value`` line of a setup, if any."""
    for line in setup.splitlines():
        if line.startswith(f"# {name}:"):
            return line.split(":", 1)[1].strip()
    return None


def _in_place(script: str, setup: str) -> str:
    """``script`` run where a network case lives: in the case's namespace, or as it is."""
    if directive(setup, "netns") == "root":
        return script
    quoted = script.replace("'", "'\"'\"'")
    return f"ip netns exec {NETNS} sh -c '{quoted}'"


def capture_net(host: Host, probe_name: str, args: dict[str, Any], setup: str
                ) -> dict[str, Any]:
    """The case made by ``setup`` in a network namespace of a sandbox VM (cleaned up after)."""
    probe = make_probe({"probe": probe_name, "args": args}, "")
    root = directive(setup, "netns") == "root"
    cleanup = directive(setup, "cleanup") or "true"
    run = host.transport.run
    if root:
        run(cleanup, timeout=60)
    else:
        run(f"ip netns del {NETNS} 2>/dev/null; ip netns add {NETNS}", timeout=30)
    try:
        done = run(_in_place(f"set -eu\n{NET_GUARD}\n{setup}", setup), timeout=120)
        if not done.ok:
            raise RuntimeError(f"setup of {probe_name} failed: {done.tail(5)}")
        # Links settle asynchronously (a bridge turns UP once its port's carrier arrives):
        # read only when two looks at the links, 0.3 s apart, agree (5 s at most).
        settle = ("prev=; for i in $(seq 16); do now=$(ip -o link 2>/dev/null); "
                  '[ "$now" = "$prev" ] && break; prev=$now; sleep 0.3; done; true')
        run(_in_place(settle, setup), timeout=30)
        raw = run("export LC_ALL=C; " + _in_place(probe.command(), setup),
                  timeout=probe.timeout + 10)
    finally:
        run(cleanup if root else f"ip netns del {NETNS}", timeout=60)
    case: dict[str, Any] = {"probe": probe_name, "args": args,
                            "setup": f"{NET_GUARD}\n{setup.strip()}", "dir": ""}
    return parsed(case, probe, CommandResult(probe.command(), raw.exit_code, raw.stdout,
                                             raw.stderr))


def capture_solved(lab: str, solved: dict[str, list[tuple[str, str, dict[str, Any], str, str]]],
                   before: dict[tuple[str, str], tuple[str, str]], names: list[str]
                   ) -> list[tuple[str, dict[str, Any]]]:
    """``(name, case)`` of the ``solved`` cases wanted by ``names``: each exercise's solution
    runs once on the storage lab ``lab``, then its cases are captured in order (later ones may
    break things; ``before`` names a command to run on another role first)."""
    from labkit import exercises
    from labkit.sandbox import lab_hosts

    urls = lab_hosts(lab)
    out = []
    for exercise, cases in solved.items():
        wanted = [c for c in cases if not names or f"{c[0]}/{c[1]}" in names
                  or exercise in names]
        if not wanted:
            continue
        spec = exercises.load(exercise)
        hosts = {role: Host(urls[role]) for role in spec.roles}
        exercises.run_scripts(hosts, exercises.solution_scripts(exercise), spec, timeout=900)
        for probe_name, name, args, role, setup in wanted:
            first = before.get((probe_name, name))
            if first:
                hosts[first[0]].transport.run(first[1], timeout=120)
            host = hosts[role]
            if setup and not setup.startswith("#"):
                done = host.transport.run(setup, timeout=120)
                if not done.ok:
                    raise RuntimeError(f"setup of {probe_name}/{name} failed: {done.tail()}")
            probe = make_probe({"probe": probe_name, "args": args}, "")
            raw = host.transport.run(f"export LC_ALL=C; {probe.command()}",
                                     timeout=probe.timeout)
            case: dict[str, Any] = {
                "probe": probe_name, "args": args,
                "setup": f"exercise {exercise}: solution, then on {role}: {setup or '-'}"
                         + (f"; first on {first[0]}: {first[1]}" if first else ""),
                "dir": f"vm:{role}"}
            out.append((name, parsed(case, probe, CommandResult(
                probe.command(), raw.exit_code, raw.stdout, raw.stderr))))
    return out


def load_setups(cases_dir: Path) -> ModuleType:
    """The tables of ``cases_dir/setups.py`` (LOCAL, VM, NET, SOLVED, BEFORE)."""
    path = cases_dir / "setups.py"
    spec = importlib.util.spec_from_file_location("labkit_probe_setups", path)
    if spec is None or spec.loader is None or not path.exists():
        raise SystemExit(f"no case tables at {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def wanted(table: list[Setup], names: list[str]) -> list[Setup]:
    """The rows of ``table`` that ``names`` select (all when empty)."""
    return [row for row in table if not names or row[1] in names or row[0] in names
            or f"{row[0]}/{row[1]}" in names]


def _show(path: Path, case: dict[str, Any], cases_dir: Path) -> None:
    expected = case["expected"]
    shown = case.get("raises") or (expected.get("state", expected.get("type"))
                                   if isinstance(expected, dict) else expected)
    print(f"{path.relative_to(cases_dir)}: exit {case['exit_code']} -> {shown}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m labkit.testing.capture",
                                     description="Capture probe cases from the real tools.")
    parser.add_argument("where", choices=("local", "vm", "net", "solved"))
    parser.add_argument("names", nargs="*", help="case, probe/case, probe (or exercise)")
    parser.add_argument("--cases", type=Path, default=Path("tests/probes"),
                        help="the cases folder, holding setups.py (default: tests/probes)")
    parser.add_argument("--lab", default="net-dev", help="the sandbox lab (vm, net, solved)")
    parser.add_argument("--host", default=None,
                        help="the lab host (default: server for vm, a for net)")
    opts = parser.parse_args(argv)
    tables = load_setups(opts.cases)
    if opts.where == "local":
        for probe_name, name, args, setup in wanted(tables.LOCAL, opts.names):
            case = capture_local(probe_name, args, setup)
            _show(write(opts.cases, name, case), case, opts.cases)
        return 0
    if opts.where == "solved":
        for name, case in capture_solved(opts.lab, tables.SOLVED, tables.BEFORE, opts.names):
            _show(write(opts.cases, name, case), case, opts.cases)
        return 0
    from labkit.sandbox import lab_hosts

    vm = opts.where == "vm"
    role = opts.host or ("server" if vm else "a")
    with Host(lab_hosts(opts.lab)[role]) as host:
        for probe_name, name, args, setup in wanted(tables.VM if vm else tables.NET,
                                                    opts.names):
            case = (capture_vm if vm else capture_net)(host, probe_name, args, setup)
            _show(write(opts.cases, name, case), case, opts.cases)
    return 0


if __name__ == "__main__":
    sys.exit(main())

