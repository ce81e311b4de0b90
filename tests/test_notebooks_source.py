"""Every stored notebook is what ``notebooks/build.py`` makes from its source, and the sources
keep the course's rules: both languages in every text, one nbval tag per lesson code cell,
valid nbgrader metadata, real Galician."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _builder() -> Any:
    spec = importlib.util.spec_from_file_location("notebooks_build",
                                                  ROOT / "notebooks" / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


BUILD = _builder()
TARGETS = list(BUILD.targets())
LESSONS = sorted(BUILD.LESSONS.glob("*.yaml"))
EXERCISES = sorted(BUILD.EXERCISES.glob("*/notebook.yaml"))


def _texts(source: dict[str, Any], lang: str) -> list[str]:
    from labkit.i18n import text

    found = []
    for cell in source["cells"]:
        if "md" in cell:
            found.append(cell["md"][lang])
        elif "text" in cell:
            found.append(text(cell["text"], lang, **cell.get("values", {})))
        elif "quiz" in cell:
            quiz = cell["quiz"]
            found.append(quiz["title"][lang])
            for q in quiz["questions"]:
                found += [q["prompt"][lang], q["why"][lang]]
                found += [o[1 if lang == "gl" else 2] for o in q["options"]]
    return found


def test_every_stored_notebook_matches_its_source() -> None:
    assert BUILD.check() == [], "run: python notebooks/build.py"


def test_one_source_per_notebook_and_no_other_generator() -> None:
    stems = {p.stem for p in LESSONS}
    for lang in BUILD.LANGS:
        assert {p.stem for p in (ROOT / "notebooks" / lang).glob("*.ipynb")} == stems
    assert len(stems) == 8
    for src in EXERCISES:
        assert (src.parent / f"{src.parent.name}.ipynb").exists(), src
    for gone in ("notebooks/lessons_storage.py", "exercises/intro-container/build_lesson.py",
                 "tests/net/build_net_lessons.py", "tests/storage/make_exercise_notebooks.py",
                 "exercises/intro-quiz/build.py"):
        assert not (ROOT / gone).exists(), gone


def test_a_changed_source_is_caught_and_rebuilt(tmp_path: Path) -> None:
    """--check sees a one-word edit; writing keeps outputs of the cells left alone."""
    src = LESSONS[0]
    source = BUILD._load(src)
    nb = BUILD.notebook(source, "en")
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="kept\n")]
    code.execution_count = 1
    md = next(i for i, c in enumerate(source["cells"]) if "md" in c)
    source["cells"][md]["md"]["en"] += " Changed."
    rebuilt = BUILD.notebook(source, "en")
    assert BUILD._stripped(rebuilt) != BUILD._stripped(nb)
    BUILD._keep_outputs(rebuilt, nb)
    same = next(c for c in rebuilt.cells if c.id == code.id)
    assert same.outputs[0]["text"] == "kept\n"


@pytest.mark.parametrize("src", LESSONS + EXERCISES, ids=lambda p: p.parent.name
                         if p.name == "notebook.yaml" else p.stem)
def test_source_cells_are_well_formed(src: Path) -> None:
    source = BUILD._load(src)
    lesson = src.parent == BUILD.LESSONS
    ids = []
    for cell in source["cells"]:
        kinds = {"md", "text", "code", "quiz"} & set(cell)
        assert len(kinds) == 1, cell
        if "md" in cell:
            gl, en = cell["md"]["gl"].strip(), cell["md"]["en"].strip()
            assert gl and en and gl != en, gl[:80]
        if "code" in cell:
            assert isinstance(cell["code"], str), "code is written once for both languages"
            if lesson:
                assert cell.get("output") in ("check", "ignore"), cell["code"][:80]
        if "nbgrader" in cell:
            ids.append(cell["nbgrader"]["id"])
    assert len(ids) == len(set(ids))
    if not lesson:
        nb = BUILD.notebook(source, None)
        from nbgrader.nbgraderformat import MetadataValidator

        MetadataValidator().validate_nb(nb)


GALICIAN_SLIPS = [r"¿", r"\bConvirte", r"\bconvirte", r"\b[Aa] diferenza d",
                  r"\bcarpeta", r"\bhipervisor"]


@pytest.mark.parametrize("src", LESSONS + EXERCISES, ids=lambda p: p.parent.name
                         if p.name == "notebook.yaml" else p.stem)
def test_galician_is_galician(src: Path) -> None:
    """No Spanish "¿", "Convirte" or "A diferenza" (it is "Converte", "Á diferenza"); one word
    for hypervisor ("hypervisor", as the course text writes it) and for folder ("cartafol")."""
    for text in _texts(BUILD._load(src), "gl"):
        for slip in GALICIAN_SLIPS:
            assert not re.search(slip, text, re.M), (slip, text[:120])


GALICIAN_SLIPS.append(r"\b[Aa]rranc")  # "arrincar"/"arranque" is the one word for boot

LESSON_IDS = [p.stem for p in LESSONS]
#: What belongs to the exercises: a lesson's code never touches it, so running a lesson never
#: earns an exercise's points (the lessons' own names are in labkit/lessons/table.py).
EXERCISE_THINGS = re.compile(
    r"/dev/vd[b-e]\b|/root/lab\b|\bDatos\b|labkit-box|/srv/nfs\b|:vms\b|/etc/exports\b(?!\.d)"
    r"|(?<![\w-])(br0|br1|br20|ovsbr0|tap0|tun0|veth0|macvtap[0-2]|vm[1-8](-sw)?)\b"
    r"|eth1\.(10|20)\b|ip_forward=1|nft add")


def _lesson(stem: str) -> dict[str, Any]:
    return BUILD._load(BUILD.LESSONS / f"{stem}.yaml")  # type: ignore[no-any-return]


@pytest.mark.parametrize("stem", LESSON_IDS)
def test_lesson_runs_on_the_lesson_api(stem: str) -> None:
    import ast

    from labkit.lessons import lesson_spec

    spec = lesson_spec(stem)
    for lang in BUILD.LANGS:
        nb = BUILD.notebook(_lesson(stem), lang)
        code = [c.source for c in nb.cells if c.cell_type == "code"]
        assert f'Lesson("{stem}", "{lang}")' in code[0]
        for source in code:
            ast.parse(source)
            assert "labkit.widgets.lab" not in source and "StorageLab" not in source
            assert "NetLab" not in source and "LABKIT_" not in source
        checked = re.findall(r'lesson\.check\("([^"]+)"\)', "\n".join(code))
        assert checked and set(checked) <= set(spec.exercises), checked


@pytest.mark.parametrize("stem", LESSON_IDS)
def test_lesson_practises_on_its_own_names(stem: str) -> None:
    for cell in _lesson(stem)["cells"]:
        if "code" in cell:
            found = EXERCISE_THINGS.search(cell["code"])
            assert not found, (found.group(0) if found else "", cell["code"][:120])


@pytest.mark.parametrize("stem", LESSON_IDS)
def test_lesson_has_objectives_time_summary_and_questions(stem: str) -> None:
    source = _lesson(stem)
    texts = {lang: "\n".join(_texts(source, lang)) for lang in BUILD.LANGS}
    assert "Obxectivos" in texts["gl"] and "Tempo estimado" in texts["gl"]
    assert "Objectives" in texts["en"] and "Estimated time" in texts["en"]
    head = [c for c in source["cells"][:4] if "md" in c]
    assert any("Obxectivos" in c["md"]["gl"] for c in head)
    assert {"text": "notebooks.summary_heading"} in source["cells"][-6:] or any(
        "## Resumo" in c.get("md", {}).get("gl", "") for c in source["cells"][-4:])
    questions = [q for c in source["cells"] if "quiz" in c for q in c["quiz"]["questions"]]
    assert len(questions) >= 3
    for q in questions:
        assert q["answer"] in [o[0] for o in q["options"]], q["id"]
        assert all(o[1] and o[2] for o in q["options"]), q["id"]
        assert q["why"]["gl"] and q["why"]["en"]


def test_check_exits_1_on_drift_and_0_in_step(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """``python notebooks/build.py --check`` on a copy of one lesson: in step, then edited."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "03-lvm.yaml").write_text((BUILD.LESSONS / "03-lvm.yaml").read_text("utf-8"), "utf-8")
    monkeypatch.setattr(BUILD, "ROOT", tmp_path)
    monkeypatch.setattr(BUILD, "LESSONS", src)
    monkeypatch.setattr(BUILD, "EXERCISES", tmp_path / "exercises")
    assert BUILD.main(["--check"]) == 1                        # nothing written yet
    assert BUILD.main([]) == 0
    assert (tmp_path / "notebooks" / "gl" / "03-lvm.ipynb").exists()
    assert BUILD.main(["--check"]) == 0
    edited = (src / "03-lvm.yaml").read_text("utf-8").replace("Practica", "Practica2", 1)
    (src / "03-lvm.yaml").write_text(edited, "utf-8")
    assert BUILD.main(["--check"]) == 1
