"""labkit's JupyterHub configuration, and the ``jupyterhub_config.py`` that loads it.

``labkit.hub.config.write_config(path, roster=…)`` writes a ``jupyterhub_config.py`` that
calls :func:`configure`; a school's own config may call :func:`configure` itself and then
change what it likes (another authenticator, a spawner with limits…).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

TEMPLATE = '''# JupyterHub for a labkit class (written by labkit.hub.config.write_config).
from labkit.hub.config import configure

configure(c, roster={roster!r}, port={port}, dummy_password={password!r},
          singleuser={singleuser!r}, users={users!r}, state_dir={state_dir!r},
          evidence_key_file={key!r}, grader_port={grader_port!r})
'''


def configure(c: Any, *, roster: str, port: int = 8000, dummy_password: str | None = None,
              singleuser: str | None = None, users: list[str] | None = None,
              state_dir: str | None = None, evidence_key_file: str | None = None,
              grader_port: int | None = None) -> None:
    """Set up the hub on ``c`` (JupyterHub's config object).

    - one local Unix account per student (``LocalProcessSpawner``); a student's server gets
      their lab through :func:`labkit.hub.pre_spawn_hook` (never a VM boot);
    - ``dummy_password``: the dummy authenticator with that shared password (tests, a
      classroom demo); otherwise JupyterHub's default (PAM);
    - ``singleuser``: the ``jupyterhub-singleuser`` to run (a Python every student can read);
    - ``users``: who may log in (the roster's ids);
    - ``evidence_key_file``: run the grading service (:mod:`labkit.hub.service`) as the hub's
      user with that key, on ``grader_port`` (default 8001): students' "Check my work" asks it
      (``LABKIT_GRADER_URL`` in their servers), their kernels never hold the key.
    """
    import sys

    from labkit.hub import pre_spawn_hook
    from labkit.settings import environment

    c.JupyterHub.ip = "127.0.0.1"
    c.JupyterHub.port = port
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
    c.Spawner.pre_spawn_hook = pre_spawn_hook
    c.Spawner.environment = {"LABKIT_CLASS_ROSTER": str(Path(roster).resolve())}
    c.Spawner.default_url = "/lab"
    c.Spawner.http_timeout = 120
    c.Spawner.start_timeout = 120
    if singleuser:
        c.Spawner.cmd = [singleuser]
    if dummy_password is not None:
        c.JupyterHub.authenticator_class = "dummy"
        c.DummyAuthenticator.password = dummy_password
    if users:
        c.Authenticator.allowed_users = set(users)
    if evidence_key_file:
        grader = grader_port or 8001
        c.JupyterHub.services = [*list(c.JupyterHub.get("services", [])), {
            "name": "labkit-grader", "url": f"http://127.0.0.1:{grader}",
            "command": [sys.executable, "-m", "labkit.hub.service"],
            "environment": {
                "LABKIT_CLASS_ROSTER": str(Path(roster).resolve()),
                "LABKIT_EVIDENCE_KEY_FILE": str(evidence_key_file),
                **environment("home", "course_salt", "course_dir"),  # the secret: here only
            },
        }]
        c.Spawner.environment["LABKIT_GRADER_URL"] = \
            f"http://127.0.0.1:{port}/services/labkit-grader/check"
    if state_dir:
        c.JupyterHub.db_url = f"sqlite:///{state_dir}/jupyterhub.sqlite"
        c.JupyterHub.cookie_secret_file = f"{state_dir}/jupyterhub_cookie_secret"
        c.ConfigurableHTTPProxy.pid_file = f"{state_dir}/jupyterhub-proxy.pid"


def write_config(path: str | Path, *, roster: str | Path, port: int = 8000,
                 dummy_password: str | None = None, singleuser: str | None = None,
                 users: list[str] | None = None, state_dir: str | None = None,
                 evidence_key_file: str | None = None, grader_port: int | None = None) -> Path:
    """Write a ``jupyterhub_config.py`` for the class of ``roster``."""
    target = Path(path)
    target.write_text(TEMPLATE.format(
        roster=str(Path(roster).resolve()), port=port, password=dummy_password,
        singleuser=singleuser, users=users, state_dir=state_dir, key=evidence_key_file,
        grader_port=grader_port))
    return target
