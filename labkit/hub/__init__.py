"""JupyterHub for a class: each student's server finds their own lab with nothing to set.

``labkit.hub.config.configure(c, roster=…)`` (what the generated ``jupyterhub_config.py``
calls) installs :func:`pre_spawn_hook`: before a student's server starts, it reads the class
allocation (``labkit class up`` wrote it; a spawn never boots a VM) and gives the server:

- ``LABKIT_STUDENT``: the student's id (the hub user name);
- ``LABKIT_HOST``: the URL of the student's first lab host, and ``LABKIT_ROSTER``: a one-line
  roster with all of the student's hosts by role (what lessons, "Check my work" and the
  nbgrader bridge's hidden test cells read);
- in ``~/.labkit/`` (owned by the student, mode 0600): the student's own SSH key to their lab
  VMs and the known host keys. The jump to the hypervisor uses that same key, which the
  hypervisor accepts only to forward to that student's own VMs' SSH ports (see
  ``Classroom.authorize_jumps``); the teacher's hypervisor key never reaches a student.
"""

from __future__ import annotations

import csv
import io
import os
import pwd
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import quote

from labkit.errors import ConfigError, SandboxError
from labkit.settings import current

__all__ = ["pre_spawn_hook", "student_environment", "student_urls"]

STUDENT_DIR = ".labkit"


def student_urls(allocation: dict[str, Any], student: str, key: Path,
                 known_hosts: Path) -> dict[str, str]:
    """role -> URL of ``student``'s lab hosts as the student reaches them: with their own key,
    through their hypervisor with that key too."""
    entry = allocation["students"].get(student)
    if entry is None:
        raise SandboxError(f"{student} has no lab in this class (not in the roster, or the class "
                          "was brought up before they were added: run `labkit class up` again)")
    via = ""
    jump = entry.get("jump")
    if jump:
        base = jump.split("?", 1)[0]
        via = "&via=" + quote(f"{base}?key={quote(str(key), safe='/')}"
                              f"&known_hosts={quote(str(known_hosts), safe='/')}", safe="")
    urls = {}
    for host, role in entry["roles"].items():
        port = entry["ports"][host]
        urls[role] = (f"ssh://root@127.0.0.1:{port}?key={quote(str(key), safe='/')}"
                      f"&known_hosts={quote(str(known_hosts), safe='/')}{via}")
    return urls


def student_environment(roster: str | Path, student: str, home: Path,
                        uid: int | None = None, gid: int | None = None) -> dict[str, str]:
    """Write the student's key, known hosts and one-line roster under ``home/.labkit`` (owned
    by ``uid``:``gid``) and return the environment their server needs."""
    from labkit.sandbox.libvirt_class import Classroom

    room = Classroom(roster)
    allocation = room.allocation()
    if allocation is None:
        raise SandboxError(f"the class of {roster} is not up: run `labkit class up` first")
    entry = allocation["students"].get(student)
    if entry is None:
        raise SandboxError(f"{student} has no lab in the class of {roster}")
    folder = home / STUDENT_DIR
    folder.mkdir(mode=0o700, exist_ok=True)
    key, known = folder / "lab_key", folder / "known_hosts"
    shutil.copyfile(entry["key"], key)
    known_text = room.known_hosts.read_text()
    hv_hosts = room.dir / "hypervisors_known_hosts"
    if hv_hosts.exists():
        known_text += hv_hosts.read_text()
    known.write_text(known_text)
    urls = student_urls(allocation, student, key, known)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["student_id", *urls])
    writer.writerow([student, *urls.values()])
    roster_file = folder / "roster.csv"
    roster_file.write_text(out.getvalue())
    for path in (folder, key, known, roster_file):
        os.chmod(path, 0o700 if path.is_dir() else 0o600)
        if uid is not None:
            os.chown(path, uid, gid if gid is not None else -1)
    return {"LABKIT_STUDENT": student, "LABKIT_HOST": next(iter(urls.values())),
            "LABKIT_ROSTER": str(roster_file)}


def pre_spawn_hook(spawner: Any) -> None:
    """JupyterHub's ``Spawner.pre_spawn_hook``: the student's lab into their server's
    environment. The roster comes from ``c.Spawner.environment['LABKIT_CLASS_ROSTER']`` or
    ``$LABKIT_CLASS_ROSTER`` of the hub."""
    roster = spawner.environment.get("LABKIT_CLASS_ROSTER") or \
        str(current().class_roster or "")
    if not roster:
        raise ConfigError("the hub does not know the class: set LABKIT_CLASS_ROSTER")
    name = spawner.user.name
    user = pwd.getpwnam(name)
    env = student_environment(roster, name, Path(user.pw_dir), user.pw_uid, user.pw_gid)
    spawner.environment.update(env)
