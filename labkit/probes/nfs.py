"""NFS: /etc/exports (what is exported at boot), ``exportfs -s`` (what the kernel exports
now) and a functional write test on a client's mount.

``parse_exports`` is a pure parser of exports(5): comments, ``\\`` continuation lines,
quoted paths and ``\\040`` escapes, hosts, networks, wildcards, ``*``, ``@netgroups``,
``gss/krb5i`` clients, ``-opts`` default options after the path, and an option list with no
host (which exports(5) treats as the whole world: a classic mistake, ``host (rw)``).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import ClassVar, Literal, Required, TypedDict

from labkit.errors import ProbeError
from labkit.probes.base import Probe, q
from labkit.transports.base import CommandResult

#: Flags that come in pairs; the first of each pair is the default.
PAIRS = (("ro", "rw"), ("sync", "async"), ("root_squash", "no_root_squash"),
         ("no_all_squash", "all_squash"), ("secure", "insecure"),
         ("no_subtree_check", "subtree_check"), ("hide", "nohide"), ("wdelay", "no_wdelay"))
_CLIENT = re.compile(r"^([^()\s]*)(?:\(([^()]*)\))?$")


class ExportClient(TypedDict):
    """A client of an export and the options written for it (``host`` ``*``: anyone)."""

    host: str
    options: list[str]


class Export(TypedDict):
    """One export: its path, the line of the exports file it is on, and its clients."""

    path: str
    line: int
    clients: list[ExportClient]


class LiveExports(TypedDict):
    """``nfs.exportfs``: whether nfs-server is active, and what it exports now."""

    running: bool
    exports: list[Export]


class WriteResult(TypedDict, total=False):
    """``nfs.write_test``: ``written`` (owner ``uid``/``gid``/``user``), ``refused`` or
    ``stale`` (with the ``error``), or ``not-a-directory``."""

    state: Required[Literal["written", "refused", "stale", "not-a-directory"]]
    uid: int
    gid: int
    user: str
    error: str


def _unescape(text: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), text)


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """(first line number, text) of each entry, continuation lines joined, comments cut."""
    out: list[tuple[int, str]] = []
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw
        if not pending:
            start = number
        if "#" in line:
            line = line[:line.index("#")]
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        whole = (pending + line).strip()
        pending = ""
        if whole:
            out.append((start, whole))
    if pending.strip():
        out.append((start, pending.strip()))
    return out


def _split(line: str, number: int) -> list[str]:
    """Fields of an entry; a double-quoted path may hold spaces."""
    try:
        lexer = shlex.shlex(line, posix=True)
        lexer.whitespace_split = True
        lexer.quotes = '"'
        lexer.escape = ""
        lexer.commenters = ""
        return list(lexer)
    except ValueError:
        raise ProbeError(f"/etc/exports line {number}: unbalanced quote") from None


def parse_options(text: str) -> list[str]:
    """``"rw,sync, fsid=0"`` -> ``["rw", "sync", "fsid=0"]`` (order kept, blanks dropped)."""
    return [o.strip() for o in text.split(",") if o.strip()]


def parse_exports(text: str) -> list[Export]:
    """Entries of an exports file: ``[{"path", "line", "clients": [{"host", "options"}]}]``.

    ``options`` lists the options written for that client (the ``-opts`` defaults of the
    line first, then the client's own); ``host`` is ``"*"`` when none was written.
    Raises ProbeError for a line that is not an export.
    """
    entries: list[Export] = []
    for number, line in _logical_lines(text):
        fields = _split(line, number)
        if not fields:
            continue
        path = _unescape(fields[0])
        if not path.startswith("/"):
            raise ProbeError(f"/etc/exports line {number}: {fields[0]!r} is not an absolute path")
        defaults: list[str] = []
        clients: list[ExportClient] = []
        for field in fields[1:]:
            if field.startswith("-") and not clients:
                defaults += parse_options(field[1:])
                continue
            match = _CLIENT.match(field)
            if not match:
                raise ProbeError(f"/etc/exports line {number}: cannot read {field!r}")
            host, options = match.group(1) or "*", match.group(2)
            clients.append({"host": host,
                            "options": defaults + parse_options(options or "")})
        if not clients:
            clients.append({"host": "*", "options": defaults})
        entries.append({"path": path, "line": number, "clients": clients})
    return entries


def _pair_key(default: str) -> str:
    return "all_squash" if default == "no_all_squash" else default


def setting(option: str) -> tuple[str, str]:
    """The setting an option sets and its value: ``"no_root_squash"`` ->
    ``("root_squash", "no_root_squash")``, ``"fsid=0"`` -> ``("fsid", "0")``."""
    name, sep, value = option.partition("=")
    for default, other in PAIRS:
        if name in (default, other):
            return _pair_key(default), name
    return name, (value if sep else name)


def effective(options: list[str]) -> dict[str, str]:
    """Every setting after ``options`` (a later option wins), with the defaults of
    exports(5) filled in: ``{"ro": "ro"|"rw", "sync": "sync"|"async", "root_squash": …,
    "all_squash": "no_all_squash"|"all_squash", "sec": "sys", …, "fsid": "0"}``."""
    values = {_pair_key(default): default for default, _ in PAIRS}
    values["sec"] = "sys"
    for option in options:
        key, value = setting(option)
        values[key] = value
    return values


@dataclass(frozen=True)
class ExportsFile(Probe[list[Export]]):
    """/etc/exports and /etc/exports.d/*.exports, parsed (see ``parse_exports``): what the
    server exports after ``exportfs -a`` and after a reboot. Returns the entries in order."""

    name: ClassVar[str] = "nfs.exports_file"

    def command(self) -> str:
        return ("cat /etc/exports 2>/dev/null; for f in /etc/exports.d/*.exports; do "
                "[ -f \"$f\" ] && cat \"$f\"; done; true")

    def parse(self, result: CommandResult) -> list[Export]:
        if not result.ok:
            raise ProbeError(f"cannot read /etc/exports: {result.tail(2) or 'no output'}")
        return parse_exports(result.stdout)


@dataclass(frozen=True)
class ExportfsLive(Probe[LiveExports]):
    """What the NFS server exports now (``exportfs -s``: every option, in effect).

    Returns ``{"running": bool, "exports": [...]}`` shaped as ``parse_exports`` (the
    kernel lists each client on its own line). ``running`` is whether nfs-server is active.
    """

    name: ClassVar[str] = "nfs.exportfs"

    def command(self) -> str:
        return ("if systemctl is-active -q nfs-server; then echo running; else echo stopped; "
                "fi; exportfs -s")

    def parse(self, result: CommandResult) -> LiveExports:
        lines = result.stdout.splitlines()
        if result.exit_code == 127 or "exportfs: not found" in result.stderr:
            raise ProbeError("the NFS server (nfs-kernel-server) is not installed")
        if not lines or lines[0] not in ("running", "stopped"):
            raise ProbeError(f"exportfs -s failed: {result.tail(2) or 'no output'}")
        if not result.ok:
            raise ProbeError(f"exportfs -s failed: {result.tail(2)}")
        joined: list[str] = []
        for line in lines[1:]:   # a long path is printed alone, its client on the next line
            if line[:1].isspace() and joined:
                joined[-1] += " " + line.strip()
            else:
                joined.append(line)
        return {"running": lines[0] == "running", "exports": parse_exports("\n".join(joined))}


_REFUSED = "labkit:refused|"
_NOT_DIR = "labkit:not-a-directory"
_STALE = "labkit:stale"


@dataclass(frozen=True)
class WriteTest(Probe[WriteResult]):
    """FUNCTIONAL probe, and the only probe that writes: as root, create a uniquely named
    empty scratch directory ``.labkit-write-test-<pid>-<ns>`` in ``directory`` (a client's
    NFS mount), read who owns it, and remove it in the same command. It touches nothing else.
    (A directory, not a file: with ``fs.protected_regular`` a squashed root may create a file
    in a sticky world-writable folder and then be refused opening it.)

    Returns ``{"state": "written", "uid", "gid", "user"}`` (``user`` as the client names the
    owner: ``nobody`` when root was squashed), ``{"state": "refused", "error": "Read-only
    file system"}``, ``{"state": "not-a-directory"}`` or ``{"state": "stale", "error"}`` (the
    mount's file handle is stale: the server stopped exporting it or exports something else there).
    """

    name: ClassVar[str] = "nfs.write_test"
    timeout: ClassVar[float] = 20.0
    directory: str

    def command(self) -> str:
        d = q(self.directory)
        return (f"if [ ! -d {d} ]; then "
                f"case $(stat -- {d} 2>&1) in *'Stale file handle'*) echo {_STALE};; "
                f"*) echo {_NOT_DIR};; esac; exit 0; fi; "
                f"f={d}/.labkit-write-test-$$-$(date +%s%N); "
                "if err=$(mkdir -- \"$f\" 2>&1); then stat -c '%u|%g|%U' -- \"$f\"; "
                "rmdir -- \"$f\"; else "
                f"printf '%s\\n' \"{_REFUSED}$err\"; fi")

    def parse(self, result: CommandResult) -> WriteResult:
        out = result.stdout.strip()
        if out == _NOT_DIR:
            return {"state": "not-a-directory"}
        if out == _STALE:
            return {"state": "stale", "error": "Stale file handle"}
        if out.startswith(_REFUSED):
            error = out[len(_REFUSED):].rsplit(": ", 1)[-1].strip()
            if "Stale file handle" in error:
                return {"state": "stale", "error": error}
            return {"state": "refused", "error": error}
        parts = out.split("|")
        if not result.ok or len(parts) != 3:
            raise ProbeError(f"the write test failed: {result.tail(2) or 'no output'}")
        try:
            return {"state": "written", "uid": int(parts[0]), "gid": int(parts[1]),
                    "user": parts[2]}
        except ValueError:
            raise ProbeError(f"unexpected stat output: {out!r}") from None
