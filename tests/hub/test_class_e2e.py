"""A class beyond one machine, end to end on this one: two hypervisors (two Unix users, each
with its own ``qemu:///session``, reached as ``qemu+ssh://`` through a loopback sshd), four
students with one lab VM each from the real image, graded through the hypervisors as jump
hosts, one host reset while the others stay untouched, JupyterHub (LocalProcessSpawner, dummy
authenticator) whose students' servers find their own lab and whose hidden test cell grades
it, and ``class down`` leaving nothing.

Needs root (it creates the two users), libvirt, and the cached sandbox image. One class for
the whole module (module-scoped fixtures); the tests run in file order.
"""

from __future__ import annotations

import csv
import json
import os
import pwd
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

libvirt = pytest.importorskip("libvirt")

from labkit.sandbox.libvirt import LibvirtBackend  # noqa: E402
from labkit.sandbox.libvirt_class import Classroom, allocated_hosts  # noqa: E402
from labkit.transports import open_transport  # noqa: E402
from tests.hub.hubtools import (  # noqa: E402
    HypervisorSSHD,
    ensure_user,
    run_in_kernel,
    running_hub,
    start_servers,
)

pytestmark = [pytest.mark.sandbox, pytest.mark.hub]

USERS = ("labkit-hv1", "labkit-hv2")
#: Roster ids are hub users are Unix users.
STUDENTS = ("lkalice", "lkbob", "lkcarol", "lkdave")

EXERCISE = "qemu-img-basics"
LABKIT = [sys.executable, "-m", "labkit.cli"]


@pytest.fixture(scope="module")
def hypervisors(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    if os.geteuid() != 0:
        pytest.skip("the hypervisor and student users need root to create")
    if shutil.which("virsh") is None:
        pytest.skip("libvirt is not installed (scripts/apt-packages-class.txt)")
    uris, servers = [], []
    try:
        for user in USERS:
            ensure_user(user)
            server = HypervisorSSHD(user)
            server.start()
            servers.append(server)
            uris.append(f"qemu+ssh://{user}@127.0.0.1:{server.port}/session"
                        f"?keyfile={server.key}&no_verify=1")
        yield uris
    finally:
        for server in servers:
            server.stop()


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    home = tmp_path_factory.mktemp("labkit-home")
    old = os.environ.get("LABKIT_HOME")
    os.environ["LABKIT_HOME"] = str(home)
    try:
        yield {**os.environ, "LABKIT_HOME": str(home), "LABKIT_ACCEL": "tcg"}
    finally:
        if old is None:
            os.environ.pop("LABKIT_HOME", None)
        else:
            os.environ["LABKIT_HOME"] = old


@pytest.fixture(scope="module")
def roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("class") / "class.csv"
    path.write_text("student_id,name\n" + "".join(f"{s},{s.title()}\n" for s in STUDENTS))
    return path


def _labkit(env: dict[str, str], *args: str,
            timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*LABKIT, *args], env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


@pytest.fixture(scope="module")
def up(hypervisors: list[str], env: dict[str, str], roster: Path) -> Iterator[dict[str, float]]:
    args = ["class", "up", "--roster", str(roster), "--topology", "single"]
    for uri in hypervisors:
        args += ["--hypervisor", uri]
    started = time.monotonic()
    result = _labkit(env, *args)
    seconds = time.monotonic() - started
    try:
        assert result.returncode == 0, result.stderr[-2000:]
        yield {"seconds": seconds}
    finally:
        given = [arg for uri in hypervisors for arg in ("--hypervisor", uri)]
        down = _labkit(env, "class", "down", "--roster", str(roster), *given)
        assert down.returncode == 0, down.stderr[-2000:]


def _run(url: str, command: str) -> str:
    with open_transport(url) as host:
        result = host.run(command, timeout=60)
    assert result.ok, result.tail()
    return result.stdout


def test_class_up_places_two_students_per_hypervisor(up: dict[str, float], env: dict[str, str],
                                                     roster: Path) -> None:
    result = _labkit(env, "class", "status", "--roster", str(roster), "--json")
    assert result.returncode == 0, result.stderr
    status = json.loads(result.stdout)
    per_hv: dict[str, int] = {}
    for student in status["students"]:
        per_hv[student["hypervisor"]] = per_hv.get(student["hypervisor"], 0) + 1
        assert [h["state"] for h in student["hosts"]] == ["running"]
    assert sorted(per_hv.values()) == [2, 2]
    print(f"\nclass up, 4 students: {up['seconds']:.1f} s")


def test_each_student_reaches_their_own_vm_through_the_jump(up: dict[str, float],
                                                            roster: Path) -> None:
    hosts = allocated_hosts(roster)
    assert hosts is not None and sorted(hosts) == sorted(STUDENTS)
    identities = {}
    for student, roles in hosts.items():
        url = roles["host"]
        assert "via=" in url and "127.0.0.1" in url
        # Every VM is restored from the same warm state; what makes it the student's own is
        # their key, and a machine id and SSH host key of its own, put there by class up.
        keys = _run(url, "cat /root/.ssh/authorized_keys")
        assert keys.strip().endswith(f"-{student}"), (student, keys)
        identities[student] = _run(url, "cat /etc/machine-id; "
                                   "cut -d' ' -f2 /etc/ssh/ssh_host_ed25519_key.pub").split()
    machine_ids = [i[0] for i in identities.values()]
    host_keys = [i[1] for i in identities.values()]
    assert all(len(m) == 32 for m in machine_ids)
    assert len(set(machine_ids)) == len(set(host_keys)) == len(STUDENTS), identities


def _grades(env: dict[str, str], roster_csv: Path, out: Path) -> dict[str, float]:
    result = _labkit(env, "grade", EXERCISE, "--roster", str(roster_csv), "--out", str(out),
                     "--format", "csv", "--timeout", "60")
    assert result.returncode in (0, 1), result.stderr[-2000:]
    with (out / "grades.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    return {r["idnumber"]: float(r[EXERCISE] or 0) for r in rows}


def test_grade_solve_two_and_regrade(up: dict[str, float], env: dict[str, str], roster: Path,
                                     tmp_path: Path) -> None:
    room = Classroom(roster)
    roster_csv = room.dir / "roster.csv"
    started = time.monotonic()
    before = _grades(env, roster_csv, tmp_path / "before")
    print(f"\ngrading 4 students through the jumps: {time.monotonic() - started:.1f} s")
    assert sorted(before) == sorted(STUDENTS)
    hosts = allocated_hosts(roster)
    assert hosts is not None
    for student in ("lkalice", "lkbob"):  # each with their own values (variants)
        result = _labkit(env, "solve", EXERCISE, "--roster", str(roster_csv), "--student",
                         student)
        assert result.returncode == 0, result.stderr[-2000:]
    after = _grades(env, roster_csv, tmp_path / "after")
    assert after["lkalice"] > before["lkalice"] and after["lkbob"] > before["lkbob"]
    assert after["lkcarol"] == before["lkcarol"] and after["lkdave"] == before["lkdave"]
    assert after["lkalice"] == after["lkbob"] == max(after.values())
    # the teacher's own roster (ids and names only) grades each student's own lab too
    assert "host" not in roster.read_text().splitlines()[0]
    assert _grades(env, roster, tmp_path / "ids-only") == after


def test_reset_one_host_leaves_the_others_alone(up: dict[str, float], env: dict[str, str],
                                                 roster: Path) -> None:
    hosts = allocated_hosts(roster)
    assert hosts is not None
    # Every VM is restored from one warm state, so they share a boot id: what tells them
    # apart is the machine id class up gave each; the mark is a file in each one's /root.
    marks = {s: _run(hosts[s]["host"], "cat /etc/machine-id; "
                     "touch /root/still-here 2>&1 && echo marked").split() for s in STUDENTS}
    assert all(len(m) == 2 and m[1] == "marked" for m in marks.values()), marks
    bob_id = marks["lkbob"][0]
    # the same command as for a local lab, given the class's roster and the student
    result = _labkit(env, "lab", "reset", "--roster", str(roster), "--student", "lkbob",
                     "--role", "host")
    assert result.returncode == 0, result.stderr[-2000:]
    seconds = float(result.stderr.rsplit(" in ", 1)[1].split()[0])
    print(f"\nreset of one host: {seconds:.1f} s")
    # seconds, not a boot: 4.7 s measured here (benchmarks/bench_class_up.py; the goal is 5 s),
    # more while the other test worker boots VMs; a cold boot under TCG takes over 30 s
    assert seconds <= 15.0
    # back to clean, with the same identity (the known_hosts students were given still fits)
    assert _run(hosts["lkbob"]["host"], "test ! -e /root/still-here && echo clean; "
                "cat /etc/machine-id").split() == ["clean", bob_id]
    for other in ("lkalice", "lkcarol", "lkdave"):
        out = _run(hosts[other]["host"], "cat /etc/machine-id; "
                   "test -e /root/still-here && echo kept").split()
        if out != [marks[other][0], "kept"]:
            seen = _run(hosts[other]["host"], "uptime; findmnt -no OPTIONS /; ls -la /root; "
                        "dmesg | tail -n 5")
            pytest.fail(f"{other}'s VM was touched by bob's reset: {out} (before: {marks}; "
                        f"hosts: {hosts}; on {other}'s VM now:\n{seen})")


# -- JupyterHub ------------------------------------------------------------------------------
HUB_USERS = list(STUDENTS[:3])


@pytest.fixture(scope="module")
def hub(up: dict[str, float], roster: Path, env: dict[str, str],
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    with running_hub(roster, HUB_USERS, tmp_path_factory.mktemp("hub"), env) as port:
        yield port


def test_hub_servers_find_their_own_lab_and_grade_it(hub: int, roster: Path) -> None:
    teacher = allocated_hosts(roster)
    assert teacher is not None
    servers = start_servers(hub, HUB_USERS)
    for user, url in servers.items():
        code = ("import os\n"
                "from labkit.transports import open_transport\n"
                "print('student', os.environ['LABKIT_STUDENT'])\n"
                "print('uid', os.getuid())\n"
                "with open_transport(os.environ['LABKIT_HOST']) as h:\n"
                "    print('machine', h.run('cat /root/.ssh/authorized_keys').stdout.split()[-1])\n"
                "from labkit.notebook.nbgrader import autograde_points\n"
                f"print('points', autograde_points({EXERCISE!r}, points=10))\n")
        out = run_in_kernel(url, code)
        lines = dict(ln.split(" ", 1) for ln in out.splitlines() if ln.count(" ") >= 1
                     and ln.split(" ", 1)[0] in ("student", "uid", "machine", "points"))
        assert lines.get("student") == user, out
        assert lines.get("uid") == str(pwd.getpwnam(user).pw_uid), out
        expected = _run(teacher[user]["host"], "cat /root/.ssh/authorized_keys").split()[-1]
        assert expected.endswith(f"-{user}")
        assert lines.get("machine") == expected, f"{user}'s server reached another lab: {out}"
        solved = user == "lkalice"  # lkbob's host was reset since it was solved
        points = float(lines.get("points", "nan"))
        assert (points == 10.0) if solved else (points < 10.0), out


def test_class_down_leaves_nothing(hypervisors: list[str], env: dict[str, str],
                                   roster: Path, up: dict[str, float]) -> None:
    room = Classroom(roster)
    result = _labkit(env, "class", "down", "--roster", str(roster))
    assert result.returncode == 0, result.stderr
    assert allocated_hosts(roster) is None and not room.dir.exists()
    for uri in hypervisors:
        backend = LibvirtBackend(uri)
        try:
            assert backend.labs() == {}
            names = [d.name() for d in backend.connection().listAllDomains(0)]
            assert not [n for n in names if room.id in n]
            volumes = backend.pool().listVolumes()
            assert not [v for v in volumes if v.startswith(room.id)], volumes
        finally:
            backend.close()
    for user in USERS:
        procs = subprocess.run(["pgrep", "-u", user, "-f", "qemu-system"], capture_output=True,
                               text=True, timeout=10, check=False).stdout.split()
        assert procs == [], f"QEMU still runs as {user}"
