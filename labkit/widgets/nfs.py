"""An /etc/exports line builder: each option explained, dangerous ones warned about.

``exports_line(path, client, options)`` builds the line (and raises ValueError for a line
exports(5) would read differently from what was meant); ``review(path, client, options)``
gives ``[(level, text)]`` advice (``warning`` for what opens the export to abuse: a world
export, ``rw`` to everybody, ``no_root_squash``, ``insecure``, ``sec=sys`` where Kerberos
was possible…); ``explain_option`` says what one option does. ``exports_html`` renders it all,
escaped. ``ExportsBuilder`` is the ipywidgets form.
"""

from __future__ import annotations

import re

from labkit.i18n import catalog, text
from labkit.probes.nfs import effective, setting
from labkit.widgets.html import FONT, MONO, esc, message
from labkit.widgets.view import View


def split_options(options: str | list[str]) -> list[str]:
    if isinstance(options, str):
        return [o.strip() for o in options.split(",") if o.strip()]
    return [o.strip() for o in options if o.strip()]


def exports_line(path: str, client: str, options: str | list[str]) -> str:
    """``/srv/nfs 192.168.100.0/24(rw,sync,no_subtree_check)``; ValueError for a relative path
    or a client with spaces (which exports(5) would split)."""
    if not path.startswith("/"):
        raise ValueError("the path must be absolute")
    client = client.strip() or "*"
    if re.search(r"\s", client):
        raise ValueError("a client has no spaces")
    quoted = f'"{path}"' if re.search(r"\s", path) else path
    opts = ",".join(split_options(options))
    return f"{quoted} {client}({opts})" if opts else f"{quoted} {client}"


def explain_option(option: str, lang: str) -> str:
    known = catalog()
    for key in (f"exports.option.{option}", f"exports.option.{option.partition('=')[0]}"):
        if key in known:
            return text(key, lang)
    return text("exports.unknown", lang)


def review(path: str, client: str, options: str | list[str],
           lang: str) -> list[tuple[str, str]]:
    """Advice on an export: ``[("warning"|"note", text)]``, dangerous things first."""
    opts = split_options(options)
    values = effective(opts)
    out: list[tuple[str, str]] = []
    if not path.startswith("/"):
        out.append(("failed", text("exports.path", lang)))
    host = client.strip()
    if host in ("", "*") or (host.startswith("*") and "." not in host) or host == "0.0.0.0/0":
        out.append(("warning", text("exports.world", lang)))
        if values["ro"] == "rw":
            out.append(("warning", text("exports.world_rw", lang)))
    if values["root_squash"] == "no_root_squash":
        out.append(("warning", text("exports.no_root_squash", lang)))
    if values["secure"] == "insecure":
        out.append(("warning", text("exports.insecure", lang)))
    for option in opts:
        name, _, value = option.partition("=")
        if name == "sec" and re.search(r"krb4", value):
            out.append(("failed", text("exports.krb4", lang, option=option)))
    if values["sync"] == "async":
        out.append(("warning", text("exports.async", lang)))
    if not any(setting(o)[0] == "sync" for o in opts):
        out.append(("note", text("exports.sync_missing", lang)))
    if values.get("sec", "sys") == "sys":
        out.append(("note", text("exports.sec_sys", lang)))
    if values.get("fsid") in ("0", "root"):
        out.append(("note", text("exports.fsid0", lang)))
    seen: dict[str, str] = {}
    for option in opts:
        key, val = setting(option)
        if key in seen and seen[key] != val and "=" not in option:
            out.append(("note", text("exports.conflict", lang, a=seen[key], b=val)))
        seen[key] = val
    return out


def review_line(line: str, lang: str) -> list[tuple[str, str]]:
    """Advice on a line as written: also the classic ``host (rw)`` space."""
    out = []
    match = re.search(r"(\S+)\s+\(([^)]*)\)", line)
    if match and not match.group(1).startswith("/"):
        out.append(("warning", text("exports.space", lang, client=match.group(1),
                                  options=match.group(2))))
    return out


def exports_html(path: str, client: str, options: str | list[str], lang: str) -> str:
    parts = [f'<div style="{FONT}">']
    try:
        line = exports_line(path, client, options)
        parts.append(f'<div>{esc(text("exports.line", lang))}:</div>'
                     f'<pre style="{MONO} margin: 2px 0;">'
                     f"{esc(line)}</pre>")
    except ValueError as exc:
        parts.append(message(str(exc), "failed"))
    rows = "".join(f"<tr><td style=\"padding: 1px 8px;\"><code>{esc(o)}</code></td>"
                   f"<td>{esc(explain_option(o, lang))}</td></tr>"
                   for o in split_options(options))
    if rows:
        parts.append(f'<table style="border-collapse: collapse;">{rows}</table>')
    for level, advice in review(path, client, options, lang):
        parts.append(message(advice, level))
    parts.append(f'<div style="opacity: 0.7;">{esc(text("exports.apply", lang))}</div>')
    return "".join(parts) + "</div>"


class ExportsBuilder(View):
    """Path, client and options in; the /etc/exports line and its review out."""

    def __init__(self, lang: str, path: str = "/srv/nfs", client: str = "192.168.100.0/24",
                 options: str = "rw,sync,no_subtree_check") -> None:
        import ipywidgets as w

        self.lang = lang
        self.path = w.Text(value=path, description="path")
        self.client = w.Text(value=client, description="client")
        self.options = w.Text(value=options, description="options",
                              layout=w.Layout(width="36em"))
        self.output = w.HTML()
        for field in (self.path, self.client, self.options):
            field.observe(lambda _c: self.update(), names="value")
        self.widget = w.VBox([w.HBox([self.path, self.client]), self.options, self.output])
        self.update()

    def update(self) -> None:
        self.output.value = exports_html(self.path.value, self.client.value,
                                         self.options.value, self.lang)

    def text(self) -> str:
        try:
            line = exports_line(self.path.value, self.client.value, self.options.value)
        except ValueError as exc:
            line = str(exc)
        warnings = [t for level, t in review(self.path.value, self.client.value,
                                             self.options.value, self.lang)
                    if level in ("warning", "failed")]
        return f"{line}\n" + "\n".join(f"! {w}" for w in warnings)


__all__ = ["ExportsBuilder", "explain_option", "exports_html", "exports_line", "review",
           "review_line", "split_options"]
