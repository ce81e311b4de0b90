"""Rosters as CSV: one student per line, a header line naming the columns.

::

    student_id,name,email,host,param:workdir
    alice,Alice Álvarez,alice@uni.gal,ssh://root@10.0.0.11?key=keys/lab,/root/lab
    bob,Bob Brea,bob@uni.gal,ssh://root@10.0.0.12?key=keys/lab,

Columns (header names are case-insensitive; spaces count as ``_``; any order):

- the student id (required): ``student_id``, ``id``, ``student``, ``username``,
  ``idnumber`` or ``user`` — the id nbgrader and the grade book use;
- ``name`` (or ``full_name``), or ``first_name`` + ``last_name`` (also ``firstname``,
  ``lastname``, ``surname``: a Moodle participants export works as it is); ``email``;
- ``lang``: ``gl`` or ``en``, the language of the student's feedback;
- ``param:NAME`` / ``param:EXERCISE:NAME``: an exercise parameter for this student, for every
  exercise that has it / for one exercise only; empty cells are ignored;
- ``notes``, ``comment``, ``group``: ignored;
- any other name is a role (``host``; ``server``, ``client``…; ``host:ROLE`` also works) and
  its cells are host URLs (``labkit.transports.parse_url``). A cell may be empty, but every
  student needs one URL. Relative ``key=``/``known_hosts=`` paths are taken relative to the
  roster's folder.

The delimiter is ``,``, ``;`` or a tab (whichever the header uses); UTF-8, with or without a
BOM; ``#`` lines and blank lines are skipped. This is a superset of ``labkit.roster``'s format.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from labkit.errors import RosterError
from labkit.rosters.model import ROLE, Roster, RosterBuilder, check_param_name, check_url

ID_COLUMNS = ("student_id", "id", "student", "username", "idnumber", "user", "user_id")
_ALIASES = {
    "name": "name", "full_name": "name", "fullname": "name",
    "first_name": "first", "firstname": "first", "given_name": "first",
    "last_name": "last", "lastname": "last", "surname": "last", "family_name": "last",
    "email": "email", "email_address": "email", "e-mail": "email", "mail": "email",
    "lang": "lang", "language": "lang",
    "notes": "ignore", "note": "ignore", "comment": "ignore", "comments": "ignore",
    "group": "ignore", "groups": "ignore",
}


@dataclass(frozen=True)
class _Column:
    kind: str  # id | name | first | last | email | lang | ignore | role | param
    name: str


def _header_name(cell: str) -> str:
    return "_".join(cell.strip().lower().split())


def _columns(cells: list[str], where: str) -> list[_Column]:
    if any("://" in c for c in cells):
        raise RosterError(f"{where}: the first line must be a header starting with "
                          f"'student_id' (e.g. 'student_id,host'), found {cells[0]!r}")
    columns: list[_Column] = []
    seen: set[str] = set()
    for cell in cells:
        raw = cell.strip()
        name = _header_name(raw)
        if not name:
            columns.append(_Column("ignore", ""))
            continue
        if name in seen:
            raise RosterError(f"{where}: column {raw!r} appears twice")
        seen.add(name)
        if name.startswith("param:"):
            try:
                columns.append(_Column("param", check_param_name(raw.split(":", 1)[1].strip(),
                                                                 where)))
            except RosterError:
                raise RosterError(f"{where}: bad column {raw!r} (expected param:NAME or "
                                  "param:EXERCISE:NAME, lower case)") from None
        elif name.startswith("host:"):
            role = name.split(":", 1)[1]
            if not ROLE.match(role):
                raise RosterError(f"{where}: bad column {raw!r} (host:ROLE, ROLE in lower case)")
            columns.append(_Column("role", role))
        elif name in ID_COLUMNS and not any(c.kind == "id" for c in columns):
            columns.append(_Column("id", name))
        elif name in _ALIASES:
            columns.append(_Column(_ALIASES[name], name))
        elif ROLE.match(raw.lower()):
            columns.append(_Column("role", raw.lower()))
        else:
            raise RosterError(f"{where}: bad column {raw!r} (expected student_id, name, email, "
                              "lang, a role such as 'host', or param:NAME)")
    if not any(c.kind == "id" for c in columns):
        raise RosterError(f"{where}: the first line must be a header starting with "
                          f"'student_id' (e.g. 'student_id,host'; also id, username, "
                          f"idnumber), found {cells[0]!r}")
    if not any(c.kind == "role" for c in columns):
        raise RosterError(f"{where}: no host column; the header needs at least one role, "
                          "e.g. 'student_id,host'")
    return columns


def _delimiter(text: str) -> str:
    first = next((ln for ln in text.splitlines() if ln.strip() and not ln.lstrip()
                  .startswith("#")), "")
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(path: Path, text: str) -> Roster:
    """Read the roster CSV ``text`` (from ``path``)."""
    builder = RosterBuilder(str(path))
    reader = csv.reader(text.splitlines(keepends=True), delimiter=_delimiter(text))
    columns: list[_Column] | None = None
    try:
        for row in reader:
            line = reader.line_num
            cells = [c.strip() for c in row]
            if not any(cells) or cells[0].startswith("#"):
                continue
            where = f"{path}:{line}"
            if columns is None:
                columns = _columns(cells, where)
                continue
            _row(builder, cells, columns, path, where)
    except csv.Error as exc:
        raise RosterError(f"{path}:{reader.line_num}: not valid CSV: {exc}") from None
    if columns is None:
        raise RosterError(f"{path}:1: the roster is empty; it needs a header line such as "
                          "'student_id,host'")
    return builder.build()


def _row(builder: RosterBuilder, cells: list[str], columns: list[_Column], path: Path,
         where: str) -> None:
    if len(cells) != len(columns):
        raise RosterError(f"{where}: expected {len(columns)} fields like the header, "
                          f"found {len(cells)}")
    values: dict[str, str] = {}
    hosts: dict[str, str] = {}
    params: dict[str, str] = {}
    for column, value in zip(columns, cells, strict=False):
        if column.kind == "role":
            if value:
                hosts[column.name] = value
        elif column.kind == "param":
            if value:
                params[column.name] = value
        elif column.kind != "ignore":
            values[column.kind] = value
    student = values.get("id", "")
    if not student:
        raise RosterError(f"{where}: no student id")
    for role, url in hosts.items():
        hosts[role] = check_url(url, path.parent, where, f"student {student!r}, column {role!r}")
    name = values.get("name") or " ".join(
        v for v in (values.get("first", ""), values.get("last", "")) if v)
    builder.add(student, where, hosts=hosts, name=name, email=values.get("email", ""),
                params=params, lang=values.get("lang") or None)
