"""Messages in the course's two languages: Galician (``gl``, the default) and English."""

from __future__ import annotations

from typing import Any

from labkit.i18n.catalog import CATALOG

LANGS = ("gl", "en")
DEFAULT_LANG = "gl"


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r} (known: {', '.join(LANGS)})")
    return lang


def text(key: str, lang: str, **values: Any) -> str:
    """The message ``key`` in ``lang``, with ``values`` filled in."""
    entry = CATALOG[key]
    return entry[lang].format(**values)


__all__ = ["CATALOG", "DEFAULT_LANG", "LANGS", "check_lang", "text"]
