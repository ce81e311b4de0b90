"""The result of grading one student's host(s) for one exercise, and its renderings."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from labkit.checks.engine import CheckResult
from labkit.i18n import text

STATUS_STYLE = {"passed": "green", "failed": "red", "blocked": "yellow", "error": "magenta"}


@dataclass
class Report:
    """``{"exercise","host","score","max_score","checks":[...]}`` plus ``error`` when the host
    could not be graded at all (unreachable, bad answer)."""

    exercise: str
    host: str
    lang: str
    checks: list[CheckResult] = field(default_factory=list)
    error: str | None = None
    #: Every hint level of every failed check (for teachers), by check id.
    hints: dict[str, list[str]] = field(default_factory=dict)
    hint_level: int = 3
    #: Why the host is not a student's machine (a recording, the grading machine), or None.
    stand_in: str | None = None

    @property
    def score(self) -> float:
        return sum(c.points for c in self.checks)

    @property
    def max_score(self) -> float:
        return sum(c.max_points for c in self.checks)

    @property
    def complete(self) -> bool:
        """Full marks."""
        return self.error is None and all(c.status == "passed" for c in self.checks)

    def to_dict(self, *, teacher: bool = False) -> dict[str, Any]:
        """The report as data; ``teacher`` adds every hint level of each failed check."""
        data: dict[str, Any] = {
            "exercise": self.exercise, "host": self.host, "score": self.score,
            "max_score": self.max_score,
            "checks": [{"id": c.id, "status": c.status, "points": c.points,
                        "max_points": c.max_points, "message": c.message,
                        **({"hint": c.hint} if c.hint else {})} for c in self.checks],
        }
        if self.error:
            data["error"] = self.error
        if self.stand_in:
            data["stand_in"] = self.stand_in
        if teacher:
            data["hints"] = {k: list(v) for k, v in self.hints.items()}
        return data

    def to_json(self, *, teacher: bool = False) -> str:
        return json.dumps(self.to_dict(teacher=teacher), ensure_ascii=False, indent=2)

    def _title(self) -> str:
        title = (f"{self.exercise} @ {self.host}: "
                 f"{text('report.score', self.lang)} {self.score:g}/{self.max_score:g}")
        return title + ("\n" + self.stand_in if self.stand_in else "")

    def text_table(self) -> str:
        """The checks as plain text (a pipe, a file): the title, then one block per check,
        its id, status and points, and its message (and hint) indented below."""
        lang = self.lang
        rows = [(c.id, text("status." + c.status, lang), f"{c.points:g}/{c.max_points:g}")
                for c in self.checks]
        head = (text("report.check", lang), text("report.status", lang),
                text("report.points", lang))
        width = [max(len(r[i]) for r in [head, *rows]) for i in range(3)]
        lines = [self._title(), ""]
        lines.append(f"{head[0]:<{width[0]}}  {head[1]:<{width[1]}}  {head[2]:>{width[2]}}  "
                     f"{text('report.message', lang)}")
        for c, (cid, status, points) in zip(self.checks, rows, strict=True):
            lines.append(f"{cid:<{width[0]}}  {status:<{width[1]}}  {points:>{width[2]}}  "
                         f"{c.message}")
            if c.hint:
                lines.append(f"{'':<{sum(width) + 6}}{text('report.hint', lang)}: {c.hint}")
        return "\n".join(lines)

    def rich_table(self) -> Any:
        """A rich Table of the checks (for the terminal)."""
        from rich.table import Table

        lang = self.lang
        table = Table(title=self._title())
        table.add_column(text("report.check", lang))
        table.add_column(text("report.status", lang))
        table.add_column(text("report.points", lang), justify="right")
        table.add_column(text("report.message", lang), overflow="fold")
        for c in self.checks:
            message = c.message + (f"\n{text('report.hint', lang)}: {c.hint}" if c.hint else "")
            table.add_row(c.id, f"[{STATUS_STYLE[c.status]}]{text('status.' + c.status, lang)}",
                          f"{c.points:g}/{c.max_points:g}", message)
        return table
