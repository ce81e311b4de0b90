"""The class's grading service: what needs the teacher's secrets, for a student in a hub.

A JupyterHub managed service (``configure(…, evidence_key_file=…)`` adds it) running as the
hub's user, with the teacher's settings (``LABKIT_HOME``: the course secret, the class).
A student's kernel sends, with its own hub token (``JUPYTERHUB_API_TOKEN``):

- ``POST /services/labkit-grader/check`` ``{"exercise", "lang"}``: "Check my work". The
  service asks the hub whose token it is, grades THAT student's own lab hosts from the class
  allocation (with the teacher's keys), signs the record with the evidence key
  (``labkit.evidence``) and returns the report and the signed record;
- ``POST /services/labkit-grader/values`` ``{"exercise", "lang", "all"}``: that student's own
  values for the exercise, and every parameter, from the very context the service grades
  with (derived with the teacher's course secret): what the exercise panel and
  ``labkit.variants.for_student`` show in a hub. Naming another student (``"student"``) is
  refused (403).

The student chooses nothing but the exercise: not the student id, not the hosts, not the key,
not the secret. The student's side is :mod:`labkit.grader_client` (the lessons' and
exercises' "Check my work" and values use it whenever ``LABKIT_GRADER_URL`` is set).
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from labkit.errors import ConfigError, LabkitError, SandboxError
from labkit.i18n import text
from labkit.lessons.grader import SERVICE_NAME, check_my_work
from labkit.settings import current

if TYPE_CHECKING:
    from labkit.grading.context import GradingContext

__all__ = ["SERVICE_NAME", "check_my_work", "grade_for", "main", "make_app", "values_for"]


def _context(student: str, exercise: str, roster: str, lang: str | None) -> GradingContext:
    """``student``'s grading context for ``exercise``: their own lab hosts from the class
    allocation, their values from the teacher's settings (the course secret)."""
    from labkit.grading.context import GradingContext
    from labkit.sandbox.libvirt_class import allocated_hosts

    hosts = allocated_hosts(roster)
    if hosts is None or student not in hosts:
        raise SandboxError(f"{student} has no lab in this class")
    return GradingContext.for_student(exercise, student=student, lang=lang, url=hosts[student])


def grade_for(student: str, exercise: str, roster: str, key: bytes,
              lang: str | None = None) -> dict[str, Any]:
    """Grade ``student``'s own lab for ``exercise`` and sign the record."""
    from labkit.evidence import make_record

    context = _context(student, exercise, roster, lang)
    context.refuse_recordings()
    report, record = make_record(context, None, key=key)
    return {"report": report.to_dict(), "record": record}


def values_for(student: str, exercise: str, roster: str, lang: str | None = None,
               show_all: bool = False) -> dict[str, Any]:
    """``student``'s own values for ``exercise`` (labelled in ``lang``; the hidden helpers
    too with ``show_all``) and every parameter, as :func:`grade_for` grades with them."""
    context = _context(student, exercise, roster, lang)
    rows = context.values_table(lang, show_all=show_all)
    return {"student": student, "exercise": context.exercise, "lang": context.lang,
            "values": {name: value for name, _, value in rows},
            "labels": {name: label for name, label, _ in rows},
            "params": dict(context.params)}


def make_app() -> Any:
    """The tornado application (run by :func:`main` as a hub-managed service)."""
    from jupyterhub.services.auth import HubAuth  # type: ignore[import-untyped]
    from tornado import web

    from labkit.evidence import load_key
    from labkit.variants import normalize_id

    roster = current().class_roster
    if roster is None:
        raise ConfigError("the grading service does not know the class: set LABKIT_CLASS_ROSTER")
    key = load_key()
    auth = HubAuth(api_token=os.environ["JUPYTERHUB_API_TOKEN"], cache_max_age=60)
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", f"/services/{SERVICE_NAME}/")

    class _StudentRequest(web.RequestHandler):
        """A student's request: who they are (their hub token), what they ask (JSON)."""

        async def student(self) -> str:
            header = self.request.headers.get("Authorization", "")
            token = header.split(" ", 1)[1] if header.lower().startswith("token ") else ""
            user = await auth.user_for_token(token, sync=False) if token else None
            if not user or user.get("kind", "user") != "user":
                raise web.HTTPError(403, "a student's hub token is needed")
            return str(user["name"])

        def body(self) -> tuple[str, str | None, dict[str, Any]]:
            try:
                body = json.loads(self.request.body or b"{}")
                exercise, lang = str(body["exercise"]), body.get("lang")
            except (KeyError, TypeError, ValueError):
                raise web.HTTPError(400, "give the exercise") from None
            return exercise, lang if isinstance(lang, str) else None, body

        async def answer(self, call: Callable[..., dict[str, Any]], *args: Any) -> None:
            try:  # in a thread: one student's request does not hold up the others'
                result = await asyncio.get_running_loop().run_in_executor(None, call, *args)
            except LabkitError as exc:
                self.set_status(422)
                self.finish({"error": str(exc), "kind": type(exc).__name__})
                return
            self.finish(result)

    class Check(_StudentRequest):
        async def post(self) -> None:
            student = await self.student()
            exercise, lang, _ = self.body()
            await self.answer(grade_for, student, exercise, str(roster), key, lang)

    class Values(_StudentRequest):
        async def post(self) -> None:
            student = await self.student()
            exercise, lang, body = self.body()
            asked = body.get("student")
            if asked is not None and normalize_id(str(asked)) != normalize_id(student):
                self.set_status(403)
                self.finish({"error": text("lessons.values_only_own", lang, student=student),
                             "kind": "AuthError"})
                return
            await self.answer(values_for, student, exercise, str(roster), lang,
                              body.get("all") is True)

    base = prefix.rstrip("/")
    return web.Application([(base + "/check", Check), (base + "/values", Values)])


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
