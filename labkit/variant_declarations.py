"""The ``variants:`` block of a grader YAML: its model (:class:`Variant`, one kind each) and
reading it, with its line numbers for errors, from a grader or from a spec; see
:mod:`labkit.variants` for the kinds and how values are derived from them."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from labkit.errors import LabkitError, SpecError

_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
#: ``{name}``, ``{name[1]}``, ``{name.netmask}``, each with an optional ``:format``.
PLACEHOLDER = re.compile(
    r"\{([a-z_][a-z0-9_]*)(\[\d+\]|\.(?:netmask|prefixlen|network_address|broadcast_address|"
    r"hostmask|num_addresses))?(:[^{}]*)?\}")


class Label(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    gl: str
    en: str


class Variant(BaseModel):
    """How one parameter varies per student (exactly one of the kinds)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    choice: list[str | int] | None = Field(default=None, min_length=1)
    range: tuple[int, int] | None = None
    step: int = Field(default=1, ge=1)
    subnet: str | None = None
    prefix: int | None = Field(default=None, ge=0, le=128)
    token: int | None = Field(default=None, ge=1, le=64)
    template: str | None = None
    sum: list[str | int] | None = Field(default=None, min_length=1)
    show: bool = True
    label: Label | None = None

    @property
    def kind(self) -> Literal["choice", "range", "subnet", "token", "template", "sum"]:
        for kind in ("choice", "range", "subnet", "token", "template", "sum"):
            if getattr(self, kind) is not None:
                return kind
        raise AssertionError("validated")

    @model_validator(mode="after")
    def _one_kind(self) -> Variant:
        kinds = [k for k in ("choice", "range", "subnet", "token", "template", "sum")
                 if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("give exactly one of choice, range, subnet, token, template, sum"
                             + (f" (found {', '.join(kinds)})" if kinds else ""))
        if self.range is not None and self.range[0] > self.range[1]:
            raise ValueError(f"range [{self.range[0]}, {self.range[1]}]: the first number "
                             "must not be larger")
        if self.subnet is not None:
            try:
                net = ipaddress.ip_network(self.subnet, strict=True)
            except ValueError as exc:
                raise ValueError(f"subnet: {exc}") from None
            if self.prefix is None or not net.prefixlen <= self.prefix <= net.max_prefixlen:
                raise ValueError(f"subnet {self.subnet} needs prefix: N with {net.prefixlen} "
                                 f"<= N <= {net.max_prefixlen}")
        elif self.prefix is not None:
            raise ValueError("prefix goes with subnet")
        if self.step != 1 and self.range is None:
            raise ValueError("step goes with range")
        return self


# -- declarations ----------------------------------------------------------------------------
def parse(data: Mapping[str, Any], *, params: Mapping[str, Any] | None = None,
          file: str = "", lines: Mapping[str, int] | None = None) -> dict[str, Variant]:
    """Validate a ``variants:`` mapping; with ``params``, template placeholders may name
    them too. Errors are SpecError (file, line, field)."""
    out: dict[str, Variant] = {}
    lines = lines or {}
    for name, body in data.items():
        field = f"variants.{name}"
        line = lines.get(str(name))
        if not isinstance(name, str) or not _NAME.match(name):
            raise SpecError(f"bad variant name {name!r} (lower case, digits, _)", file=file,
                            line=line, field=field)
        try:
            variant = Variant.model_validate(dict(body) if isinstance(body, Mapping) else body)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"])
            raise SpecError(str(err["msg"]).removeprefix("Value error, "), file=file,
                            line=line, field=f"{field}.{where}" if where else field) from None
        if variant.sum is not None:
            known = {*out, *(params or {})}
            unknown = [t for t in variant.sum
                       if isinstance(t, str) and t.removeprefix("-") not in known]
            if unknown:
                raise SpecError(f"sum uses {unknown[0]!r}, which is not an earlier variant or a "
                                "param", file=file, line=line, field=f"{field}.sum")
        if variant.template is not None:
            known = {"student", "exercise", *out, *(params or {})}
            for m in PLACEHOLDER.finditer(variant.template):
                if m.group(1) not in known:
                    raise SpecError(f"template uses {{{m.group(1)}}}, which is not an earlier "
                                    "variant, a param, student or exercise", file=file,
                                    line=line, field=f"{field}.template")
            leftover = PLACEHOLDER.sub("", variant.template)
            if "{" in leftover.replace("{{", "") or "}" in leftover.replace("}}", ""):
                raise SpecError(f"template {variant.template!r}: only {{name}}, {{name[N]}}, "
                                "{name.netmask}… and {name:format} are allowed", file=file,
                                line=line, field=f"{field}.template")
        out[name] = variant
    return out


def _base_path(path: Path, base: Any, seen: set[Path]) -> Path | None:
    """The grader YAML of ``base`` (a ``base:`` entry of the grader at ``path``): next to it,
    else the course's; None if there is none or it was already followed (a loop)."""
    from labkit import content

    candidate = path.parent / f"{base}.yaml"
    if not candidate.exists():
        try:
            candidate = content.grader_path(str(base))
        except LabkitError:  # not an exercise name
            return None
    seen.add(path.resolve())
    if not candidate.exists() or candidate.resolve() in seen:
        return None
    return candidate


def load_declarations(path: str | Path, *, _seen: set[Path] | None = None
                      ) -> dict[str, Variant]:
    """The ``variants`` of the grader YAML at ``path`` ({} if it has none). A grader built on
    a ``base:`` exercise (a repair drill) has its base's variants, as its spec does
    (``labkit.checks.spec``): a student breaks, repairs and is graded with values of their
    own, derived for the drill's exercise name."""
    from ruamel.yaml import YAML

    path = Path(path)
    _seen = set() if _seen is None else _seen
    try:
        data = YAML(typ="rt").load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"cannot read: {exc}", file=str(path)) from None
    except Exception as exc:  # ruamel's YAMLError: the spec loader reports it with its line
        raise SpecError(f"not valid YAML: {exc}", file=str(path)) from None
    if isinstance(data, dict) and data.get("base"):
        base = _base_path(path, data["base"], _seen)  # a repair drill: its base's variants
        return load_declarations(base, _seen=_seen) if base else {}
    if not isinstance(data, dict) or not data.get("variants"):
        return {}
    block = data["variants"]
    if not isinstance(block, dict):
        raise SpecError("variants must be a mapping", file=str(path), field="variants")
    lines = {str(k): block.lc.key(k)[0] + 1 for k in block} if hasattr(block, "lc") else {}
    return parse(block, params=data.get("params") or {}, file=str(path), lines=lines)


def declarations(spec: Any) -> dict[str, Variant]:
    """The variants of ``spec`` (an ExerciseSpec or an exercise name): its ``variants`` field
    when the spec model has one, else the ``variants:`` block of ``graders/<exercise>.yaml``."""
    from labkit import content

    if isinstance(spec, str):
        name = spec
    else:
        declared = getattr(spec, "variants", None)
        if declared:
            return {k: v if isinstance(v, Variant) else Variant.model_validate(v)
                    for k, v in dict(declared).items()}
        name = spec.exercise
    path = content.grader_path(name)
    if not path.exists():
        if isinstance(spec, str):
            content.require(name)  # raises ExerciseError naming the known ones
        return {}
    return load_declarations(path)


def raw_params(path: Path, _seen: set[Path] | None = None) -> dict[str, Any]:
    """The ``params`` of the grader YAML at ``path``; a grader built on a ``base:`` exercise
    has its base's, with its own values over them."""
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    params = data.get("params") if isinstance(data, dict) else None
    own = dict(params) if isinstance(params, dict) else {}
    if isinstance(data, dict) and data.get("base"):
        _seen = set() if _seen is None else _seen
        base = _base_path(path, data["base"], _seen)
        if base is not None:
            return {**raw_params(base, _seen), **own}
    return own
