"""Evidence in the notebook: "Check my work" shows the report and keeps the signed record as
a cell output (MIME type ``application/vnd.labkit.evidence+json``), saved with the notebook.

Grading and signing are :mod:`labkit.evidence`'s; this module only adds the display, so it
is the one that imports IPython, and only when a kernel runs it.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from labkit import evidence
from labkit.grading.report import Report

__all__ = ["check_my_work", "show_record"]


def check_my_work(exercise: str, url: str | Mapping[str, str] | None = None, *,
                  student: str | None = None, lang: str | None = None,
                  key: bytes | None = None, params: dict[str, str] | None = None
                  ) -> tuple[Report, dict[str, Any]]:
    """:func:`labkit.evidence.check_my_work` (grade, sign), then :func:`show_record`."""
    report, record = evidence.check_my_work(exercise, url, student=student, lang=lang,
                                            key=key, params=params)
    show_record(report, record)
    return report, record


def show_record(report: Report, record: Mapping[str, Any]) -> bool:
    """Show the report and keep ``record`` as the output of the running cell; False (nothing
    shown) outside an IPython kernel."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        return False
    if get_ipython() is None:
        return False
    from rich.console import Console

    # Recorded into a buffer, not shown by rich itself (in a kernel rich would display the
    # table as an output of its own and leave the record's text and HTML empty).
    console = Console(record=True, width=100, file=io.StringIO(), force_jupyter=False,
                      force_terminal=False)
    console.print(report.rich_table())
    display({evidence.MIME: dict(record), "text/plain": console.export_text(clear=False),
             "text/html": console.export_html(inline_styles=True)},
            raw=True)  # type: ignore[no-untyped-call]
    return True
