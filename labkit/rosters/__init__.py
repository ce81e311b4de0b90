"""Rosters: the students of a class and their lab hosts, from the files teachers already have.

``load(path)`` reads any of:

- a CSV roster (``labkit.rosters.csvfile``): ``student_id,name,email,host,param:NAME…``;
- an Ansible inventory, INI (``labkit.rosters.ini``) or YAML/JSON (``labkit.rosters.yamlinv``),
  read without Ansible; hosts become students as ``labkit.rosters.inventory`` explains.

The format is chosen by the extension (``.csv``/``.tsv``; ``.yml``/``.yaml``/``.json``;
``.ini``) or, for other names such as ``hosts``, by the content. Every error is a
``RosterError`` naming ``file:line``. The result is a ``Roster``: a sequence of ``Student``
(``id``, ``name``, ``email``, ``hosts`` {role: URL}, ``params``, ``lang``, ``source``).
"""

from __future__ import annotations

import re
from pathlib import Path

from labkit.errors import RosterError
from labkit.rosters.model import Roster, Student

__all__ = ["Roster", "RosterError", "Student", "detect_format", "load"]

FORMATS = ("csv", "ini", "yaml")
_YAML_START = re.compile(r"^(---|\{|[^\s\[#;,=][^\s,=]*:\s*(#.*)?$)")
_ID_HEADER = re.compile(r"^\W?(student_id|id|student|username|idnumber|user|user_id)\W*[,;\t]",
                        re.IGNORECASE)


def detect_format(path: Path, text: str) -> str:
    """``csv``, ``ini`` or ``yaml``: by extension, else by the first meaningful line."""
    ext = path.suffix.lower()
    if ext in (".csv", ".tsv"):
        return "csv"
    if ext in (".yml", ".yaml", ".json"):
        return "yaml"
    if ext == ".ini":
        return "ini"
    first = next((ln.strip() for ln in text.splitlines()
                  if ln.strip() and ln.strip()[0] not in "#;"), "")
    if first.startswith("["):
        return "ini"
    if _ID_HEADER.match(first.lstrip("\ufeff")):
        return "csv"
    if _YAML_START.match(first):
        return "yaml"
    return "ini"  # a bare list of host names is an INI inventory too


def load(path: str | Path, *, group: str | None = None, format: str | None = None) -> Roster:
    """The roster in ``path`` (CSV, or Ansible INI/YAML inventory).

    ``group``: for inventories, only the hosts in that group (and its children).
    ``format``: ``csv``, ``ini`` or ``yaml`` instead of guessing.
    """
    path = Path(path)
    if path.is_dir():
        raise RosterError(f"{path}: is a folder; give the inventory or roster file itself")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise RosterError(f"{path}: cannot read the roster: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise RosterError(f"{path}: cannot read the roster: not UTF-8 text") from None
    if text.startswith("$ANSIBLE_VAULT"):
        raise RosterError(f"{path}:1: encrypted with Ansible Vault; labkit cannot read it")
    kind = format or detect_format(path, text)
    if kind == "csv":
        if group is not None:
            raise RosterError(f"{path}: --group is for Ansible inventories, not CSV rosters")
        from labkit.rosters.csvfile import read_csv

        return read_csv(path, text)
    from labkit.rosters.inventory import to_roster

    if kind == "ini":
        from labkit.rosters.ini import read_ini

        return to_roster(read_ini(path, text), group)
    if kind == "yaml":
        from labkit.rosters.yamlinv import read_yaml

        return to_roster(read_yaml(path, text), group)
    raise RosterError(f"unknown roster format {kind!r} (known: {', '.join(FORMATS)})")
