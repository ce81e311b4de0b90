"""Fixtures shared by the whole test suite.

- ``lab_host``: a real lab host for the session — a throwaway OpenSSH server on 127.0.0.1
  (:class:`labkit.testing.sshd.LocalSSHHost`), always stopped at the end, even after failures.
  Tests that use it are marked ``@pytest.mark.sshd``.
- ``workdir``: a fresh, empty directory per test, for an exercise's ``workdir`` parameter
  (``params={"workdir": str(workdir)}`` or ``--param workdir=...``). The lab host runs on this
  machine, so the same path is valid over ``ssh://`` and ``local://``.
- ``host_url``: the lab host's URL, once the real sshd (``ssh://``), once this machine
  (``local://``).
- Lab VMs (tests marked ``sandbox``; real QEMU, no mocks): ``lab_image`` (session) builds the
  lab image and its warm snapshot in the normal cache (``$LABKIT_CACHE``, default
  ``~/.cache/labkit``); ``sandbox_home`` (session) is a private ``LABKIT_HOME`` for each
  pytest-xdist worker, so tests never touch a user's labs and two workers' labs never meet;
  ``storage_lab`` (module) is the ``storage`` topology, always torn down. Each step's time is
  printed in a "sandbox timings" section at the end of the run (``timings``, ``record``;
  xdist workers send theirs to the controller).

Layout: a folder per part of labkit, named as the package (``transports``, ``probes``,
``checks``, ``grading``, ``exercises``, ``notebook``, ``lessons``, ``widgets``, ``sandbox``,
``hub``); what a test needs is said by its marker (``sshd``, ``sandbox``, ``browser``,
``nbgrader``, ``hub``), not by its folder. Rules of the whole package (public API, catalog,
settings, packaging, start-up, notebook sources) sit at the top.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from labkit.sandbox import Lab, running_lab
from labkit.sandbox.accel import detect_accel
from labkit.sandbox.image import Image, build_image
from labkit.sandbox.warm import ensure_warm
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
#: does not. Chatty start-up files are tested on their own (tests/grading/test_robustness.py).
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


@pytest.fixture(params=[pytest.param("ssh", marks=pytest.mark.sshd), "local"])
def host_url(request: pytest.FixtureRequest) -> str:
    """The lab host's URL: the real local sshd, then this machine through ``local://``."""
    if request.param == "ssh":
        return str(request.getfixturevalue("lab_host").url)
    return "local://"


@pytest.fixture(autouse=True)
def _shipped_exercises() -> Iterator[None]:
    """The shipped exercises, whatever an earlier in-process command configured
    (``--exercises DIR`` lasts for the rest of a process)."""
    from labkit.settings import override

    with override(course_dir=None):
        yield


# -- lab VMs ----------------------------------------------------------------------------
TIMINGS: dict[str, float] = {}


def record(label: str, seconds: float) -> None:
    TIMINGS[label] = round(seconds, 1)


def pytest_sessionfinish(session: pytest.Session) -> None:
    # An xdist worker hands its timings to the controller, which prints them all.
    output = getattr(session.config, "workeroutput", None)
    if output is not None:
        output["labkit_timings"] = dict(TIMINGS)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: object, error: object) -> None:
    TIMINGS.update(getattr(node, "workeroutput", {}).get("labkit_timings", {}))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if TIMINGS:
        terminalreporter.section("sandbox timings")
        for label, seconds in TIMINGS.items():
            terminalreporter.write_line(f"{label:<44} {seconds:>7.1f} s")


def _missing_tools() -> list[str]:
    return [t for t in ("qemu-system-x86_64", "qemu-img", "ssh", "ssh-keygen")
            if shutil.which(t) is None]


@pytest.fixture(scope="session")
def timings() -> dict[str, float]:
    """Record a step's duration: ``timings[label] = seconds`` (printed at the end)."""
    return TIMINGS


@pytest.fixture(scope="session")
def sandbox_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    missing = _missing_tools()
    if missing:
        pytest.skip(f"sandbox tools missing: {', '.join(missing)} "
                    "(see scripts/apt-packages-sandbox.txt)")
    home = tmp_path_factory.mktemp("lkhome")
    saved = {k: os.environ.get(k) for k in ("LABKIT_HOME", "LABKIT_LAB")}
    os.environ["LABKIT_HOME"] = str(home)
    os.environ.pop("LABKIT_LAB", None)
    try:
        yield home
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="session")
def lab_image(sandbox_home: Path) -> Image:
    started = time.monotonic()
    image = build_image(quiet=True, progress=lambda m: print(f"[image] {m}", flush=True))
    record(f"image build (cached: {image.manifest().get('build_seconds', '?')} s cold)",
           time.monotonic() - started)
    started = time.monotonic()
    accel, why = detect_accel(image.kernel)
    print(f"[sandbox] accelerator {accel}: {why}")
    ensure_warm(image, accel, progress=lambda m: print(f"[warm] {m}", flush=True))
    record(f"warm snapshot ready ({accel})", time.monotonic() - started)
    return image


@pytest.fixture(scope="module")
def storage_lab(lab_image: Image) -> Iterator[Lab]:
    started = time.monotonic()
    with running_lab("storage", "e2e-storage") as lab:
        record("lab up storage (2 VMs, to SSH-ready)", time.monotonic() - started)
        yield lab
