"""The "Check my work" button: grade an exercise on the lab host and show every check.

``report_html`` (a Report -> HTML) and ``report_summary`` (one line) are pure; messages,
hints, ids and the host name are escaped (a message can quote a file name the student chose).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from labkit.errors import LabkitError
from labkit.grading import Report
from labkit.i18n import text
from labkit.widgets.html import COLOURS, FONT, badge, esc, message
from labkit.widgets.view import View


def report_summary(report: Report, lang: str, title: str | None = None) -> str:
    """``"qemu-img-basics: 10/10 points"``."""
    return text("check.summary", lang, title=title or report.exercise, score=report.score,
             max_score=report.max_score)


def report_html(report: Report, lang: str, title: str | None = None) -> str:
    """The per-check table of ``report``: status colours, points, message and hint."""
    head = [f'<div style="{FONT}">',
            f'<div style="font-weight: bold; margin: 4px 0;">'
            f'{esc(report_summary(report, lang, title))}</div>',
            f'<div style="opacity: 0.7; margin-bottom: 4px;">{esc(text("check.host", lang))}: '
            f'<code>{esc(report.host)}</code></div>']
    if report.error:
        head.append(message(report.error, "error"))
    cell = 'style="text-align: left; padding: 3px 8px; vertical-align: top;"'
    columns = ("report.check", "report.status", "report.points", "report.message")
    rows = ["<tr>" + "".join(f"<th {cell}>{esc(text(c, lang))}</th>" for c in columns)
            + "</tr>"]
    for check in report.checks:
        background = COLOURS.get(check.status, ("", "transparent"))[1]
        hint = (f'<div style="font-style: italic; margin-top: 2px;">'
                f'{esc(text("report.hint", lang))}: {esc(check.hint)}</div>'
                if check.hint else "")
        rows.append(
            f'<tr style="background: {background};">'
            f"<td {cell}><code>{esc(check.id)}</code></td>"
            f"<td {cell}>{badge(text('status.' + check.status, lang), check.status)}</td>"
            f'<td {cell.replace("left", "right")}>{check.points:g}/{check.max_points:g}</td>'
            f"<td {cell}>{esc(check.message)}{hint}</td></tr>")
    table = f'<table style="border-collapse: collapse;">{"".join(rows)}</table>'
    tail = message(text("check.complete", lang), "passed") if report.complete else ""
    return "".join(head) + table + tail + "</div>"


#: What a grade gives: a Report, or a Report and the signed evidence record that came with it
#: (a class's grading service signs; a student's kernel never does).
Graded = Report | tuple[Report, dict[str, Any]]


class CheckMyWork(View):
    """A button that grades with ``grade`` (a function giving a Report: the lesson lab's
    "Check my work", through the grading context; or a Report and its signed record, from
    the class's grading service) and shows every check; ``now`` grades once right away.
    A signed record is kept in ``record`` and in the notebook (``labkit.evidence.MIME``)."""

    def __init__(self, title: str, lang: str, grade: Callable[[], Graded], *,
                 now: bool = True) -> None:
        self.title, self.lang = title, lang
        self._grade = grade
        self.report: Report | None = None
        self.record: dict[str, Any] | None = None
        self.button = w.Button(description=text("check.button", lang), icon="check",
                               button_style="success", layout=w.Layout(width="auto"))
        self.output = w.HTML()
        self.button.on_click(lambda _button: self.grade())
        self.widget = w.VBox([self.button, self.output])
        if now:
            self.grade()

    def grade(self) -> Report | None:
        """Grade now and show the table (also what the button does); None if it could not."""
        lang = self.lang
        self.button.disabled = True
        self.output.value = message(text("check.checking", lang), "note")
        self.report = self.record = None
        try:
            graded = self._grade()
            self.report, self.record = graded if isinstance(graded, tuple) else (graded, None)
            html = report_html(self.report, lang, self.title)
            if self.record is not None:
                html = message(text("check.signed", lang,
                                    key_id=self.record.get("key_id", "?")), "note") + html
            stand_in = getattr(self.report, "stand_in", None)
            if stand_in:
                html = message(text("check.stand_in", lang, reason=stand_in), "warning") + html
            self.output.value = html
        except LabkitError as exc:
            self.output.value = message(text("check.could_not", lang, reason=exc), "error")
        except Exception as exc:  # a widget shows a message, never a traceback
            self.output.value = message(
                text("check.could_not", lang, reason=f"{type(exc).__name__}: {exc}"), "error")
        finally:
            self.button.disabled = False
        return self.report

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = super()._repr_mimebundle_(**kwargs)
        if self.record is not None:
            from labkit.evidence import MIME

            bundle[MIME] = self.record
        return bundle

    def text(self) -> str:
        if self.report is None:
            return text("check.widget", self.lang, title=self.title)
        summary = report_summary(self.report, self.lang, self.title)
        return text("check.widget_done", self.lang, summary=summary)


class Note:
    """A message where a widget would be (plain text too, for nbval)."""

    def __init__(self, note: str, kind: str = "note") -> None:
        self.note, self.kind = note, kind

    def text(self) -> str:
        return self.note

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, str]:
        return {"text/plain": self.note, "text/html": message(self.note, self.kind)}
