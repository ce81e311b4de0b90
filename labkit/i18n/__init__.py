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

Every ``labkit grade`` process shows messages, so the catalog loads fast: from a cache of the
parsed files (``messages/__pycache__/``, kept as a ``.pyc`` is: valid while no file's name,
size or time changes); where none can be written (``PYTHONDONTWRITEBYTECODE``, a read-only
install), :func:`text` parses only the file that holds its key, found by the files'
``["key"]`` lines. :func:`catalog` (also ``CATALOG``) is every message.

Nothing outside this package (and the graders' YAML) holds a ``"gl":`` string.
"""

from __future__ import annotations

import marshal
import os
import re
import sys
import threading
from pathlib import Path
from typing import Any

LANGS = ("gl", "en")
DEFAULT_LANG = "gl"

#: The catalog's files.
_FOLDER = Path(__file__).resolve().parent / "messages"

#: A message's table header, alone on its line: ``["area.key"]``.
_HEADER = re.compile(r'^\["([^"\\\n]*)"\][ \t]*(?:#[^\n]*)?$', re.MULTILINE)

#: Bumped when the cache's layout changes.
_CACHE_FORMAT = 1

_Messages = dict[str, dict[str, str]]


class _Catalog:
    """The messages of one folder of ``<area>.toml`` files.

    Three ways to them, fastest first: the whole catalog from its cache (``marshal``, in the
    folder's ``__pycache__``, valid while no file's name, size or time changes — as a
    ``.pyc``); else every file parsed at once, to write that cache; else, where the cache cannot
    be written (``PYTHONDONTWRITEBYTECODE``, a read-only install), only the file that holds a
    key, found by the files' ``["key"]`` lines. The same checks hold on every way.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.cache = folder / "__pycache__" / f"catalog.{sys.implementation.cache_tag}.marshal"
        self._lock = threading.RLock()
        self._all: _Messages | None = None
        self._lazy = False  # no cache to read or write: parse only the files asked for
        self._where: dict[str, Path] | None = None  # key -> its file (from the headers)
        self._sources: dict[Path, str] = {}
        self._tables: dict[Path, _Messages] = {}

    def entry(self, key: str) -> dict[str, str]:
        """The message ``key`` (``{"gl": …, "en": …}``); KeyError if no file defines it."""
        if self._all is None and not self._lazy:
            self._settle()
        if self._all is not None:
            return self._all[key]
        return self._table(self._index()[key])[key]

    def all(self) -> _Messages:
        """Every message, by key, file by file in the files' name order."""
        if self._all is None:
            with self._lock:
                if self._all is None:
                    cached = None if self._lazy else self._cached()
                    self._all = cached if cached is not None else self._parse_all()
        return self._all

    def _settle(self) -> None:
        """The whole catalog from the cache, or parsed to write the cache; else lazy."""
        with self._lock:
            if self._all is None and not self._lazy:
                self._all = self._cached()
                if self._all is None:
                    if self._cache_writable():
                        self._all = self._parse_all()
                    else:
                        self._lazy = True

    # -- the files ---------------------------------------------------------------------------
    def _files(self) -> list[Path]:
        files = sorted(self.folder.glob("*.toml"))
        if not files:
            raise RuntimeError(f"{self.folder}: no message files (<area>.toml)")
        return files

    def _source(self, path: Path) -> str:
        if path not in self._sources:
            self._sources[path] = path.read_text(encoding="utf-8")
        return self._sources[path]

    def _index(self) -> dict[str, Path]:
        """Which file defines each key, read from the files' ``["key"]`` lines."""
        with self._lock:
            if self._where is None:
                where: dict[str, Path] = {}
                for path in self._files():
                    for key in _HEADER.findall(self._source(path)):
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
            source = self._source(path)
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

    def _parse_all(self) -> _Messages:
        stamp = self._stamp()  # before reading: a file changed meanwhile makes the cache stale
        merged: _Messages = {}
        where: dict[str, Path] = {}
        for path in self._files():
            for key, entry in self._table(path).items():
                if key in where:
                    raise RuntimeError(f"message {key!r} is defined twice: in {where[key]} "
                                       f"and in {path}")
                where[key] = path
                merged[key] = entry
        self._write_cache(stamp, merged)
        return merged

    # -- the cache ---------------------------------------------------------------------------
    def _stamp(self) -> tuple[Any, ...]:
        """What the cache is valid for: every file's name, size and modification time."""
        files = []
        with os.scandir(self.folder) as entries:
            for item in entries:
                if item.name.endswith(".toml"):
                    stat = item.stat()
                    files.append((item.name, stat.st_size, stat.st_mtime_ns))
        return (_CACHE_FORMAT, tuple(sorted(files)))

    def _cached(self) -> _Messages | None:
        try:
            # Written by _write_cache beside the package's .pyc files, and as trusted.
            stamp, messages = marshal.loads(self.cache.read_bytes())  # noqa: S302
            if stamp == self._stamp() and isinstance(messages, dict):
                return messages
        except (OSError, EOFError, ValueError, TypeError):
            pass
        return None

    def _cache_writable(self) -> bool:
        if sys.dont_write_bytecode:
            return False
        where = self.cache.parent if self.cache.parent.is_dir() else self.folder
        return os.access(where, os.W_OK)

    def _write_cache(self, stamp: tuple[Any, ...], messages: _Messages) -> None:
        if not self._cache_writable():
            return
        partial = self.cache.with_name(f"{self.cache.name}.{os.getpid()}.tmp")
        try:
            self.cache.parent.mkdir(exist_ok=True)
            partial.write_bytes(marshal.dumps((stamp, messages)))
            os.replace(partial, self.cache)
        except OSError:
            partial.unlink(missing_ok=True)


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
