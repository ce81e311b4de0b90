"""The class's grading service: "Check my work" in a hub, signed with a key students cannot read.

A JupyterHub managed service (``configure(…, evidence_key_file=…)`` adds it) running as the
hub's user: a student's kernel sends ``POST /services/labkit-grader/check`` with the
exercise's id and its own hub token (``JUPYTERHUB_API_TOKEN``); the service asks the hub whose
token it is, grades THAT student's own lab hosts from the class allocation (with the
teacher's keys), signs the record with the evidence key (``labkit.evidence``) and returns the
report and the signed record. The student chooses nothing but the exercise: not the student
id, not the hosts, not the key. :func:`check_my_work` is the student's side.
"""

from __future__ import annotations

import json
import os
from typing import Any

from labkit.errors import LabkitError
from labkit.settings import current

SERVICE_NAME = "labkit-grader"


def grade_for(student: str, exercise: str, roster: str, key: bytes,
              lang: str | None = None) -> dict[str, Any]:
    """Grade ``student``'s own lab for ``exercise`` and sign the record."""
    from labkit.evidence import make_record
    from labkit.grading.context import GradingContext
    from labkit.sandbox.libvirt_class import allocated_hosts

    hosts = allocated_hosts(roster)
    if hosts is None or student not in hosts:
        raise LabkitError(f"{student} has no lab in this class")
    context = GradingContext.for_student(exercise, student=student, lang=lang,
                                         url=hosts[student])
    context.refuse_recordings()
    report, record = make_record(context, None, key=key)
    return {"report": report.to_dict(), "record": record}


def make_app() -> Any:
    """The tornado application (run by :func:`main` as a hub-managed service)."""
    from jupyterhub.services.auth import HubAuth  # type: ignore[import-untyped]
    from tornado import web

    from labkit.evidence import load_key

    roster = current().class_roster
    if roster is None:
        raise LabkitError("the grading service does not know the class: set LABKIT_CLASS_ROSTER")
    key = load_key()
    auth = HubAuth(api_token=os.environ["JUPYTERHUB_API_TOKEN"], cache_max_age=60)
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", f"/services/{SERVICE_NAME}/")

    class Check(web.RequestHandler):
        async def post(self) -> None:
            header = self.request.headers.get("Authorization", "")
            token = header.split(" ", 1)[1] if header.lower().startswith("token ") else ""
            user = await auth.user_for_token(token, sync=False) if token else None
            if not user or user.get("kind", "user") != "user":
                raise web.HTTPError(403, "a student's hub token is needed")
            try:
                body = json.loads(self.request.body or b"{}")
                exercise = str(body["exercise"])
                result = grade_for(user["name"], exercise, str(roster), key, body.get("lang"))
            except (KeyError, ValueError):
                raise web.HTTPError(400, "give the exercise") from None
            except LabkitError as exc:
                self.set_status(422)
                self.finish({"error": str(exc)})
                return
            self.finish(result)

    return web.Application([(prefix.rstrip("/") + "/check", Check)])


def check_my_work(exercise: str, *, lang: str | None = None,
                  timeout: float = 300.0) -> dict[str, Any]:
    """From a student's kernel in the hub: ask the class's grading service to grade this
    student's own lab and sign the record. Returns ``{"report": …, "record": …}``."""
    import urllib.error
    import urllib.request

    hub = os.environ.get("JUPYTERHUB_API_URL", "").rsplit("/hub/api", 1)[0]
    token = os.environ.get("JUPYTERHUB_API_TOKEN")
    if not hub or not token:
        raise LabkitError("not in a JupyterHub server: no grading service to ask")
    url = current().grader_url or f"{hub}/services/{SERVICE_NAME}/check"
    if not url.startswith(("http://", "https://")):
        raise LabkitError(f"the grading service's URL is not http(s): {url}")
    payload = json.dumps({"exercise": exercise, "lang": lang}).encode()
    headers = {"Authorization": f"token {token}", "Content-Type": "application/json"}
    request = urllib.request.Request(url, data=payload, method="POST",  # noqa: S310
                                     headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            data: dict[str, Any] = json.loads(response.read())
    except urllib.error.HTTPError as exc:
        try:
            reason = json.loads(exc.read()).get("error") or exc.reason
        except ValueError:
            reason = exc.reason
        raise LabkitError(f"the grading service said: {reason}") from None
    except OSError as exc:
        raise LabkitError(f"the grading service did not answer: {exc}") from None
    return data


def main() -> None:
    """``python -m labkit.hub.service``: what the hub starts."""
    import asyncio
    from urllib.parse import urlsplit

    app = make_app()
    url = urlsplit(os.environ["JUPYTERHUB_SERVICE_URL"])

    async def serve() -> None:
        app.listen(url.port or 80, address=url.hostname or "127.0.0.1")
        await asyncio.Event().wait()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
