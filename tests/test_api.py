"""The public API: ``labkit.__all__`` names exactly what a notebook or script may import."""

from __future__ import annotations

import importlib
import inspect
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import labkit
from labkit import errors

#: What lessons, nbgrader notebooks and teachers' scripts import from labkit: exactly this.
PUBLIC = {
    # hosts
    "CommandResult", "Host", "MockTransport", "Transport", "open_transport", "parse_url",
    # grading
    "ExerciseSpec", "Report", "autograde_points", "for_student", "grade", "grade_url",
    "load_exercise", "load_spec",
    # lessons (Lesson in lesson notebooks, Exercise in exercise notebooks)
    "Exercise", "Lesson",
    # errors
    "AnswerError", "AuthError", "CommandTimeout", "ConfigError", "ConnectError", "ExerciseError",
    "Failure", "HostURLError", "LabkitError", "ProbeError", "RosterError", "SandboxError",
    "ScriptFailed", "SpecError", "UsageError",
}


def test_all_is_exactly_the_public_names() -> None:
    assert labkit.__all__ == sorted(labkit.__all__), "keep __all__ sorted"
    assert set(labkit._EXPORTS) == set(labkit.__all__), "every export says where it lives"
    assert set(labkit.__all__) == PUBLIC, (sorted(set(labkit.__all__) - PUBLIC),
                                           sorted(PUBLIC - set(labkit.__all__)))


ROOT = Path(__file__).resolve().parents[1]
#: ``from labkit… import A, B`` in a notebook's source.
_IMPORT = re.compile(r"from (labkit[\w.]*) import ([\w, ]+)")


def test_notebooks_import_public_names() -> None:
    """What the lesson and exercise notebooks import from labkit is public: ``labkit``'s own
    names (the same objects as ``labkit.<name>``), or the message catalog's ``labkit.i18n``
    API; the widgets are ``labkit.widgets``' own API and not checked here."""
    from labkit import i18n

    sources = [*ROOT.glob("notebooks/src/*.yaml"), *ROOT.glob("exercises/*/notebook.yaml")]
    imported: set[tuple[str, str]] = set()
    for source in sources:
        for module, names in _IMPORT.findall(source.read_text(encoding="utf-8")):
            if module.split(".")[:2] != ["labkit", "widgets"]:
                imported.update((module, n.strip()) for n in names.split(",") if n.strip())
    assert {name for _, name in imported} >= {"Lesson", "Exercise", "autograde_points"}
    for module, name in sorted(imported):
        if module == "labkit.i18n":
            assert name in i18n.__all__, f"{module}.{name} is imported by a notebook"
            continue
        assert name in labkit.__all__, f"{module}.{name} is imported by a notebook"
        assert getattr(importlib.import_module(module), name) is getattr(labkit, name)


def test_every_public_name_is_documented() -> None:
    for name in labkit.__all__:
        assert f"``{name}``" in (labkit.__doc__ or ""), f"{name} is not in labkit's docstring"


def test_nothing_else_public_at_the_top() -> None:
    """As httpx checks: once every export is loaded, the package's public attributes are the
    exports and its sub-packages, nothing else."""
    for name in labkit.__all__:
        getattr(labkit, name)
    extra = {n for n, v in vars(labkit).items()
             if not n.startswith("_") and not inspect.ismodule(v)} - set(labkit.__all__)
    assert extra == set()


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_every_exported_name_is_its_modules_own(name: str) -> None:
    value = getattr(labkit, name)
    home = importlib.import_module(value.__module__)
    assert getattr(home, value.__name__) is value
    assert not name.startswith("_")


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="nosuch"):
        labkit.nosuch  # noqa: B018
    assert not hasattr(labkit, "nosuch")


def test_star_import() -> None:
    namespace: dict[str, object] = {}
    exec("from labkit import *", namespace)
    assert set(labkit.__all__) <= set(namespace)


def test_import_labkit_is_cheap() -> None:
    """``import labkit`` loads none of the heavy dependencies, and no layer of labkit (only
    ``labkit.lazy``, which imports its names on first use)."""
    code = ("import sys, json, labkit; "
            "print(json.dumps(sorted(m for m in sys.modules "
            "if m.split('.')[0] in ('pydantic', 'paramiko', 'ipywidgets', 'nbgrader', "
            "'ruamel', 'rich', 'jinja2') or (m.startswith('labkit.') and m != 'labkit.lazy'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60)
    assert json.loads(out.stdout) == []


def test_every_error_is_exported_and_in_the_tree() -> None:
    classes = {n for n, c in vars(errors).items()
               if inspect.isclass(c) and issubclass(c, errors.LabkitError)}
    assert classes <= set(labkit.__all__), sorted(classes - set(labkit.__all__))
    for name in classes:
        assert name in (errors.__doc__ or ""), f"{name} is missing from the tree in errors.py"


@pytest.mark.parametrize(("error", "builtin"), [
    (errors.HostURLError, ValueError), (errors.ConnectError, ConnectionError),
    (errors.CommandTimeout, TimeoutError), (errors.ProbeError, ValueError),
    (errors.SpecError, ValueError),
])
def test_errors_are_also_builtins(error: type[Exception], builtin: type[Exception]) -> None:
    assert issubclass(error, errors.LabkitError) and issubclass(error, builtin)
