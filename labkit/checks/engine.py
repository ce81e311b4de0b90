"""The engine: bound checks + facts -> one result per check, in order.

Statuses:
- ``passed``  the host is configured as expected;
- ``failed``  it is not (the message says what was found);
- ``blocked`` a check it ``requires`` did not pass, so it was not judged (no points);
- ``error``   a probe it needs could not run or be read (no points; not the student's fault
  as far as labkit can tell, so the message says what went wrong).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from labkit.checks.base import Facts, ProbeUnavailable
from labkit.checks.spec import BoundCheck
from labkit.i18n import text
from labkit.probes.base import Probe

Status = Literal["passed", "failed", "blocked", "error"]


@dataclass(frozen=True)
class CheckResult:
    id: str
    status: Status
    points: float
    max_points: float
    message: str
    hint: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def probes_for(checks: list[BoundCheck]) -> dict[str, list[Probe[Any]]]:
    """The probes each role's host must run, without repeats, in check order."""
    by_role: dict[str, dict[str, Probe[Any]]] = {}
    for check in checks:
        for role, probes in check.kind.probes_by_role(check.args, check.role).items():
            for probe in probes:
                by_role.setdefault(role, {})[probe.key] = probe
    return {role: list(probes.values()) for role, probes in by_role.items()}


def evaluate(checks: list[BoundCheck], facts: dict[str, Facts], lang: str,
             host_errors: dict[str, str] | None = None) -> list[CheckResult]:
    """Judge every check against the facts of its role's host (``facts`` by role)."""
    host_errors = host_errors or {}
    facts = {role: f.linked(facts, host_errors) for role, f in facts.items()}
    results: list[CheckResult] = []
    status_of: dict[str, Status] = {}
    for check in checks:
        spec = check.spec
        hint = check.hint[lang] if check.hint else ""
        unmet = [r for r in spec.requires if status_of.get(r) != "passed"]
        status: Status
        if check.role in host_errors:
            status, message = "error", host_errors[check.role]
        elif unmet:
            status = "blocked"
            message = text("blocked.requires", lang, ids=", ".join(unmet),
                           check=check.message[lang])
        else:
            try:
                verdict = check.kind.evaluate(check.args, facts[check.role])
            except ProbeUnavailable as exc:
                status = "error"
                message = text("error.probe", lang, reason=exc.reason,
                               check=check.message[lang])
            else:
                status = "passed" if verdict.passed else "failed"
                message = text(verdict.key, lang, **verdict.values)
        status_of[spec.id] = status
        results.append(CheckResult(
            id=spec.id, status=status,
            points=spec.points if status == "passed" else 0.0, max_points=spec.points,
            message=message, hint=hint if status == "failed" else "",
        ))
    return results
