"""The 802.1Q frame explorer: where the 4-byte VLAN tag goes in an Ethernet frame, and what
access (untagged) and trunk (tagged) ports do to a frame.

The logic is pure and works on real bytes::

    frame = ethernet_frame("52:54:00:4c:42:02", "ff:ff:ff:ff:ff:ff", 0x0806, b"...")
    tagged = tag_frame(frame, vid=10, pcp=0, dei=0)   # 4 bytes inserted after the source MAC
    parse_frame(tagged).tag                           # Tag(tpid=0x8100, pcp=0, dei=0, vid=10)
    walk(frame, Port("access", vid=10), Port("trunk", vids=(10, 20)))
        # steps: in on an access port -> VLAN 10 given; out of a trunk -> tag 10 added

``frame_html`` draws the bytes; ``VlanFrameExplorer`` (ipywidgets, imported on first use) lets
a student change VID/PCP/DEI and the two ports and watch the frame.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Any, Literal

from labkit.i18n import text
from labkit.widgets.html import FONT, MONO, badge, esc

TPID = 0x8100
ETHERTYPES = {0x0800: "IPv4", 0x0806: "ARP", 0x86DD: "IPv6", TPID: "802.1Q"}
MIN_PAYLOAD = 46




# -- bytes ------------------------------------------------------------------------------------
def mac_bytes(mac: str) -> bytes:
    parts = mac.split(":")
    if len(parts) != 6:
        raise ValueError(f"not a MAC address: {mac!r}")
    return bytes(int(p, 16) for p in parts)


def mac_text(raw: bytes) -> str:
    return ":".join(f"{b:02x}" for b in raw)


def ethernet_frame(src: str, dst: str, ethertype: int, payload: bytes) -> bytes:
    """An untagged Ethernet II frame (no FCS), the payload padded to 46 bytes."""
    payload = payload.ljust(MIN_PAYLOAD, b"\0")
    return mac_bytes(dst) + mac_bytes(src) + struct.pack("!H", ethertype) + payload


@dataclass(frozen=True)
class Tag:
    """The 802.1Q tag: TPID (0x8100), then the TCI: PCP (3 bits), DEI (1 bit), VID (12 bits)."""

    vid: int
    pcp: int = 0
    dei: int = 0
    tpid: int = TPID

    def __post_init__(self) -> None:
        if not 0 <= self.vid <= 4095 or not 0 <= self.pcp <= 7 or self.dei not in (0, 1):
            raise ValueError("VID is 0-4095, PCP 0-7, DEI 0 or 1")

    @property
    def tci(self) -> int:
        return (self.pcp << 13) | (self.dei << 12) | self.vid

    def to_bytes(self) -> bytes:
        return struct.pack("!HH", self.tpid, self.tci)


@dataclass(frozen=True)
class FrameView:
    dst: str
    src: str
    tag: Tag | None
    ethertype: int
    payload: bytes


def tag_frame(frame: bytes, vid: int, pcp: int = 0, dei: int = 0) -> bytes:
    """``frame`` with an 802.1Q tag inserted after the source MAC (byte 12): 4 bytes longer."""
    if len(frame) < 14:
        raise ValueError("an Ethernet frame has at least 14 bytes")
    return frame[:12] + Tag(vid, pcp, dei).to_bytes() + frame[12:]


def untag_frame(frame: bytes) -> bytes:
    """``frame`` without its 802.1Q tag (unchanged if it has none)."""
    if len(frame) >= 18 and struct.unpack("!H", frame[12:14])[0] == TPID:
        return frame[:12] + frame[16:]
    return frame


def parse_frame(frame: bytes) -> FrameView:
    if len(frame) < 14:
        raise ValueError("an Ethernet frame has at least 14 bytes")
    kind = struct.unpack("!H", frame[12:14])[0]
    tag = None
    rest = frame[14:]
    if kind == TPID and len(frame) >= 18:
        tci = struct.unpack("!H", frame[14:16])[0]
        tag = Tag(vid=tci & 0x0FFF, pcp=tci >> 13, dei=(tci >> 12) & 1)
        kind = struct.unpack("!H", frame[16:18])[0]
        rest = frame[18:]
    return FrameView(mac_text(frame[0:6]), mac_text(frame[6:12]), tag, kind, rest)


# -- ports --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Port:
    """A switch port: ``access`` (untagged, in VLAN ``vid``) or ``trunk`` (tagged VLANs
    ``vids``; ``native``: the VLAN its untagged frames belong to, if any)."""

    mode: Literal["access", "trunk"]
    vid: int = 1
    vids: tuple[int, ...] = ()
    native: int | None = None

    def describe(self, lang: str) -> str:
        if self.mode == "access":
            return text("vlan.port.access", lang, vid=self.vid)
        return text("vlan.port.trunk", lang, vids=",".join(map(str, self.vids)) or "-")


@dataclass(frozen=True)
class Step:
    key: str
    values: dict[str, Any] = field(default_factory=dict)
    frame: bytes | None = None     # the frame after this step (None: dropped)

    def text(self, lang: str) -> str:
        return text(f"vlan.{self.key}", lang, **self.values)


def walk(frame: bytes, in_port: Port, out_port: Port) -> list[Step]:
    """What a VLAN-aware switch does to ``frame`` coming in on ``in_port`` and going out by
    ``out_port``: each step with the frame as it is afterwards (None once dropped)."""
    view = parse_frame(frame)
    vids = ",".join(map(str, out_port.vids)) or "-"
    in_vids = ",".join(map(str, in_port.vids)) or "-"
    if in_port.mode == "access":
        if view.tag is not None:
            return [Step("walk.in_access_tagged", {"vid": view.tag.vid}, None)]
        vlan = in_port.vid
        steps = [Step("walk.in_access_untagged", {"vid": vlan}, frame)]
    else:
        if view.tag is None:
            if in_port.native is None:
                return [Step("walk.in_trunk_untagged", {}, None)]
            vlan = in_port.native
            steps = [Step("walk.in_trunk_native", {"vid": vlan}, frame)]
        elif view.tag.vid not in in_port.vids:
            return [Step("walk.in_trunk_refused", {"vid": view.tag.vid, "vids": in_vids}, None)]
        else:
            vlan = view.tag.vid
            steps = [Step("walk.in_trunk_ok", {"vid": vlan}, frame)]
    bare = untag_frame(frame)
    pcp = view.tag.pcp if view.tag else 0
    dei = view.tag.dei if view.tag else 0
    if out_port.mode == "access":
        if out_port.vid != vlan:
            steps.append(Step("walk.out_access_other", {"vid": vlan, "port_vid": out_port.vid},
                              None))
        else:
            steps.append(Step("walk.out_access", {"vid": vlan}, bare))
    elif out_port.native == vlan:
        steps.append(Step("walk.out_native", {"vid": vlan}, bare))
    elif vlan not in out_port.vids:
        steps.append(Step("walk.out_trunk_refused", {"vid": vlan, "vids": vids}, None))
    else:
        steps.append(Step("walk.out_trunk", {"vid": vlan}, tag_frame(bare, vlan, pcp, dei)))
    return steps


# -- drawing ------------------------------------------------------------------------------------
_FIELD_COLOURS = {"dst": "#e3f2fd", "src": "#e8f5e9", "tpid": "#ffe0b2", "tci": "#ffcc80",
                  "type": "#f3e5f5", "payload": "#eceff1", "fcs": "#fafafa"}


def _cell(label: str, detail: str, size: int, colour: str) -> str:
    return (f'<div style="display: inline-block; vertical-align: top; background: {colour}; '
            f'border: 1px solid #90a4ae; padding: 3px 6px; margin: 0 -1px 0 0; '
            f'min-width: {min(14, max(3, size)) * 0.9:.1f}em; text-align: center;">'
            f'<div style="font-weight: bold;">{esc(label)}</div>'
            f'<div style="{MONO}">{esc(detail)}</div>'
            f'<div style="opacity: 0.7; font-size: 11px;">{size} B</div></div>')


def frame_html(frame: bytes | None, lang: str) -> str:
    """The frame's fields as boxes, the 4 tag bytes highlighted; ``None``: a dropped frame."""
    if frame is None:
        return badge("✗ drop", "failed")
    view = parse_frame(frame)
    cells = [_cell(text("vlan.frame.dst", lang), view.dst, 6, _FIELD_COLOURS["dst"]),
             _cell(text("vlan.frame.src", lang), view.src, 6, _FIELD_COLOURS["src"])]
    notes = []
    if view.tag is not None:
        cells.append(_cell(text("vlan.frame.tpid", lang), f"{view.tag.tpid:#06x}", 2,
                           _FIELD_COLOURS["tpid"]))
        cells.append(_cell(text("vlan.frame.tci", lang), f"{view.tag.tci:#06x}", 2,
                           _FIELD_COLOURS["tci"]))
        notes.append(text("vlan.frame.tagged", lang))
        notes.append(text("vlan.frame.tag_bits", lang, pcp=view.tag.pcp, dei=view.tag.dei,
                        vid=view.tag.vid))
    else:
        notes.append(text("vlan.frame.untagged", lang))
    name = ETHERTYPES.get(view.ethertype, "?")
    cells.append(_cell(text("vlan.frame.type", lang), f"{view.ethertype:#06x} {name}", 2,
                       _FIELD_COLOURS["type"]))
    cells.append(_cell(text("vlan.frame.payload", lang), "…", len(view.payload),
                       _FIELD_COLOURS["payload"]))
    cells.append(_cell(text("vlan.frame.fcs", lang), "CRC32", 4, _FIELD_COLOURS["fcs"]))
    size = text("vlan.frame.bytes", lang, n=len(frame) + 4)
    return (f'<div style="{FONT}"><div style="white-space: nowrap; overflow-x: auto;">'
            f'{"".join(cells)}</div><div style="margin-top: 3px;">{esc(size)} · '
            + " ".join(esc(n) for n in notes) + "</div></div>")


def walk_html(frame: bytes, in_port: Port, out_port: Port, lang: str) -> str:
    parts = [f'<div style="{FONT}">', frame_html(frame, lang)]
    for step in walk(frame, in_port, out_port):
        parts.append(f'<div style="margin: 6px 0 2px 0;">↓ {esc(step.text(lang))}</div>')
        parts.append(frame_html(step.frame, lang))
    parts.append("</div>")
    return "".join(parts)


def walk_summary(frame: bytes, in_port: Port, out_port: Port, lang: str) -> str:
    return " → ".join(step.text(lang) for step in walk(frame, in_port, out_port))


SAMPLE = ethernet_frame("52:54:00:4c:42:02", "52:54:00:4c:42:03", 0x0800, b"\x45" + b"\0" * 19)


class VlanFrameExplorer:
    """Sliders for VID/PCP/DEI, the two ports, and the frame at each step (ipywidgets)."""

    def __init__(self, lang: str = "gl") -> None:
        import ipywidgets as w

        self.lang = lang
        self.vid = w.IntSlider(value=10, min=1, max=4094,
                               description=text("vlan.explorer.vid", lang))
        self.pcp = w.IntSlider(value=0, min=0, max=7, description=text("vlan.explorer.pcp", lang))
        self.dei = w.IntSlider(value=0, min=0, max=1, description=text("vlan.explorer.dei", lang))
        self.tagged = w.Checkbox(value=False, description=text("vlan.explorer.tagged_in", lang))
        options = [("access VLAN 10", "a10"), ("access VLAN 20", "a20"),
                   ("trunk 10,20", "t"), ("trunk 20", "t20")]
        self.in_port = w.Dropdown(options=options, value="a10",
                                  description=text("vlan.explorer.in", lang))
        self.out_port = w.Dropdown(options=options, value="t",
                                   description=text("vlan.explorer.out", lang))
        self.output = w.HTML()
        for control in (self.vid, self.pcp, self.dei, self.tagged, self.in_port, self.out_port):
            control.observe(lambda _change: self.refresh(), names="value")
        self.widget = w.VBox([w.HBox([self.vid, self.pcp, self.dei]),
                              w.HBox([self.tagged, self.in_port, self.out_port]), self.output])
        self.refresh()

    @staticmethod
    def port(code: str) -> Port:
        return {"a10": Port("access", vid=10), "a20": Port("access", vid=20),
                "t": Port("trunk", vids=(10, 20)), "t20": Port("trunk", vids=(20,))}[code]

    def frame(self) -> bytes:
        if self.tagged.value:
            return tag_frame(SAMPLE, self.vid.value, self.pcp.value, self.dei.value)
        return SAMPLE

    def refresh(self) -> None:
        self.output.value = walk_html(self.frame(), self.port(self.in_port.value),
                                      self.port(self.out_port.value), self.lang)

    def text(self) -> str:
        return walk_summary(self.frame(), self.port(self.in_port.value),
                            self.port(self.out_port.value), self.lang)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = dict(self.widget._repr_mimebundle_(**kwargs) or {})
        bundle["text/plain"] = self.text()
        return bundle
