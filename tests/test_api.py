"""The public API: ``labkit.__all__`` names exactly what a notebook or script may import."""

from __future__ import annotations

import inspect

import pytest

import labkit
from labkit import errors

REQUIRED = {"Host", "Report", "grade", "open_transport", "LabkitError", "ConnectError",
            "CommandTimeout", "ProbeError", "SpecError"}


def test_all_is_a_list_of_unique_names() -> None:
    assert isinstance(labkit.__all__, list | tuple)
    assert len(set(labkit.__all__)) == len(labkit.__all__), "duplicates in __all__"
    assert all(isinstance(name, str) for name in labkit.__all__)


def test_required_names_are_exported() -> None:
    assert set(labkit.__all__) >= REQUIRED, sorted(REQUIRED - set(labkit.__all__))


@pytest.mark.parametrize("name", sorted(getattr(labkit, "__all__", ())))
def test_every_exported_name_exists(name: str) -> None:
    assert hasattr(labkit, name), f"labkit.__all__ names {name!r}, which labkit lacks"
    assert not name.startswith("_")


def test_star_import() -> None:
    namespace: dict[str, object] = {}
    exec("from labkit import *", namespace)
    assert set(labkit.__all__) <= set(namespace)


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
