"""Run a command on the lab host: a text box, a Run button, and what the command printed.

``run_line`` is the one place a lesson's commands reach the host (through ``Host.run``);
``transcript`` (text) and ``result_html`` (HTML) are pure renderings of its answer.
"""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING, Protocol

import ipywidgets as w

from labkit.errors import CommandTimeout, LabkitError
from labkit.i18n import text
from labkit.widgets.html import FONT, badge, esc, host_line, message, pre
from labkit.widgets.view import View

if TYPE_CHECKING:
    from labkit.host import Host

class Result(Protocol):
    """A command's result, as ``Host.run`` gives it."""

    @property
    def exit_code(self) -> int: ...
    @property
    def stdout(self) -> str: ...
    @property
    def stderr(self) -> str: ...
    @property
    def ok(self) -> bool: ...


#: What ``run_line`` gives back: the command's result, or a message saying why there is none.
Answer = Result | str


def run_line(host: Host | None, command: str, lang: str, *, cwd: str | None = None,
             timeout: float = 60.0) -> Answer:
    """Run the shell line ``command`` on ``host``, in ``cwd`` (created if missing)."""
    if not command.strip():
        return text("run.empty", lang)
    if host is None:
        return text("run.no_host", lang)
    line = command
    if cwd:
        line = f"mkdir -p -- {shlex.quote(cwd)} && cd -- {shlex.quote(cwd)} && {command}"
    try:
        result: Result = host.run(line, timeout=timeout)
        return result
    except CommandTimeout:
        return text("run.timed_out", lang, timeout=timeout)
    except LabkitError as exc:
        return text("run.failed", lang, reason=exc)
    except Exception as exc:  # a widget shows a message, never a traceback
        return text("run.failed", lang, reason=f"{type(exc).__name__}: {exc}")


def transcript(command: str, answer: Answer, lang: str) -> str:
    """What a terminal would show: the prompt, the output, a non-zero exit code."""
    lines = [f"$ {command}"]
    if isinstance(answer, str):
        lines.append(f"labkit: {answer}")
        return "\n".join(lines)
    for stream in (answer.stdout, answer.stderr):
        if stream.strip():
            lines.append(stream.rstrip("\n"))
    if answer.exit_code != 0:
        lines.append(f"[{text('run.exit', lang, code=answer.exit_code)}]")
    return "\n".join(lines)


def result_html(command: str, answer: Answer, lang: str) -> str:
    """The exit code, stdout and stderr of one command, every byte of them escaped."""
    head = f'<div style="{FONT} margin: 2px 0;"><code>$ {esc(command)}</code> '
    if isinstance(answer, str):
        return head + "</div>" + message(answer, "error")
    kind = "passed" if answer.ok else "failed"
    parts = [head + badge(text("run.exit", lang, code=answer.exit_code), kind) + "</div>"]
    if answer.stdout:
        parts.append(f'<div style="{FONT} opacity: 0.7;">{esc(text("run.stdout", lang))}</div>')
        parts.append(pre(answer.stdout.rstrip("\n")))
    if answer.stderr:
        parts.append(f'<div style="{FONT} opacity: 0.7;">{esc(text("run.stderr", lang))}</div>')
        parts.append(pre(answer.stderr.rstrip("\n"), kind="failed"))
    if not answer.stdout and not answer.stderr:
        parts.append(f'<div style="{FONT} opacity: 0.7;">{esc(text("run.no_output", lang))}</div>')
    return "".join(parts)


class RunCommand(View):
    """A command box with a Run button; the answer appears below it."""

    def __init__(self, host: Host | None, lang: str, command: str = "", *,
                 cwd: str | None = None, timeout: float = 60.0, run: bool = False) -> None:
        self.host, self.lang = host, lang
        self.cwd = cwd
        self.command = w.Text(value=command, placeholder=text("run.placeholder", lang),
                              layout=w.Layout(width="32em"))
        self.timeout = w.BoundedFloatText(value=timeout, min=1, max=3600, step=10,
                                          description=text("run.timeout_label", lang),
                                          style={"description_width": "initial"},
                                          layout=w.Layout(width="14em"))
        self.button = w.Button(description=text("run.button", lang), icon="play",
                               button_style="primary")
        self.output = w.HTML()
        self.button.on_click(lambda _button: self.run())
        self.widget = w.VBox([
            w.HTML(f'<div style="{FONT} opacity: 0.7;">'
                   f'{esc(host_line(host, lang))}{esc(" · " + cwd) if cwd else ""}</div>'),
            w.HBox([self.command, self.timeout, self.button]), self.output])
        self._text = text("run.widget", lang)
        if run:
            self.run()

    def run(self) -> Answer:
        """Run the command in the box and show its answer (also what the button does)."""
        command = self.command.value
        self.button.disabled = True
        self.output.value = message(text("run.running", self.lang), "note")
        try:
            answer = run_line(self.host, command, self.lang, cwd=self.cwd,
                              timeout=self.timeout.value)
            self.output.value = result_html(command, answer, self.lang)
        finally:
            self.button.disabled = False
        return answer

    def text(self) -> str:
        return self._text
