"""The opening lesson in the browser against a real sandbox VM where the exercise was solved.

Marked ``browser`` AND ``sandbox`` (boots one ``single`` lab VM, in a private ``LABKIT_HOME``):
select it with ``-m "browser and sandbox"``; ``-m "browser and not sandbox"`` leaves it out.
The VM gets ``exercises/intro-container/solution.sh``; then JupyterLab's kernels get
``LABKIT_HOST`` = the VM and ``LABKIT_HOME`` = the lab's home, and for each language the
lesson must show live evidence from a QEMU guest (``systemd-detect-virt``, the virtio drivers,
the lab's accelerator read from its state) and a "Check my work" table with every check
passed (and the same statuses as grading the VM directly). Screenshots:
``artifacts/screenshots/sandbox-<lang>-01-virtualization.png``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from labkit import exercises
from labkit.grading import grade
from labkit.host import Host
from labkit.sandbox import lab_hosts, running_lab

from .browserlab import (
    CHROMIUM,
    NOTEBOOKS_DIR,
    Jupyter,
    check_lesson,
    launch_chromium,
    start_jupyter,
)

pytestmark = [pytest.mark.browser, pytest.mark.sandbox, pytest.mark.timeout(900)]

LESSON = "01-virtualization.ipynb"
EXERCISE = "intro-container"
LAB_NAME = "browser-intro"


@pytest.fixture(scope="module")
def solved_vm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """(host URL, LABKIT_HOME) of a lab VM where the container exercise is solved."""
    home = tmp_path_factory.mktemp("lkhome")
    saved = {k: os.environ.get(k) for k in ("LABKIT_HOME", "LABKIT_LAB")}
    os.environ["LABKIT_HOME"] = str(home)
    os.environ.pop("LABKIT_LAB", None)
    try:
        with running_lab("single", LAB_NAME):
            url = lab_hosts(LAB_NAME)["host"]
            with Host(url) as host:
                result = exercises.run_script(host, exercises.solution(EXERCISE),
                                              exercises.load(EXERCISE), timeout=300)
            assert result.ok, result.tail()
            yield url, home
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="module")
def jupyter(solved_vm: tuple[str, Path],
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Jupyter]:
    url, home = solved_vm
    lessons = sorted(NOTEBOOKS_DIR.glob(f"*/{LESSON}"))
    base = tmp_path_factory.mktemp("browser-sandbox")
    with start_jupyter(base, lessons, {"LABKIT_HOST": url, "LABKIT_HOME": str(home)}) as server:
        yield server


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (scripts/apt-packages-browser.txt)")
    pytest.importorskip("playwright.sync_api")
    with launch_chromium(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context


@pytest.mark.parametrize("lang", ["gl", "en"])
def test_solved_exercise_in_the_lesson(solved_vm: tuple[str, Path], jupyter: Jupyter,
                                       browser: Any, lang: str) -> None:
    url, _home = solved_vm

    def truth(exercise: str, lang: str) -> dict[str, str]:
        with Host(url) as host:
            report = grade(exercises.load(exercise), {"host": host}, lang=lang)
        return {c.id: c.status for c in report.checks}

    ids = [c.id for c in exercises.load(EXERCISE).checks]
    accel = r"(Laboratorio|Lab) browser-intro: (acelerador|accelerator) (KVM|TCG)"
    tables = check_lesson(
        jupyter, browser, NOTEBOOKS_DIR / lang / LESSON,
        {EXERCISE: dict.fromkeys(ids, "passed")}, truth, shot=f"sandbox-{lang}-01-virtualization",
        must_show=(r"\$ systemd-detect-virt\n(qemu|kvm)\n", r"virtio_blk", r"virtio_net",
                   accel, r"labkit-box"))
    assert set(tables) == {EXERCISE}
