"""Check kind of the iSCSI repair drill: a session that is really logged in now (a session
whose connection dropped stays listed, in state FAILED/FREE, while iscsid retries it)."""

from __future__ import annotations

from typing import Any, ClassVar

from labkit.checks.base import Args, CheckKind, Facts, Verdict
from labkit.probes.iscsi_health import KernelSessions


class SessionArgs(Args):
    iqn: str
    portal: str


class SessionLoggedIn(CheckKind[SessionArgs]):
    """The initiator has a session to ``iqn`` on ``portal`` (``address`` or
    ``address:port``) in state LOGGED_IN, with its connection up."""

    name: ClassVar[str] = "iscsi.session_up"
    Args = SessionArgs

    def probe(self, args: SessionArgs) -> KernelSessions:
        return KernelSessions()

    def evaluate(self, args: SessionArgs, facts: Facts) -> Verdict:
        sessions = facts[self.probe(args)]
        portal = args.portal if ":" in args.portal else f"{args.portal}:3260"
        values: dict[str, Any] = {"iqn": args.iqn, "portal": portal}
        found = [s for s in sessions if s.target == args.iqn and s.portal == portal]
        if not found:
            return Verdict(False, "drills.session_none", values)
        session = found[0]
        if session.state != "LOGGED_IN" or session.connection not in ("up", "-"):
            return Verdict(False, "drills.session_down", {
                **values, "state": session.state, "connection": session.connection})
        return Verdict(True, "drills.session_ok",
                       {**values, "disks": ", ".join(session.disks) or "-"})
