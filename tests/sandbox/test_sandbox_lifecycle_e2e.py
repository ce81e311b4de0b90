"""End to end: lab life cycle with real VMs (down, crashes, ports, side-by-side labs, the
``network`` topology's VLAN trunk)."""

from __future__ import annotations

import os
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from labkit.errors import SandboxError
from labkit.sandbox import Lab, lab_hosts, running_lab, warm
from labkit.sandbox.image import Image

pytestmark = [pytest.mark.sandbox, pytest.mark.timeout(1800)]


def ok(lab: Lab, host: str, command: str) -> str:
    __tracebackhide__ = True
    result = lab.run(host, command, timeout=120)
    assert result.returncode == 0, f"{host}: {command}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def alive(pid: int) -> bool:
    """Whether ``pid`` still runs (a zombie counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


@pytest.fixture
def single_lab(lab_image: Image, timings: dict[str, float]) -> Iterator[Lab]:
    started = time.monotonic()
    with running_lab("single", "e2e-single") as lab:
        timings["lab up single (1 VM, to SSH-ready)"] = round(time.monotonic() - started, 1)
        yield lab


def test_down_leaves_no_process_and_no_file(lab_image: Image, timings: dict[str, float]
                                            ) -> None:
    lab = Lab("e2e-down")
    try:
        lab.up("storage")
        pids = lab.pids()
        assert set(pids) == {"server", "client", "switch"}
        assert all(alive(pid) for pid in pids.values())
        started = time.monotonic()
        lab.down()
        timings["lab down storage"] = round(time.monotonic() - started, 1)
        deadline = time.monotonic() + 10
        while any(alive(p) for p in pids.values()) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [name for name, pid in pids.items() if alive(pid)] == []
        assert not lab.dir.exists()
        with pytest.raises(SandboxError, match="not up"):
            lab_hosts("e2e-down")
        lab.down()  # again: a no-op
    finally:
        lab.down()


def test_crashed_vm_is_seen_and_restarted(single_lab: Lab) -> None:
    ok(single_lab, "host", "touch /root/lab/x")
    pid = single_lab.pids()["host"]
    os.kill(pid, signal.SIGKILL)  # a QEMU we started ourselves, by its PID
    deadline = time.monotonic() + 10
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert single_lab.status()["hosts"][0]["state"] == "stopped"
    with pytest.raises(SandboxError, match="not running"):
        single_lab.hosts()
    single_lab.up()
    assert single_lab.status()["hosts"][0]["state"] == "running"
    assert ok(single_lab, "host", "ls /root/lab").split() == ["README"]


def test_stale_pidfile_and_a_port_in_use(single_lab: Lab, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    pidfile = single_lab.host_files("host").pidfile
    pid = single_lab.pids()["host"]
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    pidfile.write_text(f"{os.getpid()}\n")  # stale: names a live process that is not QEMU
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        real_pick = warm.pick_port
        offered: list[int] = []

        def pick_busy_first(avoid: object = ()) -> int:
            port = taken if not offered else real_pick(avoid=offered)  # type: ignore[arg-type]
            offered.append(port)
            return port

        monkeypatch.setattr(warm, "pick_port", pick_busy_first)
        single_lab.up()
    assert offered[0] == taken and len(offered) >= 2
    port = single_lab.status()["hosts"][0]["ssh_port"]
    assert port != taken
    assert ok(single_lab, "host", "hostname").strip() == "host"
    assert alive(os.getpid())  # the stale pid file's process was left alone


def test_two_labs_side_by_side(lab_image: Image, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    with running_lab("single", "e2e-a") as a, running_lab("single", "e2e-b") as b:
        ok(a, "host", "touch /root/lab/only-in-a")
        assert "only-in-a" not in ok(b, "host", "ls /root/lab")
        urls = (lab_hosts("e2e-a")["host"], lab_hosts("e2e-b")["host"])
        assert urls[0] != urls[1]
        assert a.key.read_text() != b.key.read_text()
        # another user (another LABKIT_HOME) may use the same lab name at the same time
        short = Path(os.environ["LABKIT_HOME"]).parent / "h2"
        monkeypatch.setenv("LABKIT_HOME", str(short))
        with running_lab("single", "e2e-a") as other:
            assert other.dir != a.dir
            assert "only-in-a" not in ok(other, "host", "ls /root/lab")
            assert ok(a, "host", "ls /root/lab").split() == ["README", "only-in-a"]
        assert not other.dir.exists()


def test_network_topology_vlan_trunk(lab_image: Image, timings: dict[str, float]) -> None:
    started = time.monotonic()
    with running_lab("network", "e2e-net") as lab:
        timings["lab up network (3 VMs, to SSH-ready)"] = round(time.monotonic() - started, 1)
        assert set(lab_hosts("e2e-net")) == {"router", "a", "b"}
        ok(lab, "router", """set -e
            for v in 10 20; do
              ip link add link eth1 name eth1.$v type vlan id $v
              ip addr add 10.0.$v.1/24 dev eth1.$v
              ip link set eth1.$v up
            done""")
        ok(lab, "a", "set -e; ip link add link eth1 name eth1.10 type vlan id 10;"
                     "ip addr add 10.0.10.2/24 dev eth1.10; ip link set eth1.10 up")
        ok(lab, "b", "set -e; ip link add link eth1 name eth1.20 type vlan id 20;"
                     "ip addr add 10.0.20.2/24 dev eth1.20; ip link set eth1.20 up")
        ok(lab, "a", "ping -c 2 -W 3 10.0.10.1")
        ok(lab, "b", "ping -c 2 -W 3 10.0.20.1")
        # VLAN 10 and VLAN 20 are separate broadcast domains on the same switch
        ok(lab, "a", "ip addr add 10.0.20.3/24 dev eth1")
        assert lab.run("a", "ping -c 1 -W 2 10.0.20.2").returncode != 0
        pids = lab.pids()
    assert [name for name, pid in pids.items() if alive(pid)] == []
