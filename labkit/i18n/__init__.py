"""THE message catalog: every sentence labkit shows a person, in Galician and English.

Messages live by area in :mod:`labkit.i18n.messages` — one module per area (``core``,
``lvm``, ``net``, ``widgets``…), each with a ``MESSAGES`` dict of
``{"area.what": {"gl": "…", "en": "…"}}``; a new module there is found by itself, as probes
and check kinds are. Values are :meth:`str.format` templates.

One lookup, one fallback rule::

    text("status.passed", "en")            # -> "passed"
    text("file.missing", "gl", path="/x")  # placeholders filled in

- ``lang`` is ``gl`` or ``en``; anything else (``None``, ``""``, ``"fr"``) falls back to
  Galician, the course language;
- a key nobody defined is a :class:`KeyError` — ``tests/test_i18n.py`` proves that every key
  the code uses exists, in both languages, with the same placeholders.

Nothing outside this package (and the graders' YAML) holds a ``"gl":`` string.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

LANGS = ("gl", "en")
DEFAULT_LANG = "gl"

_CATALOG: dict[str, dict[str, str]] | None = None


def _load() -> dict[str, dict[str, str]]:
    from labkit.i18n import messages

    catalog: dict[str, dict[str, str]] = {}
    for module in sorted(pkgutil.iter_modules(messages.__path__), key=lambda m: m.name):
        table = importlib.import_module(f"{messages.__name__}.{module.name}").MESSAGES
        for key, entry in table.items():
            if key in catalog:
                raise RuntimeError(f"message {key!r} is defined twice "
                                   f"(second time in labkit/i18n/messages/{module.name}.py)")
            catalog[key] = entry
    return catalog


def catalog() -> dict[str, dict[str, str]]:
    """Every message, by key (loaded on first use)."""
    global _CATALOG
    if _CATALOG is None:
        _CATALOG = _load()
    return _CATALOG


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
    template = catalog()[key][lang_or_default(lang)]
    return template.format(**values)


def __getattr__(name: str) -> Any:
    if name == "CATALOG":
        return catalog()
    raise AttributeError(name)


__all__ = ["CATALOG", "DEFAULT_LANG", "LANGS", "catalog", "check_lang", "lang_or_default", "text"]
