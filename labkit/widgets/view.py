"""The base of every labkit widget: a plain object holding an ipywidgets tree.

Composition rather than subclassing ipywidgets: the widget classes stay small and typed, and
each one chooses its own ``text/plain`` — a short, deterministic line shown where widgets do
not render (GitHub, a terminal) and compared by nbval (which skips the random widget model id).
"""

from __future__ import annotations

from typing import Any


class View:
    widget: Any

    def text(self) -> str:
        """The one-line plain-text form of the widget."""
        return f"[{type(self).__name__}]"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = dict(self.widget._repr_mimebundle_(**kwargs) or {})
        bundle["text/plain"] = self.text()
        return bundle


class HostDiagram(View):
    """A diagram read from a lab host, with a "read again" button and a line saying where the
    data came from (a recording says it is one). Subclasses give ``read`` and ``draw``."""

    def __init__(self, host: Any, lang: str, *, now: bool = True) -> None:
        import ipywidgets as w

        from labkit.i18n import text

        self.host, self.lang = host, lang
        self.data: Any = None
        self.error: str | None = None
        self.output = w.HTML()
        self.button = w.Button(description=text("widgets.read_again", lang), icon="refresh",
                               layout=w.Layout(width="auto"))
        self.button.on_click(lambda _b: self.refresh())
        self.widget = w.VBox([self.button, self.output])
        if now:
            self.refresh()

    def read(self) -> Any:
        """The data, read from ``self.host`` now (may raise: the widget shows the error)."""
        raise NotImplementedError

    def draw(self, data: Any) -> str:
        """The HTML of ``data``."""
        raise NotImplementedError

    def refresh(self) -> Any:
        """Read the host again and redraw (also what the button does)."""
        from labkit.i18n import text
        from labkit.widgets.html import host_line, message

        try:
            if self.host is None:
                raise RuntimeError(text("run.no_host", self.lang))
            self.data, self.error = self.read(), None
            body = self.draw(self.data)
        except Exception as exc:  # a widget shows a message, never a traceback
            self.data, self.error = None, f"{type(exc).__name__}: {exc}"
            body = message(self.error, "error")
        self.output.value = body + message(host_line(self.host, self.lang), "note")
        return self.data
