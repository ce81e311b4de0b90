"""``Lesson``: a notebook's lab, its shell, its hosts and "Check my work" (``Exercise``, an
exercise notebook's, is built on it in :mod:`labkit.lessons.exercise`).

::

    from labkit.lessons import Lesson
    lesson = Lesson("03-lvm", "gl")      # shows the lab panel; starts / attaches / switches
    sh = lesson.sh
    sh("pvs")                            # on the lesson's main role (here: server)
    sh("lsblk", on="client")
    LvmMap(lesson.host("server"), lesson.lang)
    lesson.check("lvm-basics")           # "Check my work", graded on the live lab

Where the hosts come from (``mode``):

- ``live``: the sandbox lab of the lesson's topology (see :mod:`labkit.lessons.labs`);
- ``class``: in a JupyterHub class, the student's own lab hosts, by role, from the one-line
  roster the hub gives their server (``LABKIT_ROSTER``, see :mod:`labkit.hub`) when it has
  every host the lesson needs; nothing is started;
- ``local``: ``LABKIT_HOST`` names a host (``scripts/run-lab --local``: a local sshd) and the
  lesson can run there (qemu-img); a lesson that needs the sandbox is ``needs-lab`` instead:
  one line says so, and the panel's button starts the lab;
- ``preview``: ``LABKIT_PREVIEW`` is set: every command is answered from the lesson's
  recording (:mod:`labkit.lessons.recording`), every output says it is one, and "Check my
  work" awards nothing;
- ``given``: hosts passed in by the caller (tests).

Creating a Lesson never raises: a problem is shown in the panel (``problem``).
"""

from __future__ import annotations

import shlex
import threading
import time
from collections.abc import Mapping
from typing import Any

from labkit.errors import CommandTimeout, LabkitError, UsageError
from labkit.host import Host
from labkit.i18n import lang_or_default, text
from labkit.lessons import labs
from labkit.lessons.panel import LabPanel, PanelState
from labkit.lessons.table import LessonSpec, lab_host_for, lesson_spec, moved
from labkit.transports.base import CommandResult, Transport
from labkit.widgets.html import message

#: Seconds a lab takes to come up from its warm snapshot, for the progress bar's scale.
EXPECTED_UP = {"kvm": {"single": 4, "storage": 6, "network": 8},
               "tcg": {"single": 8, "storage": 12, "network": 15}}
#: Lessons that run on a plain local host (``scripts/run-lab --local``).
LOCAL_LESSONS = ("02-qemu-img",)


def _settings() -> Any:
    from labkit import settings

    return settings.current()


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


class _Base:
    """What Lesson and Exercise share: hosts by lab host name, a panel, sh, check."""

    spec: LessonSpec
    workdir: str
    main: str          # the lab host ``sh`` runs on by default

    def _setup(self, lang: str | None, *, keep_other: bool, hosts: Mapping[str, Host] | None,
               control: labs.LabControl | None, display: bool | None, title: str) -> None:
        self.lang = lang_or_default(lang)
        self.topology = self.spec.topology
        self.keep_other = keep_other
        self.control = control or labs.SandboxControl()
        self.hosts: dict[str, Host] = dict(hosts or {})
        self.mode = "given" if hosts else ""
        self.problem: str | None = None
        self.recording: dict[str, Any] | None = None
        self.attached: labs.Attached | None = None
        self.panel = LabPanel(self.lang, title, self.topology, self.spec.roles,
                              on_start=self.start)
        self._display = _in_kernel() if display is None else display
        if not hosts:
            self._choose()
        self._refresh_panel()

    # -- where the hosts come from ---------------------------------------------------------
    def _choose(self) -> None:
        settings = _settings()
        if getattr(settings, "preview", False):
            self._preview()
        elif class_hosts := self._class_hosts(settings):
            self.mode, self.hosts = "class", class_hosts
        elif settings.host:
            if self.spec.id in LOCAL_LESSONS:
                self.mode = "local"
                self.hosts = {self.main: Host(settings.host)}
            else:
                self.mode = "needs-lab"
                self.problem = text("lessons.needs_lab", self.lang, lab=self.topology,
                                    hosts=", ".join(self.spec.roles))
        else:
            self.start()

    def _class_hosts(self, settings: Any) -> dict[str, Host] | None:
        """The student's own lab hosts in a JupyterHub class, if they hold the lesson's."""
        import os

        if settings.roster is None or not os.environ.get("JUPYTERHUB_API_URL"):
            return None
        from labkit import rosters
        from labkit.settings import notebook_student

        student = notebook_student()
        try:
            roster = rosters.load(settings.roster)
        except (LabkitError, OSError):
            return None
        if not student or student not in roster.ids:
            return None
        urls = roster[student].hosts
        if not all(name in urls for name in self.spec.roles):
            return None
        return {name: Host(urls[name]) for name in self.spec.roles}

    def _preview(self) -> None:
        from labkit.lessons import recording

        self.mode = "preview"
        try:
            self.recording = recording.load_newest(self.spec.id, self.lang)
            self.hosts = recording.replay_hosts(self.recording)
        except LabkitError as exc:
            self.problem = str(exc)

    def start(self) -> None:
        """Bring up (or attach to) the lesson's sandbox lab, showing progress; also what the
        panel's button does."""
        accel = (_settings().accel or "tcg").lower()
        expected = EXPECTED_UP.get(accel, EXPECTED_UP["tcg"]).get(self.topology, 12)
        messages: list[str] = []
        result: dict[str, Any] = {}

        def work() -> None:
            try:
                result["attached"] = labs.ensure(self.topology, self.control,
                                                 keep_other=self.keep_other,
                                                 progress=messages.append)
            except Exception as exc:  # shown in the panel, never raised
                result["error"] = f"{type(exc).__name__}: {exc}" \
                    if not isinstance(exc, LabkitError) else str(exc)

        # Starting VMs takes seconds: the panel shows its progress bar meanwhile, in this cell's
        # output, and is replaced by one line when done (the cell's ``lesson`` shows the panel).
        handle = None
        if self._display and self.mode == "" \
                and labs.find(self.topology, self.control) is None:
            from IPython.display import display as show

            handle = show(self.panel.widget_bundle(), raw=True,  # type: ignore[no-untyped-call]
                          display_id=True)
        started = time.monotonic()
        worker = threading.Thread(target=work, daemon=True)
        worker.start()
        while worker.is_alive():
            worker.join(0.25)
            seconds = time.monotonic() - started
            self.panel.progress(seconds, expected, messages[-1] if messages else "")
        if "error" in result:
            self.mode, self.problem = "failed", text("lessons.start_failed", self.lang,
                                                     lab=self.topology, reason=result["error"])
            self._refresh_panel()
            return
        self.attached = result["attached"]
        self.attached.seconds = time.monotonic() - started
        self.mode, self.problem = "live", None
        self.hosts = {}
        self._open_hosts(self.attached.urls)
        self._refresh_panel()
        if handle is not None:
            line = self.panel.text().splitlines()[1]
            handle.update({"text/plain": line, "text/html": message(line, "passed")}, raw=True)

    def _open_hosts(self, urls: Mapping[str, str]) -> None:
        from labkit.lessons import recording

        recorder = None
        if recording.recording_target() is not None and self.attached is not None \
                and isinstance(self, Lesson):
            recorder = recording.LessonRecorder(self.spec.id, self.lang, self.topology,
                                                self.attached.accel)
        for role, url in urls.items():
            transport = self.control.transport(url)
            self.hosts[role] = Host(recorder.wrap(role, transport) if recorder else transport)
        connect = getattr(self.hosts[self.main].transport, "connect", None) \
            if self.main in self.hosts else None
        if connect is not None:
            # the SSH handshake (a second or two under TCG) runs while the panel is drawn and
            # the next cell comes; the first ``sh`` waits for it (and meets its error again)
            threading.Thread(target=_quietly, args=(connect,), daemon=True,
                             name="labkit-lesson-connect").start()

    def _refresh_panel(self) -> None:
        state = PanelState(mode=self.mode, problem=self.problem,
                           hosts=list(self.hosts) or list(self.spec.roles))
        if self.attached is not None:
            state.lab = self.attached.name
            state.accel = self.attached.accel
            state.started = self.attached.started
            state.stopped = list(self.attached.stopped)
            state.others = list(self.attached.others)
            state.seconds = self.attached.seconds
            state.addresses = {str(h["name"]): str(h.get("lab_ip", ""))
                               for h in self.attached.status.get("hosts", [])}
        if self.recording is not None:
            state.lab = str(self.recording.get("lab", ""))
            state.accel = str(self.recording.get("accel", ""))
            state.recorded = str(self.recording.get("recorded", ""))
        self.panel.show(state)

    # -- the hosts -----------------------------------------------------------------------------
    def _role(self, role: str | None) -> str:
        name = lab_host_for(self.topology, role) if role else self.main
        if name not in self.spec.roles and name not in self.hosts:
            raise UsageError(text("lessons.no_role", self.lang, role=role,
                                   roles=", ".join(self.spec.roles)))
        return name

    def host(self, role: str | None = None) -> Host:
        """The labkit Host of ``role`` (default: the main role), e.g. for a widget. Without a
        lab (it could not start, or ``--local`` for a lesson that needs the sandbox) it is a
        host that answers every command with the reason, so a widget shows it, never a
        traceback; an unknown role is a LabkitError."""
        name = self._role(role)
        if name not in self.hosts:
            reason = self.problem or text("lessons.no_host", self.lang, role=name)
            return Host(Unavailable(name, reason))
        return self.hosts[name]

    # -- commands --------------------------------------------------------------------------
    def run(self, command: str, on: str | None = None, *, timeout: float = 600.0,
            cwd: str | None = None) -> CommandResult | str:
        """Run ``command`` on role ``on`` in the work folder; the result, or a message saying
        why there is none (never raises)."""
        if not command.strip():
            return text("run.empty", self.lang)
        try:
            name = self._role(on)
        except LabkitError as exc:
            return str(exc)
        if name not in self.hosts:
            return self.problem or text("lessons.no_host", self.lang, role=name)
        host = self.hosts[name]
        folder = self.workdir if cwd is None else cwd
        line = command if not folder else \
            f"mkdir -p -- {shlex.quote(folder)} && cd -- {shlex.quote(folder)} && {command}"
        if self.mode == "preview":
            replay = host.transport
            if not getattr(replay, "recorded", lambda _c: True)(f"export LC_ALL=C; {line}"):
                return text("lessons.not_recorded", self.lang)
        try:
            return host.run(line, timeout=timeout)
        except CommandTimeout:
            return text("run.timed_out", self.lang, timeout=timeout)
        except LabkitError as exc:
            return text("run.failed", self.lang, reason=exc)
        except Exception as exc:  # a lesson shows a message, never a traceback
            return text("run.failed", self.lang, reason=f"{type(exc).__name__}: {exc}")

    def transcript(self, command: str, on: str | None = None, *, timeout: float = 600.0) -> str:
        """What ``sh`` prints: a label in preview mode, the prompt, the output, the exit code."""
        answer = self.run(command, on, timeout=timeout)
        role = self.main if on is None else lab_host_for(self.topology, on)
        prompt = "$ " if len(self.spec.roles) == 1 else f"{role}$ "
        lines = []
        if self.mode == "preview" and self.recording is not None:
            lines.append(self.recorded_label(role))
        lines.append(prompt + command)
        if isinstance(answer, str):
            lines.append(f"labkit: {answer}")
            return "\n".join(lines)
        for stream in (answer.stdout, answer.stderr):
            if stream.strip():
                lines.append(stream.rstrip("\n"))
        if answer.exit_code != 0:
            lines.append(f"[{text('run.exit', self.lang, code=answer.exit_code)}]")
        return "\n".join(lines)

    def recorded_label(self, role: str) -> str:
        data = self.recording or {}
        return text("lessons.recorded", self.lang, lab=data.get("lab", "?"), host=role,
                    when=str(data.get("recorded", "?")).replace("T", " ").rstrip("Z"))

    def sh(self, command: str, on: str | None = None, *, timeout: float = 600.0) -> None:
        """Run ``command`` on role ``on`` (default: the main role) and print what it
        printed (stdout, stderr; the exit code when it is not 0)."""
        print(self.transcript(command, on, timeout=timeout))

    # -- widgets on this lab's hosts -------------------------------------------------------------
    def _host_or_none(self, on: str | None) -> Host | None:
        try:
            return self.host(on)
        except LabkitError:
            return None

    def terminal(self, command: str = "", on: str | None = None) -> Any:
        """A command box with a Run button, on role ``on``, in the work folder."""
        from labkit.widgets.run import RunCommand

        return RunCommand(self._host_or_none(on), self.lang, command, cwd=self.workdir)

    def builder(self, on: str | None = None, **form: Any) -> Any:
        """The qemu-img command builder; its Run button runs in the work folder."""
        from labkit.widgets.builder import QemuImgBuilder

        return QemuImgBuilder(self._host_or_none(on), self.lang, cwd=self.workdir, **form)

    def chain(self, path: str, on: str | None = None) -> Any:
        """The backing chain of ``path`` (relative to the work folder), read now."""
        from labkit.widgets.chain import BackingChain

        return BackingChain(self._host_or_none(on), self.lang, path, cwd=self.workdir)

    def explain(self, command: str) -> None:
        """Print what is wrong with a qemu-img command as typed, and its corrected form."""
        from labkit.widgets.builder import explain

        print(explain(command, self.lang))

    # -- "Check my work" --------------------------------------------------------------------
    def _check(self, exercise: str, params: dict[str, str] | None = None) -> Any:
        from labkit.lessons.check import check_widget

        return check_widget(self, exercise, params)

    def close(self) -> None:
        for host in self.hosts.values():
            host.close()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        return self.panel.widget_bundle()


def _quietly(call: Any) -> None:
    """Call ``call``; an error is left to the first command (it connects again, says why)."""
    import contextlib

    with contextlib.suppress(Exception):
        call()


class Unavailable(Transport):
    """The transport of a host there is none of: every command fails with the reason."""

    def __init__(self, role: str, reason: str) -> None:
        self.url, self.reason = f"none://{role}", reason

    def run(self, command: str, *, timeout: float = 60.0,
            stdin: bytes | None = None) -> CommandResult:
        return CommandResult(command, 255, "", self.reason + "\n")


class Lesson(_Base):
    """A lesson notebook's lab (see the module docstring)."""

    def __init__(self, lesson_id: str, lang: str | None = None, *, keep_other: bool = False,
                 hosts: Mapping[str, Host] | None = None,
                 control: labs.LabControl | None = None, display: bool | None = None) -> None:
        self.spec = lesson_spec(lesson_id)
        self.name = self.spec.id
        self.main = self.spec.main
        self.workdir = moved(self.spec.workdir, self.spec.id)
        self._setup(lang, keep_other=keep_other, hosts=hosts, control=control,
                    display=display, title=text("lessons.title", lang_or_default(lang),
                                                lesson=self.spec.id))

    @property
    def practice(self) -> dict[str, str]:
        """The lesson's own names, files and devices (never its exercise's)."""
        return dict(self.spec.practice)

    def check(self, exercise: str) -> Any:
        """The "Check my work" widget for ``exercise``, graded on this lab's hosts."""
        return self._check(exercise)
