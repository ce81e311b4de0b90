"""The ``labkit`` command, one module per command group; thin: parse, call the library, print.

- :mod:`labkit.cli.main` — the entry point and ``exercises | grade | solve | fault``;
- :mod:`labkit.cli.classes` — class grading, ``variants``, ``evidence``;
- :mod:`labkit.cli.sandbox` — ``image …`` and ``lab …``.

``python -m labkit.cli`` runs the command.
"""

from __future__ import annotations

from labkit.cli.main import main

__all__ = ["main"]
