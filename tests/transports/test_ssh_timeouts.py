"""The SSH transport over a real local sshd: a hung host costs the teacher's timeout and no
more, the command that hung is killed on the host, and jump hosts share one connection."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from labkit.errors import CommandTimeout, ConnectError
from labkit.host import Host
from labkit.testing.sshd import LocalSSHHost
from labkit.transports import open_transport
from labkit.transports.ssh import jump_connections

pytestmark = pytest.mark.sshd
SLACK = 2.5


@pytest.fixture(scope="module")
def sshd() -> Iterator[LocalSSHHost]:
    with LocalSSHHost() as host:
        yield host


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead for our purpose.
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(")")[-1].split()[0] != "Z"


def _wait_gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.1)
    return False


def test_url_timeout_caps_a_hung_command_and_kills_it(sshd: LocalSSHHost,
                                                        tmp_path: Path) -> None:
    pidfile, childfile = tmp_path / "pid", tmp_path / "child"
    hang = (f"sleep 300 & echo $! > {childfile}; echo $$ > {pidfile}; wait")
    started = time.monotonic()
    with Host(f"{sshd.url}&timeout=2") as host, pytest.raises(CommandTimeout):
        host.run(hang, timeout=100)  # the caller asks for 100 s; the teacher said 2
    took = time.monotonic() - started
    assert took < 2 + SLACK, f"a hung host cost {took:.1f} s, not 2"
    shell, child = int(pidfile.read_text()), int(childfile.read_text())
    assert _wait_gone(shell, 5), "the hung command is still running on the host"
    assert _wait_gone(child, 5), "the hung command's child is still running on the host"


def test_collect_on_a_hung_host_costs_the_url_timeout(tmp_path: Path) -> None:
    """The host logs in, then never runs our command (its forced command hangs). OpenSSH
    refuses to signal a forced command, so only the time is labkit's to bound here."""
    marker = tmp_path / "hung.pid"
    config = f"ForceCommand /bin/sh -c 'echo $$ > {marker}; exec sleep 300'\n"
    with LocalSSHHost(extra_config=config) as rogue:
        started = time.monotonic()
        with Host(f"{rogue.url}&timeout=2") as host, pytest.raises(CommandTimeout):
            host.collect(_probes())
        assert time.monotonic() - started < 2 + SLACK
        os.kill(int(marker.read_text()), 9)  # this test's own rogue process


def _probes() -> list:  # type: ignore[type-arg]
    from labkit.probes.system import Hostname

    return [Hostname()]


def test_jump_host_shares_one_connection(sshd: LocalSSHHost) -> None:
    via = quote(sshd.url, safe="")
    urls = [f"{sshd.url}&via={via}" for _ in range(3)]
    transports = [open_transport(u) for u in urls]
    try:
        outputs = [t.run("echo $SSH_CONNECTION").stdout.split() for t in transports]
        # Each lab host saw its client come from the jump host's loopback, through ONE
        # connection to the jump host.
        assert all(o[0] == "127.0.0.1" for o in outputs)
        assert jump_connections() == 1
        assert "via ssh://" in transports[0].url
    finally:
        for t in transports:
            t.close()
    assert jump_connections() == 0


def test_jump_host_that_cannot_reach_the_lab_host(sshd: LocalSSHHost) -> None:
    via = quote(sshd.url, safe="")
    closed = LocalSSHHost()  # never started: nothing listens on its port
    url = f"ssh://root@127.0.0.1:{closed.port}?key={sshd.key}&via={via}&timeout=3"
    with open_transport(url) as transport, pytest.raises(ConnectError, match="jump host"):
        transport.run("true")
