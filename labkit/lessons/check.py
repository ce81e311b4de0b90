"""The one "Check my work" of lessons and exercise notebooks.

It grades through the grading context (``labkit.grading.context.GradingContext``: the
student's id, language, parameter values and hosts by role), on the hosts of the lesson's lab
(each exercise role mapped to its lab host by ``labkit.lessons.table.ROLE_HOSTS``). A stand-in
host (the grading machine itself, e.g. ``--local``) is graded but says that it earns nothing;
in preview mode nothing is graded at all: a recording is not the student's work.

In a class (``LABKIT_GRADER_URL`` set: a JupyterHub server) the class's grading service
grades instead (:mod:`labkit.lessons.grader`): it grades the student's own lab hosts and
signs the record with a key the student cannot read; nothing is graded or signed in the
student's kernel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from labkit import exercises
from labkit.errors import LabkitError
from labkit.grading import Report
from labkit.i18n import text
from labkit.lessons.grader import graded_by_service, service_url
from labkit.lessons.table import lab_host_for, moved
from labkit.widgets.check import CheckMyWork, Note

if TYPE_CHECKING:
    from labkit.lessons.lesson import _Base


def grade_on(lab: _Base, exercise: str, params: dict[str, str] | None = None) -> Report:
    """Grade ``exercise`` on ``lab``'s hosts (LabkitError if a role has no host)."""
    spec = exercises.load(exercise)
    if params is None and spec.params.get("workdir"):
        moved_to = moved(str(spec.params["workdir"]))
        params = {"workdir": moved_to} if moved_to != spec.params["workdir"] else None
    hosts = {role: lab.host(lab_host_for(lab.topology, role)) for role in spec.roles}
    from labkit.grading.context import GradingContext

    ctx = GradingContext.build(spec, lang=lab.lang, params=params or None, need_hosts=False)
    return ctx.grade(hosts)


def check_widget(lab: _Base, exercise: str, params: dict[str, str] | None = None) -> Any:
    """The widget: a button and the report table, graded now."""
    try:
        title = exercises.load(exercise).title[lab.lang]
    except (LabkitError, KeyError):
        title = exercise
    if lab.mode == "preview":
        return Note(text("lessons.check_preview", lab.lang, exercise=title), "warning")
    if service_url():
        return CheckMyWork(title, lab.lang, lambda: graded_by_service(exercise, lab.lang))
    if lab.mode in ("needs-lab", "failed") or not lab.hosts:
        return Note(lab.problem or text("lessons.no_host", lab.lang, role=lab.main),
                    "warning")
    return CheckMyWork(title, lab.lang, lambda: grade_on(lab, exercise, params))
