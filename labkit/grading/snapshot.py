"""Deadline snapshots: every student's facts read at the deadline, graded later.

``take(specs, students, path)`` reads, for every student and in ONE round trip per host, the
probes of all the given exercises plus the host's identity (``/etc/machine-id`` and the SSH
host key fingerprint), and stores what the host printed — the commands' exit codes and
outputs, not verdicts — in one JSON file::

    {"labkit_snapshot": 1, "time": "2026-11-29T10:00:02Z", "exercises": ["lvm-basics"],
     "students": {"ana": {"time": "2026-11-29T10:00:01Z", "error": null,
                          "hosts": {"host": {"url": "ssh://root@10.0.1.5:22",
                                             "machine_id": "3d12…", "host_key": "SHA256:…"}},
                          "outputs": {"host": {"<probe key>": {"cmd": "…", "rc": 0,
                                                               "out": "…", "err": ""}}}}}}

``grade(spec, students, snapshot)`` grades from the file, later: the probes' parsers and the
checks run on what was stored, so the grade is the grade as of the deadline (and a grader
fixed after the deadline can re-grade the same state). A student whose host could not be read
at the deadline is an error with the reason of that moment.

``late_records(records, snapshot)`` tells which "Check my work" evidence records
(``labkit.evidence``) were made after the snapshot, or on a host other than the one read at the
deadline.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from labkit.checks.base import Facts
from labkit.checks.engine import evaluate, probes_for
from labkit.checks.spec import ExerciseSpec, bind
from labkit.errors import ConfigError, ExerciseError
from labkit.grading.batch import (
    BatchResult,
    StudentResult,
    _Job,
    error_report,
    grade_many,
    student_params,
)
from labkit.grading.outdir import atomic_write
from labkit.grading.report import Report
from labkit.host import Host, Outcome, parse_outcome
from labkit.i18n import text
from labkit.probes.base import Probe
from labkit.probes.system import MachineId
from labkit.rosters.model import Student
from labkit.transports.base import CommandResult

__all__ = ["Snapshot", "grade", "late_records", "load", "take"]

VERSION = 1


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Snapshot:
    """A deadline snapshot as read from its file."""

    path: Path
    time: str
    exercises: list[str]
    students: dict[str, dict[str, Any]]

    @property
    def moment(self) -> datetime:
        return _parse_time(self.time)


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def load(path: str | Path) -> Snapshot:
    """Read a snapshot file (ConfigError if it is not one)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("labkit_snapshot") != VERSION:
            raise ValueError("not a labkit snapshot")
        return Snapshot(path, str(data["time"]), list(data["exercises"]),
                        dict(data["students"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path}: not a readable labkit snapshot ({exc})") from None


# -- taking it -------------------------------------------------------------------------------
def _probes(specs: Sequence[ExerciseSpec], student: Student,
            params: Mapping[str, str] | None) -> dict[str, list[Probe[Any]]]:
    """role -> every probe the student's exercises need (each student's own parameters)."""
    wanted: dict[str, dict[str, Probe[Any]]] = {}
    for spec in specs:
        values = student_params(spec, student, params)
        for role, probes in probes_for(bind(spec, values)).items():
            for probe in probes:
                wanted.setdefault(role, {})[probe.key] = probe
    return {role: list(found.values()) for role, found in wanted.items()}


def _stored(outcome: Outcome) -> dict[str, Any]:
    r = outcome.result
    if r is None:
        return {"error": outcome.error}
    item: dict[str, Any] = {"cmd": r.command, "rc": r.exit_code, "out": r.stdout,
                            "err": r.stderr}
    if outcome.error and outcome.error.startswith(("timed out", "its output was too large")):
        item["error"] = outcome.error
    return item


def take(specs: Sequence[ExerciseSpec], students: Iterable[Student], path: str | Path, *,
         workers: int = 32, timeout: float = 30.0, lang: str = "gl",
         params: Mapping[str, str] | None = None, on_result: Any = None,
         explicit_lang: bool = False) -> tuple[Snapshot, BatchResult]:
    """Read every student's hosts now and store the snapshot in ``path``.

    Also returns the grades of the first of ``specs`` from the same reading (a snapshot is a
    class grading that keeps what it read)."""
    if not specs:
        raise ValueError("a snapshot needs at least one exercise")
    machine = MachineId()
    taken: dict[str, dict[str, Any]] = {}

    def read(spec: ExerciseSpec, hosts: dict[str, Host], job: _Job) -> Report:
        wanted = _probes(specs, job.student, params)
        entry: dict[str, Any] = {"time": _now(), "error": None, "hosts": {}, "outputs": {}}
        taken[job.student.id] = entry
        for role, host in hosts.items():
            found = host.collect([*wanted.get(role, []), machine])
            mid = found.pop(machine.key, None)
            fingerprint = getattr(host.transport, "host_key_fingerprint", None)
            entry["hosts"][role] = {
                "url": host.url,
                "machine_id": mid.value if mid is not None and mid.ok else "",
                "host_key": fingerprint() if callable(fingerprint) else None}
            entry["outputs"][role] = {key: _stored(o) for key, o in found.items()}
        return _grade_entry(spec, entry, job.student, job.params, job.lang)

    batch = grade_many(specs[0], list(students), workers=workers, timeout=timeout, lang=lang,
                       params=params, on_result=on_result, grader=read,
                       explicit_lang=explicit_lang)
    for r in batch.results:  # hosts that could not be read: keep why, at that moment
        entry = taken.setdefault(r.student.id, {"time": _now(), "hosts": {}, "outputs": {}})
        entry["error"] = r.report.error
    snapshot = Snapshot(Path(path), _now(), [s.exercise for s in specs],
                        {r.student.id: taken[r.student.id] for r in batch.results})
    document = {"labkit_snapshot": VERSION, "time": snapshot.time,
                "exercises": snapshot.exercises, "students": snapshot.students}
    atomic_write(path, json.dumps(document, ensure_ascii=False, indent=1) + "\n")
    stamped = [StudentResult(r.student, r.report, r.params, r.seconds,
                             when=taken[r.student.id]["time"], snapshot=Path(path).name)
               for r in batch.results]
    return snapshot, BatchResult(batch.spec, batch.lang, stamped, batch.pending,
                                 batch.interrupted, batch.seconds)


# -- grading from it -------------------------------------------------------------------------
def _outcome(probe: Probe[Any], item: Mapping[str, Any] | None) -> Outcome:
    if item is None:
        return Outcome(error="not read at the deadline (the snapshot holds no output for it)")
    if "cmd" not in item:
        return Outcome(error=str(item.get("error")))
    result = CommandResult(str(item["cmd"]), int(item["rc"]), str(item["out"]),
                           str(item["err"]))
    if item.get("error"):
        return Outcome(error=str(item["error"]), result=result)
    return parse_outcome(probe, result)


def _grade_entry(spec: ExerciseSpec, entry: Mapping[str, Any], student: Student,
                 params: Mapping[str, str], lang: str) -> Report:
    checks = bind(spec, dict(params))
    facts: dict[str, Facts] = {}
    for role, probes in probes_for(checks).items():
        stored = entry.get("outputs", {}).get(role, {})
        facts[role] = Facts({p.key: _outcome(p, stored.get(p.key)) for p in probes})
    hosts = entry.get("hosts", {})
    shown = ", ".join(f"{role}={h['url']}" for role, h in hosts.items()) if len(hosts) > 1 \
        else next(iter(hosts.values()))["url"] if hosts else "-"
    return Report(exercise=spec.exercise, host=shown, lang=lang,
                  checks=evaluate(checks, facts, lang, {}))


def grade(spec: ExerciseSpec, students: Iterable[Student], snapshot: Snapshot, *,
          lang: str = "gl", params: Mapping[str, str] | None = None,
          explicit_lang: bool = False) -> BatchResult:
    """Grade ``spec`` for ``students`` from what ``snapshot`` stored (no host is contacted)."""
    from labkit.i18n import lang_or_default

    if spec.exercise not in snapshot.exercises:
        raise ExerciseError(f"{snapshot.path}: the snapshot has no {spec.exercise} (it has: "
                            f"{', '.join(snapshot.exercises)})")
    results = []
    started = datetime.now(UTC)
    for student in students:
        values = student_params(spec, student, params)
        own = lang if explicit_lang else lang_or_default(student.lang or lang)
        entry = snapshot.students.get(student.id)
        if entry is None:
            report = error_report(spec, {}, text("teacher.reason.not_in_snapshot", own,
                                                 path=snapshot.path.name), own, values)
            when = ""
        elif entry.get("error"):
            report = error_report(spec, {}, str(entry["error"]), own, values)
            report.host = ", ".join(h["url"] for h in entry.get("hosts", {}).values()) or "-"
            when = str(entry.get("time", snapshot.time))
        else:
            report = _grade_entry(spec, entry, student, values, own)
            when = str(entry.get("time", snapshot.time))
        results.append(StudentResult(student, report, values, 0.0, when=when,
                                     snapshot=snapshot.path.name))
    seconds = (datetime.now(UTC) - started).total_seconds()
    return BatchResult(spec, lang, results, [], False, seconds)


# -- evidence made after the deadline --------------------------------------------------------
def late_records(records: Iterable[Mapping[str, Any]], snapshot: Snapshot) -> list[str]:
    """One line per evidence record made after ``snapshot`` was taken, or on a host whose
    identity differs from the one read at the deadline (another VM)."""
    problems = []
    deadline = snapshot.moment
    for record in records:
        who = str(record.get("student", "?"))
        what = f"{who} {record.get('exercise')} at {record.get('time')}"
        try:
            made = _parse_time(str(record.get("time")))
        except ValueError:
            problems.append(f"{what}: no readable time")
            continue
        if made > deadline:
            problems.append(f"{what}: made after the deadline snapshot ({snapshot.time})")
        entry = snapshot.students.get(who)
        if entry is None:
            continue
        for role, seen in (record.get("hosts") or {}).items():
            then = entry.get("hosts", {}).get(role)
            if not then:
                continue
            for field in ("machine_id", "host_key"):
                if seen.get(field) and then.get(field) and seen[field] != then[field]:
                    problems.append(f"{what}: {role} host's {field} differs from the one read "
                                    f"at the deadline ({seen[field]} != {then[field]})")
    return problems
