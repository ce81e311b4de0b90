"""JupyterHub for real, without VMs: two students' servers (LocalProcessSpawner, two Unix
users) get their own lab from the class allocation through the spawn hook, reach it through
the hypervisor with their own key, and cannot use that key to reach the other's lab. "Check my
work" asks the class's grading service (a hub service holding the evidence key, which no
student can read): it grades the asking student's own lab and returns a signed record.

The "lab hosts" are two throwaway sshd on 127.0.0.1 standing for two students' VMs (each reads
as another machine); the hypervisor is a Unix user behind its own loopback sshd, as in
test_class_e2e.py.
"""

from __future__ import annotations

import csv
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from labkit.evidence import verify
from labkit.sandbox.libvirt_class import ALLOCATION, Classroom, hypervisor_ref, vm_url
from labkit.testing.sshd import free_port
from tests.helpers import student_host
from tests.hub.hubtools import (
    HUB_VENV,
    HypervisorSSHD,
    ensure_user,
    run_in_kernel,
    running_hub,
    start_servers,
)

pytestmark = [pytest.mark.hub, pytest.mark.sshd]
HV_USER = "labkit-hv1"
STUDENTS = ["lkalice", "lkbob"]


@pytest.fixture(scope="module")
def classroom(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, int]]]:
    if os.geteuid() != 0:
        pytest.skip("the students' and the hypervisor's Unix users need root")
    if shutil.which("configurable-http-proxy") is None:
        pytest.skip("configurable-http-proxy is not installed (npm)")
    base = tmp_path_factory.mktemp("hubclass")
    old = os.environ.get("LABKIT_HOME")
    os.environ["LABKIT_HOME"] = str(base / "home")
    ensure_user(HV_USER)
    hv = HypervisorSSHD(HV_USER)
    labs: list = []  # type: ignore[type-arg]
    roster = base / "class.csv"
    roster.write_text("student_id\n" + "".join(f"{s}\n" for s in STUDENTS))
    try:
        hv.start()
        for n, sid in enumerate(STUDENTS):
            (base / sid).mkdir()
            labs.append(student_host(base / sid, f"5ad1e7c0ffee4b1dbeefcafe0000010{n}"))
        room = Classroom(roster)
        (room.dir / "keys").mkdir(parents=True)
        ref = hypervisor_ref(f"qemu+ssh://{HV_USER}@127.0.0.1:{hv.port}/session"
                             f"?keyfile={hv.key}&no_verify=1",
                             room.dir / "hypervisors_known_hosts")
        students, known = {}, ""
        for sid, lab in zip(STUDENTS, labs, strict=True):
            key = room.key(sid)
            shutil.copyfile(lab.key, key)
            shutil.copyfile(lab.key.with_suffix(".pub"), key.with_suffix(".pub"))
            known += f"[127.0.0.1]:{lab.port} {(lab.dir / 'host_key.pub').read_text()}"
            students[sid] = {"name": sid, "hypervisor": ref.uri, "jump": ref.jump,
                             "lab": f"{room.id}-{sid}", "key": str(key),
                             "ports": {"host": lab.port}, "roles": {"host": "host"},
                             "hosts": {"host": vm_url(lab.port, key, room.known_hosts,
                                                      ref.jump)}}
        data = {"class": room.id, "topology": "single", "students": students}
        (room.dir / ALLOCATION).write_text(json.dumps(data))
        (room.dir / "known_hosts").write_text(known)
        (room.dir / "hypervisors_known_hosts").write_text(
            f"[127.0.0.1]:{hv.port} {(hv.dir / 'host_key.pub').read_text()}")
        room.authorize_jumps(data)
        yield roster, {sid: lab.port for sid, lab in zip(STUDENTS, labs, strict=True)}
        room.authorize_jumps(None)
        lines = (Path(f"/home/{HV_USER}") / ".ssh" / "authorized_keys").read_text()
        assert "labkit-jump:" + room.id not in lines, "class down left jump lines"
    finally:
        for lab in labs:
            lab.stop()
        hv.stop()
        if old is None:
            os.environ.pop("LABKIT_HOME", None)
        else:
            os.environ["LABKIT_HOME"] = old


def test_each_server_reaches_only_its_own_lab(classroom: tuple[Path, dict[str, int]],
                                              tmp_path: Path) -> None:
    roster, ports = classroom
    env = dict(os.environ)
    key_file = tmp_path / "evidence.key"
    key_file.write_text(os.urandom(32).hex())
    key_file.chmod(0o600)
    with running_hub(roster, STUDENTS, tmp_path / "hub", env,
                     evidence_key_file=str(key_file), grader_port=free_port()) as port:
        servers = start_servers(port, STUDENTS)
        for sid, url in servers.items():
            other = next(p for s, p in ports.items() if s != sid)
            code = (
                "import os\n"
                "from labkit.transports import open_transport\n"
                "url = os.environ['LABKIT_HOST']\n"
                "print('student', os.environ['LABKIT_STUDENT'])\n"
                "with open_transport(url) as h:\n"
                "    print('port', h.run('echo $SSH_CONNECTION').stdout.split()[3])\n"
                f"stolen = url.replace(':{ports[sid]}?', ':{other}?')\n"
                "try:\n"
                "    with open_transport(stolen) as h:\n"
                "        h.run('true')\n"
                "    print('other reached')\n"
                "except Exception as exc:\n"
                "    print('other refused', type(exc).__name__)\n"
                "try:\n"
                f"    open({str(roster.parent)!r} + '/home/classes').close()\n"
                "except OSError as exc:\n"
                "    print('teacher files', type(exc).__name__)\n"
                "try:\n"
                f"    open({str(key_file)!r}).read()\n"
                "except OSError as exc:\n"
                "    print('evidence key', type(exc).__name__)\n"
                "print('key in env', any('EVIDENCE' in k for k in os.environ))\n"
                "import json\n"
                "from labkit.hub.service import check_my_work\n"
                "print('record', json.dumps(check_my_work('qemu-img-basics')['record']))\n"
            )
            out = run_in_kernel(url, code)
            assert f"student {sid}" in out, out
            assert f"port {ports[sid]}" in out, f"{sid} reached another host: {out}"
            assert "other refused ConnectError" in out, f"{sid} reached another lab: {out}"
            assert "teacher files PermissionError" in out, out
            assert "evidence key PermissionError" in out and "key in env False" in out, out
            line = next((ln for ln in out.splitlines() if ln.startswith("record ")), None)
            assert line is not None, out
            record = json.loads(line.split(" ", 1)[1])
            assert verify(record, key_file.read_text().strip().encode()), record
            assert record.get("student") == sid, record


def _teacher_nbgrader(course: Path, *args: str) -> None:
    jupyter = course.parent / "jupyter"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LABKIT_", "JUPYTER"))}
    env.update(PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
               JUPYTER_CONFIG_DIR=str(jupyter / "config"),
               JUPYTER_DATA_DIR=str(jupyter / "data"),
               JUPYTER_RUNTIME_DIR=str(jupyter / "runtime"),
               IPYTHONDIR=str(jupyter / "ipython"))
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, f"nbgrader {args[0]}: {result.stderr[-3000:]}"


def _student_nbgrader(user: str, exchange: Path, *args: str) -> None:
    entry = pwd.getpwnam(user)
    bindir = HUB_VENV / "bin"
    result = subprocess.run(
        ["runuser", "-u", user, "--", "env", "-i", f"HOME={entry.pw_dir}", f"USER={user}",
         f"PATH={bindir}:/usr/bin:/bin", str(bindir / "nbgrader"), *args,
         "--course", COURSE_ID, f"--Exchange.root={exchange}"],
        cwd=entry.pw_dir, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, f"{user}: nbgrader {args[0]}: {result.stderr[-3000:]}"


COURSE_ID = "labkit-class"
ASSIGNMENT = "qemu-img-basics"


def test_nbgrader_exchange_with_several_unix_users(
        classroom: tuple[Path, dict[str, int]]) -> None:
    """release -> fetch -> submit (each student as their own Unix user) -> collect ->
    autograde: the hidden test cell grades each student's own lab; only alice solved hers."""
    from nbgrader.api import Gradebook

    roster, _ports = classroom
    data = Classroom(roster).allocation()
    assert data is not None
    base = Path(tempfile.mkdtemp(prefix="labkit-course-"))
    try:
        base.chmod(0o755)
        exchange = base / "exchange"
        exchange.mkdir()
        exchange.chmod(0o1777)
        course = base / "course"
        (course / "source" / ASSIGNMENT).mkdir(parents=True)
        (course / "nbgrader_config.py").write_text(
            "c = get_config()\n"
            f"c.CourseDirectory.root = {str(course)!r}\n"
            f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
            f"c.Exchange.root = {str(exchange)!r}\n"
            "c.Execute.timeout = 120\n")
        with (course / "labkit-roster.csv").open("w", newline="") as handle:
            out = csv.writer(handle)
            out.writerow(["student_id", "host", "param:workdir"])
            for sid, entry in data["students"].items():
                out.writerow([sid, entry["hosts"]["host"], str(base / "work" / sid)])
        solve = subprocess.run(
            [sys.executable, "-m", "labkit.cli", "solve", ASSIGNMENT, "--roster",
             str(course / "labkit-roster.csv"), "--student", "lkalice"],
            capture_output=True, text=True, timeout=300, check=False)
        assert solve.returncode == 0, solve.stderr[-2000:]
        root = Path(__file__).resolve().parents[2]
        shutil.copy(root / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                    course / "source" / ASSIGNMENT)
        _teacher_nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
        _teacher_nbgrader(course, "release_assignment", ASSIGNMENT, "--force")
        for sid in STUDENTS:  # (a copy fetched by an earlier run would stop nbgrader)
            shutil.rmtree(Path(pwd.getpwnam(sid).pw_dir) / ASSIGNMENT, ignore_errors=True)
            _student_nbgrader(sid, exchange, "fetch_assignment", ASSIGNMENT)
            _student_nbgrader(sid, exchange, "submit", ASSIGNMENT)
        _teacher_nbgrader(course, "collect", ASSIGNMENT)
        assert sorted(p.name for p in (course / "submitted").iterdir()) == sorted(STUDENTS)
        _teacher_nbgrader(course, "autograde", ASSIGNMENT, "--force")
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as book:
            scores = {sid: book.find_submission(ASSIGNMENT, sid).score for sid in STUDENTS}
            top = book.find_assignment(ASSIGNMENT).max_score
        assert scores["lkalice"] == top, scores
        assert scores["lkbob"] < top, scores
    finally:
        shutil.rmtree(base, ignore_errors=True)
