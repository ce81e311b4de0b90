"""Every network exercise on the real ``network`` lab (router, a, b; Debian 12 VMs).

A freshly started lab scores 0 in every exercise (every check failed or blocked). For each
exercise, with one student's own values (variants): its hosts are reset to the warm snapshot,
its solution scores full marks (another student's values do not), then each fault (applied
on top of the solution) fails exactly the checks it names — all the others pass or are
blocked — in both languages (one collection, judged in gl and en), and the solution is run
again on the fault's roles to undo it.
Grading must be read-only: the devices, addresses, routes, bridge VLANs, Open vSwitch
database, nftables ruleset, namespaces and ip_forward read before and after each grade are
identical. (The functional checks ping inside the lab network: they send packets and
change no configuration; only the neighbour caches learn MACs, which is not compared.)

Single-host exercises (roles ``[host]``) run on the lab's host ``b``.

ONE lab for the module (``net-pytest``). To reuse a lab that is already up (while
developing), set ``LABKIT_NET_TEST_LAB=NAME``: it is then neither started nor stopped, but
its hosts are reset. Under TCG the module takes about 12–15 minutes.
"""

from __future__ import annotations

import dataclasses
import os
import re
import time
from collections.abc import Iterator

import pytest

from labkit import exercises
from labkit.grading.context import GradingContext
from labkit.host import Host
from labkit.sandbox import Lab, lab_hosts, running_lab
from labkit.testing.memo import SameAnswer

pytestmark = [pytest.mark.sandbox, pytest.mark.timeout(2400)]

NET_EXERCISES = ["net-bridges", "net-devices", "net-vlans-nat"]
STUDENT = "ana.lopez"
SALT = "sandbox-course-secret"
SINGLE_HOST_VM = "b"
LAB_NAME = "net-pytest"

#: What grading must not change, read on each host before and after a grade.
SNAPSHOT = ("ip -j link show; echo; ip -4 -j addr show; echo; ip -j route show table all; echo; "
            "bridge -j vlan show; echo; ovs-vsctl show 2>&1; echo; nft list ruleset 2>&1; "
            "echo; ip netns list; echo; sysctl -n net.ipv4.ip_forward; "
            "ls -la /etc/systemd/network /etc/sysctl.d")
_VOLATILE = re.compile(r"counter packets \d+ bytes \d+|\"(valid|preferred)_life_time\":\d+|"
                       r"\"tentative\":true,?")
#: Seconds to let the kernel settle after a script (IPv6 DAD, carrier) before the first read.
SETTLE = 3


@pytest.fixture(scope="module")
def net_lab(request: pytest.FixtureRequest, timings: dict[str, float]) -> Iterator[Lab]:
    reuse = os.environ.get("LABKIT_NET_TEST_LAB", "").strip()
    if reuse:
        yield Lab(reuse)
        return
    request.getfixturevalue("lab_image")
    started = time.monotonic()
    with running_lab("network", LAB_NAME) as lab:
        timings["lab up network (3 VMs, to SSH-ready)"] = round(time.monotonic() - started, 1)
        yield lab


def _vm(role: str) -> str:
    return SINGLE_HOST_VM if role == "host" else role


def _snapshot(hosts: dict[str, Host]) -> dict[str, str]:
    out = {}
    for role, host in hosts.items():
        result = host.run(SNAPSHOT, timeout=120)
        out[role] = _VOLATILE.sub("", result.stdout)
    return out


def _context(name: str, student: str = STUDENT) -> GradingContext:
    return GradingContext.build(name, student=student, salt=SALT, hint_level=3,
                                need_hosts=False, env={})


def _grade_read_only(name: str, hosts: dict[str, Host], student: str = STUDENT,
                     ) -> dict[str, dict[str, dict[str, str]]]:
    """{lang: {check: {status, message}}}: one collection, judged in gl and en."""
    __tracebackhide__ = True
    time.sleep(SETTLE)
    before = _snapshot(hosts)
    memo = {role: Host(SameAnswer(h.transport)) for role, h in hosts.items()}
    context = _context(name, student)
    out = {}
    for lang in ("gl", "en"):
        report = dataclasses.replace(context, lang=lang).grade(memo)
        assert not report.error, report.error
        out[lang] = {c.id: {"status": c.status, "message": c.message} for c in report.checks}
    after = _snapshot(hosts)
    for role in hosts:
        assert before[role] == after[role], f"grading changed the state of {role}"
    return out


def test_a_fresh_lab_scores_zero_in_every_exercise(net_lab: Lab) -> None:
    """Before any solution nothing passes (isolation checks included: what they isolate
    does not exist yet)."""
    urls = lab_hosts(net_lab.name)
    for vm in ("router", "a", "b"):
        net_lab.reset(vm)
    for name in NET_EXERCISES:
        spec = exercises.load(name)
        hosts = {role: Host(urls[_vm(role)]) for role in spec.roles}
        for lang, results in _grade_read_only(name, hosts).items():
            passed = {k: v["message"] for k, v in results.items() if v["status"] == "passed"}
            assert not passed, f"{name} [{lang}] passes on a fresh lab: {passed}"
            assert {v["status"] for v in results.values()} <= {"failed", "blocked"}
        for host in hosts.values():
            host.close()


@pytest.mark.parametrize("name", NET_EXERCISES)
def test_solution_and_faults(net_lab: Lab, name: str, timings: dict[str, float]) -> None:
    spec = exercises.load(name)
    urls = lab_hosts(net_lab.name)
    hosts = {role: Host(urls[_vm(role)]) for role in spec.roles}
    params = _context(name).params
    started = time.monotonic()
    for role in spec.roles:
        net_lab.reset(_vm(role))
    exercises.run_scripts(hosts, exercises.solution_scripts(name), spec, params)
    for lang, results in _grade_read_only(name, hosts).items():
        not_passed = {k: v for k, v in results.items() if v["status"] != "passed"}
        assert not not_passed, f"{name} [{lang}]: the solution is not full marks: {not_passed}"
    other = _grade_read_only(name, hosts, "brais.vila")["en"]
    assert any(v["status"] != "passed" for v in other.values()), "another student scores full"
    timings[f"{name}: reset + solution + grade"] = round(time.monotonic() - started, 1)

    problems = []
    by_role = dict(exercises.solution_scripts(name))
    for fault in exercises.faults(name):
        started = time.monotonic()
        exercises.run_scripts(hosts, list(fault.scripts), spec, params)
        by_lang = _grade_read_only(name, hosts)
        for lang, results in by_lang.items():
            failed = {k for k, v in results.items() if v["status"] == "failed"}
            wrong = {k: v["status"] for k, v in results.items()
                     if v["status"] not in ("passed", "blocked") and k not in fault.fails}
            if failed != set(fault.fails) or wrong:
                problems.append(f"{fault.name} [{lang}]: failed {sorted(failed)}, expected "
                                f"{sorted(fault.fails)}; other statuses {wrong}; "
                                + "; ".join(f"{k}: {results[k]['message']}"
                                            for k in sorted(failed ^ set(fault.fails))))
            for check in fault.fails & failed:
                message = results[check]["message"]
                assert message and "{" not in message and "Traceback" not in message, message
        for check in fault.fails:
            gl, en = by_lang["gl"][check]["message"], by_lang["en"][check]["message"]
            assert gl != en, f"{fault.name}: {check} says the same in gl and en"
        # undo: the solution again, on the roles the fault touched
        touched = [(role, by_role[role]) for role, _ in fault.scripts]
        exercises.run_scripts(hosts, touched, spec, params)
        timings[f"{name}/{fault.name}"] = round(time.monotonic() - started, 1)
    for host in hosts.values():
        host.close()
    assert not problems, "\n".join(problems)
