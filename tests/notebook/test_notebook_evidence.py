""""Check my work" in a real IPython kernel (labkit.notebook.evidence): the report is shown and
the signed record is kept as an output of the cell, so it is saved with the notebook and the
teacher's side reads it back and verifies it.

The student's host is a real OpenSSH server on 127.0.0.1 that reads as another machine
(``tests/helpers.student_host``); the notebook runs in a fresh kernel through nbclient.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from labkit import evidence, exercises
from labkit.grading.context import GradingContext
from labkit.host import Host
from labkit.notebook.evidence import show_record
from labkit.testing.sshd import LocalSSHHost
from tests.helpers import student_host

pytestmark = [pytest.mark.sshd, pytest.mark.timeout(300)]

EXERCISE = "qemu-img-basics"
KEY = b"teacher-secret-0123456789abcdef"
CELL = """\
from labkit.notebook.evidence import check_my_work
report, record = check_my_work({exercise!r}, {url!r}, student="ana", lang="en",
                               params={{"workdir": {workdir!r}}})
"""


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LocalSSHHost, Path]]:
    """ana's host, where she ran the exercise's solution in her own folder."""
    host = student_host(tmp_path_factory.mktemp("host"))
    workdir = tmp_path_factory.mktemp("work")
    try:
        context = GradingContext.build(EXERCISE, student="ana", env={}, need_hosts=False,
                                       params={"workdir": str(workdir)})
        with Host(host.url) as h:
            result = exercises.run_script(h, exercises.solution(EXERCISE), context.spec,
                                          context.params)
            assert result.ok, result.stderr
        yield host, workdir
    finally:
        host.stop()


def test_check_my_work_keeps_the_signed_record_in_the_saved_notebook(
        solved: tuple[LocalSSHHost, Path], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    host, workdir = solved
    monkeypatch.setenv("LABKIT_EVIDENCE_KEY", KEY.decode())  # the kernel inherits it
    folder = tmp_path / "student"
    folder.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(CELL.format(exercise=EXERCISE, url=host.url,
                                                      workdir=str(workdir)))]
    NotebookClient(nb, timeout=180, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()
    saved = folder / "ana.ipynb"
    nbformat.write(nb, saved)

    outputs = nb.cells[0].outputs
    shown = [o for o in outputs if o.output_type == "display_data"]
    assert len(shown) == 1, outputs
    assert {"text/plain", "text/html", evidence.MIME} <= set(shown[0].data)
    for kind in ("text/plain", "text/html"):  # the report, as a table, in the same output
        assert "disk-exists" in shown[0].data[kind] and "10/10" in shown[0].data[kind]
    assert "\x1b[" not in shown[0].data["text/plain"]  # no terminal colour codes

    records = evidence.records_from_file(saved)
    assert len(records) == 1
    record = records[0]
    assert evidence.verify(record, KEY).ok
    assert record["student"] == "ana" and record["exercise"] == EXERCISE
    assert record["score"] == record["max_score"] > 0
    assert not evidence.verify({**record, "score": 0.0}, KEY).ok


def test_outside_a_kernel_nothing_is_shown(solved: tuple[LocalSSHHost, Path],
                                           monkeypatch: pytest.MonkeyPatch,
                                           tmp_path: Path) -> None:
    host, workdir = solved
    monkeypatch.setenv("LABKIT_EVIDENCE_KEY", KEY.decode())
    monkeypatch.chdir(tmp_path)
    report, record = evidence.check_my_work(EXERCISE, host.url, student="ana", lang="en",
                                            params={"workdir": str(workdir)})
    assert evidence.verify(record, KEY).ok
    assert show_record(report, record) is False
