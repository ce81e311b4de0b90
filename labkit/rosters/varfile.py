"""Ansible variable files (``group_vars/``, ``host_vars/``) and the YAML reading every
inventory format shares: a variable keeps where it was set (``file:line``) for messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from labkit.errors import RosterError


class Unsupported:
    """A value labkit cannot use (e.g. ``!vault``): an error only where it is needed."""

    def __init__(self, tag: str) -> None:
        self.tag = tag

    def __repr__(self) -> str:
        return f"<{self.tag}>"


@dataclass
class Var:
    value: Any
    where: str


def load_yaml(path: Path, text: str) -> Any:
    """``text`` (read from ``path``) as round-trip YAML; RosterError naming the line."""
    try:
        return YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise RosterError(f"{path}:{line}: not valid YAML: {exc.problem}") from None
    except YAMLError as exc:
        raise RosterError(f"{path}: not valid YAML: {exc}") from None


def yaml_line(node: Any, key: Any, default: int) -> int:
    lc = getattr(node, "lc", None)
    try:
        return int(lc.key(key)[0]) + 1 if lc is not None else default
    except (KeyError, TypeError, AttributeError):
        return default


def plain(value: Any) -> Any:
    """ruamel's round-trip containers and scalars as plain Python values."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    tag = getattr(getattr(value, "tag", None), "value", None) or type(value).__name__
    return Unsupported(str(tag))


def load_vars_file(path: Path) -> dict[str, Var]:
    """A ``group_vars``/``host_vars`` file: a mapping of variables."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RosterError(f"{path}: cannot read: {exc}") from None
    if text.startswith("$ANSIBLE_VAULT"):
        raise RosterError(f"{path}: encrypted with Ansible Vault; labkit cannot read it")
    data = load_yaml(path, text)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise RosterError(f"{path}:1: expected a mapping of variables")
    return {str(k): Var(plain(v), f"{path}:{yaml_line(data, k, 1)}") for k, v in data.items()}
