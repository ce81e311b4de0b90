"""Notebook widgets (ipywidgets 8, JupyterLab 4) on top of the grading library.

They reach the lab host only through ``labkit.host.Host`` (found by ``Lab``: ``LABKIT_HOST``
or the running sandbox lab) and read it with probes and ``grade``. Each widget is a plain
object holding an ipywidgets tree (``.widget``) with a deterministic ``text/plain`` form; the
logic behind each one is a pure function tested without a browser::

    from labkit.widgets import Lab
    lab = Lab("en")
    lab.builder()                     # qemu-img command builder
    lab.chain("snapdisk.qcow2", "qemu-img-snapshots")
    lab.terminal("qemu-img-basics")   # run a command on the lab host
    lab.check("qemu-img-basics")      # Check my work
"""

from labkit.widgets.builder import QemuImgBuilder, built_html, explain
from labkit.widgets.chain import BackingChain, chain_html, chain_summary
from labkit.widgets.check import CheckMyWork, report_html, report_summary
from labkit.widgets.lab import Lab, exercise_workdir, find_host_url, language
from labkit.widgets.qemu_img import BuiltCommand, QemuImgForm, build_command, check_command
from labkit.widgets.run import RunCommand, result_html, run_line, transcript

__all__ = [
    "BackingChain",
    "BuiltCommand",
    "CheckMyWork",
    "Lab",
    "QemuImgBuilder",
    "QemuImgForm",
    "RunCommand",
    "build_command",
    "built_html",
    "chain_html",
    "chain_summary",
    "check_command",
    "exercise_workdir",
    "explain",
    "find_host_url",
    "language",
    "report_html",
    "report_summary",
    "result_html",
    "run_line",
    "transcript",
]
