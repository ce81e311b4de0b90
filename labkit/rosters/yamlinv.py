"""Ansible YAML inventories (and ``ansible-inventory --list`` JSON), read with ruamel.yaml.

::

    all:
      vars: {ansible_user: root, ansible_ssh_private_key_file: keys/lab_ed25519}
      children:
        lab:
          hosts:
            alumno01: {ansible_host: 10.0.1.101}
            alumno02: {ansible_host: 10.0.1.102, student_name: "Ana Abad"}
            pc[03:04]:                        # ranges expand as in Ansible
        servers:
          hosts:
            ana-srv: {ansible_host: 10.0.2.1, student: alumno02, labkit_role: server}

The top level maps group names to groups; a group has ``hosts`` (name -> variables or
nothing), ``vars`` and ``children`` (name -> group or nothing); any other key is an error
(Ansible only warns, but it is nearly always a typo such as ``host:``). The same group may
appear in several places; its parts are merged. A document with ``_meta.hostvars`` is read as
the JSON that ``ansible-inventory --list`` (or an inventory script) prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from labkit.errors import RosterError
from labkit.rosters.inventory import Inventory, expand_hosts, split_port
from labkit.rosters.varfile import Var, load_yaml, plain, yaml_line

_GROUP_KEYS = ("hosts", "vars", "children")


def read_yaml(path: Path, text: str) -> Inventory:
    """Parse the YAML (or JSON) inventory ``text`` (from ``path``)."""
    data = load_yaml(path, text)
    if not isinstance(data, dict):
        raise RosterError(f"{path}:1: an inventory must be a mapping of group names "
                          "(e.g. 'all:')")
    inventory = Inventory(path)
    if "_meta" in data:
        _read_list_json(inventory, data, path)
        return inventory
    for name, body in data.items():
        _group(inventory, str(name), body, path, yaml_line(data, name, 1))
    return inventory


def _group(inventory: Inventory, name: str, body: Any, path: Path, line: int) -> None:
    where = f"{path}:{line}"
    inventory.add_group(name, where)
    if body is None:
        return
    if not isinstance(body, dict):
        raise RosterError(f"{where}: group {name!r} must be a mapping with hosts, vars or "
                          f"children, not {type(body).__name__}")
    for key in body:
        if key not in _GROUP_KEYS:
            raise RosterError(f"{path}:{yaml_line(body, key, line)}: unexpected key {key!r} in "
                              f"group {name!r} (expected {', '.join(_GROUP_KEYS)})")
    hosts = body.get("hosts")
    if hosts is not None:
        if not isinstance(hosts, dict):
            raise RosterError(f"{path}:{yaml_line(body, 'hosts', line)}: hosts of group {name!r} "
                              "must be a mapping (NAME: variables), not a list")
        for pattern, variables in hosts.items():
            hline = yaml_line(hosts, pattern, line)
            hwhere = f"{path}:{hline}"
            if variables is not None and not isinstance(variables, dict):
                raise RosterError(f"{hwhere}: variables of host {pattern!r} must be a mapping")
            host, port = split_port(str(pattern), hwhere)
            for hostname in expand_hosts(host, hwhere):
                inventory.add_host(hostname, name, hwhere, None, port)
                for key, value in (variables or {}).items():
                    inventory.hosts[hostname].vars[str(key)] = Var(
                        plain(value), f"{path}:{yaml_line(variables, key, hline)}")
    variables = body.get("vars")
    if variables is not None:
        if not isinstance(variables, dict):
            raise RosterError(f"{path}:{yaml_line(body, 'vars', line)}: vars of group {name!r} "
                              "must be a mapping")
        for key, value in variables.items():
            inventory.set_group_var(name, str(key), plain(value),
                                    f"{path}:{yaml_line(variables, key, line)}")
    children = body.get("children")
    if children is not None:
        if not isinstance(children, dict):
            raise RosterError(f"{path}:{yaml_line(body, 'children', line)}: children of group "
                              f"{name!r} must be a mapping of group names")
        for child, child_body in children.items():
            cline = yaml_line(children, child, line)
            _group(inventory, str(child), child_body, path, cline)
            inventory.add_child(name, str(child), f"{path}:{cline}")


def _read_list_json(inventory: Inventory, data: dict[str, Any], path: Path) -> None:
    """``ansible-inventory --list``: groups with host lists, ``_meta.hostvars``."""
    meta = data.get("_meta") or {}
    hostvars = meta.get("hostvars") or {} if isinstance(meta, dict) else {}
    for name, body in data.items():
        if name == "_meta":
            continue
        where = f"{path}:{yaml_line(data, name, 1)}"
        inventory.add_group(str(name), where)
        if isinstance(body, list):  # the oldest script format: a list of hosts
            body = {"hosts": body}
        if not isinstance(body, dict):
            raise RosterError(f"{where}: group {name!r} must be a mapping")
        for host in body.get("hosts") or []:
            inventory.add_host(str(host), str(name), where)
        for key, value in (body.get("vars") or {}).items():
            inventory.set_group_var(str(name), str(key), plain(value), where)
        for child in body.get("children") or []:
            inventory.add_child(str(name), str(child), where)
    for host, variables in hostvars.items():
        where = f"{path}:{yaml_line(hostvars, host, 1)}"
        if str(host) not in inventory.hosts:
            inventory.add_host(str(host), "ungrouped", where)
        for key, value in (variables or {}).items():
            inventory.hosts[str(host)].vars[str(key)] = Var(plain(value), where)
