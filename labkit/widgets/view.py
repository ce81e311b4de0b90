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
