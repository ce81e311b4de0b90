"""Grade one student: collect every probe of each role's host in one round trip, then judge."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from labkit.checks.base import Facts
from labkit.checks.engine import evaluate, probes_for
from labkit.checks.spec import ExerciseSpec, bind
from labkit.errors import CommandTimeout, ConnectError, ProbeError
from labkit.grading.report import Report
from labkit.host import Host, Outcome
from labkit.i18n import text
from labkit.probes.base import Probe


def grade(spec: ExerciseSpec, hosts: Mapping[str, Host], *, lang: str = "gl",
          params: dict[str, str] | None = None) -> Report:
    """Grade ``spec`` against ``hosts`` (role -> Host). Never raises for host trouble: a host
    that cannot be read makes its checks ``error`` and sets ``Report.error``."""
    return grade_collecting(spec, hosts, lang=lang, params=params)[0]


def grade_collecting(spec: ExerciseSpec, hosts: Mapping[str, Host], *, lang: str = "gl",
                     params: dict[str, str] | None = None, extra: Sequence[Probe] = ()
                     ) -> tuple[Report, dict[str, dict[str, Outcome]]]:
    """``grade``, also running the ``extra`` probes on every host in the same round trip, and
    returning every host's outcomes by role (for evidence: what was read, and from whom)."""
    checks = bind(spec, params)
    wanted = probes_for(checks)
    if extra:
        for role in hosts:
            wanted[role] = [*wanted.get(role, []), *extra]
    outcomes: dict[str, dict[str, Outcome]] = {}
    host_errors: dict[str, str] = {}
    for role, probes in wanted.items():
        host = hosts.get(role)
        if host is None:
            host_errors[role] = text("error.host", lang, host=role, reason="no host for this role")
            continue
        try:
            outcomes[role] = host.collect(probes)
        except (ConnectError, CommandTimeout, ProbeError) as exc:
            host_errors[role] = text("error.host", lang, host=host.url, reason=str(exc))
    facts = {role: Facts(found) for role, found in outcomes.items()}
    results = evaluate(checks, facts, lang, host_errors)
    shown = ", ".join(f"{role}={h.url}" for role, h in hosts.items()) if len(hosts) > 1 \
        else next(iter(hosts.values())).url if hosts else "-"
    error = "; ".join(dict.fromkeys(host_errors.values())) or None
    report = Report(exercise=spec.exercise, host=shown, lang=lang, checks=results, error=error)
    return report, outcomes


def grade_url(spec: ExerciseSpec, urls: dict[str, str], *, lang: str = "gl",
              params: dict[str, str] | None = None) -> Report:
    """``grade`` with hosts given by URL; the connections are closed afterwards."""
    hosts = {role: Host(url) for role, url in urls.items()}
    try:
        return grade(spec, hosts, lang=lang, params=params)
    finally:
        for host in hosts.values():
            host.close()
