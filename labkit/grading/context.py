"""The grading context: everything one grade needs, decided in one place.

A grade needs an exercise, whose work it is (the student id), the language of the messages,
the host of each role, the parameter values and how far hints go. Every way of grading —
``labkit grade --host/--lab``, ``labkit grade --roster``, the nbgrader bridge, the notebook's
"Check my work" and its evidence — builds a :class:`GradingContext` and calls
:meth:`GradingContext.grade`; nothing else decides these things.

The rules (strongest last):

- parameters: the grader's defaults < the student's variant values (``labkit.variants``,
  from the student id and the course secret) < ``$LABKIT_PARAMS`` (``k=v,k=v``, course-wide) <
  the roster's / inventory's variables for the student (``param:NAME`` then
  ``param:EXERCISE:NAME``) < explicit values (``--param``, ``params=``). A course-wide or
  general roster parameter the exercise does not have is ignored (one roster serves several
  exercises); an exercise-specific or explicit one that does not exist is an error;
- student id: ``student=``; while nbgrader autogrades (``NBGRADER_EXECUTION=autograde`` or a
  kernel in ``…/autograded/<student>/<assignment>``) the folder's name; else
  ``$LABKIT_STUDENT``, ``$JUPYTERHUB_USER``, ``$NB_USER``. No id: no variants (the grader's
  defaults), and no evidence;
- language: ``lang=``, the roster's ``lang`` column, ``$LABKIT_LANG``, else Galician;
- hosts: ``--host [ROLE=]URL`` / ``url=``, ``--lab`` (a running sandbox lab: see
  :func:`lab_urls`), the roster's hosts of the student (:func:`hosts_of`), ``$LABKIT_HOST``;
- hint level (1 the idea, 2 the shape of the command, 3 the full command): ``hint_level=``,
  ``$LABKIT_HINT_LEVEL`` (the course's setting for an assignment), the grader's
  ``hint_level``, else 2. Teachers' reports keep every level (``Report.hints``).

Hosts that are not a student's machine never earn marks or evidence: a ``replay://``
recording, ``local://`` and a host whose machine id is the grading machine's own
(:meth:`GradingContext.stand_in`). ``labkit grade`` still grades them (a teacher trying an
exercise), saying so; ``official=True`` (nbgrader, "Check my work") refuses them.

For a notebook ("Check my work", the exercise's own values)::

    from labkit.grading.context import GradingContext

    ctx = GradingContext.for_student("lvm-basics", lang="en")   # id and host from the env
    ctx.values_table()        # [(name, label, value), …] the student's own values
    ctx.values_html()         # the same as a small HTML table
    report = ctx.grade(official=True)   # a Report; raises StandInHost for a recording

Evidence (``labkit.evidence.check_my_work``) is ``for_student`` + ``grade`` + a signed record.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labkit import exercises
from labkit.checks.spec import ExerciseSpec, _fill, spec_params
from labkit.errors import ConfigError, LabkitError, SpecError, UsageError
from labkit.grading.report import Report
from labkit.i18n import DEFAULT_LANG, LANGS, text
from labkit.settings import Settings, current, notebook_student
from labkit.transports import parse_url

if TYPE_CHECKING:
    from labkit.host import Host, Outcome
    from labkit.probes.base import Probe
    from labkit.rosters.model import Student

__all__ = ["DEFAULT_HINT_LEVEL", "GradingContext", "StandInHost", "hosts_of", "lab_urls",
           "parse_host_options", "parse_params", "resolve_hint_level", "resolve_lang",
           "resolve_params", "resolve_student"]

#: Graded work shows the idea and the shape of the command, not the command itself.
DEFAULT_HINT_LEVEL = 2
HINT_LEVELS = (1, 2, 3)


def _settings(env: Mapping[str, str] | None) -> Settings:
    """labkit's settings, from ``env`` when a caller (a test, nbgrader) passes one."""
    return current() if env is None else Settings.from_env(env)


class StandInHost(LabkitError):
    """The host is a recording or the grading machine itself: it earns no marks."""


# -- the rules ---------------------------------------------------------------------------------
def resolve_student(explicit: str | None = None, *, cwd: str | Path | None = None,
                    env: Mapping[str, str] | None = None) -> str | None:
    """Whose work this is (see the module docstring), or None."""
    return explicit or notebook_student(cwd=cwd, env=env)


def resolve_lang(explicit: str | None = None, *, entry: Student | None = None,
                 env: Mapping[str, str] | None = None) -> str:
    for candidate in (explicit, entry.lang if entry else None, _settings(env).lang):
        if candidate in LANGS:
            return str(candidate)
    return DEFAULT_LANG


def parse_params(value: str | Sequence[str], what: str = "LABKIT_PARAMS") -> dict[str, str]:
    """``"k=v,k=v"`` or ``["k=v", …]`` -> ``{k: v}``; ConfigError (a setting
    that is wrong) for an item without ``=``."""
    items = value.split(",") if isinstance(value, str) else list(value)
    params: dict[str, str] = {}
    for item in items:
        if isinstance(value, str) and not item.strip():
            continue
        name, sep, val = item.partition("=")
        if not sep or not name.strip():
            raise ConfigError(f"{what} wants NAME=VALUE, got {item!r}")
        params[name.strip()] = val.strip() if isinstance(value, str) else val
    return params


def resolve_params(spec: ExerciseSpec, student: str | None = None, *,
                   entry: Student | None = None, explicit: Mapping[str, str] | None = None,
                   env: Mapping[str, str] | None = None, salt: str | None = None,
                   variants: Mapping[str, Any] | None = None) -> dict[str, str]:
    """The parameter values ``student`` is graded with: the spec's defaults < variants <
    ``$LABKIT_PARAMS`` < roster < explicit. Every parameter of the spec is in the result."""
    from labkit import variants as variants_mod

    values = spec_params(spec)
    known = set(values)
    if student:
        values.update(variants_mod.student_params(spec, student, salt=salt, variants=variants))
    course = parse_params(_settings(env).params or "")
    values.update({k: v for k, v in course.items() if k in known})
    if entry is not None:
        own = entry.params_for(spec.exercise)
        specific = {k.split(":", 1)[1] for k in entry.params
                    if k.startswith(spec.exercise + ":")}
        for name, value in own.items():
            if name in known:
                values[name] = value
            elif name in specific:
                where = f"{entry.source}: " if entry.source else ""
                raise SpecError(f"{where}student {entry.id!r}: {spec.exercise} has no "
                                f"parameter {name!r} (known: {', '.join(sorted(known)) or 'none'})")
    return spec_params(spec, {**values, **dict(explicit or {})})  # unknown explicit: SpecError


def resolve_hint_level(explicit: int | None = None, spec: ExerciseSpec | None = None, *,
                       env: Mapping[str, str] | None = None) -> int:
    """The hint level: ``explicit`` (an option: UsageError if wrong), else
    ``$LABKIT_HINT_LEVEL`` (a setting: ConfigError), else the spec's (SpecError), else 2."""
    course = _settings(env).hint_level
    candidates: list[tuple[Any, type[LabkitError]]] = [
        (explicit, UsageError), (course or None, ConfigError),
        (getattr(spec, "hint_level", None), SpecError)]
    for candidate, error in candidates:
        if candidate is None:
            continue
        try:
            level = int(candidate)
        except (TypeError, ValueError):
            raise error(f"hint level must be 1, 2 or 3, got {candidate!r}") from None
        if level not in HINT_LEVELS:
            raise error(f"hint level must be 1, 2 or 3, got {level}")
        return level
    return DEFAULT_HINT_LEVEL


# -- hosts -------------------------------------------------------------------------------------
def lab_urls(roles: list[str], name: str | None = None) -> dict[str, str]:
    """role -> URL of a running sandbox lab: a one-host lab serves every role; otherwise each
    role must be a host of the lab."""
    from labkit.sandbox import lab_hosts
    from labkit.sandbox.topology import one_host

    hosts = lab_hosts(name or None)
    if roles == ["host"] or len(hosts) == 1:
        url = hosts[one_host(hosts)]  # the one the lessons use too
        return {role: url for role in roles}
    missing = [r for r in roles if r not in hosts]
    if missing:
        raise UsageError(f"the lab has no host for role(s) {', '.join(missing)} "
                         f"(it has: {', '.join(hosts)})")
    return {r: hosts[r] for r in roles}


def parse_host_options(items: Sequence[str], roles: list[str]) -> dict[str, str]:
    """role -> URL from ``[ROLE=]URL`` items (a bare URL only for a one-role exercise)."""
    urls: dict[str, str] = {}
    for item in items:
        role, sep, url = item.partition("=")
        if sep and "://" not in role:
            urls[role] = url
        elif len(roles) == 1:
            urls[roles[0]] = item
        else:
            raise UsageError(f"this exercise has roles {', '.join(roles)}: write --host ROLE=URL")
    unknown = set(urls) - set(roles)
    if unknown:
        raise UsageError(f"unknown role {sorted(unknown)[0]!r} (roles: {', '.join(roles)})")
    return urls


def hosts_of(spec: ExerciseSpec, entry: Student) -> dict[str, str]:
    """role -> URL of a roster student; a one-role exercise takes a one-host student whatever
    the role's name."""
    if len(spec.roles) == 1 and len(entry.hosts) == 1:
        return {spec.roles[0]: next(iter(entry.hosts.values()))}
    return {role: entry.hosts[role] for role in spec.roles if role in entry.hosts}


def _own_machine_id() -> str:
    for path in ("/etc/machine-id", "/var/lib/dbus/machine-id"):
        try:
            value = Path(path).read_text(encoding="utf-8").strip().lower()
        except OSError:
            continue
        if value:
            return value
    return ""


def stand_in_reason(url: str, lang: str, machine_id: str | None = None) -> str | None:
    """Why ``url`` is not a student's machine (a recording, this machine), or None."""
    try:
        scheme = parse_url(url).scheme
    except LabkitError:
        return None
    if scheme == "replay":
        return text("grading.recording", lang, url=parse_url(url).display)
    if scheme == "local":
        return text("grading.self", lang, url=url)
    own = _own_machine_id()
    if machine_id and own and machine_id == own:
        return text("grading.self", lang, url=parse_url(url).display)
    return None


# -- the context -------------------------------------------------------------------------------
@dataclass(frozen=True)
class GradingContext:
    """One grade's exercise, student, language, hosts (role -> URL), parameters and hint
    level. Build it with :meth:`build`, :meth:`for_student` or :meth:`from_roster`."""

    spec: ExerciseSpec
    student: str | None
    lang: str
    urls: dict[str, str]
    params: dict[str, str]
    hint_level: int = DEFAULT_HINT_LEVEL
    salt: str | None = None
    entry: Student | None = field(default=None, compare=False)

    @property
    def exercise(self) -> str:
        return self.spec.exercise

    # -- building --------------------------------------------------------------------------
    @classmethod
    def build(cls, exercise: str | ExerciseSpec, *, student: str | None = None,
              lang: str | None = None, urls: Mapping[str, str] | None = None,
              host: Sequence[str] = (), lab: str | None = None, entry: Student | None = None,
              params: Mapping[str, str] | None = None, hint_level: int | None = None,
              salt: str | None = None, env: Mapping[str, str] | None = None,
              cwd: str | Path | None = None, need_hosts: bool = True) -> GradingContext:
        """The one constructor: every other one calls it. ``host``: ``[ROLE=]URL`` items
        (``--host``); ``lab``: a running sandbox lab's name ("" for the running one)."""
        spec = exercises.load(exercise) if isinstance(exercise, str) else exercise
        sid = resolve_student(student or (entry.id if entry else None), cwd=cwd, env=env)
        chosen: dict[str, str] = dict(urls or {})
        if host and lab is not None:
            raise UsageError("give either --host or --lab, not both")
        if host:
            chosen.update(parse_host_options(host, spec.roles))
        elif lab is not None:
            chosen.update(lab_urls(spec.roles, lab))
        elif not chosen and entry is not None:
            chosen = hosts_of(spec, entry)
        elif not chosen and _settings(env).host:
            chosen = parse_host_options([str(_settings(env).host)], spec.roles)
        if need_hosts and not chosen:
            raise UsageError("say where to grade: --host URL (e.g. "
                             "ssh://root@127.0.0.1:2222?key=PATH), --lab, or LABKIT_HOST")
        for url in chosen.values():
            parse_url(url)  # a bad URL is a clear error now, not a traceback later
        return cls(spec=spec, student=sid, lang=resolve_lang(lang, entry=entry, env=env),
                   urls=chosen,
                   params=resolve_params(spec, sid, entry=entry, explicit=params, env=env,
                                         salt=salt),
                   hint_level=resolve_hint_level(hint_level, spec, env=env), salt=salt,
                   entry=entry)

    @classmethod
    def for_student(cls, exercise: str, *, student: str | None = None, lang: str | None = None,
                    url: str | Mapping[str, str] | None = None,
                    roster: str | Path | None = None, params: Mapping[str, str] | None = None,
                    hint_level: int | None = None, salt: str | None = None,
                    need_hosts: bool = True) -> GradingContext:
        """A student's own context, in their notebook: id from the environment unless given;
        hosts from ``url`` (a URL or ``{role: url}``), else the roster's entry for the student
        (``roster=`` or ``$LABKIT_ROSTER``), else ``$LABKIT_HOST``."""
        entry = None
        roster_path = roster or current().roster
        sid = resolve_student(student)
        if roster_path and sid:
            from labkit import rosters

            loaded = rosters.load(roster_path)
            entry = loaded[sid] if sid in loaded.ids else None
        urls = ({"__one__": url} if isinstance(url, str) else dict(url)) if url else None
        if urls and "__one__" in urls:
            spec = exercises.load(exercise)
            urls = {spec.roles[0]: urls["__one__"]} if len(spec.roles) == 1 \
                else parse_host_options([urls["__one__"]], spec.roles)
        return cls.build(exercise, student=sid, lang=lang, urls=urls, entry=entry,
                         params=params, hint_level=hint_level, salt=salt,
                         need_hosts=need_hosts)

    @classmethod
    def from_roster(cls, exercise: str | ExerciseSpec, entry: Student, *,
                    lang: str | None = None, params: Mapping[str, str] | None = None,
                    hint_level: int | None = None, salt: str | None = None,
                    need_hosts: bool = True) -> GradingContext:
        """The context of one roster student (class grading, nbgrader)."""
        return cls.build(exercise, student=entry.id, entry=entry, lang=lang, params=params,
                         hint_level=hint_level, salt=salt, need_hosts=need_hosts)

    # -- grading ---------------------------------------------------------------------------
    def grade(self, hosts: Mapping[str, Host] | None = None, *, official: bool = False
              ) -> Report:
        """Grade (one round trip per host). ``hosts``: open Hosts by role (default: connect
        to ``urls`` and close afterwards). ``official``: refuse a stand-in host
        (:class:`StandInHost`), as marks and evidence need."""
        return self.grade_collecting(hosts, official=official)[0]

    def grade_collecting(self, hosts: Mapping[str, Host] | None = None, *,
                         extra: Sequence[Probe[Any]] = (), official: bool = False
                         ) -> tuple[Report, dict[str, dict[str, Outcome]]]:
        """``grade``, also running ``extra`` probes and returning the outcomes by role."""
        from labkit.grading.engine import grade_collecting
        from labkit.host import Host
        from labkit.probes.system import MachineId

        if official:
            self.refuse_recordings()
        own = hosts is None
        opened = {role: Host(url) for role, url in self.urls.items()} if own else dict(hosts or {})
        machine = MachineId()
        probes = [*extra, machine] if machine.key not in {p.key for p in extra} else [*extra]
        try:
            report, outcomes = grade_collecting(self.spec, opened, lang=self.lang,
                                                params=self.params, extra=probes,
                                                hint_level=self.hint_level)
        finally:
            if own:
                for host in opened.values():
                    host.close()
        notes = []
        for role, host in opened.items():
            found = outcomes.get(role, {}).get(machine.key)
            mid = found.value if found is not None and found.ok else None
            reason = stand_in_reason(host.url if not own else self.urls[role], self.lang,
                                     mid if isinstance(mid, str) else None)
            if reason:
                notes.append(reason)
        if notes:
            report.stand_in = "; ".join(dict.fromkeys(notes))
            if official:
                raise StandInHost(report.stand_in)
        if not any(p.key == machine.key for p in extra):
            for by_key in outcomes.values():
                by_key.pop(machine.key, None)
        return report, outcomes

    def refuse_recordings(self) -> None:
        """StandInHost if a URL is a recording or this machine (before connecting)."""
        for url in self.urls.values():
            reason = stand_in_reason(url, self.lang)
            if reason:
                raise StandInHost(reason)

    # -- the student's values ----------------------------------------------------------------
    def values_table(self, lang: str | None = None, *, show_all: bool = False
                     ) -> list[tuple[str, str, str]]:
        """``[(name, label, value), …]``: what this student types, labelled in ``lang``."""
        from labkit import variants

        lang = lang if lang in LANGS else self.lang
        declared = variants.declarations(self.spec)
        if not declared:
            return []
        derived = variants.derive(declared, self.exercise, self.student or "",
                                  salt=self.salt, params=self.params) if self.student else {}
        rows = []
        for name, variant in declared.items():
            if not (show_all or variant.show):
                continue
            value = self.params.get(name, str(derived.get(name, "")))
            label = getattr(variant.label, lang) if variant.label else name
            rows.append((name, label, value))
        return rows

    def values_html(self, lang: str | None = None) -> str:
        """The student's values as a small HTML table (escaped)."""
        lang = lang if lang in LANGS else self.lang
        rows = "".join(f"<tr><th style='text-align:left'>{html.escape(label)}</th>"
                       f"<td><code>{html.escape(value)}</code></td></tr>"
                       for _, label, value in self.values_table(lang))
        title = text("grading.values_title", lang, exercise=self.exercise,
                     student=self.student or "-")
        return (f"<div class='labkit-values'><b>{html.escape(title)}</b>"
                f"<table>{rows}</table></div>")

    def values_text(self, lang: str | None = None) -> str:
        lang = lang if lang in LANGS else self.lang
        rows = self.values_table(lang)
        width = max((len(label) for _, label, _ in rows), default=0)
        title = text("grading.values_title", lang, exercise=self.exercise,
                     student=self.student or "-")
        return "\n".join([title, *(f"  {label:<{width}}  {value}" for _, label, value in rows)])

    def fill(self, template: str) -> str:
        """``template`` with ``{param}`` placeholders filled with this context's values."""
        return str(_fill(template, self.params))
