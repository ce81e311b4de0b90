"""Benchmark: the sandbox's lab image and lab VMs (real QEMU; KVM if it works, else TCG).

Measures, with the same code paths as ``labkit image build`` / ``labkit lab ...``:

- image build, cold: mmdebstrap + mkfs + qemu-img into an empty temporary cache, then the
  one-off warm snapshot (boot once + savevm) - skipped with ``--no-cold``;
- image build, cached: the recipe is unchanged, so nothing is rebuilt;
- ``lab up single`` and ``lab up storage``: from nothing to SSH answering (a real login)
  on every host;
- ``lab reset HOST``: back to the clean snapshot, SSH answering again;
- ``lab down``: no process and no file left;
- a lesson's "Run All" (nbclient, a fresh kernel) to its first live output — the first ``sh``
  cell's output, on the lab VMs — when its lab is down (the lesson starts it), when another
  topology is up (the lesson stops it and starts its own) and when its lab is already up
  (it attaches). Goal: 15 s or less under TCG. Measured here (TCG, 2 cores shared with
  other work, load 3.5-6.8; medians of 4): lab down 11.7 s, another topology up 13.4 s,
  its lab up 3.0 s. Most of it is the sandbox's start (per VM: loadvm, two guest-agent
  calls to personalise it, then a full SSH login); the lesson adds its kernel, one SSH
  handshake (begun in the background as soon as the lab is up) and the command.

Run::

    .venv/bin/python benchmarks/bench_sandbox.py                 # everything, 3 repetitions
    .venv/bin/python benchmarks/bench_sandbox.py --no-cold -n 5  # only the warm paths
    .venv/bin/python benchmarks/bench_sandbox.py --lessons-only   # only the lesson timings

Labs run under a temporary LABKIT_HOME, so your own labs are never touched.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from labkit.sandbox import Lab, build_image
from labkit.sandbox.accel import detect_accel
from labkit.sandbox.warm import ensure_warm

ROOT = Path(__file__).resolve().parents[1]


def timed(fn: Callable[[], object]) -> float:
    started = time.monotonic()
    fn()
    return time.monotonic() - started


def row(label: str, samples: list[float]) -> None:
    if len(samples) == 1:
        print(f"{label:<40} {samples[0]:>8.1f} s", flush=True)
    else:
        print(f"{label:<40} {statistics.median(samples):>8.1f} s  median "
              f"(min {min(samples):.1f}, max {max(samples):.1f}, n={len(samples)})", flush=True)


def quiet(_message: str) -> None:
    pass


def cold_build() -> None:
    cache = Path(tempfile.mkdtemp(prefix="labkit-bench-cache-"))
    saved = os.environ.get("LABKIT_CACHE")
    os.environ["LABKIT_CACHE"] = str(cache)
    try:
        started = time.monotonic()
        image = build_image(force=True, quiet=True, progress=quiet)
        row("image build, cold (mmdebstrap..qcow2)", [time.monotonic() - started])
        accel, _why = detect_accel(image.kernel)
        row(f"warm snapshot, cold ({accel}: boot+savevm)",
            [timed(lambda: ensure_warm(image, accel, progress=quiet))])
    finally:
        if saved is None:
            os.environ.pop("LABKIT_CACHE", None)
        else:
            os.environ["LABKIT_CACHE"] = saved
        shutil.rmtree(cache, ignore_errors=True)


def first_cells(lesson: str, lang: str = "en") -> object:
    """The lesson's notebook up to (and with) its first ``sh`` cell."""
    import nbformat

    nb = nbformat.read(str(ROOT / "notebooks" / lang / f"{lesson}.ipynb"), as_version=4)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and "sh(" in cell.source and index > 0:
            nb.cells = nb.cells[:index + 1]
            return nb
    raise SystemExit(f"{lesson}: no sh cell")


def lesson_runs(n: int) -> None:
    """Seconds from Run All to the first live output: lab down, another topology up, up."""
    from labkit.lessons.runner import clean_env, run_notebook

    env = clean_env(LABKIT_HOME=os.environ["LABKIT_HOME"],
                    **({"LABKIT_ACCEL": os.environ["LABKIT_ACCEL"]}
                       if os.environ.get("LABKIT_ACCEL") else {}))
    cwd = ROOT / "notebooks" / "en"
    cases: dict[str, list[float]] = {"down": [], "switch": [], "up": []}
    try:
        for _ in range(n):
            for name in ("single", "storage", "network"):
                Lab(name).down()
            for case, lesson in (("down", "03-lvm"), ("switch", "06-network-devices"),
                                 ("up", "07-bridges-ovs")):
                run = run_notebook(first_cells(lesson), env=env, cwd=cwd)
                if run.errors or run.first_output is None:
                    raise SystemExit(f"{lesson}: {run.errors or 'no output'}")
                cases[case].append(run.first_output)
    finally:
        for name in ("single", "storage", "network"):
            Lab(name).down()
    row("lesson 03, its lab down: first output", cases["down"])
    row("lesson 06, storage lab up: first output", cases["switch"])
    row("lesson 07, its lab up: first output", cases["up"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=3, help="repetitions of up/reset (default 3)")
    parser.add_argument("--no-cold", dest="cold", action="store_false",
                        help="skip the cold image build (about 2.5 minutes)")
    parser.add_argument("--lessons-only", action="store_true",
                        help="only the lessons' Run All timings")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="lkb-", dir="/tmp"))
    os.environ["LABKIT_HOME"] = str(home)
    os.environ.pop("LABKIT_LAB", None)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    try:
        if args.cold and not args.lessons_only:
            cold_build()
        image = build_image(quiet=True, progress=quiet)  # make sure the real cache has it
        row("image build, cached", [timed(lambda: build_image(quiet=True, progress=quiet))])
        accel, why = detect_accel(image.kernel)
        print(f"accelerator: {accel} ({why})", flush=True)
        ensure_warm(image, accel, progress=quiet)
        if args.lessons_only:
            lesson_runs(args.n)
            return 0
        for topology, host in (("single", "host"), ("storage", "client")):
            ups: list[float] = []
            resets: list[float] = []
            downs: list[float] = []
            for _ in range(args.n):
                lab = Lab(f"bench-{topology}")
                try:
                    ups.append(timed(partial(lab.up, topology)))
                    for _ in range(2):
                        lab.run(host, "touch /root/lab/dirty", check=True)
                        resets.append(timed(partial(lab.reset, host)))
                finally:
                    downs.append(timed(lab.down))
            row(f"lab up {topology} (to SSH login)", ups)
            row(f"lab reset {host} ({topology})", resets)
            row(f"lab down {topology}", downs)
        lesson_runs(args.n)
    finally:
        for name in ("bench-single", "bench-storage"):
            Lab(name).down()
        shutil.rmtree(home, ignore_errors=True)
    print(f"load average at the end {os.getloadavg()[0]:.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
