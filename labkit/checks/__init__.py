"""Checks: expected configuration (graders/*.yaml) compared with facts from the host.

Importing this package imports every check-kind module in it (files, qemu_img, lvm, …),
which registers each kind in ``KINDS`` by its ``name``.

Adding a check kind touches four places, and only these:

1. **The probe** (``labkit/probes/<topic>.py``) — if no probe reads the state yet: a frozen
   dataclass ``class Thing(Probe[ThingValue])`` with its parameters as fields, a ``name``,
   a ``command()`` (every argument through ``q()``) and a pure ``parse(result)`` that returns
   the typed value (a frozen dataclass) or raises ProbeError. Add its cases from the real
   tool: a row in ``tests/probes/setups.py`` and ``python -m labkit.testing.capture``, with a
   few ``human`` expectations read off the raw output by a person.
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
3. **The catalog** (``labkit/i18n/messages/<topic>.py``): every key ``evaluate`` can return,
   in Galician and English with the same placeholders (tests/test_i18n.py proves it).
4. **A grader** (``graders/<exercise>.yaml``) that uses the kind; and its examples in
   ``tests/checks/examples_<topic>.py`` so the generic tests reach every verdict.
"""

import importlib
import pkgutil

from labkit.checks.base import KINDS, CheckKind, Facts, Verdict

_FRAMEWORK = {"base", "engine", "spec"}
for _module in pkgutil.iter_modules(__path__):
    if not _module.name.startswith("_") and _module.name not in _FRAMEWORK:
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["KINDS", "CheckKind", "Facts", "Verdict"]
