"""The roster a class is graded with: its own hosts, else the lab VMs ``labkit class up``
started for it.

A roster with host columns (or an Ansible inventory) is read as it is
(:func:`labkit.rosters.load`). A CSV roster that names the students only — the ``class.csv``
a teacher gives ``labkit class up --roster class.csv`` — gets each student's hosts by role
from that class's allocation (:func:`labkit.sandbox.libvirt_class.allocated_hosts`), so
``labkit grade EXERCISE --roster class.csv`` grades every student's own lab, with the
roster's names, e-mails, languages and ``param:`` values kept::

    from labkit.grading.class_roster import load_roster
    roster = load_roster("class.csv")   # a Roster: each Student's hosts are their own lab's

A roster of ids whose class is not up, or with students the class has no lab for, is one
:class:`~labkit.errors.RosterError` saying what to run.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from labkit import rosters
from labkit.errors import RosterError
from labkit.i18n import text
from labkit.rosters import Roster
from labkit.rosters.csvfile import ID_COLUMNS, read_csv

__all__ = ["load_roster", "student_ids"]

#: The stand-in host with which a roster is read to see whether only its hosts are missing.
_STAND_IN = "local://"
#: How the CSV reader (``labkit.rosters.csvfile``) says that a header names no role.
_NO_HOST_COLUMN = "no host column"


def load_roster(path: str | Path, *, group: str | None = None,
                lang: str | None = None) -> Roster:
    """The roster in ``path`` with every student's hosts: the roster's own, else (a CSV of
    students only) those of the class started from this very file by ``labkit class up``."""
    try:
        return rosters.load(path, group=group)
    except RosterError as exc:
        error = exc
    path = Path(path)
    students = _students_only(path, error) if group is None else None
    if students is None:
        raise error
    from labkit.sandbox.libvirt_class import allocated_hosts

    allocated = allocated_hosts(path)
    if allocated is None:
        raise RosterError(text("class_roster.not_up", lang, roster=path)) from None
    missing = [sid for sid in students if not allocated.get(sid)]
    if missing:
        raise RosterError(text("class_roster.no_lab", lang, roster=path, n=len(missing),
                               ids=", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")))
    roles = list(dict.fromkeys(role for sid in students for role in allocated[sid]))
    content = path.read_text(encoding="utf-8-sig")
    return read_csv(path, _with_hosts(content, roles,
                                      lambda sid, role: allocated.get(sid, {}).get(role, "")))


def student_ids(path: str | Path, *, group: str | None = None) -> list[str]:
    """The ids of a roster's students, whether it names their hosts or not (``labkit
    variants`` needs no host)."""
    try:
        return rosters.load(path, group=group).ids
    except RosterError as error:
        students = _students_only(Path(path), error) if group is None else None
        if students is None:
            raise
        return students


def _students_only(path: Path, error: RosterError) -> list[str] | None:
    """The student ids of a CSV roster that names no host (it reads well with a stand-in
    host for every student); None for any other roster. ``error`` is what reading it as it
    is said: a roster without host columns that has another mistake raises that mistake."""
    try:
        content = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    if rosters.detect_format(path, content) != "csv":
        return None
    try:
        stand_in = read_csv(path, _with_hosts(content, ["host"], lambda _s, _r: _STAND_IN))
    except RosterError:
        if _NO_HOST_COLUMN in str(error):
            raise
        return None
    return stand_in.ids


def _with_hosts(content: str, roles: list[str], url: Callable[[str, str], str]) -> str:
    """``content`` (a CSV roster) with a ``host:ROLE`` column per role holding
    ``url(student, role)``. Every row stays on its line, so the roster reader's ``file:line``
    in an error still points into the teacher's file."""
    lines = content.splitlines(keepends=True)
    first = next((ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")), "")
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    reader = csv.reader(lines, delimiter=delimiter)
    out: list[str] = []
    done = 0  # lines written
    id_column: int | None = None
    header = True
    for row in reader:
        cells = [c.strip() for c in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if header:
            header = False
            names = ["_".join(c.lower().split()) for c in cells]
            id_column = next((i for i, n in enumerate(names) if n in ID_COLUMNS), None)
            added = [f"host:{role}" for role in roles]
        else:
            sid = cells[id_column] if id_column is not None and id_column < len(cells) else ""
            added = [url(sid, role) for role in roles]
        if reader.line_num - 1 > done:  # blank and comment lines before this row
            out.append("\n" * (reader.line_num - 1 - done))
            done = reader.line_num - 1
        chunk = io.StringIO()
        csv.writer(chunk, delimiter=delimiter, lineterminator="\n").writerow(row + added)
        out.append(chunk.getvalue())
        done += chunk.getvalue().count("\n")
    return "".join(out)
