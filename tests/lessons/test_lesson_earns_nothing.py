"""A lesson's practice never completes its exercise: lesson 02 (qemu-img) run top to bottom
on a real local sshd (``scripts/run-lab --local``), then its two exercises graded on the same
host score exactly what they scored before the lesson. The same for lessons on the VMs is in
``tests/lessons/test_lessons_live.py`` (every lesson, lesson 03 included).

A positive control proves the grade looks where the exercise's work goes: the exercise's
solution in the exercise's folder then gets full marks on the same host."""

from __future__ import annotations

import json
import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from labkit import exercises
from labkit.grading import grade
from labkit.host import Host
from labkit.lessons import lesson_spec
from labkit.lessons.runner import clean_env, outputs_text, run_notebook
from labkit.testing.sshd import LocalSSHHost
from tests.lessons.own import own_notebook

pytestmark = [pytest.mark.sshd, pytest.mark.timeout(600)]
ROOT = Path(__file__).resolve().parents[2]


def lesson_notebook(lesson_id: str, lang: str) -> tuple[object, bool]:
    """The stored notebook if it runs on the lesson API, else our own one; and which."""
    stored = ROOT / "notebooks" / lang / f"{lesson_id}.ipynb"
    if stored.exists() and "labkit.lessons" in stored.read_text(encoding="utf-8"):
        return stored, True
    return own_notebook(lesson_id, lang), False


@pytest.fixture(scope="module")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    if shutil.which("qemu-img") is None:
        pytest.skip("qemu-img is not installed")
    server = LocalSSHHost(tmp_path_factory.mktemp("sshd")).start()
    lab_dir = str(tmp_path_factory.mktemp("lab"))
    try:
        yield server.url, lab_dir
    finally:
        with Host(server.url) as host:
            host.run(f"rm -rf -- {shlex.quote(lab_dir)}", timeout=60)
        server.stop()


@pytest.mark.parametrize("lang", ["gl", "en"])
def test_lesson_02_alone_earns_no_exercise_points(sshd: tuple[str, str], lang: str) -> None:
    url, lab_dir = sshd
    spec = lesson_spec("02-qemu-img")
    folder = Path(lab_dir) / lang
    params = {name: {"workdir": str(folder / Path(str(
        exercises.load(name).params["workdir"])).name)} for name in spec.exercises}

    def scores() -> dict[str, float]:
        with Host(url) as host:
            return {name: grade(exercises.load(name), {"host": host}, lang=lang,
                                params=params[name]).score for name in spec.exercises}

    before = scores()
    notebook, stored = lesson_notebook(spec.id, lang)
    run = run_notebook(notebook, env=clean_env(LABKIT_HOST=url, LABKIT_LAB_DIR=str(folder)),
                       cwd=ROOT / "notebooks" / lang)
    assert run.errors == []
    shown = [outputs_text(c) for c in run.notebook.cells if c.cell_type == "code"]
    assert any("Formatting 'systemdisk.qcow2'" in s for s in shown), shown
    assert not any("labkit:" in s for s in shown), shown
    assert (folder / spec.id / "systemdisk.qcow2").is_file()     # the lesson did its work…
    assert scores() == before, json.dumps(shown)                 # …and earned nothing

    with Host(url) as host:                                       # the positive control
        for name in spec.exercises:
            done = exercises.run_script(host, exercises.solution(name), exercises.load(name),
                                        params[name], timeout=120)
            assert done.ok, done.tail()
    after = scores()
    assert all(after[n] == exercises.load(n).max_score for n in spec.exercises), after
    print(f"lesson 02 ({lang}, {'stored' if stored else 'own'} notebook) ran in "
          f"{run.seconds:.1f} s; before {before}, after the solutions {after}")
