"""LVM widgets: a map PVs -> VG -> LVs drawn from the ``lvm.report`` probe's value, an
extent/size calculator, and ``storage_lab`` (the storage lessons' hosts: a sandbox
``storage`` lab, or a recording made on one).

The pure parts (``lvm_map_html``, ``lv_kind``, ``extents_for``, ``extents_html``) take plain
data and return text; every name that came from the host (VG, LV, PV names) is escaped.
ipywidgets is imported only by the widget classes.

    from labkit.widgets.lvm import storage_lab, LvmMap, ExtentCalculator
    lab = storage_lab("en", "lvm")        # .server / .client: Lab objects
    LvmMap(lab.server)                     # reads `lvm.report` now and draws it
    ExtentCalculator("en", size="20G")
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from labkit.errors import LabkitError
from labkit.settings import current
from labkit.units import format_size, parse_size
from labkit.widgets.html import COLOURS, FONT, MONO, badge, esc, message
from labkit.widgets.view import View

#: Recordings of the lessons' runs on a real storage lab (``replay://``).
RECORDINGS = Path(__file__).resolve().parents[2] / "notebooks" / "recordings"
ENV_STORAGE_LAB = "LABKIT_STORAGE_LAB"
#: Set (to anything) with LABKIT_STORAGE_LAB: record the lesson's commands as replay files.
ENV_STORAGE_RECORD = "LABKIT_STORAGE_RECORD"

PALETTE = ("#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#ad1457", "#5d4037",
           "#9e9d24")

T: dict[str, dict[str, str]] = {
    "vg": {"gl": "Grupo de volumes {name}: {size}, extensións de {extent} ({used} usadas de "
                 "{extents}, {free} libres)",
           "en": "Volume group {name}: {size}, extents of {extent} ({used} used of {extents}, "
                 "{free} free)"},
    "pv_free": {"gl": "PV sen grupo (libre)", "en": "PV in no group (free)"},
    "no_lvm": {"gl": "Non hai ningún volume físico (PV) nesta máquina.",
               "en": "There is no physical volume (PV) on this host."},
    "free": {"gl": "libre", "en": "free"},
    "linear": {"gl": "lineal", "en": "linear"},
    "striped": {"gl": "en bandas (stripes) sobre {n} PV", "en": "striped over {n} PVs"},
    "mirror": {"gl": "espello (RAID1), {n} copias", "en": "mirror (RAID1), {n} copies"},
    "raid": {"gl": "RAID ({type})", "en": "RAID ({type})"},
    "snapshot": {"gl": "snapshot de {origin}, {pct}% usado", "en": "snapshot of {origin}, "
                 "{pct}% used"},
    "invalid": {"gl": "snapshot de {origin}: INVÁLIDO (encheuse, xa non serve)",
                "en": "snapshot of {origin}: INVALID (it filled up and is now useless)"},
    "pool": {"gl": "thin pool: datos {data}% usados, metadatos {meta}%",
             "en": "thin pool: data {data}% used, metadata {meta}%"},
    "thin": {"gl": "volume thin en {pool} (tamaño virtual), {pct}% escrito",
             "en": "thin volume in {pool} (virtual size), {pct}% written"},
    "inactive": {"gl": "inactivo", "en": "inactive"},
    "calc_extents": {"gl": "{size} son {extents} extensións de {extent}",
                     "en": "{size} is {extents} extents of {extent}"},
    "calc_rounded": {"gl": "LVM redondea cara arriba: o volume terá {rounded} ({extents} "
                           "extensións).",
                     "en": "LVM rounds up: the volume will be {rounded} ({extents} extents)."},
    "calc_stripes": {"gl": "Con {stripes} bandas, o número de extensións ten que ser múltiplo de "
                           "{stripes}: {extents}.",
                     "en": "With {stripes} stripes the extent count must be a multiple of "
                           "{stripes}: {extents}."},
    "calc_mirror": {"gl": "Cun espello de {copies} copias ocupa {total} extensións no VG (máis "
                          "unha de metadatos por copia).",
                    "en": "A mirror of {copies} copies takes {total} extents of the VG (plus one "
                          "metadata extent per copy)."},
    "calc_free": {"gl": "Non cabe: o VG só ten {free} extensións libres.",
                  "en": "It does not fit: the VG has only {free} free extents."},
    "calc_bad": {"gl": "Non é un tamaño: {reason}", "en": "Not a size: {reason}"},
    "recording": {"gl": "Sen laboratorio de almacenamento ({env}): amósase unha gravación feita "
                        "nunha máquina virtual real.",
                  "en": "No storage lab ({env}): showing a recording made on a real VM."},
    "check_needs_lab": {
        "gl": "Para comprobar {exercise} fai falla o laboratorio de almacenamento: "
              "labkit lab up storage --name st, e abre JupyterLab con {env}=st.",
        "en": "Checking {exercise} needs the storage lab: labkit lab up storage --name st, "
              "and start JupyterLab with {env}=st."},
    "size_label": {"gl": "Tamaño (-L)", "en": "Size (-L)"},
    "extent_label": {"gl": "Extensión (-s)", "en": "Extent (-s)"},
    "stripes_label": {"gl": "Bandas (-i)", "en": "Stripes (-i)"},
    "mirrors_label": {"gl": "Espellos (-m)", "en": "Mirrors (-m)"},
}


def tr(key: str, lang: str, **values: Any) -> str:
    entry = T[key]
    return entry.get(lang, entry["en"]).format(**values)


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
            return tr("invalid", lang, origin=lv["origin"])
        return tr("snapshot", lang, origin=lv["origin"], pct=_pct(lv.get("data_percent")))
    if kind == "thin-pool" or lv.get("type") == "t":
        return tr("pool", lang, data=_pct(lv.get("data_percent")),
                  meta=_pct(lv.get("metadata_percent")))
    if kind == "thin" or lv.get("pool"):
        return tr("thin", lang, pool=lv.get("pool", ""), pct=_pct(lv.get("data_percent")))
    if kind in ("raid1", "mirror"):
        return tr("mirror", lang, n=stripes)
    if kind.startswith("raid"):
        return tr("raid", lang, type=kind)
    if kind == "striped" and stripes > 1:
        return tr("striped", lang, n=stripes)
    return tr("linear", lang)


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
        return message(tr("no_lvm", lang), "note")
    usage = pv_usage(report)
    visible = [lv for lv in report.get("lvs", []) if not lv.get("hidden")]
    colour = {lv["name"]: PALETTE[i % len(PALETTE)] for i, lv in enumerate(visible)}
    parts = [f'<div style="{FONT}">']
    for vg in report.get("vgs", []):
        used = int(vg["extents"]) - int(vg["free_extents"])
        title = tr("vg", lang, name=vg["name"], size=human(int(vg["size"])),
                   extent=format_size(int(vg["extent_size"])), used=used,
                   extents=vg["extents"], free=vg["free_extents"])
        parts.append(f'<div style="font-weight: bold; margin: 6px 0 2px;">{esc(title)}</div>')
        for pv in (p for p in pvs if p.get("vg") == vg["name"]):
            parts.append(_pv_bar(pv, usage.get(pv["name"], []), colour))
        for lv in (v for v in visible if v.get("vg") == vg["name"]):
            fg = colour[lv["name"]]
            inactive = "" if lv.get("active", True) else f" ({tr('inactive', lang)})"
            flag = badge("INVALID", "failed") + " " if lv.get("invalid") else ""
            parts.append(
                f'<div style="margin-left: 1em;"><span style="display: inline-block; '
                f'width: 10px; height: 10px; background: {fg};"></span> '
                f'{flag}<code>{esc(lv["name"])}</code> {esc(human(int(lv["size"])))} · '
                f"{esc(lv_kind(lv, lang))}{esc(inactive)}</div>")
    for pv in (p for p in pvs if not p.get("vg")):
        parts.append(f'<div style="margin-top: 4px;"><code>{esc(pv["name"])}</code> '
                     f'{esc(human(int(pv["size"])))} · {esc(tr("pv_free", lang))}</div>')
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
        return message(tr("calc_bad", lang, reason=exc), "failed")
    lines = [tr("calc_extents", lang, size=format_size(e.size), extents=e.extents,
                extent=format_size(e.extent))]
    if e.rounded != e.size or e.stripes > 1:
        lines.append(tr("calc_rounded", lang, rounded=format_size(e.rounded), extents=e.extents))
    if e.stripes > 1:
        lines.append(tr("calc_stripes", lang, stripes=e.stripes, extents=e.extents))
    if e.copies > 1:
        lines.append(tr("calc_mirror", lang, copies=e.copies, total=e.total))
    out = "".join(message(line, "note") for line in lines)
    if free_extents is not None and e.total > free_extents:
        out += message(tr("calc_free", lang, free=free_extents), "warning")
    return out


# -- hosts of the storage lessons -----------------------------------------------------------

class StorageLab:
    """The ``server`` and ``client`` of a storage lesson.

    With ``$LABKIT_STORAGE_LAB`` naming a running sandbox ``storage`` lab, its VMs; without it
    (CI, nbval on a local sshd, a student who has not started the lab) the recordings
    ``notebooks/recordings/<topic>-<role>.json`` made on such a lab — storage commands never
    run on a host nobody pointed at (``pvcreate`` on the teacher's own disks!).
    """

    def __init__(self, lang: str, topic: str, *, record: bool | None = None) -> None:
        from labkit.widgets.lab import Lab

        self.lang, self.topic = lang, topic
        self.live = False
        self.note = ""
        name = current().storage_lab or ""
        urls: dict[str, str] = {}
        if name:
            try:
                from labkit.sandbox import lab_hosts

                urls = {role: str(getattr(h, "url", h)) for role, h in lab_hosts(name).items()}
                self.live = True
            except LabkitError as exc:
                self.note = str(exc)
        if not urls:
            urls = {role: f"replay://{RECORDINGS / f'{topic}-{role}.json'}"
                    for role in ("server", "client")}
            self.note = self.note or tr("recording", lang, env=ENV_STORAGE_LAB)
        self.server = Lab(lang, url=urls.get("server"))
        self.client = Lab(lang, url=urls.get("client", urls.get("server")))
        if record is None:
            record = current().storage_record
        if record and self.live:
            _record(self.server, RECORDINGS / f"{topic}-server.json")
            _record(self.client, RECORDINGS / f"{topic}-client.json")

    def roles(self) -> dict[str, Any]:
        return {"server": self.server, "client": self.client, "host": self.server}

    def check(self, exercise: str) -> Any:
        """"Check my work" for an exercise whose roles live on different hosts; without a
        storage lab, a note saying how to start one (a recording cannot grade your work)."""
        from labkit.widgets.check import CheckMyWork

        if not self.live:
            return Note(tr("check_needs_lab", self.lang, exercise=exercise,
                           env=ENV_STORAGE_LAB))
        return StorageCheck(self, exercise, CheckMyWork)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, str]:
        status = self.server.status()
        body = f'<div style="{FONT}">{esc(status)}</div>'
        if self.note:
            body += message(self.note, "note")
        return {"text/plain": status + (f"\n{self.note}" if self.note else ""),
                "text/html": body}


class Note:
    """A message where a widget would be (plain text too, for nbval)."""

    def __init__(self, text: str, kind: str = "note") -> None:
        self.text, self.kind = text, kind

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, str]:
        return {"text/plain": self.text, "text/html": message(self.text, self.kind)}


def _record(lab: Any, path: Path) -> None:
    from labkit.host import Host
    from labkit.transports import open_transport
    from labkit.widgets.replay import LessonRecorder

    path.unlink(missing_ok=True)
    lab._host = Host(LessonRecorder(open_transport(lab.url), path))


def StorageCheck(storage: StorageLab, exercise: str, base: type) -> Any:
    """A CheckMyWork whose roles are graded on the storage lab's matching hosts."""
    from labkit import exercises
    from labkit.grading import grade
    from labkit.widgets.check import report_html
    from labkit.widgets.texts import t

    class _Check(base):  # type: ignore[misc]
        def grade(self) -> Any:
            lang = self.lab.lang
            self.report = None
            try:
                spec = exercises.load(self.exercise)
                roles = storage.roles()
                hosts = {role: roles[role].host() for role in spec.roles}
                self.report = grade(spec, hosts, lang=lang)
                self.output.value = report_html(self.report, lang, self.title)
            except Exception as exc:  # a widget shows a message, never a traceback
                self.output.value = message(t("check.could_not", lang, reason=exc), "error")
            return self.report

    return _Check(storage.server, exercise)


# -- widgets --------------------------------------------------------------------------------

def read_report(lab: Any) -> dict[str, Any]:
    """The ``lvm.report`` probe's value on ``lab``'s host (LabkitError if it cannot)."""
    from labkit.probes.lvm import LvmReport

    probe = LvmReport()
    outcome = lab.host().collect([probe])[probe.key]
    if not outcome.ok:
        raise LabkitError(outcome.error or "lvm.report failed")
    return dict(outcome.value)


class LvmMap(View):
    """The map of ``lab``'s LVM, read now (``refresh()`` reads it again)."""

    def __init__(self, lab: Any, report: dict[str, Any] | None = None) -> None:
        import ipywidgets as w

        self.lab = lab
        self.report = report
        self.output = w.HTML()
        button = w.Button(description="↻", layout=w.Layout(width="3em"))
        button.on_click(lambda _b: self.refresh())
        self.widget = w.VBox([button, self.output])
        if report is None:
            self.refresh()
        else:
            self.output.value = lvm_map_html(report, lab.lang)

    def refresh(self) -> None:
        try:
            self.report = read_report(self.lab)
            self.output.value = lvm_map_html(self.report, self.lab.lang)
        except Exception as exc:  # a widget shows a message, never a traceback
            self.report = None
            self.output.value = message(f"{type(exc).__name__}: {exc}", "error")

    def text(self) -> str:
        if not self.report:
            return "[LVM map: no data]"
        lvs = [lv["name"] for lv in self.report.get("lvs", []) if not lv.get("hidden")]
        return f"[LVM map: {len(self.report.get('pvs', []))} PV, " \
               f"{len(self.report.get('vgs', []))} VG, LV: {', '.join(lvs) or '-'}]"


class ExtentCalculator(View):
    """Size, extent size, stripes and mirrors in; extents and the real size out."""

    def __init__(self, lang: str, size: str = "20G", extent: str = "4M", stripes: int = 1,
                 mirrors: int = 0) -> None:
        import ipywidgets as w

        self.lang = lang
        style = {"description_width": "initial"}
        self.size = w.Text(value=size, description=tr("size_label", lang), style=style)
        self.extent = w.Text(value=extent, description=tr("extent_label", lang), style=style)
        self.stripes = w.BoundedIntText(value=stripes, min=1, max=16,
                                        description=tr("stripes_label", lang), style=style)
        self.mirrors = w.BoundedIntText(value=mirrors, min=0, max=4,
                                        description=tr("mirrors_label", lang), style=style)
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


__all__ = ["COLOURS", "ExtentCalculator", "Extents", "LvmMap", "StorageLab", "extents_for",
           "extents_html", "lv_kind", "lvm_map_html", "pv_usage", "read_report"]
