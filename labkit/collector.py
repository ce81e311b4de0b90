"""The program that runs ON the lab host to collect every probe in one round trip.

labkit sends this file's source as ``python3 -c SOURCE`` and a JSON payload on stdin::

    {"probes": [{"id": "...", "cmd": "...", "timeout": 15}], "max_output": 1048576,
     "parallel": 4}

It runs each probe's shell command (up to ``parallel`` at a time) with LC_ALL=C, a time
limit (the whole process group is killed when it runs over) and no stdin, and prints ONE
JSON document::

    {"v": 1, "results": {"<id>": {"rc": 0, "out": "...", "err": "...", "t": 0.01,
                                  "timeout": false, "truncated": false}}}

It must stay standard-library only and run on any Python 3.6+ (so: type comments, no
annotations); it never writes to the host.
"""
import concurrent.futures
import json
import os
import signal
import subprocess
import sys
import time


def _run(cmd, timeout, max_output):
    # type: (str, float, int) -> dict[str, object]
    env = dict(os.environ, LC_ALL="C", LANG="C")
    started = time.time()
    proc = subprocess.Popen(["/bin/sh", "-c", cmd], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env, start_new_session=True)
    timed_out = False
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        try:  # noqa: SIM105 - contextlib is fine too, but keep this file plain
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass
        out, err = proc.communicate()
    truncated = len(out) > max_output or len(err) > max_output
    return {
        "rc": proc.returncode, "timeout": timed_out, "truncated": truncated,
        "out": out[:max_output].decode("utf-8", "replace"),
        "err": err[:max_output].decode("utf-8", "replace"),
        "t": round(time.time() - started, 4),
    }


def main():
    # type: () -> None
    payload = json.loads(sys.stdin.read())
    max_output = int(payload.get("max_output", 1 << 20))
    probes = payload["probes"]
    workers = max(1, min(int(payload.get("parallel", 4)), len(probes)))
    # Probes only read, so they may run side by side: the slowest one sets the time.
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {p["id"]: pool.submit(_run, p["cmd"], float(p["timeout"]), max_output)
                   for p in probes}
        results = {pid: future.result() for pid, future in futures.items()}
    sys.stdout.write(json.dumps({"v": 1, "results": results}))


if __name__ == "__main__":
    main()
