"""Every check kind against hand-made facts: no host, no commands."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from _examples import ByName, all_args, parsed_args, recorded, scenarios
from _facts import (
    MISSING,
    MISSING_FILE,
    QCOW2_MAGIC,
    WRONG_FORMAT,
    MiB,
    W,
    args,
    backing_missing,
    evaluate,
    facts,
    image,
    info,
    mapped,
    stat,
)
from pydantic import ValidationError

from labkit.checks.base import KINDS, ProbeUnavailable, Verdict
from labkit.host import Outcome
from labkit.i18n import LANGS, text
from labkit.probes.base import Probe
from labkit.probes.files import FileStat
from labkit.probes.lvm import LvmConfig
from labkit.probes.qemu_img import ImageChain, ImageInfo, ImageMap, QemuImgInfo, QemuImgMap

DISK = f"{W}/disk.qcow2"
RAW = f"{W}/disk.raw"


def said(verdict: Verdict) -> dict[str, str]:
    """The verdict's message in every language (fails if a placeholder has no value)."""
    return {lang: text(verdict.key, lang, **verdict.values) for lang in LANGS}


def check(verdict: Verdict, passed: bool, key: str, **values: Any) -> None:
    assert (verdict.passed, verdict.key) == (passed, key), verdict
    for name, value in values.items():
        assert verdict.values[name] == value, verdict
    said(verdict)


def test_kinds_registered() -> None:
    """Every registered kind has examples (tests/checks/examples_<topic>.py), and the first
    topic's kinds are still there."""
    assert set(KINDS) == set(all_args())
    assert {"file.exists", "qemu_img.format", "qemu_img.virtual_size", "qemu_img.backing",
            "qemu_img.independent", "qemu_img.data"} <= set(KINDS)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_missing_probe_value_is_unavailable(kind: str) -> None:
    """A probe that was not collected, or failed, never turns into a verdict."""
    for chosen in parsed_args(kind):
        with pytest.raises(ProbeUnavailable, match="was not collected"):
            KINDS[kind]().evaluate(chosen, facts())
        probes = [p for ps in KINDS[kind]().probes_by_role(chosen, "host").values() for p in ps]
        assert probes, kind
        broken = facts(*((p, Outcome(error="timed out after 15 s")) for p in probes))
        with pytest.raises(ProbeUnavailable, match="timed out"):
            KINDS[kind]().evaluate(chosen, broken)


class _Reads(ByName):
    """Example facts that remember which probes a kind read."""

    def __init__(self, values: dict[str, Any]) -> None:
        super().__init__(values)
        self.read: set[str] = set()

    def __getitem__(self, probe: Probe[Any]) -> Any:
        self.read.add(probe.key)
        return super().__getitem__(probe)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_kind_reads_only_the_probes_it_declares(kind: str) -> None:
    """What ``evaluate`` reads is what ``probe``/``probes`` declared (the one declaration the
    host collects from): over every example, no undeclared probe; and every probe a kind
    declares is read by at least one of its examples."""
    declared_names: set[str] = set()
    read_names: set[str] = set()
    for chosen in parsed_args(kind):
        declared = {p.key: p.name for ps in KINDS[kind]().probes_by_role(chosen, "host").values()
                    for p in ps}
        declared_names |= set(declared.values())
        for example in scenarios(kind, chosen, limit=300):
            facts_ = _Reads(example.values)
            with contextlib.suppress(ProbeUnavailable):
                KINDS[kind]().evaluate(chosen, facts_)
            assert facts_.read <= set(declared), (kind, chosen, facts_.read - set(declared))
            read_names |= {declared[k] for k in facts_.read}
    assert read_names == declared_names, (kind, declared_names - read_names)


# -- file.exists ------------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "wanted", "passed", "key"), [
    (stat(), "file", True, "file.exists"),
    (stat(size=0), "file", True, "file.exists"),
    (MISSING_FILE, "file", False, "file.missing"),
    (stat("directory"), "file", False, "file.not_file"),
    (stat("symbolic link"), "file", False, "file.not_file"),
    (stat("directory"), "directory", True, "file.exists"),
    (stat(), "directory", False, "file.not_directory"),
    (MISSING_FILE, "directory", False, "file.missing"),
    (stat("fifo"), "any", True, "file.exists"),
    (MISSING_FILE, "any", False, "file.missing"),
])
def test_file_exists(value: dict[str, Any], wanted: str, passed: bool, key: str) -> None:
    verdict = evaluate("file.exists", facts((FileStat(DISK), value)), path=DISK, type=wanted)
    check(verdict, passed, key, path=DISK)


def test_file_exists_default_is_a_regular_file() -> None:
    assert args("file.exists", path=DISK).type == "file"  # type: ignore[attr-defined]
    with pytest.raises(ValidationError):
        args("file.exists", path=DISK, type="socket")


def test_file_exists_message_when_a_directory_is_wanted() -> None:
    verdict = evaluate("file.exists", facts((FileStat(DISK), stat())), path=DISK,
                       type="directory")
    assert "not a regular file" not in said(verdict)["en"]


# -- qemu_img.format --------------------------------------------------------------------------
@pytest.mark.parametrize(("magic", "fmt", "passed", "found"), [
    (QCOW2_MAGIC, "qcow2", True, None),
    ("", "raw", True, None),
    ("0000000000000000", "raw", True, None),
    ("eb63900000000000", "qcow2", False, "raw"),
    (QCOW2_MAGIC, "raw", False, "qcow2"),
    ("4b444d5601000000", "vmdk", True, None),
    ("3c3c3c2051454d55", "vdi", True, None),
    ("636f6e6563746978", "vpc", True, None),
    ("636f6e6563746978", "raw", False, "vhd"),
    (QCOW2_MAGIC, "vpc", False, "qcow2"),
])
def test_format(magic: str, fmt: str, passed: bool, found: str | None) -> None:
    verdict = evaluate("qemu_img.format", facts((FileStat(DISK), stat(magic=magic))),
                       path=DISK, format=fmt)
    if passed:
        check(verdict, True, "qemu_img.format_ok", path=DISK, format=fmt)
    else:
        check(verdict, False, "qemu_img.format_wrong", path=DISK, format=fmt, found=found)


def test_format_missing() -> None:
    verdict = evaluate("qemu_img.format", facts((FileStat(DISK), MISSING_FILE)), path=DISK)
    check(verdict, False, "qemu_img.missing", path=DISK)


def test_format_reads_the_header_not_qemu_img() -> None:
    """A raw disk may hold a forged qcow2 header: the check must not ask qemu-img to guess."""
    kind = KINDS["qemu_img.format"]()
    assert kind.probes(args("qemu_img.format", path=DISK)) == [FileStat(DISK)]


def test_format_raw_needs_a_regular_file() -> None:
    verdict = evaluate("qemu_img.format", facts((FileStat(RAW), stat("directory"))),
                       path=RAW, format="raw")
    assert not verdict.passed


# -- qemu_img.virtual_size --------------------------------------------------------------------
def size_facts(value: dict[str, Any], fmt: str = "qcow2", path: str = DISK) -> Any:
    return facts((QemuImgInfo(path, fmt), value))


@pytest.mark.parametrize(("size", "wanted", "passed", "shown"), [
    (120 * MiB, "120M", True, "120 MiB"),
    (100 * MiB, "120M", False, "100 MiB"),
    (140 * MiB, "120M", False, "140 MiB"),
    (120 * MiB + 1, "120M", False, "125829121 B"),
    (2 << 30, "2G", True, "2 GiB"),
    (1536 * MiB, "1.5G", True, "1.5 GiB"),
])
def test_virtual_size(size: int, wanted: str, passed: bool, shown: str) -> None:
    verdict = evaluate("qemu_img.virtual_size", size_facts(info(image(DISK, size=size))),
                       path=DISK, size=wanted)
    check(verdict, passed, "qemu_img.size_ok" if passed else "qemu_img.size_wrong",
          path=DISK, found=shown)


def test_virtual_size_reads_the_top_of_the_chain() -> None:
    chain = info(image(DISK, size=120 * MiB, backing="base.qcow2"),
                 image(f"{W}/base.qcow2", size=100 * MiB))
    verdict = evaluate("qemu_img.virtual_size", size_facts(chain), path=DISK, size="120M")
    check(verdict, True, "qemu_img.size_ok")


def test_virtual_size_raw_uses_raw_probe() -> None:
    verdict = evaluate("qemu_img.virtual_size",
                       size_facts(info(image(RAW, fmt="raw", size=100 * MiB)), "raw", RAW),
                       path=RAW, format="raw", size="100M")
    check(verdict, True, "qemu_img.size_ok", path=RAW, size="100 MiB")


@pytest.mark.parametrize("kind", ["qemu_img.virtual_size", "qemu_img.backing",
                                  "qemu_img.independent", "qemu_img.data"])
@pytest.mark.parametrize(("state", "key", "values"), [
    (MISSING, "qemu_img.missing", {"path": DISK}),
    (WRONG_FORMAT, "qemu_img.format_wrong", {"path": DISK, "format": "qcow2", "found": "?"}),
    (backing_missing(f"{W}/base.qcow2"), "qemu_img.backing_missing",
     {"path": DISK, "missing": f"{W}/base.qcow2"}),
    (backing_missing(""), "qemu_img.backing_missing", {"path": DISK, "missing": "?"}),
])
def test_image_that_cannot_be_opened(kind: str, state: ImageChain, key: str,
                                     values: dict[str, Any]) -> None:
    given = {"path": DISK, "size": "1M", "backing": "base.qcow2"}
    chosen = {k: v for k, v in given.items() if k in KINDS[kind].Args.model_fields}
    if kind == "qemu_img.data":
        pair: tuple[Probe[Any], Any] = (QemuImgMap(DISK, "qcow2"),
                                        ImageMap(state.state, missing=state.missing))
    else:
        pair = (QemuImgInfo(DISK, "qcow2"), state)
    check(evaluate(kind, facts(pair), **chosen), False, key, **values)


# -- qemu_img.backing -------------------------------------------------------------------------
SNAP = f"{W}/snapdisk.qcow2"


def backing_verdict(top: ImageInfo, **wanted: Any) -> Verdict:
    return evaluate("qemu_img.backing", facts((QemuImgInfo(SNAP, "qcow2"), info(top))),
                    path=SNAP, **wanted)


@pytest.mark.parametrize(("backing", "full"), [
    ("neworixe.qcow2", f"{W}/neworixe.qcow2"),
    (f"{W}/neworixe.qcow2", f"{W}/neworixe.qcow2"),
    ("./neworixe.qcow2", f"{W}/neworixe.qcow2"),
    ("neworixe.qcow2", None),
])
def test_backing_ok(backing: str, full: str | None) -> None:
    top = image(SNAP, backing=backing, full_backing=full, backing_format="qcow2")
    for wanted in ("neworixe.qcow2", f"{W}/neworixe.qcow2", f"{W}/../lab/neworixe.qcow2"):
        check(backing_verdict(top, backing=wanted), True, "qemu_img.backing_ok")


def test_backing_none() -> None:
    check(backing_verdict(image(SNAP), backing="neworixe.qcow2"), False,
          "qemu_img.backing_none", backing="neworixe.qcow2")


def test_backing_wrong() -> None:
    top = image(SNAP, backing="base.qcow2", full_backing=f"{W}/base.qcow2",
                backing_format="qcow2")
    check(backing_verdict(top, backing="neworixe.qcow2"), False, "qemu_img.backing_wrong",
          found=f"{W}/base.qcow2")


@pytest.mark.parametrize(("declared", "found"), [("raw", "raw"), (None, "?")])
def test_backing_format_wrong(declared: str | None, found: str) -> None:
    top = image(SNAP, backing="neworixe.qcow2", full_backing=f"{W}/neworixe.qcow2",
                backing_format=declared)
    check(backing_verdict(top, backing="neworixe.qcow2"), False,
          "qemu_img.backing_format_wrong", found=found, backing_format="qcow2")


def test_backing_format_raw_expected() -> None:
    top = image(SNAP, backing="base.raw", full_backing=f"{W}/base.raw", backing_format="raw")
    check(backing_verdict(top, backing="base.raw", backing_format="raw"), True,
          "qemu_img.backing_ok")


# -- qemu_img.independent ---------------------------------------------------------------------
def test_independent() -> None:
    ok = facts((QemuImgInfo(DISK, "qcow2"), info(image(DISK))))
    check(evaluate("qemu_img.independent", ok, path=DISK), True, "qemu_img.independent_ok")
    chained = facts((QemuImgInfo(DISK, "qcow2"),
                     info(image(DISK, backing="snapdisk.qcow2",
                                full_backing=f"{W}/snapdisk.qcow2", backing_format="qcow2"),
                          image(f"{W}/snapdisk.qcow2"))))
    check(evaluate("qemu_img.independent", chained, path=DISK), False,
          "qemu_img.independent_wrong", found="snapdisk.qcow2")


# -- qemu_img.data ----------------------------------------------------------------------------
@pytest.mark.parametrize(("data_bytes", "limits", "key"), [
    ({0: 4 * MiB}, {"min": "4M"}, "qemu_img.data_ok"),
    ({0: 3 * MiB}, {"min": "4M"}, "qemu_img.data_too_little"),
    ({1: 4 * MiB}, {"min": "4M"}, "qemu_img.data_too_little"),
    ({}, {"max": 0}, "qemu_img.data_ok"),
    ({1: 4 * MiB}, {"max": 0}, "qemu_img.data_ok"),
    ({0: 64 * 1024, 1: 4 * MiB}, {"max": 0}, "qemu_img.data_too_much"),
    ({0: 2 * MiB}, {"min": "1M", "max": "2M"}, "qemu_img.data_ok"),
    ({0: 3 * MiB}, {"min": "1M", "max": "2M"}, "qemu_img.data_too_much"),
    ({}, {}, "qemu_img.data_ok"),
])
def test_own_data(data_bytes: dict[int, int], limits: dict[str, Any], key: str) -> None:
    verdict = evaluate("qemu_img.data", facts((QemuImgMap(DISK, "qcow2"), mapped(data_bytes))),
                       path=DISK, **limits)
    check(verdict, key == "qemu_img.data_ok", key, path=DISK)


def test_data_args_parse_sizes() -> None:
    parsed = args("qemu_img.data", path=DISK, min="4M", max="1G")
    assert (parsed.min, parsed.max) == (4 * MiB, 1 << 30)  # type: ignore[attr-defined]
    with pytest.raises(ValidationError):
        args("qemu_img.data", path=DISK, min="lots")


def test_probes_are_shared_by_key() -> None:
    """Checks on one image ask for equal probes, so a grade runs each once."""
    size = KINDS["qemu_img.virtual_size"]().probes(args("qemu_img.virtual_size", path=DISK,
                                                        size="1M"))
    backing = KINDS["qemu_img.backing"]().probes(args("qemu_img.backing", path=DISK,
                                                      backing="b.qcow2"))
    assert [p.key for p in size] == [p.key for p in backing]


# -- lvm.autoextend ---------------------------------------------------------------------------
def test_autoextend_reads_a_configured_lvm_conf() -> None:
    value = recorded("lvm.config", "autoextend")
    verdict = evaluate("lvm.autoextend", facts((LvmConfig(), value)), snapshot_threshold=70)
    check(verdict, True, "lvm.autoextend_ok")
