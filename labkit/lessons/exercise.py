"""``Exercise``: an exercise notebook's lab — the lab of the lesson that teaches it, the
student's own values for it, and its "Check my work" (built on the lesson lab, see
:mod:`labkit.lessons.lesson`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from labkit.errors import LabkitError
from labkit.host import Host
from labkit.i18n import lang_or_default, text
from labkit.lessons import labs
from labkit.lessons.lesson import _Base
from labkit.lessons.table import lab_host_for, lesson_of, moved
from labkit.widgets.html import message


class Exercise(_Base):
    """An exercise notebook's lab: the lab of the lesson that teaches it, the student's own
    values for it, and its "Check my work". In a class (``LABKIT_GRADER_URL`` set) the
    values and ``params`` are the class's grading service's, derived with the teacher's
    course secret as it grades (:mod:`labkit.lessons.grader`); the kernel needs no secret."""

    def __init__(self, name: str, lang: str | None = None, *, keep_other: bool = False,
                 hosts: Mapping[str, Host] | None = None,
                 control: labs.LabControl | None = None, display: bool | None = None,
                 student: str | None = None) -> None:
        from labkit import exercises

        self.name = name
        self.spec = lesson_of(name)
        self.exercise_spec = exercises.load(name)
        self.main = lab_host_for(self.spec.topology, self.exercise_spec.roles[0])
        self.student = student
        self.params = self._params(lang)
        if self.params.get("workdir"):
            self.params["workdir"] = moved(self.params["workdir"])
        self.workdir = self.params.get("workdir", "")
        self._setup(lang, keep_other=keep_other, hosts=hosts, control=control,
                    display=display, title=text("lessons.exercise_title",
                                                lang_or_default(lang), exercise=name))
        self.panel.values_html = self._values_html()
        self._refresh_panel()

    def _params(self, lang: str | None) -> dict[str, str]:
        from labkit.checks.spec import spec_params
        from labkit.lessons.grader import service_url, values_from_service

        self._context: Any = None
        self._service_values: str | None = None
        if service_url():  # a class: the grading service's values, the ones it grades with
            try:
                self._service_values, params = values_from_service(
                    self.name, lang_or_default(lang), self.student)
                return params
            except LabkitError as exc:  # said in the panel; no values made up in the kernel
                self._service_values = message(str(exc), "warning")
                return dict(spec_params(self.exercise_spec))
        try:
            from labkit.grading.context import GradingContext

            ctx = GradingContext.build(self.exercise_spec, student=self.student,
                                       lang=lang_or_default(lang), need_hosts=False)
            self._context = ctx
            return dict(ctx.params)
        except (ImportError, LabkitError):
            return dict(spec_params(self.exercise_spec))

    def _values_html(self) -> str:
        if self._service_values is not None:
            return self._service_values
        ctx = getattr(self, "_context", None)
        if ctx is None or not ctx.values_table(self.lang):
            return ""
        return str(ctx.values_html(self.lang))

    def check(self, exercise: str | None = None) -> Any:
        """"Check my work" for this exercise (with the student's own values)."""
        return self._check(exercise or self.name, self.params)
