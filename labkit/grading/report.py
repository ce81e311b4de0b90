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

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "exercise": self.exercise, "host": self.host, "score": self.score,
            "max_score": self.max_score,
            "checks": [{"id": c.id, "status": c.status, "points": c.points,
                        "max_points": c.max_points, "message": c.message,
                        **({"hint": c.hint} if c.hint else {})} for c in self.checks],
        }
        if self.error:
            data["error"] = self.error
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def rich_table(self) -> Any:
        """A rich Table of the checks (for the terminal)."""
        from rich.table import Table

        lang = self.lang
        table = Table(title=f"{self.exercise} @ {self.host}: "
                            f"{text('report.score', lang)} {self.score:g}/{self.max_score:g}")
        table.add_column(text("report.check", lang))
        table.add_column(text("report.status", lang))
        table.add_column(text("report.points", lang), justify="right")
        table.add_column(text("report.message", lang), overflow="fold")
        for c in self.checks:
            message = c.message + (f"\n{text('report.hint', lang)}: {c.hint}" if c.hint else "")
            table.add_row(c.id, f"[{STATUS_STYLE[c.status]}]{text('status.' + c.status, lang)}",
                          f"{c.points:g}/{c.max_points:g}", message)
        return table
