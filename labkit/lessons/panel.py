"""The lab panel of a lesson: topology, hosts, state, accelerator; a progress bar with
seconds while VMs start; the switch note; the button that starts the lab.

``panel_text`` and ``panel_html`` are pure (a :class:`PanelState` in, text out); ``LabPanel``
holds the ipywidgets tree and is what the lesson's first cell shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from labkit.i18n import text
from labkit.widgets.html import FONT, badge, esc, message


@dataclass
class PanelState:
    """What the panel shows."""

    mode: str               # live | local | class | preview | needs-lab | failed | given | ""
    problem: str | None = None
    hosts: list[str] = field(default_factory=list)
    lab: str = ""
    accel: str = ""
    started: bool = False
    seconds: float = 0.0
    stopped: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)
    addresses: dict[str, str] = field(default_factory=dict)
    recorded: str = ""


def _hosts(state: PanelState) -> str:
    return ", ".join(f"{h} {state.addresses[h]}" if state.addresses.get(h) else h
                     for h in state.hosts)


def panel_lines(title: str, topology: str, state: PanelState, lang: str) -> list[str]:
    """The panel as lines of text (also its ``text/plain``)."""
    lines = [text("lessons.panel_head", lang, title=title, lab=topology, hosts=_hosts(state))]
    if state.mode == "live":
        key = "lessons.state_started" if state.started else "lessons.state_attached"
        lines.append(text(key, lang, accel=state.accel.upper(), seconds=f"{state.seconds:.0f}"))
    elif state.mode == "preview":
        lines.append(text("lessons.state_preview", lang, lab=state.lab or topology,
                          when=state.recorded.replace("T", " ").rstrip("Z") or "?",
                          accel=state.accel.upper() or "?"))
    elif state.mode == "local":
        lines.append(text("lessons.state_local", lang))
    elif state.mode == "class":
        lines.append(text("lessons.state_class", lang))
    elif state.mode == "given":
        lines.append(text("lessons.state_given", lang))
    if state.stopped:
        lines.append(text("lessons.switched", lang, stopped=", ".join(state.stopped),
                          lab=topology))
    if state.others:
        lines.append(text("lessons.others", lang, labs=", ".join(state.others)))
    if state.problem:
        lines.append(state.problem)
    return lines


def panel_html(title: str, topology: str, state: PanelState, lang: str) -> str:
    lines = panel_lines(title, topology, state, lang)
    kind = {"live": "passed", "local": "passed", "class": "passed", "given": "note",
            "preview": "warning", "needs-lab": "warning", "failed": "failed"}.get(state.mode,
                                                                                 "note")
    label = text(f"lessons.mode_{state.mode.replace('-', '_') or 'none'}", lang)
    head = f'<div style="{FONT}"><b>{esc(lines[0])}</b> {badge(label, kind)}</div>'
    body = "".join(message(line, "warning" if line == state.problem else "note")
                   for line in lines[1:])
    return head + body


class LabPanel:
    """The ipywidgets tree of the panel (built on first use: creating it needs no kernel)."""

    def __init__(self, lang: str, title: str, topology: str, hosts: tuple[str, ...], *,
                 on_start: Callable[[], None]) -> None:
        self.lang, self.title, self.topology = lang, title, topology
        self.state = PanelState(mode="", hosts=list(hosts))
        self.values_html = ""
        self.on_start = on_start
        self._widget: Any = None

    def text(self) -> str:
        return "\n".join(panel_lines(self.title, self.topology, self.state, self.lang))

    def html(self) -> str:
        return panel_html(self.title, self.topology, self.state, self.lang) + self.values_html

    @property
    def widget(self) -> Any:
        if self._widget is None:
            import ipywidgets as w

            self._html = w.HTML(value=self.html())
            self._bar = w.IntProgress(value=0, min=0, max=100,
                                      layout=w.Layout(width="20em", display="none"))
            self._seconds = w.HTML(value="")
            self._button = w.Button(description=text("lessons.start_button", self.lang,
                                                     lab=self.topology),
                                    icon="play", button_style="primary",
                                    layout=w.Layout(width="auto", display="none"))
            self._button.on_click(lambda _b: self.on_start())
            self._widget = w.VBox([self._html, w.HBox([self._bar, self._seconds]),
                                   self._button])
            self._sync()
        return self._widget

    def _sync(self) -> None:
        if self._widget is None:
            return
        self._html.value = self.html()
        self._button.layout.display = "" if self.state.mode in ("needs-lab", "failed") \
            else "none"
        if self.state.mode and self.state.mode != "starting":
            self._bar.layout.display = "none"
            self._seconds.value = ""

    def show(self, state: PanelState) -> None:
        self.state = state
        self._sync()

    def progress(self, seconds: float, expected: float, detail: str = "") -> None:
        """While the lab starts: the bar (an estimate, never full before the end) and the
        seconds so far."""
        self.widget  # noqa: B018 - build it
        self._bar.layout.display = ""
        self._bar.value = min(95, int(100 * seconds / max(expected, 1)))
        self._seconds.value = f'<span style="{FONT}">' + esc(text(
            "lessons.starting", self.lang, lab=self.topology, seconds=f"{seconds:.0f}",
            detail=detail)) + "</span>"

    def widget_bundle(self) -> dict[str, Any]:
        bundle = dict(self.widget._repr_mimebundle_() or {})
        bundle["text/plain"] = self.text()
        return bundle
