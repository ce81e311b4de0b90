"""Grade a whole class at once: one exercise, every student's host(s), in parallel.

``grade_many(spec, students)`` runs ``grade`` for each student on a bounded pool of threads
(paramiko is thread-friendly; each student's hosts get their own connections, one round trip
each). Guarantees:

- a host that is unreachable, refuses the key, or hangs makes that student's report
  ``error`` (every check ``error``, ``Report.error`` set) and delays nobody else: each
  student has a deadline (``timeout`` per host), enforced by a watchdog that gives up on the
  student, closes its connections and starts a fresh worker in place of the stuck one;
- parameters are checked for every student before any connection is made (a wrong
  ``param:`` column is the teacher's mistake: SpecError at once, not 200 error reports);
- Ctrl-C (KeyboardInterrupt) stops cleanly: no new hosts are started, connections in flight
  are closed, and the result holds every report finished so far (``interrupted=True``);
- ``on_result`` is called in the caller's thread as each student finishes (progress bars,
  writing files), so it needs no locking.

A student's parameters follow the grading context's one rule (``labkit.grading.context``):
the spec's defaults < the student's variants < the roster's ``param:`` values < ``params``
given here (the teacher's ``--param``).
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from labkit.checks.engine import evaluate
from labkit.checks.spec import ExerciseSpec, bind
from labkit.errors import LabkitError, RosterError
from labkit.grading.engine import grade
from labkit.grading.reasons import host_reason, timeout_reason
from labkit.grading.report import Report
from labkit.host import Host, bounded_host, open_early
from labkit.i18n import lang_or_default, text
from labkit.rosters.model import Student
from labkit.transports import parse_url

__all__ = ["BatchResult", "StudentResult", "grade_many", "grade_many_exercises", "open_early",
           "student_params"]

#: Seconds the watchdog allows past a student's deadline before giving up on it (the worker's
#: own timeouts normally end it first, with a more precise message).
GRACE = 2.0


@dataclass(frozen=True)
class StudentResult:
    """One student's report, with the parameters used and how long it took.

    ``when``: the time (UTC, ISO 8601) of the state that was graded — now, or the deadline of
    the snapshot it was graded from (``snapshot``: that snapshot's file name)."""

    student: Student
    report: Report
    params: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    when: str = ""
    snapshot: str = ""

    @property
    def ok(self) -> bool:
        """The host(s) could be read (the score means something)."""
        return self.report.error is None


@dataclass
class BatchResult:
    """Every finished report, in roster order; ``pending`` were never graded (Ctrl-C)."""

    spec: ExerciseSpec
    lang: str
    results: list[StudentResult]
    pending: list[Student] = field(default_factory=list)
    interrupted: bool = False
    seconds: float = 0.0

    @property
    def exercise(self) -> str:
        return self.spec.exercise

    @property
    def errors(self) -> list[StudentResult]:
        return [r for r in self.results if not r.ok]

    def __len__(self) -> int:
        return len(self.results)


def _as_students(students: Iterable[Student] | Mapping[str, Mapping[str, str]]) -> list[Student]:
    if isinstance(students, Mapping):  # labkit.roster.load_roster(): {student: {role: url}}
        return [Student(sid, dict(hosts)) for sid, hosts in students.items()]
    out = list(students)
    seen: set[str] = set()
    for s in out:
        if s.id in seen:
            raise RosterError(f"student {s.id!r} appears twice")
        seen.add(s.id)
    return out


def student_params(spec: ExerciseSpec, student: Student, params: Mapping[str, str] | None = None,
                   *, salt: str | None = None, variants: Mapping[str, Any] | None = None,
                   ) -> dict[str, str]:
    """The parameters ``student`` is graded with (see the module docstring for the order).

    A general roster parameter the spec does not have is left out (a roster serves several
    exercises); an exercise-specific one (``EXERCISE:NAME``) must exist."""
    from labkit.grading.context import resolve_params

    return resolve_params(spec, student.id, entry=student, explicit=params, salt=salt,
                          variants=variants)


def _hosts_for(spec: ExerciseSpec, student: Student) -> dict[str, str]:
    """role -> URL (the grading context's rule: ``labkit.grading.context.hosts_of``)."""
    from labkit.grading.context import hosts_of

    return hosts_of(spec, student)


def _shown(urls: Mapping[str, str]) -> str:
    shown = {role: parse_url(u).display for role, u in urls.items()}
    if len(shown) == 1:
        return next(iter(shown.values()))
    return ", ".join(f"{role}={u}" for role, u in shown.items()) or "-"


def error_report(spec: ExerciseSpec, urls: Mapping[str, str], reason: str, lang: str,
                 params: Mapping[str, str] | None = None) -> Report:
    """A report whose every check is ``error`` because the host(s) could not be graded."""
    shown = _shown(urls)
    message = text("error.host", lang, host=shown, reason=reason)
    results = evaluate(bind(spec, dict(params or {})), {}, lang,
                       {role: message for role in spec.roles})
    return Report(exercise=spec.exercise, host=shown, lang=lang, checks=results, error=message)


def _open_host(url: str, timeout: float) -> Host:
    """A Host whose connection and collection each end within ``timeout`` seconds."""
    return bounded_host(url, timeout)


@dataclass
class _Job:
    index: int
    student: Student
    urls: dict[str, str]
    params: dict[str, str]
    lang: str = "gl"
    deadline: float = 0.0
    started: float = 0.0
    hosts: list[Host] = field(default_factory=list)
    worker: _Worker | None = None


class _Worker(threading.Thread):
    """Takes jobs until told to stop; a retired worker (given up on) takes no more."""

    def __init__(self, pool: _Pool) -> None:
        super().__init__(daemon=True, name="labkit-grade")
        self.pool = pool
        self.retired = False

    def run(self) -> None:
        pool = self.pool
        while not pool.stop.is_set() and not self.retired:
            try:
                job = pool.todo.get_nowait()
            except queue.Empty:
                return
            job.worker = self
            job.started = time.monotonic()
            job.deadline = job.started + pool.timeout * max(1, len(job.urls)) + GRACE
            with pool.lock:
                pool.running[job.index] = job
            try:
                report = self._grade(job)
            except Exception as exc:  # a bug must not hang the batch: report it as an error
                report = error_report(pool.spec, job.urls, host_reason(exc, job.lang),
                                      job.lang, job.params)
            pool.done.put((job, report, time.monotonic() - job.started))

    def _grade(self, job: _Job) -> Report:
        pool = self.pool
        try:
            for url in job.urls.values():  # a student's hosts connect side by side
                early = pool.early.pop(url, None)
                job.hosts.append(early or _open_host(url, pool.timeout).connect_soon(collect=True))
        except LabkitError as exc:
            return error_report(pool.spec, job.urls, host_reason(exc, job.lang), job.lang,
                                job.params)
        hosts = dict(zip(job.urls, job.hosts, strict=True))
        try:
            if not hosts:
                return error_report(pool.spec, {}, text("teacher.reason.no_host", job.lang,
                                                        roles=", ".join(pool.spec.roles)),
                                    job.lang, job.params)
            return pool.grade(pool.spec, hosts, job)
        finally:
            for host in job.hosts:
                host.close()


def _grade_live(spec: ExerciseSpec, hosts: dict[str, Host], job: _Job) -> Report:
    return grade(spec, hosts, lang=job.lang, params=job.params)


@dataclass
class _Pool:
    spec: ExerciseSpec
    lang: str
    timeout: float
    grade: Callable[[ExerciseSpec, dict[str, Host], _Job], Report] = _grade_live
    todo: queue.Queue[_Job] = field(default_factory=queue.Queue)
    done: queue.Queue[tuple[_Job, Report, float]] = field(default_factory=queue.Queue)
    running: dict[int, _Job] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)
    #: Hosts already connecting (``open_early``), by URL: a job takes its own.
    early: dict[str, Host] = field(default_factory=dict)


def _close_later(hosts: list[Host]) -> None:
    """Close connections without waiting (a connect in progress holds the host's lock)."""
    def close() -> None:
        for host in hosts:
            with contextlib.suppress(Exception):  # best effort: the job is given up
                host.close()

    threading.Thread(target=close, daemon=True, name="labkit-close").start()


def grade_many(spec: ExerciseSpec,
               students: Iterable[Student] | Mapping[str, Mapping[str, str]], *,
               workers: int = 32, timeout: float = 30.0, lang: str = "gl",
               params: Mapping[str, str] | None = None, salt: str | None = None,
               variants: Mapping[str, Any] | None = None,
               on_result: Callable[[StudentResult], None] | None = None,
               stop: threading.Event | None = None,
               grader: Callable[[ExerciseSpec, dict[str, Host], _Job], Report] | None = None,
               explicit_lang: bool = False, early: Mapping[str, Host] | None = None
               ) -> BatchResult:
    """Grade ``spec`` for every student; see the module docstring.

    ``timeout``: seconds allowed per host (connecting and reading it). ``workers``: hosts
    graded at once. ``stop``: set it (from another thread) to stop as Ctrl-C does.
    ``variants``: the spec's variant declarations (default: ``labkit.variants.declarations``).
    ``lang``: the language of each student's report, unless the roster gives the student a
    ``lang`` of their own; with ``explicit_lang`` (the teacher typed ``--lang``) ``lang`` wins,
    as in the grading context's rule (``labkit.grading.context.resolve_lang``).
    ``grader``: what to do with a student's open hosts (default: grade them; a deadline
    snapshot also keeps what it read, see ``labkit.grading.snapshot``).
    ``early``: hosts already connecting (``open_early``), by URL; each job takes its own and
    the batch closes them all.
    """
    if workers < 1:
        raise ValueError("workers must be at least 1")
    if timeout <= 0:
        raise ValueError("timeout must be positive")
    from labkit import variants as variants_mod

    started = time.monotonic()
    roster = _as_students(students)
    if variants is None:
        variants = variants_mod.declarations(spec)
    jobs = [_Job(i, s, _hosts_for(spec, s), student_params(spec, s, params, salt=salt,
                                                            variants=variants),
                 lang if explicit_lang else lang_or_default(s.lang or lang))
            for i, s in enumerate(roster)]
    return _run(spec, lang, jobs, workers=workers, timeout=timeout,
                grader=grader or _grade_live, on_result=on_result, stop=stop, started=started,
                early=early)


def grade_many_exercises(specs: Sequence[ExerciseSpec],
                         students: Iterable[Student] | Mapping[str, Mapping[str, str]], *,
                         workers: int = 32, timeout: float = 30.0, lang: str = "gl",
                         params: Mapping[str, str] | None = None, salt: str | None = None,
                         on_result: Callable[[StudentResult], None] | None = None,
                         stop: threading.Event | None = None, explicit_lang: bool = False,
                         early: Mapping[str, Host] | None = None) -> list[BatchResult]:
    """``grade_many`` for several exercises at once, one ``BatchResult`` per spec: each
    student's hosts are connected to ONCE and each host is read in ONE round trip for the
    probes of every exercise (``labkit.grading.engine.grade_several``). ``on_result`` gets
    every exercise's result of a student as that student finishes (``result.report.exercise``
    says which). ``early``: as ``grade_many``'s."""
    if workers < 1:
        raise ValueError("workers must be at least 1")
    if timeout <= 0:
        raise ValueError("timeout must be positive")
    if not specs:
        raise ValueError("no exercise to grade")
    from labkit import variants as variants_mod
    from labkit.grading.engine import grade_several

    started = time.monotonic()
    roster = _as_students(students)
    values = {spec.exercise: [student_params(spec, s, params, salt=salt,
                                             variants=variants_mod.declarations(spec))
                              for s in roster] for spec in specs}
    urls = [{spec.exercise: _hosts_for(spec, s) for spec in specs} for s in roster]
    # A job's hosts are keyed by URL: a host that serves several exercises is opened once.
    jobs = [_Job(i, s, {u: u for own in urls[i].values() for u in own.values()},
                 values[specs[0].exercise][i],
                 lang if explicit_lang else lang_or_default(s.lang or lang))
            for i, s in enumerate(roster)]
    others: dict[tuple[str, int], Report] = {}

    def together(_spec: ExerciseSpec, by_url: dict[str, Host], job: _Job) -> Report:
        items, empty = [], []
        for spec in specs:
            own = urls[job.index][spec.exercise]
            if own:
                items.append((spec, {role: by_url[u] for role, u in own.items()},
                              values[spec.exercise][job.index]))
            else:
                empty.append(spec)
        reports = {report.exercise: report
                   for report, _ in grade_several(items, lang=job.lang)}
        for spec in empty:
            reports[spec.exercise] = error_report(
                spec, {}, text("teacher.reason.no_host", job.lang, roles=", ".join(spec.roles)),
                job.lang, values[spec.exercise][job.index])
        for spec in specs[1:]:
            others[(spec.exercise, job.index)] = reports[spec.exercise]
        return reports[specs[0].exercise]

    rest: dict[str, dict[int, StudentResult]] = {spec.exercise: {} for spec in specs[1:]}
    index_of = {id(s): i for i, s in enumerate(roster)}

    def each(result: StudentResult) -> None:
        i = index_of[id(result.student)]
        found = [result]
        for spec in specs[1:]:
            report = others.get((spec.exercise, i)) or _error_like(spec, result.report,
                                                                    values[spec.exercise][i])
            found.append(StudentResult(result.student, report, values[spec.exercise][i],
                                       result.seconds, when=result.when))
            rest[spec.exercise][i] = found[-1]
        if on_result is not None:
            for item in found:
                on_result(item)

    first = _run(specs[0], lang, jobs, workers=workers, timeout=timeout, grader=together,
                 on_result=each, stop=stop, started=started, early=early)
    batches = [first]
    for spec in specs[1:]:
        done = rest[spec.exercise]
        batches.append(BatchResult(spec, lang, [done[i] for i in sorted(done)],
                                   list(first.pending), first.interrupted, first.seconds))
    return batches


def _error_like(spec: ExerciseSpec, report: Report, params: Mapping[str, str]) -> Report:
    """``spec``'s report for a student whose hosts could not be read at all, with the reason
    of ``report`` (another exercise's report from the same attempt)."""
    message = report.error or text("teacher.reason.bug", report.lang, detail="no report")
    results = evaluate(bind(spec, dict(params)), {}, report.lang,
                       {role: message for role in spec.roles})
    return Report(exercise=spec.exercise, host=report.host, lang=report.lang, checks=results,
                  error=message)


def _run(spec: ExerciseSpec, lang: str, jobs: list[_Job], *, workers: int, timeout: float,
         grader: Callable[[ExerciseSpec, dict[str, Host], _Job], Report],
         on_result: Callable[[StudentResult], None] | None, stop: threading.Event | None,
         started: float, early: Mapping[str, Host] | None = None) -> BatchResult:
    """Grade every job on a pool of ``workers`` threads (see the module docstring)."""
    pool = _Pool(spec, lang, timeout, grader, early=dict(early or {}))
    for job in jobs:
        pool.todo.put(job)
    finished: dict[int, StudentResult] = {}
    interrupted = False
    threads = [_Worker(pool) for _ in range(min(workers, len(jobs)))]
    for t in threads:
        t.start()
    try:
        while len(finished) < len(jobs):
            if stop is not None and stop.is_set():
                interrupted = True
                break
            try:
                job, report, seconds = pool.done.get(timeout=0.2)
            except queue.Empty:
                _watchdog(pool, finished, on_result)
                _refill(pool, threads, workers)
                continue
            if job.index not in finished:  # not already given up on by the watchdog
                with pool.lock:
                    pool.running.pop(job.index, None)
                _finish(finished, job, report, seconds, on_result)
            _refill(pool, threads, workers)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        pool.stop.set()
        with pool.lock:
            in_flight = [j for j in pool.running.values() if j.index not in finished]
        for job in in_flight:
            _close_later(job.hosts)
        if pool.early:  # opened early for a job that never ran
            _close_later(list(pool.early.values()))
    results = [finished[i] for i in sorted(finished)]
    pending = [j.student for j in jobs if j.index not in finished]
    return BatchResult(spec, lang, results, pending, interrupted, time.monotonic() - started)


def _finish(finished: dict[int, StudentResult], job: _Job, report: Report, seconds: float,
            on_result: Callable[[StudentResult], None] | None) -> None:
    result = StudentResult(job.student, report, job.params, seconds,
                           when=datetime.now(UTC).isoformat(timespec="seconds"))
    finished[job.index] = result
    if on_result is not None:
        on_result(result)


def _watchdog(pool: _Pool, finished: dict[int, StudentResult],
              on_result: Callable[[StudentResult], None] | None) -> None:
    """Give up on every student past their deadline."""
    now = time.monotonic()
    with pool.lock:
        late = [j for j in pool.running.values() if j.deadline and now > j.deadline]
        for job in late:
            del pool.running[job.index]
    for job in late:
        if job.worker is not None:
            job.worker.retired = True
        _close_later(job.hosts)
        reason = timeout_reason(pool.timeout * max(1, len(job.urls)), job.lang)
        _finish(finished, job, error_report(pool.spec, job.urls, reason, job.lang,
                                            job.params), now - job.started, on_result)


def _refill(pool: _Pool, threads: list[_Worker], workers: int) -> None:
    """Keep ``workers`` live, unretired workers while jobs wait."""
    threads[:] = [t for t in threads if t.is_alive()]
    active = sum(1 for t in threads if not t.retired)
    while active < workers and not pool.todo.empty() and not pool.stop.is_set():
        worker = _Worker(pool)
        worker.start()
        threads.append(worker)
        active += 1
