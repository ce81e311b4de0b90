"""THE message catalog: every sentence labkit shows a person, in Galician and English.

Messages live by area in data files, ``labkit/i18n/messages/<area>.toml`` (``core``, ``lvm``,
``net``, ``widgets``…), read with :mod:`tomllib`: one table per message, named by its key,
with one string per language; a new file there is found by itself, and a translator edits
text, not Python::

    # words of the class reports (HTML, summaries)
    ["teacher.class"]
    gl = "Clase"
    en = "Class"

Values are :meth:`str.format` templates. A long one is a multi-line basic string (three
quotes) whose lines end in a backslash: TOML joins them, dropping the line break and the next
line's leading blanks, so the space between two words stays before the backslash.
``\\n``, ``\\"`` and ``\\\\`` are TOML's escapes, as in Python.

One lookup, one fallback rule::

    text("status.passed", "en")            # -> "passed"
    text("file.missing", "gl", path="/x")  # placeholders filled in

- ``lang`` is ``gl`` or ``en``; anything else (``None``, ``""``, ``"fr"``) falls back to
  Galician, the course language;
- a key nobody defined is a :class:`KeyError` — ``tests/test_i18n.py`` proves that every key
  the code uses exists, in both languages, with the same placeholders;
- a key defined twice, or a file that is not valid TOML, is a :class:`RuntimeError` that
  names the file(s).

A lookup parses only the file that holds its key (found by the files' ``["key"]`` lines), so
a ``labkit grade`` process reads two or three small files; :func:`catalog` (also ``CATALOG``)
parses every file.

Nothing outside this package (and the graders' YAML) holds a ``"gl":`` string.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

LANGS = ("gl", "en")
DEFAULT_LANG = "gl"

#: The catalog's files.
_FOLDER = Path(__file__).resolve().parent / "messages"

#: A message's table header, alone on its line: ``["area.key"]``.
_HEADER = re.compile(r'^\["([^"\\\n]*)"\][ \t]*(?:#[^\n]*)?$', re.MULTILINE)

_Messages = dict[str, dict[str, str]]


class _Catalog:
    """The messages of one folder of ``<area>.toml`` files, each file parsed when a key it
    holds is first asked for (which file holds a key: the files' ``["key"]`` lines)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.RLock()
        self._where: dict[str, Path] | None = None  # key -> its file (from the headers)
        self._tables: dict[Path, _Messages] = {}
        self._all: _Messages | None = None

    def entry(self, key: str) -> dict[str, str]:
        """The message ``key`` (``{"gl": …, "en": …}``); KeyError if no file defines it."""
        return self._table(self._index()[key])[key]

    def all(self) -> _Messages:
        """Every message, by key, file by file in the files' name order."""
        if self._all is None:
            self._all = {key: self._table(path)[key] for key, path in self._index().items()}
        return self._all

    def _index(self) -> dict[str, Path]:
        """Which file defines each key, read from the files' ``["key"]`` lines."""
        with self._lock:
            if self._where is None:
                files = sorted(self.folder.glob("*.toml"))
                if not files:
                    raise RuntimeError(f"{self.folder}: no message files (<area>.toml)")
                where: dict[str, Path] = {}
                for path in files:
                    for key in _HEADER.findall(path.read_text(encoding="utf-8")):
                        if key in where:
                            raise RuntimeError(f"message {key!r} is defined twice: in "
                                               f"{where[key]} and in {path}")
                        where[key] = path
                self._where = where
            return self._where

    def _table(self, path: Path) -> _Messages:
        """The messages of one file, checked: valid TOML, one ``["key"]`` table per message,
        each a table of strings."""
        import tomllib  # only when a file is parsed

        with self._lock:
            if path in self._tables:
                return self._tables[path]
            source = path.read_text(encoding="utf-8")
            try:
                data = tomllib.loads(source)
            except tomllib.TOMLDecodeError as exc:
                raise RuntimeError(f"{path}: not valid TOML: {exc}") from exc
            headers = set(_HEADER.findall(source))
            if set(data) != headers:
                raise RuntimeError(f"{path}: every message is a table of its own, a line "
                                   f'["area.key"] and then its languages (not so: '
                                   f"{sorted(set(data) ^ headers)})")
            for key, entry in data.items():
                if not isinstance(entry, dict) or not all(
                        isinstance(value, str) for value in entry.values()):
                    raise RuntimeError(f"{path}: message {key!r} is not a table of strings "
                                       f'(gl = "…", en = "…")')
            self._tables[path] = data
            return data


_MESSAGES = _Catalog(_FOLDER)


def catalog() -> dict[str, dict[str, str]]:
    """Every message, by key (every file is read on first use)."""
    return _MESSAGES.all()


def lang_or_default(lang: str | None) -> str:
    """The one fallback rule: ``lang`` if it is a course language, else Galician."""
    cleaned = (lang or "").strip().lower()
    return cleaned if cleaned in LANGS else DEFAULT_LANG


def check_lang(lang: str) -> str:
    """``lang`` if known, else ValueError (for options a person typed, e.g. ``--lang``)."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r} (known: {', '.join(LANGS)})")
    return lang


def text(key: str, lang: str | None, **values: Any) -> str:
    """The message ``key`` in ``lang`` (see the fallback rule above), ``values`` filled in."""
    template = _MESSAGES.entry(key)[lang_or_default(lang)]
    return template.format(**values)


def __getattr__(name: str) -> Any:
    if name == "CATALOG":
        return catalog()
    raise AttributeError(name)


__all__ = ["CATALOG", "DEFAULT_LANG", "LANGS", "catalog", "check_lang", "lang_or_default", "text"]
