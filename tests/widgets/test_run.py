"""Running a command on the lab host: transcripts, HTML, timeouts and errors as messages."""

from __future__ import annotations

from pathlib import Path

from labkit.host import Host
from labkit.transports.base import CommandResult
from labkit.widgets.run import RunCommand, result_html, run_line, transcript


def test_transcript() -> None:
    ok = CommandResult("x", 0, "Image resized.\n", "")
    assert transcript("qemu-img resize d.qcow2 +1M", ok, "en") == \
        "$ qemu-img resize d.qcow2 +1M\nImage resized."
    bad = CommandResult("x", 1, "", "qemu-img: Use the --shrink option\n")
    assert transcript("c", bad, "gl").splitlines()[-1] == "[código de saída 1]"
    assert transcript("c", "no host", "en") == "$ c\nlabkit: no host"


def test_result_html_escapes_everything() -> None:
    result = CommandResult("x", 2, "<b>out</b>\n", "<i>err</i> & more\n")
    html = result_html("echo '<b>'", result, "en")
    assert "<b>" not in html and "<i>" not in html
    assert "&lt;b&gt;out&lt;/b&gt;" in html and "&lt;i&gt;err&lt;/i&gt; &amp; more" in html
    assert "exit code 2" in html and "standard error" in html
    assert "(no output)" in result_html("true", CommandResult("x", 0, "", ""), "en")
    assert "&lt;x&gt;" in result_html("c", "failed: <x>", "en")


def test_run_line_on_this_machine(tmp_path: Path) -> None:
    lab = Host("local://")
    cwd = str(tmp_path / "new folder")
    answer = run_line(lab, "pwd; echo oops >&2; exit 3", "en", cwd=cwd)
    assert isinstance(answer, CommandResult)
    assert answer.exit_code == 3 and answer.stdout.strip() == cwd
    assert answer.stderr.strip() == "oops"
    assert run_line(lab, "sleep 5", "en", timeout=0.5) == \
        "The command did not finish within 0.5 s and was stopped."
    assert run_line(lab, "   ", "en") == "Write a command first."
    assert run_line(None, "true", "en") == "There is no lab host: start the lesson's lab."


def test_widget(tmp_path: Path) -> None:
    widget = RunCommand(Host("local://"), "gl", "echo '<ola>'", cwd=str(tmp_path))
    assert widget.text() == "[Executar un comando na máquina de laboratorio]"
    assert widget.output.value == ""
    widget.button.click()
    assert "&lt;ola&gt;" in widget.output.value and "código de saída 0" in widget.output.value
    assert not widget.button.disabled
    assert "Lido de local://" in widget.widget.children[0].value


def test_no_host_is_a_message() -> None:
    widget = RunCommand(Host("ssh://root@127.0.0.1:1?timeout=2"), "en", "true", run=True)
    assert "could not be run" in widget.output.value
    assert "Traceback" not in widget.output.value
