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
from labkit.testing.sshd import LocalSSHHost  # noqa: E402
from labkit.transports import open_transport  # noqa: E402

pytestmark = [pytest.mark.sandbox, pytest.mark.hub]

USERS = ("labkit-hv1", "labkit-hv2")
#: Roster ids are hub users are Unix users.
STUDENTS = ("lkalice", "lkbob", "lkcarol", "lkdave")
#: A Python every student can read, with JupyterHub's single-user server and labkit.
HUB_VENV = Path("/opt/labkit-hub")
EXERCISE = "qemu-img-basics"
LABKIT = [sys.executable, "-m", "labkit"]


def _ensure_user(name: str) -> None:
    try:
        pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "-m", "-s", "/bin/sh", name], check=True, timeout=30)
    # A locked password ("!") refuses even key logins when sshd runs without PAM.
    subprocess.run(["usermod", "-p", "*", name], check=True, timeout=30)


class HypervisorSSHD:
    """sshd on 127.0.0.1 for one hypervisor user: the test's key, and the user's own
    ~/.ssh/authorized_keys (where ``class up`` lets students jump to their own VMs)."""

    def __init__(self, directory: Path, user: str) -> None:
        self.dir, self.user = directory, user
        self.server = LocalSSHHost(directory)
        self.port = self.server.port

    def start(self) -> None:
        # LocalSSHHost's config names its own authorized_keys; sshd takes the first
        # AuthorizedKeysFile, so a second one is given as a Match block for this user.
        self.server.extra_config = (f"Match User {self.user}\n"
                                    f"  AuthorizedKeysFile {self.dir}/authorized_keys "
                                    ".ssh/authorized_keys\n")
        self.server.user = self.user
        self.server.start()

    @property
    def key(self) -> Path:
        return self.server.key

    def stop(self) -> None:
        self.server.stop()


@pytest.fixture(scope="module")
def hypervisors(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    if os.geteuid() != 0:
        pytest.skip("the hypervisor and student users need root to create")
    if shutil.which("virsh") is None:
        pytest.skip("libvirt is not installed (scripts/apt-packages-class.txt)")
    uris, servers = [], []
    try:
        for user in USERS:
            _ensure_user(user)
            server = HypervisorSSHD(tmp_path_factory.mktemp(f"sshd-{user}"), user)
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
    seen = set()
    for roles in hosts.values():
        url = roles["host"]
        assert "via=" in url and "127.0.0.1" in url
        seen.add(_run(url, "cat /etc/machine-id; hostname").strip())
    assert len(seen) == len(STUDENTS)


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
    for student in ("lkalice", "lkbob"):
        result = _labkit(env, "solve", EXERCISE, "--host", hosts[student]["host"])
        assert result.returncode == 0, result.stderr[-2000:]
    after = _grades(env, roster_csv, tmp_path / "after")
    assert after["lkalice"] > before["lkalice"] and after["lkbob"] > before["lkbob"]
    assert after["lkcarol"] == before["lkcarol"] and after["lkdave"] == before["lkdave"]
    assert after["lkalice"] == after["lkbob"] == max(after.values())


def test_reset_one_host_leaves_the_others_alone(up: dict[str, float], roster: Path) -> None:
    hosts = allocated_hosts(roster)
    assert hosts is not None
    marks = {s: _run(hosts[s]["host"], "cat /proc/sys/kernel/random/boot_id; "
                     "touch /root/still-here; echo ok").split()[0] for s in STUDENTS}
    seconds = Classroom(roster).reset("lkbob", "host")
    print(f"\nreset of one host: {seconds:.1f} s")
    assert seconds <= 5.0
    assert _run(hosts["lkbob"]["host"], "test ! -e /root/still-here && echo clean").strip() == \
        "clean"
    for other in ("lkalice", "lkcarol", "lkdave"):
        out = _run(hosts[other]["host"], "cat /proc/sys/kernel/random/boot_id; "
                   "test -e /root/still-here && echo kept").split()
        assert out == [marks[other], "kept"], f"{other}'s VM was touched by bob's reset"


# -- JupyterHub ------------------------------------------------------------------------------
HUB_TOKEN = "labkit-test-" + os.urandom(12).hex()
HUB_USERS = STUDENTS[:3]


def _hub_venv() -> Path:
    """The students' Python: a venv every user can read (not one under /root), made once."""
    single = HUB_VENV / "bin" / "jupyterhub-singleuser"
    if not single.exists():
        python = shutil.which("python3", path="/usr/bin:/bin") or "/usr/bin/python3"
        subprocess.run([python, "-m", "venv", str(HUB_VENV)], check=True, timeout=120)
        root = Path(__file__).resolve().parents[2]
        subprocess.run([str(HUB_VENV / "bin" / "python"), "-m", "pip", "install", "-q", "-e",
                        f"{root}[class]"], check=True, timeout=1200)
    return single


def _api(port: int, method: str, path: str, body: object = None) -> object:
    import urllib.request

    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{port}/hub/api{path}", data=data,
                                     method=method,
                                     headers={"Authorization": f"token {HUB_TOKEN}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read().decode()
    return json.loads(text) if text else None


@pytest.fixture(scope="module")
def hub(up: dict[str, float], roster: Path, env: dict[str, str],
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    from labkit.hub.config import write_config
    from labkit.testing.sshd import free_port

    single = _hub_venv()
    for user in HUB_USERS:
        _ensure_user(user)
    state = tmp_path_factory.mktemp("hub")
    state.chmod(0o755)
    port = free_port()
    config = write_config(state / "jupyterhub_config.py", roster=roster, port=port,
                          dummy_password="labkit", singleuser=str(single),
                          users=list(HUB_USERS), state_dir=str(state))
    with config.open("a") as handle:
        handle.write(
            f"c.JupyterHub.services = [{{'name': 'labkit-test', 'api_token': {HUB_TOKEN!r}}}]\n"
            "c.JupyterHub.load_roles = [{'name': 'labkit-test', 'services': ['labkit-test'],"
            " 'scopes': ['admin:users', 'admin:servers', 'access:servers', 'read:users']}]\n"
            f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{free_port()}'\n"
            f"c.JupyterHub.hub_port = {free_port()}\n")
    log = (state / "hub.log").open("wb")
    hub_bin = Path(sys.executable).with_name("jupyterhub")
    proc = subprocess.Popen([str(hub_bin), "-f", str(config)], cwd=state, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                _api(port, "GET", "/")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError((state / "hub.log").read_text()[-3000:]) from None
                time.sleep(0.5)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()  # the hub stops the students' servers on exit (cleanup_servers)


def _run_in_kernel(server_url: str, code: str) -> str:
    """Execute ``code`` in a new kernel of a student's server; return what it printed and
    its last value."""
    import asyncio
    import urllib.request
    import uuid as uuidlib

    from tornado.websocket import websocket_connect

    headers = {"Authorization": f"token {HUB_TOKEN}"}
    request = urllib.request.Request(f"{server_url}api/kernels", data=b"{}", method="POST",
                                     headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        kernel = json.loads(response.read())["id"]

    async def run() -> str:
        ws_url = server_url.replace("http", "ws", 1) + f"api/kernels/{kernel}/channels"
        from tornado.httpclient import HTTPRequest

        conn = await websocket_connect(HTTPRequest(ws_url, headers=headers))
        msg_id = uuidlib.uuid4().hex
        conn.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "t",
                       "session": uuidlib.uuid4().hex, "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": code, "silent": False, "store_history": False,
                        "user_expressions": {}, "allow_stdin": False}}))
        out = []
        while True:
            raw = await asyncio.wait_for(conn.read_message(), 300)
            if raw is None:
                break
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                out.append(content["text"])
            elif kind in ("execute_result", "display_data"):
                out.append(content["data"].get("text/plain", "") + "\n")
            elif kind == "error":
                out.append("ERROR " + content["ename"] + ": " + content["evalue"])
            elif kind == "status" and content["execution_state"] == "idle":
                break
        conn.close()
        return "".join(out)

    return asyncio.run(run())


def test_hub_servers_find_their_own_lab_and_grade_it(hub: int, roster: Path) -> None:
    teacher = allocated_hosts(roster)
    assert teacher is not None
    _api(hub, "POST", "/users", {"usernames": list(HUB_USERS)})
    for user in HUB_USERS:
        _api(hub, "POST", f"/users/{user}/server")
    for user in HUB_USERS:
        deadline = time.monotonic() + 120
        while True:
            model = _api(hub, "GET", f"/users/{user}")
            server = model["servers"].get("", {})  # type: ignore[index]
            if server.get("ready"):
                break
            assert time.monotonic() < deadline, f"{user}'s server did not start"
            time.sleep(1)
        url = f"http://127.0.0.1:{hub}{server['url']}"
        code = ("import os, subprocess\n"
                "from labkit.transports import open_transport\n"
                "print('student', os.environ['LABKIT_STUDENT'])\n"
                "print('uid', os.getuid())\n"
                "with open_transport(os.environ['LABKIT_HOST']) as h:\n"
                "    print('machine', h.run('cat /etc/machine-id').stdout.strip())\n"
                "from labkit.grading.nbgrader import autograde_points\n"
                f"print('points', autograde_points({EXERCISE!r}, points=10))\n")
        out = _run_in_kernel(url, code)
        lines = dict(ln.split(" ", 1) for ln in out.splitlines() if ln.count(" ") >= 1
                     and ln.split(" ", 1)[0] in ("student", "uid", "machine", "points"))
        assert lines.get("student") == user, out
        assert lines.get("uid") == str(pwd.getpwnam(user).pw_uid), out
        expected = _run(teacher[user]["host"], "cat /etc/machine-id").strip()
        assert lines.get("machine") == expected, f"{user}'s server reached another lab: {out}"
        solved = user == "lkalice"  # lkbob's host was reset since it was solved
        points = float(lines.get("points", "nan"))
        assert (points == 10.0) if solved else (points < 10.0), out
        # The student can read their own key; never the teacher's hypervisor key.
        home = Path(pwd.getpwnam(user).pw_dir)
        assert (home / ".labkit" / "lab_key").stat().st_uid == pwd.getpwnam(user).pw_uid


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
