"""Replay and recording: answer commands with outputs recorded from a real host.

A recording is JSON::

    {"labkit_recording": 1, "host": "ssh://root@127.0.0.1:2222",
     "commands": [{"command": "qemu-img info …", "exit_code": 0, "stdout": "…", "stderr": "",
                   "answers": [{"exit_code": 0, "stdout": "…", "stderr": ""}, …]}]}

``answers`` (optional) holds every answer in the order the commands ran: a lesson asks the
same thing more than once while the host changes (a backing chain before and after a rebase),
and the replay gives them back in that order, then keeps giving the last one. The collector's
one-round-trip call is answered probe by probe from the same table, so a recording stays
valid when the set of probes in a grade changes.

``RecordingTransport`` wraps a real transport and keeps such a table (``save(path)``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from labkit.errors import ConfigError
from labkit.transports.base import COLLECTOR_PREFIX, DEFAULT_TIMEOUT, CommandResult, Transport

FORMAT_VERSION = 1
_FIELDS = ("exit_code", "stdout", "stderr")


def _is_collector(command: str, stdin: bytes | None) -> bool:
    return command.startswith(COLLECTOR_PREFIX) and stdin is not None


def not_recorded(command: str) -> dict[str, Any]:
    return {"exit_code": 127, "stdout": "",
            "stderr": f"labkit replay: command not recorded: {command}\n"}


class ReplayTransport(Transport):
    """Serves a recording (a file, or its data); an unrecorded command exits 127 with a
    message on stderr. ``recorded(command)`` says whether a command is in it."""

    def __init__(self, path: str | Path | None = None, *,
                 data: dict[str, Any] | None = None) -> None:
        self.path = Path(path) if path is not None else None
        try:
            if data is None:
                if self.path is None:
                    raise ValueError("a file or its data")
                data = json.loads(self.path.read_text(encoding="utf-8"))
            self.commands: dict[str, dict[str, Any]] = {
                c["command"]: c for c in data["commands"]}
            self.recorded_host = str(data.get("host", ""))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"{path or 'data'}: not a labkit recording ({exc})") from None
        self.url = f"replay://{self.path}" if self.path else f"replay://{self.recorded_host}"
        self._queues = {cmd: list(entry.get("answers") or [])
                        for cmd, entry in self.commands.items()}

    def recorded(self, command: str) -> bool:
        return command in self.commands

    def _answer(self, command: str) -> dict[str, Any]:
        queue = self._queues.get(command)
        if queue and len(queue) > 1:
            return queue.pop(0)   # type: ignore[no-any-return]
        if queue:
            return queue[0]   # type: ignore[no-any-return]
        return self.commands.get(command) or not_recorded(command)

    def run(self, command: str, *, timeout: float = DEFAULT_TIMEOUT,
            stdin: bytes | None = None) -> CommandResult:
        if _is_collector(command, stdin):
            payload = json.loads(stdin or b"{}")
            results = {}
            for probe in payload["probes"]:
                answer = self._answer(probe["cmd"])
                results[probe["id"]] = {"rc": answer["exit_code"], "out": answer["stdout"],
                                        "err": answer["stderr"], "t": 0.0,
                                        "timeout": False, "truncated": False}
            return CommandResult(command, 0, json.dumps({"v": 1, "results": results}), "")
        answer = self._answer(command)
        return CommandResult(command, int(answer["exit_code"]), answer["stdout"],
                             answer["stderr"])


class RecordingTransport(Transport):
    """Passes commands to ``inner`` and remembers every answer, in order (per probe for a
    collection). ``data()`` is the recording; ``save(path)`` writes it."""

    def __init__(self, inner: Transport) -> None:
        self.inner = inner
        self.url = inner.url
        self.commands: dict[str, dict[str, Any]] = {}

    def _keep(self, command: str, answer: dict[str, Any]) -> None:
        entry = self.commands.setdefault(command, {"command": command, "answers": []})
        entry.update(answer)
        entry["answers"].append(dict(answer))

    def run(self, command: str, *, timeout: float = DEFAULT_TIMEOUT,
            stdin: bytes | None = None) -> CommandResult:
        result = self.inner.run(command, timeout=timeout, stdin=stdin)
        if _is_collector(command, stdin):
            try:
                payload = json.loads(stdin or b"{}")
                answers = json.loads(result.stdout)["results"]
            except (ValueError, KeyError):
                return result
            for probe in payload["probes"]:
                a = answers.get(probe["id"])
                if a is not None:
                    self._keep(probe["cmd"], {"exit_code": a["rc"], "stdout": a["out"],
                                              "stderr": a["err"]})
        else:
            self._keep(command, {"exit_code": result.exit_code, "stdout": result.stdout,
                                 "stderr": result.stderr})
        return result

    def data(self) -> dict[str, Any]:
        commands = []
        for entry in sorted(self.commands.values(), key=lambda c: str(c["command"])):
            entry = dict(entry)
            if len({json.dumps(a, sort_keys=True) for a in entry["answers"]}) <= 1:
                entry.pop("answers")   # one answer, however often: the plain form
            commands.append(entry)
        return {"labkit_recording": FORMAT_VERSION, "host": self.url, "commands": commands}

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.data(), indent=1, ensure_ascii=False) + "\n",
                              encoding="utf-8")

    def close(self) -> None:
        self.inner.close()


__all__ = ["FORMAT_VERSION", "RecordingTransport", "ReplayTransport", "not_recorded"]
