"""The "Check my work" table (Report -> HTML) and the widget on a real host (this machine)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from labkit import exercises
from labkit.checks.engine import CheckResult
from labkit.errors import LabkitError
from labkit.grading import Report, grade
from labkit.host import Host
from labkit.widgets.check import CheckMyWork, report_html, report_summary
from labkit.widgets.html import COLOURS

EVIL = "<script>alert('x')</script>"


def report(**extra: object) -> Report:
    checks = [
        CheckResult("disk-exists", "passed", 1, 1, "You created the disk systemdisk.qcow2."),
        CheckResult("disk-qcow2", "failed", 0, 1, f"{EVIL}.qcow2 is not in qcow2 format.",
                    hint=f"Use -f qcow2 & not {EVIL}"),
        CheckResult("disk-grown", "blocked", 0, 2, "Not checked until this passes: disk-qcow2."),
        CheckResult("raw-size", "error", 0, 1, "The lab host's state could not be read: x"),
    ]
    return Report(exercise="qemu-img-basics", host=f"ssh://root@{EVIL}:22", lang="en",
                  checks=checks, **extra)  # type: ignore[arg-type]


def test_table_escapes_messages_hints_and_host() -> None:
    html = report_html(report(error=f"could not reach {EVIL}"), "en")
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;.qcow2 is not in qcow2" in html
    assert "Use -f qcow2 &amp; not &lt;script&gt;" in html
    assert html.count("&lt;script&gt;") == 4               # message, hint, host, error


def test_table_shows_status_colours_points_and_hint() -> None:
    html = report_html(report(), "en", title="qemu-img: create")
    assert "qemu-img: create: 1/5 points" in html
    for status in ("passed", "failed", "blocked", "error"):
        assert COLOURS[status][0] in html
    assert ">1/1<" in html and ">0/2<" in html
    assert "Hint: Use -f qcow2" in html
    assert "<th" in html and ">Check<" in html and ">Status<" in html
    assert "Everything is right" not in html


def test_table_in_galician() -> None:
    html = report_html(report(), "gl")
    assert ">Comprobación<" in html and "Pista: Use -f qcow2" in html
    assert "superada" in html and "fallada" in html and "bloqueada" in html


def test_full_marks() -> None:
    full = Report("qemu-img-basics", "local://", "gl",
                  [CheckResult("disk-exists", "passed", 1, 1, "ok")])
    assert "Todo correcto" in report_html(full, "gl")
    assert report_summary(full, "en") == "qemu-img-basics: 1/1 points"


@pytest.mark.skipif(not shutil.which("qemu-img"), reason="qemu-img not installed")
def test_widget_grades_this_machine(tmp_path: Path) -> None:
    spec = exercises.load("qemu-img-basics")
    params = {"workdir": str(tmp_path)}
    host = Host("local://")
    widget = CheckMyWork("qemu-img: create", "en",
                         lambda: grade(spec, {"host": host}, lang="en", params=params),
                         now=False)
    assert widget.text() == "[Check my work: qemu-img: create]"
    first = widget.grade()
    assert first is not None and first.score == 0
    assert "The disk systemdisk.qcow2" not in widget.output.value   # messages, not hints
    done = exercises.run_script(host, exercises.solution("qemu-img-basics"), spec, params)
    assert done.ok, done.tail()
    widget.button.click()
    assert widget.report is not None and widget.report.complete
    assert widget.text() == "[Check my work] qemu-img: create: 10/10 points"
    assert "Everything is right" in widget.output.value


def test_a_failing_grade_is_a_message() -> None:
    def broken() -> Report:
        raise LabkitError("unknown exercise 'no-such-exercise'")

    widget = CheckMyWork("x", "gl", broken)
    assert widget.report is None
    assert "Non se puido corrixir" in widget.output.value
    assert "unknown exercise" in widget.output.value

    def crash() -> Report:
        raise ZeroDivisionError("boom")

    assert "ZeroDivisionError: boom" in CheckMyWork("x", "en", crash).output.value


def test_a_stand_in_host_says_the_grade_does_not_count() -> None:
    stood = report()
    stood.stand_in = "local:// is this machine"
    widget = CheckMyWork("x", "en", lambda: stood)
    assert "This grade does not count: local:// is this machine" in widget.output.value


def test_a_signed_grade_keeps_its_record_in_the_notebook() -> None:
    """A class's grading service answers a report and its signed record: the widget shows
    the report, says who signed it, and its notebook output carries the record (what
    ``labkit.evidence.records_from_notebook`` reads back); a plain report carries none."""
    from labkit.evidence import MIME, records_from_notebook

    record = {"labkit_evidence": 1, "exercise": "qemu-img-basics", "student": "ana",
              "key_id": "9f3a61c2", "sig": "00"}
    signed = CheckMyWork("qemu-img-basics", "en", lambda: (report(), record))
    assert signed.report is not None and signed.record == record
    assert "signed by the class grading service (key 9f3a61c2)" in signed.output.value
    bundle = signed._repr_mimebundle_()
    assert bundle[MIME] == record
    cell = {"cell_type": "code", "outputs": [{"output_type": "display_data", "data": bundle}]}
    assert records_from_notebook({"cells": [cell]}) == [record]
    plain = CheckMyWork("qemu-img-basics", "en", report)
    assert plain.record is None and MIME not in plain._repr_mimebundle_()
    assert "signed" not in plain.output.value
