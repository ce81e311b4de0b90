"""Benchmark: grading a whole class — 100 real lab hosts — with labkit, testinfra and Ansible.

Not a test (it needs root, network namespaces and minutes). It builds, on this machine:

- one "hub" network namespace with a bridge, and one namespace per lab host, each joined to
  the bridge by a veth pair; addresses come from 10.250.0.0/16, which exists only inside
  these namespaces (nothing is routed to or from the machine's own network);
- in each host namespace a real OpenSSH server (its own host key), whose /root is a private
  bind mount of the host's own folder (so every host has its own /root/lab, and no login
  script of this machine's root runs);
- the exercise's real state on each host, made by its solution script over SSH, then, for
  one host in four, one of its fault scripts (in turn).

Then, from inside the hub namespace, it grades every host for qemu-img-basics with three
tools on equal terms:

- the same concurrency N for each (``--concurrency``, default 8): labkit's ``--workers N``,
  pytest-xdist's ``-n N`` for testinfra, Ansible's ``-f N``;
- each timed as a whole process, from start to exit, as a teacher waits for it (Python's
  start-up, reading the roster or inventory, connecting, grading, writing results):

  1. labkit: ``labkit grade qemu-img-basics --roster class.csv --workers N --out DIR`` (one SSH
     connection and one round trip per host; writes every report);
  2. pytest-testinfra: benchmarks/testinfra_qemu_img.py (the same checks, one remote command
     per check, paramiko backend) over all hosts, ``pytest -n N``;
  3. Ansible: one ad-hoc ``shell`` command (``ansible all -m shell -f N``) running the same
     checks as a shell script on every host (a single task: Ansible's best case);

- repeated ``--repeat`` times, interleaved (each round runs the three in a rotated order, so
  a slow moment of the machine does not fall on one tool only).

It reports, per tool, the median time and its range, and the median of the per-round ratios
to labkit's time with their range. The number of checks passed is printed for each, as a
cross-check that they judged the same thing. The roster gives every student the exercise's
default values (``param:`` columns), so all tools check the same file names and sizes.
Everything the benchmark makes (namespaces, sshd and other processes inside them, temporary
folders) is removed at the end, also after an error or Ctrl-C (try/finally, atexit and
SIGTERM).

Run (as root)::

    .venv/bin/python benchmarks/bench_class.py               # 100 hosts, N=8, 5 rounds
    .venv/bin/python benchmarks/bench_class.py --hosts 50 --concurrency 8 --repeat 3
    .venv/bin/python benchmarks/bench_class.py --hosts 10 --skip ansible
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
EXERCISE = "qemu-img-basics"
WORKDIR = "/root/lab/qemu-img"
NET = "10.250"
MiB = 1 << 20
TOOLS = ("labkit", "testinfra", "ansible")

#: The exercise's checks as one shell script, for Ansible (prints "ID PASS|FAIL" per check).
ANSIBLE_SCRIPT = r"""
W=/root/lab/qemu-img
c() { if eval "$2" >/dev/null 2>&1; then echo "$1 PASS"; else echo "$1 FAIL"; fi; }
magic() { od -An -tx1 -N8 -- "$1" 2>/dev/null | tr -d ' \n'; }
size() { qemu-img info -U --output=json -f "$2" -- "$1" | grep -q "\"virtual-size\": $3,"; }
notraw() { case "$(magic "$1")" in 514649fb*|4b444d56*|3c3c3c20*|636f6e6563746978*) return 0;;
  esac; return 1; }
c disk-exists "test -f $W/systemdisk.qcow2"
c disk-qcow2 "case \$(magic $W/systemdisk.qcow2) in 514649fb*) true;; *) false;; esac"
c disk-grown "size $W/systemdisk.qcow2 qcow2 125829120"
c raw-exists "test -f $W/systemrawdisk.raw"
c raw-format "test -f $W/systemrawdisk.raw && ! notraw $W/systemrawdisk.raw"
c raw-size "size $W/systemrawdisk.raw raw 104857600"
c small-exists "test -f $W/smalldisk.qcow2"
c small-shrunk "size $W/smalldisk.qcow2 qcow2 83886080"
"""


def run(*argv: str, check: bool = True, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, check=check, capture_output=True, text=True, timeout=120,
                          **kwargs)


def address(i: int) -> str:
    return f"{NET}.{1 + i // 250}.{2 + i % 250}"


# -- the lab ---------------------------------------------------------------------------------
class Lab:
    """The namespaces, sshd servers and folders of the benchmark; ``close()`` removes all."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.tag = f"lkb{os.getpid()}"
        self.hub = f"{self.tag}-hub"
        self.dir = Path(tempfile.mkdtemp(prefix="labkit-bench-class-"))
        self.namespaces: list[str] = []
        self.procs: list[subprocess.Popen[bytes]] = []
        self.closed = False

    def ns(self, i: int) -> str:
        return f"{self.tag}-{i}"

    def build(self) -> None:
        if os.geteuid() != 0:
            raise SystemExit("bench_class.py needs root (network namespaces, bind mounts)")
        self._add_ns(self.hub)
        run("ip", "-n", self.hub, "link", "set", "lo", "up")
        run("ip", "-n", self.hub, "link", "add", "br0", "type", "bridge")
        run("ip", "-n", self.hub, "addr", "add", f"{NET}.0.1/16", "dev", "br0")
        run("ip", "-n", self.hub, "link", "set", "br0", "up")
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                        str(self.dir / "client_key")], check=True)
        known = []
        for i in range(self.count):
            ns = self.ns(i)
            self._add_ns(ns)
            run("ip", "-n", ns, "link", "set", "lo", "up")
            run("ip", "-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name",
                f"v{i}", "netns", self.hub)
            run("ip", "-n", ns, "addr", "add", f"{address(i)}/16", "dev", "eth0")
            run("ip", "-n", ns, "link", "set", "eth0", "up")
            run("ip", "-n", self.hub, "link", "set", f"v{i}", "master", "br0", "up")
            known.append(f"{address(i)} {self._sshd(i)}")
        (self.dir / "known_hosts").write_text("\n".join(known) + "\n")
        self._wait_listening()

    def _add_ns(self, name: str) -> None:
        run("ip", "netns", "add", name)
        self.namespaces.append(name)

    def _sshd(self, i: int) -> str:
        """Start host i's sshd; returns its public host key line (type and key)."""
        d = self.dir / f"h{i:03d}"
        (d / "home").mkdir(parents=True)
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                        str(d / "host_key")], check=True)
        shutil.copy(self.dir / "client_key.pub", d / "authorized_keys")
        (d / "sshd_config").write_text(
            f"ListenAddress {address(i)}\nPort 22\nHostKey {d / 'host_key'}\n"
            f"AuthorizedKeysFile {d / 'authorized_keys'}\nPidFile {d / 'sshd.pid'}\n"
            "PermitRootLogin prohibit-password\nPasswordAuthentication no\n"
            "KbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\nUseDNS no\n"
            "MaxSessions 100\nMaxStartups 200:30:400\nLogLevel ERROR\n")
        os.makedirs("/run/sshd", exist_ok=True)
        inner = (f"mount --bind {d / 'home'} /root && "
                 f"exec /usr/sbin/sshd -D -e -f {d / 'sshd_config'}")
        self.procs.append(subprocess.Popen(
            ["ip", "netns", "exec", self.ns(i), "unshare", "-m", "--propagation", "private",
             "sh", "-c", inner], stdout=subprocess.DEVNULL,
            stderr=open(d / "sshd.log", "wb")))  # noqa: SIM115
        return " ".join((d / "host_key.pub").read_text().split()[:2])

    def _wait_listening(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        for i in range(self.count):
            while True:
                probe = run("ip", "netns", "exec", self.ns(i), "ss", "-Hltn",
                            "sport = :22", check=False)
                if address(i) in probe.stdout:
                    break
                if self.procs[i].poll() is not None or time.monotonic() > deadline:
                    log = (self.dir / f"h{i:03d}" / "sshd.log").read_text(errors="replace")
                    raise RuntimeError(f"sshd of host {i} did not start: {log.strip()}")
                time.sleep(0.05)

    def urls(self) -> list[str]:
        key, known = self.dir / "client_key", self.dir / "known_hosts"
        return [f"ssh://root@{address(i)}:22?key={key}&known_hosts={known}"
                for i in range(self.count)]

    def close(self) -> None:
        """Stop every process started here or inside our namespaces, delete them, the files."""
        if self.closed:
            return
        self.closed = True
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        for ns in reversed(self.namespaces):
            pids = run("ip", "netns", "pids", ns, check=False).stdout.split()
            for pid in pids:  # sessions, ssh control masters: all ours, all inside ns
                with contextlib.suppress(ProcessLookupError, ValueError):
                    os.kill(int(pid), signal.SIGKILL)
            run("ip", "netns", "del", ns, check=False)
        shutil.rmtree(self.dir, ignore_errors=True)


# -- the hub side: runs inside the hub namespace ----------------------------------------------
def hub_main(state_path: str) -> int:
    state = json.loads(Path(state_path).read_text())
    work = Path(state["dir"])
    urls: list[str] = state["urls"]
    tools = [t for t in TOOLS if t not in set(state["skip"])]
    n, repeat = state["concurrency"], state["repeat"]
    out: dict[str, Any] = {"setup": prepare(urls), "rounds": []}
    load_before = os.getloadavg()[0]
    roster = work / "roster.csv"
    from labkit import exercises

    defaults = {k: str(v) for k, v in exercises.load(EXERCISE).params.items()}
    roster.write_text("student_id,name,host," + ",".join(f"param:{k}" for k in defaults)
                      + "\n" + "".join(f"alumno{i:03d},Alumno {i},{u},"
                                       + ",".join(defaults.values()) + "\n"
                                       for i, u in enumerate(urls)))
    timers = {"labkit": lambda r: time_labkit_cli(roster, work / f"labkit-out-{r}", n),
              "testinfra": lambda r: time_testinfra(urls, work, n),
              "ansible": lambda r: time_ansible(urls, work, n)}
    for r in range(repeat):
        order = tools[r % len(tools):] + tools[:r % len(tools)]  # interleaved, rotated
        out["rounds"].append({tool: timers[tool](r) for tool in order})
        print(f"round {r + 1}/{repeat}: " + ", ".join(
            f"{t} {out['rounds'][-1][t]['seconds']:.1f} s" for t in order),
            file=sys.stderr, flush=True)
    out["load"] = [load_before, os.getloadavg()[0]]
    print(json.dumps(out))
    return 0


def prepare(urls: list[str]) -> dict[str, Any]:
    """The solution on every host; one host in four then gets a fault (in turn)."""
    from labkit import exercises
    from labkit.host import Host

    spec = exercises.load(EXERCISE)
    faults = exercises.faults(EXERCISE)

    def one(i: int) -> None:
        with Host(urls[i]) as host:
            result = exercises.run_script(host, exercises.solution(EXERCISE), spec)
            if not result.ok:
                raise RuntimeError(f"solution failed on host {i}: {result.tail()}")
            if i % 4 == 3:
                fault = faults[(i // 4) % len(faults)]
                result = exercises.run_script(host, fault.path, spec)
                if not result.ok:
                    raise RuntimeError(f"fault {fault.name} failed on host {i}: "
                                       f"{result.tail()}")

    started = time.monotonic()
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(one, range(len(urls))))
    return {"seconds": time.monotonic() - started}


def time_labkit_cli(roster: Path, out: Path, workers: int) -> dict[str, Any]:
    """The whole ``labkit grade --roster`` command, as a teacher runs it."""
    argv = [PYTHON, "-m", "labkit.cli", "grade", EXERCISE, "--roster", str(roster),
            "--workers", str(workers), "--out", str(out), "--json", "--lang", "en"]
    started = time.monotonic()
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=600, cwd=ROOT)
    seconds = time.monotonic() - started
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"labkit CLI failed ({proc.returncode}): {proc.stderr[-2000:]}")
    data = json.loads(proc.stdout)
    reports = list((out / "reports").glob("*.json"))
    passed = sum(1 for p in reports for c in json.loads(p.read_text())["checks"]
                 if c["status"] == "passed")
    return {"seconds": seconds, "passed": passed, "hosts": len(data["students"]),
            "errors": sum(1 for s in data["students"] if s["error"])}


def time_testinfra(urls: list[str], work: Path, xdist: int) -> dict[str, Any]:
    """The whole ``pytest`` process over every host, ``-n xdist``."""
    key = work / "client_key"
    config = work / "ssh_config"
    config.write_text("Host *\n  StrictHostKeyChecking no\n")
    hosts = ",".join(f"paramiko://root@{re.search(r'@([^:]+):', u).group(1)}"  # type: ignore[union-attr]
                     f"?ssh_identity_file={key}&ssh_config={config}" for u in urls)
    junit = work / "testinfra.xml"
    # Only the plugins a testinfra user needs (not every pytest plugin of this venv: nbval,
    # hypothesis… would slow its start-up, and a teacher's testinfra set-up would not have them).
    argv = [PYTHON, "-m", "pytest", "-p", "no:cacheprovider", "-p", "xdist.plugin", "-p",
            "testinfra.plugin", "-q", "-n", str(xdist),
            "-k", "basics", f"--hosts={hosts}", f"--junitxml={junit}", "--durations=5",
            "--rootdir", str(work), "-o", "addopts=",
            str(ROOT / "benchmarks" / "testinfra_qemu_img.py")]
    env = {**os.environ, "LABKIT_BENCH_BASICS": WORKDIR, "HOME": str(work),
           "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    started = time.monotonic()
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=1800, env=env,
                          cwd=work)
    seconds = time.monotonic() - started
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"testinfra run failed ({proc.returncode}): {proc.stdout[-3000:]}")
    if os.environ.get("LABKIT_BENCH_DEBUG"):
        print(proc.stdout[-3000:], file=sys.stderr)
    import xml.etree.ElementTree as ET

    cases = ET.parse(junit).getroot().iter("testcase")
    total = failed = 0
    for case in cases:
        total += 1
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
    return {"seconds": seconds, "passed": total - failed, "tests": total}


def time_ansible(urls: list[str], work: Path, forks: int) -> dict[str, Any]:
    """The whole ``ansible`` process over every host, ``-f forks``."""
    ansible = Path(PYTHON).with_name("ansible")
    if not ansible.exists():
        raise RuntimeError("ansible-core is not installed (.venv/bin/pip install ansible-core)")
    inventory = work / "inventory.ini"
    lines = ["[lab]"]
    for i, u in enumerate(urls):
        host = re.search(r"@([^:]+):", u).group(1)  # type: ignore[union-attr]
        lines.append(f"alumno{i:03d} ansible_host={host}")
    lines += ["[lab:vars]", "ansible_user=root",
              f"ansible_ssh_private_key_file={work / 'client_key'}",
              "ansible_python_interpreter=/usr/bin/python3",
              f"ansible_ssh_common_args='-o UserKnownHostsFile={work / 'known_hosts'}'"]
    inventory.write_text("\n".join(lines) + "\n")
    env = {**os.environ, "HOME": str(work), "ANSIBLE_HOME": str(work / "ansible"),
           "ANSIBLE_LOCAL_TEMP": str(work / "ansible" / "tmp"), "LC_ALL": "C.UTF-8",
           "ANSIBLE_SSH_CONTROL_PATH_DIR": str(work / "ansible" / "cp"),
           "ANSIBLE_HOST_KEY_CHECKING": "True", "ANSIBLE_NOCOLOR": "1"}
    argv = [str(ansible), "all", "-i", str(inventory), "-f", str(forks), "-o", "-m", "shell",
            "-a", ANSIBLE_SCRIPT]
    started = time.monotonic()
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=1800, env=env,
                          cwd=work)
    seconds = time.monotonic() - started
    # -o: one line per host, "NAME | CHANGED | rc=0 | (stdout) disk-exists PASS\ndisk-…"
    lines = [ln for ln in proc.stdout.splitlines() if " | " in ln]
    if len(lines) != len(urls):
        raise RuntimeError(f"ansible failed ({proc.returncode}): {proc.stdout[-2000:]} "
                           f"{proc.stderr[-2000:]}")
    passed = sum(ln.count(" PASS") for ln in lines)
    errors = sum(1 for ln in lines if "| CHANGED |" not in ln)
    return {"seconds": seconds, "passed": passed, "hosts": len(lines), "errors": errors}


# -- the driver ------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=100, help="lab hosts (default 100)")
    parser.add_argument("--concurrency", type=int, default=8,
                        help="hosts graded at once by every tool: labkit --workers, pytest "
                             "-n, ansible -f (default 8)")
    parser.add_argument("--repeat", type=int, default=5,
                        help="rounds, each running every tool once, in rotated order "
                             "(default 5)")
    parser.add_argument("--skip", default="", help="comma-separated: testinfra,ansible")
    parser.add_argument("--phase", default="driver", help=argparse.SUPPRESS)
    parser.add_argument("--state", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase == "hub":
        return hub_main(args.state)

    lab = Lab(args.hosts)
    atexit.register(lab.close)
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    hub_proc: subprocess.Popen[str] | None = None
    try:
        started = time.monotonic()
        lab.build()
        print(f"{args.hosts} lab hosts (sshd in network namespaces) up in "
              f"{time.monotonic() - started:.1f} s", flush=True)
        state = lab.dir / "state.json"
        state.write_text(json.dumps({
            "dir": str(lab.dir), "urls": lab.urls(), "concurrency": args.concurrency,
            "repeat": args.repeat, "skip": [s for s in args.skip.split(",") if s]}))
        hub_proc = subprocess.Popen(
            ["ip", "netns", "exec", lab.hub, PYTHON, str(Path(__file__).resolve()),
             "--phase", "hub", "--state", str(state)],
            stdout=subprocess.PIPE, text=True, cwd=ROOT,
            env={**os.environ, "LABKIT_HOME": str(lab.dir / "labkit-home"),
                 "PYTHONPATH": str(ROOT)})
        out, _ = hub_proc.communicate(timeout=3600)
        if hub_proc.returncode != 0:
            print(f"the grading side failed (exit {hub_proc.returncode})", file=sys.stderr)
            return 1
        report(json.loads(out.strip().splitlines()[-1]), args)
        return 0
    finally:
        if hub_proc is not None and hub_proc.poll() is None:
            hub_proc.kill()
            hub_proc.wait()
        lab.close()
        signal.signal(signal.SIGTERM, previous)


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def report(results: dict[str, Any], args: argparse.Namespace) -> None:
    rounds: list[dict[str, Any]] = results["rounds"]
    print(f"lab state made on every host (solution, faults) in "
          f"{results['setup']['seconds']:.1f} s")
    print(f"\nqemu-img-basics, {args.hosts} hosts, 8 checks each, concurrency "
          f"{args.concurrency} for every tool, {len(rounds)} interleaved rounds, "
          f"{os.cpu_count()} cores; each time is the whole process:")
    print(f"{'tool':<36}{'median s':>9}{'range s':>15}{'x labkit (median, range)':>28}"
          f"{'checks passed':>15}")
    names = {"labkit": "labkit grade --roster", "testinfra": "pytest-testinfra (paramiko)",
             "ansible": "ansible ad-hoc shell"}
    for tool in TOOLS:
        times = [r[tool]["seconds"] for r in rounds if tool in r]
        if not times:
            continue
        ratios = [r[tool]["seconds"] / r["labkit"]["seconds"] for r in rounds
                  if tool in r and "labkit" in r]
        ratio = (f"{_median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})"
                 if ratios else "-")
        passed = sorted({r[tool]["passed"] for r in rounds if tool in r})
        print(f"{names[tool]:<36}{_median(times):>9.2f}"
              f"{f'{min(times):.2f}-{max(times):.2f}':>15}{ratio:>28}"
              f"{'/'.join(map(str, passed)):>15}")
    passed_all = {r[t]["passed"] for r in rounds for t in TOOLS if t in r}
    if len(passed_all) > 1:
        print("warning: the tools disagree on the number of checks passed", file=sys.stderr)
    load = results.get("load")
    if load:
        print(f"load average (1 min) before/after: {load[0]:.1f} / {load[1]:.1f} "
              "(anything above the core count means other work shared the machine)")


if __name__ == "__main__":
    raise SystemExit(main())
