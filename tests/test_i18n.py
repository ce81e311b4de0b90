"""Every message exists in Galician and English, with the same placeholders."""

from __future__ import annotations

import ast
import functools
import re
import string
import sys
from pathlib import Path
from typing import Any

import pytest

from labkit.checks import KINDS
from labkit.checks.base import ProbeUnavailable, Verdict
from labkit.checks.spec import load_spec
from labkit.host import Outcome
from labkit.i18n import CATALOG, LANGS, _Catalog, text

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "tests" / "checks"))

from _examples import all_args, parsed_args, probe_names, scenarios, values_for  # noqa: E402

GRADERS = sorted((ROOT / "graders").glob("*.yaml"))


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _sample_values(template: str) -> dict[str, Any]:
    """A value for every placeholder: a number where the template formats one (``{n:g}``),
    else a marked string."""
    values: dict[str, Any] = {}
    for _, name, spec, _ in string.Formatter().parse(template):
        if name is not None:
            numeric = bool(spec) and spec[-1] in "bcdeEfFgGnoxX%"
            values[name] = 7 if numeric else f"<{name}>"
    return values


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_catalog_entry(key: str) -> None:
    """Every message exists in both languages, not empty, with the same placeholders, and
    formats with them."""
    entry = CATALOG[key]
    assert set(entry) == set(LANGS), f"{key}: languages {sorted(entry)}"
    assert all(entry[lang].strip() for lang in LANGS), f"{key}: empty text"
    gl, en = (placeholders(entry[lang]) for lang in ("gl", "en"))
    assert gl == en, f"{key}: gl has {sorted(gl)}, en has {sorted(en)}"
    for lang in LANGS:
        values = _sample_values(entry[lang])
        shown = text(key, lang, **values)
        assert all(str(v) in shown for v in values.values()), (key, lang, shown)


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


# -- the catalog's files ---------------------------------------------------------------------
def test_fallback_rules() -> None:
    assert text("status.passed", "fr") == text("status.passed", None) == \
        text("status.passed", "gl") != text("status.passed", "en")
    with pytest.raises(KeyError, match=r"no\.such\.key"):
        text("no.such.key", "en")


def test_the_areas_are_data_files() -> None:
    folder = ROOT / "labkit" / "i18n" / "messages"
    areas = sorted(folder.glob("*.toml"))
    assert len(areas) > 10
    assert not list(folder.glob("*.py")), "messages are TOML files, not Python modules"


def _area(folder: Path, name: str, body: str) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(body, encoding="utf-8")
    return path


GOOD = '''# a comment
["a.one"]
gl = "Un {n}"
en = """One \\
     {n}"""
'''


def test_a_file_that_is_not_toml_is_named(tmp_path: Path) -> None:
    _area(tmp_path, "a", GOOD)
    broken = _area(tmp_path, "b", '["b.two"]\ngl = "Dous\nen = "Two"\n')
    named = rf"{re.escape(str(broken))}: not valid TOML: .*line 2"
    assert _Catalog(tmp_path).entry("a.one")["en"] == "One {n}"  # reads only its own file
    with pytest.raises(RuntimeError, match=named):
        _Catalog(tmp_path).entry("b.two")
    with pytest.raises(RuntimeError, match=named):
        _Catalog(tmp_path).all()


def test_a_key_defined_twice_names_both_files(tmp_path: Path) -> None:
    first = _area(tmp_path, "a", GOOD)
    second = _area(tmp_path, "b", GOOD.replace("One", "Another"))
    both = rf"'a.one' is defined twice: in {re.escape(str(first))} and in " \
           rf"{re.escape(str(second))}"
    with pytest.raises(RuntimeError, match=both):
        _Catalog(tmp_path).entry("a.one")
    with pytest.raises(RuntimeError, match=both):
        _Catalog(tmp_path).all()


@pytest.mark.parametrize("body", [
    '"a.two" = { gl = "Dous", en = "Two" }\n',  # not a table of its own
    '["a.two"]\ngl = "Dous"\nen = 2\n',  # not a string
    '["a"]\ntwo = { gl = "Dous", en = "Two" }\n',  # a table inside a table
])
def test_each_message_is_a_table_of_strings(tmp_path: Path, body: str) -> None:
    path = _area(tmp_path, "a", GOOD + body)
    with pytest.raises(RuntimeError, match=re.escape(str(path))):
        _Catalog(tmp_path).all()


def test_a_lookup_parses_only_its_file(tmp_path: Path) -> None:
    a = _area(tmp_path, "a", GOOD)
    _area(tmp_path, "b", '["b.two"]\ngl = "Dous"\nen = "Two"\n')
    catalog = _Catalog(tmp_path)
    assert catalog.entry("a.one") == {"gl": "Un {n}", "en": "One {n}"}
    assert list(catalog._tables) == [a]
    with pytest.raises(KeyError):
        catalog.entry("b.three")
    assert list(catalog.all()) == ["a.one", "b.two"]


# -- verdict keys -----------------------------------------------------------------------------
def _constants(node: ast.expr | None) -> set[str]:
    """The string values ``node`` can take: a literal, or either branch of ``a if c else b``;
    an f-string becomes a regular expression (``"iscsi.{where}_ok"`` -> ``iscsi\\..+_ok``,
    marked by a leading ``re:``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _constants(node.body) | _constants(node.orelse)
    if isinstance(node, ast.JoinedStr):
        return {"re:" + "".join(re.escape(part.value) if isinstance(part, ast.Constant)
                                else ".+" for part in node.values)}
    return set()


def _called(node: ast.Call) -> str:
    """The name a call is made through: ``text(…)`` and ``i18n.text(…)`` both give "text"."""
    func = node.func
    return func.id if isinstance(func, ast.Name) else \
        func.attr if isinstance(func, ast.Attribute) else ""


@functools.cache
def _calls() -> dict[str, list[ast.Call]]:
    """Every call in labkit/, by source file (parsed once)."""
    return {str(source.relative_to(ROOT)): [
        node for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)] for source in sorted((ROOT / "labkit").rglob("*.py"))}


def _keys_used(function: str, position: int) -> dict[str, set[str]]:
    """Every key given to ``function(...)`` (as argument ``position`` or ``key=``) anywhere
    in labkit/: literals, and ``re:`` patterns for f-strings; by source file."""
    found: dict[str, set[str]] = {}
    for source, calls in _calls().items():
        for node in calls:
            if _called(node) == function:
                key = node.args[position] if len(node.args) > position else next(
                    (k.value for k in node.keywords if k.arg == "key"), None)
                keys = _constants(key)
                if keys:
                    found.setdefault(source, set()).update(keys)
    return found


def _verdict_key_sources() -> set[str]:
    """Every key given to ``Verdict(...)`` in labkit/: literals, and ``re:`` patterns for
    f-strings."""
    return set().union(*_keys_used("Verdict", 1).values())


def _missing(keys: set[str]) -> list[str]:
    """The keys (and ``re:`` patterns) in ``keys`` that no catalog key answers."""
    return sorted(k for k in keys if (not any(re.fullmatch(k[3:], c) for c in CATALOG)
                                      if k.startswith("re:") else k not in CATALOG))


def test_every_key_the_code_uses_is_in_the_catalog() -> None:
    """Every ``text("key", …)`` call and every ``Verdict(…, "key")`` in labkit/ names a key
    of the catalog (an f-string key must match at least one)."""
    used = {**{f: set(k) for f, k in _keys_used("text", 0).items()}}
    for source, keys in _keys_used("Verdict", 1).items():
        used.setdefault(source, set()).update(keys)
    assert sum(len(k) for k in used.values()) > 100, used
    assert "labkit/checks/engine.py" in used
    missing = {source: _missing(keys) for source, keys in used.items() if _missing(keys)}
    assert missing == {}


def _literal_keys() -> set[str]:
    return {k for k in _verdict_key_sources() if not k.startswith("re:")}


def _key_patterns() -> set[str]:
    return {k[3:] for k in _verdict_key_sources() if k.startswith("re:")}


def test_every_literal_verdict_key_is_in_the_catalog() -> None:
    keys = _literal_keys()
    assert len(keys) > 10, keys
    assert keys <= set(CATALOG), sorted(keys - set(CATALOG))
    for pattern in _key_patterns():
        assert any(re.fullmatch(pattern, k) for k in CATALOG), pattern


# Representative arguments and probe values of every kind: tests/checks/examples_<topic>.py
# (collected by tests/checks/_examples.py), with every recorded probe case parsed by the real
# parser. Each kind sees every combination of the values of the probes it reads.
ARGS = all_args()


def test_arguments_cover_every_kind() -> None:
    assert set(ARGS) == set(KINDS), {"missing": sorted(set(KINDS) - set(ARGS)),
                                     "unknown": sorted(set(ARGS) - set(KINDS))}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_probe_a_kind_reads_has_values(kind: str) -> None:
    for args in parsed_args(kind):
        for name in probe_names(kind, args):
            assert values_for(name), f"{kind}: no recorded or example value of {name}"


def _verdicts(kind: str) -> list[Verdict]:
    """Run ``kind`` over every example; check each verdict's message formats in every
    language (every placeholder has a value, none is shown as None)."""
    verdicts = []
    for args in parsed_args(kind):
        for facts in scenarios(kind, args):
            try:
                verdict = KINDS[kind]().evaluate(args, facts)
            except ProbeUnavailable:
                continue  # e.g. firewall.nat when neither tool's rules were read
            assert verdict.key in CATALOG, f"{kind}: {verdict.key} is not in the catalog"
            for lang in LANGS:
                message = text(verdict.key, lang, **verdict.values)
                assert "None" not in message, f"{kind} {verdict}: {message}"
            verdicts.append(verdict)
    return verdicts


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_verdict_has_a_message(kind: str) -> None:
    verdicts = _verdicts(kind)
    assert any(v.passed for v in verdicts), f"{kind}: no example passes"
    assert any(not v.passed for v in verdicts), f"{kind}: no example fails"


def test_representative_facts_reach_every_verdict_key() -> None:
    reached = {v.key for kind in KINDS for v in _verdicts(kind)}
    assert sorted(_literal_keys() - reached) == []
    unmatched = [p for p in _key_patterns() if not any(re.fullmatch(p, k) for k in reached)]
    assert sorted(unmatched) == []


def test_engine_keys_exist() -> None:
    for key in ("blocked.requires", "error.probe", "error.host", "report.score",
                *(f"status.{s}" for s in ("passed", "failed", "blocked", "error"))):
        assert key in CATALOG
    assert Outcome(error="x").ok is False
