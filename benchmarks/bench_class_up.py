"""Benchmark: a class on libvirt hypervisors, measured on this machine.

Two hypervisors are two Unix users (``labkit-hv1``, ``labkit-hv2``), each with its own
``qemu:///session`` reached as ``qemu+ssh://`` through a throwaway sshd on 127.0.0.1 — the same
set-up as ``tests/hub/test_class_e2e.py``. Figures:

- ``class up`` seconds for N students (default 4, one VM each, ``single`` topology), with the
  image and warm state already on the hypervisors (a first run also uploads the image and boots
  it once per hypervisor: shown apart);
- per-VM define + revert seconds: ``Classroom.reset`` of one VM (destroy, fresh overlays, restore
  from the warm save image, personalise, SSH answers through the jump host), R times;
- grading the N students' labs through the hypervisors as jump hosts (one paramiko connection
  per hypervisor, a ``direct-tcpip`` channel per VM) vs directly on their forwarded ports (here
  the hypervisors' loopback is this machine's, so both are possible), each a fresh
  ``grade_many`` run, interleaved, medians.

Run as root, under the VM lock::

    flock /tmp/labkit-vm.lock .venv/bin/python benchmarks/bench_class_up.py [-n 4] [-r 5]

``--no-vms`` measures only the jump-host figure, with throwaway sshd on 127.0.0.1 standing for
the students' VMs (one sshd each) behind one hypervisor sshd: no VM, no lock needed.
"""

from __future__ import annotations

import argparse
import os
import pwd
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from labkit.exercises import load
from labkit.grading.batch import grade_many
from labkit.sandbox.libvirt_class import Classroom, allocated_hosts
from labkit.testing.sshd import LocalSSHHost

USERS = ("labkit-hv1", "labkit-hv2")
EXERCISE = "qemu-img-basics"


def _user(name: str) -> None:
    try:
        pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "-m", "-s", "/bin/sh", name], check=True, timeout=30)
    subprocess.run(["usermod", "-p", "*", name], check=True, timeout=30)


def _direct(url: str) -> str:
    """The same VM without the jump host (its forwarded port on this machine's loopback)."""
    query = parse_qs(urlsplit(url).query)
    base = url.split("?", 1)[0]
    return f"{base}?key={query['key'][0]}&known_hosts={query['known_hosts'][0]}"


def _compare(spec_name: str, jumped: dict[str, dict[str, str]],
             direct: dict[str, dict[str, str]], repeat: int) -> dict[str, list[float]]:
    """Interleaved ``grade_many`` runs through the jump host and directly; seconds each."""
    spec = load(spec_name)
    times: dict[str, list[float]] = {"jump": [], "direct": []}
    for _ in range(repeat):
        for name, students in (("jump", jumped), ("direct", direct)):
            t = time.monotonic()
            batch = grade_many(spec, students, timeout=60)
            times[name].append(time.monotonic() - t)
            assert not batch.errors, [r.report.error for r in batch.errors]
    return times


def _show(students: int, times: dict[str, list[float]]) -> None:
    for name in ("jump", "direct"):
        values = times[name]
        print(f"grading {students} students {name:6}: median "
              f"{statistics.median(values):.3f} s (min {min(values):.3f}, "
              f"max {max(values):.3f})")


def no_vms(students: int, repeat: int) -> int:
    from urllib.parse import quote

    work = Path(tempfile.mkdtemp(prefix="labkit-bench-jump-"))
    labs = [LocalSSHHost(work / f"lab{i}").start() for i in range(students)]
    hv = LocalSSHHost(work / "hv").start()
    try:
        via = quote(hv.url, safe="")
        direct = {f"s{i}": {"host": lab.url} for i, lab in enumerate(labs)}
        jumped = {s: {"host": f"{u['host']}&via={via}"} for s, u in direct.items()}
        _show(students, _compare(EXERCISE, jumped, direct, repeat))
    finally:
        for server in [*labs, hv]:
            server.stop()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--students", type=int, default=4)
    parser.add_argument("-r", "--repeat", type=int, default=5)
    parser.add_argument("--no-vms", action="store_true",
                        help="only grading through a jump host vs directly, sshd as labs")
    args = parser.parse_args()
    if args.no_vms:
        return no_vms(args.students, args.repeat)
    if os.geteuid() != 0:
        print("run as root (it creates the hypervisor users)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="labkit-bench-class-"))
    os.environ["LABKIT_HOME"] = str(work / "home")
    servers, uris = [], []
    for user in USERS:
        _user(user)
        server = LocalSSHHost(work / f"sshd-{user}")
        server.user = user
        server.start()
        servers.append(server)
        uris.append(f"qemu+ssh://{user}@127.0.0.1:{server.port}/session"
                    f"?keyfile={server.key}&no_verify=1")
    roster = work / "class.csv"
    roster.write_text("student_id\n" + "".join(f"s{i}\n" for i in range(args.students)))
    room = Classroom(roster)
    try:
        started = time.monotonic()
        room.up(uris, "single")
        up_seconds = time.monotonic() - started
        hosts = allocated_hosts(roster) or {}
        resets = []
        for i in range(args.repeat):
            resets.append(room.reset(f"s{i % args.students}", "host"))
        jumped = {sid: {"host": roles["host"]} for sid, roles in hosts.items()}
        direct = {sid: {"host": _direct(roles["host"])} for sid, roles in hosts.items()}
        times = _compare(EXERCISE, jumped, direct, args.repeat)
        print(f"class up, {args.students} students (1 VM each, 2 hypervisors): "
              f"{up_seconds:.1f} s")
        print(f"per-VM define+revert (reset until SSH answers), {len(resets)} runs: median "
              f"{statistics.median(resets):.2f} s (min {min(resets):.2f}, "
              f"max {max(resets):.2f})")
        _show(args.students, times)
    finally:
        room.down()
        for server in servers:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
