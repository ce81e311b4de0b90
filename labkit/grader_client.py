"""The student's side of a JupyterHub class's grading service: one HTTP request with their token.

In a hub (``labkit.hub``), the settings name the class's grading service
(``LABKIT_GRADER_URL``, which the hub gives every student's server; it names the service's
``…/check`` endpoint or its base URL). The student's kernel then asks the service for what
needs the teacher's secrets, and holds none of them:

- ``check``: "Check my work", graded on the student's own lab hosts and signed with the
  evidence key (:func:`labkit.lessons.grader.check_my_work`);
- ``values``: the student's own values for an exercise (:func:`own_values`), derived with the
  teacher's course secret exactly as the service grades with them; what the exercise panel
  (``labkit.lessons.Exercise``) and ``labkit.variants.for_student`` show in a hub.

Every request carries the student's own hub token (``JUPYTERHUB_API_TOKEN``): the service asks
the hub whose token it is, so a student gets their own grade and values only. The service's
side is :mod:`labkit.hub.service`. This module needs nothing but the standard library and
labkit's settings, errors and messages, so any layer may ask the service.
"""

from __future__ import annotations

import json
import os
from typing import Any

from labkit import errors
from labkit.errors import AuthError, ConfigError, ConnectError, LabkitError, UsageError
from labkit.i18n import lang_or_default, text
from labkit.settings import current

__all__ = ["SERVICE_NAME", "ask", "own_values", "service_url"]

SERVICE_NAME = "labkit-grader"
#: Errors the service may name in its answer (``{"error": …, "kind": …}``), raised here again.
_KINDS: dict[str, type[LabkitError]] = {
    cls.__name__: cls for cls in (errors.ConnectError, errors.AuthError, errors.ProbeError,
                                  errors.SpecError, errors.RosterError, errors.ExerciseError,
                                  errors.UsageError, errors.ConfigError, errors.SandboxError)}


def service_url(endpoint: str = "check") -> str | None:
    """The URL of the grading service's ``endpoint`` when the settings name the service
    (``LABKIT_GRADER_URL``: its ``…/check`` endpoint or its base URL), else None."""
    url = current().grader_url
    if not url:
        return None
    base = url.rstrip("/")
    base = base[:-len("/check")] if base.endswith("/check") else base
    return f"{base}/{endpoint}"


def ask(endpoint: str, payload: dict[str, Any], *, lang: str | None = None,
        timeout: float = 300.0, refused: str = "lessons.grader_said") -> dict[str, Any]:
    """POST ``payload`` (JSON) to the service's ``endpoint`` with the student's hub token and
    return its JSON answer. The service is ``LABKIT_GRADER_URL``, else the hub's own
    ``labkit-grader`` service. A LabkitError in the student's language when it cannot: no hub,
    the service down, or its refusal (the message ``refused``, with the service's reason)."""
    import urllib.error
    import urllib.request

    shown = lang_or_default(lang)
    hub = os.environ.get("JUPYTERHUB_API_URL", "").rsplit("/hub/api", 1)[0]
    token = os.environ.get("JUPYTERHUB_API_TOKEN")
    if not hub or not token:
        raise ConfigError(text("lessons.grader_no_hub", shown))
    url = service_url(endpoint) or f"{hub}/services/{SERVICE_NAME}/{endpoint}"
    if not url.startswith(("http://", "https://")):
        raise ConfigError(text("lessons.grader_bad_url", shown, url=url))
    headers = {"Authorization": f"token {token}", "Content-Type": "application/json"}
    request = urllib.request.Request(url, data=json.dumps(payload).encode(),  # noqa: S310
                                     method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            data = json.loads(response.read())
    except urllib.error.HTTPError as exc:
        try:
            answer = json.loads(exc.read())
        except ValueError:
            answer = {}
        answer = answer if isinstance(answer, dict) else {}
        reason = str(answer.get("error") or exc.reason)
        kind = AuthError if exc.code in (401, 403) else UsageError if exc.code == 400 \
            else _KINDS.get(str(answer.get("kind")), ConnectError)
        raise kind(text(refused, shown, reason=reason)) from None
    except (OSError, ValueError) as exc:
        raise ConnectError(text("lessons.grader_down", shown, url=url,
                                reason=getattr(exc, "reason", exc))) from None
    if not isinstance(data, dict):
        raise ConnectError(text(refused, shown, reason="no answer"))
    return data


def _texts(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str)
                                           for k, v in value.items())


def own_values(exercise: str, student: str | None = None, *, lang: str | None = None,
               show_all: bool = False, timeout: float = 60.0) -> dict[str, Any]:
    """The student's own values for ``exercise``, from the class's grading service:
    ``{"student": id, "exercise": …, "values": {name: value}, "labels": {name: label},
    "params": {name: value}}`` (``values``: what the student types, as shown, in order;
    ``params``: every parameter the service grades the exercise with). ``student``, if given,
    must be the student themself: the service refuses anyone else's (an AuthError)."""
    payload: dict[str, Any] = {"exercise": exercise, "lang": lang, "all": show_all}
    if student:
        payload["student"] = student
    data = ask("values", payload, lang=lang, timeout=timeout, refused="lessons.values_said")
    if not isinstance(data.get("student"), str) or not all(
            _texts(data.get(part)) for part in ("values", "labels", "params")) \
            or set(data["values"]) != set(data["labels"]):
        raise ConnectError(text("lessons.values_said", lang_or_default(lang),
                                reason="no values"))
    return data
