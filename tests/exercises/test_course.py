"""The README's teacher walk-through, run as written: from an empty folder to a Moodle CSV.

``labkit course init`` -> ``nbgrader db student import`` -> ``generate_assignment`` ->
``release_assignment`` -> (students: ``fetch_assignment``, ``submit``) -> ``collect`` ->
``autograde`` (the hidden cell grades each student's real lab host: a local sshd) ->
``export`` -> ``labkit gradebook --nbgrader`` (one Moodle column per assignment). Every
command is the real program in a subprocess, with a private Jupyter configuration.
"""

from __future__ import annotations

import csv
import io
import os
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from labkit import exercises
from labkit.grading.batch import student_params
from labkit.host import Host
from labkit.rosters import Student
from labkit.testing.sshd import LocalSSHHost, free_port

pytestmark = [pytest.mark.nbgrader, pytest.mark.sshd, pytest.mark.timeout(600)]

EXERCISE = "qemu-img-basics"
TIMEOUT = 180


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalSSHHost]:
    """A real sshd whose sessions read as another machine (their own /etc/machine-id, in a
    mount namespace): the grading machine itself earns no marks in nbgrader."""
    folder = tmp_path_factory.mktemp("identity")
    (folder / "machine-id").write_text("5bd1c0ffee5bd1c0ffee5bd1c0ffee00\n")
    script = folder / "as-student-host.sh"
    script.write_text("#!/bin/sh\nexec unshare -m /bin/sh -c 'mount --bind \"$1\" "
                      "/etc/machine-id && exec bash -c \"$SSH_ORIGINAL_COMMAND\"' sh "
                      f"{shlex.quote(str(folder / 'machine-id'))}\n")
    script.chmod(0o755)
    host = LocalSSHHost(extra_config=f"SetEnv SHLVL=1\nForceCommand {script}\n")
    try:
        host.start()
        yield host
    finally:
        host.stop()


def sh(cwd: Path, *argv: str, env: dict[str, str]) -> str:
    """Run a command of the walk-through; it must succeed."""
    result = subprocess.run(list(argv), cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=TIMEOUT)
    assert result.returncode == 0, f"{' '.join(argv)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


def test_from_an_empty_folder_to_a_moodle_csv(lab: LocalSSHHost, tmp_path: Path) -> None:
    bin_dir = Path(sys.executable).parent
    jupyter = tmp_path / "jupyter-home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LABKIT_", "JUPYTER"))}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
               JUPYTER_CONFIG_DIR=str(jupyter / "config"),
               JUPYTER_DATA_DIR=str(jupyter / "data"),
               JUPYTER_RUNTIME_DIR=str(jupyter / "runtime"), IPYTHONDIR=str(jupyter / "ipy"))
    spec = exercises.load(EXERCISE)
    # the teacher's roster: ana solved the exercise, bruno forgot the resize
    workdirs = {sid: tmp_path / "lab" / sid for sid in ("ana", "bruno")}
    with Host(lab.url) as host:
        for sid, workdir in workdirs.items():
            workdir.mkdir(parents=True)
            params = student_params(spec, Student(sid, {"host": lab.url},
                                                  params={"workdir": str(workdir)}))
            assert exercises.run_script(host, exercises.solution(EXERCISE), spec, params).ok
            if sid == "bruno":
                assert exercises.run_script(host, exercises.fault(EXERCISE, "not-grown").path,
                                            spec, params).ok
    roster = tmp_path / "class.csv"
    closed = f"ssh://root@127.0.0.1:{free_port()}?key={lab.key}"  # carla's VM is off
    roster.write_text("student_id,name,email,lang,host,param:workdir\n"
                      f"ana,Ana Pereira,ana@example.org,gl,{lab.url},{workdirs['ana']}\n"
                      f"bruno,Bruno Vilas,bruno@example.org,en,{lab.url},{workdirs['bruno']}\n"
                      f"carla,Carla Souto,carla@example.org,en,{closed},/nowhere\n")

    course = tmp_path / "course"
    labkit = str(bin_dir / "labkit")
    said = sh(tmp_path, labkit, "course", "init", str(course), "--exercise", EXERCISE,
              "--roster", str(roster), "--course-id", "virt", "--lang", "en", env=env)
    assert "Course ready" in said
    assert (course / "source" / EXERCISE / f"{EXERCISE}.ipynb").exists()
    course_roster = (course / "labkit-roster.csv").read_text().splitlines()
    assert course_roster[0] == "id,first_name,last_name,email,lang,host,param:workdir"
    assert course_roster[1] == f"ana,Ana,Pereira,ana@example.org,gl,{lab.url},{workdirs['ana']}"

    nbgrader = [sys.executable, "-m", "nbgrader"]
    said = sh(course, *nbgrader, "db", "student", "import", "labkit-roster.csv", env=env)
    assert "ana" in said and "bruno" in said
    sh(course, *nbgrader, "generate_assignment", EXERCISE, env=env)
    sh(course, *nbgrader, "release_assignment", EXERCISE, env=env)

    exchange = f"--Exchange.root={course / 'exchange'}"
    for sid in ("ana", "bruno", "carla"):  # each student fetches, answers and submits
        home = tmp_path / "students" / sid
        home.mkdir(parents=True)
        sh(home, *nbgrader, "fetch_assignment", EXERCISE, "--course", "virt", exchange,
           env=env)
        path = home / EXERCISE / f"{EXERCISE}.ipynb"
        nb = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == "commands":
                cell.source = "%%script true\nqemu-img info systemdisk.qcow2\n"
        nbformat.write(nb, path)  # type: ignore[no-untyped-call]
        sh(home, *nbgrader, "submit", EXERCISE, "--course", "virt", exchange,
           f"--student={sid}", env=env)

    sh(course, *nbgrader, "collect", EXERCISE, env=env)
    assert sorted(p.name for p in (course / "submitted").iterdir()) == ["ana", "bruno", "carla"]
    sh(course, *nbgrader, "autograde", EXERCISE, env=env)
    sh(course, *nbgrader, "export", env=env)
    export = list(csv.DictReader(io.StringIO((course / "grades.csv").read_text())))
    scores = {r["student_id"]: float(r["score"]) for r in export}
    graded = {sid: course / "autograded" / sid / EXERCISE / f"{EXERCISE}.ipynb"
              for sid in ("ana", "bruno", "carla")}
    feedback = {sid: str(nbformat.read(path, as_version=4).cells[-1].outputs)  # type: ignore[no-untyped-call]
                for sid, path in graded.items()}
    assert scores == {"ana": 10.0, "bruno": 8.0, "carla": 0.0}, feedback
    # the feedback of the hidden cell is in each student's language (roster's lang column)
    assert "Puntos desta cela" in feedback["ana"]
    assert "Points of this cell" in feedback["bruno"]
    # carla's host could not be read: the reason is in her feedback and the cell waits for a
    # person in formgrader (needs_manual_grade), not a silent 0
    assert "could not connect to the host" in feedback["carla"]
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        flagged = {sid: gradebook.find_submission_notebook(EXERCISE, EXERCISE, sid)
                   .needs_manual_grade for sid in ("ana", "bruno", "carla")}
    assert flagged == {"ana": False, "bruno": False, "carla": True}

    moodle = tmp_path / "moodle.csv"
    sh(course, labkit, "gradebook", "--nbgrader", "grades.csv", "--out", str(moodle),
       "--scale", "10", env=env)
    rows = list(csv.DictReader(io.StringIO(moodle.read_text())))
    by_id = {row["idnumber"]: row for row in rows}
    assert by_id["ana"] == {"idnumber": "ana", "fullname": "Ana Pereira", EXERCISE: "10"}
    assert by_id["bruno"] == {"idnumber": "bruno", "fullname": "Bruno Vilas", EXERCISE: "8"}


def test_course_init_refuses_to_overwrite(tmp_path: Path) -> None:
    from labkit.course import init_course
    from labkit.errors import LabkitError

    init_course(tmp_path / "c", [EXERCISE])
    roster = (tmp_path / "c" / "labkit-roster.csv").read_text()
    assert roster.startswith("id,first_name,last_name,email,lang,host\nana,Ana,")
    with pytest.raises(LabkitError, match=r"already has nbgrader_config\.py"):
        init_course(tmp_path / "c", [EXERCISE])
    with pytest.raises(LabkitError, match="has no nbgrader notebook"):
        init_course(tmp_path / "d", ["no-such-exercise"])
