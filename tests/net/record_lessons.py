"""Record the solved network labs for the lessons (``exercises/net-*/replay/<host>.json``).

    .venv/bin/labkit lab up network --name net-dev
    .venv/bin/python tests/net/record_lessons.py [--lab net-dev] [EXERCISE…]

For each exercise: reset its hosts, run its solution, then read every host as the lessons'
topology cells do (``read_topology``, with the same pings) through a ``RecordingTransport``
and save one ``replay://`` recording per host. Without a live lab, ``NetLab`` replays these.
"""

from __future__ import annotations

import argparse
import sys

from labkit import exercises
from labkit.host import Host
from labkit.sandbox import Lab, lab_hosts
from labkit.transports import open_transport
from labkit.transports.replay import RecordingTransport
from labkit.widgets.net_topology import read_topology, recording_dir

#: The pings each lesson's topology cell sends (host -> addresses).
PINGS = {"net-vlans-nat": {"a": ["10.0.10.1", "10.0.10.12", "198.51.100.12"]}}


def record(lab: Lab, name: str) -> None:
    spec = exercises.load(name)
    vms = {role: "b" if role == "host" else role for role in spec.roles}
    for vm in vms.values():
        lab.reset(vm)
    urls = lab_hosts(lab.name)
    hosts = {role: Host(urls[vm]) for role, vm in vms.items()}
    exercises.run_scripts(hosts, exercises.solution_scripts(name), spec)
    recorders = {vm: RecordingTransport(open_transport(urls[vm])) for vm in vms.values()}
    topo = read_topology({vm: Host(r) for vm, r in recorders.items()},
                         pings=PINGS.get(name))
    folder = recording_dir(name)
    folder.mkdir(exist_ok=True)
    for vm, recorder in recorders.items():
        recorder.save(folder / f"{vm}.json")
    print(f"{name}: {len(topo.nodes)} devices, reach {topo.reach}, errors {topo.errors}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lab", default="net-dev")
    parser.add_argument("names", nargs="*")
    opts = parser.parse_args(argv)
    lab = Lab(opts.lab)
    for name in opts.names or ["net-devices", "net-bridges", "net-vlans-nat"]:
        record(lab, name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
