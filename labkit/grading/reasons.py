"""Why a host could not be graded, as one sentence in one language.

The transports' errors are written for developers, in English, and name the connection
(``root@10.0.0.5:22: cannot connect: Connection refused``). A teacher's or a student's page
must not wrap that in a sentence of another language, so ``host_reason`` picks a sentence of
the catalog by the kind of error and quotes the tool's own words inside it as quoted text.
"""

from __future__ import annotations

from labkit.errors import AuthError, CommandTimeout, ConnectError, ProbeError
from labkit.i18n import text

__all__ = ["host_reason", "timeout_reason"]


def host_reason(exc: BaseException, lang: str) -> str:
    """The reason a host could not be graded because of ``exc``, in ``lang``."""
    detail = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, CommandTimeout):
        return timeout_reason(exc.timeout, lang)
    if isinstance(exc, AuthError):
        return text("teacher.reason.auth", lang, detail=detail)
    if isinstance(exc, ConnectError):
        return text("teacher.reason.connect", lang, detail=detail)
    if isinstance(exc, ProbeError):
        return text("teacher.reason.probe", lang, detail=detail)
    return text("teacher.reason.bug", lang, detail=f"{type(exc).__name__}: {detail}")


def timeout_reason(seconds: float, lang: str) -> str:
    """The host did not answer within ``seconds``."""
    return text("teacher.reason.timeout", lang, seconds=seconds)
