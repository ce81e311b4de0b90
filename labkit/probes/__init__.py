"""Probes: one module per area (files, qemu_img, lvm, nfs, …).

Importing this package imports every module in it, which registers each probe class in
``PROBES`` by its ``name``: adding a topic is adding a module, nothing else.
"""

import importlib
import pkgutil

from labkit.probes.base import (
    PROBES,
    Facts,
    Outcome,
    Probe,
    ProbeUnavailable,
    plain,
    probe_from_dict,
)

for _module in pkgutil.iter_modules(__path__):
    if not _module.name.startswith("_") and _module.name != "base":
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["PROBES", "Facts", "Outcome", "Probe", "ProbeUnavailable", "plain", "probe_from_dict"]
