"""JupyterLab 4 and Debian's headless Chromium for the browser tests.

- ``start_jupyter``: a JupyterLab server on 127.0.0.1 (a random free port, a token, no browser,
  its own Jupyter config/data/runtime folders, every cell kept in the page), its root a copy of
  the given lessons, its kernels inheriting ``LABKIT_HOST`` and friends. Stopped by PID (its
  whole process group), always.
- ``launch_chromium``: Playwright driving ``/usr/bin/chromium`` with a fresh profile (no
  browser download is possible here, nor needed).
- ``check_lesson``: open one lesson, *Run All Cells*, and judge what the page shows (no
  traceback, widgets rendered, quizzes answer clicks, every "Check my work" table right);
  a screenshot goes to ``artifacts/screenshots/`` (a CI artifact; ``artifacts/`` is ignored
  by git).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from labkit.i18n import LANGS, text
from labkit.widgets.quiz import HYPERVISORS

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS_DIR = ROOT / "notebooks"
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
RUN_TIMEOUT_MS = 150_000
BAD_TEXTS = ("Traceback (most recent call last)", "Error displaying widget",
             "Loading widget...", "Failed to load model class")

#: exercise, lang -> {check id: status} (what grading the lab host says right now)
Truth = Callable[[str, str], dict[str, str]]


@dataclass
class Jupyter:
    url: str
    token: str
    root: Path
    log: Path


# -- the server ---------------------------------------------------------------------------------
def _settings(config: Path) -> None:
    """User settings: every cell stays in the page (no windowing), no news or update checks."""
    user = config / "lab" / "user-settings" / "@jupyterlab"
    for plugin, values in {
        "notebook-extension/tracker": {"windowingMode": "none"},
        "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    }.items():
        path = user / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


def _free_port() -> int:
    from labkit.testing.sshd import free_port

    return free_port()


def _wait_http(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterLab exited ({proc.returncode}):\n"
                               f"{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"JupyterLab did not answer in {timeout} s:\n{log.read_text()[-3000:]}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop JupyterLab and its kernels: its own process group, by its PID."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@contextlib.contextmanager
def start_jupyter(base: Path, notebooks: list[Path], env: dict[str, str]) -> Iterator[Jupyter]:
    """JupyterLab serving copies of ``notebooks``; kernels get ``env`` (LABKIT_HOST, …)."""
    root = base / "notebooks"
    for notebook in notebooks:
        target = root / notebook.relative_to(NOTEBOOKS_DIR)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(notebook, target)
    dirs = {name: base / "jupyter" / name for name in ("config", "data", "runtime", "ipython")}
    for folder in dirs.values():
        folder.mkdir(parents=True)
    _settings(dirs["config"])
    port, token = _free_port(), os.urandom(16).hex()
    full_env = {k: v for k, v in os.environ.items()
                if not k.startswith(("LABKIT_", "JUPYTER", "IPYTHON"))}
    full_env.update(JUPYTER_CONFIG_DIR=str(dirs["config"]), JUPYTER_DATA_DIR=str(dirs["data"]),
                    JUPYTER_RUNTIME_DIR=str(dirs["runtime"]), IPYTHONDIR=str(dirs["ipython"]),
                    PATH=f"{Path(sys.executable).parent}{os.pathsep}"
                         f"{full_env.get('PATH', '')}",
                    **env)
    log = base / "jupyterlab.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
             f"--port={port}", "--ServerApp.port_retries=0",
             f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
             "--LabApp.news_url=", "--ServerApp.allow_remote_access=False",
             "--ServerApp.allow_root=True"],
            cwd=root, env=full_env, stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_http(f"{url}/api/status?token={token}", proc, log, timeout=90)
        yield Jupyter(url, token, root, log)
    finally:
        _stop(proc)


def shut_down_kernels(jupyter: Jupyter) -> None:
    """End every notebook session (and its kernel) through the server's REST API."""
    base = f"{jupyter.url}/api/sessions"
    headers = {"Authorization": f"token {jupyter.token}"}
    with urllib.request.urlopen(urllib.request.Request(base, headers=headers),
                                timeout=10) as answer:
        sessions = json.loads(answer.read())
    for session in sessions:
        request = urllib.request.Request(f"{base}/{session['id']}", headers=headers,
                                         method="DELETE")
        with urllib.request.urlopen(request, timeout=30):
            pass


# -- the browser --------------------------------------------------------------------------------
@contextlib.contextmanager
def launch_chromium(profile: Path) -> Iterator[Any]:
    """A Playwright browser context on Debian's Chromium with a fresh profile."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 1000})
        try:
            yield context
        finally:
            context.close()


# -- reading the page ---------------------------------------------------------------------------
_CELLS_DONE = """() => {
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')];
  if (cells.length === 0) return false;
  // a cell whose code is hidden (source_hidden) shows a placeholder and no prompt: it counts
  // as run once the kernel is idle again (checked after this)
  return cells.every(c => {
    if (c.querySelector('.jp-InputPlaceholder')) return true;
    const p = c.querySelector('.jp-InputPrompt');
    return p && /\\[\\d+\\]/.test(p.textContent);
  });
}"""

_KERNEL_IDLE = """() => {
  const text = document.querySelector('#jp-main-statusbar')?.textContent || '';
  return /\\|\\s*Idle/.test(text);
}"""

_BOX = """const box = (i, label) => [...document.querySelectorAll(
    '.jp-Notebook button.widget-button')].filter(b => b.textContent.includes(label))[i]
    .closest('.widget-vbox');"""

#: Mark the table box ``i`` shows now: the click must bring a new one.
_MARK_TABLE = "([i, label]) => { " + _BOX + """
  const table = box(i, label).querySelector('table');
  if (table) table.setAttribute('data-labkit-old', '1');
}"""

#: The "Check my work" box ``i`` shows a table the click brought, and its button is enabled.
_NEW_TABLE = "([i, label]) => { " + _BOX + """
  const b = box(i, label);
  const table = b.querySelector('table');
  const button = b.querySelector('button');
  return table && !table.hasAttribute('data-labkit-old') && !button.disabled;
}"""

#: (check id, status word) of every row of box ``i``'s table.
_TABLE_ROWS = "([i, label]) => { " + _BOX + """
  return [...box(i, label).querySelectorAll('table tr')].slice(1).map(r => {
    const cells = r.querySelectorAll('td');
    return [cells[0].textContent.trim(), cells[1].textContent.trim()];
  });
}"""

#: The exercise of each "Check my work" button: from its cell's ``….check("NAME")``.
_BUTTON_EXERCISES = """(label) => [...document.querySelectorAll(
    '.jp-Notebook button.widget-button')].filter(b => b.textContent.includes(label))
  .map(b => {
    const cell = b.closest('.jp-CodeCell');
    const source = cell ? cell.querySelector('.jp-InputArea-editor').textContent : '';
    const found = /\\.check\\(\\s*["']([a-z0-9-]+)["']/.exec(source);
    return found ? found[1] : '';
  })"""


def status_words(lang: str) -> dict[str, str]:
    """The status words of the report table in ``lang`` -> status."""
    return {text(f"status.{s}", lang): s for s in ("passed", "failed", "blocked", "error")}


def _run_all(page: Any) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    page.wait_for_function(_CELLS_DONE, timeout=RUN_TIMEOUT_MS, polling=500)
    page.wait_for_function(_KERNEL_IDLE, timeout=RUN_TIMEOUT_MS, polling=500)


def _quiz_click(page: Any, lang: str, source: str) -> None:
    """Answer the first question of the first quiz and see its feedback and the score (the
    right answer when it is the opening lesson's hypervisor quiz, else the first option)."""
    quiz = page.locator(".labkit-quiz").first
    if 'Quiz(\\"hypervisor-types\\"' in source:
        first = HYPERVISORS.questions[0]
        label = first.option(first.answer).label[lang]  # type: ignore[union-attr]
        quiz.locator(".widget-toggle-button", has_text=label).first.click()
        quiz.get_by_text(text("quiz.right", lang), exact=False).first.wait_for(timeout=15_000)
        # the feedback and the score are two widgets, updated by two messages: wait for both
        score = text("quiz.score", lang, right=1, total=len(HYPERVISORS.questions), answered=1)
        quiz.get_by_text(score, exact=False).first.wait_for(timeout=15_000)
        assert score in quiz.inner_text()
        return
    quiz.locator(".widget-toggle-button").first.click()
    right = text("quiz.right", lang)
    wrong = text("quiz.wrong", lang, answer="\0").split("\0")[0]
    answered = text("quiz.score", lang, right=9, total=9, answered=1).split("9")[-1]
    # the feedback and the score are two widgets, updated by two messages: wait for both
    page.wait_for_function(
        "([right, wrong, answered]) => {"
        " const t = document.querySelector('.labkit-quiz').innerText;"
        " return (t.includes(right) || t.includes(wrong)) && t.includes(answered); }",
        arg=[right, wrong, answered], timeout=15_000)
    assert answered in quiz.inner_text()


def check_lesson(jupyter: Jupyter, context: Any, notebook: Path,
                 expected: dict[str, dict[str, str]], truth: Truth, shot: str,
                 must_show: tuple[str, ...] = (),
                 before_checks: Callable[[], None] | None = None
                 ) -> dict[str, dict[str, str]]:
    """Open ``notebook`` in JupyterLab, run every cell and judge the page.

    Every "Check my work" button is clicked and its table must equal ``truth`` (``grade()``
    on the same hosts); ``expected``: exercise -> the statuses its table must show too.
    ``before_checks`` runs after "Run All", before the clicks (e.g. an exercise's solution).
    ``must_show``: texts that some output must contain. Returns each exercise's table.
    """
    lang = notebook.parent.name
    assert lang in LANGS, notebook
    relative = notebook.relative_to(NOTEBOOKS_DIR).as_posix()
    source = notebook.read_text(encoding="utf-8")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    SHOTS.mkdir(parents=True, exist_ok=True)
    tables: dict[str, dict[str, str]] = {}
    try:
        # ?reset: a clean workspace, so only this notebook is open in the page
        page.goto(f"{jupyter.url}/lab/tree/{relative}?reset&token={jupyter.token}",
                  wait_until="domcontentloaded", timeout=60_000)
        page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
        page.wait_for_function(_KERNEL_IDLE, timeout=90_000, polling=500)
        _run_all(page)
        page.wait_for_timeout(800)  # the last outputs' widget views
        shown = "\n".join(page.locator(".jp-OutputArea").all_inner_texts())
        for bad in BAD_TEXTS:
            assert bad not in shown, f"{relative}: {bad!r} in an output"
        for wanted in must_show:
            assert re.search(wanted, shown), f"{relative}: no output matches {wanted!r}"
        if "labkit.widgets" in source:
            assert page.locator(".jp-OutputArea .jupyter-widgets").count() > 0, \
                f"{relative}: no widget view rendered"
        if "Quiz(" in source:
            assert page.locator(".labkit-quiz").count() >= 1
            _quiz_click(page, lang, source)
            page.locator(".labkit-quiz").first.scroll_into_view_if_needed()
            page.screenshot(path=str(SHOTS / f"{shot}-quiz.png"))

        words = status_words(lang)
        if before_checks is not None:
            before_checks()
        label = text("check.button", lang)
        checks = page.evaluate(_BUTTON_EXERCISES, label)
        buttons = page.locator(".jp-Notebook button.widget-button", has_text=label)
        assert buttons.count() == len(checks)
        for exercise in expected:
            if f'check(\\"{exercise}\\")' in source:
                assert exercise in checks, f"{relative}: no Check my work button for {exercise}"
        for index, exercise in enumerate(checks):
            buttons.nth(index).scroll_into_view_if_needed()
            page.evaluate(_MARK_TABLE, [index, label])
            buttons.nth(index).click()
            page.wait_for_function(_NEW_TABLE, arg=[index, label], timeout=90_000,
                                   polling=300)
            rows = page.evaluate(_TABLE_ROWS, [index, label])
            table = {check: words.get(status, status) for check, status in rows}
            assert table, (relative, exercise)
            assert set(table.values()) <= set(words.values()), (relative, exercise, table)
            assert table == truth(exercise, lang), (relative, exercise, table)
            if exercise in expected:
                assert table == expected[exercise], (relative, exercise, table)
            tables[exercise] = table
        if checks:
            buttons.nth(len(checks) - 1).scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"{shot}.png"))
        assert not [e for e in errors if "widget" in e.lower()], errors
    except Exception:
        page.screenshot(path=str(SHOTS / f"{shot}-failed.png"))
        raise
    finally:
        page.close()
        shut_down_kernels(jupyter)
    return tables
