"""Replay: answer commands with outputs recorded from a real host.

For fast tests and for nbval, so lessons run where no lab host is. A recording is JSON::

    {"labkit_recording": 1, "host": "ssh://root@127.0.0.1:2222",
     "commands": [{"command": "qemu-img info …", "exit_code": 0, "stdout": "…", "stderr": ""}]}

The collector's one-round-trip call is answered probe by probe from the same table, so a
recording stays valid when the set of probes in a grade changes. ``RecordingTransport``
wraps a real transport and writes such a file (``labkit record``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from labkit.errors import LabkitError
from labkit.transports.base import COLLECTOR_PREFIX, DEFAULT_TIMEOUT, CommandResult, Transport

FORMAT_VERSION = 1


def _is_collector(command: str) -> bool:
    return command.startswith(COLLECTOR_PREFIX)


class ReplayTransport(Transport):
    """Serves a recording; an unrecorded command exits 127 with a message on stderr."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.commands: dict[str, dict[str, Any]] = {
                c["command"]: c for c in data["commands"]}
            self.url = f"replay://{self.path}"
            self.recorded_host = str(data.get("host", ""))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise LabkitError(f"{path}: not a labkit recording ({exc})") from None

    def _answer(self, command: str) -> dict[str, Any]:
        return self.commands.get(command) or {
            "exit_code": 127, "stdout": "",
            "stderr": f"labkit replay: command not recorded: {command}\n"}

    def run(self, command: str, *, timeout: float = DEFAULT_TIMEOUT,
            stdin: bytes | None = None) -> CommandResult:
        if _is_collector(command) and stdin is not None:
            payload = json.loads(stdin)
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
    """Passes commands to ``inner`` and remembers every answer (per probe for collections)."""

    def __init__(self, inner: Transport) -> None:
        self.inner = inner
        self.url = inner.url
        self.commands: dict[str, dict[str, Any]] = {}

    def run(self, command: str, *, timeout: float = DEFAULT_TIMEOUT,
            stdin: bytes | None = None) -> CommandResult:
        result = self.inner.run(command, timeout=timeout, stdin=stdin)
        if _is_collector(command) and stdin is not None:
            payload = json.loads(stdin)
            try:
                answers = json.loads(result.stdout)["results"]
            except (ValueError, KeyError):
                return result
            for probe in payload["probes"]:
                a = answers.get(probe["id"])
                if a is not None:
                    self.commands[probe["cmd"]] = {"command": probe["cmd"], "exit_code": a["rc"],
                                                   "stdout": a["out"], "stderr": a["err"]}
        else:
            self.commands[command] = {"command": command, "exit_code": result.exit_code,
                                      "stdout": result.stdout, "stderr": result.stderr}
        return result

    def save(self, path: str | Path) -> None:
        data = {"labkit_recording": FORMAT_VERSION, "host": self.url,
                "commands": sorted(self.commands.values(), key=lambda c: str(c["command"]))}
        Path(path).write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n",
                              encoding="utf-8")

    def close(self) -> None:
        self.inner.close()
