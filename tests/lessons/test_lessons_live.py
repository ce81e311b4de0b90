"""Every lesson, live, on the sandbox VMs: the lesson notebooks run top to bottom as a
student's "Run All" does (nbclient, a kernel with no ``LABKIT_*`` variable but
``LABKIT_ACCEL=tcg``), in course order.

- By default (CI) each of the 8 lessons runs once, the language alternating (01 gl, 02 en,
  03 gl, …), and the test proves the other edition's code cells are the same code (the builder
  writes each code cell once for both languages; only the quizzes' texts differ, and they run
  no command), so every code cell of the course runs live: 445 s under TCG on the 2-core
  machine (labs started by the lessons, 03-lvm the slowest at 94 s with its reset).
- ``LABKIT_LIVE_ALL=1`` (``labkit.settings``) runs all 16 editions (twice as long); with
  ``-k`` it runs single editions, e.g. ``-k "07-bridges-ovs-en"``.

- The lessons bring their labs up themselves: the first lesson of each topology starts it
  (and switches off the previous topology), the next ones attach. One lab per topology serves
  both languages; between two runs every host is reset (``loadvm`` of the warm snapshot, not
  a reboot).
- No cell raises; every checked cell (tag ``nbval-check-output``) prints what the stored
  notebook shows, after ``labkit.lessons.sanitize`` (times, UUIDs, MACs…).
- A lesson earns none of its exercises' points: each exercise graded on the same hosts right
  after the lesson scores what it scores on the clean hosts after the reset.
- The runs are recorded into ``labkit/lessons/recordings/<lang>/<lesson>.json`` (preview mode's
  package data; ``git diff`` shows any drift of the tools), unless the stored notebook is not
  on the lesson API yet: then the test runs its own small notebook (``tests/lessons/own.py``)
  and records into a temporary folder.
- A checked cell the stored notebook has no output for gets the live one (written into the
  notebook as the builder keeps it: ``notebooks/build.py --check`` ignores outputs), so the
  next run compares it, and so does nbval's fast pass against the recording of the same run.

Marked ``sandbox``: ``flock /tmp/labkit-vm.lock pytest tests/lessons/test_lessons_live.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from labkit import exercises, settings
from labkit.grading.context import GradingContext
from labkit.host import Host
from labkit.lessons import LESSONS, recording
from labkit.lessons.labs import SandboxControl
from labkit.lessons.runner import clean_env, outputs_text, run_notebook
from labkit.lessons.sanitize import sanitize
from labkit.lessons.table import TOPOLOGY_HOSTS, lab_host_for
from tests.lessons.own import own_notebook

pytestmark = [pytest.mark.sandbox, pytest.mark.timeout(5400)]
ROOT = Path(__file__).resolve().parents[2]
LANGS = ("gl", "en")
CHECK = "nbval-check-output"


def stored(lesson: str, lang: str) -> Path | None:
    path = ROOT / "notebooks" / lang / f"{lesson}.ipynb"
    if path.exists() and "labkit.lessons" in path.read_text(encoding="utf-8"):
        return path
    return None


@pytest.fixture(scope="module")
def student_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The environment of a student's machine: no LABKIT_* but LABKIT_ACCEL=tcg, in this
    process too (the test resets and grades the same labs the lessons start)."""
    if shutil.which("qemu-system-x86_64") is None:
        pytest.skip("qemu-system-x86_64 is missing (scripts/apt-packages-sandbox.txt)")
    saved = {k: v for k, v in os.environ.items() if k.startswith("LABKIT_")}
    env = clean_env(LABKIT_ACCEL="tcg")
    for name in saved:
        os.environ.pop(name)
    os.environ["LABKIT_ACCEL"] = "tcg"
    control = SandboxControl()
    taken = [n for n in TOPOLOGY_HOSTS if n in control.labs()]
    try:  # this worker's environment comes back whatever happens, a skip included
        if taken:
            pytest.fail(f"lesson labs already up in the default LABKIT_HOME "
                        f"({', '.join(taken)}): this test starts and stops them itself; "
                        "`labkit lab down --name NAME` first")
        yield env
    finally:
        if not taken:
            for name in TOPOLOGY_HOSTS:
                control.down(name)
        os.environ.pop("LABKIT_ACCEL", None)
        os.environ.update(saved)


def _hosts(topology: str) -> dict[str, Host]:
    status = SandboxControl().labs()[topology]
    return {str(h["name"]): Host(str(h["url"])) for h in status["hosts"]}


def _scores(lesson: str, lang: str) -> dict[str, float]:
    """Each exercise of ``lesson`` graded now on its lab (exercise roles -> lab hosts)."""
    spec = LESSONS[lesson]
    hosts = _hosts(spec.topology)
    try:
        out = {}
        for name in spec.exercises:
            ex = exercises.load(name)
            ctx = GradingContext.build(ex, lang=lang, need_hosts=False)
            chosen = {r: hosts[lab_host_for(spec.topology, r)] for r in ex.roles}
            out[name] = ctx.grade(chosen).score
        return out
    finally:
        for host in hosts.values():
            host.close()


def _reset(topology: str) -> float:
    from labkit.sandbox import Lab

    started = time.monotonic()
    for host in TOPOLOGY_HOSTS[topology]:
        Lab(topology).reset(host)
    return time.monotonic() - started


def _differences(run_nb: Any, stored_nb: Any) -> tuple[list[str], int]:
    """Checked cells whose output differs from the stored one; and how many checked cells
    have a stored output at all."""
    diffs, compared = [], 0
    stored_cells = {c.get("id"): c for c in stored_nb.cells if c.cell_type == "code"}
    for cell in run_nb.cells:
        if cell.cell_type != "code" or CHECK not in cell.metadata.get("tags", []):
            continue
        old = stored_cells.get(cell.get("id"))
        if old is None or not old.get("outputs"):
            continue
        compared += 1
        got, want = sanitize(outputs_text(cell)), sanitize(outputs_text(old))
        if got != want:
            diffs.append(f"--- cell {cell.source[:60]!r}\nstored:\n{want}\nlive:\n{got}")
    return diffs, compared


def _order(everything: bool) -> list[tuple[str, str]]:
    """(lesson, language) to run: all 16, or each lesson once, the language alternating."""
    if everything:
        return [(lesson, lang) for lesson in sorted(LESSONS) for lang in LANGS]
    return [(lesson, LANGS[i % 2]) for i, lesson in enumerate(sorted(LESSONS))]


ORDER = _order(settings.current().live_all)


def _code(path: Path) -> list[tuple[str, list[str]]]:
    """(source, tags) of every code cell, the notebook's language literal made ``{lang}``."""
    import nbformat

    nb = nbformat.read(str(path), as_version=4)  # type: ignore[no-untyped-call]
    lang = path.parent.name
    return [(c.source.replace(f'"{lang}"', '"{lang}"').replace(f"'{lang}'", "'{lang}'"),
             list(c.metadata.get("tags", []))) for c in nb.cells if c.cell_type == "code"]


def _quiz(source: str) -> bool:
    return source.startswith("from labkit.widgets.quiz import ") \
        and "sh(" not in source and "lesson." not in source


def same_code(lesson: str, ran: str) -> int:
    """Assert the other edition of ``lesson`` has the same code cells as ``ran`` (quizzes
    aside: their texts are in the notebook's language and they run no command); how many
    code cells are the same."""
    other = LANGS[1 - LANGS.index(ran)]
    mine = _code(ROOT / "notebooks" / ran / f"{lesson}.ipynb")
    theirs = _code(ROOT / "notebooks" / other / f"{lesson}.ipynb")
    assert len(mine) == len(theirs), f"{lesson}: {len(mine)} code cells in {ran}, " \
        f"{len(theirs)} in {other}"
    same = 0
    for (a, tags_a), (b, tags_b) in zip(mine, theirs, strict=True):
        assert tags_a == tags_b, f"{lesson}: tags differ: {tags_a} / {tags_b} in {a[:60]!r}"
        if _quiz(a) and _quiz(b):
            continue
        assert a == b, f"{lesson}: the {other} edition's code differs:\n{a}\n---\n{b}"
        same += 1
    return same


def _store_outputs(path: Path, run_nb: Any) -> int:
    """Give every checked cell of the stored notebook that has no output the live one;
    how many were written."""
    import nbformat

    stored_nb = nbformat.read(str(path), as_version=4)  # type: ignore[no-untyped-call]
    live = {c.get("id"): c for c in run_nb.cells if c.cell_type == "code"}
    written = 0
    for cell in stored_nb.cells:
        ran = live.get(cell.get("id"))
        if cell.cell_type != "code" or CHECK not in cell.metadata.get("tags", []) \
                or cell.get("outputs") or ran is None or not ran.get("outputs") \
                or ran.source != cell.source:
            continue
        cell.outputs = [o for o in ran.outputs if o.get("output_type") != "error"]
        cell.execution_count = ran.execution_count or 1
        written += 1
    if written:
        nbformat.validate(stored_nb)
        path.write_text(nbformat.writes(stored_nb) + "\n", encoding="utf-8")  # type: ignore[no-untyped-call]
    return written


@pytest.mark.parametrize(("lesson", "lang"), ORDER, ids=[f"{a}-{b}" for a, b in ORDER])
def test_lesson_runs_live(student_env: dict[str, str], lesson: str, lang: str,
                          tmp_path_factory: pytest.TempPathFactory,
                          timings: dict[str, float]) -> None:
    import nbformat

    spec = LESSONS[lesson]
    path = stored(lesson, lang)
    if path is not None:
        print(f"{lesson}: {same_code(lesson, lang)} code cells the same in both editions")
    notebook: Any = path if path is not None else own_notebook(lesson, lang)
    target = recording.RECORDINGS if path is not None else tmp_path_factory.mktemp("rec")
    preamble = f"from labkit.lessons import recording\nrecording.record_to({str(target)!r})"
    run = run_notebook(notebook, env=student_env, cwd=ROOT / "notebooks" / lang,
                       preamble=preamble)
    timings[f"lesson {lesson} {lang}"] = run.seconds
    assert run.errors == [], run.errors
    shown = [outputs_text(c) for c in run.notebook.cells if c.cell_type == "code"]
    assert not any("labkit: " in s for s in shown), "\n".join(s for s in shown if "labkit: " in s)
    assert (target / lang / f"{lesson}.json").is_file()
    if path is not None:
        diffs, compared = _differences(run.notebook, nbformat.read(str(path), as_version=4))  # type: ignore[no-untyped-call]
        assert diffs == [], "\n".join(diffs)
        written = _store_outputs(path, run.notebook)
        print(f"{lesson} {lang}: {compared} checked cells compared with the stored outputs, "
              f"{written} stored")
    after = _scores(lesson, lang)
    timings[f"reset {spec.topology} after {lesson} {lang}"] = _reset(spec.topology)
    clean = _scores(lesson, lang)
    assert after == clean, f"the lesson earned exercise points: {after} vs clean {clean}"
    assert all(after[n] < exercises.load(n).max_score for n in spec.exercises), after
    data = json.loads((target / lang / f"{lesson}.json").read_text(encoding="utf-8"))
    assert data["lab"] == spec.topology and set(data["hosts"]) <= set(spec.roles)
