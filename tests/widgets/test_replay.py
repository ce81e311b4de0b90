"""Lesson recordings: every answer kept in order, replayed in order (replay:// for nbval)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from labkit.host import Host
from labkit.probes.files import FileStat
from labkit.transports.local import LocalTransport
from labkit.transports.replay import ReplayTransport
from labkit.widgets.lab import Lab
from labkit.widgets.replay import LessonRecorder, LessonReplay


def test_record_then_replay_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    recording = tmp_path / "rec.json"
    flag = tmp_path / "flag"
    probe = FileStat(str(flag))
    with Host(LessonRecorder(LocalTransport(), recording)) as host:
        first = host.run(f"cat {flag} 2>/dev/null || echo none")
        before = host.collect([probe])[probe.key].value
        host.run(f"echo yes > {flag}")
        second = host.run(f"cat {flag} 2>/dev/null || echo none")
        after = host.collect([probe])[probe.key].value
    assert (first.stdout, second.stdout) == ("none\n", "yes\n")
    assert before == {"exists": False} and after["exists"]

    data = json.loads(recording.read_text())
    assert data["labkit_recording"] == 1
    with Host(ReplayTransport(recording)) as plain:   # a plain replay: the last answer
        assert plain.run(f"cat {flag} 2>/dev/null || echo none").stdout == "yes\n"
    with Host(LessonReplay(recording)) as replay:
        assert replay.run(f"cat {flag} 2>/dev/null || echo none").stdout == "none\n"
        assert replay.collect([probe])[probe.key].value == {"exists": False}
        assert replay.run(f"cat {flag} 2>/dev/null || echo none").stdout == "yes\n"
        assert replay.collect([probe])[probe.key].value["exists"]
        assert replay.run(f"cat {flag} 2>/dev/null || echo none").stdout == "yes\n"

    monkeypatch.setenv("LABKIT_HOST", f"replay://{recording}")
    lab = Lab("en")
    assert isinstance(lab.host().transport, LessonReplay)


def test_lab_records_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    recording = tmp_path / "lesson.json"
    monkeypatch.setenv("LABKIT_RECORD", str(recording))
    lab = Lab("en", url="local://")
    lab.sh("echo recorded", cwd=str(tmp_path))
    commands = json.loads(recording.read_text())["commands"]
    assert any(c["stdout"] == "recorded\n" for c in commands)
