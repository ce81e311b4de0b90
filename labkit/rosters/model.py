"""The class as labkit sees it: students, each with the URL of their lab host(s) by role.

Every reader (CSV, Ansible INI, Ansible YAML) feeds a ``RosterBuilder``, which checks what
all formats share — student ids, host URLs, duplicates — and names ``file:line`` in each error.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import overload
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from labkit.errors import LabkitError, RosterError
from labkit.i18n import LANGS
from labkit.transports import parse_url

#: No spaces, path separators or glob characters (nbgrader globs and joins student ids), and
#: not starting with a dot (ids name report files).
STUDENT_ID = re.compile(r"^[^\s/\\*?\[\].][^\s/\\*?\[\]]*$")
ROLE = re.compile(r"^[a-z][a-z0-9_-]*$")
PARAM = re.compile(r"^[a-z_][a-z0-9_]*$")
EXERCISE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Student:
    """One student: ``hosts`` maps a role (``host``; ``server``, ``client``…) to a host URL.

    ``params`` holds exercise parameters set for this student: ``NAME`` for every exercise
    that has it, ``EXERCISE:NAME`` for one exercise (see ``params_for``). ``source`` is the
    ``file:line`` the student was read from.
    """

    id: str
    hosts: dict[str, str]
    name: str = ""
    email: str = ""
    params: dict[str, str] = field(default_factory=dict)
    lang: str | None = None
    source: str = ""

    @property
    def display(self) -> str:
        """``Name (id)`` or just the id."""
        return f"{self.name} ({self.id})" if self.name else self.id

    def params_for(self, exercise: str) -> dict[str, str]:
        """The parameters that apply to ``exercise`` (exercise-specific ones win)."""
        general = {k: v for k, v in self.params.items() if ":" not in k}
        specific = {k.split(":", 1)[1]: v for k, v in self.params.items()
                    if ":" in k and k.split(":", 1)[0] == exercise}
        return {**general, **specific}


class Roster(Sequence[Student]):
    """The students of a class, in file order; ``roster["alice"]`` finds one by id."""

    def __init__(self, students: list[Student], source: str = "",
                 warnings: list[str] | None = None) -> None:
        self._students = list(students)
        self._by_id = {s.id: s for s in self._students}
        self.source = source
        #: Things that are allowed but look like mistakes (e.g. two students on one host).
        self.warnings = list(warnings or [])

    @overload
    def __getitem__(self, index: int) -> Student: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Student]: ...
    @overload
    def __getitem__(self, index: str) -> Student: ...

    def __getitem__(self, index: int | slice | str) -> Student | Sequence[Student]:
        if isinstance(index, str):
            try:
                return self._by_id[index]
            except KeyError:
                raise KeyError(f"no student {index!r} in the roster {self.source}") from None
        return self._students[index]

    def __len__(self) -> int:
        return len(self._students)

    def __iter__(self) -> Iterator[Student]:
        return iter(self._students)

    def __contains__(self, item: object) -> bool:
        if isinstance(item, str):
            return item in self._by_id
        return item in self._students

    @property
    def ids(self) -> list[str]:
        return [s.id for s in self._students]

    def urls(self) -> dict[str, dict[str, str]]:
        """``{student: {role: url}}`` — the shape ``labkit.roster.load_roster`` returns."""
        return {s.id: dict(s.hosts) for s in self._students}

    def __repr__(self) -> str:
        return f"<Roster {self.source} ({len(self)} students)>"


def check_student_id(student: str, where: str) -> str:
    if not STUDENT_ID.match(student):
        raise RosterError(f"{where}: bad student id {student!r} (no spaces, slashes or "
                          "wildcards, and it cannot start with a dot)")
    return student


def check_url(url: str, base: Path, where: str, what: str) -> str:
    """Validate ``url`` (``labkit.transports.parse_url``); make relative key paths absolute."""
    try:
        parse_url(url)
    except LabkitError as exc:
        raise RosterError(f"{where}: {what}: {exc}") from None
    return absolute_paths(url.strip(), base)


def absolute_paths(url: str, base: Path) -> str:
    """``url`` with relative ``key=``/``known_hosts=`` paths taken relative to ``base``."""
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


def check_lang(value: str, where: str) -> str:
    if value not in LANGS:
        raise RosterError(f"{where}: unknown language {value!r} (known: {', '.join(LANGS)})")
    return value


def check_param_name(name: str, where: str) -> str:
    """``NAME`` or ``EXERCISE:NAME``."""
    parts = name.split(":")
    ok = (len(parts) == 1 and PARAM.match(parts[0])) or (
        len(parts) == 2 and EXERCISE.match(parts[0]) and PARAM.match(parts[1]))
    if not ok:
        raise RosterError(f"{where}: bad parameter name {name!r} "
                          "(expected NAME or EXERCISE:NAME, lower case)")
    return name


@dataclass
class _Pending:
    id: str
    where: str
    hosts: dict[str, str] = field(default_factory=dict)
    host_where: dict[str, str] = field(default_factory=dict)
    name: str = ""
    email: str = ""
    params: dict[str, str] = field(default_factory=dict)
    lang: str | None = None


class RosterBuilder:
    """Collects students from a reader and checks them; ``build()`` gives the Roster."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._students: dict[str, _Pending] = {}

    def add(self, student: str, where: str, *, hosts: dict[str, str] | None = None,
            name: str = "", email: str = "", params: dict[str, str] | None = None,
            lang: str | None = None, merge: bool = False) -> None:
        """Add a student, or (``merge=True``: inventories) another host of one already seen.

        A student seen twice is an error unless merging; so is one role given two hosts.
        """
        check_student_id(student, where)
        pending = self._students.get(student)
        if pending is None:
            pending = self._students[student] = _Pending(student, where)
        elif not merge:
            first_file, _, first_line = pending.where.rpartition(":")
            same = first_file == where.rpartition(":")[0]
            raise RosterError(f"{where}: duplicate student id {student!r} "
                              + (f"(first on line {first_line})" if same
                                 else f"(first at {pending.where})"))
        for role, url in (hosts or {}).items():
            if not ROLE.match(role):
                raise RosterError(f"{where}: bad role {role!r} for student {student!r} "
                                  "(lower-case letters, digits, - and _)")
            if role in pending.hosts and pending.hosts[role] != url:
                raise RosterError(f"{where}: student {student!r} has two hosts for role "
                                  f"{role!r} (the other at {pending.host_where[role]})")
            pending.hosts[role] = url
            pending.host_where[role] = where
        for attr, value in (("name", name), ("email", email)):
            if value:
                old = getattr(pending, attr)
                if old and old != value:
                    raise RosterError(f"{where}: student {student!r} has two different "
                                      f"{attr}s: {old!r} and {value!r}")
                setattr(pending, attr, value)
        if lang:
            pending.lang = check_lang(lang, where)
        for key, value in (params or {}).items():
            check_param_name(key, where)
            pending.params[key] = value

    def build(self) -> Roster:
        students: list[Student] = []
        seen_url: dict[str, str] = {}
        warnings: list[str] = []
        for p in self._students.values():
            if not p.hosts:
                raise RosterError(f"{p.where}: student {p.id!r} has no host URL")
            for role, url in p.hosts.items():
                key = parse_url(url).display
                other = seen_url.get(key)
                if other is not None and other != p.id:
                    warnings.append(f"{p.host_where[role]}: students {other!r} and {p.id!r} "
                                    f"share the host {key}")
                seen_url.setdefault(key, p.id)
            students.append(Student(p.id, dict(p.hosts), p.name, p.email, dict(p.params),
                                    p.lang, p.where))
        if not students:
            raise RosterError(f"{self.source}:1: the roster has no students")
        return Roster(students, self.source, warnings)
