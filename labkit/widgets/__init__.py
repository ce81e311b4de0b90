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
