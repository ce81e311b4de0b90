"""Hosts and inputs that misbehave. Each gives a clear verdict or message, in bounded time,
never a traceback; the CLI exits 2 with one line on stderr starting ``labkit:``.

A "rogue" sshd (its ForceCommand runs a script the test writes) stands in for a lab host that
hangs, prints garbage or floods its output.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from labkit import exercises
from labkit.errors import AuthError, CommandTimeout, ConnectError
from labkit.grading import Report, grade
from labkit.host import MAX_PROBE_OUTPUT, Host
from labkit.probes.qemu_img import QemuImgInfo, QemuImgMap
from labkit.testing.sshd import LocalSSHHost, free_port
from labkit.transports import CommandResult, Transport, open_transport
from tests.helpers import LABKIT, assert_clean_failure, labkit_cli, labkit_main, validate_report

BASICS = "qemu-img-basics"
SNAPSHOTS = "qemu-img-snapshots"
#: Seconds allowed on top of a time limit. The suite may share a busy machine: the bounds are
#: there to catch a limit that is not honoured (a wait of minutes), not mere slowness.
SLACK = 8.0
#: The same for a run of the ``labkit`` command (a Python start-up on a busy machine).
CLI_SLACK = 20.0


def _grade(url: str | Host, name: str, workdir: Path | str, lang: str = "en",
           **host_options: Any) -> Report:
    """Grade ``name`` on a host (a URL: connected and closed here)."""
    spec = exercises.load(name)
    host = url if isinstance(url, Host) else Host(url, **host_options)
    try:
        return grade(spec, {"host": host}, lang=lang, params={"workdir": str(workdir)})
    finally:
        if host is not url:
            host.close()


def _solve(url: str, name: str, workdir: Path | str) -> None:
    with Host(url) as host:
        result = exercises.run_script(host, exercises.solution(name), exercises.load(name),
                                      {"workdir": str(workdir)})
    assert result.ok, result.tail()


def _assert_host_error(report: Report, *words: str) -> str:
    """The whole report is ``error``: one clear, short, printable line naming the host."""
    assert report.error, report.to_json()
    assert {c.status for c in report.checks} == {"error"}
    assert report.score == 0
    error = report.error
    assert "\n" not in error and len(error) < 400, error[:500]
    assert error.isprintable(), error
    assert "Traceback" not in error
    for word in words:
        assert word.lower() in error.lower(), (word, error)
    validate_report(report.to_dict())
    return error


# -- a rogue lab host ----------------------------------------------------------------------
class Rogue:
    """An sshd whose every command is replaced by ``behave.sh`` (the test writes it)."""

    def __init__(self, extra_config: str = "") -> None:
        self.sshd = LocalSSHHost()
        self.script = self.sshd.dir / "behave.sh"
        self.sshd.extra_config = f"{extra_config}ForceCommand /bin/sh {self.script}\n"
        self.behave('exec /bin/sh -c "$SSH_ORIGINAL_COMMAND"')

    def behave(self, script: str) -> None:
        self.script.write_text(script + "\n")

    def url(self, timeout: float = 5) -> str:
        return f"{self.sshd.url}&timeout={timeout:g}"


@pytest.fixture(scope="module")
def rogue_host(lab_host: LocalSSHHost) -> Iterator[Rogue]:
    # The same sshd settings as the lab host (and no sshd: skipped with it).
    rogue = Rogue(lab_host.extra_config)
    try:
        rogue.sshd.start()
        yield rogue
    finally:
        rogue.sshd.stop()


# -- unreachable, wrong key, not SSH ---------------------------------------------------------
def test_unreachable_host_is_a_quick_connect_error(workdir: Path) -> None:
    url = f"ssh://root@127.0.0.1:{free_port()}?timeout=3"  # nothing listens there
    started = time.monotonic()
    with pytest.raises(ConnectError) as caught, Host(url) as host:
        host.run("true")
    assert not isinstance(caught.value, AuthError)
    assert "127.0.0.1" in str(caught.value)
    report = _grade(url, BASICS, workdir)
    _assert_host_error(report, "127.0.0.1", "cannot connect")
    assert time.monotonic() - started < 3 + SLACK

    for args in (["grade", BASICS, "--json"], ["solve", BASICS]):
        result = labkit_cli(*args, "--host", url, "--param", f"workdir={workdir}")
        assert_clean_failure(result, "cannot connect")
        assert result.seconds < 3 + CLI_SLACK
    assert not any(workdir.iterdir())


@pytest.mark.sshd
def test_wrong_key_is_an_auth_error(lab_host: LocalSSHHost, tmp_path: Path,
                                    workdir: Path) -> None:
    stranger = tmp_path / "stranger_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(stranger)],
                   check=True, timeout=30)
    url = (f"ssh://root@127.0.0.1:{lab_host.port}?key={stranger}"
           f"&known_hosts={lab_host.known_hosts}&timeout=5")
    with pytest.raises(AuthError, match="refused"), Host(url) as host:
        host.run("true")
    _assert_host_error(_grade(url, BASICS, workdir), "refused")
    assert_clean_failure(labkit_cli("grade", BASICS, "--host", url), "key was refused")

    missing = url.replace(str(stranger), str(tmp_path / "no-such-key"))
    assert_clean_failure(labkit_cli("grade", BASICS, "--host", missing), "key file not found")


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP server on 127.0.0.1 that accepts connections and never says a word."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    held: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield int(server.getsockname()[1])
    finally:
        stop.set()
        thread.join(5)
        server.close()
        for conn in held:
            conn.close()


def test_host_that_never_speaks_ssh(silent_server: int, workdir: Path) -> None:
    url = f"ssh://root@127.0.0.1:{silent_server}?timeout=1"
    started = time.monotonic()
    with pytest.raises(ConnectError, match="no SSH answer within 1 s"), Host(url) as host:
        host.run("true")
    assert time.monotonic() - started < 1 + SLACK
    _assert_host_error(_grade(url, BASICS, workdir), "no SSH answer")
    result = labkit_cli("grade", BASICS, "--host", url, "--json")
    assert_clean_failure(result, "no SSH answer")
    assert result.seconds < 1 + CLI_SLACK


# -- hanging commands -------------------------------------------------------------------------
@pytest.mark.sshd
def test_host_whose_commands_hang(rogue_host: Rogue, workdir: Path) -> None:
    rogue_host.behave("exec sleep 12")  # ends by itself: nothing is left behind for long
    url = rogue_host.url(timeout=2)
    started = time.monotonic()
    with pytest.raises(CommandTimeout), Host(url, timeout=1) as host:
        host.run("true", timeout=1)
    assert time.monotonic() - started < 1 + SLACK

    started = time.monotonic()
    report = _grade(url, BASICS, workdir, timeout=1)
    _assert_host_error(report, "did not answer within")
    assert "python3" not in report.error, "the message shows labkit's internals"
    assert time.monotonic() - started < 4 + SLACK  # Host(timeout=1): 4 s for a collection


@pytest.mark.sshd
def test_probe_that_hangs_on_a_fifo(lab_host: LocalSSHHost, workdir: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The new base is a FIFO: qemu-img blocks opening the snapshot's chain. The collector's
    per-probe time limit ends it; only the checks that need it are ``error``."""
    monkeypatch.setattr(QemuImgInfo, "timeout", 1.0)
    monkeypatch.setattr(QemuImgMap, "timeout", 1.0)
    _solve(lab_host.url, SNAPSHOTS, workdir)
    fifo = workdir / "neworixe.qcow2"
    fifo.unlink()
    os.mkfifo(fifo)
    started = time.monotonic()
    report = _grade(lab_host.url, SNAPSHOTS, workdir)
    assert time.monotonic() - started < 2 + SLACK  # two probes wait for the FIFO
    assert report.error is None
    status = {c.id: c for c in report.checks}
    assert status["snap-emptied"].status == "error"
    assert "timed out after 1 s" in status["snap-emptied"].message
    assert status["new-base-exists"].status == "failed"
    assert status["snap-rebased"].status == "blocked"
    for check_id in ("base-exists", "base-committed", "disk-exists", "disk-independent",
                     "disk-has-data"):
        assert status[check_id].status == "passed", status[check_id]
    # The timed-out qemu-img processes were killed, not left blocked on the FIFO.
    deadline = time.monotonic() + 5
    while _qemu_img_running_in(workdir) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _qemu_img_running_in(workdir)


def _qemu_img_running_in(folder: Path) -> list[str]:
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except (OSError, UnicodeDecodeError):
                continue
            if "qemu-img" in cmdline and str(folder) in cmdline:
                found.append(cmdline)
    return found


# -- garbage and floods ----------------------------------------------------------------------
GARBAGE = {
    "random-bytes": "head -c 3000 /dev/urandom",
    "text": "echo 'Welcome to the lab host!'; echo 'Have a nice day.'",
    "json-of-another-shape": "echo '{\"results\": [1, 2, 3]}'",
    "json-nested-too-deep": "python3 -c \"print('[' * 200000)\"",
    "no-output": "exit 0",
    "escape-sequences": "printf '\\033[2J\\033]0;pwned\\007\\rcleared\\n'",
}


@pytest.mark.sshd
@pytest.mark.parametrize("behaviour", sorted(GARBAGE))
def test_garbage_output(rogue_host: Rogue, behaviour: str, workdir: Path) -> None:
    rogue_host.behave(GARBAGE[behaviour])
    started = time.monotonic()
    report = _grade(rogue_host.url(), BASICS, workdir)
    error = _assert_host_error(report, "not understood")
    assert "\x1b" not in error and "\r" not in error and "\x00" not in error
    assert time.monotonic() - started < SLACK
    if behaviour == "text":
        assert "Welcome to the lab host!" in error  # what the host said helps the teacher
    if behaviour == "random-bytes":
        result = labkit_cli("grade", BASICS, "--host", rogue_host.url(), "--json")
        assert_clean_failure(result, "not understood")
        validate_report(json.loads(result.stdout))


@pytest.mark.sshd
def test_chatty_shell_start_up_files(rogue_host: Rogue, workdir: Path) -> None:
    """A ~/.bashrc that greets on stdout (and a logout file that waves) does not stop
    grading: the collector's document is found among the chatter."""
    rogue_host.behave("echo 'Welcome to the lab host!'; echo '{not json'; "
                      '/bin/sh -c "$SSH_ORIGINAL_COMMAND"; code=$?; echo Bye; exit $code')
    url = rogue_host.url()
    _solve(url, BASICS, workdir)
    report = _grade(url, BASICS, workdir)
    assert report.complete, report.to_json()


@pytest.mark.sshd
def test_host_that_floods_its_output(rogue_host: Rogue, workdir: Path) -> None:
    """50 MB where a JSON document was expected: bounded time, a clear error; 200 MiB: bounded
    memory."""
    rogue_host.behave("yes 'this is not JSON' | head -c 52428800")
    started = time.monotonic()
    _assert_host_error(_grade(rogue_host.url(), BASICS, workdir), "not understood",
                       "this is not JSON")
    assert time.monotonic() - started < 10 + 2 * SLACK
    # 200 MiB of output: the CLI keeps at most 16 MiB of it (about 150 MiB at its peak on a
    # quiet machine, up to ~260 MiB when a busy machine delays its reads); an output kept
    # whole would pass 600 MiB
    rogue_host.behave("head -c 209715200 /dev/zero")
    code, rss = _cli_peak_memory(["grade", BASICS, "--host", rogue_host.url(), "--json"])
    assert code == 2
    assert rss < 360 * 1024, f"the CLI peaked at {rss // 1024} MiB for 200 MiB of output"


def _cli_peak_memory(args: list[str]) -> tuple[int, int]:
    """Exit code and peak resident memory (KiB) of one ``labkit`` run, measured by wait4."""
    command = [str(LABKIT)] if LABKIT.exists() else ["labkit"]
    proc = subprocess.Popen([*command, *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    lines = err.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("labkit: "), err[:500]
    assert b"Traceback" not in err
    return proc.returncode, usage.ru_maxrss


@pytest.mark.sshd
def test_probe_output_over_the_limit(lab_host: LocalSSHHost, workdir: Path) -> None:
    """A base disk so fragmented that ``qemu-img map`` prints more than the per-probe limit:
    that check is ``error`` with a clear reason; the others are judged as usual."""
    _solve(lab_host.url, SNAPSHOTS, workdir)
    raw = workdir / "fragmented.raw"
    with raw.open("wb") as f:  # 512 B of data, 512 B of zeros, ... (qcow2 clusters of 512 B)
        for _ in range(9000):
            f.write(b"\x5a" * 512 + bytes(512))
    base = workdir / "base.qcow2"
    base.unlink()
    subprocess.run(["qemu-img", "convert", "-f", "raw", "-O", "qcow2", "-o", "cluster_size=512",
                    "-S", "512", str(raw), str(base)], check=True, timeout=60)
    raw.unlink()
    mapped = subprocess.run(["qemu-img", "map", "-U", "--output=json", "-f", "qcow2", str(base)],
                            capture_output=True, check=True, timeout=60).stdout
    assert len(mapped) > MAX_PROBE_OUTPUT

    started = time.monotonic()
    report = _grade(lab_host.url, SNAPSHOTS, workdir)
    assert time.monotonic() - started < 2 * SLACK
    assert report.error is None
    status = {c.id: c for c in report.checks}
    assert status["base-committed"].status == "error"
    assert "too large" in status["base-committed"].message
    assert len(status["base-committed"].message) < 300
    assert status["base-exists"].status == "passed"
    assert status["disk-has-data"].status == "passed"


# -- strange file names ----------------------------------------------------------------------
@pytest.mark.parametrize(("transport", "name"), [
    pytest.param("ssh", BASICS, marks=pytest.mark.sshd),
    pytest.param("ssh", SNAPSHOTS, marks=pytest.mark.sshd),
    ("local", SNAPSHOTS),
])
def test_workdir_with_shell_metacharacters(transport: str, name: str, tmp_path: Path,
                                           request: pytest.FixtureRequest) -> None:
    host_url = request.getfixturevalue("lab_host").url if transport == "ssh" else "local://"
    canary = tmp_path / "canary"
    weird = (f"lab dir 'single' \"double\" $(touch {canary}1) `touch {canary}2`; "
             f"touch {canary}3 & | > < * ? ~ $HOME \\ #{{workdir}}")
    workdir = tmp_path / weird
    where = ["--host", host_url, "--param", f"workdir={workdir}"]
    solved = labkit_cli("solve", name, *where)
    assert solved.code == 0, solved.stderr
    graded = labkit_cli("--lang", "en", "grade", name, *where, "--json")
    assert graded.code == 0, graded.stdout + graded.stderr
    data = json.loads(graded.stdout)
    validate_report(data)
    assert data["score"] == data["max_score"]
    assert str(workdir) in data["checks"][0]["message"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lab dir 'single' \"double\" $(touch "]
    assert not list(tmp_path.glob("canary*")), "a command was injected"
    assert workdir.is_dir() and any(workdir.iterdir())


# -- the student deleted the exercise folder -------------------------------------------------
@pytest.mark.parametrize("name", [BASICS, SNAPSHOTS])
def test_deleted_exercise_folder(host_url: str, name: str, workdir: Path) -> None:
    shutil.rmtree(workdir)  # (solving first would change nothing: the folder is gone)
    spec = exercises.load(name)
    for lang, words in (("en", "does not exist"), ("gl", "Non existe")):
        report = _grade(host_url, name, workdir, lang=lang)
        assert report.error is None
        status = {c.id: c.status for c in report.checks}
        assert set(status.values()) <= {"failed", "blocked"}, status
        failed = [c for c in report.checks if c.status == "failed"]
        assert failed and report.score == 0
        for check in failed:
            assert words in check.message, check.message
            assert str(workdir) in check.message
        # Checks that need nothing else are the ones that fail; the rest wait for them.
        for check in spec.checks:
            assert status[check.id] == ("blocked" if check.requires else "failed")


# -- bad input on the command line ----------------------------------------------------------
BAD_URLS = {
    "no-scheme": ("foo", "not a host URL"),
    "no-host": ("ssh://", "no host name"),
    "broken-ipv6": ("ssh://root@[::1", "not a host URL"),
    "port-too-big": ("ssh://root@127.0.0.1:99999", "bad port"),
    "port-zero": ("ssh://root@127.0.0.1:0", "bad port"),
    "unknown-option": ("ssh://root@127.0.0.1:22?colour=blue", "unknown option"),
    "unknown-scheme": ("ftp://127.0.0.1", "unknown scheme"),
    "timeout-zero": ("ssh://root@127.0.0.1:22?timeout=0", "timeout must be"),
    "timeout-nan": ("ssh://root@127.0.0.1:22?timeout=nan", "timeout must be"),
    "missing-recording": ("replay:///no/such/recording.json", "not a labkit recording"),
}


@pytest.mark.parametrize("case", sorted(BAD_URLS))
def test_bad_host_url(case: str) -> None:
    url, words = BAD_URLS[case]
    # In this process (fast); the real command once, below.
    result = labkit_main("grade", BASICS, "--host", url, "--json")
    assert_clean_failure(result, words)
    assert result.stdout == ""


def test_bad_host_url_real_command() -> None:
    url, words = BAD_URLS["broken-ipv6"]
    result = labkit_cli("grade", BASICS, "--host", url, "--json")
    assert_clean_failure(result, words)
    assert result.stdout == ""


BAD_ARGS = {
    "unknown-exercise": (["grade", "no-such-exercise", "--host", "local://"],
                         ["unknown exercise", "no-such-exercise", BASICS]),
    "unknown-exercise-solve": (["solve", "no-such-exercise", "--host", "local://"],
                               ["unknown exercise"]),
    "unknown-param": (["grade", BASICS, "--host", "local://", "--param", "colour=blue"],
                      ["unknown parameter", "colour", "workdir"]),
    "param-without-value": (["grade", BASICS, "--host", "local://", "--param", "workdir"],
                            ["NAME=VALUE"]),
    "unknown-role": (["grade", BASICS, "--host", "web=local://"], ["unknown role", "web"]),
    "no-host": (["grade", BASICS], ["--host"]),
    "unknown-fault": (["fault", BASICS, "no-such-fault", "--host", "local://"],
                      ["no-such-fault", "known"]),
}


@pytest.mark.parametrize("case", sorted(BAD_ARGS))
def test_bad_arguments(case: str) -> None:
    args, words = BAD_ARGS[case]
    assert_clean_failure(labkit_main(*args), *words)


BROKEN_YAML = {
    "not-yaml": ("  - id: disk-exists\n", "  - id: [disk-exists\n", ["not valid YAML"]),
    "unknown-kind": ("kind: file.exists\n", "kind: file.teleported\n",
                     ["unknown check kind", "file.teleported"]),
    "bad-points": ("points: 1\n", "points: lots\n", ["points"]),
    "unknown-requirement": ("requires: [disk-exists]\n", "requires: [disk-exploded]\n",
                            ["disk-exploded"]),
    "bad-size": ('size: "{grown}M"', "size: huge", ["huge"]),
    "unknown-placeholder": ('"{workdir}/{disk}.qcow2"', '"{wrokdir}/{disk}.qcow2"',
                            ["wrokdir"]),
    "not-a-mapping": (None, "- just\n- a list\n", ["mapping"]),
}


@pytest.mark.parametrize("case", sorted(BROKEN_YAML))
def test_broken_grader_yaml(case: str, tmp_path: Path) -> None:
    old, new, words = BROKEN_YAML[case]
    root = tmp_path / "root"
    shutil.copytree(exercises.SHIPPED / "graders", root / "graders")
    (root / "exercises").symlink_to(exercises.SHIPPED / "exercises")
    path = root / "graders" / f"{BASICS}.yaml"
    text = path.read_text()
    if old is None:
        text = new
    else:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text)
    env = {"LABKIT_ROOT": str(root)}
    # In this process (fast); the real command for one case.
    run = labkit_cli if case == "unknown-kind" else labkit_main
    line = assert_clean_failure(run("grade", BASICS, "--host", "local://", env=env), *words)
    assert f"{path}:" in line, "the message names the file"
    assert line.split(f"{path}:")[1][:1].isdigit(), "the message names the line"
    if case == "unknown-kind":
        assert_clean_failure(labkit_main("exercises", env=env), f"{BASICS}.yaml")
        # The other exercise is not affected.
        other = labkit_main("grade", SNAPSHOTS, "--host", "local://", "--param",
                            f"workdir={tmp_path / 'none'}", "--json", env=env)
        assert other.code == 1, other.stderr


# -- grading is read-only --------------------------------------------------------------------
def _snapshot(root: Path) -> dict[str, tuple[int, int, int, str]]:
    """Every path under ``root``: mode, size, mtime (ns) and sha256 of its content."""
    out = {}
    for path in sorted([root, *root.rglob("*")]):
        st = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
        out[str(path.relative_to(root))] = (st.st_mode, st.st_size, st.st_mtime_ns, digest)
    return out


def _tmp_listing() -> set[str]:
    return set(os.listdir("/tmp"))


class _Traced(Transport):
    """Runs every command under ``strace``, logging the calls that could change files."""

    CALLS = ("open,openat,openat2,creat,truncate,mkdir,mkdirat,mknod,mknodat,unlink,unlinkat,"
             "rmdir,rename,renameat,renameat2,link,linkat,symlink,symlinkat,chmod,fchmodat,"
             "chown,fchownat,lchown,utimensat,utimes,setxattr,removexattr")

    def __init__(self, inner: Transport, log: Path) -> None:
        self.inner, self.url, self.log = inner, inner.url, log

    def run(self, command: str, *, timeout: float = 30.0,
            stdin: bytes | None = None) -> CommandResult:
        traced = (f"exec strace -f -qq -o {shlex.quote(str(self.log))} -e signal=none "
                  f"-e trace={self.CALLS} "
                  f"/bin/sh -c {shlex.quote(command)}")
        return self.inner.run(traced, timeout=timeout, stdin=stdin)


_WRITE_FLAGS = re.compile(r"\b(O_WRONLY|O_RDWR|O_CREAT|O_TRUNC)\b")
_FAILED = re.compile(r"= -1 E[A-Z]+")


def _writes_in(log: Path) -> list[str]:
    """The calls in a strace log that may have written to the file system: every traced call
    that did not fail, except opens that are read-only (and anything on /dev/null)."""
    writes = []
    for line in log.read_text(errors="replace").splitlines():
        call = line.split(" ", 1)[-1].strip()
        if '"/dev/null"' in call or _FAILED.search(call) or call.startswith(("---", "+++")):
            continue
        if call.startswith("<... open"):
            continue  # the flags were on the "<unfinished ...>" line
        if call.startswith("open") and not _WRITE_FLAGS.search(call):
            continue
        writes.append(line)
    return writes


@pytest.mark.parametrize("name", [BASICS, SNAPSHOTS])
def test_grading_is_read_only(host_url: str, name: str, workdir: Path, tmp_path: Path) -> None:
    _solve(host_url, name, workdir)
    before = _snapshot(workdir)
    # Other programs on this machine may create or remove files in /tmp meanwhile: one
    # grading during which the listing did not change shows that grading leaves nothing there.
    tmp_changes: set[str] = set()
    for _ in range(10):
        tmp_before = _tmp_listing()
        report = _grade(host_url, name, workdir)
        tmp_changes = _tmp_listing() ^ tmp_before
        assert report.complete, report.to_json()
        assert _snapshot(workdir) == before, "grading changed the exercise folder"
        if not tmp_changes:
            break
    assert not tmp_changes, f"grading changed /tmp: {sorted(tmp_changes)}"

    # Stronger, and blind to other programs: trace every call that could write a file.
    if shutil.which("strace") is None:
        return
    log = tmp_path / "strace.log"
    with Host(_Traced(open_transport(host_url), log)) as host:
        report = _grade(host, name, workdir)
    assert report.complete, report.to_json()
    assert f"{workdir}/" in log.read_text(), "strace saw no probe read the exercise files"
    assert _writes_in(log) == []
    assert _snapshot(workdir) == before
