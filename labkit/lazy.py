"""A package's public names, imported on first use (PEP 562).

``import labkit`` (or ``labkit.grading``, ``labkit.widgets``, ``labkit.sandbox``) loads none of
the modules behind its names: a command or a notebook pays only for what it uses. In the
package's ``__init__``::

    from labkit.lazy import attach
    __getattr__, __dir__ = attach(__name__, {"grade": "labkit.grading.engine", …})

with the same names imported under ``if TYPE_CHECKING:`` for mypy and readers.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["attach"]


def attach(package: str, homes: Mapping[str, str], renamed: Mapping[str, str] | None = None
           ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``: its public ``name`` is the attribute
    ``renamed.get(name, name)`` of module ``homes[name]``, imported when first asked for and
    then kept in the package (later lookups are plain attribute reads)."""
    namespace = sys.modules[package].__dict__
    others = dict(renamed or {})

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home), others.get(name, name))
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *homes})

    return __getattr__, __dir__
