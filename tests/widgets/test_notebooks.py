"""The stored lessons: in step with notebooks/build.py, executed, tagged for nbval, and with
widget state that matches their outputs (so they render before anyone runs them)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
LANGS = ("gl", "en")
TAGS = {"nbval-check-output", "nbval-ignore-output"}


def _build() -> Any:
    spec = importlib.util.spec_from_file_location("notebooks_build",
                                                  ROOT / "notebooks" / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module        # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def _load(lang: str) -> dict[str, Any]:
    path = ROOT / "notebooks" / lang / "02-qemu-img.ipynb"
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _text(cell: dict[str, Any]) -> str:
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else str(source)


def test_stored_notebooks_match_build_py() -> None:
    assert _build().check() == [], "run: python notebooks/build.py --execute"


@pytest.mark.parametrize("lang", LANGS)
def test_executed_and_tagged(lang: str) -> None:
    nb = _load(lang)
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert len(code) > 20
    for cell in code:
        tags = set(cell["metadata"].get("tags", []))
        assert len(tags & TAGS) == 1, _text(cell)
        assert cell["execution_count"] is not None, _text(cell)
        for output in cell["outputs"]:
            assert output["output_type"] != "error", _text(cell)
            assert "labkit:" not in "".join(output.get("text", [])), _text(cell)
    checked = [c for c in code if "nbval-check-output" in c["metadata"]["tags"]]
    assert len(checked) > len(code) * 3 // 4


@pytest.mark.parametrize("lang", LANGS)
def test_widget_outputs_have_saved_state(lang: str) -> None:
    nb = _load(lang)
    state = nb["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    shown = [o["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
             for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"]
             if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(shown) >= 8
    assert all(model in state for model in shown)


@pytest.mark.parametrize("lang", LANGS)
def test_full_marks_in_the_stored_run(lang: str) -> None:
    outputs = ["".join(o["data"]["text/plain"]) for c in _load(lang)["cells"]
               if c["cell_type"] == "code" for o in c["outputs"] if "data" in o]
    done = [o for o in outputs if "/10 " in o or "/11 " in o]
    assert len(done) == 2 and all(" 10/10 " in o or " 11/11 " in o for o in done), done


def test_editions_share_code_but_not_prose() -> None:
    gl, en = _load("gl")["cells"], _load("en")["cells"]
    assert [c["cell_type"] for c in gl] == [c["cell_type"] for c in en]
    for a, b in zip(gl, en, strict=True):
        if a["cell_type"] == "code":
            assert _text(a).replace('Lab("gl")', 'Lab("en")') == _text(b)
        else:
            assert _text(a) != _text(b)
    gl_text = " ".join(_text(c) for c in gl if c["cell_type"] == "markdown")
    for word in ("ficheiro", "disco", "máquina virtual", "Comproba"):
        assert word in gl_text


@pytest.mark.parametrize("lang", LANGS)
def test_lessons_teach_the_correct_commands(lang: str) -> None:
    """The course text's typos (gemu-img, qcou2, convert missing, -b without -F) are only
    shown inside explain()/failing examples, never as a command to run."""
    cells = _load(lang)["cells"]
    run = [_text(c) for c in cells if c["cell_type"] == "code" and "sh(" in _text(c)]
    for source in run:
        assert "gemu-img" not in source and "qcou2" not in source
        assert "qemu-img -f" not in source
    creates_b = [s for s in run if "-b " in s and "another.qcow2" not in s]
    assert creates_b and all("-F " in s for s in creates_b)
