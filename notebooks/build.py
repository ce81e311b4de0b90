"""Write every notebook of the course from its source (a developer tool).

Sources are data, one YAML file per notebook:

- ``notebooks/src/NN-topic.yaml`` -> the lesson pair ``notebooks/gl/NN-topic.ipynb`` and
  ``notebooks/en/NN-topic.ipynb``;
- ``exercises/<name>/notebook.yaml`` -> the nbgrader source ``exercises/<name>/<name>.ipynb``
  (one notebook, both languages: each text is the Galician one, a rule, then the English one).

A source is ``{"cells": [...]}``; each cell is one of

``md: {gl: …, en: …}``
    a text cell, written in each language; in an exercise, ``grading: true`` ends it with how
    many points the exercise is worth and the table of its checks, both read from the
    exercise's grader spec (``graders/<name>.yaml``), so the two never disagree;
``text: KEY`` (and ``values: {…}`` for its placeholders)
    a text cell from the message catalog (``labkit.i18n.text(KEY, lang, **values)``, e.g. the
    heading ``notebooks.summary_heading``), for texts many notebooks share;
``code: …``
    a code cell written once for both languages: ``{lang}`` becomes ``gl`` or ``en``;
``quiz: {id, title, questions: [{id, prompt, options: [[key, gl, en], …], answer, why}]}``
    a self-check quiz (``labkit.widgets.quiz``) whose code cell is made here, in the
    notebook's language, with its source hidden (texts are ``{gl: …, en: …}``).

and may carry ``output: check|ignore`` (lessons: the nbval tag; ``check`` when the output is
the same on every lab) and, in exercises, ``nbgrader: {id, solution, points, locked}``
(``points`` makes it a graded cell; ``locked`` defaults to "not a solution cell").

    python notebooks/build.py                 # write every notebook from its source
    python notebooks/build.py --check         # exit 1 if a stored notebook differs
    python notebooks/build.py --execute [NAME …]
        # run lessons (all, or those whose file name starts with NAME, e.g. 03-lvm) on the
        # live lab as "Run All" does (nbclient, no LABKIT_* variables) and store their
        # outputs; this boots VMs, so it holds /tmp/labkit-vm.lock while it runs

Writing keeps the stored outputs of every code cell whose source did not change (a cell's id
is made from its source), so rebuilding after a text edit does not throw away a recorded run;
``--check`` compares everything but outputs.
"""

from __future__ import annotations

import argparse
import copy
import fcntl
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "notebooks" / "src"
EXERCISES = ROOT / "exercises"
LANGS = ("gl", "en")
TAGS = {"check": "nbval-check-output", "ignore": "nbval-ignore-output"}
RULE = "\n\n---\n\n"
KERNEL = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
VM_LOCK = "/tmp/labkit-vm.lock"  # noqa: S108 (the lock every VM user on this machine shares)


def _text(key: str, lang: str, **values: Any) -> str:
    from labkit.i18n import text

    return text(key, lang, **values)


def _prose(cell: dict[str, Any], lang: str, exercise: str | None = None) -> str:
    if "text" in cell:
        return _text(cell["text"], lang, **cell.get("values", {}))
    prose = str(cell["md"][lang]).strip("\n")
    if cell.get("grading") and exercise:
        prose += "\n\n" + _grading(exercise, lang)
    return prose


def _grading(exercise: str, lang: str) -> str:
    """"It is worth N points" and the table of the exercise's checks (message templates: the
    values in braces are the student's own, shown by the notebook's Exercise panel)."""
    from labkit import exercises

    spec = exercises.load(exercise)
    rows = [f"| {check.message[lang]} | {check.points:g} |" for check in spec.checks]
    return "\n".join([_text("notebooks.worth", lang, points=spec.max_score), "",
                      _text("notebooks.checks_header", lang), "| --- | ---: |", *rows])


def _quiz_source(quiz: dict[str, Any], lang: str) -> str:
    """The code of a quiz cell in one language: a QuizSpec literal shown by Quiz."""
    def plain(text: str) -> str:  # the widget shows plain text, not Markdown
        return text.replace("`", "")

    def t(pair: dict[str, str]) -> str:
        return f"{{{lang!r}: {plain(pair[lang])!r}}}"

    lines = ["from labkit.widgets.quiz import Option, Question, Quiz, QuizSpec", "",
             f"Quiz(QuizSpec({quiz['id']!r}, {t(quiz['title'])}, ("]
    for q in quiz["questions"]:
        options = ", ".join(f"Option({k!r}, {{{lang!r}: {plain(gl if lang == 'gl' else en)!r}}})"
                            for k, gl, en in q["options"])
        lines += [f"    Question({q['id']!r}, {t(q['prompt'])},",
                  f"             ({options},),",
                  f"             {q['answer']!r}, {t(q['why'])}),"]
    lines.append(f")), {lang!r})")
    return "\n".join(lines)


def _nbgrader(spec: dict[str, Any]) -> dict[str, Any]:
    solution = bool(spec.get("solution", False))
    meta: dict[str, Any] = {"grade": "points" in spec, "grade_id": spec["id"],
                            "locked": bool(spec.get("locked", not solution)),
                            "schema_version": 3, "solution": solution}
    if "points" in spec:
        meta["points"] = spec["points"]
    return meta


def _cell_id(source: str, seen: set[str]) -> str:
    base = hashlib.sha1(source.encode(), usedforsecurity=False).hexdigest()[:12]
    cell_id, n = base, 1
    while cell_id in seen:
        n += 1
        cell_id = f"{base}-{n}"
    seen.add(cell_id)
    return cell_id


def notebook(source: dict[str, Any], lang: str | None,
             exercise: str | None = None) -> nbformat.NotebookNode:
    """The notebook of ``source`` in ``lang`` (None: the exercise ``exercise``, both
    languages)."""
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": KERNEL,
                                            "language_info": {"name": "python"}})
    seen: set[str] = set()
    for cell in source["cells"]:
        metadata: dict[str, Any] = {}
        if "code" in cell or "quiz" in cell:
            if "quiz" in cell:
                text = _quiz_source(cell["quiz"], lang or "gl")
                metadata["jupyter"] = {"source_hidden": True}
            else:
                text = str(cell["code"]).strip("\n").replace("{lang}", lang or "gl")
            if cell.get("output"):
                metadata["tags"] = [TAGS[cell["output"]]]
            new = nbformat.v4.new_code_cell(text)
        else:
            text = (_prose(cell, lang) if lang else
                    _prose(cell, "gl", exercise) + RULE + _prose(cell, "en", exercise))
            new = nbformat.v4.new_markdown_cell(text)
        if "nbgrader" in cell:
            metadata["nbgrader"] = _nbgrader(cell["nbgrader"])
        new.metadata = nbformat.from_dict(metadata)
        new.id = _cell_id(new.cell_type + "\n" + text, seen)
        nb.cells.append(new)
    return nb


def targets() -> Iterator[tuple[Path, Path, str | None]]:
    """(source, stored notebook, language) for every notebook of the course (language None:
    an exercise notebook, named after its folder)."""
    for src in sorted(LESSONS.glob("*.yaml")):
        for lang in LANGS:
            yield src, ROOT / "notebooks" / lang / f"{src.stem}.ipynb", lang
    for src in sorted(EXERCISES.glob("*/notebook.yaml")):
        yield src, src.parent / f"{src.parent.name}.ipynb", None


def _exercise(src: Path, lang: str | None) -> str | None:
    return None if lang else src.parent.name


def _load(src: Path) -> dict[str, Any]:
    return yaml.safe_load(src.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _stripped(nb: nbformat.NotebookNode) -> dict[str, Any]:
    plain: dict[str, Any] = json.loads(json.dumps(nb))
    plain["metadata"] = {"kernelspec": plain["metadata"].get("kernelspec")}
    for cell in plain["cells"]:
        cell.pop("outputs", None)
        cell.pop("execution_count", None)
        cell.get("metadata", {}).pop("execution", None)
    return plain


def _keep_outputs(new: nbformat.NotebookNode, old: nbformat.NotebookNode) -> None:
    stored = {c.get("id"): c for c in old.cells if c.cell_type == "code"}
    kept = False
    for cell in new.cells:
        if cell.cell_type == "code" and cell.id in stored and stored[cell.id].source == cell.source:
            cell.outputs = copy.deepcopy(stored[cell.id].outputs)
            cell.execution_count = stored[cell.id].execution_count
            kept = kept or bool(cell.outputs)
    if kept:
        new.metadata = copy.deepcopy(old.metadata)
        new.metadata["kernelspec"] = KERNEL


def _write(nb: nbformat.NotebookNode, path: Path) -> None:
    nbformat.validate(nb)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")


def build() -> list[Path]:
    """Write every notebook from its source; return the ones that changed."""
    changed = []
    for src, path, lang in targets():
        nb = notebook(_load(src), lang, _exercise(src, lang))
        if path.exists():
            old = nbformat.read(path, as_version=4)
            _keep_outputs(nb, old)
            if nbformat.writes(nb) == nbformat.writes(old):
                continue
        _write(nb, path)
        changed.append(path)
    return changed


def check() -> list[str]:
    """The stored notebooks that differ from their sources (outputs aside)."""
    stale = []
    for src, path, lang in targets():
        if not path.exists() or _stripped(nbformat.read(path, as_version=4)) != _stripped(
                notebook(_load(src), lang, _exercise(src, lang))):
            stale.append(str(path.relative_to(ROOT)))
    return stale


def execute(names: list[str], timeout: int) -> int:
    """Run lessons on the live lab as a student's "Run All" does (no ``LABKIT_*`` variables:
    ``labkit.lessons.runner``) and store their outputs; a notebook with a failing cell is left
    as it was. Returns the number of notebooks that failed."""
    from labkit.lessons.runner import clean_env, run_notebook

    build()
    failed = 0
    with open(VM_LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for src, path, lang in targets():
            if lang is None or (names and not any(src.stem.startswith(n) for n in names)):
                continue
            print(f"running {path.relative_to(ROOT)}", flush=True)
            run = run_notebook(path, env=clean_env(), cwd=path.parent, timeout=timeout)
            if run.errors:
                failed += 1
                print("\n".join(run.errors), flush=True)
                continue
            _write(run.notebook, path)
            print(f"  {run.seconds:.0f} s, first output after {run.first_output or 0:.0f} s")
    return failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if a stored notebook differs from its source")
    parser.add_argument("--execute", nargs="*", metavar="NAME",
                        help="run these lessons (default: all) on the live lab, store outputs")
    parser.add_argument("--timeout", type=int, default=900,
                        help="seconds one cell may run with --execute")
    args = parser.parse_args(argv)
    if args.check:
        stale = check()
        for name in stale:
            print(f"{name} differs from its source: run python notebooks/build.py")
        return 1 if stale else 0
    if args.execute is not None:
        return 1 if execute(args.execute, args.timeout) else 0
    for path in build():
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
