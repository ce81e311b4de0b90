"""A roster of student ids graded on the labs ``labkit class up`` allocated to them.

Each student's lab host is a real throwaway sshd standing for their lab VM (all of them with
one host key, as VMs from one image have), and the allocation is written by the class's own
writer (:class:`labkit.sandbox.libvirt_class.Classroom`), with the URLs it makes
(:func:`~labkit.sandbox.libvirt_class.vm_url`): ``labkit grade EXERCISE --roster class.csv``
must grade every student's own lab, with their own values."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import EXERCISE, params_of

from labkit import exercises
from labkit.checks.spec import ExerciseSpec
from labkit.cli.main import main
from labkit.errors import RosterError
from labkit.grading.class_roster import load_roster
from labkit.host import Host
from labkit.sandbox.libvirt_class import Classroom, allocated_hosts, vm_url
from labkit.testing.sshd import SSHD_CANDIDATES, LocalSSHHost

pytestmark = pytest.mark.sshd
STUDENTS = ("alumno0", "alumno1")


def allocate(roster: Path, labs: dict[str, LocalSSHHost]) -> Classroom:
    """What ``labkit class up`` leaves for ``roster``: each student's key, the allocation
    with their host URL by role, the known_hosts of the forwarded ports."""
    room = Classroom(roster)
    (room.dir / "keys").mkdir(parents=True, exist_ok=True)
    host_key = next(iter(labs.values())).dir.joinpath("host_key.pub").read_text().strip()
    students = {}
    for sid, lab in labs.items():
        key = room.key(sid)
        shutil.copy2(lab.key, key)
        shutil.copy2(lab.key.with_suffix(".pub"), key.with_suffix(".pub"))
        students[sid] = {"name": sid, "hypervisor": "qemu:///session", "jump": None,
                         "lab": f"{room.id}-{sid}", "key": str(key),
                         "ports": {"host": lab.port}, "roles": {"host": "host"},
                         "host_keys": {"host": host_key},
                         "hosts": {"host": vm_url(lab.port, key, room.known_hosts, None)}}
    room._write({"class": room.id, "roster": str(roster.resolve()), "topology": "single",
                 "host_key": host_key, "students": students})
    return room


@pytest.fixture(scope="module")
def labs(tmp_path_factory: pytest.TempPathFactory,
         spec: ExerciseSpec) -> Iterator[dict[str, tuple[LocalSSHHost, Path]]]:
    """alumno0's lab solved with their own values; alumno1's solved, then the fault
    ``not-grown`` applied."""
    if not any(Path(p).exists() for p in SSHD_CANDIDATES):
        pytest.skip("OpenSSH server not installed (apt-get install openssh-server)")
    if os.geteuid() != 0:
        pytest.skip("lab VM URLs log in as root")
    started: list[LocalSSHHost] = []
    try:
        out = {}
        for sid in STUDENTS:
            folder = tmp_path_factory.mktemp(f"lab-{sid}")
            if started:  # one image, one host key
                for name in ("host_key", "host_key.pub"):
                    shutil.copy2(started[0].dir / name, folder / name)
            lab = LocalSSHHost(folder).start()
            started.append(lab)
            workdir = tmp_path_factory.mktemp(f"work-{sid}")
            with Host(lab.url) as host:
                values = params_of(spec, sid, workdir)
                assert exercises.run_script(host, exercises.solution(EXERCISE), spec,
                                            values).ok
                if sid == "alumno1":
                    assert exercises.run_script(
                        host, exercises.fault(EXERCISE, "not-grown").path, spec, values).ok
            out[sid] = (lab, workdir)
        yield out
    finally:
        for lab in started:
            lab.stop()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LABKIT_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def ids_roster(path: Path, labs: dict[str, tuple[LocalSSHHost, Path]]) -> Path:
    rows = "".join(f"{sid},Alumno {sid[-1]},{work}\n" for sid, (_, work) in labs.items())
    path.write_text("# the class, as given to `labkit class up`\n"
                    f"student_id,name,param:workdir\n{rows}")
    return path


def test_grade_a_roster_of_ids_grades_each_students_own_lab(
        labs: dict[str, tuple[LocalSSHHost, Path]], home: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    roster = ids_roster(tmp_path / "class.csv", labs)
    allocate(roster, {sid: lab for sid, (lab, _) in labs.items()})
    out = tmp_path / "out"
    code = main(["grade", EXERCISE, "--roster", str(roster), "--out", str(out), "--json",
                 "--lang", "en"])
    printed, err = capsys.readouterr()
    assert code == 0, err
    rows = {r["student"]: r for r in json.loads(printed)["students"]}
    assert set(rows) == set(STUDENTS) and not any(r["error"] for r in rows.values())
    assert rows["alumno0"]["score"] == rows["alumno0"]["max_score"]
    assert rows["alumno1"]["score"] < rows["alumno1"]["max_score"]  # their own fault shows
    for sid, (lab, _) in labs.items():
        report = json.loads((out / "reports" / f"{sid}.json").read_text())
        assert f":{lab.port}" in report["host"], report["host"]
    # the deadline snapshot reads the same labs
    code = main(["snapshot", EXERCISE, "--roster", str(roster), "--out",
                 str(tmp_path / "snap.json"), "--lang", "en"])
    printed, err = capsys.readouterr()
    assert code == 0, printed + err
    assert (tmp_path / "snap.json").exists()


def test_a_roster_of_ids_with_no_class_up_is_one_clear_line(
        home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roster = tmp_path / "class.csv"
    roster.write_text("student_id,name\nalumno0,A\nalumno1,B\n")
    code = main(["grade", EXERCISE, "--roster", str(roster), "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "no class is up" in err and f"labkit class up --roster {roster}" in err


def test_a_roster_with_hosts_keeps_them_even_with_a_class_up(
        labs: dict[str, tuple[LocalSSHHost, Path]], home: Path, tmp_path: Path) -> None:
    roster = tmp_path / "class.csv"
    own = labs["alumno1"][0].url
    roster.write_text(f"student_id,host\nalumno0,{own}\n")
    allocate(roster, {"alumno0": labs["alumno0"][0]})
    assert allocated_hosts(roster) is not None
    assert load_roster(roster)["alumno0"].hosts == {"host": own}


def test_roster_details_stay_and_errors_name_the_teachers_line(
        labs: dict[str, tuple[LocalSSHHost, Path]], home: Path, tmp_path: Path) -> None:
    roster = tmp_path / "class.csv"
    roster.write_text("# 2026\n\nStudent ID;Name;Lang;param:workdir\n"
                      "alumno0;\"Álvarez; Ana\";en;/w0\n\n# later\nalumno1;Brea;;/w1\n")
    room = allocate(roster, {sid: lab for sid, (lab, _) in labs.items()})
    loaded = load_roster(roster)
    ana = loaded["alumno0"]
    assert (ana.name, ana.lang, ana.params) == ("Álvarez; Ana", "en", {"workdir": "/w0"})
    allocation = room.allocation()
    assert allocation is not None
    assert ana.hosts == allocation["students"]["alumno0"]["hosts"]
    assert loaded["alumno1"].source.endswith(":7")
    roster.write_text("student_id\nalumno0\n\nalumno0\n")
    with pytest.raises(RosterError, match=r"class\.csv:4: duplicate student id 'alumno0'"):
        load_roster(roster)


def test_students_the_class_has_no_lab_for_are_named(
        labs: dict[str, tuple[LocalSSHHost, Path]], home: Path, tmp_path: Path) -> None:
    roster = ids_roster(tmp_path / "class.csv", labs)
    allocate(roster, {"alumno0": labs["alumno0"][0]})
    with pytest.raises(RosterError, match=r"1 students have no lab .*\(alumno1\)"):
        load_roster(roster, lang="en")


def test_variants_of_a_roster_of_ids(home: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    roster = tmp_path / "class.csv"
    roster.write_text("student_id,name\nalumno0,A\nalumno1,B\n")
    assert main(["variants", EXERCISE, "--roster", str(roster), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert list(shown) == ["alumno0", "alumno1"] and shown["alumno0"] != shown["alumno1"]
    roster.write_text("student_id,name\nalumno0,A\nalumno0,B\n")
    assert main(["variants", EXERCISE, "--roster", str(roster)]) == 2
    assert "duplicate student id 'alumno0'" in capsys.readouterr().err


def test_one_student_of_a_roster_of_ids_and_their_drill(
        labs: dict[str, tuple[LocalSSHHost, Path]], home: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """One student's grade (``--student``) and ``break`` read the same ids-only roster."""
    from labkit.drills import context

    roster = ids_roster(tmp_path / "class.csv", labs)
    allocate(roster, {sid: lab for sid, (lab, _) in labs.items()})
    lab, _ = labs["alumno1"]
    code = main(["grade", EXERCISE, "--roster", str(roster), "--student", "alumno1", "--json",
                 "--lang", "en"])
    printed, err = capsys.readouterr()
    assert code == 1, err  # alumno1's own fault shows
    assert f":{lab.port}" in json.loads(printed)["host"]
    ctx = context(EXERCISE, roster=str(roster), student="alumno0", lang="en")
    assert {f":{labs['alumno0'][0].port}" in url for url in ctx.urls.values()} == {True}
