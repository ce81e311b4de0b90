"""Evidence records over real sshd hosts: signed, verified, edits and copied VMs flagged; a
recording or the grading machine itself earns no record; every submitted notebook must hold
its owner's record.

The students' hosts are throwaway sshds that read as other machines (each session sees its
own machine id: ``tests/helpers.student_host``); the solution runs with each student's
own values (their grading context)."""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from labkit import evidence, exercises
from labkit.checks.spec import ExerciseSpec
from labkit.cli.classes import add_commands
from labkit.errors import ConfigError, ProbeError
from labkit.grading.context import GradingContext, StandInHost
from labkit.host import Host
from labkit.probes.system import MachineId
from labkit.testing.sshd import LocalSSHHost
from labkit.transports.base import CommandResult
from tests.helpers import student_host, student_host_config

KEY = b"teacher-secret-0123456789abcdef"
EXERCISE = "qemu-img-basics"
STUDENTS = ("ana", "bea", "carl")
MACHINE_IDS = {"ana": "a" * 32, "bea": "b" * 32, "carl": "c" * 32}


@dataclass
class Students:
    hosts: dict[str, LocalSSHHost]
    workdirs: dict[str, Path]


def _solve(url: str, student: str, workdir: Path, fault: str | None = None) -> None:
    context = GradingContext.build(EXERCISE, student=student, env={}, need_hosts=False,
                                   params={"workdir": str(workdir)})
    scripts = [exercises.solution(EXERCISE)]
    if fault:
        scripts.append(exercises.fault(EXERCISE, fault).path)
    with Host(url) as h:
        for script in scripts:
            result = exercises.run_script(h, script, context.spec, context.params)
            assert result.ok, result.stderr


@pytest.fixture(scope="module")
def spec() -> ExerciseSpec:
    return exercises.load(EXERCISE)


@pytest.fixture(scope="module")
def students(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Students]:
    """ana and bea solved the exercise, carl forgot the resize; each on their own machine."""
    hosts: dict[str, LocalSSHHost] = {}
    try:
        for student in STUDENTS:
            hosts[student] = student_host(tmp_path_factory.mktemp(f"host-{student}"),
                                          MACHINE_IDS[student])
        workdirs = {s: tmp_path_factory.mktemp(f"work-{s}") for s in STUDENTS}
        for student in STUDENTS:
            _solve(hosts[student].url, student, workdirs[student],
                   "not-grown" if student == "carl" else None)
        yield Students(hosts, workdirs)
    finally:
        for host in hosts.values():
            host.stop()


def record_for(host: LocalSSHHost, workdir: Path, spec: ExerciseSpec, student: str,
               key: bytes = KEY) -> dict[str, Any]:
    with Host(host.url) as h:
        _, record = evidence.make_record(spec, {"host": h}, student, key, lang="en",
                                         params={"workdir": str(workdir)},
                                         now=datetime(2025, 11, 27, 10, 2, 3, tzinfo=UTC))
    return record


@pytest.mark.sshd
def test_a_record_from_a_real_host_verifies(students: Students, spec: ExerciseSpec) -> None:
    record = record_for(students.hosts["ana"], students.workdirs["ana"], spec, "ana")
    assert record["exercise"] == "qemu-img-basics" and record["student"] == "ana"
    assert record["time"] == "2025-11-27T10:02:03Z"
    assert record["score"] == record["max_score"] == spec.max_score
    host = record["hosts"]["host"]
    assert host["machine_id"] == MACHINE_IDS["ana"]
    assert host["host_key"].startswith("SHA256:") and len(host["host_key"]) == 50
    assert len(record["probes"]) == 6 and all(len(d) == 64 for d in record["probes"].values())
    assert record["key_id"] == evidence.key_id(KEY)
    assert KEY.decode() not in json.dumps(record)
    assert evidence.verify(record, KEY).ok
    assert not evidence.verify(record, b"another-key-0123456789abcdef").ok


@pytest.mark.sshd
def test_the_host_key_fingerprint_is_the_one_ssh_keygen_shows(students: Students) -> None:
    import subprocess

    lab = students.hosts["bea"]
    shown = subprocess.run(["ssh-keygen", "-lf", str(lab.dir / "host_key.pub")],
                           capture_output=True, text=True, check=True).stdout.split()[1]
    with Host(lab.url) as h:
        assert h.transport.host_key_fingerprint() is None  # type: ignore[attr-defined]
        h.run("true")
        assert h.transport.host_key_fingerprint() == shown  # type: ignore[attr-defined]


@pytest.mark.parametrize("edit", [
    lambda r: r.update(score=r["max_score"]),
    lambda r: r["checks"][2].update(status="passed"),
    lambda r: r["hosts"]["host"].update(machine_id="0" * 32),
    lambda r: r.update(student="bea"),
    lambda r: r.update(time="2025-11-26T10:00:00Z"),
    lambda r: r["probes"].clear(),
    lambda r: r.update(extra="field"),
    lambda r: r.pop("sig"),
])
def test_any_edit_is_detected(edit: Any) -> None:
    record = evidence.sign({
        "labkit_evidence": 1, "exercise": "qemu-img-basics", "student": "ana",
        "time": "2025-11-27T10:02:03Z", "score": 2.0, "max_score": 4.0,
        "checks": [{"id": "a", "status": "passed", "points": 1.0},
                   {"id": "b", "status": "passed", "points": 1.0},
                   {"id": "c", "status": "failed", "points": 0.0}],
        "hosts": {"host": {"url": "ssh://root@10.0.0.1:22", "machine_id": "1" * 32,
                           "host_key": "SHA256:x"}},
        "probes": {"host:file.stat": "ab" * 32}, "params": {}}, KEY)
    assert evidence.verify(record, KEY).ok
    edited = copy.deepcopy(record)
    edit(edited)
    result = evidence.verify(edited, KEY)
    assert not result.ok and result.problems


def test_a_resigned_record_with_an_inconsistent_score_is_flagged() -> None:
    record = evidence.sign({"labkit_evidence": 1, "score": 5.0, "max_score": 5.0,
                            "checks": [{"id": "a", "status": "passed", "points": 1.0}]}, KEY)
    assert evidence.verify(record, KEY).problems == [
        "the score is not the sum of the checks' points"]


@pytest.fixture
def twin_hosts(tmp_path: Path) -> Iterator[tuple[LocalSSHHost, LocalSSHHost, LocalSSHHost]]:
    """Two hosts sharing one machine id and one host key (a copied VM) and a third of its
    own."""
    started: list[LocalSSHHost] = []
    try:
        first = student_host(tmp_path / "first", "d" * 32)
        started.append(first)
        clone_dir = tmp_path / "clone"
        clone_dir.mkdir()
        for name in ("host_key", "host_key.pub"):
            shutil.copy(first.dir / name, clone_dir / name)
        clone = LocalSSHHost(clone_dir, extra_config="SetEnv SHLVL=1\n" + student_host_config(
            clone_dir / "identity", "d" * 32))
        started.append(clone.start())
        started.append(student_host(tmp_path / "other", "e" * 32))
        yield started[0], started[1], started[2]
    finally:
        for host in started:
            host.stop()


@pytest.mark.sshd
def test_copied_vms_are_found(twin_hosts: tuple[LocalSSHHost, LocalSSHHost, LocalSSHHost],
                              spec: ExerciseSpec, tmp_path: Path) -> None:
    first, clone, other = twin_hosts
    records = [record_for(h, tmp_path, spec, who)
               for h, who in ((first, "ana"), (clone, "bea"), (other, "carl"))]
    records.append(record_for(first, tmp_path, spec, "ana"))  # ana checking again is fine
    copies = evidence.find_copies(records)
    by_kind = {c.kind: c for c in copies}
    assert set(by_kind) == {"host_key", "machine_id"}
    assert by_kind["host_key"].students == ["ana", "bea"]
    assert by_kind["host_key"].value == records[0]["hosts"]["host"]["host_key"]
    assert by_kind["machine_id"].students == ["ana", "bea"]
    assert by_kind["machine_id"].value == "d" * 32
    assert "a copied VM?" in str(by_kind["host_key"])
    distinct = [{"student": s, "hosts": {"host": {"machine_id": m, "host_key": k}}}
                for s, m, k in (("x", "1" * 32, "SHA256:a"), ("y", "2" * 32, "SHA256:b"))]
    assert evidence.find_copies(distinct) == []


def test_the_key_comes_from_the_environment_or_a_file_outside_the_notebooks(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LABKIT_EVIDENCE_KEY", raising=False)
    monkeypatch.delenv("LABKIT_EVIDENCE_KEY_FILE", raising=False)
    monkeypatch.setattr(evidence, "DEFAULT_KEY_FILE", tmp_path / "absent")
    with pytest.raises(ConfigError, match="no evidence key"):
        evidence.load_key()
    monkeypatch.setenv("LABKIT_EVIDENCE_KEY", "short")
    with pytest.raises(ConfigError, match="too short"):
        evidence.load_key()
    monkeypatch.setenv("LABKIT_EVIDENCE_KEY", KEY.decode())
    assert evidence.load_key() == KEY
    monkeypatch.delenv("LABKIT_EVIDENCE_KEY")
    notebooks = tmp_path / "student"
    notebooks.mkdir()
    inside = notebooks / "evidence.key"
    inside.write_bytes(KEY + b"\n")
    monkeypatch.setenv("LABKIT_EVIDENCE_KEY_FILE", str(inside))
    with pytest.raises(ConfigError, match="inside the student's folder"):
        evidence.load_key(forbid_under=notebooks)
    assert evidence.load_key(forbid_under=tmp_path / "elsewhere") == KEY


@pytest.mark.sshd
def test_check_my_work_stores_the_record_in_the_notebook_and_the_cli_verifies_it(
        students: Students, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LABKIT_EVIDENCE_KEY", KEY.decode())
    monkeypatch.chdir(tmp_path)
    report, record = evidence.check_my_work(
        "qemu-img-basics", students.hosts["carl"].url, student="carl", lang="en",
        params={"workdir": str(students.workdirs["carl"])})
    assert report.score == record["score"] < record["max_score"]  # the "not-grown" student
    notebook = {"cells": [{"cell_type": "code", "outputs": [
        {"output_type": "display_data", "data": {evidence.MIME: record, "text/plain": "…"}}]}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    good = tmp_path / "carl.ipynb"
    good.write_text(json.dumps(notebook))
    assert evidence.records_from_file(good) == [record]
    tampered = copy.deepcopy(notebook)
    tampered["cells"][0]["outputs"][0]["data"][evidence.MIME]["score"] = record["max_score"]
    bad = tmp_path / "carl-edited.ipynb"
    bad.write_text(json.dumps(tampered))

    import argparse

    parser = argparse.ArgumentParser()
    add_commands(parser.add_subparsers())
    args = parser.parse_args(["evidence", "verify", str(good)])
    assert args.func(args) == 0
    assert capsys.readouterr().out.startswith(f"ok       {good}: carl qemu-img-basics")
    args = parser.parse_args(["evidence", "verify", str(good), str(bad)])
    assert args.func(args) == 1
    assert f"TAMPERED {bad}: carl: the signature does not match" in capsys.readouterr().out


def test_machine_id_probe() -> None:
    probe = MachineId()
    ok = CommandResult(probe.command(), 0, "3D1219C7C4C5404AAA1F6D2A48ADFDA4\n", "")
    assert probe.parse(ok) == "3d1219c7c4c5404aaa1f6d2a48adfda4"
    assert probe.parse(CommandResult(probe.command(), 0, "", "")) == ""
    with pytest.raises(ProbeError):
        probe.parse(CommandResult(probe.command(), 0, "uninitialized\n", ""))


# -- what earns no evidence, and submissions without their owner's record ----------------------
@pytest.mark.sshd
@pytest.mark.parametrize("where", ["local", "replay", "self-ssh"])
def test_check_my_work_refuses_a_recording_or_the_grading_machine(
        where: str, students: Students, lab_host: LocalSSHHost, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The same solved files read through this machine (local:// or its own sshd) or a
    recording of a real host: no report, no record."""
    monkeypatch.setenv("LABKIT_EVIDENCE_KEY", KEY.decode())
    monkeypatch.chdir(tmp_path)
    url = {"local": "local://", "self-ssh": lab_host.url,
           "replay": f"replay://{next(Path(__file__).parents[2].glob('exercises/*/replay/*.json'))}"
           }[where]
    with pytest.raises(StandInHost, match="recording" if where == "replay" else "itself"):
        evidence.check_my_work(EXERCISE, url, student="ana", lang="en",
                               params={"workdir": str(students.workdirs["ana"])})


def _notebook(path: Path, *records: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    outputs = [{"output_type": "display_data", "data": {evidence.MIME: r, "text/plain": "…"}}
               for r in records]
    path.write_text(json.dumps({"cells": [{"cell_type": "code", "outputs": outputs}],
                                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return path


@pytest.mark.sshd
def test_verify_reports_notebooks_without_a_record_and_records_of_another_student(
        students: Students, spec: ExerciseSpec, tmp_path: Path) -> None:
    course = tmp_path / "course" / "submitted"
    ana = record_for(students.hosts["ana"], students.workdirs["ana"], spec, "ana")
    own = _notebook(course / "ana" / EXERCISE / f"{EXERCISE}.ipynb", ana)
    none = _notebook(course / "bea" / EXERCISE / f"{EXERCISE}.ipynb")
    borrowed = _notebook(course / "carl" / EXERCISE / f"{EXERCISE}.ipynb", ana)
    found = {s.path: s for s in evidence.verify_submissions([tmp_path / "course"], KEY)}
    assert set(found) == {own, none, borrowed}
    assert found[own].ok and found[own].owner == "ana"
    assert found[none].problems == [
        'no evidence record ("Check my work" was never run and saved)']
    assert found[borrowed].owner == "carl"
    assert found[borrowed].problems == ["the record is 'ana''s, but the submission is 'carl''s"]


@pytest.mark.sshd
def test_the_cli_reports_missing_and_foreign_records(
        students: Students, spec: ExerciseSpec, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    course = tmp_path / "course" / "submitted"
    ana = record_for(students.hosts["ana"], students.workdirs["ana"], spec, "ana")
    own = _notebook(course / "ana" / EXERCISE / f"{EXERCISE}.ipynb", ana)
    none = _notebook(course / "bea" / EXERCISE / f"{EXERCISE}.ipynb")
    borrowed = _notebook(course / "carl" / EXERCISE / f"{EXERCISE}.ipynb", ana)
    key_file = tmp_path / "key"
    key_file.write_bytes(KEY)
    parser = argparse.ArgumentParser()
    add_commands(parser.add_subparsers())
    args = parser.parse_args(["evidence", "verify", str(tmp_path / "course"),
                              "--key-file", str(key_file)])
    assert args.func(args) == 1
    out = capsys.readouterr().out
    assert f"ok       {own}: ana {EXERCISE}" in out
    assert f"MISSING  {none}: no evidence record" in out
    assert f"NOT OWN  {borrowed}: the record is ana's, the submission is carl's" in out
