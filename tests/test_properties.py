"""Property and fuzz tests: URL and size parsing, shell quoting of probes, probe parsers."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import string
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent / "checks"))

from _examples import ByName, all_args, probe_names, values_for

from labkit.checks import KINDS
from labkit.checks.base import Verdict
from labkit.errors import HostURLError, ProbeError
from labkit.probes.base import Probe
from labkit.probes.files import FileStat
from labkit.probes.qemu_img import ImageChain, ImageMap, QemuImgInfo, QemuImgMap
from labkit.transports import parse_url
from labkit.transports.base import CommandResult
from labkit.transports.local import LocalTransport
from labkit.units import format_size, parse_size, read_size

# -- host URLs --------------------------------------------------------------------------------
URL_PIECES = st.sampled_from(["ssh://", "local://", "replay://", "replay:///", "://", "root@",
                              "@", ":", ":22", ":0", ":99999", ":-1", "[", "]", "[::1]", "?",
                              "&", "=", "key=", "timeout=", "timeout=nan", "timeout=inf",
                              "timeout=-1", "known_hosts=", "%", "%zz", "/", "#", " ", "\n",
                              "127.0.0.1", "host", "é", "\x00"])


@settings(max_examples=300)
@given(st.one_of(st.text(), st.lists(st.one_of(URL_PIECES, st.text(max_size=4))).map("".join)))
@example("ssh://[::1")
@example("ssh://h:65536")
@example("ssh://h?timeout=nan")
def test_parse_url_raises_only_host_url_error(text: str) -> None:
    try:
        url = parse_url(text)
    except HostURLError:
        return
    assert url.scheme in {"ssh", "local", "replay"}
    if url.scheme == "ssh":
        assert url.host and 0 < url.port < 65536
        assert url.display.startswith("ssh://")


# -- sizes ------------------------------------------------------------------------------------
UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40, "P": 1 << 50}


@given(st.text(string.digits + "KMGTPiBkmgtpb. +-_eE\t\n", max_size=30) | st.text(max_size=30))
def test_parse_size_raises_only_value_error(text: str) -> None:
    try:
        size = parse_size(text)
    except ValueError:
        return
    assert isinstance(size, int) and size >= 0


@given(st.integers(0, (1 << 53) - 1))
def test_parse_size_of_a_number_is_that_number(n: int) -> None:
    assert parse_size(str(n)) == n
    assert parse_size(n) == n


@given(st.integers(0, 1 << 20), st.sampled_from(sorted(UNITS)), st.sampled_from(["", "B", "iB"]),
       st.sampled_from(["", " "]), st.booleans())
def test_parse_size_units(k: int, unit: str, suffix: str, space: str, lower: bool) -> None:
    if not unit and suffix == "iB":
        return
    written = f"{k}{space}{unit}{suffix}"
    assert parse_size(written.lower() if lower else written) == k * UNITS[unit]


@given(st.integers(0, 1 << 20), st.sampled_from(sorted(UNITS)), st.sampled_from(["", "+", "-"]),
       st.sampled_from(["", "B", "iB"]))
def test_one_size_grammar_for_changes_and_sizes(k: int, unit: str, sign: str,
                                                suffix: str) -> None:
    """``read_size`` (what widgets check commands with) and ``parse_size`` (graders' args)
    read the same grammar; only a size without a sign is a size."""
    if not unit and suffix == "iB":
        return
    written = f"{sign}{k}{unit}{suffix}"
    read = read_size(written)
    assert read is not None and (read.sign, read.size, read.suffix) == (sign, k * UNITS[unit],
                                                                       suffix)
    if sign:
        with pytest.raises(ValueError):
            parse_size(written)
    else:
        assert parse_size(written) == read.size


@given(st.integers(0, (1 << 50) - 1))
def test_format_size_round_trips_when_exact(n: int) -> None:
    shown = format_size(n)
    back = parse_size(shown)
    assert back == n  # round numbers in their unit, bytes otherwise: always exact


@given(st.integers(-(1 << 40), -1))
def test_parse_size_negative_int_is_value_error(n: int) -> None:
    with pytest.raises(ValueError, match="negative"):
        parse_size(n)


def test_parse_size_huge_number_is_value_error() -> None:
    with pytest.raises(ValueError):
        parse_size("9" * 400 + "M")


def test_parse_size_is_exact_above_2_53() -> None:
    assert parse_size(str((1 << 53) + 1)) == (1 << 53) + 1


# -- shell quoting: arbitrary file names reach the tool exactly, and never run ---------------
INJECTIONS = ["$(touch canary)", "`touch canary`", "; touch canary", "&& touch canary",
              "| touch canary", "' ; touch canary; '", '" ; touch canary; "', "$HOME", "${IFS}",
              "\\", "\n", "-rf", "--", "*", "?", "[a]", "~", "!", "#", ">canary", "<x", "=",
              " ", "\t", "'", '"', "(", ")", "{a,b}", "é", "\u2028", ":", ","]
NAME_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00/")


def _fits(name: str) -> bool:
    return name not in ("", ".", "..") and len(name.encode()) <= 200


NAMES = st.one_of(
    st.text(NAME_CHARS, min_size=1, max_size=40),
    st.lists(st.one_of(st.sampled_from(INJECTIONS), st.text(NAME_CHARS, max_size=5)),
             min_size=1, max_size=6).map("".join),
).filter(_fits)
SHELL = settings(max_examples=60, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@pytest.fixture(scope="module")
def qcow2_template() -> Iterator[Path]:
    directory = Path(tempfile.mkdtemp(prefix="labkit-prop-"))
    image = directory / "template.qcow2"
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", str(image), "1M"], check=True)
    yield image
    shutil.rmtree(directory, ignore_errors=True)


def run_in(directory: str, probe: Probe[Any]) -> CommandResult:
    """Run the probe's command from ``directory``, so injected relative paths would land there."""
    return LocalTransport().run(f"cd {shlex.quote(directory)} && {probe.command()}", timeout=30)


@SHELL
@given(name=NAMES, content=st.binary(max_size=12))
@example(name="a;b; touch canary; $(touch canary) `touch canary`", content=b"QFI\xfb")
@example(name="it's \"my\" $HOME disk", content=b"")
@example(name="-e", content=b"x")
@example(name="!", content=b"x")
def test_file_stat_reports_exactly_that_file(name: str, content: bytes) -> None:
    with tempfile.TemporaryDirectory(prefix="labkit-prop-") as directory:
        path = os.path.join(directory, name)
        Path(path).write_bytes(content)
        before = sorted(os.listdir(directory))
        result = run_in(directory, FileStat(path))
        assert sorted(os.listdir(directory)) == before, "the command created files"
        value = FileStat(path).parse(result)
        assert value["exists"] is True, result
        assert value["type"] == "regular file"
        assert value["size"] == len(content)
        assert value["magic"] == content[:8].hex()
        os.unlink(path)
        assert FileStat(path).parse(run_in(directory, FileStat(path))) == {"exists": False}
        assert os.listdir(directory) == []


@SHELL
@given(name=NAMES)
@example(name="my disk 'v1' \"final\".qcow2")
@example(name="$(touch canary);`touch canary`")
@example(name="json:{}")
@example(name="file:x")
def test_qemu_img_probes_open_exactly_that_image(name: str, qcow2_template: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="labkit-prop-") as directory:
        path = os.path.join(directory, name)
        shutil.copyfile(qcow2_template, path)
        before = sorted(os.listdir(directory))
        info = QemuImgInfo(path, "qcow2")
        value = info.parse(run_in(directory, info))
        assert value.state == "ok", value
        assert [i.filename for i in value.chain] == [path]
        assert value.chain[0].virtual_size == 1 << 20
        mapped = QemuImgMap(path, "qcow2")
        assert mapped.parse(run_in(directory, mapped)).data_bytes == {}
        assert sorted(os.listdir(directory)) == before, "the command created files"
        os.unlink(path)
        assert info.parse(run_in(directory, info)) == ImageChain("missing")
        assert mapped.parse(run_in(directory, mapped)) == ImageMap("missing")
        assert os.listdir(directory) == []


# -- parsers: any output gives data or ProbeError, and checks can read that data --------------
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                               max_size=4),
    max_leaves=12,
)
ANY_JSON_TEXT = JSON.map(json.dumps)
IMAGE_KEYS = ["filename", "format", "virtual-size", "actual-size", "backing-filename",
              "full-backing-filename", "backing-filename-format", "dirty-flag",
              "format-specific"]
GOOD_IMAGE = {"filename": "/w/d.qcow2", "format": "qcow2", "virtual-size": 1048576,
              "actual-size": 200704, "backing-filename": "b.qcow2",
              "full-backing-filename": "/w/b.qcow2", "backing-filename-format": "qcow2",
              "dirty-flag": False, "format-specific": {"type": "qcow2", "data": {"corrupt": False}}}
IMAGE = st.dictionaries(st.sampled_from(IMAGE_KEYS), JSON).map(
    lambda d: {**GOOD_IMAGE, **d}) | st.dictionaries(st.sampled_from(IMAGE_KEYS), JSON)
EXTENT = st.fixed_dictionaries({}, optional={k: JSON | st.integers(0, 1 << 40) | st.booleans()
                                             for k in ("start", "length", "depth", "data",
                                                       "zero", "present", "offset")})
INFO_OUT = st.one_of(st.text(), ANY_JSON_TEXT, IMAGE.map(json.dumps),
                     st.lists(IMAGE, max_size=3).map(json.dumps))
MAP_OUT = st.one_of(st.text(), ANY_JSON_TEXT, st.lists(EXTENT, max_size=4).map(json.dumps))
STDERR_PIECES = st.sampled_from([
    "qemu-img: ", "Could not open '", "': ", "No such file or directory",
    "Could not open backing file: ", "Image is not in qcow2 format", "'", "\n", "/w/d.qcow2",
    "Permission denied", "'file' driver requires '/w' to be a regular file"])
STDERR = st.one_of(st.text(), st.lists(STDERR_PIECES | st.text(max_size=3)).map("".join))
EXIT = st.sampled_from([0, 1, 2, 127, 255, -9]) | st.integers(-300, 300)
STAT_LINE = st.tuples(st.sampled_from(["regular file", "directory", "symbolic link", "", "a|b"])
                      | st.text(max_size=6), st.text(string.digits + "-+ x", max_size=6),
                      st.text(string.digits + "-.", max_size=12)).map("|".join)
STAT_OUT = st.one_of(st.text(), st.lists(STAT_LINE | st.text(max_size=10) |
                                         st.just("labkit:missing") | st.just(" 51 46 49 fb"),
                                         max_size=4).map("\n".join))
PATHS = st.sampled_from(["/w/d.qcow2", "d.qcow2", "it's.qcow2"]) | st.text(max_size=10)


def parse_or_probe_error(probe: Probe[Any], stdout: str, stderr: str, exit_code: int) -> Any:
    try:
        return probe.parse(CommandResult(probe.command(), exit_code, stdout, stderr))
    except ProbeError as exc:
        assert str(exc)
        return None


def every_check_reads(probe: Probe[Any], value: Any) -> None:
    """Each check kind that reads ``probe`` turns ``value`` into a verdict without crashing,
    for each of its example arguments (tests/checks/examples_<topic>.py); the other probes
    such a kind reads get their first example value."""
    for kind, raw_args in all_args().items():
        for raw in raw_args:
            args = KINDS[kind].Args.model_validate(raw)
            names = probe_names(kind, args)
            if probe.name not in names:
                continue
            facts = ByName({n: value if n == probe.name else values_for(n)[0] for n in names})
            assert isinstance(KINDS[kind]().evaluate(args, facts), Verdict)


PARSER = settings(max_examples=300, deadline=None)


@PARSER
@given(path=PATHS, stdout=INFO_OUT, stderr=STDERR, exit_code=EXIT)
@example(path="d", stdout="[" * 100_000, stderr="", exit_code=0)
@example(path="d", stdout='[{"filename": "d", "format": "raw", "virtual-size": 1e400}]',
         stderr="", exit_code=0)
@example(path="it's.qcow2", stdout="", exit_code=1,
         stderr="qemu-img: Could not open 'it's.qcow2': Could not open 'it's.qcow2': "
                "No such file or directory\n")
def test_qemu_img_info_parse(path: str, stdout: str, stderr: str, exit_code: int) -> None:
    probe = QemuImgInfo(path, "qcow2")
    value = parse_or_probe_error(probe, stdout, stderr, exit_code)
    if value is None:
        return
    assert value.state in {"ok", "missing", "wrong-format", "backing-missing"}
    if value.state == "ok":
        assert value.chain
        for image in value.chain:
            assert isinstance(image.filename, str) and isinstance(image.format, str)
            assert type(image.virtual_size) is int
            assert image.backing_filename is None or isinstance(image.backing_filename, str)
    if path == "it's.qcow2" and "Could not open 'it's.qcow2': No such" in stderr \
            and "backing" not in stderr and "Image is not" not in stderr:
        assert value == ImageChain("missing")
    every_check_reads(probe, value)


@PARSER
@given(path=PATHS, stdout=MAP_OUT, stderr=STDERR, exit_code=EXIT)
@example(path="d", stdout="[" * 100_000, stderr="", exit_code=0)
@example(path="d", stdout='[{"start": 1e400, "length": 1, "depth": 0, "data": true, '
                          '"zero": false}]', stderr="", exit_code=0)
def test_qemu_img_map_parse(path: str, stdout: str, stderr: str, exit_code: int) -> None:
    probe = QemuImgMap(path, "qcow2")
    value = parse_or_probe_error(probe, stdout, stderr, exit_code)
    if value is None:
        return
    if value.state == "ok":
        assert all(type(n) is int for n in value.data_bytes.values())
        assert all(type(d) is int for d in value.data_bytes)
    every_check_reads(probe, value)


@PARSER
@given(path=PATHS, stdout=STAT_OUT, stderr=STDERR, exit_code=EXIT)
def test_file_stat_parse(path: str, stdout: str, stderr: str, exit_code: int) -> None:
    probe = FileStat(path)
    value = parse_or_probe_error(probe, stdout, stderr, exit_code)
    if value is None:
        return
    assert isinstance(value["exists"], bool)
    if value["exists"]:
        assert isinstance(value["type"], str) and isinstance(value["magic"], str)
        assert type(value["size"]) is int and type(value["mtime"]) is int
    every_check_reads(probe, value)
