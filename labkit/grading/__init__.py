"""Grading: an exercise's checks run against its hosts, giving a Report.

``grade``, ``grade_url`` and ``Report`` are imported on first use: reading a class's roster
(``labkit.grading.class_roster``) must not load every check kind and pydantic, so that a
teacher's ``labkit grade … --roster`` opens its first hosts' connections at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from labkit.lazy import attach

if TYPE_CHECKING:
    from labkit.grading.engine import grade, grade_url
    from labkit.grading.report import Report

__all__ = ["Report", "grade", "grade_url"]

__getattr__, __dir__ = attach(__name__, {"Report": "labkit.grading.report",
                                          "grade": "labkit.grading.engine",
                                          "grade_url": "labkit.grading.engine"})
