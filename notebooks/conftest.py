"""nbval runs the lessons against a REAL lab host: ``pytest --nbval-lax notebooks/``.

Before the first notebook cell runs, this starts a throwaway OpenSSH server on 127.0.0.1
(``labkit.testing.sshd.LocalSSHHost``) and exports ``LABKIT_HOST`` (its URL) and
``LABKIT_LAB_DIR`` (a fresh folder made on that host, so every run starts from empty work
folders and never touches ``/root/lab``). nbval starts each notebook's kernel after that, and a
kernel inherits the pytest process's environment, so the notebooks' ``Lab()`` finds the host.
Everything is undone at the end of the session (the folder removed, sshd stopped by PID).

Already set ``LABKIT_HOST`` (and/or ``LABKIT_LAB_DIR``) to run the lessons elsewhere, e.g. on the
sandbox VM, or on a recording: ``LABKIT_HOST=replay:///abs/path/recording.json`` (made with
``python notebooks/build.py --execute --record FILE``; leave ``LABKIT_LAB_DIR`` as it was when
recording).

Why hooks and not only a fixture: nbval's cells are not pytest functions, so fixtures (even
autouse session ones) are never set up for them. The hook below starts the lab for them; the
``notebook_lab`` session fixture gives the same lab to ordinary tests in this folder.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterator

import pytest

from labkit.host import Host
from labkit.testing.sshd import LocalSSHHost

ENV = ("LABKIT_HOST", "LABKIT_LAB_DIR")


class NotebookLab:
    """The lab host of one pytest session, started on first use."""

    def __init__(self) -> None:
        self.sshd: LocalSSHHost | None = None
        self.url: str | None = None
        self.lab_dir: str | None = None
        self._made_dir = False
        self._saved: dict[str, str | None] = {}

    def start(self) -> NotebookLab:
        if self.url is not None:
            return self
        self._saved = {name: os.environ.get(name) for name in ENV}
        url = os.environ.get("LABKIT_HOST", "").strip()
        if not url:
            self.sshd = LocalSSHHost().start()
            url = self.sshd.url
        self.url = url
        os.environ["LABKIT_HOST"] = url
        lab_dir = os.environ.get("LABKIT_LAB_DIR", "").strip()
        if not lab_dir and not url.startswith("replay:"):
            with Host(url) as host:
                made = host.run("mktemp -d -t labkit-notebooks.XXXXXX", timeout=30)
            if not made.ok or not made.stdout.strip().startswith("/"):
                self.stop()
                raise RuntimeError(f"could not make a work folder on {url}: {made.tail(3)}")
            lab_dir, self._made_dir = made.stdout.strip(), True
        if lab_dir:
            self.lab_dir = lab_dir
            os.environ["LABKIT_LAB_DIR"] = lab_dir
        return self

    def stop(self) -> None:
        if self._made_dir and self.url and self.lab_dir:
            with Host(self.url) as host:
                host.run(f"rm -rf -- {shlex.quote(self.lab_dir)}", timeout=60)
            self._made_dir = False
        if self.sshd is not None:
            self.sshd.stop()
            self.sshd = None
        for name, value in self._saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._saved = {}
        self.url = self.lab_dir = None


LAB = NotebookLab()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Runs before nbval starts a notebook's kernel (in its collector's setup)."""
    LAB.start()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    LAB.stop()


@pytest.fixture(scope="session")
def notebook_lab() -> Iterator[NotebookLab]:
    """The same lab host, for ordinary test functions placed in notebooks/."""
    yield LAB.start()
