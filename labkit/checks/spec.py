"""Grader specifications: ``graders/<exercise>.yaml`` read, validated and bound to params.

A spec names its exercise, its roles (``host``; ``server``/``client``…), parameters that a
teacher or a per-student variant may change, and its checks::

    exercise: qemu-img-basics
    title: {gl: "…", en: "…"}
    roles: [host]
    params: {workdir: /root/lab/qemu-img}
    checks:
      - id: disk-created            # unique; [a-z0-9-]
        kind: file.exists           # a registered check kind
        points: 1
        requires: []                # ids of earlier checks; if one does not pass: blocked
        role: host                  # default: the first role
        args: {path: "{workdir}/systemdisk.qcow2"}
        message: {gl: "…", en: "…"} # what is checked, for the student
        hint: {gl: "…", en: "…"}    # shown when the check does not pass

Every error names the file, the line and the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from labkit.checks import kind as kind_class
from labkit.checks import kind_names
from labkit.checks.base import Args, CheckKind
from labkit.errors import LabkitError, SpecError
from labkit.variants import Variant

_ID = r"^[a-z0-9][a-z0-9-]*$"
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


class Localized(BaseModel):
    """A text in every language of the course."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    gl: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def __getitem__(self, lang: str) -> str:
        return str(getattr(self, lang))


class CheckSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=_ID)
    kind: str
    points: float = Field(default=1.0, ge=0)
    requires: list[str] = Field(default_factory=list)
    role: str | None = None
    args: dict[str, Any] = Field(default_factory=dict)
    message: Localized
    hint: Localized | None = None
    #: Lower hint levels, shown before the full command of ``hint``: [idea, shape].
    hints: list[Localized] = Field(default_factory=list, max_length=2)

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value not in kind_names():
            raise ValueError(f"unknown check kind {value!r} (known: {', '.join(kind_names())})")
        return value


class DrillSpec(BaseModel):
    """A repair drill: a fresh lab is broken by ``exercises/<exercise>/<setup>[.<role>].sh``
    (run in role order, like a solution) and the checks grade the student's repair."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    setup: str = Field(default="setup", pattern=_ID)
    #: what the student notices (never the cause); may name parameters: {vg}
    symptom: Localized


class ExerciseSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    exercise: str = Field(pattern=_ID)
    title: Localized
    topic: str
    roles: list[str] = Field(default_factory=lambda: ["host"], min_length=1)
    params: dict[str, str | int] = Field(default_factory=dict)
    #: Per-student values of parameters, derived from the student id (labkit.variants).
    variants: dict[str, Variant] = Field(default_factory=dict)
    #: Highest hint level students see (1 idea, 2 shape, 3 full command; labkit.grading).
    hint_level: int | None = Field(default=None, ge=1, le=3)
    #: Set for a repair drill: how its broken starting state is made.
    drill: DrillSpec | None = None
    checks: list[CheckSpec] = Field(min_length=1)

    @property
    def max_score(self) -> float:
        return sum(c.points for c in self.checks)


@dataclass(frozen=True)
class BoundCheck:
    """A check with its parameters filled in and its arguments validated by its kind (every
    field comes validated: a plain dataclass, no validator of its own to build)."""

    spec: CheckSpec
    role: str
    args: Args
    message: Localized
    hint: Localized | None = None

    @property
    def kind(self) -> CheckKind[Any]:
        return kind_class(self.spec.kind)()


# -- loading ---------------------------------------------------------------------------------
def _line_of(node: Any, loc: tuple[int | str, ...]) -> int | None:
    """The 1-based line of the YAML node at ``loc`` (or of its nearest parent)."""
    line = None
    for part in loc:
        lc = getattr(node, "lc", None)
        if lc is None:
            break
        try:
            line = (lc.item(part) if isinstance(part, int) else lc.key(part))[0] + 1
            node = node[part]
        except (KeyError, IndexError, TypeError, AttributeError):
            break
    return line


def _field(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load_spec(path: str | Path) -> ExerciseSpec:
    """Read and validate a grader YAML file; raise SpecError naming file, line and field."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError(f"cannot read: {exc.strerror}", file=str(path)) from None
    except UnicodeDecodeError:
        raise SpecError("not UTF-8 text", file=str(path)) from None
    fast = load_yaml_text(text)
    if isinstance(fast, dict) and "base" in fast:  # built on another grader (repair drills)
        return _load_based(path, fast)
    if fast is not None:
        try:
            return _validated(fast, str(path))
        except SpecError:
            pass  # the careful reader below says on which line
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        data = YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise SpecError(f"not valid YAML: {exc.problem}", file=str(path), line=line) from None
    except YAMLError as exc:
        raise SpecError(f"not valid YAML: {exc}", file=str(path)) from None
    if isinstance(data, dict) and "base" in data:
        return _load_based(path, data)
    return _validated(data, str(path))


#: What a grader built on another one (``base:``) may set itself; the rest is the base's.
_BASED_KEYS = {"exercise", "base", "topic", "title", "params"}


def _grader_file(name: str) -> Path | None:
    """Where exercise ``name``'s grader YAML is (None: nowhere)."""
    from labkit import content

    try:
        return content.grader_path(name)
    except LabkitError:  # not an exercise name
        return None


def _load_based(path: Path, data: dict[str, Any]) -> ExerciseSpec:
    """A grader built on a ``base:`` exercise (the repair drills): the base's checks, roles,
    parameters and variants, with this grader's own ``exercise``, ``topic``, ``title`` and
    parameter values."""
    if isinstance(data.get("base"), str) and data["base"] == path.stem:
        raise SpecError("a grader cannot be its own base", file=str(path), field="base")
    extra = sorted(set(data) - _BASED_KEYS)
    if extra:
        raise SpecError(f"a grader with 'base:' takes only {', '.join(sorted(_BASED_KEYS))}; "
                        f"{extra[0]!r} comes from the base", file=str(path), field=extra[0])
    base = str(data["base"])
    base_path = path.parent / f"{base}.yaml"
    if not base_path.exists():  # a course folder's drill on a shipped exercise
        base_path = _grader_file(base) or base_path
    if base == data.get("exercise") or not base_path.exists():
        raise SpecError(f"base exercise {base!r} not found next to it ({base_path})",
                        file=str(path), field="base")
    spec = load_spec(base_path)
    update: dict[str, Any] = {"exercise": data.get("exercise", path.stem),
                              "topic": data.get("topic", spec.topic)}
    if "title" in data:
        update["title"] = data["title"]
    own = data.get("params") or {}
    if not isinstance(own, dict):
        raise SpecError("params: expected a mapping of NAME: VALUE", file=str(path),
                        field="params")
    unknown = sorted(set(own) - set(spec.params))
    if unknown:
        raise SpecError(f"params: {base} has no parameter {unknown[0]!r} (it has: "
                        f"{', '.join(sorted(spec.params))})", file=str(path),
                        field=f"params.{unknown[0]}")
    update["params"] = {**spec.params, **own}
    try:
        return ExerciseSpec.model_validate({**spec.model_dump(), **update})
    except ValueError as exc:
        raise SpecError(f"not a valid grader: {exc}", file=str(path)) from None


def _validated(data: Any, path: str) -> ExerciseSpec:
    """``data`` (a grader YAML document) as a checked ExerciseSpec; SpecError names the
    line when ``data`` keeps line numbers (ruamel's round-trip reader)."""
    if not isinstance(data, dict):
        raise SpecError("expected a mapping at the top", file=path, line=1)
    try:
        spec = ExerciseSpec.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(p for p in err["loc"] if not isinstance(p, str) or p in _keys_in(data, err))
        raise SpecError(_message(err), file=path, line=_line_of(data, loc),
                        field=_field(tuple(err["loc"]))) from None
    _check_references(spec, data, path)
    params = spec_params(spec)
    for index, check in enumerate(spec.checks):
        for part in ("args", "message", "hint", "hints"):
            where: tuple[int | str, ...] = ("checks", index, part)
            found = _unknown_param(data["checks"][index].get(part), params, where)
            if found:
                name, loc = found
                raise SpecError(f"unknown parameter {{{name}}} "
                                f"(known: {', '.join(sorted(params)) or 'none'})",
                                file=path, line=_line_of(data, loc), field=_field(loc))
        try:
            _args(check, params)
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ("checks", index, "args", *err["loc"])
            raise SpecError(f"{check.kind}: {_message(err)}", file=path,
                            line=_line_of(data, loc), field=_field(loc)) from None
    return spec


#: YAML 1.2 scalars as ruamel reads graders: true/false only; decimal, 0b, 0o, 0x integers
#: (underscores allowed); no yes/no/on/off, no sexagesimal, a leading 0 is not octal.
_CORE_RESOLVERS = (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9][0-9_]*|0b[01_]+|0o[0-7_]+|0x[0-9a-fA-F_]+)$",
     "-+0123456789"),
    ("tag:yaml.org,2002:float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                                r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+.0123456789"),
)
_FAST_LOADER: Any = None


def _fast_loader() -> Any:
    global _FAST_LOADER
    if _FAST_LOADER is None:
        import yaml

        class CoreLoader(yaml.CSafeLoader):  # type: ignore[misc]
            def construct_mapping(self, node: Any, deep: bool = False) -> Any:
                keys = [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
                if len(keys) != len(set(keys)):  # ruamel refuses them, and says where
                    raise yaml.YAMLError("duplicate key")
                return super().construct_mapping(node, deep)

        replaced = {tag for tag, _, _ in _CORE_RESOLVERS}
        CoreLoader.yaml_implicit_resolvers = {
            first: [(tag, rx) for tag, rx in found if tag not in replaced]
            for first, found in yaml.CSafeLoader.yaml_implicit_resolvers.items()}
        for tag, pattern, first in _CORE_RESOLVERS:
            CoreLoader.add_implicit_resolver(tag, re.compile(pattern), list(first))

        def core_int(loader: Any, node: Any) -> int:
            value = str(loader.construct_scalar(node))
            base = {"0b": 2, "0o": 8, "0x": 16}.get(value[:2])
            return int(value[2:], base) if base else int(value)

        CoreLoader.add_constructor("tag:yaml.org,2002:int", core_int)
        _FAST_LOADER = CoreLoader
    return _FAST_LOADER


def load_yaml_text(text: str) -> Any:
    """A YAML document as plain data, read by libyaml (PyYAML's C reader, ten times faster
    than a pure-Python one) with YAML 1.2 core-schema scalars, as ruamel reads them; None when
    libyaml is missing or the text does not parse (ruamel's reader then says where)."""
    try:
        import yaml

        if not getattr(yaml, "__with_libyaml__", False):
            return None
        return yaml.load(text, Loader=_fast_loader())  # noqa: S506 - a SafeLoader subclass
    except Exception:  # any failure: the careful reader gives the message
        return None


def _message(err: Any) -> str:
    """pydantic's message without its "Value error, " prefix."""
    return str(err["msg"]).removeprefix("Value error, ")


def _unknown_param(value: Any, params: dict[str, str],
                   loc: tuple[int | str, ...]) -> tuple[str, tuple[int | str, ...]] | None:
    """The first ``{name}`` in ``value`` that is not a parameter, and where it is."""
    if isinstance(value, str):
        names = [n for n in _PLACEHOLDER.findall(value) if n not in params]
        return (names[0], loc) if names else None
    items = value.items() if isinstance(value, dict) else \
        enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        found = _unknown_param(item, params, (*loc, key))
        if found:
            return found
    return None


def _keys_in(data: Any, err: Any) -> set[str]:
    """Every string key on the error's path (pydantic adds model names to some locs)."""
    keys: set[str] = set()
    node = data
    for part in err["loc"]:
        if isinstance(node, dict) and part in node:
            keys.add(str(part))
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
    return keys


def _check_references(spec: ExerciseSpec, data: Any, file: str) -> None:
    seen: set[str] = set()
    for index, check in enumerate(spec.checks):
        where = ("checks", index)
        if check.id in seen:
            raise SpecError(f"duplicate check id {check.id!r}", file=file,
                            line=_line_of(data, (*where, "id")), field=f"checks[{index}].id")
        for item, needed in enumerate(check.requires):
            if needed not in seen:
                loc = (*where, "requires", item)
                raise SpecError(f"requires {needed!r}, which is not an earlier check", file=file,
                                line=_line_of(data, loc), field=_field(loc))
        if check.role is not None and check.role not in spec.roles:
            raise SpecError(f"role {check.role!r} is not one of {spec.roles}", file=file,
                            line=_line_of(data, (*where, "role")), field=f"checks[{index}].role")
        seen.add(check.id)


# -- binding ---------------------------------------------------------------------------------
def spec_params(spec: ExerciseSpec, overrides: dict[str, str] | None = None) -> dict[str, str]:
    """The spec's parameters with ``overrides`` applied (unknown names are errors)."""
    params = {k: str(v) for k, v in spec.params.items()}
    for name, value in (overrides or {}).items():
        if name not in params:
            raise SpecError(f"unknown parameter {name!r} for {spec.exercise} "
                            f"(known: {', '.join(sorted(params)) or 'none'})")
        params[name] = value
    return params


def _fill(value: Any, params: dict[str, str]) -> Any:
    if isinstance(value, str):
        def sub(match: re.Match[str]) -> str:
            if match.group(1) not in params:
                raise SpecError(f"unknown parameter {{{match.group(1)}}}")
            return params[match.group(1)]
        return _PLACEHOLDER.sub(sub, value)
    if isinstance(value, list):
        return [_fill(v, params) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, params) for k, v in value.items()}
    return value


def _args(check: CheckSpec, params: dict[str, str]) -> Args:
    """The check's ``args`` with ``params`` filled in, validated by its kind."""
    return kind_class(check.kind).Args.model_validate(_fill(dict(check.args), params))


def bind_check(spec: ExerciseSpec, check: CheckSpec, params: dict[str, str]) -> BoundCheck:
    try:
        args = _args(check, params)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise SpecError(f"{check.kind}: {_message(err)}",
                        field=_field(("args", *err["loc"]))) from None
    def localized(text: Localized) -> Localized:
        return Localized.model_validate(_fill(text.model_dump(), params))

    return BoundCheck(spec=check, role=check.role or spec.roles[0], args=args,
                      message=localized(check.message),
                      hint=localized(check.hint) if check.hint else None)


def bind(spec: ExerciseSpec, params: dict[str, str] | None = None) -> list[BoundCheck]:
    """Every check of ``spec`` with ``params`` filled in."""
    values = spec_params(spec, params)
    return [bind_check(spec, c, values) for c in spec.checks]
