"""Transports: how labkit reaches a lab host.

A host is named by a URL; the scheme picks the transport, imported on first use:

- ``ssh://user@host:port?key=PATH&known_hosts=PATH&timeout=SECONDS&via=JUMP_URL`` (paramiko;
  ``via=``: a percent-encoded ``ssh://`` URL of a jump host)
- ``local://`` (this machine)
- ``replay:///path/to/recording.json`` (outputs recorded from a real host)

Not named by URLs: ``replay.RecordingTransport`` (wraps a transport and records every answer,
in order; the lessons' preview recordings) and ``mock.MockTransport(handler)`` (a test double
answering each command with a function, like httpx's mock transport).
"""

from __future__ import annotations

import importlib
import math
import os
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

from labkit.errors import HostURLError
from labkit.transports.base import CommandResult, Transport

__all__ = ["CommandResult", "HostURL", "Transport", "open_transport", "parse_url"]

_BACKENDS = {
    "ssh": "labkit.transports.ssh:SSHTransport",
    "local": "labkit.transports.local:LocalTransport",
    "replay": "labkit.transports.replay:ReplayTransport",
}
_SSH_OPTIONS = {"key", "known_hosts", "timeout", "via"}


@dataclass(frozen=True)
class HostURL:
    """A parsed host URL."""

    scheme: str
    user: str = "root"
    host: str = ""
    port: int = 22
    path: str = ""
    options: dict[str, str] = field(default_factory=dict)
    text: str = ""

    @property
    def display(self) -> str:
        """The URL without its options (keys are paths a report need not show)."""
        if self.scheme == "ssh":
            return f"ssh://{self.user}@{self.host}:{self.port}"
        return self.text.split("?")[0]


def parse_url(text: str) -> HostURL:
    """Parse a host URL; raise HostURLError with the reason if it is wrong."""
    text = text.strip()
    if "://" not in text:
        raise HostURLError(f"not a host URL: {text!r} (expected e.g. ssh://root@127.0.0.1:2222)")
    try:
        parts = urlsplit(text)
    except ValueError as exc:  # e.g. "Invalid IPv6 URL"
        raise HostURLError(f"not a host URL: {text!r} ({exc})") from None
    scheme = parts.scheme
    if scheme not in _BACKENDS:
        raise HostURLError(f"unknown scheme {scheme!r} in {text!r} "
                           f"(known: {', '.join(sorted(_BACKENDS))})")
    query = parse_qs(parts.query, keep_blank_values=True)
    options = {k: v[-1] for k, v in query.items()}
    if scheme == "ssh":
        unknown = set(options) - _SSH_OPTIONS
        if unknown:
            raise HostURLError(f"unknown option {sorted(unknown)[0]!r} in {text!r} "
                               f"(known: {', '.join(sorted(_SSH_OPTIONS))})")
        if not parts.hostname:
            raise HostURLError(f"no host name in {text!r}")
        try:
            port = 22 if parts.port is None else parts.port
            if port == 0:
                raise ValueError
        except ValueError:
            raise HostURLError(f"bad port in {text!r}") from None
        if "timeout" in options:
            try:
                seconds = float(options["timeout"])
                if not math.isfinite(seconds) or seconds <= 0:
                    raise ValueError
            except ValueError:
                raise HostURLError(f"timeout must be a positive number in {text!r}") from None
        return HostURL("ssh", unquote(parts.username or "root"), parts.hostname, port,
                       options=options, text=text)
    if scheme == "replay":
        path = unquote(parts.netloc + parts.path)
        if not path:
            raise HostURLError(f"no recording file in {text!r}")
        return HostURL("replay", path=path, options=options, text=text)
    return HostURL(scheme, host="localhost", options=options, text=text)


def open_transport(url: str | HostURL) -> Transport:
    """Make the transport for ``url`` (it connects on first use)."""
    parsed = parse_url(url) if isinstance(url, str) else url
    module_name, _, class_name = _BACKENDS[parsed.scheme].partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    if parsed.scheme == "ssh":
        key = parsed.options.get("key")
        return cls(  # type: ignore[no-any-return]
            parsed.host, port=parsed.port, user=parsed.user,
            key_filename=os.path.expanduser(key) if key else None,
            known_hosts=parsed.options.get("known_hosts") or None,
            connect_timeout=float(parsed.options.get("timeout", 10)),
            url=parsed.display,
            command_timeout=float(parsed.options["timeout"]) if "timeout" in parsed.options
            else None,
            via=parsed.options.get("via") or None,
        )
    if parsed.scheme == "replay":
        return cls(parsed.path)  # type: ignore[no-any-return]
    return cls(parsed.display)  # type: ignore[no-any-return]
