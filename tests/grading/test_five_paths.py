"""One student, one host, five ways of grading, one report.

The same student's host is graded by ``labkit grade --host``, ``labkit grade --roster`` (the
class run and its report file), the nbgrader bridge, the notebook's "Check my work" context
and the signed evidence of ``check_my_work``; the exercise declares per-student values and
the student's host holds their own answer with one fault, so the report has passed, failed
and blocked checks whose messages name the student's own files. Every path must give the
same score and the same status and message for every check.

The student's host is a real sshd that reads as another machine (its own machine id), as a
student's lab VM does: the grading machine itself earns no marks or evidence.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from labkit import evidence, exercises
from labkit.grading.context import GradingContext
from labkit.host import Host
from labkit.notebook import nbgrader as bridge
from labkit.testing.sshd import LocalSSHHost
from tests.helpers import labkit_cli, student_host

pytestmark = [pytest.mark.sshd]

EXERCISE = "qemu-img-basics"
STUDENT = "uxia.pereira"
FAULT = "raw-missing"  # raw-exists fails, raw-format and raw-size are blocked
SALT = "course-2026-secret"
KEY = "teacher-key-0123456789abcdef0123"


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalSSHHost]:
    lab = student_host(tmp_path_factory.mktemp("student-host"))
    try:
        yield lab
    finally:
        lab.stop()


@pytest.fixture(autouse=True)
def _course(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LABKIT_STUDENT", "LABKIT_ROSTER", "LABKIT_PARAMS", "LABKIT_LANG",
                 "LABKIT_HOST", "LABKIT_HINT_LEVEL", "NBGRADER_EXECUTION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LABKIT_COURSE_SALT", SALT)
    monkeypatch.setenv("LABKIT_EVIDENCE_KEY", KEY)


def _checks(data: dict[str, Any]) -> list[tuple[str, str, float, str]]:
    return [(c["id"], c["status"], c["points"], c["message"]) for c in data["checks"]]


def test_five_paths_give_the_same_report(host: LocalSSHHost, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    workdir = tmp_path / "work"
    context = GradingContext.build(EXERCISE, student=STUDENT, lang="en",
                                   params={"workdir": str(workdir)}, need_hosts=False)
    defaults = GradingContext.build(EXERCISE, lang="en", params={"workdir": str(workdir)},
                                    need_hosts=False)
    assert context.params != defaults.params, "the student's values are their own"
    with Host(host.url) as h:
        for script in (exercises.solution(EXERCISE), exercises.fault(EXERCISE, FAULT).path):
            result = exercises.run_script(h, script, context.spec, context.params)
            assert result.ok, result.tail()
    roster = tmp_path / "labkit-roster.csv"
    roster.write_text(f"student_id,host,lang,param:workdir\n{STUDENT},{host.url},en,{workdir}\n")

    # 1. labkit grade --host (the teacher trying one student's host)
    one = labkit_cli("--lang", "en", "grade", EXERCISE, "--host", host.url, "--student",
                     STUDENT, "--param", f"workdir={workdir}", "--json")
    assert one.code == 1, one.stderr
    by_host = json.loads(one.stdout)

    # 2. labkit grade --roster (the class run; its report file)
    out = tmp_path / "class"
    batch = labkit_cli("--lang", "en", "grade", EXERCISE, "--roster", str(roster), "--out",
                       str(out), "--format", "json")
    assert batch.code == 0, batch.stderr
    by_roster = json.loads((out / "reports" / f"{STUDENT}.json").read_text())

    # 3. the nbgrader bridge, in the student's autograded folder
    autograded = tmp_path / "autograded" / STUDENT / EXERCISE
    autograded.mkdir(parents=True)
    monkeypatch.chdir(autograded)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    printed = io.StringIO()
    points = bridge.autograde_points(EXERCISE, roster=roster, out=printed)
    report, _ = bridge._grade(EXERCISE, roster, None, None, None, {
        "NBGRADER_EXECUTION": "autograde", "LABKIT_COURSE_SALT": SALT}, printed.write)
    assert report is not None
    by_nbgrader = report.to_dict()
    monkeypatch.delenv("NBGRADER_EXECUTION")

    # 4. "Check my work" in the student's notebook (their id from JupyterHub)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JUPYTERHUB_USER", STUDENT)
    mine = GradingContext.for_student(EXERCISE, url=host.url, lang="en",
                                      params={"workdir": str(workdir)})
    assert mine.student == STUDENT and mine.params == context.params
    by_button = mine.grade(official=True).to_dict()

    # 5. the signed evidence the button keeps
    graded, record = evidence.check_my_work(EXERCISE, host.url, lang="en",
                                            params={"workdir": str(workdir)})
    by_evidence = graded.to_dict()
    assert evidence.verify(record, KEY.encode()).ok
    assert record["student"] == STUDENT and record["params"] == context.params

    reports = {"grade --host": by_host, "grade --roster": by_roster, "nbgrader": by_nbgrader,
               "check my work": by_button, "evidence": by_evidence}
    expected = _checks(by_host)
    statuses = {status for _, status, _, _ in expected}
    assert statuses == {"passed", "failed", "blocked"}, expected
    assert any(context.params["raw"] in message for _, _, _, message in expected)
    for path, data in reports.items():
        assert data["score"] == by_host["score"] < data["max_score"], path
        assert _checks(data) == expected, path
    assert [(c["id"], c["status"], c["points"]) for c in record["checks"]] == [
        (i, s, p) for i, s, p, _ in expected]
    assert points == by_host["score"]
