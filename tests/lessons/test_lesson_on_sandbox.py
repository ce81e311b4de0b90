"""A storage lesson and a network lesson in the browser, on live sandbox labs.

Marked ``browser`` AND ``sandbox``: select it with ``-m "browser and sandbox"``. JupyterLab's
kernels get a private ``LABKIT_HOME`` (and ``LABKIT_ACCEL`` if set), nothing else: the lesson's
first cell brings its lab up by itself (04-nfs starts ``storage``; 07-bridges-ovs then stops it
and starts ``network``). After *Run All*, the exercise's solution is run on the lab's hosts,
then every "Check my work" button is clicked: the table must equal ``grade()`` on the same
hosts, and the solved exercise must show every check passed. Screenshots:
``artifacts/screenshots/sandbox-<lang>-<lesson>.png``.
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
from labkit.lessons import LESSONS
from labkit.lessons.table import lab_host_for
from labkit.sandbox import Lab, lab_hosts

from .browserlab import (
    CHROMIUM,
    NOTEBOOKS_DIR,
    Jupyter,
    check_lesson,
    launch_chromium,
    start_jupyter,
)

pytestmark = [pytest.mark.browser, pytest.mark.sandbox, pytest.mark.timeout(1500)]

#: (lesson, language, the exercise solved before "Check my work" is clicked)
CASES = [("04-nfs", "gl", "nfs-exports"), ("07-bridges-ovs", "en", "net-bridges")]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A private LABKIT_HOME for this process and the kernels; every lab in it goes down."""
    path = tmp_path_factory.mktemp("lkhome")
    saved = {k: os.environ.get(k) for k in ("LABKIT_HOME", "LABKIT_LAB")}
    os.environ["LABKIT_HOME"] = str(path)
    os.environ.pop("LABKIT_LAB", None)
    try:
        yield path
    finally:
        for name in ("single", "storage", "network"):
            Lab(name).down()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="module")
def jupyter(home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Jupyter]:
    lessons = [NOTEBOOKS_DIR / lang / f"{lesson}.ipynb" for lesson, lang, _ in CASES]
    env = {"LABKIT_HOME": str(home)}
    if os.environ.get("LABKIT_ACCEL"):
        env["LABKIT_ACCEL"] = os.environ["LABKIT_ACCEL"]
    with start_jupyter(tmp_path_factory.mktemp("browser-sandbox"), lessons, env) as server:
        yield server


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (scripts/apt-packages-browser.txt)")
    pytest.importorskip("playwright.sync_api")
    with launch_chromium(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context


def _hosts(topology: str) -> dict[str, Host]:
    return {role: Host(url) for role, url in lab_hosts(topology).items()}


@pytest.mark.parametrize(("lesson", "lang", "solved"), CASES,
                         ids=[f"{a}-{b}" for a, b, _ in CASES])
def test_check_my_work_on_a_live_lab(jupyter: Jupyter, browser: Any, lesson: str, lang: str,
                                     solved: str) -> None:
    topology = LESSONS[lesson].topology

    def solve() -> None:
        spec = exercises.load(solved)
        hosts = _hosts(topology)
        by_role = {r: hosts[lab_host_for(topology, r)] for r in spec.roles}
        exercises.run_scripts(by_role, exercises.solution_scripts(solved), spec)  # or raises

    def truth(exercise: str, lang: str) -> dict[str, str]:
        spec = exercises.load(exercise)
        hosts = _hosts(topology)
        report = grade(spec, {r: hosts[lab_host_for(topology, r)] for r in spec.roles},
                       lang=lang)
        return {c.id: c.status for c in report.checks}

    ids = [c.id for c in exercises.load(solved).checks]
    tables = check_lesson(jupyter, browser, NOTEBOOKS_DIR / lang / f"{lesson}.ipynb",
                          {solved: dict.fromkeys(ids, "passed")}, truth,
                          shot=f"sandbox-{lang}-{lesson}", before_checks=solve)
    assert solved in tables
