"""Per-student variants: each student gets their own names, numbers and addresses.

A grader YAML declares, next to ``params``, how some parameters vary per student::

    params:                        # defaults: what the solution/fault scripts and
      vg_name: datos               # a run without a student use
      vlan: "10"
      subnet: 10.20.0.0/24
      iqn: iqn.2025-01.gal.lab:disk
    variants:
      vg_name: {choice: [datos, almacen, arquivo, copias, medios]}
      vlan: {range: [10, 99]}
      subnet: {subnet: 10.20.0.0/16, prefix: 24}
      gateway: {template: "{subnet[1]}", show: false}
      iqn: {template: "iqn.2025-01.gal.lab:{student}.{vg_name}"}
      suffix: {token: 4}
      disk_mb: {range: [100, 300], step: 20, show: false}
      label: {en: "Disk size", gl: "Tamaño do disco"}   # (see below)

Kinds (each variant has exactly one):

- ``choice: [a, b, …]`` one of the list;
- ``range: [lo, hi]`` an integer, both ends included; ``step: N`` (default 1);
- ``subnet: CIDR`` with ``prefix: N``: one subnet of that size inside CIDR (``10.20.37.0/24``);
- ``token: N``: N characters from a-z and 2-9 without look-alikes (``k7pq``);
- ``sum: [a, b, -c, N]``: the sum of earlier variants, params and numbers, ``-name``
  subtracting (a size after growing and shrinking);
- ``template: "…"``: text built from earlier variants, the spec's params, ``{student}`` and
  ``{exercise}``; ``{v:03d}`` formats, ``{net[1]}`` is a subnet's first host,
  ``{net.netmask}``/``{net.prefixlen}``/``{net.network_address}``/``{net.broadcast_address}``.

Options: ``show: false`` hides a helper value from the student; ``label: {gl: …, en: …}``
names it in the student's table. A variant that is also a ``params`` entry replaces that
parameter for the student (the entry is the default the solution/fault scripts and a run
without students use); any other variant is a helper, for templates and for the student's
table only.

Values are derived with HMAC-SHA256 from (course salt, exercise, student id, variant name):
the same student always gets the same values, on the teacher's machine and in their own
notebook, and nobody can predict another course's values. The salt comes from the ``salt``
argument, else ``$LABKIT_COURSE_SALT``, else ``$LABKIT_HOME/course_salt`` (on one machine
students' notebooks need it too; in a JupyterHub class the grading service derives their
values and the salt stays the teacher's). Values are not unique across a class (a choice of 5
repeats); ``collisions()`` lists students who share a value.

The ``variants:`` model and its reading from a grader YAML live in
:mod:`labkit.variant_declarations` (``Variant``, ``parse``, ``load_declarations``,
``declarations``, exported here too). The grader: ``student_params(spec, student_id)``; the
student's notebook:
``for_student("lvm-basics")`` (their id defaults to ``$JUPYTERHUB_USER``; in a hub, the
class's grading service answers, see :mod:`labkit.grader_client`).
"""

from __future__ import annotations

import hashlib
import hmac
import html
import ipaddress
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from labkit.errors import ConfigError, SpecError
from labkit.settings import current, notebook_student
from labkit.variant_declarations import (
    PLACEHOLDER,
    Variant,
    declarations,
    load_declarations,
    parse,
    raw_params,
)

__all__ = ["TOKEN_ALPHABET", "StudentVariant", "Variant", "class_summary", "collisions",
           "course_salt", "declarations", "derive", "for_student", "load_declarations",
           "normalize_id", "parse", "shared_sets", "student_params"]

TOKEN_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105 - not a password


# -- derivation ------------------------------------------------------------------------------
def course_salt(salt: str | None = None) -> str:
    if salt is not None:
        return salt
    settings = current()
    if settings.course_salt is not None:
        return settings.course_salt
    path = settings.home / "course_salt"
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def normalize_id(student: str) -> str:
    """Student ids compare without case or surrounding spaces (Moodle vs JupyterHub)."""
    return student.strip().casefold()


def _number(salt: str, exercise: str, student: str, name: str) -> int:
    message = "\0".join(("labkit-variant-v1", exercise, normalize_id(student), name)).encode()
    digest = hmac.new(salt.encode(), message, hashlib.sha256).digest()
    return int.from_bytes(digest, "big")


def _format(template: str, values: Mapping[str, Any]) -> str:
    def sub(m: re.Match[str]) -> str:
        value = values[m.group(1)]
        access = m.group(2) or ""
        if access.startswith("["):
            if not isinstance(value, ipaddress.IPv4Network | ipaddress.IPv6Network):
                raise SpecError(f"{{{m.group(1)}{access}}}: only subnets can be indexed")
            index = int(access[1:-1])
            if index >= value.num_addresses:
                raise SpecError(f"{{{m.group(1)}{access}}}: the subnet is smaller")
            value = value[index]
        elif access:
            value = getattr(value, access[1:])
        spec = (m.group(3) or ":")[1:]
        return format(value, spec)

    return PLACEHOLDER.sub(sub, template).replace("{{", "{").replace("}}", "}")


def derive(variants: Mapping[str, Variant], exercise: str, student: str, *,
           salt: str | None = None, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The values of ``variants`` for ``student`` (ints, subnets or text), in order."""
    key = course_salt(salt)
    values: dict[str, Any] = {k: str(v) for k, v in (params or {}).items()}
    values.update(student=student, exercise=exercise)
    out: dict[str, Any] = {}
    for name, v in variants.items():
        n = _number(key, exercise, student, name)
        value: Any
        if v.choice is not None:
            value = v.choice[n % len(v.choice)]
        elif v.range is not None:
            count = (v.range[1] - v.range[0]) // v.step + 1
            value = v.range[0] + (n % count) * v.step
        elif v.subnet is not None and v.prefix is not None:
            net = ipaddress.ip_network(v.subnet)
            count = 1 << (v.prefix - net.prefixlen)
            size = 1 << (net.max_prefixlen - v.prefix)
            base = int(net.network_address) + (n % count) * size
            value = ipaddress.ip_network((base, v.prefix))
        elif v.sum is not None:
            value = sum((-int(values[t[1:]]) if t.startswith("-") else int(values[t]))
                        if isinstance(t, str) else t for t in v.sum)
        elif v.token is not None:
            chars = []
            for _ in range(v.token):
                n, r = divmod(n, len(TOKEN_ALPHABET))
                chars.append(TOKEN_ALPHABET[r])
            value = "".join(chars)
        else:
            value = _format(v.template or "", values)
        out[name] = value
        values[name] = value
    return out


def _info(spec: Any, variants: Mapping[str, Variant] | None
          ) -> tuple[str, dict[str, Any], Mapping[str, Variant]]:
    """(exercise, params, variants) of an ExerciseSpec, or of an exercise name (read from its
    YAML, which then need not load as a spec)."""
    if isinstance(spec, str):
        from labkit import content

        path = content.require(spec)  # raises ExerciseError naming the known exercises
        declared = load_declarations(path) if variants is None else variants
        return spec, raw_params(path), declared
    declared = declarations(spec) if variants is None else variants
    return spec.exercise, dict(getattr(spec, "params", {}) or {}), declared


def student_params(spec: Any, student: str, *, salt: str | None = None,
                   variants: Mapping[str, Variant] | None = None) -> dict[str, str]:
    """What ``grade(spec, hosts, params=…)`` needs for ``student``: each variant that is a
    parameter of the spec, as text. ``spec``: an ExerciseSpec or an exercise name."""
    exercise, params, declared = _info(spec, variants)
    if not declared:
        return {}
    values = derive(declared, exercise, student, salt=salt, params=params)
    return {k: str(v) for k, v in values.items() if k in params}


def collisions(spec: Any, students: Iterable[str], *, salt: str | None = None,
               variants: Mapping[str, Variant] | None = None) -> dict[str, dict[str, list[str]]]:
    """``{variant: {value: [students…]}}`` for every value shared by two or more students."""
    exercise, params, declared = _info(spec, variants)
    by: dict[str, dict[str, list[str]]] = {name: {} for name in declared}
    for student in students:
        values = derive(declared, exercise, student, salt=salt, params=params)
        for name, value in values.items():
            by[name].setdefault(str(value), []).append(student)
    return {name: {v: s for v, s in values.items() if len(s) > 1}
            for name, values in by.items() if any(len(s) > 1 for s in values.values())}


def shared_sets(spec: Any, students: Iterable[str], *, salt: str | None = None,
                variants: Mapping[str, Variant] | None = None) -> list[list[str]]:
    """Groups of two or more students who get the whole same set of values (their answers
    would be interchangeable); [] when every student's set is their own."""
    exercise, params, declared = _info(spec, variants)
    if not declared:
        ids = list(students)
        return [ids] if len(ids) > 1 else []
    by: dict[tuple[str, ...], list[str]] = {}
    for student in students:
        values = derive(declared, exercise, student, salt=salt, params=params)
        key = tuple(str(values[k]) for k in declared
                    if declared[k].template is None or k in params)
        by.setdefault(key, []).append(student)
    return [group for group in by.values() if len(group) > 1]


def class_summary(spec: Any, students: Iterable[str], *, salt: str | None = None,
                  lang: str = "gl") -> str:
    """One line for the teacher: every student's whole set of values is their own, or which
    students share one (and whether the course secret is unset)."""
    from labkit.i18n import text

    ids = list(students)
    groups = shared_sets(spec, ids, salt=salt)
    lines = [text("variants.all_distinct", lang, count=len(ids)) if not groups else
             text("variants.clash", lang, groups="; ".join(", ".join(g) for g in groups))]
    if not course_salt(salt):
        lines.append(text("variants.no_secret", lang))
    return "\n".join(f"labkit: {line}" for line in lines)


# -- the student's view ----------------------------------------------------------------------
@dataclass(frozen=True)
class StudentVariant:
    """One student's values for one exercise; shows itself as a table in a notebook."""

    exercise: str
    student: str
    values: dict[str, str]
    labels: dict[str, str]
    lang: str = "gl"

    def __getitem__(self, name: str) -> str:
        return self.values[name]

    def __str__(self) -> str:
        width = max((len(self.labels[k]) for k in self.values), default=0)
        return "\n".join(f"{self.labels[k]:<{width}}  {v}" for k, v in self.values.items())

    def _repr_html_(self) -> str:
        from labkit.i18n import text

        title = text("grading.values_title", self.lang, exercise=self.exercise,
                     student=self.student)
        rows = "".join(f"<tr><th style='text-align:left'>{html.escape(self.labels[k])}</th>"
                       f"<td><code>{html.escape(v)}</code></td></tr>"
                       for k, v in self.values.items())
        return (f"<div class='labkit-variant'><b>{html.escape(title)}</b>"
                f"<table>{rows}</table></div>")


def _current_student() -> str:
    """The student of this notebook, by the grading context's one rule."""
    student = notebook_student()
    if not student:
        raise ConfigError("who is the student? pass student_id= (or set LABKIT_STUDENT)")
    return student


def for_student(exercise: str, student_id: str | None = None, *, lang: str = "gl",
                salt: str | None = None, show_all: bool = False) -> StudentVariant:
    """The values ``student_id`` must use in ``exercise`` (for a lesson or notebook cell).

    Reads ``graders/<exercise>.yaml`` directly (its params and variants), so it works in a
    student's notebook whatever else the spec holds. In a JupyterHub class
    (``LABKIT_GRADER_URL`` set) and without ``salt``, the class's grading service gives them,
    derived with the teacher's course secret as it grades (only the student's own values)."""
    if salt is None and current().grader_url:
        from labkit.grader_client import own_values

        got = own_values(exercise, student_id, lang=lang, show_all=show_all)
        return StudentVariant(exercise, got["student"], got["values"], got["labels"], lang)
    _, params, declared = _info(exercise, None)
    student = student_id or _current_student()
    values = derive(declared, exercise, student, salt=salt, params=params)
    shown = {k: str(v) for k, v in values.items() if show_all or declared[k].show}
    labels = {k: getattr(declared[k].label, lang) if declared[k].label else k for k in shown}
    return StudentVariant(exercise, student, shown, labels, lang)
