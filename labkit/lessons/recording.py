"""Recordings of the lessons, for preview mode (``LABKIT_PREVIEW``).

One file per lesson and language, package data of labkit::

    labkit/lessons/recordings/<lang>/<lesson>.json
    {"labkit_lesson_recording": 1, "lesson": "03-lvm", "lang": "gl", "lab": "storage",
     "accel": "tcg", "recorded": "2026-11-29T10:02:11Z",
     "hosts": {"server": <a replay recording>, "client": …}}

They are made by ``tests/lessons/test_lessons_live.py`` from live runs of the lesson
notebooks: the test calls :func:`record_to` in the kernel before the notebook's first cell,
so every Lesson created afterwards records what each of its hosts answered (saved after every
command). In preview mode a lesson replays them, and says so on every output.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from labkit.errors import ConfigError, LabkitError
from labkit.host import Host
from labkit.transports.base import DEFAULT_TIMEOUT, CommandResult, Transport
from labkit.transports.replay import RecordingTransport, ReplayTransport

FORMAT = 1
RECORDINGS = Path(__file__).resolve().parent / "recordings"

_target: Path | None = None


def recording_file(lesson: str, lang: str, root: Path | None = None) -> Path:
    return (root or RECORDINGS) / lang / f"{lesson}.json"


def record_to(directory: str | Path | None) -> None:
    """From now on (in this process), Lessons record to ``directory/<lang>/<lesson>.json``
    (None: stop recording)."""
    global _target
    _target = Path(directory) if directory is not None else None


def recording_target() -> Path | None:
    return _target


def load(lesson: str, lang: str, root: Path | None = None) -> dict[str, Any]:
    """The recording of ``lesson`` in ``lang`` (ConfigError if there is none)."""
    path = recording_file(lesson, lang, root)
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        if data.get("labkit_lesson_recording") != FORMAT or not isinstance(data["hosts"], dict):
            raise ValueError("unknown format")
    except FileNotFoundError:
        raise ConfigError(f"no recording of lesson {lesson} ({lang})") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path}: not a lesson recording ({exc})") from None
    return data


def load_newest(lesson: str, lang: str, root: Path | None = None) -> dict[str, Any]:
    """The newest recording of ``lesson`` in any language, ``lang``'s when they are as new.

    Both editions of a lesson run the same commands (the notebook builder writes each code
    cell once for both; the live test checks it), so either edition's recording answers them;
    the live test runs each lesson in one language by default and the other's may be older.
    LabkitError if there is none."""
    found = []
    for other in (*(o for o in ("gl", "en") if o != lang), lang):
        try:
            found.append(load(lesson, other, root))
        except LabkitError:
            if other == lang and not found:
                raise
    return max(reversed(found), key=lambda data: str(data.get("recorded", "")))


def replay_hosts(data: dict[str, Any]) -> dict[str, Host]:
    """role -> Host answering from the recording ``data`` (``replay://LAB/ROLE``)."""
    hosts = {}
    for role, recording in data["hosts"].items():
        transport = ReplayTransport(data=recording)
        transport.url = f"replay://{data.get('lab', '?')}/{role}"
        hosts[role] = Host(transport)
    return hosts


class LessonRecorder:
    """Records the hosts of one lesson run; ``wrap`` each host's transport, the file is
    written after every command."""

    def __init__(self, lesson: str, lang: str, lab: str, accel: str,
                 root: Path | None = None) -> None:
        self.path = recording_file(lesson, lang, root or _target)
        self.meta = {"labkit_lesson_recording": FORMAT, "lesson": lesson, "lang": lang,
                     "lab": lab, "accel": accel,
                     "recorded": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        self.recorders: dict[str, RecordingTransport] = {}

    def wrap(self, role: str, transport: Transport) -> Transport:
        recorder = _Saving(transport, self)
        self.recorders[role] = recorder
        return recorder

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        hosts = {role: r.data() for role, r in self.recorders.items()}
        for data in hosts.values():
            data["host"] = "ssh://root@lab"   # the port and key files of one run say nothing
        text = json.dumps({**self.meta, "hosts": hosts}, indent=1, ensure_ascii=False)
        self.path.write_text(text + "\n", encoding="utf-8")


class _Saving(RecordingTransport):
    def __init__(self, inner: Transport, owner: LessonRecorder) -> None:
        super().__init__(inner)
        self.owner = owner

    def run(self, command: str, *, timeout: float = DEFAULT_TIMEOUT,
            stdin: bytes | None = None) -> CommandResult:
        result = super().run(command, timeout=timeout, stdin=stdin)
        self.owner.save()
        return result
