"""The student's side of a class's grading service, for lessons and exercise notebooks.

In a hub (``labkit.hub``), the settings name the class's grading service
(``LABKIT_GRADER_URL``, which the hub gives every student's server). Then nothing that needs
the teacher's secrets happens in the student's kernel (:mod:`labkit.grader_client` sends the
requests, with the student's own hub token):

- "Check my work" sends the exercise's id; the service grades THAT student's own lab hosts and
  signs the record with a key the student cannot read (:mod:`labkit.hub.service`); the answer
  is the report and the signed record;
- an exercise's panel shows the student's own values as the service gives them
  (:func:`values_from_service`), derived with the teacher's course secret: the values shown
  are the values graded.
"""

from __future__ import annotations

from typing import Any

from labkit.errors import ConnectError
from labkit.grader_client import SERVICE_NAME, ask, own_values, service_url
from labkit.grading import Report
from labkit.i18n import lang_or_default, text

__all__ = ["SERVICE_NAME", "check_my_work", "graded_by_service", "service_url",
           "values_from_service"]


def check_my_work(exercise: str, *, lang: str | None = None,
                  timeout: float = 300.0) -> dict[str, Any]:
    """Ask the class's grading service to grade this student's own lab for ``exercise`` and
    sign the record: ``{"report": …, "record": …}``. The service's URL is
    ``LABKIT_GRADER_URL``, else the hub's own ``labkit-grader`` service. A LabkitError, in
    the student's language, when it cannot: no hub, the service down, or its refusal."""
    data = ask("check", {"exercise": exercise, "lang": lang}, lang=lang, timeout=timeout)
    if not isinstance(data.get("report"), dict) or not isinstance(data.get("record"), dict):
        raise ConnectError(text("lessons.grader_said", lang_or_default(lang),
                                reason="no report"))
    return data


def graded_by_service(exercise: str, lang: str) -> tuple[Report, dict[str, Any]]:
    """The service's report (as a Report, in ``lang``) and its signed record."""
    from labkit.grading.writers import report_from_dict as _report_from

    answer = check_my_work(exercise, lang=lang)
    return _report_from(answer["report"], lang), answer["record"]


def values_from_service(exercise: str, lang: str, student: str | None = None
                        ) -> tuple[str, dict[str, str]]:
    """An exercise panel's values in a class: the HTML table of the student's own values (""
    when the exercise has none) and every parameter, both as the service grades with them.
    A LabkitError in the student's language when the service cannot say."""
    from labkit.variants import StudentVariant

    answer = own_values(exercise, student, lang=lang)
    shown = StudentVariant(exercise, answer["student"], answer["values"], answer["labels"],
                           lang)
    return (shown._repr_html_() if shown.values else ""), dict(answer["params"])
