"""Every message exists in Galician and English, with the same placeholders."""

from __future__ import annotations

import ast
import string
from pathlib import Path
from typing import Any

import pytest

from labkit.checks import KINDS
from labkit.checks.base import Facts, ProbeUnavailable
from labkit.checks.spec import load_spec
from labkit.host import Outcome
from labkit.i18n import CATALOG, LANGS, text

ROOT = Path(__file__).parent.parent
GRADERS = sorted((ROOT / "graders").glob("*.yaml"))


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_catalog_entry(key: str) -> None:
    entry = CATALOG[key]
    assert set(entry) == set(LANGS), f"{key}: languages {sorted(entry)}"
    assert all(entry[lang].strip() for lang in LANGS), f"{key}: empty text"
    gl, en = (placeholders(entry[lang]) for lang in ("gl", "en"))
    assert gl == en, f"{key}: gl has {sorted(gl)}, en has {sorted(en)}"
    values = {name: f"<{name}>" for name in gl}
    for lang in LANGS:
        assert "<" in text(key, lang, **values) or not values


@pytest.mark.parametrize("path", GRADERS, ids=[p.stem for p in GRADERS])
def test_grader_texts_in_every_language(path: Path) -> None:
    spec = load_spec(path)
    assert all(spec.title[lang].strip() for lang in LANGS)
    for check in spec.checks:
        texts = [check.message] + ([check.hint] if check.hint else [])
        for localized in texts:
            assert all(localized[lang].strip() for lang in LANGS), check.id
            gl, en = placeholders(localized.gl), placeholders(localized.en)
            assert gl == en, f"{path.name} {check.id}: gl {sorted(gl)} != en {sorted(en)}"


# -- verdict keys -----------------------------------------------------------------------------
def _constants(node: ast.expr | None) -> set[str]:
    """The string values ``node`` can take: a literal, or either branch of ``a if c else b``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _constants(node.body) | _constants(node.orelse)
    return set()


def _literal_keys() -> set[str]:
    """Every literal key given to ``Verdict(...)`` in labkit/checks/*.py."""
    found: set[str] = set()
    for source in (ROOT / "labkit" / "checks").glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Verdict":
                key = node.args[1] if len(node.args) > 1 else next(
                    (k.value for k in node.keywords if k.arg == "key"), None)
                found |= _constants(key)
    return found


def test_every_literal_verdict_key_is_in_the_catalog() -> None:
    keys = _literal_keys()
    assert len(keys) > 10, keys
    assert keys <= set(CATALOG), sorted(keys - set(CATALOG))


def _values() -> list[Any]:
    """Probe values of every shape the parsers produce (and a few they might)."""
    mib = 1 << 20
    img = {"filename": "/w/d.qcow2", "format": "qcow2", "virtual_size": 100 * mib,
           "actual_size": 1, "backing_filename": None, "full_backing_filename": None,
           "backing_format": None, "dirty": False, "corrupt": False}
    backed = {**img, "backing_filename": "b.qcow2", "full_backing_filename": "/w/b.qcow2",
              "backing_format": "raw"}
    stats = [{"exists": False}]
    stats += [{"exists": True, "type": t, "size": 1, "mtime": 1, "magic": m}
              for t in ("regular file", "directory", "symbolic link")
              for m in ("", "514649fb", "4b444d56", "3c3c3c20", "636f6e6563746978")]
    failed = [{"state": "missing"}, {"state": "wrong-format"},
              {"state": "backing-missing", "missing": "/w/b.qcow2"}]
    infos = [{"state": "ok", "chain": [i]} for i in (img, backed)]
    infos += [{"state": "ok", "chain": [{**img, "virtual_size": s}]} for s in (80 * mib, 1)]
    maps = [{"state": "ok", "extents": [], "data_bytes": d}
            for d in ({}, {0: 4 * mib}, {0: 1}, {1: 8 * mib}, {0: 1 << 40})]
    return stats + failed + infos + maps


ARGS: dict[str, list[dict[str, Any]]] = {
    "file.exists": [{"path": "/w/d", "type": t} for t in ("file", "directory", "any")],
    "qemu_img.format": [{"path": "/w/d", "format": f}
                        for f in ("qcow2", "raw", "vmdk", "vdi", "vpc")],
    "qemu_img.virtual_size": [{"path": "/w/d.qcow2", "size": "100M"}],
    "qemu_img.backing": [{"path": "/w/d.qcow2", "backing": b, "backing_format": f}
                         for b in ("b.qcow2", "c.qcow2") for f in ("qcow2", "raw")],
    "qemu_img.independent": [{"path": "/w/d.qcow2"}],
    "qemu_img.data": [{"path": "/w/d.qcow2", "min": "4M"}, {"path": "/w/d.qcow2", "max": 0},
                      {"path": "/w/d.qcow2", "min": "1M", "max": "1T"}],
}


class _Everything(Facts):
    """Facts that answer every probe with one value."""

    def __init__(self, value: Any) -> None:
        super().__init__({})
        self.value = value

    def __getitem__(self, probe: Any) -> Any:
        return self.value


def test_arguments_cover_every_kind() -> None:
    assert set(ARGS) == set(KINDS)


def _verdict_keys(kind: str) -> set[str]:
    """Run ``kind`` over many facts; check each verdict's message formats in every language."""
    seen: set[str] = set()
    for raw in ARGS[kind]:
        args = KINDS[kind].Args.model_validate(raw)
        for value in _values():
            try:
                verdict = KINDS[kind]().evaluate(args, _Everything(value))
            except (KeyError, TypeError, AttributeError, ProbeUnavailable):
                continue  # a value of another probe's shape
            assert verdict.key in CATALOG, f"{kind}: {verdict.key} is not in the catalog"
            for lang in LANGS:
                text(verdict.key, lang, **verdict.values)
            seen.add(verdict.key)
    return seen


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_verdict_has_a_message(kind: str) -> None:
    seen = _verdict_keys(kind)
    assert any(k.endswith(("_ok", ".exists")) for k in seen), seen
    assert any(not k.endswith(("_ok", ".exists")) for k in seen), seen


def test_representative_facts_reach_every_verdict_key() -> None:
    reached = set().union(*(_verdict_keys(kind) for kind in KINDS))
    assert reached == _literal_keys()


def test_engine_keys_exist() -> None:
    for key in ("blocked.requires", "error.probe", "error.host", "report.score",
                *(f"status.{s}" for s in ("passed", "failed", "blocked", "error"))):
        assert key in CATALOG
    assert Outcome(error="x").ok is False
