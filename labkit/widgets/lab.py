"""How a notebook finds its lab host, its language and its work folders.

- ``LABKIT_HOST``: the lab host's URL (``ssh://…``, ``local://``, ``replay:///…json``).
  Without it, the running sandbox lab (``labkit.sandbox.lab_hosts``) is used; with neither,
  the notebook still opens and every widget says how to start a lab.
- ``LABKIT_LANG``: ``gl`` or ``en``, for widgets whose notebook does not choose a language.
- ``LABKIT_LAB_DIR``: the folder on the lab host that holds each exercise's work folder
  (default: the exercise's own ``workdir``, e.g. ``/root/lab/qemu-img``). The notebook tests
  point it at a fresh folder.
- ``LABKIT_RECORD``: a file to record every command's output to (a ``replay://`` recording,
  see ``labkit.widgets.replay``).

``Lab`` is what a lesson starts with::

    lab = Lab("gl")               # never raises: lab.problem says why there is no host
    sh = lab.shell("qemu-img-basics")
    sh("qemu-img create -f qcow2 systemdisk.qcow2 100M")
    lab.check("qemu-img-basics")  # the "Check my work" widget
"""

from __future__ import annotations

import importlib
import os
import posixpath
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from labkit import exercises
from labkit.errors import HostURLError, LabkitError
from labkit.host import Host
from labkit.i18n import DEFAULT_LANG, LANGS
from labkit.transports import parse_url
from labkit.widgets.html import FONT, esc, message
from labkit.widgets.replay import lesson_transport
from labkit.widgets.texts import t

if TYPE_CHECKING:
    from labkit.widgets.builder import QemuImgBuilder
    from labkit.widgets.chain import BackingChain
    from labkit.widgets.check import CheckMyWork
    from labkit.widgets.run import RunCommand

ENV_HOST = "LABKIT_HOST"
ENV_LANG = "LABKIT_LANG"
ENV_LAB_DIR = "LABKIT_LAB_DIR"
ENV_RECORD = "LABKIT_RECORD"


def language(preferred: str | None = None) -> str:
    """``preferred`` if given, else ``$LABKIT_LANG``, else Galician; unknown values fall back."""
    for candidate in (preferred, os.environ.get(ENV_LANG, "").strip().lower()):
        if candidate in LANGS:
            return candidate
    return DEFAULT_LANG


def find_host_url(lang: str = DEFAULT_LANG) -> str:
    """The lab host's URL, or LabkitError with a message telling the student what to do."""
    url = os.environ.get(ENV_HOST, "").strip()
    if url:
        try:
            parse_url(url)
        except HostURLError as exc:
            raise LabkitError(t("lab.bad_url", lang, reason=exc)) from None
        return url
    reason = t("lab.no_sandbox", lang)
    try:
        sandbox = importlib.import_module("labkit.sandbox")
        lab_hosts: Any = getattr(sandbox, "lab_hosts", None)
        if lab_hosts is not None:
            hosts = dict(lab_hosts(None))
            if hosts:
                chosen = hosts.get("host", next(iter(hosts.values())))
                return str(getattr(chosen, "url", chosen))
    except ImportError:
        pass
    except LabkitError as exc:
        reason = str(exc)
    raise LabkitError(t("lab.no_host", lang, reason=reason))


def exercise_workdir(exercise: str) -> str:
    """The work folder of ``exercise`` on the lab host (see ``LABKIT_LAB_DIR``)."""
    default = str(exercises.load(exercise).params.get("workdir", ""))
    root = os.environ.get(ENV_LAB_DIR, "").strip()
    if not default:
        return root or "."
    return posixpath.join(root, posixpath.basename(default.rstrip("/"))) if root else default


class Lab:
    """The lab host of one notebook, in one language. Creating it never raises."""

    def __init__(self, lang: str | None = None, url: str | None = None) -> None:
        self.lang = language(lang)
        self.url: str | None = None
        self.problem: str | None = None
        self._host: Host | None = None
        try:
            self.url = url or find_host_url(self.lang)
        except LabkitError as exc:
            self.problem = str(exc)

    # -- the host ---------------------------------------------------------------------------
    def host(self) -> Host:
        """The lab host (connects on first use); LabkitError if there is none."""
        if self._host is None:
            if self.url is None:
                raise LabkitError(self.problem or t("lab.no_host", self.lang, reason="?"))
            transport = lesson_transport(self.url, os.environ.get(ENV_RECORD, "").strip())
            self._host = Host(transport or self.url)
        return self._host

    def close(self) -> None:
        if self._host is not None:
            self._host.close()
            self._host = None

    def workdir(self, exercise: str) -> str:
        return exercise_workdir(exercise)

    # -- running commands as text (what a lesson's step cells use) --------------------------
    def sh(self, command: str, *, cwd: str | None = None, timeout: float = 60.0) -> None:
        """Run ``command`` on the lab host (in ``cwd``, created if needed) and print what it
        printed; a problem is printed as a message, never raised."""
        from labkit.widgets.run import run_line, transcript

        print(transcript(command, run_line(self, command, cwd=cwd, timeout=timeout),
                         self.lang))

    def shell(self, exercise: str) -> Callable[..., None]:
        """``sh`` bound to the work folder of ``exercise``."""
        cwd = self.workdir(exercise)

        def sh(command: str, *, timeout: float = 60.0) -> None:
            self.sh(command, cwd=cwd, timeout=timeout)

        return sh

    def explain(self, command: str) -> None:
        """Print what is wrong with a qemu-img command as typed, and its corrected form."""
        from labkit.widgets.builder import explain

        print(explain(command, self.lang))

    # -- the widgets ------------------------------------------------------------------------
    def terminal(self, exercise: str | None = None, command: str = "") -> RunCommand:
        from labkit.widgets.run import RunCommand

        return RunCommand(self, command, cwd=self.workdir(exercise) if exercise else None)

    def builder(self, exercise: str | None = None, **form: Any) -> QemuImgBuilder:
        from labkit.widgets.builder import QemuImgBuilder

        return QemuImgBuilder(self, cwd=self.workdir(exercise) if exercise else None, **form)

    def chain(self, path: str, exercise: str | None = None) -> BackingChain:
        from labkit.widgets.chain import BackingChain

        return BackingChain(self, path, cwd=self.workdir(exercise) if exercise else None)

    def check(self, exercise: str, *, now: bool = True) -> CheckMyWork:
        from labkit.widgets.check import CheckMyWork

        return CheckMyWork(self, exercise, now=now)

    # -- display ----------------------------------------------------------------------------
    def status(self) -> str:
        if self.url is None:
            return self.problem or ""
        return t("lab.host", self.lang, url=parse_url(self.url).display)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, str]:
        if self.url is None:
            body = message(self.status(), "failed")
        else:
            body = f'<div style="{FONT}">{esc(self.status())}</div>'
        return {"text/plain": self.status(), "text/html": body}
