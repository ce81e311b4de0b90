"""Notebook widgets (ipywidgets 8, JupyterLab 4) on top of the grading library.

A widget receives the hosts it reads (``labkit.host.Host``, from the lesson lab:
``lesson.host("server")``) and its language; it never opens a transport or starts a lab.
Each one is a plain object holding an ipywidgets tree (``.widget``) with a deterministic
``text/plain`` form; the logic behind it is a pure function tested without a browser. Every
diagram read from a host has a "read again" button::

    from labkit.widgets import LvmMap, BackingChain
    LvmMap(lesson.host("server"), lesson.lang)
    BackingChain(lesson.host(), lesson.lang, "snapdisk.qcow2", cwd=lesson.workdir)
"""

from typing import TYPE_CHECKING

from labkit.lazy import attach

if TYPE_CHECKING:
    from labkit.widgets.builder import QemuImgBuilder, built_html, explain
    from labkit.widgets.chain import BackingChain, chain_html, chain_summary
    from labkit.widgets.check import CheckMyWork, Note, report_html, report_summary
    from labkit.widgets.iscsi import IqnBuilder, TargetDiagram
    from labkit.widgets.lvm import ExtentCalculator, LvmMap
    from labkit.widgets.net_topology import NetTopology
    from labkit.widgets.nfs import ExportsBuilder
    from labkit.widgets.qemu_img import BuiltCommand, QemuImgForm, build_command, check_command
    from labkit.widgets.quiz import Quiz
    from labkit.widgets.run import RunCommand, result_html, run_line, transcript
    from labkit.widgets.vlan_frame import VlanFrameExplorer

#: Each name's module: imported when first asked for (PEP 562), so a lesson's first cell,
#: which needs only its lab panel, does not wait for every widget and the grading library.
_HOMES = {
    "QemuImgBuilder": "builder",
    "built_html": "builder",
    "explain": "builder",
    "BackingChain": "chain",
    "chain_html": "chain",
    "chain_summary": "chain",
    "CheckMyWork": "check",
    "Note": "check",
    "report_html": "check",
    "report_summary": "check",
    "IqnBuilder": "iscsi",
    "TargetDiagram": "iscsi",
    "ExtentCalculator": "lvm",
    "LvmMap": "lvm",
    "NetTopology": "net_topology",
    "ExportsBuilder": "nfs",
    "BuiltCommand": "qemu_img",
    "QemuImgForm": "qemu_img",
    "build_command": "qemu_img",
    "check_command": "qemu_img",
    "Quiz": "quiz",
    "RunCommand": "run",
    "result_html": "run",
    "run_line": "run",
    "transcript": "run",
    "VlanFrameExplorer": "vlan_frame",
}

__all__ = [
    "BackingChain",
    "BuiltCommand",
    "CheckMyWork",
    "ExportsBuilder",
    "ExtentCalculator",
    "IqnBuilder",
    "LvmMap",
    "NetTopology",
    "Note",
    "QemuImgBuilder",
    "QemuImgForm",
    "Quiz",
    "RunCommand",
    "TargetDiagram",
    "VlanFrameExplorer",
    "build_command",
    "built_html",
    "chain_html",
    "chain_summary",
    "check_command",
    "explain",
    "report_html",
    "report_summary",
    "result_html",
    "run_line",
    "transcript",
]


__getattr__, __dir__ = attach(__name__, {name: f"{__name__}.{home}"
                                          for name, home in _HOMES.items()})
