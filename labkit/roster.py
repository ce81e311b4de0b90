"""Rosters: which lab host(s) each student works on.

A roster is a CSV file with a header line; ``#`` lines and blank lines are skipped::

    student_id,host,lang,param:workdir,param:qemu-img-snapshots:workdir
    alice,ssh://root@10.0.0.11:22?key=/srv/labkit/lab_key,gl,,
    bob,ssh://root@10.0.0.12:22?key=keys/lab_key,en,/root/bob,/root/bob-snap

Columns:

- ``student_id`` (required, first): the id nbgrader uses for the student;
- a role name (``host``; ``server``, ``client``… for exercises with several hosts): that
  role's host URL (see ``labkit.transports.parse_url``). A cell may be empty (no host for that
  role), but every student needs at least one URL. Relative ``key=``/``known_hosts=`` paths
  are taken relative to the roster's folder;
- ``param:NAME`` / ``param:EXERCISE:NAME``: an exercise parameter for this student, for every
  exercise that has it / for one exercise only (the latter wins); empty cells are ignored;
- ``lang`` (optional): ``gl`` or ``en``, the language of the student's feedback.

Every error is a ``RosterError`` that names the file and the line.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from labkit.errors import LabkitError, RosterError
from labkit.i18n import LANGS
from labkit.transports import parse_url

__all__ = ["RosterEntry", "load_roster", "read_roster"]

_ROLE = re.compile(r"^[a-z][a-z0-9_-]*$")
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
_EXERCISE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
#: No spaces, path separators or glob characters (nbgrader globs and joins student ids).
_STUDENT = re.compile(r"^[^\s/\\*?\[\].][^\s/\\*?\[\]]*$")
_RESERVED = {"lang"}


@dataclass(frozen=True)
class RosterEntry:
    """One student's line of the roster."""

    student: str
    hosts: dict[str, str]
    params: dict[str, str] = field(default_factory=dict)
    lang: str | None = None
    line: int = 0

    def params_for(self, exercise: str) -> dict[str, str]:
        """The parameters that apply to ``exercise`` (exercise-specific columns win)."""
        general = {k: v for k, v in self.params.items() if ":" not in k}
        specific = {k.split(":", 1)[1]: v for k, v in self.params.items()
                    if k.split(":", 1)[0] == exercise and ":" in k}
        return {**general, **specific}


@dataclass(frozen=True)
class _Column:
    kind: str  # "role" | "param" | "lang"
    name: str


def load_roster(path: str | Path) -> dict[str, dict[str, str]]:
    """``{student_id: {role: url}}`` from the roster CSV at ``path``."""
    return {sid: entry.hosts for sid, entry in read_roster(path).items()}


def read_roster(path: str | Path) -> dict[str, RosterEntry]:
    """Every student of the roster CSV at ``path``, with hosts, parameters and language."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise RosterError(f"{path}: cannot read the roster: {reason}") from None
    lines = text.splitlines(keepends=True)
    first = next((ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")), "")
    delimiter = ";" if ";" in first and "," not in first else ","
    reader = csv.reader(lines, delimiter=delimiter, skipinitialspace=True)
    columns: list[_Column] | None = None
    entries: dict[str, RosterEntry] = {}
    try:
        for row in reader:
            line = reader.line_num
            cells = [c.strip() for c in row]
            if not any(cells) or cells[0].startswith("#"):
                continue
            if columns is None:
                columns = _header(cells, path, line)
                continue
            entry = _row(cells, columns, path, line)
            if entry.student in entries:
                raise RosterError(f"{path}:{line}: duplicate student id {entry.student!r} "
                                  f"(first on line {entries[entry.student].line})")
            entries[entry.student] = entry
    except csv.Error as exc:
        raise RosterError(f"{path}:{reader.line_num}: not valid CSV: {exc}") from None
    if columns is None:
        raise RosterError(f"{path}:1: the roster is empty; it needs a header line such as "
                          "'student_id,host'")
    return entries


def _header(cells: list[str], path: Path, line: int) -> list[_Column]:
    where = f"{path}:{line}"
    if cells[0] != "student_id":
        raise RosterError(f"{where}: the first line must be a header starting with "
                          f"'student_id' (e.g. 'student_id,host'), found {cells[0]!r}")
    columns: list[_Column] = []
    seen: set[str] = set()
    for cell in cells[1:]:
        if cell in seen:
            raise RosterError(f"{where}: column {cell!r} appears twice")
        seen.add(cell)
        if cell in _RESERVED:
            columns.append(_Column(cell, cell))
        elif cell.startswith("param:"):
            parts = cell.split(":")
            ok = (len(parts) == 2 and _NAME.match(parts[1])) or (
                len(parts) == 3 and _EXERCISE.match(parts[1]) and _NAME.match(parts[2]))
            if not ok:
                raise RosterError(f"{where}: bad column {cell!r} "
                                  "(expected param:NAME or param:EXERCISE:NAME)")
            columns.append(_Column("param", cell.split(":", 1)[1]))
        elif _ROLE.match(cell):
            columns.append(_Column("role", cell))
        else:
            raise RosterError(f"{where}: bad column {cell!r} (expected a role such as 'host', "
                              "'lang', or param:NAME)")
    if not any(c.kind == "role" for c in columns):
        raise RosterError(f"{where}: no host column; the header needs at least one role, "
                          "e.g. 'student_id,host'")
    return columns


def _row(cells: list[str], columns: list[_Column], path: Path, line: int) -> RosterEntry:
    where = f"{path}:{line}"
    if len(cells) != len(columns) + 1:
        raise RosterError(f"{where}: expected {len(columns) + 1} fields like the header, "
                          f"found {len(cells)}")
    student = cells[0]
    if not _STUDENT.match(student):
        raise RosterError(f"{where}: bad student id {student!r} (no spaces, slashes or "
                          "wildcards, and it cannot start with a dot)")
    hosts: dict[str, str] = {}
    params: dict[str, str] = {}
    lang: str | None = None
    for column, value in zip(columns, cells[1:], strict=True):
        if not value:
            continue
        if column.kind == "role":
            try:
                parse_url(value)
            except LabkitError as exc:
                raise RosterError(f"{where}: student {student!r}, column {column.name!r}: "
                                  f"{exc}") from None
            hosts[column.name] = _absolute_paths(value, path.parent)
        elif column.kind == "param":
            params[column.name] = value
        else:
            if value not in LANGS:
                raise RosterError(f"{where}: student {student!r}: unknown language {value!r} "
                                  f"(known: {', '.join(LANGS)})")
            lang = value
    if not hosts:
        raise RosterError(f"{where}: student {student!r} has no host URL")
    return RosterEntry(student, hosts, params, lang, line)


def _absolute_paths(url: str, base: Path) -> str:
    """``url`` with relative ``key=``/``known_hosts=`` paths made relative to ``base``."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    changed = False
    fixed = []
    for name, value in query:
        if name in ("key", "known_hosts") and value and not value.startswith(("/", "~")):
            value = os.path.normpath(base.resolve() / value)
            changed = True
        fixed.append((name, value))
    if not changed:
        return url
    return urlunsplit(parts._replace(query=urlencode(fixed, safe="/~", quote_via=quote)))
