"""The backing chain of a disk image on the lab host, drawn as boxes and arrows.

The data is the ``qemu_img.info`` probe's value (``labkit.probes.qemu_img.QemuImgInfo``, read
through ``Host.collect``); ``chain_html`` draws it and is pure, so it is tested with values
parsed from real ``qemu-img info`` outputs.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from labkit.errors import ConnectError, LabkitError
from labkit.i18n import text
from labkit.probes.base import plain
from labkit.probes.qemu_img import QemuImgInfo
from labkit.widgets.html import FONT, MONO, badge, esc, host_line, message
from labkit.widgets.qemu_img import EXTENSIONS
from labkit.widgets.view import View

if TYPE_CHECKING:
    from labkit.host import Host


def chain_summary(info: dict[str, Any] | None) -> str:
    """``"snapdisk.qcow2 (qcow2) → base.qcow2 (qcow2)"``, or ``""`` if there is no chain."""
    if not info or info.get("state") != "ok":
        return ""
    return " → ".join(f"{posixpath.basename(i['filename'])} ({i['format']})"
                      for i in info["chain"])


def approx_size(size: int) -> str:
    """``4460544`` -> ``"4.25 MiB"``: three significant figures, as ``qemu-img info`` shows
    disk usage (the exact byte count is in the box's tooltip)."""
    value, unit = float(size), "B"
    for name in ("KiB", "MiB", "GiB", "TiB"):
        if value < 1024:
            break
        value, unit = value / 1024, name
    if unit == "B" or value == int(value):
        return f"{int(value)} {unit}"
    digits = 2 if value < 10 else 1 if value < 100 else 0
    return f"{value:.{digits}f}".rstrip("0").rstrip(".") + f" {unit}"


def _role(index: int, length: int) -> str:
    if length == 1:
        return "chain.role.single"
    if index == 0:
        return "chain.role.top"
    return "chain.role.base" if index == length - 1 else "chain.role.middle"


def _flags(image: dict[str, Any], lang: str) -> list[str]:
    flags = []
    if image.get("backing_filename") and not image.get("backing_format"):
        flags.append(text("chain.no_backing_format", lang))
    ext = posixpath.splitext(image["filename"])[1][1:]
    expected = EXTENSIONS.get(ext.lower())
    if expected and expected != image["format"]:
        flags.append(text("chain.ext_mismatch", lang, ext=ext, format=image["format"]))
    if image.get("dirty"):
        flags.append(text("chain.dirty", lang))
    if image.get("corrupt"):
        flags.append(text("chain.corrupt", lang))
    return flags


def _box(image: dict[str, Any], role: str, lang: str) -> str:
    virtual, actual = int(image["virtual_size"]), int(image["actual_size"])
    share = min(100.0, 100.0 * actual / virtual) if virtual else 0.0
    flags = "".join(f'<div style="margin-top: 3px;">{badge("⚠ " + f, "warning")}</div>'
                    for f in _flags(image, lang))
    name = posixpath.basename(image["filename"]) or image["filename"]
    return (
        f'<div style="border: 2px solid #546e7a; border-radius: 6px; padding: 6px 10px; '
        f'min-width: 18em; max-width: 40em; background: var(--jp-layout-color1, #fff);">'
        f'<div><b style="{MONO} font-size: 13px;" title="{esc(image["filename"])}">'
        f'{esc(name)}</b> {badge(image["format"], "note")} '
        f'<span style="opacity: 0.7;">{esc(text(role, lang))}</span></div>'
        f'<div style="margin-top: 3px;">{esc(text("chain.virtual", lang))}: '
        f'<b title="{virtual} B">{esc(approx_size(virtual))}</b> · '
        f'{esc(text("chain.actual", lang))}: '
        f'<b title="{actual} B">{esc(approx_size(actual))}</b></div>'
        f'<div style="background: #cfd8dc; height: 6px; border-radius: 3px; margin-top: 3px;">'
        f'<div style="background: #1e88e5; height: 6px; border-radius: 3px; '
        f'width: {share:.1f}%;"></div></div>{flags}</div>')


def _arrow(image: dict[str, Any], lang: str) -> str:
    stored = image.get("backing_filename") or ""
    fmt = image.get("backing_format")
    options = f"-b {stored}" + (f" -F {fmt}" if fmt else "")
    return (f'<div style="padding: 2px 0 2px 2em; opacity: 0.8;">'
            f'<span style="font-size: 18px;">↓</span> {esc(text("chain.arrow", lang))} '
            f'<code>{esc(options)}</code></div>')


def chain_html(path: str, info: dict[str, Any] | None, lang: str,
               error: str | None = None) -> str:
    """Draw the chain of ``path`` from the QemuImgInfo value ``info`` (top image first), or
    say why there is none (``error`` is the probe's error, if it had one)."""
    if error is not None or info is None:
        return message(text("chain.error", lang, path=path, reason=error or "?"), "error")
    state = info.get("state")
    if state == "missing":
        return message(text("chain.missing", lang, path=path), "failed")
    if state == "backing-missing":
        return message(text("chain.backing_missing", lang, path=path,
                         missing=info.get("missing") or "?"), "failed")
    if state == "wrong-format":
        return message(text("chain.wrong_format", lang, path=path, format="?"), "failed")
    chain = info.get("chain") or []
    summary = text("chain.summary", lang, chain=chain_summary(info))
    parts = [f'<div style="{FONT}">', f'<div style="margin-bottom: 4px;">{esc(summary)}</div>']
    for index, image in enumerate(chain):
        if index:
            parts.append(_arrow(chain[index - 1], lang))
        parts.append(_box(image, _role(index, len(chain)), lang))
    parts.append("</div>")
    return "".join(parts)


class BackingChain(View):
    """An image name, a button, and the chain of that image on the lab host."""

    def __init__(self, host: Host | None, lang: str, path: str, *, cwd: str | None = None,
                 now: bool = True) -> None:
        self.host, self.lang = host, lang
        self.cwd = cwd
        self.info: dict[str, Any] | None = None
        self.path = w.Text(value=path, description=text("chain.path", lang),
                           layout=w.Layout(width="28em"))
        self.button = w.Button(description=text("chain.button", lang), icon="sitemap")
        self.output = w.HTML()
        self.button.on_click(lambda _button: self.refresh())
        self.widget = w.VBox([w.HBox([self.path, self.button]), self.output])
        if now:
            self.refresh()

    def full_path(self) -> str:
        path = self.path.value.strip()
        return posixpath.join(self.cwd, path) if self.cwd and path else path

    def refresh(self) -> dict[str, Any] | None:
        """Read the chain from the lab host and draw it (also what the button does)."""
        lang = self.lang
        path = self.full_path()
        self.info = None
        if not path:
            self.output.value = message(text("chain.empty_path", lang), "warning")
            return None
        probe = QemuImgInfo(path)
        try:
            if self.host is None:
                raise ConnectError(text("run.no_host", lang))
            outcome = self.host.collect([probe])[probe.key]
        except LabkitError as exc:
            self.output.value = message(text("chain.error", lang, path=path, reason=exc), "error")
            return None
        except Exception as exc:  # a widget shows a message, never a traceback
            self.output.value = message(
                text("chain.error", lang, path=path, reason=f"{type(exc).__name__}: {exc}"),
                "error")
            return None
        self.info = plain(outcome.value) if outcome.ok else None
        self.output.value = chain_html(path, self.info, lang, outcome.error) + \
            message(host_line(self.host, lang), "note")
        return self.info

    def text(self) -> str:
        summary = chain_summary(self.info)
        if summary:
            return text("chain.summary", self.lang, chain=summary)
        return text("chain.widget", self.lang, path=self.path.value)
