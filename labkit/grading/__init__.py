"""Grading: an exercise's checks run against its hosts, giving a Report.

``grade``, ``grade_url`` and ``Report`` are imported on first use: reading a class's roster
(``labkit.grading.class_roster``) must not load every check kind and pydantic, so that a
teacher's ``labkit grade … --roster`` opens its first hosts' connections at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from labkit.grading.engine import grade, grade_url
    from labkit.grading.report import Report

__all__ = ["Report", "grade", "grade_url"]

_HOMES = {"Report": "report", "grade": "engine", "grade_url": "engine"}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
