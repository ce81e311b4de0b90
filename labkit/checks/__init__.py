"""Checks: expected configuration (graders/*.yaml) compared with facts from the host.

Each check-kind module (files, qemu_img, lvm, …) registers its kinds in ``KINDS`` by their
``name`` when imported. ``kind(name)`` imports only the module that declares ``name`` (a
command pays only for the kinds its grader uses); ``KINDS`` (``from labkit.checks import
KINDS``) and ``load_all()`` import every module.

Adding a check kind touches four places, and only these:

1. **The probe** (``labkit/probes/<topic>.py``) — if no probe reads the state yet: a frozen
   dataclass ``class Thing(Probe[ThingValue])`` with its parameters as fields, a ``name``,
   a ``command()`` (every argument through ``q()``) and a pure ``parse(result)`` that returns
   the typed value (a frozen dataclass) or raises ProbeError. Add its cases from the real
   tool: a row in ``tests/probes/setups.py`` and ``python -m labkit.testing.capture``, and a
   few values a person reads off the raw output in ``tests/probes/human.py``.
2. **The check module** (``labkit/checks/<topic>.py``)::

       class ThingArgs(Args):                  # the YAML ``args``; unknown fields are errors
           path: str
           size: Size                          # "100M", "2G" or bytes: one size type

       class ThingSize(CheckKind[ThingArgs]):
           \"\"\"What passes, in one sentence (the teacher reads it).\"\"\"
           name: ClassVar[str] = "topic.thing_size"
           Args = ThingArgs

           def probe(self, args: ThingArgs) -> Thing:        # declared once
               return Thing(args.path)

           def evaluate(self, args: ThingArgs, facts: Facts) -> Verdict:
               thing = facts[self.probe(args)]               # typed: mypy knows its fields
               ...
               return Verdict(passed, "topic.thing_size_ok", {"size": format_size(...)})

   A kind that reads several probes declares each one once in a method and lists them in
   ``probes``; one that reads another role's host overrides ``probes_by_role`` and reads
   ``facts.on(role)``. ``evaluate`` never runs a command and never catches
   ProbeUnavailable: a probe without a value makes the check an error, never a pass.
3. **The catalog** (``labkit/i18n/messages/<topic>.toml``): every key ``evaluate`` can return,
   in Galician and English with the same placeholders (tests/test_i18n.py proves it).
4. **A grader** (``graders/<exercise>.yaml``) that uses the kind; and its examples in
   ``tests/checks/examples_<topic>.py`` so the generic tests reach every verdict.
"""

import functools
import importlib
import pkgutil
import re
from pathlib import Path
from typing import Any

from labkit.checks.base import KINDS as _KINDS
from labkit.checks.base import CheckKind, Facts, Verdict

_FRAMEWORK = {"base", "engine", "spec"}
#: How a kind declares its name (see step 2 above): read from the source, nothing imported.
_DECLARED = re.compile(r'^\s+name: ClassVar\[str\] = "([^"]+)"', re.MULTILINE)


def _modules() -> list[str]:
    return [m.name for m in pkgutil.iter_modules(__path__)
            if not m.name.startswith("_") and m.name not in _FRAMEWORK]


@functools.cache
def _index() -> dict[str, str]:
    """Kind name -> the module declaring it, from the modules' text (a grade imports only
    the kinds its grader uses; importing every kind costs more than the grading)."""
    out: dict[str, str] = {}
    for module in _modules():
        text = (Path(__path__[0]) / f"{module}.py").read_text(encoding="utf-8")
        out.update({name: module for name in _DECLARED.findall(text)})
    return out


def load_all() -> dict[str, type[CheckKind[Any]]]:
    """Import every check-kind module; the full registry."""
    for module in _modules():
        importlib.import_module(f"{__name__}.{module}")
    return _KINDS


def kind(name: str) -> type[CheckKind[Any]]:
    """The check kind ``name``, importing only its module; KeyError if there is none."""
    if name not in _KINDS:
        module = _index().get(name)
        if module is not None:
            importlib.import_module(f"{__name__}.{module}")
        if name not in _KINDS:  # declared some other way: look everywhere
            load_all()
    return _KINDS[name]


def kind_names() -> list[str]:
    """Every check kind's name, sorted (nothing imported)."""
    return sorted(set(_index()) | set(_KINDS))


def __getattr__(name: str) -> Any:
    if name == "KINDS":  # the whole registry: every module imported
        return load_all()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["KINDS", "CheckKind", "Facts", "Verdict", "kind", "kind_names", "load_all"]
