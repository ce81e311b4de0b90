"""Ansible inventories (INI or YAML) as rosters — read without Ansible.

Each inventory host is one lab host; variables decide whose and how to reach it:

- the student is the host's inventory name, unless a ``student`` variable says otherwise;
- ``labkit_role`` (default ``host``): the role of this host, for exercises with several;
- ``labkit_url``: the host URL, used as it is; otherwise the URL is built from
  ``ansible_host`` (or the inventory name), ``ansible_port`` (22), ``ansible_user`` (``root``,
  labkit's default, not the local user as in Ansible), ``ansible_ssh_private_key_file``
  (``key=``; relative to the inventory's folder), ``ansible_ssh_timeout`` (``timeout=``) and
  ``labkit_known_hosts`` (``known_hosts=``); ``ansible_connection: local`` gives ``local://``;
- ``student_name``, ``student_email``, ``labkit_lang``: as the CSV columns;
- ``labkit_params`` (a mapping) and ``labkit_param_NAME``: exercise parameters.

Variables merge as Ansible merges them: group variables from ``all`` down to the host's own
groups (deeper groups win; at the same depth, ``ansible_group_priority`` then the group
name), then ``group_vars/`` next to the inventory, then the host's own variables, then
``host_vars/``. ``{{ name }}`` in a value is replaced by that variable (or
``inventory_hostname``); any other Jinja expression is an error, since Ansible is not used.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from labkit.errors import RosterError
from labkit.rosters.model import Roster, RosterBuilder, check_url
from labkit.rosters.varfile import Unsupported, Var, load_vars_file

_JINJA_NAME = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_RANGE = re.compile(r"\[[^\]]*:[^\]]*\]")
_GROUP_NAME = re.compile(r"^[^\s:\[\]]+$")


@dataclass
class Group:
    name: str
    where: str
    vars: dict[str, Var] = field(default_factory=dict)
    children: list[str] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)


@dataclass
class InventoryHost:
    name: str
    where: str
    vars: dict[str, Var] = field(default_factory=dict)
    groups: list[str] = field(default_factory=list)


class Inventory:
    """Groups, hosts and their variables, as an Ansible inventory plugin would build them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.groups: dict[str, Group] = {}
        self.hosts: dict[str, InventoryHost] = {}
        self.add_group("all", f"{path}:1")
        self.add_group("ungrouped", f"{path}:1")

    def add_group(self, name: str, where: str) -> Group:
        if not _GROUP_NAME.match(name):
            raise RosterError(f"{where}: bad group name {name!r}")
        group = self.groups.get(name)
        if group is None:
            group = self.groups[name] = Group(name, where)
        return group

    def add_host(self, name: str, group: str, where: str,
                 variables: dict[str, Any] | None = None, port: int | None = None) -> None:
        host = self.hosts.get(name)
        if host is None:
            host = self.hosts[name] = InventoryHost(name, where)
        if group not in host.groups:
            host.groups.append(group)
            self.add_group(group, where).hosts.append(name)
        if port is not None:
            host.vars["ansible_port"] = Var(port, where)
        for key, value in (variables or {}).items():
            host.vars[key] = Var(value, where)

    def add_child(self, parent: str, child: str, where: str) -> None:
        self.add_group(parent, where)
        self.add_group(child, where)
        if child == parent or child in self._ancestors(parent):
            raise RosterError(f"{where}: adding group {child!r} as a child of {parent!r} "
                              "makes a loop")
        if child not in self.groups[parent].children:
            self.groups[parent].children.append(child)
            self.groups[child].parents.append(parent)

    def set_group_var(self, group: str, key: str, value: Any, where: str) -> None:
        self.add_group(group, where).vars[key] = Var(value, where)

    # -- resolution -------------------------------------------------------------------------
    def _ancestors(self, name: str) -> set[str]:
        out: set[str] = set()
        todo = list(self.groups[name].parents) if name in self.groups else []
        while todo:
            g = todo.pop()
            if g not in out:
                out.add(g)
                todo.extend(self.groups[g].parents)
        return out

    def _depth(self, name: str, memo: dict[str, int]) -> int:
        if name == "all":
            return 0
        if name not in memo:
            parents = self.groups[name].parents or ["all"]
            memo[name] = 1 + max(self._depth(p, memo) for p in parents)
        return memo[name]

    def host_groups(self, host: InventoryHost) -> list[str]:
        """Every group of ``host`` (its own and their ancestors), in Ansible's merge order."""
        names = {"all"}
        for g in host.groups:
            names.add(g)
            names |= self._ancestors(g)
        if set(host.groups) <= {"all", "ungrouped"}:
            names.add("ungrouped")
        memo: dict[str, int] = {}

        def order(name: str) -> tuple[int, int, str]:
            priority = self.groups[name].vars.get("ansible_group_priority")
            try:
                prio = int(priority.value) if priority else 1
            except (TypeError, ValueError):
                prio = 1
            return (self._depth(name, memo), prio, name)

        return sorted(names, key=order)

    def in_group(self, host: InventoryHost, group: str) -> bool:
        return group == "all" or group in self.host_groups(host)

    def host_vars(self, host: InventoryHost) -> dict[str, Var]:
        """The host's variables after merging, each with where it was set."""
        groups = self.host_groups(host)
        merged: dict[str, Var] = {}
        for g in groups:
            merged.update(self.groups[g].vars)
        base = self.path.parent
        for g in groups:
            merged.update(_vars_dir(base / "group_vars", g))
        merged.update(host.vars)
        merged.update(_vars_dir(base / "host_vars", host.name))
        return merged


def _vars_dir(folder: Path, name: str) -> dict[str, Var]:
    """Variables from ``group_vars/NAME(.yml|.yaml|.json)`` or ``group_vars/NAME/*``."""
    if not folder.is_dir():
        return {}
    files: list[Path] = []
    for candidate in (folder / name, *(folder / f"{name}{ext}"
                                       for ext in (".yml", ".yaml", ".json"))):
        if candidate.is_file():
            files.append(candidate)
        elif candidate.is_dir():
            files.extend(sorted(p for p in candidate.rglob("*") if p.is_file()
                                and p.suffix in ("", ".yml", ".yaml", ".json")))
    out: dict[str, Var] = {}
    for path in files:
        out.update(load_vars_file(path))
    return out


# -- host patterns ---------------------------------------------------------------------------
def split_port(pattern: str, where: str) -> tuple[str, int | None]:
    """``host:port`` / ``[ipv6]:port`` / ``host`` / bare IPv6 -> (host, port)."""
    m = re.match(r"^\[([0-9A-Fa-f:.]+)\](?::(\d+))?$", pattern)
    if m:
        return m.group(1), int(m.group(2)) if m.group(2) else None
    outside = _RANGE.sub("", pattern)
    if outside.count(":") == 1:
        host, _, port = pattern.rpartition(":")
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise RosterError(f"{where}: bad port in host pattern {pattern!r}")
        return host, int(port)
    return pattern, None


def expand_hosts(pattern: str, where: str) -> list[str]:
    """Expand Ansible host ranges: ``pc[01:03]`` -> pc01 pc02 pc03; ``x[a:c]``; ``[0:10:5]``."""
    m = _RANGE.search(pattern)
    if not m:
        return [pattern]
    head, body, tail = pattern[:m.start()], pattern[m.start() + 1:m.end() - 1], pattern[m.end():]
    bounds = body.split(":")
    if len(bounds) not in (2, 3):
        raise RosterError(f"{where}: host range must be [begin:end] or [begin:end:step], "
                          f"found [{body}]")
    beg, end = bounds[0] or "0", bounds[1]
    step_text = bounds[2] if len(bounds) == 3 else "1"
    if not end:
        raise RosterError(f"{where}: host range [{body}] has no end")
    try:
        step = int(step_text)
        if step <= 0:
            raise ValueError
    except ValueError:
        raise RosterError(f"{where}: bad step in host range [{body}]") from None
    items: list[str]
    if beg in string.ascii_letters and end in string.ascii_letters:
        i, j = string.ascii_letters.index(beg), string.ascii_letters.index(end)
        if i > j:
            raise RosterError(f"{where}: host range [{body}] must have begin <= end")
        items = list(string.ascii_letters[i:j + 1:step])
    else:
        try:
            lo, hi = int(beg), int(end)
        except ValueError:
            raise RosterError(f"{where}: bad host range [{body}]") from None
        if lo > hi:
            raise RosterError(f"{where}: host range [{body}] must have begin <= end")
        if beg.startswith("0") and len(beg) > 1:
            if len(beg) != len(end):
                raise RosterError(f"{where}: host range [{body}]: begin and end need the same "
                                  "number of digits")
            items = [str(n).zfill(len(beg)) for n in range(lo, hi + 1, step)]
        else:
            items = [str(n) for n in range(lo, hi + 1, step)]
    out: list[str] = []
    for item in items:
        out.extend(expand_hosts(head + item + tail, where))
    return out


# -- inventory -> roster ---------------------------------------------------------------------
def _render(value: Any, name: str, variables: dict[str, Var], where: str,
            depth: int = 0) -> Any:
    """Replace ``{{ var }}`` in strings; refuse any other Jinja."""
    if not isinstance(value, str) or ("{{" not in value and "{%" not in value):
        return value

    def sub(m: re.Match[str]) -> str:
        key = m.group(1)
        if key in ("inventory_hostname", "inventory_hostname_short"):
            return name if key == "inventory_hostname" else name.split(".")[0]
        if key not in variables or depth > 10:
            raise RosterError(f"{where}: {{{{ {key} }}}}: no such variable for host {name!r}")
        return str(_render(variables[key].value, name, variables, where, depth + 1))

    text = _JINJA_NAME.sub(sub, value)
    if "{{" in text or "{%" in text:
        raise RosterError(f"{where}: {value!r}: labkit reads inventories without Ansible and "
                          "only understands {{ variable }} here")
    return text


def _scalar(variables: dict[str, Var], name: str, host: str, *keys: str) -> tuple[str, str]:
    """The first of ``keys`` that is set, as text, with where it was set ('' if none)."""
    for key in keys:
        var = variables.get(key)
        if var is not None and var.value is not None and var.value != "":
            if isinstance(var.value, Unsupported):
                raise RosterError(f"{var.where}: {key} of host {host!r} is tagged "
                                  f"{var.value.tag} (e.g. Ansible Vault); labkit cannot read "
                                  "it without Ansible")
            value = _render(var.value, host, variables, var.where)
            if isinstance(value, dict | list):
                raise RosterError(f"{var.where}: {key} must be a single value for host {host!r}")
            if isinstance(value, bool):
                value = str(value).lower()
            return str(value), var.where
    return "", ""


def _url(host: InventoryHost, variables: dict[str, Var], base: Path) -> str:
    name = host.name
    explicit, where = _scalar(variables, "labkit_url", name, "labkit_url")
    if explicit:
        return check_url(explicit, base, where, f"labkit_url of host {name!r}")
    connection, cwhere = _scalar(variables, "", name, "ansible_connection")
    if connection == "local":
        return "local://"
    if connection not in ("", "ssh", "paramiko", "smart"):
        raise RosterError(f"{cwhere}: host {name!r}: ansible_connection={connection} is not "
                          "supported (labkit reaches hosts by ssh or local)")
    address, awhere = _scalar(variables, "", name, "ansible_host", "ansible_ssh_host")
    address = address or name
    port, pwhere = _scalar(variables, "", name, "ansible_port", "ansible_ssh_port")
    user, _ = _scalar(variables, "", name, "ansible_user", "ansible_ssh_user")
    key, _ = _scalar(variables, "", name, "ansible_ssh_private_key_file",
                     "ansible_private_key_file")
    timeout, _ = _scalar(variables, "", name, "ansible_ssh_timeout", "ansible_timeout")
    known, _ = _scalar(variables, "", name, "labkit_known_hosts")
    where = pwhere or awhere or host.where
    if ":" in address:
        address = f"[{address.strip('[]')}]"
    if port and not (port.isdigit() and 0 < int(port) < 65536):
        raise RosterError(f"{pwhere}: host {name!r}: bad ansible_port {port!r}")
    options = [(k, v) for k, v in (("key", key), ("known_hosts", known), ("timeout", timeout))
               if v]
    url = f"ssh://{quote(user or 'root', safe='')}@{address}:{port or 22}"
    if options:
        url += "?" + urlencode(options, safe="/~", quote_via=quote)
    return check_url(url, base, where, f"host {name!r}")


def _params(variables: dict[str, Var], host: str) -> dict[str, str]:
    params: dict[str, str] = {}
    block = variables.get("labkit_params")
    if block is not None and block.value is not None:
        if not isinstance(block.value, dict):
            raise RosterError(f"{block.where}: labkit_params must be a mapping "
                              f"(NAME: value) for host {host!r}")
        for key, value in block.value.items():
            params[str(key)] = str(_render(value, host, variables, block.where))
    for key, var in variables.items():
        if key.startswith("labkit_param_") and var.value is not None:
            params[key.removeprefix("labkit_param_")] = str(
                _render(var.value, host, variables, var.where))
    return params


def to_roster(inventory: Inventory, group: str | None = None) -> Roster:
    """One student per inventory host (or several hosts per student, by ``labkit_role``)."""
    if group is not None and group not in inventory.groups:
        raise RosterError(f"{inventory.path}: no group {group!r} in the inventory "
                          f"(groups: {', '.join(sorted(inventory.groups))})")
    builder = RosterBuilder(str(inventory.path))
    base = inventory.path.parent
    for host in inventory.hosts.values():
        if group is not None and not inventory.in_group(host, group):
            continue
        variables = inventory.host_vars(host)
        student, swhere = _scalar(variables, "student", host.name, "student")
        role, _ = _scalar(variables, "labkit_role", host.name, "labkit_role")
        url = _url(host, variables, base)
        name, _ = _scalar(variables, "", host.name, "student_name")
        email, _ = _scalar(variables, "", host.name, "student_email")
        lang, _ = _scalar(variables, "", host.name, "labkit_lang")
        builder.add(student or host.name, swhere or host.where,
                    hosts={role or "host": url}, name=name, email=email,
                    params=_params(variables, host.name), lang=lang or None, merge=True)
    return builder.build()
