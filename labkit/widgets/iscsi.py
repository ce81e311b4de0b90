"""iSCSI widgets: an iqn builder/validator and a diagram target -> TPG -> LUNs / ACLs /
portals drawn from the ``iscsi.live`` (or ``iscsi.saveconfig``) probe's value.

An iSCSI Qualified Name is ``iqn.YYYY-MM.reversed.domain[:name]``: the year and month the
naming authority owned the domain, the domain backwards, then any name it chooses
(RFC 3720 §3.2.6.3.1). ``check_iqn`` returns the problems of a name (empty: valid),
``build_iqn`` makes one from its parts. Every name from the host is escaped.
"""

from __future__ import annotations

import re
from typing import Any

from labkit.i18n import text
from labkit.widgets.html import FONT, MONO, badge, esc, message
from labkit.widgets.view import HostDiagram, View

_IQN = re.compile(r"^iqn\.(\d{4})-(\d{2})\.([a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::(.+))?$")
_NAME_CHARS = re.compile(r"^[a-z0-9.:-]+$")


#: Top-level domains, to notice a domain written forwards (lab.example.com).
_TLDS = {"com", "org", "net", "edu", "gov", "es", "gal", "eu", "io", "de", "fr", "uk", "pt"}



def check_iqn(iqn: str, lang: str) -> list[str]:
    """The problems of ``iqn`` as a name for an iSCSI target or initiator (empty: valid)."""
    problems = []
    if len(iqn.encode()) > 223:
        problems.append(text("iscsi_widget.long", lang))
    if iqn.lower() != iqn:
        problems.append(text("iscsi_widget.upper", lang))
    name = iqn.lower()
    if not name.startswith("iqn."):
        return [*problems, text("iscsi_widget.prefix", lang)]
    bad = sorted(set(re.sub(r"[a-z0-9.:-]", "", name)))
    if bad:
        problems.append(text("iscsi_widget.chars", lang, bad=" ".join(bad)))
    match = _IQN.match(name)
    if not match:
        return [*problems, text("iscsi_widget.shape", lang)]
    year, month, domain = int(match.group(1)), int(match.group(2)), match.group(3)
    if not 1 <= month <= 12:
        problems.append(text("iscsi_widget.month", lang, month=match.group(2)))
    if not 1990 <= year <= 2100:
        problems.append(text("iscsi_widget.year", lang, year=year))
    labels = domain.split(".")
    if len(labels) > 1 and labels[-1] in _TLDS and labels[0] not in _TLDS:
        problems.append(text("iscsi_widget.reversed", lang, domain=domain,
                           rev=".".join(reversed(labels))))
    return problems


def build_iqn(year: int, month: int, domain: str, name: str = "") -> str:
    """``(2026, 11, "labkit.lab", "vms")`` -> ``iqn.2026-11.lab.labkit:vms`` (``domain`` is
    written the usual way round and reversed here)."""
    rev = ".".join(reversed([p for p in domain.strip().lower().split(".") if p]))
    base = f"iqn.{int(year):04d}-{int(month):02d}.{rev}"
    return f"{base}:{name.strip().lower()}" if name.strip() else base


def describe_iqn(iqn: str, lang: str) -> str:
    problems = check_iqn(iqn, lang)
    if problems:
        return "".join(message(p, "failed") for p in problems)
    m = _IQN.match(iqn)
    assert m
    extra = text("iscsi_widget.name", lang, name=m.group(4)) if m.group(4) else ""
    return message(text("iscsi_widget.ok", lang, iqn=iqn, date=f"{m.group(1)}-{m.group(2)}",
                      domain=m.group(3), name=extra), "passed")


def target_html(data: dict[str, Any], lang: str) -> str:
    """Targets as nested boxes: target -> TPG -> LUNs (with their backstore), ACLs (with
    CHAP) and portals; then the backstores."""
    targets = data.get("targets") or []
    if not targets:
        return message(text("iscsi_widget.no_target", lang), "note")
    box = ("border: 1px solid {c}; border-radius: 4px; padding: 4px 8px; margin: 4px 0 4px "
           "{m}em;")
    stores = {f"{b.get('plugin')}/{b.get('name')}": b for b in data.get("backstores") or []}
    parts = [f'<div style="{FONT}">']
    for target in targets:
        parts.append(f'<div style="{box.format(c="#1565c0", m=0)}"><b>target</b> '
                     f'<code style="{MONO}">{esc(target.get("iqn", ""))}</code>')
        for tpg in target.get("tpgs") or []:
            off = "" if tpg.get("enabled", True) \
                else " " + badge(text("iscsi_widget.disabled", lang), "warning")
            parts.append(f'<div style="{box.format(c="#2e7d32", m=1)}">'
                         f'<b>{esc(text("iscsi_widget.tpg", lang, tag=tpg.get("tag", 1)))}'
                         f"</b>{off}")
            luns = [f'lun{lun.get("index")} → {lun.get("backstore")}'
                    + (f' ({stores[lun["backstore"]].get("dev")})'
                       if lun.get("backstore") in stores and stores[lun["backstore"]].get("dev")
                       else "")
                    for lun in tpg.get("luns") or []]
            acls = [f'{a.get("iqn")} · '
                    + (text("iscsi_widget.chap", lang, user=a["userid"]) if a.get("userid")
                       else text("iscsi_widget.no_chap", lang))
                    for a in tpg.get("acls") or []]
            for title, items in (("luns", luns), ("acls", acls),
                                 ("portals", list(tpg.get("portals") or []))):
                rows = "".join(f"<li><code>{esc(i)}</code></li>" for i in items) or \
                    f"<li>{esc(text('iscsi_widget.none', lang))}</li>"
                heading = text(f"iscsi_widget.{title}", lang)
                parts.append(f'<div style="margin-left: 1em;">{esc(heading)}:'
                             f'<ul style="margin: 0;">{rows}</ul></div>')
            parts.append("</div>")
        parts.append("</div>")
    if stores:
        rows = "".join(f"<li><code>{esc(k)}</code> {esc(v.get('dev', ''))}</li>"
                       for k, v in stores.items())
        parts.append(f'<div>{esc(text("iscsi_widget.backstores", lang))}:'
                     f'<ul style="margin: 0;">{rows}</ul></div>')
    return "".join(parts) + "</div>"


def target_text(data: dict[str, Any]) -> str:
    out = []
    for target in data.get("targets") or []:
        for tpg in target.get("tpgs") or []:
            out.append(f"{target.get('iqn')} tpg{tpg.get('tag')}: "
                       f"{len(tpg.get('luns') or [])} LUN, {len(tpg.get('acls') or [])} ACL, "
                       f"portals {', '.join(tpg.get('portals') or []) or '-'}")
    return "\n".join(out) or "(no target)"


class IqnBuilder(View):
    """Year, month, domain and name in; the iqn and its review out. Or type an iqn to check."""

    def __init__(self, lang: str, year: int = 2026, month: int = 11,
                 domain: str = "labkit.lab", name: str = "server") -> None:
        import ipywidgets as w

        self.lang = lang
        self.year = w.BoundedIntText(value=year, min=1990, max=2100, description="YYYY")
        self.month = w.BoundedIntText(value=month, min=1, max=12, description="MM")
        self.domain = w.Text(value=domain, description="domain")
        self.name = w.Text(value=name, description="name")
        self.typed = w.Text(value="", description="iqn", placeholder="iqn.…",
                            layout=w.Layout(width="36em"))
        self.output = w.HTML()
        for field in (self.year, self.month, self.domain, self.name):
            field.observe(lambda _c: self.build(), names="value")
        self.typed.observe(lambda _c: self.update(), names="value")
        self.widget = w.VBox([w.HBox([self.year, self.month]), w.HBox([self.domain, self.name]),
                              self.typed, self.output])
        self.build()

    def build(self) -> None:
        self.typed.value = build_iqn(self.year.value, self.month.value, self.domain.value,
                                     self.name.value)
        self.update()

    def update(self) -> None:
        self.output.value = (f'<pre style="{MONO}">{esc(self.typed.value)}</pre>'
                             + describe_iqn(self.typed.value, self.lang))

    def text(self) -> str:
        problems = check_iqn(self.typed.value, self.lang)
        return str(self.typed.value) + "".join(f"\n! {p}" for p in problems)


class TargetDiagram(HostDiagram):
    """The target(s) of ``host`` now (``iscsi.live``); "read again" reads them again."""

    def read(self) -> dict[str, Any]:
        from labkit.probes.iscsi import LiveTarget

        probe = LiveTarget()
        outcome = self.host.collect([probe])[probe.key]
        if not outcome.ok:
            raise RuntimeError(outcome.error)
        return dict(outcome.value)

    def draw(self, data: dict[str, Any]) -> str:
        return target_html(data, self.lang)

    def text(self) -> str:
        return target_text(self.data) if self.data is not None else "[iSCSI: no data]"


__all__ = ["IqnBuilder", "TargetDiagram", "build_iqn", "check_iqn", "describe_iqn",
           "target_html", "target_text"]
