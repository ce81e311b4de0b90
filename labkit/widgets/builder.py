"""The qemu-img command builder widget: a form, the command it makes, and what to know.

The logic is ``labkit.widgets.qemu_img`` (pure); ``built_html`` renders its answer. The form
shows only the fields the chosen operation uses. A valid command can be run on the lab host
in the exercise's work folder; a command typed by the student can be checked as well.
"""

from __future__ import annotations

import shlex
from dataclasses import fields
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from labkit.i18n import text
from labkit.widgets.html import FONT, esc, message, pre
from labkit.widgets.qemu_img import (
    FORMATS,
    OPERATIONS,
    BuiltCommand,
    QemuImgForm,
    build_command,
    check_command,
)
from labkit.widgets.run import result_html, run_line
from labkit.widgets.view import View

if TYPE_CHECKING:
    from labkit.host import Host

#: The form fields each operation uses (the others are hidden).
VISIBLE = {
    "create": ("image", "fmt", "size"),
    "snapshot": ("image", "backing", "fmt", "backing_fmt", "size"),
    "convert": ("image", "output", "fmt", "out_fmt"),
    "resize": ("image", "fmt", "sign", "size", "shrink"),
    "commit": ("image", "fmt"),
    "info": ("image", "fmt", "backing_chain"),
    "rebase": ("image", "backing", "fmt", "backing_fmt"),
}
_LEVEL_KIND = {"error": "failed", "warning": "warning", "note": "note"}


def built_html(built: BuiltCommand, lang: str, *, heading: str = "builder.command") -> str:
    """The command (escaped) and the advice about it, errors first."""
    parts = [f'<div style="{FONT}">']
    if built.argv:
        parts.append(f'<div style="opacity: 0.7;">{esc(text(heading, lang))}</div>')
        parts.append(pre(built.command))
    order = {"error": 0, "warning": 1, "note": 2}
    for advice in sorted(built.advice, key=lambda a: order[a.level]):
        label = text(f"level.{advice.level}", lang)
        parts.append(message(f"{label}: {advice.text(lang)}", _LEVEL_KIND[advice.level]))
    if built.ok and not any(a.level == "warning" for a in built.advice):
        parts.append(message(text("builder.all_good", lang), "passed"))
    parts.append("</div>")
    return "".join(parts)


def explain(command: str, lang: str) -> str:
    """A typed command checked, as text: the advice, then the corrected command if any."""
    built = check_command(command)
    order = {"error": 0, "warning": 1, "note": 2}
    lines = [f"$ {command.strip()}"]
    lines += [f"{text(f'level.{a.level}', lang)}: {a.text(lang)}"
              for a in sorted(built.advice, key=lambda a: order[a.level])]
    try:
        typed = tuple(shlex.split(command))
    except ValueError:
        typed = ()
    if built.argv and built.argv != typed:
        lines.append(f"{text('builder.corrected', lang)}: {built.command}")
    if built.ok and "warning" not in {a.level for a in built.advice}:
        lines.append(text("builder.all_good", lang))
    return "\n".join(lines)


def _format_options(lang: str) -> list[tuple[str, str]]:
    return [(text("format.none", lang), "")] + [
        ("vpc (VHD)" if f == "vpc" else f, f) for f in FORMATS]


class QemuImgBuilder(View):
    """The form; ``form`` holds the first values (``QemuImgForm`` field names)."""

    def __init__(self, host: Host | None, lang: str, *, cwd: str | None = None,
                 **form: Any) -> None:
        self.host, self.lang = host, lang
        self.cwd = cwd
        known = {f.name for f in fields(QemuImgForm)}
        unknown = set(form) - known
        if unknown:
            raise TypeError(f"unknown form field(s): {', '.join(sorted(unknown))}")
        start = QemuImgForm(**{"image": "systemdisk.qcow2", "size": "100M", **form})
        sign = start.size[:1] if start.size[:1] in ("+", "-") else ""
        def wide() -> dict[str, Any]:   # a Layout per widget: each one is shown or hidden
            return {"style": {"description_width": "11em"}, "layout": w.Layout(width="30em")}

        self.inputs: dict[str, Any] = {
            "operation": w.Dropdown(options=[(text(f"op.{op}", lang), op) for op in OPERATIONS],
                                    value=start.operation,
                                    description=text("builder.operation", lang),
                                    style={"description_width": "11em"},
                                    layout=w.Layout(width="36em")),
            "image": w.Text(value=start.image, **wide()),
            "output": w.Text(value=start.output, description=text("field.output", lang), **wide()),
            "backing": w.Text(value=start.backing, description=text("field.backing", lang),
                              **wide()),
            "fmt": w.Dropdown(options=_format_options(lang), value=start.fmt,
                              description=text("field.fmt", lang), **wide()),
            "out_fmt": w.Dropdown(options=_format_options(lang), value=start.out_fmt,
                                  description=text("field.out_fmt", lang), **wide()),
            "backing_fmt": w.Dropdown(options=_format_options(lang), value=start.backing_fmt,
                                      description=text("field.backing_fmt", lang), **wide()),
            "sign": w.ToggleButtons(options=[(text("sign.add", lang), "+"),
                                             (text("sign.remove", lang), "-"),
                                             (text("sign.set", lang), "")],
                                    value=sign, description=text("field.sign", lang),
                                    style={"description_width": "11em",
                                           "button_width": "10em"}),
            "size": w.Text(value=start.size.lstrip("+-"), description=text("field.size", lang),
                           **wide()),
            "shrink": w.Checkbox(value=start.shrink, description=text("field.shrink", lang),
                                 indent=True, **wide()),
            "backing_chain": w.Checkbox(value=start.backing_chain,
                                        description=text("field.backing_chain", lang),
                                        indent=True, **wide()),
        }
        self.current_size = start.current_size
        self.result = w.HTML()
        self.run_button = w.Button(description=text("builder.run", lang), icon="play",
                                   button_style="primary", layout=w.Layout(width="auto"))
        self.run_output = w.HTML()
        self.typed = w.Text(placeholder="qemu-img …", layout=w.Layout(width="32em"))
        self.check_button = w.Button(description=text("builder.check_button", lang))
        self.check_output = w.HTML()
        for widget in self.inputs.values():
            widget.observe(lambda _change: self.update(), names="value")
        self.run_button.on_click(lambda _button: self.run())
        self.check_button.on_click(lambda _button: self.check_typed())
        self.widget = w.VBox([
            *self.inputs.values(), self.result, self.run_button, self.run_output,
            w.HTML(f'<div style="{FONT} margin-top: 8px;">'
                   f'{esc(text("builder.check_label", lang))}</div>'),
            w.HBox([self.typed, self.check_button]), self.check_output])
        self.built = self.update()

    def form(self) -> QemuImgForm:
        """The form's values as a QemuImgForm."""
        v = {name: widget.value for name, widget in self.inputs.items()}
        size = str(v.pop("size")).strip()
        sign = v.pop("sign")
        if v["operation"] == "resize" and size and size[0] not in "+-":
            size = sign + size
        return QemuImgForm(size=size, current_size=self.current_size, **v)

    def update(self) -> BuiltCommand:
        """Show the fields of the chosen operation and rebuild the command."""
        form = self.form()
        lang = self.lang
        shown = VISIBLE[form.operation]
        for name, widget in self.inputs.items():
            if name != "operation":
                widget.layout.display = None if name in shown else "none"
        label = {"convert": "field.image.convert", "snapshot": "field.image.snapshot"}
        self.inputs["image"].description = text(label.get(form.operation, "field.image"), lang)
        self.built = build_command(form)
        self.result.value = built_html(self.built, lang)
        self.run_button.disabled = not self.built.ok
        return self.built

    def run(self) -> None:
        """Run the built command on the lab host, in the work folder."""
        lang = self.lang
        if not self.built.ok:
            self.run_output.value = message(text("builder.fix_first", lang), "warning")
            return
        command = self.built.command
        self.run_output.value = message(text("run.running", lang), "note")
        answer = run_line(self.host, command, self.lang, cwd=self.cwd)
        self.run_output.value = result_html(command, answer, lang)

    def check_typed(self) -> BuiltCommand:
        """Check the command in the "check a command you wrote" box."""
        built = check_command(self.typed.value)
        self.check_output.value = built_html(built, self.lang, heading="builder.corrected")
        return built

    def text(self) -> str:
        return f"{text('builder.widget', self.lang)} {self.built.command}"
