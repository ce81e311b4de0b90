"""LVM widgets: a map PVs -> VG -> LVs drawn from the ``lvm.report`` probe's value, and an
extent/size calculator.

The pure parts (``lvm_map_html``, ``lv_kind``, ``extents_for``, ``extents_html``) take plain
data and return text; every name that came from the host (VG, LV, PV names) is escaped.
ipywidgets is imported only by the widget classes.

    from labkit.widgets import LvmMap, ExtentCalculator
    LvmMap(lesson.host("server"), "en")    # reads `lvm.report` now and draws it
    ExtentCalculator("en", size="20G")
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from labkit.errors import ProbeError
from labkit.i18n import text
from labkit.units import format_size, parse_size
from labkit.widgets.html import COLOURS, FONT, MONO, badge, esc, message
from labkit.widgets.view import HostDiagram, View

PALETTE = ("#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#ad1457", "#5d4037",
           "#9e9d24")


# -- the map --------------------------------------------------------------------------------

def _owner(lv: str, lvs: dict[str, dict[str, Any]]) -> str:
    """The visible LV a hidden sub-LV belongs to (``db_rimage_0`` -> ``db``)."""
    name = lv.strip("[]")
    while name in lvs and lvs[name].get("hidden"):
        base = re.sub(r"_(r?image|r?meta|mimage|mlog|tdata|tmeta|tdata_\w+|cdata|cmeta|vorigin"
                      r"|pmspare)(_\d+)?$", "", name)
        if base == name:
            break
        name = base
    return name


def human(size: int) -> str:
    """``format_size``, but a size that is no round number reads ``~2.99 GiB`` (not bytes)."""
    exact = format_size(size)
    if not exact.endswith(" B") or size < 1024:
        return exact
    for unit, factor in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor:
            return f"~{size / factor:.2f} {unit}"
    return exact


def lv_kind(lv: dict[str, Any], lang: str) -> str:
    """What an LV is, in words: linear, striped over N, mirror, snapshot (usage, INVALID),
    thin pool (usage), thin volume."""
    segs = lv.get("segments") or []
    first = segs[0] if segs else {}
    kind, stripes = str(first.get("type", "")), int(first.get("stripes") or 1)
    if lv.get("origin") and lv.get("type") in ("s", "S"):
        if lv.get("invalid"):
            return text("lvm_map.invalid", lang, origin=lv["origin"])
        return text("lvm_map.snapshot", lang, origin=lv["origin"], pct=_pct(lv.get("data_percent")))
    if kind == "thin-pool" or lv.get("type") == "t":
        return text("lvm_map.pool", lang, data=_pct(lv.get("data_percent")),
                  meta=_pct(lv.get("metadata_percent")))
    if kind == "thin" or lv.get("pool"):
        return text("lvm_map.thin", lang, pool=lv.get("pool", ""), pct=_pct(lv.get("data_percent")))
    if kind in ("raid1", "mirror"):
        return text("lvm_map.mirror", lang, n=stripes)
    if kind.startswith("raid"):
        return text("lvm_map.raid", lang, type=kind)
    if kind == "striped" and stripes > 1:
        return text("lvm_map.striped", lang, n=stripes)
    return text("lvm_map.linear", lang)


def _pct(value: Any) -> str:
    return "?" if value is None else f"{float(value):g}"


def pv_usage(report: dict[str, Any]) -> dict[str, list[tuple[int, int, str]]]:
    """``{pv: [(first extent, extents, visible LV)]}`` from the LVs' segments (hidden sub-LVs
    count for their visible LV)."""
    lvs = {lv["name"]: lv for lv in report.get("lvs", [])}
    vgs = {vg["name"]: vg for vg in report.get("vgs", [])}
    out: dict[str, list[tuple[int, int, str]]] = {}
    for lv in report.get("lvs", []):
        extent = int(vgs.get(lv.get("vg", ""), {}).get("extent_size") or 0)
        if not extent:
            continue
        for seg in lv.get("segments") or []:
            devices = [d for d in seg.get("devices") or [] if str(d["device"]).startswith("/")]
            if not devices:
                continue
            count = max(1, int(seg.get("size", 0)) // extent // len(devices))
            for d in devices:
                out.setdefault(d["device"], []).append(
                    (int(d.get("extent", 0)), count, _owner(lv["name"], lvs)))
    return out


def lvm_map_html(report: dict[str, Any], lang: str) -> str:
    """The PVs of each VG as bars of extents coloured by LV, and the list of LVs."""
    pvs = report.get("pvs") or []
    if not pvs:
        return message(text("lvm_map.no_lvm", lang), "note")
    usage = pv_usage(report)
    visible = [lv for lv in report.get("lvs", []) if not lv.get("hidden")]
    colour = {lv["name"]: PALETTE[i % len(PALETTE)] for i, lv in enumerate(visible)}
    parts = [f'<div style="{FONT}">']
    for vg in report.get("vgs", []):
        used = int(vg["extents"]) - int(vg["free_extents"])
        title = text("lvm_map.vg", lang, name=vg["name"], size=human(int(vg["size"])),
                   extent=format_size(int(vg["extent_size"])), used=used,
                   extents=vg["extents"], free=vg["free_extents"])
        parts.append(f'<div style="font-weight: bold; margin: 6px 0 2px;">{esc(title)}</div>')
        for pv in (p for p in pvs if p.get("vg") == vg["name"]):
            parts.append(_pv_bar(pv, usage.get(pv["name"], []), colour))
        for lv in (v for v in visible if v.get("vg") == vg["name"]):
            fg = colour[lv["name"]]
            inactive = "" if lv.get("active", True) else f" ({text('lvm_map.inactive', lang)})"
            flag = badge("INVALID", "failed") + " " if lv.get("invalid") else ""
            parts.append(
                f'<div style="margin-left: 1em;"><span style="display: inline-block; '
                f'width: 10px; height: 10px; background: {fg};"></span> '
                f'{flag}<code>{esc(lv["name"])}</code> {esc(human(int(lv["size"])))} · '
                f"{esc(lv_kind(lv, lang))}{esc(inactive)}</div>")
    for pv in (p for p in pvs if not p.get("vg")):
        parts.append(f'<div style="margin-top: 4px;"><code>{esc(pv["name"])}</code> '
                     f'{esc(human(int(pv["size"])))} · {esc(text("lvm_map.pv_free", lang))}</div>')
    return "".join(parts) + "</div>"


def _pv_bar(pv: dict[str, Any], used: list[tuple[int, int, str]],
            colour: dict[str, str]) -> str:
    """One PV as an SVG bar, 400 px wide, one rectangle per run of extents."""
    total = max(1, int(pv.get("extents") or 1))
    width = 400
    rects = [f'<rect x="0" y="0" width="{width}" height="16" fill="#eeeeee" stroke="#999"/>']
    for start, count, lv in sorted(used):
        x = round(start * width / total, 1)
        w = max(1.0, round(count * width / total, 1))
        rects.append(f'<rect x="{x}" y="0" width="{w}" height="16" '
                     f'fill="{colour.get(lv, "#777")}"><title>{esc(lv)}: {start}–'
                     f"{start + count - 1}</title></rect>")
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="16" '
           f'style="vertical-align: middle;">{"".join(rects)}</svg>')
    return (f'<div style="margin: 2px 0 2px 1em;"><code style="{MONO} display: inline-block; '
            f'width: 7em;">{esc(pv["name"])}</code> {svg} '
            f'<span style="opacity: 0.7;">{int(pv.get("allocated", 0))}/{total}</span></div>')


# -- the calculator -------------------------------------------------------------------------

@dataclass(frozen=True)
class Extents:
    size: int          # what was asked for, in bytes
    extent: int        # extent size of the VG
    extents: int       # extents of the LV (rounded up, to a multiple of stripes)
    rounded: int       # the LV's real size
    stripes: int
    copies: int        # 1 + mirrors
    total: int         # extents taken from the VG by the data (copies x extents)


def extents_for(size: str | int, extent: str | int = "4M", *, stripes: int = 1,
                mirrors: int = 0) -> Extents:
    """What ``lvcreate -L SIZE [-i STRIPES] [-m MIRRORS]`` takes from a VG whose extents are
    ``extent``: LVM rounds the size up to whole extents (and to a multiple of the stripes)."""
    wanted = parse_size(str(size).lstrip("+"))
    ext = parse_size(extent)
    if ext <= 0 or wanted <= 0:
        raise ValueError("sizes must be greater than 0")
    stripes, copies = max(1, int(stripes)), 1 + max(0, int(mirrors))
    count = math.ceil(wanted / ext)
    count = math.ceil(count / stripes) * stripes
    return Extents(wanted, ext, count, count * ext, stripes, copies, count * copies)


def extents_html(size: str, extent: str, lang: str, *, stripes: int = 1, mirrors: int = 0,
                 free_extents: int | None = None) -> str:
    try:
        e = extents_for(size, extent, stripes=stripes, mirrors=mirrors)
    except ValueError as exc:
        return message(text("lvm_map.calc_bad", lang, reason=exc), "failed")
    lines = [text("lvm_map.calc_extents", lang, size=format_size(e.size), extents=e.extents,
                extent=format_size(e.extent))]
    if e.rounded != e.size or e.stripes > 1:
        lines.append(text("lvm_map.calc_rounded", lang, rounded=format_size(e.rounded),
                          extents=e.extents))
    if e.stripes > 1:
        lines.append(text("lvm_map.calc_stripes", lang, stripes=e.stripes, extents=e.extents))
    if e.copies > 1:
        lines.append(text("lvm_map.calc_mirror", lang, copies=e.copies, total=e.total))
    out = "".join(message(line, "note") for line in lines)
    if free_extents is not None and e.total > free_extents:
        out += message(text("lvm_map.calc_free", lang, free=free_extents), "warning")
    return out


# -- the map widget ------------------------------------------------------------------------

def read_report(host: Any) -> dict[str, Any]:
    """The ``lvm.report`` probe's value on ``host`` (ProbeError if it cannot)."""
    from labkit.probes.base import plain
    from labkit.probes.lvm import LvmReport

    probe = LvmReport()
    outcome = host.collect([probe])[probe.key]
    if not outcome.ok:
        raise ProbeError(outcome.error or "lvm.report failed")
    return dict(plain(outcome.value))


class LvmMap(HostDiagram):
    """The map of ``host``'s LVM, read now; "read again" reads it again."""

    def read(self) -> dict[str, Any]:
        return read_report(self.host)

    def draw(self, data: dict[str, Any]) -> str:
        return lvm_map_html(data, self.lang)

    @property
    def report(self) -> dict[str, Any] | None:
        return self.data  # type: ignore[no-any-return]

    def text(self) -> str:
        if not self.data:
            return "[LVM map: no data]"
        lvs = [lv["name"] for lv in self.data.get("lvs", []) if not lv.get("hidden")]
        return f"[LVM map: {len(self.data.get('pvs', []))} PV, " \
               f"{len(self.data.get('vgs', []))} VG, LV: {', '.join(lvs) or '-'}]"


class ExtentCalculator(View):
    """Size, extent size, stripes and mirrors in; extents and the real size out."""

    def __init__(self, lang: str, size: str = "20G", extent: str = "4M", stripes: int = 1,
                 mirrors: int = 0) -> None:
        import ipywidgets as w

        self.lang = lang
        style = {"description_width": "initial"}
        self.size = w.Text(value=size, description=text("lvm_map.size_label", lang),
                           style=style)
        self.extent = w.Text(value=extent, description=text("lvm_map.extent_label", lang),
                             style=style)
        self.stripes = w.BoundedIntText(value=stripes, min=1, max=16, style=style,
                                        description=text("lvm_map.stripes_label", lang))
        self.mirrors = w.BoundedIntText(value=mirrors, min=0, max=4, style=style,
                                        description=text("lvm_map.mirrors_label", lang))
        self.output = w.HTML()
        for field in (self.size, self.extent, self.stripes, self.mirrors):
            field.observe(lambda _c: self.update(), names="value")
        self.widget = w.VBox([w.HBox([self.size, self.extent]),
                              w.HBox([self.stripes, self.mirrors]), self.output])
        self.update()

    def update(self) -> None:
        self.output.value = extents_html(self.size.value, self.extent.value, self.lang,
                                         stripes=self.stripes.value, mirrors=self.mirrors.value)

    def text(self) -> str:
        try:
            e = extents_for(self.size.value, self.extent.value, stripes=self.stripes.value,
                            mirrors=self.mirrors.value)
        except ValueError as exc:
            return f"[extents: {exc}]"
        return f"[{self.size.value} = {e.extents} x {format_size(e.extent)} = " \
               f"{format_size(e.rounded)}]"


__all__ = ["COLOURS", "ExtentCalculator", "Extents", "LvmMap", "extents_for",
           "extents_html", "lv_kind", "lvm_map_html", "pv_usage", "read_report"]
