"""Fixtures for the sandbox end-to-end tests (marked ``sandbox``; real VMs, no mocks).

* ``lab_image`` (session): builds the lab image and its warm snapshot in the normal cache
  (``$LABKIT_CACHE``, default ``~/.cache/labkit``), so later runs reuse them.
* ``sandbox_home`` (session): a private ``LABKIT_HOME`` so the tests never touch a
  user's labs.
* ``storage_lab`` (module): the ``storage`` topology, always torn down.

The time of each step is printed in a "sandbox timings" section at the end of the run.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from labkit.sandbox import Lab, running_lab
from labkit.sandbox.accel import detect_accel
from labkit.sandbox.image import Image, build_image
from labkit.sandbox.warm import ensure_warm

TIMINGS: dict[str, float] = {}


def record(label: str, seconds: float) -> None:
    TIMINGS[label] = round(seconds, 1)


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
