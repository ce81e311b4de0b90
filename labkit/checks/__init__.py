"""Checks: expected configuration (graders/*.yaml) compared with facts from the host.

Importing this package imports every check-kind module in it (files, qemu_img, lvm, …),
which registers each kind in ``KINDS`` by its ``name``.
"""

import importlib
import pkgutil

from labkit.checks.base import KINDS, CheckKind, Facts, Verdict

_FRAMEWORK = {"base", "engine", "spec"}
for _module in pkgutil.iter_modules(__path__):
    if not _module.name.startswith("_") and _module.name not in _FRAMEWORK:
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["KINDS", "CheckKind", "Facts", "Verdict"]
