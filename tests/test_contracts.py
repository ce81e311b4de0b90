"""Every part of labkit has its place in the import contracts (pyproject.toml,
``[tool.importlinter]``, checked by ``lint-imports`` in CI): a new top-level module that no
contract names would escape them all."""

from __future__ import annotations

import tomllib
from pathlib import Path

import labkit

ROOT = Path(__file__).resolve().parents[1]
#: Beside the layers, each with contracts of its own (docs/architecture.md).
BESIDE = {"labkit.sandbox", "labkit.testing", "labkit.collector"}


def _contracts() -> dict[str, dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}


def _parts() -> set[str]:
    package = Path(labkit.__file__).parent
    names = {p.stem for p in package.glob("*.py") if p.stem != "__init__"}
    names |= {p.name for p in package.iterdir() if (p / "__init__.py").exists()}
    return {f"labkit.{name}" for name in names}


def test_every_part_of_labkit_has_a_layer_or_stands_beside_them() -> None:
    layers = {name.strip() for layer in _contracts()["layers"]["layers"]  # type: ignore[attr-defined]
              for name in layer.split("|")}
    assert _parts() - layers - BESIDE == set()
    assert layers - _parts() == set(), "a layer names a module that is gone"


def test_the_forbidden_contracts_name_every_part_below_the_top() -> None:
    contracts = _contracts()
    top = {"labkit.cli", "labkit.hub", "labkit.notebook", "labkit.lessons", "labkit.widgets"}
    below = _parts() - top - {"labkit.testing"}
    for cid in ("notebook-free", "bridges", "testing"):
        named = set(contracts[cid]["source_modules"])  # type: ignore[call-overload]
        assert below - named == set(), f"contract {cid!r} does not name {sorted(below - named)}"
    sandbox = set(contracts["sandbox"]["forbidden_modules"])  # type: ignore[call-overload]
    beyond = _parts() - BESIDE - {"labkit.errors", "labkit.settings", "labkit.lazy",
                                  "labkit.content", "labkit.i18n", "labkit.units",
                                  "labkit.transports"}
    assert beyond - sandbox == set(), f"the sandbox may import {sorted(beyond - sandbox)}"
