"""Every lesson in a real browser: JupyterLab 4 + ipywidgets 8 driven by headless Chromium,
the way ``scripts/run-lab --local`` serves them.

One JupyterLab server for the module (127.0.0.1, a random free port, a token, no browser, its
root a temporary copy of notebooks/) whose kernels inherit ``LABKIT_HOST`` (a real OpenSSH
server on this machine, ``LocalSSHHost``), ``LABKIT_LAB_DIR`` (a fresh folder on it) and a
private ``LABKIT_HOME`` (no sandbox lab is started here). Debian's Chromium is driven by
Playwright. For each ``notebooks/*/*.ipynb`` (both languages):

- open it, *Run All Cells*, wait until every code cell has run;
- no Python traceback and no "Error displaying widget" / "Loading widget..." is left, and
  widget views rendered wherever the notebook displays widgets;
- a quiz answers a click with its feedback;
- the qemu-img lesson runs on the local host: every "Check my work" button is clicked and its
  table equals ``grade()`` on the same host, and the lesson's practice did not do the
  exercises (not every check passed); the lessons that need the sandbox say so in their panel
  (and offer the button that starts it) instead of running;
- a screenshot per lesson in ``artifacts/screenshots/<lang>-<lesson>.png``.

JupyterLab (by PID, its process group) and the browser are always stopped. Lessons on live
sandbox labs (storage, network): ``test_lesson_on_sandbox.py``.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from labkit import exercises
from labkit.grading import grade
from labkit.host import Host
from labkit.lessons.table import LESSONS, moved
from labkit.testing.sshd import LocalSSHHost

from .browserlab import (
    CHROMIUM,
    NOTEBOOKS_DIR,
    Jupyter,
    check_lesson,
    launch_chromium,
    start_jupyter,
)

pytestmark = [pytest.mark.browser, pytest.mark.sshd, pytest.mark.timeout(300)]

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*/*.ipynb"))
LOCAL = "02-qemu-img"


class LocalLab:
    """The local sshd lab host and the work folder the lessons use on it."""

    def __init__(self, sshd: LocalSSHHost, lab_dir: str) -> None:
        self.sshd, self.lab_dir = sshd, lab_dir

    def truth(self, exercise: str, lang: str) -> dict[str, str]:
        """What grading the host says now, in the exercise's folder the lesson uses."""
        spec = exercises.load(exercise)
        saved = os.environ.get("LABKIT_LAB_DIR")
        os.environ["LABKIT_LAB_DIR"] = self.lab_dir
        try:
            params = {"workdir": moved(str(spec.params["workdir"]))} \
                if "workdir" in spec.params else None
        finally:
            if saved is None:
                os.environ.pop("LABKIT_LAB_DIR", None)
            else:
                os.environ["LABKIT_LAB_DIR"] = saved
        with Host(self.sshd.url) as host:
            report = grade(spec, {role: host for role in spec.roles}, lang=lang, params=params)
        return {c.id: c.status for c in report.checks}


@pytest.fixture(scope="module")
def local_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalLab]:
    sshd = LocalSSHHost(tmp_path_factory.mktemp("sshd")).start()
    lab_dir = ""
    try:
        with Host(sshd.url) as host:
            made = host.run("mktemp -d -t labkit-browser.XXXXXX", timeout=30)
        assert made.ok, made.tail()
        lab_dir = made.stdout.strip()
        yield LocalLab(sshd, lab_dir)
    finally:
        if lab_dir:
            with Host(sshd.url) as host:
                host.run(f"rm -rf -- {shlex.quote(lab_dir)}", timeout=60)
        sshd.stop()


@pytest.fixture(scope="module")
def jupyter(local_lab: LocalLab, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Jupyter]:
    if not NOTEBOOKS:
        pytest.skip("no lessons in notebooks/")
    base = tmp_path_factory.mktemp("browser")
    env = {"LABKIT_HOST": local_lab.sshd.url, "LABKIT_LAB_DIR": local_lab.lab_dir,
           "LABKIT_HOME": str(base / "labkit-home")}
    with start_jupyter(base, NOTEBOOKS, env) as server:
        yield server


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium; "
                    "scripts/apt-packages-browser.txt)")
    pytest.importorskip("playwright.sync_api")
    with launch_chromium(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context


@pytest.mark.parametrize("notebook", [pytest.param(n, id=f"{n.parent.name}/{n.stem}")
                                      for n in NOTEBOOKS])
def test_lesson_runs_and_widgets_work(jupyter: Jupyter, browser: Any, local_lab: LocalLab,
                                      notebook: Path) -> None:
    lang = notebook.parent.name
    if notebook.stem == LOCAL:
        tables = check_lesson(jupyter, browser, notebook, {}, local_lab.truth,
                              shot=f"{lang}-{notebook.stem}", must_show=(r"\$ qemu-img",))
        assert set(tables) == set(LESSONS[LOCAL].exercises)
        assert all(set(t.values()) != {"passed"} for t in tables.values()), tables
    else:
        spec = LESSONS[notebook.stem]
        words = {"gl": "necesita o laboratorio", "en": "needs the sandbox's"}[lang]
        tables = check_lesson(jupyter, browser, notebook, {}, local_lab.truth,
                              shot=f"{lang}-{notebook.stem}",
                              must_show=(words + r".{0,3}" + spec.topology,))
        assert tables == {}
