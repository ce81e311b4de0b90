"""The qemu-img command builder's logic: form values -> a command line, with advice.

Pure (no widgets, no host), so every case is tested without a browser::

    built = build_command(QemuImgForm("resize", image="systemdisk.qcow2", size="80M"))
    built.command   # 'qemu-img resize systemdisk.qcow2 80M'
    [a.text("en") for a in built.advice]   # why that may not be what you meant

``check_command(text)`` does the same for a command the student typed (it also catches the
typos of the course text: ``gemu-img``, ``qcou2``, ``qemu-img -f qcow2 -O qcow2 …`` without
``convert``). Every name in ``BuiltCommand.command`` is ``shlex.quote``d. The widget lives in
``labkit.widgets.builder``.
"""

from __future__ import annotations

import difflib
import posixpath
import shlex
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from labkit.i18n import text
from labkit.units import TOO_LARGE, read_size

OPERATIONS = ("create", "convert", "resize", "snapshot", "commit", "info", "rebase")
#: Formats qemu-img writes that the course names (VHD is ``vpc`` to qemu-img).
FORMATS = ("qcow2", "raw", "vdi", "vmdk", "vpc", "vhdx")
#: What a file name's extension suggests about its format.
EXTENSIONS = {"qcow2": "qcow2", "raw": "raw", "vdi": "vdi", "vmdk": "vmdk", "vhd": "vpc",
              "vpc": "vpc", "vhdx": "vhdx"}

Level = Literal["error", "warning", "note"]


@dataclass(frozen=True)
class QemuImgForm:
    """What the builder's form holds. ``image`` is the file the command acts on (create: the
    new disk; convert: the source; snapshot: the new overlay); ``""`` formats are not given."""

    operation: str = "create"
    image: str = ""
    output: str = ""
    backing: str = ""
    fmt: str = "qcow2"
    out_fmt: str = "qcow2"
    backing_fmt: str = "qcow2"
    size: str = ""
    shrink: bool = False
    backing_chain: bool = False
    #: resize: the image's virtual size when it is known (read from the lab host)
    current_size: int | None = None
    #: options kept as they were typed (``-q``, ``-p``, ``-u`` …), put after the operation
    extra: tuple[str, ...] = ()


@dataclass(frozen=True)
class Advice:
    """One thing to tell the student: an ``error`` (the command fails or does the wrong
    thing), a ``warning`` (it works, maybe not as meant) or a ``note`` (what it implies)."""

    level: Level
    key: str
    values: dict[str, str] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return text(self.key, lang, **self.values)


@dataclass(frozen=True)
class BuiltCommand:
    argv: tuple[str, ...]
    advice: tuple[Advice, ...] = ()

    @property
    def command(self) -> str:
        """The command line, every argument quoted for the shell."""
        return " ".join(shlex.quote(a) for a in self.argv)

    @property
    def ok(self) -> bool:
        return not any(a.level == "error" for a in self.advice)

    def keys(self, level: Level | None = None) -> list[str]:
        return [a.key for a in self.advice if level is None or a.level == level]


def parse_qemu_size(text: str) -> tuple[str, int] | None:
    """``"+20M"`` -> ``("+", 20971520)``; None if qemu-img would not read it as a size: the
    one grammar (``labkit.units.read_size``) less what qemu-img refuses (``1MB``, ``1MiB``,
    blanks inside, more than any disk; ``100B`` is bytes)."""
    value = text.strip()
    read = read_size(value)
    if read is None or read.size >= TOO_LARGE or any(c.isspace() for c in value):
        return None
    if read.suffix and (read.suffix.upper() != "B" or not value[-2].isdigit()):
        return None
    return read.sign, read.size


def _human(size: int) -> str:
    for power, unit in zip((6, 5, 4, 3, 2, 1), "EPTGMK", strict=True):
        if size >= 1 << 10 * power and size % (1 << 10 * power) == 0:
            return f"{size >> 10 * power}{unit}"
    return str(size)


class _Check:
    """Collects advice while one form is turned into a command."""

    def __init__(self) -> None:
        self.advice: list[Advice] = []

    def add(self, level: Level, key: str, **values: object) -> None:
        item = Advice(level, key, {k: str(v) for k, v in values.items()})
        if item not in self.advice:
            self.advice.append(item)

    def name(self, value: str, missing: str) -> str:
        value = value.strip()
        if not value:
            self.add("error", missing)
        elif any(ord(c) < 32 or ord(c) == 127 for c in value):
            self.add("error", "name.control", name=value.encode("unicode_escape").decode())
        elif value.startswith("-"):
            self.add("error", "name.dash", name=value)
        return value

    def fmt(self, value: str) -> str:
        value = value.strip()
        if not value or value.lower() in FORMATS:
            return value.lower()
        if value.lower() == "vhd":
            self.add("error", "format.vhd", format=value)
            return "vpc"
        close = difflib.get_close_matches(value.lower(), FORMATS, n=1, cutoff=0.6)
        if close:   # the command shown is the corrected one; the error says what was typed
            self.add("error", "format.unknown_suggest", format=value, suggestion=close[0])
            return close[0]
        self.add("error", "format.unknown", format=value)
        return value

    def size(self, value: str, *, signed: bool) -> tuple[str, int] | None:
        value = value.strip()
        if not value:
            self.add("error", "missing.size")
            return None
        parsed = parse_qemu_size(value)
        if parsed is None or (parsed[0] and not signed):
            self.add("error", "size.bad", size=value)
            return None
        if parsed[1] == 0:
            self.add("error", "size.zero")
            return None
        if value.lstrip("+-").replace(".", "").isdigit():
            self.add("warning", "size.no_unit", size=value.lstrip("+-"))
        return parsed

    def extension(self, name: str, fmt: str) -> None:
        """Warn when ``name``'s extension names another format than ``fmt``."""
        ext = posixpath.splitext(name)[1][1:]
        expected = EXTENSIONS.get(ext.lower())
        if name and fmt in FORMATS and expected and expected != fmt:
            self.add("warning", "ext.mismatch", name=name, ext=ext, format=fmt)


def _same_file(a: str, b: str) -> bool:
    return bool(a) and posixpath.normpath(a) == posixpath.normpath(b)


def _opt(option: str, value: str) -> list[str]:
    return [option, value] if value else []


def build_command(form: QemuImgForm) -> BuiltCommand:
    """The qemu-img command line for ``form``, and what to tell the student about it."""
    if form.operation not in OPERATIONS:
        raise ValueError(f"unknown operation {form.operation!r} (known: {', '.join(OPERATIONS)})")
    c = _Check()
    builder = _BUILDERS[form.operation]
    argv = builder(form, c)
    sub = "create" if form.operation == "snapshot" else form.operation
    # An empty field is left out (its advice says what is missing), never passed as ''.
    return BuiltCommand(("qemu-img", sub, *form.extra, *(a for a in argv if a)),
                        tuple(c.advice))


def _create(form: QemuImgForm, c: _Check) -> list[str]:
    fmt = c.fmt(form.fmt)
    name = c.name(form.image, "missing.image")
    size = c.size(form.size, signed=False)
    if not fmt:
        c.add("warning", "create.no_format")
    c.extension(name, fmt or "raw")
    if fmt == "qcow2" and size:
        c.add("note", "create.qcow2")
    return [*_opt("-f", fmt), name, form.size.strip()]


def _snapshot(form: QemuImgForm, c: _Check) -> list[str]:
    fmt = c.fmt(form.fmt)
    backing = c.name(form.backing, "missing.backing")
    overlay = c.name(form.image, "missing.image")
    backing_fmt = c.fmt(form.backing_fmt)
    if fmt != "qcow2" and (not fmt or fmt in FORMATS):
        c.add("error", "snapshot.not_qcow2")
    else:
        c.extension(overlay, fmt)
    if not backing_fmt:
        c.add("error", "snapshot.no_backing_format")
    c.extension(backing, backing_fmt)
    if _same_file(overlay, backing):
        c.add("error", "snapshot.same_file")
    size = form.size.strip()
    if size:
        c.size(size, signed=False)
    if "/" in overlay and backing and not backing.startswith("/"):
        c.add("warning", "snapshot.relative")
    c.add("note", "snapshot.base_readonly")
    return [*_opt("-f", fmt), *_opt("-b", backing), *_opt("-F", backing_fmt), overlay,
            *([size] if size else [])]


def _convert(form: QemuImgForm, c: _Check) -> list[str]:
    fmt = c.fmt(form.fmt)
    out_fmt = c.fmt(form.out_fmt)
    source = c.name(form.image, "missing.image")
    output = c.name(form.output, "missing.output")
    ext_of = {n: EXTENSIONS.get(posixpath.splitext(n)[1][1:].lower()) for n in (source, output)}
    if fmt and out_fmt and fmt != out_fmt and ext_of[source] == out_fmt \
            and ext_of[output] == fmt:
        c.add("error", "convert.swapped", source=source, output=output)
    else:
        if fmt:
            c.extension(source, fmt)
        c.extension(output, out_fmt or "raw")
    if _same_file(source, output):
        c.add("error", "convert.same_file")
    if not fmt:
        c.add("warning", "convert.no_format")
    if not out_fmt:
        c.add("warning", "convert.no_out_format")
    c.add("note", "convert.chain")
    return [*_opt("-f", fmt), *_opt("-O", out_fmt), source, output]


def _resize(form: QemuImgForm, c: _Check) -> list[str]:
    fmt = c.fmt(form.fmt)
    image = c.name(form.image, "missing.image")
    if fmt:
        c.extension(image, fmt)
    size = form.size.strip()
    parsed = c.size(size, signed=True)
    if parsed is not None:
        sign, amount = parsed
        current = form.current_size
        shrinking: bool | None = None
        if sign == "-":
            shrinking = True
            if current is not None and amount >= current:
                c.add("error", "resize.below_zero", current=_human(current), size=size[1:])
        elif sign == "+":
            shrinking = False
        elif current is not None:
            if amount == current:
                c.add("note", "resize.same", size=size)
            else:
                shrinking = amount < current
        else:
            c.add("warning", "resize.absolute", size=size)
            shrinking = True if form.shrink else None
        if shrinking and not form.shrink:
            c.add("error", "resize.needs_shrink")
        if shrinking:
            c.add("warning", "resize.shrink")
        elif shrinking is False:
            c.add("note", "resize.grow")
            if form.shrink:
                c.add("note", "resize.shrink_unneeded")
    return [*_opt("-f", fmt), *(["--shrink"] if form.shrink else []), image, size]


def _commit(form: QemuImgForm, c: _Check) -> list[str]:
    fmt = c.fmt(form.fmt)
    image = c.name(form.image, "missing.image")
    if fmt and fmt != "qcow2":
        c.add("error", "commit.not_qcow2")
    elif fmt:
        c.extension(image, fmt)
    c.add("note", "commit.note")
    return [*_opt("-f", fmt), image]


def _info(form: QemuImgForm, c: _Check) -> list[str]:
    fmt = c.fmt(form.fmt)
    image = c.name(form.image, "missing.image")
    if fmt:
        c.extension(image, fmt)
    if form.backing_chain:
        c.add("note", "info.chain")
    return [*_opt("-f", fmt), *(["--backing-chain"] if form.backing_chain else []), image]


def _rebase(form: QemuImgForm, c: _Check) -> list[str]:
    fmt = c.fmt(form.fmt)
    backing = c.name(form.backing, "missing.backing")
    image = c.name(form.image, "missing.image")
    backing_fmt = c.fmt(form.backing_fmt)
    if fmt and fmt != "qcow2":
        c.add("error", "rebase.not_qcow2")
    elif fmt:
        c.extension(image, fmt)
    if not backing_fmt:
        c.add("error", "rebase.no_backing_format")
    c.extension(backing, backing_fmt)
    if _same_file(image, backing):
        c.add("error", "snapshot.same_file")
    c.add("note", "rebase.note")
    return [*_opt("-f", fmt), *_opt("-b", backing), *_opt("-F", backing_fmt), image]


_BUILDERS = {"create": _create, "snapshot": _snapshot, "convert": _convert, "resize": _resize,
             "commit": _commit, "info": _info, "rebase": _rebase}


# -- a command the student typed ---------------------------------------------------------
_VALUE_OPTIONS = {"-f": "fmt", "-O": "out_fmt", "-b": "backing", "-F": "backing_fmt", "-o": ""}
_ALLOWED = {
    "create": {"-f", "-b", "-F", "-o", "-q", "-u"},
    "convert": {"-f", "-O", "-o", "-q", "-p", "-c", "-n"},
    "resize": {"-f", "-q", "--shrink"},
    "commit": {"-f", "-q", "-p"},
    "info": {"-f", "-U", "--backing-chain", "--output"},
    "rebase": {"-f", "-b", "-F", "-q", "-p", "-u"},
}
_KNOWN_OPTIONS = set().union(*_ALLOWED.values())
_POSITIONALS = {"create": ("image", "size"), "convert": ("image", "output"),
                "resize": ("image", "size"), "commit": ("image",), "info": ("image",),
                "rebase": ("image",)}
#: qemu-img's other operations: real, but not what this builder teaches.
_OTHER_SUBCOMMANDS = ("amend", "bench", "bitmap", "check", "compare", "dd", "map", "measure",
                      "snapshot")


def check_command(text: str) -> BuiltCommand:
    """Check a qemu-img command line as typed: the parse problems, then the builder's advice
    on what it means. ``argv`` is the corrected command where a typo could be fixed."""
    c = _Check()
    try:
        tokens = shlex.split(text)
    except ValueError:
        c.add("error", "parse.quotes")
        return BuiltCommand((), tuple(c.advice))
    while tokens and (tokens[0] == "sudo" or tokens[0] == "$"):
        tokens = tokens[1:]
    if not tokens:
        c.add("error", "parse.empty")
        return BuiltCommand((), tuple(c.advice))
    program = posixpath.basename(tokens[0])
    if program != "qemu-img":
        if difflib.SequenceMatcher(None, program, "qemu-img").ratio() < 0.75:
            c.add("error", "parse.not_qemu_img", program=tokens[0])
            return BuiltCommand(tuple(tokens), tuple(c.advice))
        c.add("error", "parse.program_typo", program=tokens[0])
    rest = tokens[1:]
    if not rest or rest[0].startswith("-"):
        if "-O" in rest:
            c.add("error", "parse.missing_convert")
            sub = "convert"
        else:
            c.add("error", "parse.no_subcommand")
            return BuiltCommand(("qemu-img", *rest), tuple(c.advice))
    else:
        sub, rest = rest[0], rest[1:]
    if sub in _OTHER_SUBCOMMANDS:
        c.add("note", "parse.internal_snapshot" if sub == "snapshot" else "parse.not_covered")
        return BuiltCommand(("qemu-img", sub, *rest), tuple(c.advice))
    if sub not in _ALLOWED:
        close = difflib.get_close_matches(sub, list(_ALLOWED), n=1, cutoff=0.6)
        if not close:
            c.add("error", "parse.unknown_subcommand", sub=sub)
            return BuiltCommand(("qemu-img", sub, *rest), tuple(c.advice))
        c.add("error", "parse.unknown_subcommand_suggest", sub=sub, suggestion=close[0])
        sub = close[0]
    form = _parse_arguments(sub, rest, c)
    if form.operation in ("snapshot", "rebase") and form.backing and not form.backing_fmt:
        # The course text writes -b without -F; say so, and suggest -F from the base's name.
        guess = EXTENSIONS.get(posixpath.splitext(form.backing)[1][1:].lower())
        if guess:
            c.add("error", f"{form.operation}.no_backing_format")
            form = replace(form, backing_fmt=guess)
    built = build_command(form)
    return BuiltCommand(built.argv, tuple(c.advice) + tuple(
        a for a in built.advice if a not in c.advice))


def _parse_arguments(sub: str, args: list[str], c: _Check) -> QemuImgForm:
    values: dict[str, str] = {"fmt": "", "out_fmt": "", "backing_fmt": ""}
    flags: dict[str, bool] = {}
    extra: list[str] = []
    positional: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if positional and sub == "resize" and parse_qemu_size(arg):
            positional.append(arg)     # "-20M" is a size here, not an option
            continue
        if arg == "--":
            positional.extend(args[i:])
            break
        if not arg.startswith("-") or arg == "-":
            positional.append(arg)
            continue
        option, value = arg, None
        if arg.startswith("--") and "=" in arg:
            option, value = arg.split("=", 1)
        elif arg[:2] in _VALUE_OPTIONS and len(arg) > 2:
            option, value = arg[:2], arg[2:]
        if option not in _KNOWN_OPTIONS:
            c.add("warning", "parse.unknown_option", option=option)
            extra.append(arg)
            continue
        if option not in _ALLOWED[sub]:
            c.add("error", "parse.option_not_here", option=option, sub=sub)
            if option in _VALUE_OPTIONS and value is None:
                i += 1
            continue
        if option in _VALUE_OPTIONS or option == "--output":
            if value is None:
                if i >= len(args):
                    c.add("error", "parse.needs_value", option=option)
                    continue
                value, i = args[i], i + 1
            target = _VALUE_OPTIONS.get(option, "")
            if target:
                values[target] = value
            else:
                extra.extend([option, value] if not arg.startswith("--") else [arg])
        elif option in ("--shrink", "--backing-chain"):
            flags[option[2:].replace("-", "_")] = True
        else:
            extra.append(option)
    operation = "snapshot" if sub == "create" and "backing" in values else sub
    names = _POSITIONALS[sub]
    if len(positional) > len(names):
        c.add("error", "parse.extra", extra=" ".join(positional[len(names):]))
    changes: dict[str, Any] = {**values, **dict(zip(names, positional, strict=False)),
                               **flags}
    return replace(QemuImgForm(operation=operation, extra=tuple(extra)), **changes)
