"""The engine (statuses, points, messages), parameter binding and the report: all pure."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _facts import MISSING_FILE, QCOW2_MAGIC, MiB, facts, image, info, stat

from labkit.checks.base import Facts
from labkit.checks.engine import CheckResult, evaluate, probes_for
from labkit.checks.spec import ExerciseSpec, bind
from labkit.errors import ConnectError, SpecError
from labkit.grading import Report, grade
from labkit.host import Host, Outcome
from labkit.i18n import text
from labkit.probes.files import FileStat
from labkit.probes.qemu_img import QemuImgInfo
from labkit.transports.base import CommandResult, Transport
from labkit.transports.replay import RecordingTransport

SPEC: dict[str, Any] = {
    "exercise": "demo",
    "topic": "qemu-img",
    "title": {"gl": "Demo", "en": "Demo"},
    "roles": ["host"],
    "params": {"workdir": "/root/lab"},
    "checks": [
        {"id": "disk-exists", "kind": "file.exists", "points": 1,
         "args": {"path": "{workdir}/disk.qcow2"},
         "message": {"gl": "Existe {workdir}/disk.qcow2.", "en": "{workdir}/disk.qcow2 exists."},
         "hint": {"gl": "Créao en {workdir}.", "en": "Create it in {workdir}."}},
        {"id": "disk-qcow2", "kind": "qemu_img.format", "points": 1.5,
         "requires": ["disk-exists"], "args": {"path": "{workdir}/disk.qcow2"},
         "message": {"gl": "É qcow2.", "en": "It is qcow2."}},
        {"id": "disk-size", "kind": "qemu_img.virtual_size", "points": 2,
         "requires": ["disk-qcow2"], "args": {"path": "{workdir}/disk.qcow2", "size": "120M"},
         "message": {"gl": "Mide 120 MiB.", "en": "It is 120 MiB."},
         "hint": {"gl": "Usa resize +20M.", "en": "Use resize +20M."}},
        {"id": "notes", "kind": "file.exists", "points": 0.5,
         "args": {"path": "{workdir}/notes.txt"},
         "message": {"gl": "Hai notas.", "en": "There are notes."}},
    ],
}
DISK = "/root/lab/disk.qcow2"
NOTES = "/root/lab/notes.txt"


def spec() -> ExerciseSpec:
    return ExerciseSpec.model_validate(SPEC)


def run(host_facts: Facts, lang: str = "en", **kw: Any) -> dict[str, CheckResult]:
    results = evaluate(bind(spec()), {"host": host_facts}, lang, **kw)
    assert [r.id for r in results] == [c["id"] for c in SPEC["checks"]]
    return {r.id: r for r in results}


def good(size: int = 120 * MiB) -> Facts:
    return facts((FileStat(DISK), stat(magic=QCOW2_MAGIC)),
                 (QemuImgInfo(DISK, "qcow2"), info(image(DISK, size=size))),
                 (FileStat(NOTES), stat()))


def statuses(results: dict[str, CheckResult]) -> dict[str, str]:
    return {k: r.status for k, r in results.items()}


# -- statuses ---------------------------------------------------------------------------------
def test_all_passed() -> None:
    results = run(good())
    assert set(statuses(results).values()) == {"passed"}
    assert [r.points for r in results.values()] == [1, 1.5, 2, 0.5]
    assert all(r.hint == "" for r in results.values())
    assert results["disk-size"].message == text("qemu_img.size_ok", "en", path=DISK,
                                                 size="120 MiB", found="120 MiB")


def test_failed_shows_what_was_found_and_the_hint() -> None:
    results = run(good(size=100 * MiB))
    assert statuses(results) == {"disk-exists": "passed", "disk-qcow2": "passed",
                                 "disk-size": "failed", "notes": "passed"}
    failed = results["disk-size"]
    assert (failed.points, failed.max_points) == (0, 2)
    assert "100 MiB" in failed.message and "120 MiB" in failed.message
    assert failed.hint == "Use resize +20M."


def test_blocked_by_a_failed_requirement_and_transitively() -> None:
    missing = facts((FileStat(DISK), MISSING_FILE), (FileStat(NOTES), stat()))
    results = run(missing)
    assert statuses(results) == {"disk-exists": "failed", "disk-qcow2": "blocked",
                                 "disk-size": "blocked", "notes": "passed"}
    assert results["disk-exists"].hint == "Create it in /root/lab."
    blocked = results["disk-qcow2"]
    assert blocked.message == "Not checked until disk-exists passes. It will check: It is qcow2."
    assert blocked.message == text("blocked.requires", "en", ids="disk-exists",
                                   check="It is qcow2.")
    assert not blocked.message.startswith("It is qcow2")
    assert (blocked.points, blocked.hint) == (0, "")
    assert results["disk-size"].message.startswith("Not checked until disk-qcow2 passes.")


def test_error_when_a_probe_could_not_be_read() -> None:
    broken = facts((FileStat(DISK), stat(magic=QCOW2_MAGIC)),
                   (QemuImgInfo(DISK, "qcow2"), Outcome(error="qemu-img failed: boom")),
                   (FileStat(NOTES), stat()))
    results = run(broken)
    assert statuses(results)["disk-size"] == "error"
    error = results["disk-size"]
    assert error.message == ("Not checked: the lab host's state could not be read "
                             "(qemu-img failed: boom). It will check: It is 120 MiB.")
    assert (error.points, error.hint) == (0, "")


def test_error_blocks_what_requires_it() -> None:
    broken = facts((FileStat(DISK), Outcome(error="timed out after 15 s")),
                   (FileStat(NOTES), stat()))
    assert statuses(run(broken)) == {"disk-exists": "error", "disk-qcow2": "blocked",
                                     "disk-size": "blocked", "notes": "passed"}


def test_error_when_a_probe_was_not_collected() -> None:
    results = run(facts((FileStat(NOTES), stat())))
    assert statuses(results)["disk-exists"] == "error"
    assert "was not collected" in results["disk-exists"].message


def test_host_error_makes_its_checks_error() -> None:
    results = evaluate(bind(spec()), {}, "en", host_errors={"host": "no route to host"})
    assert {r.status for r in results} == {"error"}
    assert {r.message for r in results} == {"no route to host"}
    assert sum(r.points for r in results) == 0


def test_galician_is_used_when_asked() -> None:
    results = run(good(size=100 * MiB), lang="gl")
    assert results["disk-size"].hint == "Usa resize +20M."
    assert results["disk-size"].message == text(
        "qemu_img.size_wrong", "gl", path=DISK, size="120 MiB", found="100 MiB")


# -- params and probes ------------------------------------------------------------------------
def test_params_are_substituted_everywhere() -> None:
    checks = bind(spec(), {"workdir": "/home/ana/lab"})
    first = checks[0]
    assert first.args.path == "/home/ana/lab/disk.qcow2"  # type: ignore[attr-defined]
    assert first.message.en == "/home/ana/lab/disk.qcow2 exists."
    assert first.hint is not None and first.hint.gl == "Créao en /home/ana/lab."
    assert first.spec.args == {"path": "{workdir}/disk.qcow2"}, "the spec is not changed"


def test_unknown_override_is_an_error() -> None:
    with pytest.raises(SpecError, match=r"unknown parameter 'workdri'.*workdir"):
        bind(spec(), {"workdri": "/x"})


def test_probes_for_runs_each_probe_once_per_role() -> None:
    two_roles = {**SPEC, "roles": ["server", "client"],
                 "checks": [*SPEC["checks"][:3], {**SPEC["checks"][3], "role": "client"}]}
    wanted = probes_for(bind(ExerciseSpec.model_validate(two_roles)))
    assert wanted == {"server": [FileStat(DISK), QemuImgInfo(DISK, "qcow2")],
                      "client": [FileStat(NOTES)]}


# -- report -----------------------------------------------------------------------------------
def report(results: dict[str, CheckResult], error: str | None = None) -> Report:
    return Report(exercise="demo", host="ssh://root@10.0.0.2:22", lang="en",
                  checks=list(results.values()), error=error)


def test_report_json_schema() -> None:
    data = json.loads(report(run(good(size=1))).to_json())
    assert set(data) == {"exercise", "host", "score", "max_score", "checks"}
    assert (data["exercise"], data["host"]) == ("demo", "ssh://root@10.0.0.2:22")
    for item in data["checks"]:
        base = {"id", "status", "points", "max_points", "message"}
        # "hint" is added for a failed check that has one (see labkit/grading/report.py).
        assert set(item) == (base | {"hint"} if item["id"] == "disk-size" else base)
        assert item["status"] in {"passed", "failed", "blocked", "error"}
        assert isinstance(item["points"], float | int)
        assert isinstance(item["message"], str) and item["message"]


def test_report_error_key_only_when_the_host_failed() -> None:
    results = {r.id: r for r in evaluate(bind(spec()), {}, "en", {"host": "unreachable"})}
    data = report(results, error="unreachable").to_dict()
    assert set(data) == {"exercise", "host", "score", "max_score", "checks", "error"}
    assert data["error"] == "unreachable"


@pytest.mark.parametrize(("size", "score", "complete"), [
    (120 * MiB, 5.0, True),
    (100 * MiB, 3.0, False),
])
def test_score_arithmetic(size: int, score: float, complete: bool) -> None:
    rep = report(run(good(size=size)))
    assert rep.max_score == spec().max_score == 5.0
    assert rep.score == score
    assert rep.complete is complete
    assert rep.to_dict()["score"] == score and rep.to_dict()["max_score"] == 5.0


def test_score_ignores_blocked_and_error() -> None:
    rep = report(run(facts((FileStat(DISK), MISSING_FILE))))
    assert rep.score == 0 and rep.max_score == 5.0 and not rep.complete


def test_rich_table_renders() -> None:
    from rich.console import Console

    console = Console(record=True, width=200)
    console.print(report(run(good(size=100 * MiB))).rich_table())
    out = console.export_text()
    assert "3/5" in out and "disk-size" in out and "Use resize +20M." in out


# -- grade() without a lab host ---------------------------------------------------------------
class _Refused(Transport):
    url = "ssh://root@10.0.0.9:22"

    def run(self, command: str, *, timeout: float = 30.0,
            stdin: bytes | None = None) -> CommandResult:
        raise ConnectError("10.0.0.9:22: cannot connect: Connection refused")


def test_grade_unreachable_host_gives_errors_not_exceptions() -> None:
    rep = grade(spec(), {"host": Host(_Refused())}, lang="en")
    assert {c.status for c in rep.checks} == {"error"}
    assert rep.error is not None and "Connection refused" in rep.error
    assert rep.score == 0 and rep.max_score == 5.0


def test_grade_from_a_recording(tmp_path: Path) -> None:
    """Record answers with a fake host, then grade from the replay: one collector call."""

    class Answers(Transport):
        url = "ssh://root@10.0.0.2:22"
        calls = 0

        def run(self, command: str, *, timeout: float = 30.0,
                stdin: bytes | None = None) -> CommandResult:
            Answers.calls += 1
            assert stdin is not None, "probes go to the collector in one round trip"
            probes = json.loads(stdin)["probes"]
            results = {}
            for p in probes:
                if p["cmd"] == FileStat(DISK).command():
                    out = {"rc": 0, "out": "regular file|196616|1795750867\n 51 46 49 fb 00 00 "
                                           "00 03\n", "err": ""}
                elif p["cmd"] == FileStat(NOTES).command():
                    out = {"rc": 0, "out": "labkit:missing\n", "err": ""}
                else:
                    entry = {"filename": DISK, "format": "qcow2", "virtual-size": 120 * MiB}
                    out = {"rc": 0, "out": json.dumps([entry]), "err": ""}
                results[p["id"]] = out
            return CommandResult(command, 0, json.dumps({"v": 1, "results": results}), "")

    recorder = RecordingTransport(Answers())
    live = grade(spec(), {"host": Host(recorder)}, lang="en")
    assert Answers.calls == 1
    recording = tmp_path / "host.json"
    recorder.save(recording)
    replayed = grade(spec(), {"host": Host(f"replay://{recording}")}, lang="en")
    assert replayed.to_dict()["checks"] == live.to_dict()["checks"]
    assert [c.status for c in replayed.checks] == ["passed", "passed", "passed", "failed"]
    assert replayed.score == 4.5
