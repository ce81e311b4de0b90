"""Fixtures shared by the whole test suite.

- ``lab_host``: a real lab host for the session — a throwaway OpenSSH server on 127.0.0.1
  (:class:`labkit.testing.sshd.LocalSSHHost`), always stopped at the end, even after failures.
  Tests that use it are marked ``@pytest.mark.sshd``.
- ``workdir``: a fresh, empty directory per test, for an exercise's ``workdir`` parameter
  (``params={"workdir": str(workdir)}`` or ``--param workdir=...``). The lab host runs on this
  machine, so the same path is valid over ``ssh://`` and ``local://``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from labkit.testing.sshd import SSHD_CANDIDATES, LocalSSHHost

# Property tests check behaviour, not speed (speed lives in benchmarks/): no per-example
# deadline, which a machine busy with lab VMs would turn into random failures.
settings.register_profile("labkit", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("labkit")


def sshd_available() -> bool:
    return any(os.path.exists(p) for p in SSHD_CANDIDATES)


#: sshd_config lines for test hosts. bash, root's shell, reads ~/.bashrc for every command
#: sshd runs (even non-interactive ones) unless SHLVL says it is nested; a developer's
#: ~/.bashrc (pyenv, conda…) can add half a second to each command, a lab VM's stock one
#: does not. Chatty start-up files are tested on their own (tests/e2e/test_robustness.py).
LAB_SSHD_CONFIG = "SetEnv SHLVL=1\n"


@pytest.fixture(scope="session")
def lab_host() -> Iterator[LocalSSHHost]:
    """A real sshd on 127.0.0.1 with throwaway keys; ``lab_host.url`` reaches it as root."""
    if not sshd_available():
        pytest.skip("OpenSSH server not installed (apt-get install openssh-server)")
    host = LocalSSHHost(extra_config=LAB_SSHD_CONFIG)
    try:
        host.start()
        yield host
    finally:
        host.stop()


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A fresh, empty directory for one test's exercise files."""
    path = tmp_path / "workdir"
    path.mkdir()
    return path

