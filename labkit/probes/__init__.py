"""Probes: one module per area (files, qemu_img, lvm, nfs, …).

Each module registers its probe classes in ``PROBES`` by their ``name`` when imported: adding
a topic is adding a module, nothing else. A check kind imports the probe module it reads, so a
command imports only the probes its grader needs; ``PROBES`` (``from labkit.probes import
PROBES``), ``load_all()`` and ``probe_from_dict`` of an unknown name import every module.
"""

import importlib
import pkgutil
from typing import Any

from labkit.probes.base import PROBES as _PROBES
from labkit.probes.base import (
    Facts,
    Outcome,
    Probe,
    ProbeUnavailable,
    plain,
    probe_from_dict,
)


def load_all() -> dict[str, type[Probe[Any]]]:
    """Import every probe module; the full registry."""
    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_") and module.name != "base":
            importlib.import_module(f"{__name__}.{module.name}")
    return _PROBES


def __getattr__(name: str) -> Any:
    if name == "PROBES":  # the whole registry: every module imported
        return load_all()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["PROBES", "Facts", "Outcome", "Probe", "ProbeUnavailable", "load_all", "plain",
           "probe_from_dict"]
