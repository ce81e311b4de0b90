"""Evidence: a signed record of a "Check my work", kept in the student's notebook.

``check_my_work(exercise, url)`` grades the student's host and returns, with the report, a
record of what was read; the notebook bridge (:mod:`labkit.notebook.evidence`) stores it as
an output of the notebook cell (MIME type ``application/vnd.labkit.evidence+json``, saved
with the notebook)::

    {"labkit_evidence": 1, "exercise": "qemu-img-basics", "student": "ana",
     "time": "2025-11-27T10:02:03Z", "score": 8.0, "max_score": 10.0,
     "checks": [{"id": "disk-exists", "status": "passed", "points": 1.0}, …],
     "hosts": {"host": {"url": "ssh://root@10.0.1.5:22", "machine_id": "3d12…",
                        "host_key": "SHA256:…"}},
     "probes": {"<probe key>": "<sha256 of exit code, stdout and stderr>", …},
     "params": {…}, "labkit": "0.1.0", "key_id": "9f3a61c2", "sig": "<HMAC-SHA256>"}

``sig`` is HMAC-SHA256, with the teacher's key, over the canonical JSON of everything else
(sorted keys, no spaces, UTF-8). The machine id comes from the host in the same round trip as
the checks; the host key fingerprint from the SSH connection itself.

The key: ``$LABKIT_EVIDENCE_KEY`` (the text), else the file ``$LABKIT_EVIDENCE_KEY_FILE``,
else ``/etc/labkit/evidence.key`` — set by the teacher for the lab (e.g. JupyterHub's
environment). labkit never writes it anywhere, the record holds only ``key_id`` (an HMAC of a
constant, so it tells which key signed without revealing it), and a key file inside the
student's notebook folder is refused.

Teacher side: ``verify(record, key)`` says whether a record was edited (or signed with
another key); ``find_copies(records)`` flags different students whose hosts share a machine
id or an SSH host key (a copied VM); ``records_from_file`` reads the records out of
notebooks. Threat model: this catches edited notebooks and copied VMs. A student who can read
the key (it is in their kernel's environment) could forge a record; against that, sign on a
service the student cannot read.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from labkit.checks.spec import ExerciseSpec
from labkit.errors import ConfigError, LabkitError, UsageError
from labkit.grading.context import GradingContext
from labkit.grading.report import Report
from labkit.host import Host, Outcome
from labkit.probes.system import MachineId
from labkit.settings import current

__all__ = ["MIME", "Copy", "Submission", "Verification", "check_my_work", "find_copies", "key_id",
           "load_key", "make_record", "records_from_file", "sign", "verify",
           "verify_submissions"]

VERSION = 1
MIME = "application/vnd.labkit.evidence+json"
DEFAULT_KEY_FILE = Path("/etc/labkit/evidence.key")
MIN_KEY_BYTES = 16


# -- the key ---------------------------------------------------------------------------------
def load_key(path: str | Path | None = None, *, forbid_under: str | Path | None = None) -> bytes:
    """The evidence key: from ``path``, ``$LABKIT_EVIDENCE_KEY``, ``$LABKIT_EVIDENCE_KEY_FILE``
    or /etc/labkit/evidence.key. A key file under ``forbid_under`` (the student's notebook
    folder) is refused."""
    key: bytes | None = None
    source = ""
    file = Path(path) if path else None
    settings = current()
    if file is None and settings.evidence_key:
        key, source = settings.evidence_key.encode(), "LABKIT_EVIDENCE_KEY"
    elif file is None and settings.evidence_key_file:
        file = settings.evidence_key_file
    elif file is None and DEFAULT_KEY_FILE.exists():
        file = DEFAULT_KEY_FILE
    if file is not None:
        resolved = file.expanduser().resolve()
        if forbid_under is not None and resolved.is_relative_to(Path(forbid_under).resolve()):
            raise ConfigError(f"the evidence key {file} is inside the student's folder "
                              f"{forbid_under}; keep it where students' files are not")
        try:
            key, source = resolved.read_bytes().strip(), str(file)
        except OSError as exc:
            raise ConfigError(f"cannot read the evidence key {file}: {exc.strerror}") from None
    if key is None:
        raise ConfigError("no evidence key: the teacher sets LABKIT_EVIDENCE_KEY (or "
                          "LABKIT_EVIDENCE_KEY_FILE) for the lab")
    if len(key) < MIN_KEY_BYTES:
        raise ConfigError(f"the evidence key from {source} is too short "
                          f"(at least {MIN_KEY_BYTES} bytes; e.g. openssl rand -hex 32)")
    return key


def key_id(key: bytes) -> str:
    """Which key signed a record, without revealing the key."""
    return hmac.new(key, b"labkit-evidence-key-id", hashlib.sha256).hexdigest()[:8]


# -- signing ---------------------------------------------------------------------------------
def _canonical(record: Mapping[str, Any]) -> bytes:
    body = {k: v for k, v in record.items() if k != "sig"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode()


def sign(record: Mapping[str, Any], key: bytes) -> dict[str, Any]:
    """``record`` with ``key_id`` and ``sig`` set."""
    signed = {k: v for k, v in record.items() if k != "sig"}
    signed["key_id"] = key_id(key)
    signed["sig"] = hmac.new(key, _canonical(signed), hashlib.sha256).hexdigest()
    return signed


@dataclass(frozen=True)
class Verification:
    ok: bool
    problems: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.ok


def verify(record: Any, key: bytes) -> Verification:
    """Whether ``record`` is exactly what labkit signed with ``key``."""
    if not isinstance(record, Mapping):
        return Verification(False, ["not an evidence record"])
    problems: list[str] = []
    if record.get("labkit_evidence") != VERSION:
        problems.append(f"unknown record version {record.get('labkit_evidence')!r}")
    sig = record.get("sig")
    if not isinstance(sig, str):
        return Verification(False, [*problems, "the record is not signed"])
    if record.get("key_id") != key_id(key):
        problems.append("signed with another key (key_id differs), or the key_id was edited")
    try:
        expected = hmac.new(key, _canonical(record), hashlib.sha256).hexdigest()
    except (TypeError, ValueError):
        return Verification(False, [*problems, "the record holds values JSON cannot sign"])
    if not hmac.compare_digest(expected, sig):
        problems.append("the signature does not match: the record was edited after it was "
                        "signed")
    else:
        checks = record.get("checks") or []
        try:
            total = sum(float(c["points"]) for c in checks)
        except (KeyError, TypeError, ValueError):
            total = float("nan")
        if abs(total - float(record.get("score", -1))) > 1e-9:
            problems.append("the score is not the sum of the checks' points")
    return Verification(not problems, problems)


# -- copies ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Copy:
    """Different students whose records name the same machine."""

    kind: str  # "machine_id" | "host_key"
    value: str
    students: list[str]

    def __str__(self) -> str:
        what = "machine id" if self.kind == "machine_id" else "SSH host key"
        return (f"students {', '.join(self.students)} worked on hosts with the same {what} "
                f"{self.value} (a copied VM?)")


def find_copies(records: Iterable[Mapping[str, Any]]) -> list[Copy]:
    """Every machine id and host key seen in the records of two or more students."""
    seen: dict[tuple[str, str], list[str]] = {}
    for record in records:
        student = str(record.get("student", "?"))
        for host in (record.get("hosts") or {}).values():
            if not isinstance(host, Mapping):
                continue
            for kind in ("machine_id", "host_key"):
                value = host.get(kind)
                if value:
                    owners = seen.setdefault((kind, str(value)), [])
                    if student not in owners:
                        owners.append(student)
    return [Copy(kind, value, sorted(students)) for (kind, value), students in seen.items()
            if len(students) > 1]


# -- making a record -------------------------------------------------------------------------
def _digest(outcome: Outcome) -> str:
    r = outcome.result
    payload = [r.exit_code, r.stdout, r.stderr] if r is not None else [None, "", outcome.error]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()


def grade_with_evidence(context: GradingContext, hosts: Mapping[str, Host] | None = None
                        ) -> tuple[Report, dict[str, Any], dict[str, str]]:
    """Grade ``context`` officially (a recording or the grading machine itself is refused:
    StandInHost), one round trip per host, also reading each host's identity. Returns the
    report, ``{role: {url, machine_id, host_key}}`` and the probe digests."""
    from labkit.host import Host as _Host

    machine = MachineId()
    own = hosts is None
    opened = {role: _Host(url) for role, url in context.urls.items()} if own else dict(hosts or {})
    try:
        report, outcomes = context.grade_collecting(opened, extra=[machine], official=True)
        identity: dict[str, Any] = {}
        digests: dict[str, str] = {}
        for role, found in outcomes.items():
            host = opened[role]
            mid = found.get(machine.key)
            fingerprint = getattr(host.transport, "host_key_fingerprint", None)
            identity[role] = {
                "url": host.url,
                "machine_id": mid.value if mid is not None and mid.ok else "",
                "host_key": fingerprint() if callable(fingerprint) else None,
            }
            for key, outcome in found.items():
                if key != machine.key:
                    digests[f"{role}:{key}"] = _digest(outcome)
    finally:
        if own:
            for host in opened.values():
                host.close()
    return report, identity, digests


def make_record(context: GradingContext | ExerciseSpec, hosts: Mapping[str, Host] | None = None,
                student: str | None = None, key: bytes | None = None, *, lang: str | None = None,
                params: dict[str, str] | None = None, now: datetime | None = None
                ) -> tuple[Report, dict[str, Any]]:
    """Grade the context's student and return the report and the signed evidence record.

    ``context``: a GradingContext (or, for the same rules in one call, a spec with
    ``student``, ``lang`` and ``params``). A student is required: a record says whose work
    it is."""
    from labkit import __version__

    if key is None:
        raise UsageError("make_record needs the evidence key")
    if not isinstance(context, GradingContext):
        context = GradingContext.build(context, student=student, lang=lang, params=params,
                                       urls={r: h.url for r, h in (hosts or {}).items()},
                                       need_hosts=False)
    if not context.student:
        raise ConfigError("whose work is this? evidence needs a student id")
    report, identity, digests = grade_with_evidence(context, hosts)
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    record: dict[str, Any] = {
        "labkit_evidence": VERSION, "exercise": context.exercise, "student": context.student,
        "time": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "score": report.score, "max_score": report.max_score,
        "checks": [{"id": c.id, "status": c.status, "points": c.points}
                   for c in report.checks],
        "hosts": identity, "probes": digests, "params": dict(context.params),
        "error": report.error, "labkit": __version__,
    }
    return report, sign(record, key)


def check_my_work(exercise: str, url: str | Mapping[str, str] | None = None, *,
                  student: str | None = None, lang: str | None = None,
                  key: bytes | None = None, params: dict[str, str] | None = None
                  ) -> tuple[Report, dict[str, Any]]:
    """The student's "Check my work": grade and return the report and the signed record.

    The context is ``GradingContext.for_student(exercise, url=…, student=…)``: ``url`` (or
    ``{role: url}``) default ``$LABKIT_HOST``; ``student`` default from the environment
    (``$LABKIT_STUDENT``, ``$JUPYTERHUB_USER``…). A recording or the grading machine itself
    is refused (StandInHost). Showing the record in the notebook, where it is saved as a cell
    output, is the notebook bridge's part (:func:`labkit.notebook.evidence.check_my_work`)."""
    if key is None:
        key = load_key(forbid_under=Path.cwd())
    context = GradingContext.for_student(exercise, student=student, lang=lang, url=url,
                                         params=params)
    context.refuse_recordings()
    return make_record(context, None, key=key)


# -- reading records back --------------------------------------------------------------------
def records_from_notebook(notebook: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every evidence record in the outputs of a notebook (as parsed JSON)."""
    found: list[dict[str, Any]] = []
    for cell in notebook.get("cells") or []:
        for output in cell.get("outputs") or [] if isinstance(cell, Mapping) else []:
            data = output.get("data") if isinstance(output, Mapping) else None
            if isinstance(data, Mapping) and MIME in data:
                value = data[MIME]
                if isinstance(value, str):
                    try:
                        value = json.loads(value)
                    except ValueError:
                        value = {"unreadable": value}
                found.append(value)
    return found


def records_from_file(path: str | Path) -> list[dict[str, Any]]:
    """The records in a notebook (``.ipynb``), or a JSON file holding one or a list."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    if isinstance(data, Mapping) and "cells" in data:
        return records_from_notebook(data)
    if isinstance(data, list):
        return [r for r in data if isinstance(r, dict)]
    return [data] if isinstance(data, dict) else []


# -- submissions: every notebook has a record, and it is its owner's --------------------------
#: Folders of an nbgrader course whose next folder is the student id.
_NBGRADER_STEPS = ("submitted", "autograded", "feedback")


def submission_owner(path: str | Path) -> str | None:
    """The student who owns a submitted notebook: in an nbgrader course the folder after
    ``submitted``/``autograded``/``feedback``; else None (unknown)."""
    parts = Path(path).resolve().parts
    for index in range(len(parts) - 2, -1, -1):
        if parts[index] in _NBGRADER_STEPS and index + 1 < len(parts) - 1:
            return parts[index + 1]
    return None


@dataclass(frozen=True)
class Submission:
    """One notebook: its owner, its records and what is wrong with them."""

    path: Path
    owner: str | None
    records: list[dict[str, Any]]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _notebooks(paths: Iterable[str | Path]) -> list[Path]:
    found: list[Path] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.ipynb")
                                if ".ipynb_checkpoints" not in p.parts))
        else:
            found.append(path)
    return found


def verify_submissions(paths: Iterable[str | Path], key: bytes) -> list[Submission]:
    """Every notebook under ``paths`` (files or folders): a notebook without a record, a
    record that does not verify, and a record whose student is not the owner of the
    submission folder are problems."""
    out: list[Submission] = []
    for path in _notebooks(paths):
        owner = submission_owner(path)
        problems: list[str] = []
        try:
            records = records_from_file(path)
        except LabkitError as exc:
            out.append(Submission(path, owner, [], [str(exc)]))
            continue
        if not records:
            problems.append("no evidence record (\"Check my work\" was never run and saved)")
        for record in records:
            check = verify(record, key)
            who = str(record.get("student", "?"))
            if not check.ok:
                problems.append(f"{who}: {'; '.join(check.problems)}")
            if owner is not None and normalize_id(who) != normalize_id(owner):
                problems.append(f"the record is {who!r}'s, but the submission is {owner!r}'s")
        out.append(Submission(path, owner, records, problems))
    return out


def normalize_id(student: str) -> str:
    """Student ids compare without case or surrounding spaces."""
    return student.strip().casefold()
