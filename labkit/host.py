"""A lab host: one transport, plus the one-round-trip collection of probes."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import shlex
import threading
from collections.abc import Iterable
from importlib import resources
from types import TracebackType
from typing import Any

from labkit.errors import AnswerError, CommandTimeout, ConnectError, LabkitError
from labkit.probes.base import Outcome, Probe
from labkit.transports import Transport, open_transport, parse_url
from labkit.transports.base import COLLECTOR_PREFIX, CommandResult

__all__ = ["MAX_PROBE_OUTPUT", "Host", "Outcome", "bounded_host", "collector_command",
           "open_early", "parse_outcome"]

#: Largest output kept per probe (stdout and stderr each).
MAX_PROBE_OUTPUT = 1024 * 1024
#: How the collector's JSON document begins (``json.dumps({"v": 1, "results": …})``).
_DOCUMENT_START = '{"v": 1, "results": '


def _collector_source() -> str:
    return resources.files("labkit").joinpath("collector.py").read_text()


def collector_command() -> str:
    """The shell command that runs the collector program on the lab host."""
    return (
        f"{COLLECTOR_PREFIX} command -v python3 >/dev/null 2>&1 || "
        "{ echo 'labkit: python3 is not installed on the lab host' >&2; exit 127; }; "
        f"LC_ALL=C exec python3 -I -S -c {shlex.quote(_collector_source())}"
    )


class Host:
    """A lab host reached through a transport. ``Host("ssh://root@127.0.0.1:2222?key=…")``."""

    def __init__(self, transport: Transport | str, *, timeout: float = 60.0) -> None:
        self.transport = open_transport(transport) if isinstance(transport, str) else transport
        self.timeout = timeout
        self._early: _Early | None = None

    def connect_soon(self, *, collect: bool = False) -> Host:
        """Start connecting in the background, so that a command's imports and its grader's
        loading happen while the SSH handshake waits on the network. With ``collect`` (the
        next thing done on this host is ``collect``), where the transport can start a
        command before its input is known (SSH), the collector is started too and waits on
        the host for the probes ``collect`` sends it. The first ``collect`` or command waits
        for it; an error met there (unreachable host, refused key) is raised by it, as it
        would have been without this. A transport without ``connect`` (local, replay) has
        nothing to do early."""
        if self._early is None and hasattr(self.transport, "connect"):
            self._early = _Early(self, collect=collect)
        return self

    def _take_early(self, payload: bytes | None = None) -> CommandResult | None:
        """Wait for ``connect_soon``'s work, giving a started collector ``payload`` (None:
        nothing to collect); raise what it met, once."""
        early, self._early = self._early, None
        if early is None:
            return None
        return early.finish(payload)

    @property
    def url(self) -> str:
        return self.transport.url

    def run(self, command: str, *args: str, timeout: float = 30.0) -> CommandResult:
        """Run ``command`` with each of ``args`` quoted and appended; LC_ALL=C."""
        line = " ".join([command, *(shlex.quote(a) for a in args)])
        if self._early is not None and not self._early.collecting:
            self._take_early()
        return self.transport.run(f"export LC_ALL=C; {line}", timeout=timeout)

    def collect(self, probes: list[Probe[Any]]) -> dict[str, Outcome]:
        """Run every probe in ONE remote command; return each probe's outcome by key.

        Connection problems raise ConnectError/CommandTimeout (nothing could be read);
        a single probe that fails to run or parse gets an Outcome with ``error`` set.
        """
        unique = {p.key: p for p in probes}
        if not unique:
            return {}
        payload = {
            "max_output": MAX_PROBE_OUTPUT,
            "probes": [{"id": k, "cmd": p.command(), "timeout": p.timeout}
                       for k, p in unique.items()],
        }
        budget = sum(p.timeout for p in unique.values()) + 10.0
        try:
            raw = self._take_early(json.dumps(payload).encode()) or self.transport.run(
                collector_command(), timeout=min(budget, self.timeout * 4),
                stdin=json.dumps(payload).encode())
        except CommandTimeout as exc:
            raise CommandTimeout("collecting the lab host's state", exc.timeout) from None
        if raw.exit_code == 127 and "python3" in raw.stderr:
            raise ConnectError(f"{self.url}: python3 is not installed on the lab host")
        try:
            # Skip what a chatty shell start-up file (~/.bashrc) printed around the document.
            start = raw.stdout.find(_DOCUMENT_START)
            document = json.JSONDecoder().raw_decode(raw.stdout, start)[0] if start >= 0 \
                else json.loads(raw.stdout)
            results = document["results"]
            if not isinstance(results, dict):
                raise TypeError
        except (ValueError, KeyError, TypeError, RecursionError):
            raise AnswerError(f"{self.url}: the lab host's answer was not understood",
                              raw) from None
        outcomes: dict[str, Outcome] = {}
        for key, probe in unique.items():
            outcomes[key] = _outcome(probe, results.get(key))
        return outcomes

    def close(self) -> None:
        if self._early is not None:  # let early work end (a started collector: no probes)
            with contextlib.suppress(LabkitError):
                self._take_early(_NOTHING)
        self.transport.close()

    def __enter__(self) -> Host:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def bounded_host(url: str, timeout: float) -> Host:
    """A Host whose connection and collection each end within ``timeout`` seconds (a class
    run's rule: a host past it is reported, and delays nobody else)."""
    parsed = parse_url(url)
    if parsed.scheme == "ssh":
        connect = min(float(parsed.options.get("timeout", 10)), timeout)
        parsed = dataclasses.replace(parsed, options={**parsed.options,
                                                      "timeout": f"{connect:g}"})
    # Host.collect waits at most 4 x Host.timeout for the collector.
    return Host(open_transport(parsed), timeout=timeout / 4)


def open_early(urls: Iterable[str], timeout: float = 30.0) -> dict[str, Host]:
    """``bounded_host`` for each URL, already connecting and starting its collector
    (``Host.connect_soon(collect=True)``), by URL: a class run opens its first students' hosts
    while it still reads graders and rosters (``grading.batch.grade_many(early=…)``). A URL
    that cannot be opened is left out (the grading says why, in its turn)."""
    hosts: dict[str, Host] = {}
    for url in dict.fromkeys(urls):
        try:
            hosts[url] = bounded_host(url, timeout).connect_soon(collect=True)
        except LabkitError:
            continue
    return hosts


#: A started collector's input when nothing is collected after all: it answers at once.
_NOTHING = json.dumps({"probes": []}).encode()


class _Early:
    """What ``Host.connect_soon`` started in the background: the connection and, where the
    transport has ``start`` (a command whose input comes later), the collector itself."""

    def __init__(self, host: Host, *, collect: bool) -> None:
        self.payload = _NOTHING
        self.ready = threading.Event()
        self.result: CommandResult | None = None
        self.error: BaseException | None = None
        start = getattr(host.transport, "start", None) if collect else None
        connect = getattr(host.transport, "connect", None)
        self.collecting = start is not None

        def work() -> None:
            try:
                if start is not None:
                    self.result = start(collector_command(), self._stdin,
                                        timeout=host.timeout * 4)
                elif connect is not None:
                    connect()
            except BaseException as exc:  # handed to whoever waits for it
                self.error = exc

        self.thread = threading.Thread(target=work, daemon=True, name="labkit-connect")
        self.thread.start()

    def _stdin(self) -> bytes:
        self.ready.wait()
        return self.payload

    def finish(self, payload: bytes | None) -> CommandResult | None:
        """Give a started collector ``payload`` (None: no probes), wait, and return its
        result (None when nothing was started or ``payload`` is None); raise its error."""
        self.payload = _NOTHING if payload is None else payload
        self.ready.set()
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.result if payload is not None else None


def _outcome(probe: Probe[Any], item: Any) -> Outcome:
    if not isinstance(item, dict):
        return Outcome(error="the lab host gave no answer for this probe")
    try:
        result = CommandResult(probe.command(), int(item["rc"]), str(item["out"]),
                               str(item["err"]), float(item.get("t", 0.0)))
    except (KeyError, ValueError, TypeError):
        return Outcome(error="the lab host's answer for this probe was malformed")
    if item.get("timeout"):
        return Outcome(error=f"timed out after {probe.timeout:g} s", result=result)
    if item.get("truncated"):
        return Outcome(error="its output was too large to read", result=result)
    return parse_outcome(probe, result)


def parse_outcome(probe: Probe[Any], result: CommandResult) -> Outcome:
    """Parse ``result`` with ``probe``; a parser failure becomes an error outcome."""
    try:
        return Outcome(value=probe.parse(result), result=result)
    except LabkitError as exc:
        return Outcome(error=str(exc), result=result)
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        return Outcome(error=f"unexpected output ({type(exc).__name__}: {exc})", result=result)
