"""The qemu-img command builder: form values -> a quoted command line and its advice."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given
from hypothesis import strategies as st

from labkit.widgets.builder import built_html, explain
from labkit.widgets.qemu_img import (
    OPERATIONS,
    QemuImgForm,
    build_command,
    check_command,
    parse_qemu_size,
)

F = QemuImgForm
M = 1 << 20

# form -> (command, error keys, warning keys)
CASES: list[tuple[QemuImgForm, str, set[str], set[str]]] = [
    (F("create", image="systemdisk.qcow2", size="100M"),
     "qemu-img create -f qcow2 systemdisk.qcow2 100M", set(), set()),
    (F("create", image="systemdisk.qcow2", size="100M", fmt=""),
     "qemu-img create systemdisk.qcow2 100M", set(), {"create.no_format", "ext.mismatch"}),
    (F("create", image="disk.raw", size="100M", fmt="qcow2"),
     "qemu-img create -f qcow2 disk.raw 100M", set(), {"ext.mismatch"}),
    (F("create", image="disk.qcow2", size="100"),
     "qemu-img create -f qcow2 disk.qcow2 100", set(), {"size.no_unit"}),
    (F("create", image="disk.qcow2", size="+100M"),
     "qemu-img create -f qcow2 disk.qcow2 +100M", {"size.bad"}, set()),
    (F("create", image="disk.qcow2", size="0"), "qemu-img create -f qcow2 disk.qcow2 0",
     {"size.zero"}, set()),
    (F("create", image="disk.qcow2"), "qemu-img create -f qcow2 disk.qcow2", {"missing.size"},
     set()),
    (F("create", image="", size="1G"), "qemu-img create -f qcow2 1G", {"missing.image"}, set()),
    (F("create", image="d.vhd", size="1G", fmt="vhd"), "qemu-img create -f vpc d.vhd 1G",
     {"format.vhd"}, set()),
    (F("create", image="d.qcow2", size="1G", fmt="qcou2"),
     "qemu-img create -f qcow2 d.qcow2 1G", {"format.unknown_suggest"}, set()),
    (F("create", image="d.qcow2", size="1G", fmt="zzz"), "qemu-img create -f zzz d.qcow2 1G",
     {"format.unknown"}, set()),
    # convert
    (F("convert", image="systemdisk.qcow2", output="systemrawdisk.raw", out_fmt="raw"),
     "qemu-img convert -f qcow2 -O raw systemdisk.qcow2 systemrawdisk.raw", set(), set()),
    (F("convert", image="systemdisk.qcow2", output="systemrawdisk.raw", fmt="raw",
       out_fmt="qcow2"),
     "qemu-img convert -f raw -O qcow2 systemdisk.qcow2 systemrawdisk.raw",
     {"convert.swapped"}, set()),
    (F("convert", image="systemdisk.qcow2", output="copy.raw", out_fmt="qcow2"),
     "qemu-img convert -f qcow2 -O qcow2 systemdisk.qcow2 copy.raw", set(), {"ext.mismatch"}),
    (F("convert", image="a.qcow2", output="./a.qcow2"), "qemu-img convert -f qcow2 -O qcow2 "
     "a.qcow2 ./a.qcow2", {"convert.same_file"}, set()),
    (F("convert", image="a.qcow2", output="b.raw", fmt="", out_fmt=""),
     "qemu-img convert a.qcow2 b.raw", set(), {"convert.no_format", "convert.no_out_format"}),
    # resize: +, -, final size, --shrink
    (F("resize", image="systemdisk.qcow2", size="+20M"),
     "qemu-img resize -f qcow2 systemdisk.qcow2 +20M", set(), set()),
    (F("resize", image="systemdisk.qcow2", size="20M"),
     "qemu-img resize -f qcow2 systemdisk.qcow2 20M", set(), {"resize.absolute"}),
    (F("resize", image="systemdisk.qcow2", size="20M", current_size=100 * M),
     "qemu-img resize -f qcow2 systemdisk.qcow2 20M", {"resize.needs_shrink"},
     {"resize.shrink"}),
    (F("resize", image="smalldisk.qcow2", size="80M", shrink=True, current_size=100 * M),
     "qemu-img resize -f qcow2 --shrink smalldisk.qcow2 80M", set(), {"resize.shrink"}),
    (F("resize", image="smalldisk.qcow2", size="-20M"),
     "qemu-img resize -f qcow2 smalldisk.qcow2 -20M", {"resize.needs_shrink"},
     {"resize.shrink"}),
    (F("resize", image="smalldisk.qcow2", size="-200M", shrink=True, current_size=100 * M),
     "qemu-img resize -f qcow2 --shrink smalldisk.qcow2 -200M", {"resize.below_zero"},
     {"resize.shrink"}),
    (F("resize", image="disk.qcow2", size="120M", current_size=100 * M),
     "qemu-img resize -f qcow2 disk.qcow2 120M", set(), set()),
    (F("resize", image="disk.qcow2", size="100M", current_size=100 * M),
     "qemu-img resize -f qcow2 disk.qcow2 100M", set(), set()),
    # snapshot (create -b)
    (F("snapshot", image="snapdisk.qcow2", backing="systemdisk.qcow2"),
     "qemu-img create -f qcow2 -b systemdisk.qcow2 -F qcow2 snapdisk.qcow2", set(), set()),
    (F("snapshot", image="snapdisk.qcow2", backing="systemdisk.qcow2", backing_fmt=""),
     "qemu-img create -f qcow2 -b systemdisk.qcow2 snapdisk.qcow2",
     {"snapshot.no_backing_format"}, set()),
    (F("snapshot", image="snap.raw", backing="base.qcow2", fmt="raw"),
     "qemu-img create -f raw -b base.qcow2 -F qcow2 snap.raw", {"snapshot.not_qcow2"}, set()),
    (F("snapshot", image="snap.qcow2", backing="base.raw", backing_fmt="raw"),
     "qemu-img create -f qcow2 -b base.raw -F raw snap.qcow2", set(), set()),
    (F("snapshot", image="snap.qcow2", backing="base.qcow2", backing_fmt="raw"),
     "qemu-img create -f qcow2 -b base.qcow2 -F raw snap.qcow2", set(), {"ext.mismatch"}),
    (F("snapshot", image="vms/snap.qcow2", backing="base.qcow2"),
     "qemu-img create -f qcow2 -b base.qcow2 -F qcow2 vms/snap.qcow2", set(),
     {"snapshot.relative"}),
    (F("snapshot", image="base.qcow2", backing="base.qcow2"),
     "qemu-img create -f qcow2 -b base.qcow2 -F qcow2 base.qcow2", {"snapshot.same_file"},
     set()),
    # commit, info, rebase
    (F("commit", image="snapdisk.qcow2", fmt=""), "qemu-img commit snapdisk.qcow2", set(),
     set()),
    (F("commit", image="disk.raw", fmt="raw"), "qemu-img commit -f raw disk.raw",
     {"commit.not_qcow2"}, set()),
    (F("info", image="systemdisk.qcow2", fmt="", backing_chain=True),
     "qemu-img info --backing-chain systemdisk.qcow2", set(), set()),
    (F("rebase", image="snapdisk.qcow2", backing="neworixe.qcow2"),
     "qemu-img rebase -f qcow2 -b neworixe.qcow2 -F qcow2 snapdisk.qcow2", set(), set()),
    (F("rebase", image="snapdisk.qcow2", backing="neworixe.qcow2", fmt="", backing_fmt=""),
     "qemu-img rebase -b neworixe.qcow2 snapdisk.qcow2", {"rebase.no_backing_format"}, set()),
]


@pytest.mark.parametrize(("form", "command", "errors", "warnings"), CASES,
                         ids=[f"{i}-{c[0].operation}" for i, c in enumerate(CASES)])
def test_form_to_command(form: QemuImgForm, command: str, errors: set[str],
                         warnings: set[str]) -> None:
    built = build_command(form)
    assert built.command == command
    assert set(built.keys("error")) == errors
    assert set(built.keys("warning")) == warnings
    assert built.ok == (not errors)
    for advice in built.advice:        # every message renders in both languages
        assert advice.text("gl") and advice.text("en")


def test_grow_and_shrink_notes() -> None:
    grow = build_command(F("resize", image="d.qcow2", size="+20M"))
    assert "resize.grow" in grow.keys("note")
    assert "DESPOIS" in next(a for a in grow.advice if a.key == "resize.grow").text("gl")
    shrink = build_command(F("resize", image="d.qcow2", size="80M", shrink=True))
    assert "BEFORE" in next(a for a in shrink.advice if a.key == "resize.shrink").text("en")
    both = build_command(F("resize", image="d.qcow2", size="+20M", shrink=True))
    assert "resize.shrink_unneeded" in both.keys("note")


@pytest.mark.parametrize("name", [
    "my disk.qcow2", "it's.qcow2", 'say "hi".qcow2', "$(rm -rf ~).qcow2", "a;b&&c|d.qcow2",
    "`id`.qcow2", "disco ñandú.qcow2", "*.qcow2", "back\\slash.qcow2",
])
def test_names_are_quoted(name: str) -> None:
    built = build_command(F("snapshot", image=name, backing=f"base {name}"))
    assert built.ok
    assert shlex.split(built.command) == list(built.argv)
    assert name in built.argv and f"base {name}" in built.argv
    assert f" {shlex.quote(name)} " in f" {built.command} "


@pytest.mark.parametrize(("name", "key"), [("-x.qcow2", "name.dash"),
                                           ("a\nb.qcow2", "name.control"),
                                           ("a\x00b", "name.control")])
def test_bad_names(name: str, key: str) -> None:
    built = build_command(F("create", image=name, size="1G"))
    assert key in built.keys("error")


_names = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1,
                 max_size=40).filter(lambda s: s.strip() and not s.strip().startswith("-"))


@given(image=_names, output=_names)
def test_any_name_round_trips_through_the_shell(image: str, output: str) -> None:
    built = build_command(F("convert", image=image, output=output))
    assert shlex.split(built.command) == list(built.argv)
    assert built.argv[-2:] == (image.strip(), output.strip())


def test_every_operation_builds() -> None:
    for op in OPERATIONS:
        form = F(op, image="a.qcow2", output="b.qcow2", backing="c.qcow2", size="+1G")
        assert build_command(form).argv[0] == "qemu-img"
    with pytest.raises(ValueError):
        build_command(F("explode"))


@pytest.mark.parametrize(("text", "size"), [("100M", ("", 100 << 20)), ("+20G", ("+", 20 << 30)),
                                            ("-1.5k", ("-", 1536)), ("7", ("", 7)),
                                            ("1e", ("", 1 << 60)), ("100B", ("", 100)),
                                            (" 2G ", ("", 2 << 30))])
def test_sizes(text: str, size: tuple[str, int]) -> None:
    assert parse_qemu_size(text) == size


@pytest.mark.parametrize("text", ["", "M", "10 M", "1 0M", "ten", "1MB", "1MiB", "1iB", "--1M",
                                  "9" * 400 + "M", "16e", "8e"])
def test_not_sizes(text: str) -> None:
    assert parse_qemu_size(text) is None


# -- commands as typed (the course text's typos) -----------------------------------------
TYPED = [
    ("qemu-img -f qcow2 -O qcow2 snapdisk.qcow2 disk.qcow2",
     "qemu-img convert -f qcow2 -O qcow2 snapdisk.qcow2 disk.qcow2", {"parse.missing_convert"}),
    ("gemu-img commit snapdisk.qcow2", "qemu-img commit snapdisk.qcow2",
     {"parse.program_typo"}),
    ("qemu-img create -f qcou2 -b systemdisk.qcow2 snapdisk.qcow2",
     "qemu-img create -f qcow2 -b systemdisk.qcow2 -F qcow2 snapdisk.qcow2",
     {"format.unknown_suggest", "snapshot.no_backing_format"}),
    ("qemu-img rebase -b neworixe.qcow2 snapdisk.qcow2",
     "qemu-img rebase -b neworixe.qcow2 -F qcow2 snapdisk.qcow2", {"rebase.no_backing_format"}),
    ("qemu-img create -f qcow2 systemdisk.qcow2 100G",
     "qemu-img create -f qcow2 systemdisk.qcow2 100G", set()),
    ("qemu-img resize --shrink systemdisk.qcow2 80G",
     "qemu-img resize --shrink systemdisk.qcow2 80G", set()),
    ("qemu-img resize smalldisk.qcow2 -20M", "qemu-img resize smalldisk.qcow2 -20M",
     {"resize.needs_shrink"}),
    ("qemu-img comit snapdisk.qcow2", "qemu-img commit snapdisk.qcow2",
     {"parse.unknown_subcommand_suggest"}),
    ("qemu-img create -O qcow2 a.qcow2 1G", "qemu-img create a.qcow2 1G",
     {"parse.option_not_here"}),
    ("qemu-img info -f", "qemu-img info", {"parse.needs_value", "missing.image"}),
    ("qemu-img commit a.qcow2 b.qcow2", "qemu-img commit a.qcow2", {"parse.extra"}),
    ("sudo qemu-img info -fqcow2 'my disk.qcow2'", "qemu-img info -f qcow2 'my disk.qcow2'",
     set()),
    ("qemu-img -f qcow2 disk.qcow2", "qemu-img -f qcow2 disk.qcow2", {"parse.no_subcommand"}),
    ("qemu-img frobnicate x", "qemu-img frobnicate x", {"parse.unknown_subcommand"}),
    ("ls -l", "ls -l", {"parse.not_qemu_img"}),
    ("qemu-img info 'unclosed", "", {"parse.quotes"}),
    ("   ", "", {"parse.empty"}),
]


@pytest.mark.parametrize(("text", "command", "errors"), TYPED, ids=[t[0] for t in TYPED])
def test_typed_commands(text: str, command: str, errors: set[str]) -> None:
    built = check_command(text)
    assert built.command == command
    assert set(built.keys("error")) == errors


@given(st.text(max_size=80))
def test_any_typed_text_gives_advice_not_an_exception(text: str) -> None:
    built = check_command(text)
    assert shlex.split(built.command) == list(built.argv)
    for advice in built.advice:
        assert advice.text("gl") and advice.text("en")


_WORDS = ["create", "convert", "resize", "commit", "info", "rebase", "snapshot", "-f", "-O",
          "-b", "-F", "-u", "-q", "--shrink", "--backing-chain", "--output=json", "--", "-x",
          "qcow2", "raw", "vhd", "qcou2", "a.qcow2", "b.raw", "'my disk.qcow2'", "100M", "+20M",
          "-20M", "80", "-fqcow2", "$(id)"]


@given(st.lists(st.sampled_from(_WORDS), max_size=9))
def test_any_qemu_img_line_gives_advice_not_an_exception(words: list[str]) -> None:
    built = check_command(" ".join(["qemu-img", *words]))
    assert shlex.split(built.command) == list(built.argv)
    assert all(a.text("en") for a in built.advice)


def test_internal_snapshots_are_not_backing_files() -> None:
    built = check_command("qemu-img snapshot -c before disk.qcow2")
    assert built.keys() == ["parse.internal_snapshot"]


def test_explain_text() -> None:
    text = explain("qemu-img -f qcow2 -O qcow2 snapdisk.qcow2 disk.qcow2", "gl")
    lines = text.splitlines()
    assert lines[0] == "$ qemu-img -f qcow2 -O qcow2 snapdisk.qcow2 disk.qcow2"
    assert lines[1].startswith("Erro: Falta convert")
    assert lines[-1] == "Comando corrixido: qemu-img convert -f qcow2 -O qcow2 snapdisk.qcow2 " \
                        "disk.qcow2"
    assert explain("qemu-img info disk.qcow2", "en").splitlines()[-1] == "No mistakes found."


def test_built_html_escapes_names_and_orders_errors_first() -> None:
    evil = "<img src=x onerror=alert(1)>.qcow2"
    html = built_html(build_command(F("create", image=evil, size="1G", fmt="raw")), "en")
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;.qcow2" in html
    html = built_html(build_command(F("resize", image="a.qcow2", size="-1M")), "en")
    assert html.index("Error:") < html.index("Warning:")
