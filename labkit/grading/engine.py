"""Grade one student: collect every probe of each role's host in one round trip, then judge.

``grade``/``grade_collecting`` are the engine; which student, parameters, language, hosts and
hint level a grade uses is decided by :class:`labkit.grading.context.GradingContext`, which
every caller (CLI, class grading, nbgrader, "Check my work") goes through.

Hints come in levels: 1 the idea, 2 the shape of the command, 3 the full command (a check's
``hints: [idea, shape]`` and its ``hint``). A student sees the levels up to ``hint_level``;
``Report.hints`` keeps every level of every failed check for the teacher.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from labkit.checks.base import Facts
from labkit.checks.engine import CheckResult, evaluate, probes_for
from labkit.checks.spec import BoundCheck, ExerciseSpec, _fill, bind, spec_params
from labkit.errors import CommandTimeout, ConnectError, ProbeError
from labkit.grading.report import Report
from labkit.host import Host, Outcome
from labkit.i18n import text
from labkit.probes.base import Probe

#: What a check's hint shows at each level when the grader gives only the full command.
FULL_LEVEL = 3


def grade(spec: ExerciseSpec, hosts: Mapping[str, Host], *, lang: str = "gl",
          params: dict[str, str] | None = None, hint_level: int = FULL_LEVEL) -> Report:
    """Grade ``spec`` against ``hosts`` (role -> Host). Never raises for host trouble: a host
    that cannot be read makes its checks ``error`` and sets ``Report.error``."""
    return grade_collecting(spec, hosts, lang=lang, params=params, hint_level=hint_level)[0]


def hint_levels(spec: ExerciseSpec, check: BoundCheck, params: Mapping[str, str],
                lang: str) -> list[tuple[int, str]]:
    """``[(level, text), …]`` of one check: its ``hints`` (1, 2) and its ``hint`` (3)."""
    values = spec_params(spec, dict(params))
    levels = [(i + 1, str(_fill(h[lang], values))) for i, h in enumerate(check.spec.hints)]
    if check.hint is not None:
        levels.append((FULL_LEVEL, check.hint[lang]))
    return levels


def _leveled(results: list[CheckResult], checks: list[BoundCheck], spec: ExerciseSpec,
             params: Mapping[str, str], lang: str, hint_level: int
             ) -> tuple[list[CheckResult], dict[str, list[str]]]:
    out: list[CheckResult] = []
    every: dict[str, list[str]] = {}
    for result, check in zip(results, checks, strict=True):
        if not result.hint:
            out.append(result)
            continue
        levels = hint_levels(spec, check, params, lang)
        every[result.id] = [t for _, t in levels]
        shown = " ".join(t for level, t in levels if level <= hint_level)
        out.append(dataclasses.replace(result, hint=shown))
    return out, every


def grade_collecting(spec: ExerciseSpec, hosts: Mapping[str, Host], *, lang: str = "gl",
                     params: dict[str, str] | None = None, extra: Sequence[Probe[object]] = (),
                     hint_level: int = FULL_LEVEL
                     ) -> tuple[Report, dict[str, dict[str, Outcome]]]:
    """``grade``, also running the ``extra`` probes on every host in the same round trip, and
    returning every host's outcomes by role (for evidence: what was read, and from whom)."""
    return grade_several([(spec, hosts, params or {})], lang=lang, extra=extra,
                         hint_level=hint_level)[0]


def grade_several(items: Sequence[tuple[ExerciseSpec, Mapping[str, Host], Mapping[str, str]]],
                  *, lang: str = "gl", extra: Sequence[Probe[object]] = (),
                  hint_level: int = FULL_LEVEL
                  ) -> list[tuple[Report, dict[str, dict[str, Outcome]]]]:
    """Grade several exercises, each ``(spec, hosts by role, params)``, reading each host
    ONCE: a ``Host`` that serves several exercises (the same object) runs every probe of all
    of them, and the ``extra`` probes, in one round trip. One ``(report, outcomes by role)``
    per item, in order."""
    plans = []
    wanted: dict[int, dict[str, Probe[Any]]] = {}  # id(host) -> probes by key
    opened: dict[int, Host] = {}
    for spec, hosts, params in items:
        checks = bind(spec, dict(params))
        by_role = probes_for(checks)
        if extra:
            for role in hosts:
                by_role[role] = [*by_role.get(role, []), *extra]
        for role, probes in by_role.items():
            host = hosts.get(role)
            if host is not None:
                opened[id(host)] = host
                wanted.setdefault(id(host), {}).update((p.key, p) for p in probes)
        plans.append((spec, hosts, params, checks, by_role))
    read: dict[int, dict[str, Outcome]] = {}
    failed: dict[int, BaseException] = {}
    for key, by_key in wanted.items():
        try:
            read[key] = opened[key].collect(list(by_key.values()))
        except (ConnectError, CommandTimeout, ProbeError) as exc:
            failed[key] = exc
    out = []
    for spec, hosts, params, checks, by_role in plans:
        outcomes: dict[str, dict[str, Outcome]] = {}
        host_errors: dict[str, str] = {}
        for role, probes in by_role.items():
            host = hosts.get(role)
            if host is None:
                host_errors[role] = text("error.host", lang, host=role,
                                         reason="no host for this role")
            elif id(host) in failed:
                from labkit.grading.reasons import host_reason  # one language, tool's words

                host_errors[role] = text("error.host", lang, host=host.url,
                                         reason=host_reason(failed[id(host)], lang))
            else:
                found = read[id(host)]
                outcomes[role] = {p.key: found[p.key] for p in probes}
        out.append((_judged(spec, hosts, checks, outcomes, host_errors, params, lang,
                            hint_level), outcomes))
    return out


def _judged(spec: ExerciseSpec, hosts: Mapping[str, Host], checks: list[BoundCheck],
            outcomes: dict[str, dict[str, Outcome]], host_errors: dict[str, str],
            params: Mapping[str, str], lang: str, hint_level: int) -> Report:
    facts = {role: Facts(found) for role, found in outcomes.items()}
    results = evaluate(checks, facts, lang, host_errors)
    results, every = _leveled(results, checks, spec, params, lang, hint_level)
    shown = ", ".join(f"{role}={h.url}" for role, h in hosts.items()) if len(hosts) > 1 \
        else next(iter(hosts.values())).url if hosts else "-"
    error = "; ".join(dict.fromkeys(host_errors.values())) or None
    return Report(exercise=spec.exercise, host=shown, lang=lang, checks=results, error=error,
                  hints=every, hint_level=hint_level)


def grade_url(spec: ExerciseSpec, urls: dict[str, str], *, lang: str = "gl",
              params: dict[str, str] | None = None) -> Report:
    """``grade`` with hosts given by URL (parameters as given, no student): for tests and
    tools; student grading goes through ``GradingContext``."""
    hosts = {role: Host(url) for role, url in urls.items()}
    try:
        return grade(spec, hosts, lang=lang, params=params)
    finally:
        for host in hosts.values():
            host.close()
