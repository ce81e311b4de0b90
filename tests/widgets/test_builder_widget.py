"""The builder widget without a browser: fields per operation, live rebuild, checks, runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from labkit.host import Host
from labkit.widgets.builder import VISIBLE, QemuImgBuilder


def shown(builder: QemuImgBuilder) -> set[str]:
    return {name for name, widget in builder.inputs.items()
            if name != "operation" and widget.layout.display != "none"}


def test_only_the_operations_fields_are_shown() -> None:
    builder = QemuImgBuilder(Host("local://"), "en")
    layouts = [id(widget.layout) for widget in builder.inputs.values()]
    assert len(set(layouts)) == len(layouts)          # hiding one field hides no other
    for operation, fields in VISIBLE.items():
        builder.inputs["operation"].value = operation
        assert shown(builder) == set(fields), operation


def test_the_command_follows_the_form() -> None:
    builder = QemuImgBuilder(Host("local://"), "gl", operation="resize",
                             image="systemdisk.qcow2", size="20M")
    assert builder.inputs["sign"].value == ""
    assert builder.text() == "[Asistente de comandos qemu-img] qemu-img resize -f qcow2 " \
                             "systemdisk.qcow2 20M"
    assert "Sen signo, 20M" in builder.result.value
    builder.inputs["sign"].value = "+"
    assert builder.built.command == "qemu-img resize -f qcow2 systemdisk.qcow2 +20M"
    assert "DESPOIS" in builder.result.value and not builder.run_button.disabled
    builder.inputs["sign"].value = "-"
    assert not builder.built.ok and builder.run_button.disabled
    builder.inputs["shrink"].value = True
    assert builder.built.command == "qemu-img resize -f qcow2 --shrink systemdisk.qcow2 -20M"
    builder.inputs["image"].value = "my <disk>.qcow2"
    assert "&lt;disk&gt;" in builder.result.value and "<disk>" not in builder.result.value


def test_typed_command_box() -> None:
    builder = QemuImgBuilder(Host("local://"), "en")
    builder.typed.value = "qemu-img -f qcow2 -O qcow2 snapdisk.qcow2 disk.qcow2"
    builder.check_button.click()
    assert "Corrected command" in builder.check_output.value
    assert "qemu-img convert -f qcow2 -O qcow2 snapdisk.qcow2 disk.qcow2" in \
        builder.check_output.value


def test_run_in_the_work_folder(tmp_path: Path) -> None:
    builder = QemuImgBuilder(Host("local://"), "en", cwd=str(tmp_path), image="d.qcow2",
                             size="1M")
    builder.run_button.click()
    assert "exit code" in builder.run_output.value
    builder.inputs["size"].value = "nonsense"
    builder.run()
    assert "Fix the errors first" in builder.run_output.value


def test_unknown_field() -> None:
    with pytest.raises(TypeError, match="colour"):
        QemuImgBuilder(Host("local://"), "en", colour="red")
