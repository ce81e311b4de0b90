"""Ansible INI inventories, parsed as ``ansible.plugins.inventory.ini`` parses them.

::

    # class of 2025
    [lab]
    alumno[01:03] ansible_host=10.0.1.1[01:03]   # (ranges expand in the NAME only)
    pepe ansible_host=10.0.1.20 ansible_port=2222 student=p.perez student_name="Pepe Pérez"

    [lab:vars]
    ansible_user=root
    ansible_ssh_private_key_file=keys/lab_ed25519

    [class:children]
    lab

What is followed from Ansible: the file starts as ``[ungrouped]``; ``#`` and ``;`` start
comment lines; a section is ``[NAME]``, ``[NAME:vars]`` or ``[NAME:children]`` (a trailing
``# comment`` is allowed); a host line is a host pattern (``name``, ``name:port``,
``[ipv6]:port``, ranges ``[01:20]``, ``[a:f]``, ``[0:20:5]``) then ``key=value`` pairs split
as a shell would (quotes; ``#`` starts a comment); a value is a Python literal if it reads
as one (``2222`` -> 2222, ``"{'a': 1}"`` -> a dict), else text; a ``:vars`` line is
``key = value`` (all of it after the ``=``); a ``:vars`` section for a group that is never
declared, or a ``:children`` entry never declared as a group, is an error.
"""

from __future__ import annotations

import ast
import re
import shlex
import warnings
from pathlib import Path
from typing import Any

from labkit.errors import RosterError
from labkit.rosters.inventory import Inventory, expand_hosts, split_port

_SECTION = re.compile(r"^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$")
_CHILD = re.compile(r"^([^:\]\s]+)\s*(?:#.*)?$")


def parse_value(text: str) -> Any:
    """An INI value: a Python literal if it is one, else the text."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)
            value = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return text
    if isinstance(value, bytes | complex) or value is ...:
        return text
    if isinstance(value, tuple | set):
        return list(value)
    return value


def read_ini(path: Path, text: str) -> Inventory:
    """Parse the INI inventory ``text`` (from ``path``)."""
    inventory = Inventory(path)
    group, state = "ungrouped", "hosts"
    declared = {"all", "ungrouped"}
    pending_vars: dict[str, str] = {}         # group -> where its [g:vars] was
    pending_children: dict[str, str] = {}     # group -> where it was named as a child
    for number, raw in enumerate(text.splitlines(), start=1):
        where = f"{path}:{number}"
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        m = _SECTION.match(line)
        if m:
            group, state = m.group(1), m.group(2) or "hosts"
            if state not in ("hosts", "children", "vars"):
                raise RosterError(f"{where}: section [{group}:{state}] has an unknown type "
                                  f"{state!r} (hosts, vars or children)")
            inventory.add_group(group, where)
            if state == "vars":
                if group not in declared:
                    pending_vars.setdefault(group, where)
            else:
                declared.add(group)
            continue
        if line.startswith("[") and line.endswith("]"):
            raise RosterError(f"{where}: invalid section {line!r} (no spaces inside the "
                              "brackets; [NAME], [NAME:vars] or [NAME:children])")
        if state == "hosts":
            _host_line(inventory, group, line, where)
        elif state == "vars":
            key, sep, value = line.partition("=")
            if not sep or not key.strip():
                raise RosterError(f"{where}: expected key=value in [{group}:vars], "
                                  f"found {line!r}")
            inventory.set_group_var(group, key.strip(), parse_value(value.strip()), where)
        else:
            cm = _CHILD.match(line)
            if not cm:
                raise RosterError(f"{where}: expected a group name in [{group}:children], "
                                  f"found {line!r}")
            child = cm.group(1)
            if child not in declared:
                pending_children.setdefault(child, where)
            inventory.add_child(group, child, where)
    for name, where in pending_vars.items():
        if name not in declared:
            raise RosterError(f"{where}: section [{name}:vars] is for a group that is "
                              "never declared")
    for name, where in pending_children.items():
        if name not in declared:
            raise RosterError(f"{where}: group {name!r} is named as a child but never "
                              f"declared (add a [{name}] section)")
    return inventory


def _host_line(inventory: Inventory, group: str, line: str, where: str) -> None:
    try:
        tokens = shlex.split(line, comments=True)
    except ValueError as exc:
        raise RosterError(f"{where}: cannot read the host line {line!r}: {exc}") from None
    if not tokens:
        return
    pattern = tokens[0]
    if pattern == "---" or (pattern.endswith(":") and not pattern.startswith("[")):
        raise RosterError(f"{where}: invalid host pattern {pattern!r}"
                          + (" (is this a YAML inventory?)" if pattern == "---" else ""))
    host, port = split_port(pattern, where)
    variables: dict[str, Any] = {}
    for token in tokens[1:]:
        key, sep, value = token.partition("=")
        if not sep or not key:
            raise RosterError(f"{where}: expected key=value after the host name, "
                              f"found {token!r}")
        variables[key] = parse_value(value)
    for name in expand_hosts(host, where):
        inventory.add_host(name, group, where, variables, port)
