"""A lesson's and an exercise's "Check my work" in a JupyterHub class, for real, without VMs.

JupyterHub (LocalProcessSpawner, the dummy authenticator) runs the class's grading service
(``labkit.hub.service``, a process holding the evidence key, which the student cannot read)
on 127.0.0.1. One student's server gets their lab from the class allocation; the "lab" is a
throwaway sshd on 127.0.0.1 that reads as another machine (its own machine id). In the
student's kernel, ``Lesson(…).check(…)`` and ``Exercise(…).check()`` show the service's
report and keep its signed record (the settings name the service: ``LABKIT_GRADER_URL``,
which the hub gives the server); nothing is graded or signed in the kernel. With the
service down, the widget says so in the student's language. The lessons' commands run on the
student's own lab host (the hub's one-line roster), with nothing to set.

The teacher's course has a secret (``course_salt`` in the teacher's ``LABKIT_HOME``, which
the student cannot read): the exercise panel's values and ``for_student`` come from the
service, equal the values the signed record says it graded with, and differ from what the
kernel derives by itself; asking for another student's values is refused.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from labkit.evidence import verify
from labkit.grading.context import GradingContext
from labkit.sandbox.libvirt_class import ALLOCATION, Classroom, allocated_hosts, vm_url
from labkit.testing.sshd import free_port
from labkit.variants import student_params
from tests.helpers import student_host
from tests.hub.hubtools import HUB_TOKEN, run_in_kernel, running_hub, start_servers

pytestmark = [pytest.mark.hub, pytest.mark.sshd]
STUDENT = "lklesson"
MACHINE_ID = "5ad1e7c0ffee4b1dbeefcafe00000e14"
EXERCISE = "qemu-img-basics"
OTHER = "lkother"
#: The teacher's course secret (teacher's side only: the service's LABKIT_HOME).
SECRET = "teacher-only-" + "5ec7e7"


@pytest.fixture(scope="module")
def lab_class(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Any]]:
    """A class of one student whose lab is a loopback sshd (no hypervisor jump)."""
    if os.geteuid() != 0:
        pytest.skip("the student's Unix user needs root")
    if shutil.which("configurable-http-proxy") is None:
        pytest.skip("configurable-http-proxy is not installed (npm)")
    base = tmp_path_factory.mktemp("lessonclass")
    old = os.environ.get("LABKIT_HOME")
    os.environ["LABKIT_HOME"] = str(base / "home")
    roster = base / "class.csv"
    roster.write_text(f"student_id\n{STUDENT}\n")
    lab = student_host(base / "lab", MACHINE_ID)
    try:
        room = Classroom(roster)
        (room.dir / "keys").mkdir(parents=True)
        key = room.key(STUDENT)
        shutil.copyfile(lab.key, key)
        (room.dir / "known_hosts").write_text(
            f"[127.0.0.1]:{lab.port} {(lab.dir / 'host_key.pub').read_text()}")
        entry = {"name": STUDENT, "lab": f"{room.id}-{STUDENT}", "key": str(key),
                 "ports": {"host": lab.port}, "roles": {"host": "host"},
                 "hosts": {"host": vm_url(lab.port, key, room.known_hosts, None)}}
        (room.dir / ALLOCATION).write_text(json.dumps(
            {"class": room.id, "topology": "single", "students": {STUDENT: entry}}))
        yield roster, lab
    finally:
        lab.stop()
        if old is None:
            os.environ.pop("LABKIT_HOME", None)
        else:
            os.environ["LABKIT_HOME"] = old


KERNEL = """
import json, os
from labkit.evidence import MIME
from labkit.lessons import Exercise, Lesson

print("grader", os.environ.get("LABKIT_GRADER_URL"))
print("key in env", any("EVIDENCE" in k for k in os.environ))
try:
    open({key_file!r}).read()
except OSError as exc:
    print("evidence key", type(exc).__name__)
first = Lesson("01-virtualization", "en", display=False)
print("class mode", first.mode, first.panel.text().splitlines()[1])
print("class host", first.transcript("cat /etc/machine-id").splitlines()[-1])
lesson = Lesson("02-qemu-img", "en", display=False)
print("mode", lesson.mode)
w = lesson.check({exercise!r})
print("lesson report", json.dumps(w.report.to_dict() if w.report else None))
print("lesson record", json.dumps(w.record))
print("lesson notebook keeps it", MIME in w._repr_mimebundle_())
ex = Exercise({exercise!r}, "gl", display=False)
e = ex.check()
print("exercise record", json.dumps(e.record))
from labkit.errors import LabkitError
from labkit.grading.context import GradingContext
from labkit.variants import course_salt, for_student
try:
    open({salt_file!r}).read()
except OSError as exc:
    print("course secret", type(exc).__name__)
print("kernel salt", json.dumps(course_salt()))
print("panel params", json.dumps(ex.params))
print("panel html", json.dumps(ex.panel.values_html))
mine = for_student({exercise!r}, lang="en")
print("for_student", json.dumps([mine.student, mine.values, str(mine)]))
alone = GradingContext.build({exercise!r}, need_hosts=False)  # the kernel by itself
print("kernel alone", json.dumps(alone.params))
try:
    print("other's values", for_student({exercise!r}, {other!r}, lang="en").values)
except LabkitError as exc:
    print("other refused", json.dumps([type(exc).__name__, str(exc)]))
os.environ["LABKIT_GRADER_URL"] = "http://127.0.0.1:{closed}/services/labkit-grader/check"
gone = Exercise({exercise!r}, "gl", display=False)
print("down panel", json.dumps(gone.panel.values_html))
down = gone.check()
print("down report", down.report, down.record)
print("down says", json.dumps(down.output.value))
"""


def _line(out: str, label: str) -> Any:
    line = next((ln for ln in out.splitlines() if ln.startswith(label + " ")), None)
    assert line is not None, f"no {label!r} in:\n{out}"
    return json.loads(line[len(label) + 1:])


def test_lesson_check_grades_through_the_class_service(lab_class: tuple[Path, Any],
                                                       tmp_path: Path) -> None:
    roster, lab = lab_class
    key_file = tmp_path / "evidence.key"
    key_file.write_text(os.urandom(32).hex())
    key_file.chmod(0o600)
    key = key_file.read_text().strip().encode()
    # the course secret on the teacher's side only: the service's LABKIT_HOME, root's alone
    salt_file = Path(os.environ["LABKIT_HOME"]) / "course_salt"
    salt_file.write_text(SECRET + "\n")
    try:
        with running_hub(roster, [STUDENT], tmp_path / "hub", dict(os.environ),
                         evidence_key_file=str(key_file), grader_port=free_port()) as port:
            server = start_servers(port, [STUDENT])[STUDENT]
            out = run_in_kernel(server, KERNEL.format(
                key_file=str(key_file), exercise=EXERCISE, closed=free_port(),
                salt_file=str(salt_file), other=OTHER))
            no_token = _post(f"http://127.0.0.1:{port}/services/labkit-grader/values",
                             {"exercise": EXERCISE, "student": STUDENT}, None)
            not_a_student = _post(f"http://127.0.0.1:{port}/services/labkit-grader/values",
                                  {"exercise": EXERCISE, "student": STUDENT}, HUB_TOKEN)
        # (the direct grade in there is the teacher's own: with the same secret)
        _check_lesson_and_exercise(out, key, roster, lab, port)
        _check_class_values(out, key)
        # the values need a student's hub token: none, or a service's, is refused
        assert no_token == not_a_student == 403, (no_token, not_a_student)
    finally:
        salt_file.unlink()


def _post(url: str, body: dict[str, Any], token: str | None) -> int:
    """The HTTP status of a POST to the service (without a student's token)."""
    import urllib.error
    import urllib.request

    headers = {"Authorization": f"token {token}"} if token else {}
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def _check_class_values(out: str, key: bytes) -> None:
    """Shown == graded, derived with the teacher's secret the kernel never had."""
    assert "course secret PermissionError" in out and "kernel salt \"\"" in out, out
    record = _line(out, "exercise record")
    assert record is not None and verify(record, key), record
    teacher = student_params(EXERCISE, STUDENT, salt=SECRET)
    graded = {name: record["params"][name] for name in teacher}
    assert graded == teacher, (graded, teacher)
    # the panel's values and params, and for_student, are the service's: the graded ones
    panel = _line(out, "panel params")
    assert {name: panel[name] for name in teacher} == graded, (panel, graded)
    student, shown, as_text = _line(out, "for_student")
    assert student == STUDENT, student
    assert shown == {name: graded[name] for name in shown}, (shown, graded)
    assert set(shown) == set(graded) - {"grown"}, shown  # the hidden helper stays hidden
    assert "System disk (without .qcow2)" in as_text, as_text
    html = _line(out, "panel html")
    assert f"Os teus valores para {EXERCISE} ({STUDENT})" in html, html
    assert "Disco do sistema (sen .qcow2)" in html, html
    assert html.count("<code>") == len(shown), html
    for value in shown.values():
        assert f"<code>{value}</code>" in html, (value, html)
    # what the kernel derives by itself (no secret) is another set of values
    alone = _line(out, "kernel alone")
    own = {name: alone[name] for name in teacher}
    assert own == student_params(EXERCISE, STUDENT, salt=""), own
    assert own != graded, (own, graded)
    # another student's values: refused, in the student's language
    kind, said = _line(out, "other refused")
    assert kind == "AuthError", (kind, said)
    assert "did not give your values" in said and f"you are {STUDENT}" in said, said
    assert "other's values" not in out, out
    # the service down: the panel says so and shows no values of its own making
    down = _line(out, "down panel")
    assert "non responde" in down and "<code>" not in down, down


def _check_lesson_and_exercise(out: str, key: bytes, roster: Path, lab: Any,
                               port: int) -> None:
    assert "ERROR" not in out, out
    assert f"grader http://127.0.0.1:{port}/services/labkit-grader/check" in out, out
    assert "key in env False" in out and "evidence key PermissionError" in out, out
    # the lessons run on the student's own class lab (the hub's one-line roster), nothing to set
    assert "class mode class On your own class lab hosts." in out, out
    assert f"class host {MACHINE_ID}" in out, out
    assert "\nmode class\n" in out, out
    # the service's report, graded on the student's own lab host and signed with the key
    report, record = _line(out, "lesson report"), _line(out, "lesson record")
    assert record is not None and verify(record, key), record
    assert record["student"] == STUDENT and record["exercise"] == EXERCISE, record
    assert record["hosts"]["host"]["machine_id"] == MACHINE_ID, record["hosts"]
    assert f":{lab.port}" in record["hosts"]["host"]["url"], record["hosts"]
    assert [(c["id"], c["status"], c["points"]) for c in report["checks"]] == \
        [(c["id"], c["status"], c["points"]) for c in record["checks"]]
    assert "lesson notebook keeps it True" in out, out
    # the same as grading that host directly, check by check
    url = allocated_hosts(roster)[STUDENT]["host"]  # type: ignore[index]
    direct = GradingContext.for_student(EXERCISE, student=STUDENT, lang="en", url=url).grade()
    assert report["checks"] == direct.to_dict()["checks"], (report, direct.to_dict())
    assert report["max_score"] == direct.max_score > 0
    exercise_record = _line(out, "exercise record")
    assert exercise_record is not None and verify(exercise_record, key), exercise_record
    assert exercise_record["student"] == STUDENT, exercise_record
    # the service down: no report, no record, a clear message in the student's language
    assert "down report None None" in out, out
    said = _line(out, "down says")
    assert "O servizo de corrección da clase" in said and "non responde" in said, said
