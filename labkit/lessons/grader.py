"""The student's side of a class's grading service: "Check my work" in a JupyterHub class.

In a hub (``labkit.hub``), the settings name the class's grading service
(``LABKIT_GRADER_URL``, which the hub gives every student's server). Then "Check my work"
never grades nor signs in the student's kernel: it sends the exercise's id and the student's
own hub token (``JUPYTERHUB_API_TOKEN``) to the service, which grades THAT student's own lab
hosts and signs the record with a key the student cannot read
(:mod:`labkit.hub.service`). The answer is the report and the signed record.
"""

from __future__ import annotations

import json
import os
from typing import Any

from labkit import errors
from labkit.errors import AuthError, ConfigError, ConnectError, LabkitError, UsageError
from labkit.grading import Report
from labkit.i18n import lang_or_default, text
from labkit.settings import current

SERVICE_NAME = "labkit-grader"
#: Errors the service may name in its answer (``{"error": …, "kind": …}``), raised here again.
_KINDS: dict[str, type[LabkitError]] = {
    cls.__name__: cls for cls in (errors.ConnectError, errors.AuthError, errors.ProbeError,
                                  errors.SpecError, errors.RosterError, errors.ExerciseError,
                                  errors.UsageError, errors.ConfigError, errors.SandboxError)}


def service_url() -> str | None:
    """The grading service's URL when the settings say there is one, else None."""
    return current().grader_url


def check_my_work(exercise: str, *, lang: str | None = None,
                  timeout: float = 300.0) -> dict[str, Any]:
    """Ask the class's grading service to grade this student's own lab for ``exercise`` and
    sign the record: ``{"report": …, "record": …}``. The service's URL is
    ``LABKIT_GRADER_URL``, else the hub's own ``labkit-grader`` service. A LabkitError, in
    the student's language, when it cannot: no hub, the service down, or its refusal."""
    import urllib.error
    import urllib.request

    shown = lang_or_default(lang)
    hub = os.environ.get("JUPYTERHUB_API_URL", "").rsplit("/hub/api", 1)[0]
    token = os.environ.get("JUPYTERHUB_API_TOKEN")
    if not hub or not token:
        raise ConfigError(text("lessons.grader_no_hub", shown))
    url = service_url() or f"{hub}/services/{SERVICE_NAME}/check"
    if not url.startswith(("http://", "https://")):
        raise ConfigError(text("lessons.grader_bad_url", shown, url=url))
    payload = json.dumps({"exercise": exercise, "lang": lang}).encode()
    headers = {"Authorization": f"token {token}", "Content-Type": "application/json"}
    request = urllib.request.Request(url, data=payload, method="POST",  # noqa: S310
                                     headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            data: dict[str, Any] = json.loads(response.read())
    except urllib.error.HTTPError as exc:
        try:
            answer = json.loads(exc.read())
        except ValueError:
            answer = {}
        reason = str(answer.get("error") or exc.reason)
        kind = AuthError if exc.code in (401, 403) else UsageError if exc.code == 400 \
            else _KINDS.get(str(answer.get("kind")), ConnectError)
        raise kind(text("lessons.grader_said", shown, reason=reason)) from None
    except (OSError, ValueError) as exc:
        raise ConnectError(text("lessons.grader_down", shown, url=url,
                                reason=getattr(exc, "reason", exc))) from None
    if not isinstance(data, dict) or not isinstance(data.get("report"), dict) \
            or not isinstance(data.get("record"), dict):
        raise ConnectError(text("lessons.grader_said", shown, reason="no report"))
    return data


def graded_by_service(exercise: str, lang: str) -> tuple[Report, dict[str, Any]]:
    """The service's report (as a Report, in ``lang``) and its signed record."""
    from labkit.grading.writers import report_from_dict as _report_from

    answer = check_my_work(exercise, lang=lang)
    return _report_from(answer["report"], lang), answer["record"]
