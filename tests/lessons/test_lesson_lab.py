"""The lesson lab without VMs: start/attach/switch on a fake sandbox, commands on
MockTransport hosts, preview recordings, local mode, "Check my work" through the grading
context, and the exercise notebook's own values."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from labkit.host import Host
from labkit.lessons import LESSONS, Exercise, Lesson, labs, recording
from labkit.lessons.labs import Progress
from labkit.lessons.panel import PanelState, panel_lines
from labkit.lessons.table import LESSON_DISKS, lab_host_for, lesson_of, lesson_spec
from labkit.transports.base import Transport
from labkit.transports.mock import MockTransport
from labkit.widgets.check import CheckMyWork, Note

Handler = Callable[[str, bytes | None], Any]


def echo(command: str, stdin: bytes | None) -> tuple[int, str, str]:
    """A host that runs nothing: prints the command's last part, fails on ``false``."""
    last = command.split("&& ")[-1]
    if last == "false":
        return 1, "", "failed\n"
    return 0, f"ran: {last}\n", ""


class FakeSandbox:
    """The sandbox as the lessons see it: labs by name, up/down recorded, mock hosts."""

    def __init__(self, handler: Handler = echo, **labs_up: str) -> None:
        self.handler = handler
        self.state: dict[str, dict[str, Any]] = {}
        self.events: list[str] = []
        self.transports: dict[str, MockTransport] = {}
        for name, topology in labs_up.items():
            self.state[name] = self._status(name, topology)

    def _status(self, name: str, topology: str) -> dict[str, Any]:
        from labkit.lessons.table import TOPOLOGY_HOSTS

        return {"name": name, "topology": topology, "accel": "tcg",
                "hosts": [{"name": h, "state": "running", "lab_ip": f"10.9.9.{i}",
                           "url": f"ssh://root@127.0.0.1:{2200 + i}/{name}/{h}"}
                          for i, h in enumerate(TOPOLOGY_HOSTS[topology], start=1)]}

    def labs(self) -> dict[str, dict[str, Any]]:
        return dict(self.state)

    def up(self, name: str, topology: str, progress: Progress) -> dict[str, Any]:
        self.events.append(f"up {name}")
        progress("starting from the warm snapshot")
        self.state[name] = self._status(name, topology)
        return self.state[name]

    def down(self, name: str) -> None:
        self.events.append(f"down {name}")
        del self.state[name]

    def transport(self, url: str) -> Transport:
        self.transports[url] = MockTransport(self.handler, url=url)
        return self.transports[url]


def lesson(lesson_id: str, lang: str = "en", sandbox: FakeSandbox | None = None,
           **kwargs: Any) -> Lesson:
    return Lesson(lesson_id, lang, control=sandbox or FakeSandbox(), display=False, **kwargs)


@pytest.fixture(autouse=True)
def _no_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LABKIT_HOST", "LABKIT_PREVIEW", "LABKIT_PARAMS", "LABKIT_STUDENT",
                 "LABKIT_LAB_DIR",
                 "JUPYTERHUB_USER", "NB_USER"):
        monkeypatch.delenv(name, raising=False)


# -- the table ------------------------------------------------------------------------------
def test_every_lesson_has_a_topology_and_its_exercises() -> None:
    from labkit import exercises

    assert len(LESSONS) == 8
    for spec in LESSONS.values():
        assert spec.main in spec.roles and spec.workdir == f"/root/lessons/{spec.id}"
        for name in spec.exercises:
            exercise = exercises.load(name)
            assert {lab_host_for(spec.topology, r) for r in exercise.roles} <= set(spec.roles)
            assert lesson_of(name) is spec
            workdir = str(exercise.params.get("workdir", ""))
            assert not workdir.startswith("/root/lessons")   # never the lesson's folder
    assert lesson_spec("03") is LESSONS["03-lvm"]


def test_lessons_practise_on_their_own_names_and_devices() -> None:
    """No practice value of a lesson is a parameter value of its exercises (disks, VG,
    target, bridge…): a lesson run does not do its exercise. (LV names live inside the
    lesson's own VG, which is none of the exercises'.)"""
    from labkit import exercises

    assert LESSONS["03-lvm"].practice["disk1"] == LESSON_DISKS[0] == "/dev/vdf"
    inside_vg = {"linear", "mirror", "striped", "origin", "pool", "thin"}
    for spec in LESSONS.values():
        mine = {v for k, v in spec.practice.items() if k not in inside_vg} - {
            "192.168.100.10", "192.168.100.0/24", "eth1", "iqn.2024-01.lab.labkit:client"}
        for name in spec.exercises:
            theirs = {str(v) for v in exercises.load(name).params.values()}
            assert not mine & theirs, (spec.id, name, mine & theirs)


def test_going_in_order_switches_twice() -> None:
    order = [LESSONS[k].topology for k in sorted(LESSONS)]
    assert sum(a != b for a, b in itertools.pairwise(order)) == 2


# -- start, attach, switch ----------------------------------------------------------------------
def test_a_lab_that_is_down_is_started() -> None:
    sandbox = FakeSandbox()
    attached = labs.ensure("storage", sandbox)
    assert attached.started and sandbox.events == ["up storage"]
    assert list(attached.urls) == ["server", "client"]


def test_a_lab_that_is_up_is_attached_and_others_left_alone() -> None:
    sandbox = FakeSandbox(storage="storage", single="single", teacher="network")
    attached = labs.ensure("storage", sandbox)
    assert not attached.started and sandbox.events == []
    assert sorted(attached.others) == ["single", "teacher"]


def test_switching_stops_the_other_lesson_labs_only() -> None:
    sandbox = FakeSandbox(single="single", teacher="network")
    attached = labs.ensure("network", sandbox)
    assert sandbox.events == ["down single", "up network"]
    assert attached.stopped == ["single"] and attached.others == ["teacher"]
    kept = FakeSandbox(single="single")
    assert labs.ensure("storage", kept, keep_other=True).stopped == []
    assert kept.events == ["up storage"]


def test_a_lesson_lab_of_the_wrong_topology_is_made_again() -> None:
    sandbox = FakeSandbox(storage="network")
    labs.ensure("storage", sandbox)
    assert sandbox.events == ["down storage", "up storage"]


def test_a_lesson_starts_its_lab_and_says_what_it_did() -> None:
    sandbox = FakeSandbox(single="single")
    lab = lesson("06-network-devices", "gl", sandbox)
    assert lab.mode == "live" and sandbox.events == ["down single", "up network"]
    text = lab.panel.text()
    assert text.splitlines()[0] == ("Lección 06-network-devices: laboratorio network "
                                    "(router 10.9.9.1, a 10.9.9.2, b 10.9.9.3)")
    assert "arrincado agora" in text and "(TCG)" in text
    assert "Detívose o laboratorio single para arrincar network" in text
    again = lesson("07-bridges-ovs", "en", sandbox)
    assert "it was already up (TCG)" in again.panel.text()
    assert sandbox.events == ["down single", "up network"]     # attached, nothing started


def test_a_lab_that_cannot_start_is_a_message_never_a_traceback() -> None:
    class Broken(FakeSandbox):
        def up(self, name: str, topology: str, progress: Progress) -> dict[str, Any]:
            raise RuntimeError("no /dev/kvm and no qemu")

    lab = lesson("03-lvm", "en", Broken())
    assert lab.mode == "failed" and lab.problem is not None
    assert "The storage lab could not be started: RuntimeError: no /dev/kvm" in lab.problem
    assert lab.transcript("pvs").endswith("labkit: The storage lab could not be started: "
                                          "RuntimeError: no /dev/kvm and no qemu")
    assert isinstance(lab.check("lvm-basics"), Note)


# -- commands -------------------------------------------------------------------------------------
def test_sh_runs_in_the_lesson_folder_on_the_main_role(capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    sandbox = FakeSandbox()
    lab = lesson("03-lvm", "en", sandbox)
    lab.sh("pvs")
    lab.sh("false", on="client")
    lab.sh("lsblk", on="host")          # an exercise role: host is the server on storage
    assert capsys.readouterr().out == ("server$ pvs\nran: pvs\n"
                                       "client$ false\nfailed\n[exit code 1]\n"
                                       "server$ lsblk\nran: lsblk\n")
    server = sandbox.transports["ssh://root@127.0.0.1:2201/storage/server"]
    assert server.calls[0][0] == ("export LC_ALL=C; mkdir -p -- /root/lessons/03-lvm && "
                                  "cd -- /root/lessons/03-lvm && pvs")
    assert lab.transcript("true", on="router") == \
        "router$ true\nlabkit: This lab has no host router (it has: server, client)."
    assert lab.transcript("  ").endswith("labkit: Write a command first.")


def test_given_hosts_and_a_single_host_prompt() -> None:
    host = Host(MockTransport(echo))
    lab = Lesson("02-qemu-img", "gl", hosts={"host": host}, display=False)
    assert lab.mode == "given"
    assert lab.transcript("qemu-img --version") == "$ qemu-img --version\nran: qemu-img --version"
    assert lab.host() is host and lab.host("host") is host


# -- local mode ---------------------------------------------------------------------------------
def test_local_mode_runs_qemu_img_there_and_others_need_the_lab(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABKIT_HOST", "local://")
    sandbox = FakeSandbox()
    qemu = lesson("02-qemu-img", "en", sandbox)
    assert qemu.mode == "local" and qemu.host().url == "local://"
    lvm = lesson("03-lvm", "en", sandbox)
    assert lvm.mode == "needs-lab" and sandbox.events == []
    assert lvm.problem == ("This lesson needs the sandbox's storage lab (server, client): "
                           "press the button to start it.")
    assert lvm.transcript("pvs").endswith("press the button to start it.")
    from labkit.widgets import LvmMap

    drawn = LvmMap(lvm.host("server"), "en")          # a widget says why, never raises
    assert drawn.data is None and "press the button to start it." in drawn.output.value
    assert "There is no lab host" in drawn.output.value
    assert lvm.panel.widget is not None and lvm.panel._button.layout.display == ""
    lvm.panel._button.click()                       # what the student does
    assert lvm.mode == "live" and sandbox.events == ["up storage"]
    assert lvm.panel._button.layout.display == "none"
    assert lvm.transcript("pvs") == "server$ pvs\nran: pvs"


# -- the panel ------------------------------------------------------------------------------------
def test_progress_while_vms_start() -> None:
    lab = Lesson("03-lvm", "en", hosts={"server": Host(MockTransport(echo))}, display=False)
    lab.panel.progress(6.4, 12, "starting server, client from the warm snapshot")
    assert lab.panel._bar.value == 53 and lab.panel._bar.layout.display == ""
    assert "Starting the storage lab: 6 s… starting server" in lab.panel._seconds.value
    lab.panel.progress(30, 12)
    assert lab.panel._bar.value == 95                   # never full before it is up
    lab._refresh_panel()
    assert lab.panel._bar.layout.display == "none"


def test_panel_lines_in_preview() -> None:
    state = PanelState(mode="preview", hosts=["server", "client"], lab="storage", accel="tcg",
                       recorded="2026-11-29T10:02:11Z")
    lines = panel_lines("Lesson 03-lvm", "storage", state, "en")
    assert lines[1] == ("Preview (LABKIT_PREVIEW): nothing runs; the outputs are a recording "
                        "made on the storage lab on 2026-11-29 10:02:11 UTC (TCG).")


# -- recording and preview -----------------------------------------------------------------------
def test_a_live_run_records_and_preview_replays_it_labelled(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
        ) -> None:
    answers = iter(["one\n", "two\n"])

    def changing(command: str, stdin: bytes | None) -> tuple[int, str, str]:
        return (0, next(answers), "") if command.endswith("cat counter") else echo(command,
                                                                                    stdin)

    recording.record_to(tmp_path)
    try:
        live = lesson("04-nfs", "gl", FakeSandbox(changing))
        live.sh("cat counter")
        live.sh("cat counter")
        live.sh("exportfs -v", on="client")
    finally:
        recording.record_to(None)
    live_out = capsys.readouterr().out
    saved = json.loads((tmp_path / "gl" / "04-nfs.json").read_text())
    assert saved["lab"] == "storage" and saved["lesson"] == "04-nfs" and saved["accel"] == "tcg"
    assert set(saved["hosts"]) == {"server", "client"}

    monkeypatch.setattr(recording, "RECORDINGS", tmp_path)
    monkeypatch.setenv("LABKIT_PREVIEW", "1")
    sandbox = FakeSandbox()
    preview = lesson("04-nfs", "gl", sandbox)
    assert preview.mode == "preview" and sandbox.events == []      # nothing starts, nothing runs
    preview.sh("cat counter")
    preview.sh("cat counter")
    preview.sh("exportfs -v", on="client")
    out = capsys.readouterr().out
    when = saved["recorded"].replace("T", " ").rstrip("Z")
    label = f"[gravación: laboratorio storage, server, {when} UTC]\n"
    assert out.count("[gravación: laboratorio storage,") == 3 and out.startswith(label)
    from labkit.lessons.sanitize import sanitize

    assert sanitize(out) == sanitize(live_out)          # the same outputs, in the same order
    assert "two" in out
    edited = preview.transcript("rm -rf /")
    assert edited.endswith("labkit: este comando non está na gravación: na vista previa non "
                           "se executa nada (abre a lección sen LABKIT_PREVIEW para executalo "
                           "no laboratorio).")
    check = preview.check("nfs-exports")
    assert isinstance(check, Note) and "non se corrixe nada" in check.text()


def test_preview_without_a_recording_says_so(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(recording, "RECORDINGS", tmp_path)
    monkeypatch.setenv("LABKIT_PREVIEW", "1")
    lab = lesson("05-iscsi", "en")
    assert lab.mode == "preview" and lab.problem == "no recording of lesson 05-iscsi (en)"
    assert lab.transcript("targetcli ls").endswith("no recording of lesson 05-iscsi (en)")


# -- check my work ---------------------------------------------------------------------------------
def test_check_grades_the_exercise_roles_on_the_lab_hosts() -> None:
    from labkit import exercises

    sandbox = FakeSandbox(lambda c, s: (255, "", "ssh: connection reset\n"))
    lab = lesson("03-lvm", "en", sandbox)
    urls = {h: f"ssh://root@127.0.0.1:{2200 + i}/storage/{h}"
            for i, h in enumerate(("server", "client"), start=1)}
    for name in ("lvm-basics", "lvm-advanced", "nfs-exports"):
        before = {h: len(sandbox.transports[u].calls) for h, u in urls.items()}
        widget = lab.check(name)
        assert isinstance(widget, CheckMyWork) and widget.report is not None
        assert widget.report.score == 0 and widget.report.error is not None
        wanted = {lab_host_for("storage", r) for r in exercises.load(name).roles}
        for host, url in urls.items():       # one round trip to each role's host, no other
            calls = sandbox.transports[url].calls[before[host]:]
            assert len(calls) == (host in wanted), (name, host)
            assert all(c[0].startswith(": labkit-collect;") for c in calls)


def test_exercise_uses_the_student_values_and_its_own_workdir(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABKIT_PARAMS", "workdir=/root/lab/elsewhere")
    sandbox = FakeSandbox()
    ex = Exercise("lvm-basics", "en", control=sandbox, display=False)
    assert ex.topology == "storage" and ex.spec.id == "03-lvm"
    assert ex.workdir == "/root/lab/elsewhere" and ex.params["vg"] == "Datos"
    from labkit import exercises

    main = lab_host_for("storage", exercises.load("lvm-basics").roles[0])
    assert ex.main == main                        # sh runs on the exercise's own role
    assert ex.transcript("pvs") == f"{main}$ pvs\nran: pvs"
    port = 2201 if main == "server" else 2202
    first = sandbox.transports[f"ssh://root@127.0.0.1:{port}/storage/{main}"]
    assert "cd -- /root/lab/elsewhere && pvs" in first.calls[0][0]
    assert isinstance(ex.check(), CheckMyWork)
    assert ex.panel.text().startswith("Exercise lvm-basics: storage lab")


def test_in_a_class_the_check_asks_the_grading_service_never_the_kernel(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """LABKIT_GRADER_URL set: nothing is graded (nor signed) here; without a hub token there
    is nobody to ask, and the widget says so (tests/hub/test_lesson_service.py: the real one)."""
    monkeypatch.setenv("LABKIT_GRADER_URL", "http://127.0.0.1:9/services/labkit-grader/check")
    monkeypatch.delenv("JUPYTERHUB_API_TOKEN", raising=False)
    monkeypatch.delenv("JUPYTERHUB_API_URL", raising=False)
    sandbox = FakeSandbox()
    lab = lesson("03-lvm", "gl", sandbox)
    widget = lab.check("lvm-basics")
    assert isinstance(widget, CheckMyWork) and widget.report is None and widget.record is None
    assert all(not t.calls for t in sandbox.transports.values())
    assert "non hai servizo de corrección da clase" in widget.output.value
    monkeypatch.setenv("JUPYTERHUB_API_URL", "http://127.0.0.1:9/hub/api")
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "a-student-token")
    widget = Exercise("lvm-basics", "en", control=sandbox, display=False).check()
    assert widget.report is None and all(not t.calls for t in sandbox.transports.values())
    assert "The class grading service (http://127.0.0.1:9/services/labkit-grader/check) is " \
        "not answering" in widget.output.value


def test_in_a_hub_the_lessons_use_the_students_own_class_lab(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A JupyterHub server's one-line roster (labkit.hub) holding every host a lesson needs:
    the lesson runs there and starts nothing; a lesson needing hosts it lacks does as before."""
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,server,client\n"
                      "ana,ssh://root@10.0.0.5:22,ssh://root@10.0.0.6:22\n")
    monkeypatch.setenv("LABKIT_ROSTER", str(roster))
    monkeypatch.setenv("LABKIT_STUDENT", "ana")
    monkeypatch.delenv("JUPYTERHUB_API_URL", raising=False)
    sandbox = FakeSandbox()
    assert lesson("03-lvm", "en", sandbox).mode == "live"      # not a hub server: as before
    monkeypatch.setenv("JUPYTERHUB_API_URL", "http://127.0.0.1:8081/hub/api")
    sandbox = FakeSandbox()
    storage = lesson("04-nfs", "gl", sandbox)
    assert storage.mode == "class" and not sandbox.state
    assert {n: h.url for n, h in storage.hosts.items()} == \
        {"server": "ssh://root@10.0.0.5:22", "client": "ssh://root@10.0.0.6:22"}
    assert storage.panel.text().splitlines()[1] == \
        "Nas túas propias máquinas de laboratorio da clase."
    assert lesson("06-network-devices", "en", sandbox).mode == "live"   # no router, a, b
    monkeypatch.setenv("LABKIT_STUDENT", "bea")                         # not in the roster
    assert lesson("04-nfs", "en", FakeSandbox()).mode == "live"
