"""Repair drills: take a student's hosts to a broken state they have to diagnose.

``labkit break EXERCISE`` is :func:`context` + :func:`break_hosts`:

- a repair drill on an exercise (``repair-lvm``, or any exercise with faults) runs the
  exercise's solution, then one or two of its faults chosen by a seed (by default the
  student's own: :func:`drill_seed`), without saying which. Two faults are kept only if both
  apply and both show in a grade (each fails a check the other does not): otherwise the
  solution is run again with the first one alone;
- an HA drill (a grader with ``drill:``, e.g. ``lvm-raid-repair``) runs its own setup
  scripts on a fresh lab instead (``labkit.exercises.setup_scripts``).

The student's values come from the one grading context
(:class:`labkit.grading.context.GradingContext`), so the drill is broken with exactly the
values the exercise's grader grades the repair with: the grader's defaults < the student's
variants < ``$LABKIT_PARAMS`` < the roster's values < explicit ones.
"""

from __future__ import annotations

import hashlib
import os
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from labkit import exercises
from labkit.errors import ExerciseError, LabkitError, UsageError
from labkit.exercises import Fault
from labkit.grading.context import GradingContext, resolve_lang
from labkit.host import Host
from labkit.i18n import text

__all__ = ["Broken", "break_hosts", "choose_faults", "context", "drill_seed"]

#: Seconds allowed to each solution, fault or setup script.
SCRIPT_TIMEOUT = 600.0


@dataclass(frozen=True)
class Broken:
    """What :func:`break_hosts` did: the faults applied (none for an HA drill's setup) and
    the seed that chose them (None for an HA drill)."""

    exercise: str
    urls: dict[str, str]
    faults: tuple[str, ...]
    seed: int | None

    @property
    def setup(self) -> bool:
        """True for an HA drill (its own setup, no faults chosen)."""
        return self.seed is None


# -- which faults ------------------------------------------------------------------------------
def drill_seed(exercise: str, student: str) -> int:
    """A student's own seed for an exercise's drill: the same every time, different per
    student and exercise."""
    digest = hashlib.sha256(f"labkit-drill\0{exercise}\0{student}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


def choose_faults(faults: Sequence[Fault], seed: int) -> list[Fault]:
    """One or two of ``faults``, chosen by ``seed``.

    Two are chosen only if they fail different checks, so that each one leaves its own
    symptom and repairing one does not hide the other."""
    if not faults:
        return []
    rng = random.Random(seed)  # noqa: S311 (a drill's choice, not a secret)
    pool = sorted(faults, key=lambda f: f.name)
    first = rng.choice(pool)
    others = [f for f in pool if f is not first and not (f.fails & first.fails)]
    if others and rng.random() < 0.5:
        return sorted([first, rng.choice(others)], key=lambda f: f.name)
    return [first]


# -- whose drill, on which hosts ---------------------------------------------------------------
def context(exercise: str, *, student: str | None = None, roster: str | Path | None = None,
            group: str | None = None, host: Sequence[str] = (), lab: str | None = None,
            params: Mapping[str, str] | None = None, lang: str | None = None
            ) -> GradingContext:
    """The grading context of a drill: with ``roster``, the student ``student`` of it (their
    hosts, unless ``host``/``lab`` say others, and their values); else ``student`` (default:
    the environment's, see :func:`labkit.grading.context.resolve_student`) on ``host``/``lab``.
    """
    if roster:
        from labkit.grading.class_roster import load_roster

        if not student:
            raise UsageError(text("repair.whose_drill", resolve_lang(lang)))
        loaded = load_roster(roster, group=group, lang=lang)
        if student not in loaded.ids:
            raise UsageError(text("repair.not_in_roster", resolve_lang(lang), student=student,
                                  roster=loaded.source))
        return GradingContext.build(exercise, entry=loaded[student], lang=lang, host=host,
                                    lab=lab, params=params)
    return GradingContext.build(exercise, student=student, lang=lang, host=host, lab=lab,
                                params=params)


# -- breaking ----------------------------------------------------------------------------------
def _open(urls: Mapping[str, str]) -> dict[str, Host]:
    return {role: Host(url) for role, url in urls.items()}


def _both_show(ctx: GradingContext, hosts: Mapping[str, Host], chosen: Sequence[Fault]) -> bool:
    """Whether every fault of ``chosen`` fails at least one of its checks in a grade."""
    report = ctx.grade(hosts)
    if report.error is not None:
        return False
    passed = {c.id for c in report.checks if c.status == "passed"}
    return not any(f.fails <= passed for f in chosen)


def break_hosts(ctx: GradingContext, *, seed: int | None = None,
                timeout: float = SCRIPT_TIMEOUT,
                hosts: Mapping[str, Host] | None = None) -> Broken:
    """Break ``ctx``'s hosts for its student (see the module docstring). ``seed``: which
    faults (default: the student's own seed; no student: a random one). ``hosts``: open
    Hosts by role (default: connect to ``ctx.urls`` and close afterwards)."""
    spec = ctx.spec
    params = dict(ctx.params)
    own = hosts is None
    opened = _open(ctx.urls) if hosts is None else dict(hosts)
    try:
        if spec.drill is not None:  # an HA drill starts from its own setup
            exercises.run_scripts(opened, exercises.setup_scripts(spec.exercise), spec,
                                  params, timeout=timeout)
            return Broken(spec.exercise, dict(ctx.urls), (), None)
        faults = exercises.faults(spec.exercise)
        if not faults:
            raise ExerciseError(text("repair.no_faults", ctx.lang, exercise=spec.exercise))
        if seed is None:
            seed = drill_seed(spec.exercise, ctx.student) if ctx.student \
                else int.from_bytes(os.urandom(4), "big")
        chosen = choose_faults(faults, seed)
        solution = exercises.solution_scripts(spec.exercise)

        def apply(faults: Sequence[Fault]) -> None:
            exercises.run_scripts(opened, solution, spec, params, timeout=timeout)
            for fault in faults:
                exercises.run_scripts(opened, list(fault.scripts), spec, params,
                                      timeout=timeout)

        if len(chosen) == 1:
            apply(chosen)
        else:  # two faults must both apply and both show; else the first one alone
            try:
                apply(chosen)
                both = _both_show(ctx, opened, chosen)
            except LabkitError:
                both = False
            if not both:
                chosen = chosen[:1]
                apply(chosen)
        return Broken(spec.exercise, dict(ctx.urls), tuple(f.name for f in chosen), seed)
    finally:
        if own:
            for host in opened.values():
                host.close()
