"""Small HTML helpers shared by the widgets' pure renderers.

Everything that came from a host, a file name or a student goes through ``esc`` (the
``ipywidgets.HTML`` widget puts its value into the page as it is, so escaping is ours to do).
Styles are inline: the HTML must look the same in JupyterLab, in a saved notebook's widget
state and in a test.
"""

from __future__ import annotations

import html
import re
from typing import Any

#: Colours of the report statuses and of advice levels (text colour, background).
COLOURS = {
    "passed": ("#1b5e20", "#e8f5e9"),
    "failed": ("#b71c1c", "#ffebee"),
    "blocked": ("#7a5d00", "#fff8e1"),
    "error": ("#6a1b9a", "#f3e5f5"),
    "warning": ("#7a5d00", "#fff8e1"),
    "note": ("#0d47a1", "#e3f2fd"),
}

FONT = "font-family: var(--jp-ui-font-family, sans-serif); font-size: 13px;"
MONO = "font-family: var(--jp-code-font-family, monospace); font-size: 12px;"


def esc(value: object) -> str:
    """``value`` as text safe inside HTML elements and double-quoted attributes."""
    return html.escape(str(value), quote=True)


#: A Markdown inline code span: `text` on one line.
_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def inline(value: object) -> str:
    """``value`` escaped as ``esc`` does, with Markdown's inline code spans (``lvs -a``
    between backticks) shown as code: for texts written as a notebook's Markdown is (a quiz's
    questions and explanations), never for what came from a host."""
    return _CODE_SPAN.sub(lambda m: f"<code>{m.group(1)}</code>", esc(value))


def badge(text: str, kind: str) -> str:
    """A coloured label (``kind`` is a key of COLOURS)."""
    fg, bg = COLOURS.get(kind, ("#333", "#eee"))
    return (f'<span style="color: {fg}; background: {bg}; border: 1px solid {fg}; '
            f'border-radius: 3px; padding: 0 4px; white-space: nowrap;">{esc(text)}</span>')


def pre(text: str, *, kind: str = "") -> str:
    """A block of program output."""
    fg, bg = COLOURS.get(kind, ("inherit", "var(--jp-layout-color2, #f5f5f5)"))
    return (f'<pre style="{MONO} color: {fg}; background: {bg}; margin: 2px 0; '
            f'padding: 4px 6px; white-space: pre-wrap; word-break: break-all;">{esc(text)}</pre>')


def message(text: str, kind: str, *, code_spans: bool = False) -> str:
    """A one-paragraph message box (an error, a warning or a note); with ``code_spans``, its
    backticked spans are shown as code (``inline``)."""
    fg, bg = COLOURS.get(kind, ("#333", "#eee"))
    body = inline(text) if code_spans else esc(text)
    return (f'<div style="{FONT} color: {fg}; background: {bg}; border-left: 4px solid {fg}; '
            f'padding: 4px 8px; margin: 2px 0;">{body}</div>')


def host_line(host: Any, lang: str) -> str:
    """Where a widget's data comes from: the host's URL, or, for a recording (preview mode),
    that it is one."""
    from labkit.i18n import text

    if host is None:
        return text("run.no_host", lang)
    url = str(getattr(host, "url", host))
    if url.startswith("none://"):
        return text("run.no_host", lang)
    if url.startswith("replay://"):
        return text("widgets.recording", lang, what=url.removeprefix("replay://"))
    return text("widgets.read_from", lang, url=url.split("?")[0])
