"""Every widget text exists in Galician and English, with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from labkit.widgets import qemu_img
from labkit.widgets.texts import TEXTS, t

WIDGETS = Path(qemu_img.__file__).resolve().parent


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_both_languages_with_the_same_placeholders(key: str) -> None:
    entry = TEXTS[key]
    assert set(entry) == {"gl", "en"}, key
    assert entry["gl"].strip() and entry["en"].strip(), key
    assert _placeholders(entry["gl"]) == _placeholders(entry["en"]), key


def test_every_key_used_in_the_code_exists() -> None:
    used: set[str] = set()
    for name in ("builder", "chain", "check", "lab", "qemu_img", "replay", "run", "view"):
        source = WIDGETS / f"{name}.py"      # the modules that use this table
        text = source.read_text(encoding="utf-8")
        used |= set(re.findall(r'\bt\(\s*"([a-z_]+\.[a-z_.]+)"', text))
        used |= set(re.findall(r'c\.add\(\s*"(?:error|warning|note)",\s*"([a-z_.]+)"', text))
    dynamic = ({f"op.{op}" for op in qemu_img.OPERATIONS}
               | {f"level.{lvl}" for lvl in ("error", "warning", "note")}
               | {f"chain.role.{r}" for r in ("single", "top", "middle", "base")}
               | {"snapshot.no_backing_format", "rebase.no_backing_format"})
    missing = sorted((used | dynamic) - set(TEXTS))
    assert not missing, missing
    assert len(used) > 60     # the scan really found the keys


def test_unknown_language_falls_back_to_galician() -> None:
    assert t("run.button", "fr") == t("run.button", "gl") == "Executar"
    assert t("run.button", "en") == "Run"
