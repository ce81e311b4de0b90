"""labkit's known_hosts: accept-new, then strict; safe when a whole class connects at once."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from labkit.errors import ConnectError
from labkit.host import Host
from labkit.testing.sshd import LocalSSHHost

pytestmark = pytest.mark.sshd


def _url(lab: LocalSSHHost, known_hosts: Path) -> str:
    return f"ssh://root@127.0.0.1:{lab.port}?key={lab.key}&known_hosts={known_hosts}&timeout=10"


def test_hosts_first_seen_concurrently_are_all_remembered(tmp_path: Path) -> None:
    known_hosts = tmp_path / "known_hosts"
    labs = [LocalSSHHost().start() for _ in range(6)]
    try:
        errors: list[BaseException] = []

        def connect(lab: LocalSSHHost) -> None:
            try:
                with Host(_url(lab, known_hosts)) as host:
                    assert host.run("true").ok
            except BaseException as exc:  # reported below, in the test's thread
                errors.append(exc)

        threads = [threading.Thread(target=connect, args=(lab,)) for lab in labs]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not errors
        lines = known_hosts.read_text().splitlines()
        assert len(lines) == len(labs)
        assert {f"[127.0.0.1]:{lab.port}" for lab in labs} == {ln.split()[0] for ln in lines}
    finally:
        for lab in labs:
            lab.stop()


def test_a_changed_host_key_is_refused(tmp_path: Path) -> None:
    known_hosts = tmp_path / "known_hosts"
    with LocalSSHHost() as lab:
        with Host(_url(lab, known_hosts)) as host:
            assert host.run("true").ok
        port = lab.port
    # Another server (new host key) on the same port: labkit must refuse it.
    with LocalSSHHost(port=port) as impostor, Host(_url(impostor, known_hosts)) as host, \
                pytest.raises(ConnectError, match="host key changed"):
        host.run("true")
