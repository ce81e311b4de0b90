"""Recordings of a lesson's run, for ``LABKIT_HOST=replay:///…json`` (nbval without a host).

A lesson asks the same thing more than once while the host changes (the chain of
``snapdisk.qcow2`` before and after a rebase), and a plain recording keeps one answer per
command. ``LessonRecorder`` also stores every answer in order (``"answers"``: an extra field
that ``ReplayTransport`` ignores, so the file stays a normal recording), and ``LessonReplay``
gives them back in that order, then keeps giving the last one.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from labkit.transports import Transport
from labkit.transports.base import COLLECTOR_PREFIX, DEFAULT_TIMEOUT, CommandResult
from labkit.transports.replay import RecordingTransport, ReplayTransport


def _commands_of(command: str, stdin: bytes | None) -> list[str]:
    """The recorded commands one call stands for (each probe, for a collection)."""
    if command.startswith(COLLECTOR_PREFIX) and stdin is not None:
        try:
            return [str(p["cmd"]) for p in json.loads(stdin)["probes"]]
        except (ValueError, KeyError, TypeError):
            return []
    return [command]


class LessonRecorder(RecordingTransport):
    """Records every answer in order and saves after each command (``LABKIT_RECORD``); an
    existing file is extended, so one recording can gather a notebook's whole run."""

    def __init__(self, inner: Transport, path: str | Path) -> None:
        super().__init__(inner)
        self.path = Path(path)
        self.answers: dict[str, list[dict[str, Any]]] = {}
        if self.path.exists():
            for entry in json.loads(self.path.read_text(encoding="utf-8"))["commands"]:
                self.commands[entry["command"]] = entry
                self.answers[entry["command"]] = list(entry.get("answers", []))

    def run(self, command: str, *, timeout: float = DEFAULT_TIMEOUT,
            stdin: bytes | None = None) -> CommandResult:
        result = super().run(command, timeout=timeout, stdin=stdin)
        for recorded in _commands_of(command, stdin):
            entry = self.commands.get(recorded)
            if entry is not None:
                answer = {k: entry[k] for k in ("exit_code", "stdout", "stderr")}
                self.answers.setdefault(recorded, []).append(answer)
                entry["answers"] = self.answers[recorded]
        self.save(self.path)
        return result


class LessonReplay(ReplayTransport):
    """A ReplayTransport that answers a command recorded several times in recorded order."""

    def __init__(self, path: str | Path) -> None:
        super().__init__(path)
        self._queues = {cmd: list(entry.get("answers", []))
                        for cmd, entry in self.commands.items()}

    def _answer(self, command: str) -> dict[str, Any]:
        queue = self._queues.get(command)
        if queue and len(queue) > 1:
            return queue.pop(0)   # type: ignore[no-any-return]
        return super()._answer(command)


def lesson_transport(url: str, record: str = "") -> Transport | None:
    """The transport a Lab needs for ``url`` (None: the usual one, from the URL)."""
    from labkit.transports import open_transport, parse_url

    parsed = parse_url(url)
    if parsed.scheme == "replay":
        return LessonReplay(parsed.path)
    if record:
        return LessonRecorder(open_transport(parsed), os.path.abspath(record))
    return None
