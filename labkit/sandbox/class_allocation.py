"""A class's allocation, the part everyone reads: the roster's students, the class's id and
folder, the hypervisors (libvirt URIs, and the jump host each gives), the lab VMs' URLs, and
``allocation.json`` (see :mod:`labkit.sandbox.libvirt_class`, which writes it).

Grading (``labkit grade --roster``), the hub's spawn hook and "Check my work" only read:
:func:`allocated_hosts` ``(roster) -> {student: {role: url}}``.
"""

from __future__ import annotations

import csv
import getpass
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from labkit.errors import RosterError, SandboxError, UsageError
from labkit.sandbox.libvirt_xml import check_lab_name

ALLOCATION = "allocation.json"
#: The id column's names, as in ``labkit.rosters.csvfile``.
ID_COLUMNS = ("student_id", "id", "student", "username", "idnumber", "user", "user_id")


def _labkit_home() -> Path:
    from labkit.settings import current

    return Path(current().home).expanduser()


def class_id(roster: str | Path) -> str:
    """A short, stable id of the class: the roster's name and a hash of its full path."""
    path = Path(roster).expanduser().resolve()
    stem = re.sub(r"[^A-Za-z0-9]+", "", path.stem)[:16] or "class"
    return f"{stem}-{hashlib.sha256(str(path).encode()).hexdigest()[:6]}"


def class_dir(roster: str | Path) -> Path:
    return _labkit_home() / "classes" / class_id(roster)


def lab_name(cid: str, student: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "", student)
    if safe != student or not safe:
        safe = (safe[:20] or "s") + "-" + hashlib.sha256(student.encode()).hexdigest()[:6]
    return check_lab_name(f"{cid}-{safe}"[:63])


def read_students(roster: str | Path) -> list[tuple[str, str]]:
    """(id, name) of every student of a CSV roster; host columns are not needed here. The id
    column is found by the names labkit's rosters accept (the sandbox does not import the
    roster readers, which insist on a host per student)."""
    path = Path(roster)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise RosterError(f"{path}: cannot read the roster: {exc.strerror}") from None
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        raise RosterError(f"{path}: the roster is empty")
    dialect = ";" if lines[0].count(";") > lines[0].count(",") else ","
    rows = list(csv.reader(lines, delimiter=dialect))
    header = ["_".join(c.strip().lower().split()) for c in rows[0]]
    id_col = next((header.index(c) for c in ID_COLUMNS if c in header), None)
    if id_col is None:
        raise RosterError(f"{path}:1: no student id column (one of: {', '.join(ID_COLUMNS)})")
    name_col = header.index("name") if "name" in header else None
    students: list[tuple[str, str]] = []
    seen: set[str] = set()
    for number, row in enumerate(rows[1:], start=2):
        sid = row[id_col].strip() if id_col < len(row) else ""
        if not sid:
            raise RosterError(f"{path}:{number}: no student id")
        if sid in seen:
            raise RosterError(f"{path}:{number}: student {sid} appears twice")
        seen.add(sid)
        name = row[name_col].strip() if name_col is not None and name_col < len(row) else ""
        students.append((sid, name))
    return students


def read_hypervisors_file(path: str | Path) -> list[str]:
    """One libvirt URI a line; ``#`` starts a comment."""
    try:
        lines = Path(path).read_text().splitlines()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the hypervisors file: {exc.strerror}") from None
    uris = [ln.split("#", 1)[0].strip() for ln in lines]
    return [u for u in uris if u]


@dataclass(frozen=True)
class HypervisorRef:
    """A hypervisor as labkit reaches it: its libvirt URI and, for a remote one, the
    ``ssh://`` URL of the same machine used as the lab VMs' jump host."""

    uri: str
    jump: str | None

    @property
    def where(self) -> str:
        return self.uri.split("?", 1)[0]


def hypervisor_ref(uri: str, known_hosts: Path | None = None) -> HypervisorRef:
    """Read a libvirt URI; ``qemu+ssh://user@host:port/…?keyfile=K`` also gives the jump host
    ``ssh://user@host:port?key=K``."""
    parts = urlsplit(uri)
    if not parts.scheme:
        raise UsageError(f"not a libvirt URI: {uri!r} (e.g. qemu+ssh://labkit@hv1/system)")
    transport = parts.scheme.partition("+")[2]
    if not parts.hostname or transport in ("", "unix"):
        return HypervisorRef(uri, None)
    if transport not in ("ssh", "libssh", "libssh2"):
        raise UsageError(f"{parts.scheme}: labkit reaches lab VMs through SSH; use a "
                          "qemu+ssh:// URI for a remote hypervisor")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    user = parts.username or getpass.getuser()
    jump = f"ssh://{quote(user)}@{parts.hostname}:{parts.port or 22}"
    options = []
    if "keyfile" in query:
        options.append(f"key={quote(query['keyfile'], safe='/')}")
    hosts_file = query.get("known_hosts") or (str(known_hosts) if known_hosts else None)
    if hosts_file:
        options.append(f"known_hosts={quote(hosts_file, safe='/')}")
    return HypervisorRef(uri, jump + ("?" + "&".join(options) if options else ""))


def vm_url(port: int, key: Path, known_hosts: Path, jump: str | None) -> str:
    url = (f"ssh://root@127.0.0.1:{port}?key={quote(str(key), safe='/')}"
           f"&known_hosts={quote(str(known_hosts), safe='/')}")
    return url + (f"&via={quote(jump, safe='')}" if jump else "")


def allocated_hosts(roster: str | Path) -> dict[str, dict[str, str]] | None:
    """The hosts of every student of a class that ``labkit class up`` started from this
    roster: ``{student_id: {role: url}}``; None when the class is not up.

    This is what grading (``labkit grade --roster``), the hub's spawn hook and "Check my
    work" read; the URLs reach each VM through its hypervisor (``via=``)."""
    path = class_dir(roster) / ALLOCATION
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        return None
    except ValueError as exc:
        raise SandboxError(f"{path} is damaged ({exc}); run `labkit class down`") from None
    return {sid: dict(entry["hosts"]) for sid, entry in data["students"].items()}


def read_allocation(roster: str | Path) -> dict[str, Any] | None:
    """The whole allocation document (see the module docstring), or None."""
    path = class_dir(roster) / ALLOCATION
    try:
        data: dict[str, Any] = json.loads(path.read_text())
    except FileNotFoundError:
        return None
    return data
