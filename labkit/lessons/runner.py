"""Run a lesson notebook top to bottom in a fresh kernel (nbclient), as "Run All" does.

Used by the live lesson test, the "a lesson earns no exercise points" test and the benchmark::

    run = run_notebook(path, env=clean_env(LABKIT_ACCEL="tcg"))
    run.first_output      # seconds from the start to the first command output (a `sh` cell)
    run.errors            # cells that raised, as "cell N: Error: message"

``clean_env`` is this process's environment without any ``LABKIT_*`` variable (a student's
kernel has none), plus the ones given.
"""

from __future__ import annotations

import copy
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def clean_env(**labkit: str) -> dict[str, str]:
    """``os.environ`` without ``LABKIT_*``, plus ``labkit`` (e.g. ``LABKIT_ACCEL="tcg"``)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABKIT_")}
    env.update(labkit)
    return env


@dataclass
class Run:
    """One executed notebook."""

    notebook: Any
    seconds: float
    first_output: float | None
    errors: list[str] = field(default_factory=list)


def _text(output: Any) -> str:
    if output.get("output_type") == "stream":
        return str(output.get("text", ""))
    data = output.get("data") or {}
    return str(data.get("text/plain", ""))


def outputs_text(cell: Any) -> str:
    """Every stream and ``text/plain`` output of a code cell, joined."""
    return "".join(_text(o) for o in cell.get("outputs", []))


def run_notebook(notebook: str | Path | Any, *, env: dict[str, str], cwd: str | Path,
                 preamble: str = "", timeout: float = 900) -> Run:
    """Execute ``notebook`` (a path or a NotebookNode, not changed) in a kernel started with
    ``env`` in ``cwd``; ``preamble`` runs first, in its own cell, left out of the result."""
    import nbformat
    from nbclient import NotebookClient

    if isinstance(notebook, (str, Path)):
        nb = nbformat.read(str(notebook), as_version=4)  # type: ignore[no-untyped-call]
    else:
        nb = copy.deepcopy(notebook)
    if preamble:
        cell = nbformat.v4.new_code_cell(preamble)  # type: ignore[no-untyped-call]
        nb.cells.insert(0, cell)
    started = time.monotonic()
    first: list[float] = []

    def executed(cell: Any, cell_index: int, execute_reply: Any) -> None:
        if not first and (not preamble or cell_index > 0) and any(
                o.get("output_type") == "stream" for o in cell.get("outputs", [])):
            first.append(time.monotonic() - started)

    client = NotebookClient(nb, timeout=int(timeout), kernel_name="python3",
                            allow_errors=True, on_cell_executed=executed,
                            resources={"metadata": {"path": str(cwd)}})
    client.execute(env=env)
    if preamble:
        nb.cells.pop(0)
    errors = [f"cell {i}: {o.get('ename')}: {o.get('evalue')}"
              for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
              for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    return Run(nb, time.monotonic() - started, first[0] if first else None, errors)
