"""The class's grading service: "Check my work" in a hub, signed with a key students cannot read.

A JupyterHub managed service (``configure(…, evidence_key_file=…)`` adds it) running as the
hub's user: a student's kernel sends ``POST /services/labkit-grader/check`` with the
exercise's id and its own hub token (``JUPYTERHUB_API_TOKEN``); the service asks the hub whose
token it is, grades THAT student's own lab hosts from the class allocation (with the
teacher's keys), signs the record with the evidence key (``labkit.evidence``) and returns the
report and the signed record. The student chooses nothing but the exercise: not the student
id, not the hosts, not the key. The student's side is :func:`check_my_work`
(``labkit.lessons.grader``: the lessons' and exercises' "Check my work" use it whenever
``LABKIT_GRADER_URL`` is set).
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

from labkit.errors import ConfigError, LabkitError, SandboxError
from labkit.lessons.grader import SERVICE_NAME, check_my_work
from labkit.settings import current

__all__ = ["SERVICE_NAME", "check_my_work", "grade_for", "main", "make_app"]


def grade_for(student: str, exercise: str, roster: str, key: bytes,
              lang: str | None = None) -> dict[str, Any]:
    """Grade ``student``'s own lab for ``exercise`` and sign the record."""
    from labkit.evidence import make_record
    from labkit.grading.context import GradingContext
    from labkit.sandbox.libvirt_class import allocated_hosts

    hosts = allocated_hosts(roster)
    if hosts is None or student not in hosts:
        raise SandboxError(f"{student} has no lab in this class")
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
        raise ConfigError("the grading service does not know the class: set LABKIT_CLASS_ROSTER")
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
                exercise, lang = str(body["exercise"]), body.get("lang")
            except (KeyError, TypeError, ValueError):
                raise web.HTTPError(400, "give the exercise") from None
            try:  # in a thread: one student's grade does not hold up the others'
                result = await asyncio.get_running_loop().run_in_executor(
                    None, grade_for, user["name"], exercise, str(roster), key,
                    lang if isinstance(lang, str) else None)
            except LabkitError as exc:
                self.set_status(422)
                self.finish({"error": str(exc), "kind": type(exc).__name__})
                return
            self.finish(result)

    return web.Application([(prefix.rstrip("/") + "/check", Check)])


def main() -> None:
    """``python -m labkit.hub.service``: what the hub starts."""
    from urllib.parse import urlsplit

    app = make_app()
    url = urlsplit(os.environ["JUPYTERHUB_SERVICE_URL"])

    async def serve() -> None:
        app.listen(url.port or 80, address=url.hostname or "127.0.0.1")
        await asyncio.Event().wait()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
