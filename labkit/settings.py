"""labkit's settings: every ``LABKIT_*`` environment variable, read in this one place.

``current()`` reads them into a frozen :class:`Settings`; the rest of labkit asks it, never
``os.environ``. Each field names its variable and carries a help text, as nbgrader's traits do;
``docs/settings.md`` is generated from them (``python -m labkit.settings``; a test keeps the
file in step).

Rules that hold for every setting:

- A variable that is unset or holds only blanks is the same as unset: the default applies.
- Values are read when asked, so a notebook or a test that changes ``os.environ`` is seen at
  once; reading is a handful of dictionary look-ups.
- A command-line option wins over its variable: ``configure(course_dir=…)`` (what ``labkit
  --exercises DIR`` does) sets a value for the rest of the process, ``override(…)`` for a
  ``with`` block.
- The library validates values where it uses them (an unknown ``LABKIT_ACCEL`` is a
  ``SandboxError`` naming the variable; an unknown language falls back to Galician).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import Field, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

__all__ = ["Settings", "configure", "current", "environment", "markdown", "notebook_student",
           "override"]


def _meta(env: str, help: str, *, kind: type = str, group: str,
          aliases: tuple[str, ...] = (), shown_default: str = "unset") -> dict[str, Any]:
    """A setting's metadata: its variable, help, type, group and default as documented."""
    return {"env": env, "help": help, "kind": kind, "group": group, "aliases": aliases,
            "shown_default": shown_default}


_HOME = Path("~/.local/share/labkit")
_CACHE = Path("~/.cache/labkit")


@dataclass(frozen=True)
class Settings:
    """Every labkit setting (see the module docstring); build one with :func:`current`."""

    # -- course content -------------------------------------------------------------------
    course_dir: Path | None = field(default=None, metadata=_meta(
        "LABKIT_COURSE_DIR",
        "A teacher's course folder, holding graders/<exercise>.yaml and exercises/<exercise>/"
        " (solution and fault scripts). Its exercises are used besides the ones shipped with"
        " labkit; one of the same name replaces the shipped one. The command-line option"
        " --exercises DIR sets it for one command. LABKIT_ROOT is an older name for it.",
        kind=Path, group="course", aliases=("LABKIT_ROOT",)))
    # -- who and where: students, notebooks, nbgrader ----------------------------------------
    host: str | None = field(default=None, metadata=_meta(
        "LABKIT_HOST",
        "The lab host of a lesson or of a student's 'Check my work': a host URL"
        " (ssh://root@HOST:PORT?key=FILE, local://, replay:///FILE.json). Unset: the sandbox"
        " lab that is up, if any.", group="lessons"))
    lang: str | None = field(default=None, metadata=_meta(
        "LABKIT_LANG",
        "The language of messages and reports when a notebook, a roster row or a command does"
        " not choose one: gl (Galician) or en (English); anything else means Galician.",
        group="lessons", shown_default="gl"))
    lab_dir: str | None = field(default=None, metadata=_meta(
        "LABKIT_LAB_DIR",
        "The folder on the lab host holding each exercise's work folder, instead of the"
        " exercise's own workdir parameter (a lesson run in a fresh folder, e.g. by nbval).",
        group="lessons"))
    preview: bool = field(default=False, metadata=_meta(
        "LABKIT_PREVIEW",
        "Set (to anything): lessons run nothing and replay the recordings of live runs shipped"
        " with labkit, every output labelled as a recording; 'Check my work' awards nothing."
        " For a read-only look, and CI's fast notebook pass.", kind=bool, group="lessons",
        shown_default="off"))
    live_all: bool = field(default=False, metadata=_meta(
        "LABKIT_LIVE_ALL",
        "Set (to anything): the sandbox test of the lessons (tests/lessons/test_lessons_live.py)"
        " runs all 16 lesson notebooks live, both languages. Unset: each lesson once, the"
        " language alternating (01 gl, 02 en, 03 gl, ...), the other edition's code cells"
        " checked to be the same; what CI runs.", kind=bool, group="lessons",
        shown_default="off"))
    student: str | None = field(default=None, metadata=_meta(
        "LABKIT_STUDENT",
        "The student's id (a roster id) for a lesson's 'Check my work', variants and"
        " evidence; unset, JUPYTERHUB_USER, NB_USER or USER. During nbgrader's autograde the"
        " submission's folder wins.", group="students"))
    roster: Path | None = field(default=None, metadata=_meta(
        "LABKIT_ROSTER",
        "The roster the nbgrader bridge reads (student id -> lab hosts); unset, the nearest"
        " labkit-roster.csv in the notebook's folder or above.", kind=Path, group="students"))
    params: str | None = field(default=None, metadata=_meta(
        "LABKIT_PARAMS",
        "Exercise parameters for every student in nbgrader, as name=value,name=value (a"
        " roster's param: columns win; names an exercise lacks are ignored).",
        group="students"))
    hint_level: str | None = field(default=None, metadata=_meta(
        "LABKIT_HINT_LEVEL",
        "How much graded work tells a student (1, 2 or 3; see labkit.grading.context): the"
        " course's setting for an assignment, when the grader and the call set none.",
        group="students", shown_default="2"))
    course_salt: str | None = field(default=None, metadata=_meta(
        "LABKIT_COURSE_SALT",
        "The course's salt for students' variants (the same salt gives every student the same"
        " values again); unset, the file course_salt in LABKIT_HOME, else none.",
        group="students"))
    evidence_key: str | None = field(default=None, metadata=_meta(
        "LABKIT_EVIDENCE_KEY",
        "The teacher's evidence key (the text, at least 16 bytes) that signs and verifies"
        " students' evidence records. Keep it where students cannot read it.",
        group="students"))
    evidence_key_file: Path | None = field(default=None, metadata=_meta(
        "LABKIT_EVIDENCE_KEY_FILE",
        "A file holding the evidence key, when LABKIT_EVIDENCE_KEY is unset; unset too,"
        " /etc/labkit/evidence.key.", kind=Path, group="students"))
    # -- JupyterHub for a class ------------------------------------------------------------------
    class_roster: Path | None = field(default=None, metadata=_meta(
        "LABKIT_CLASS_ROSTER",
        "The class roster of a JupyterHub (labkit.hub): the hub's spawn hook and its grading"
        " service read each student's lab hosts from it.", kind=Path, group="hub"))
    grader_url: str | None = field(default=None, metadata=_meta(
        "LABKIT_GRADER_URL",
        "In a student's server in a JupyterHub class: the URL of the class's grading service"
        " (its .../check endpoint or its base URL; the hub sets it). Set, the lessons' and"
        " exercises' 'Check my work' is graded and signed by the service, and the exercise"
        " panels (labkit.lessons.Exercise) and labkit.variants.for_student show the student's"
        " own values as the service gives them, derived with the teacher's course secret"
        " (the values shown are the values graded); the student's kernel holds neither the"
        " evidence key nor the course secret. Unset: nothing asks a service, the kernel grades"
        " and derives the values itself.", group="hub"))
    # -- this machine: state, cache, sandbox ---------------------------------------------------
    home: Path = field(default=_HOME, metadata=_meta(
        "LABKIT_HOME",
        "labkit's state folder: sandbox labs (labs/NAME/), known_hosts of lab hosts,"
        " course_salt.", kind=Path, group="machine",
        shown_default="~/.local/share/labkit"))
    cache: Path = field(default=_CACHE, metadata=_meta(
        "LABKIT_CACHE",
        "The cache folder: built sandbox images, warm snapshots, the KVM probe's result.",
        kind=Path, group="machine", shown_default="~/.cache/labkit"))
    lab: str | None = field(default=None, metadata=_meta(
        "LABKIT_LAB",
        "The sandbox lab a command means when it names none; unset, 'default', else the only"
        " lab that is up.", group="machine"))
    accel: str | None = field(default=None, metadata=_meta(
        "LABKIT_ACCEL",
        "The sandbox VMs' accelerator: kvm, tcg or auto (try KVM for real, else TCG).",
        group="machine", shown_default="auto"))
    debian_mirror: str | None = field(default=None, metadata=_meta(
        "LABKIT_DEBIAN_MIRROR",
        "The Debian mirror the sandbox image is built from (a URL or a one-line sources"
        " entry); unset, mmdebstrap's default.", group="machine"))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings in ``environ`` (default: ``os.environ``)."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = next((env[name] for name in (f.metadata["env"], *f.metadata["aliases"])
                        if env.get(name, "").strip()), None)
            if raw is not None:
                values[f.name] = _convert(f, raw.strip())
        return cls(**values).resolved()

    def resolved(self) -> Settings:
        """The same settings with every path absolute (``~`` expanded)."""
        return replace(self, **{f.name: getattr(self, f.name).expanduser().resolve()
                                for f in fields(self) if isinstance(getattr(self, f.name), Path)})


def _convert(f: Field[Any], value: str) -> Any:
    kind = f.metadata["kind"]
    if kind is bool:
        return True
    if kind is Path:
        return Path(value)
    return value.lower() if f.name == "lang" else value


_configured: dict[str, Any] = {}


def current() -> Settings:
    """The settings now: the environment, then what :func:`configure` set."""
    settings = Settings.from_env()
    return replace(settings, **_configured).resolved() if _configured else settings


def configure(**values: Any) -> None:
    """Set settings for the rest of this process (a command-line option); None unsets."""
    names = {f.name for f in fields(Settings)}
    unknown = set(values) - names
    if unknown:
        raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
    for name, value in values.items():
        if value is None:
            _configured.pop(name, None)
        else:
            _configured[name] = value


@contextmanager
def override(**values: Any) -> Iterator[Settings]:
    """Set settings inside a ``with`` block (tests); the previous ones come back after it."""
    saved = dict(_configured)
    try:
        configure(**values)
        yield current()
    finally:
        _configured.clear()
        _configured.update(saved)


def environment(*names: str) -> dict[str, str]:
    """The variables behind the settings ``names`` (field names), as set in this environment:
    for a child process that must see the same values (unset ones are left out)."""
    wanted = {f.name: f for f in fields(Settings)}
    out: dict[str, str] = {}
    for name in names:
        meta = wanted[name].metadata
        for var in (meta["env"], *meta["aliases"]):
            if os.environ.get(var, "").strip():
                out[meta["env"]] = os.environ[var]
                break
    return out


#: Where a notebook's user name is, after ``LABKIT_STUDENT``.
_OTHER_STUDENT_VARS = ("JUPYTERHUB_USER", "NB_USER")


def notebook_student(*, cwd: str | Path | None = None,
                     env: Mapping[str, str] | None = None) -> str | None:
    """Whose work a notebook is, or None: while nbgrader autogrades
    (``NBGRADER_EXECUTION=autograde`` or a kernel in ``…/autograded/<student>/<assignment>``)
    the folder's name; else ``LABKIT_STUDENT``, ``JUPYTERHUB_USER``, ``NB_USER``. The one
    rule (``labkit.grading.context.resolve_student`` and the variants use it)."""
    environ = os.environ if env is None else env
    here = Path.cwd() if cwd is None else Path(cwd)
    autograding = environ.get("NBGRADER_EXECUTION") == "autograde" \
        or here.parent.parent.name == "autograded"
    if autograding and here.parent.name:
        return here.parent.name
    student = Settings.from_env(environ).student if env is not None else current().student
    if student:
        return student
    for var in _OTHER_STUDENT_VARS:
        if environ.get(var, "").strip():
            return environ[var].strip()
    return None


GROUPS = {
    "course": "Course content",
    "lessons": "Lessons and 'Check my work'",
    "students": "Students, rosters, nbgrader, variants and evidence",
    "hub": "JupyterHub for a class",
    "machine": "This machine: state, cache and the sandbox",
}


def markdown() -> str:
    """docs/settings.md: every setting, its variable, default and help, by group."""
    lines = ["# labkit settings", "",
             "<!-- Generated by `python -m labkit.settings > docs/settings.md`; "
             "edit labkit/settings.py. -->", "",
             *(line.strip() for line in (__doc__ or "").splitlines()[2:]), ""]
    for group, title in GROUPS.items():
        lines += [f"## {title}", "", "| Variable | Default | Meaning |", "|---|---|---|"]
        for f in fields(Settings):
            if f.metadata["group"] != group:
                continue
            aliases = "".join(f" (or `{a}`)" for a in f.metadata["aliases"])
            lines.append(f"| `{f.metadata['env']}`{aliases} | {f.metadata['shown_default']} "
                         f"| {f.metadata['help']} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown(), end="")
