"""Start one measured process from a small process; report wall time and ``wait4``.

Why: on Linux a child's ``ru_maxrss`` starts at the peak RSS of the process that
spawned it (``exec`` folds the old address space's high-water mark into the
process's maximum), so a measured process started by the bench itself, which may
hold a parsed 36 MiB collection, would report the bench's peak instead of its own.
Started from this script (standard library only, run with ``python -S -E``), the
floor is this interpreter's ~10 MiB.

Usage: ``python -S -E bench/launch.py SPEC.json RESULT.json`` where the spec holds
``command``, ``cwd``, ``stdout``, ``stderr`` (file paths) and ``timeout`` (seconds
or null); the environment is passed on unchanged.
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as handle:
        spec = json.load(handle)
    expired = threading.Event()
    with open(spec["stdout"], "wb") as out, open(spec["stderr"], "wb") as err:
        started = time.perf_counter()
        child = subprocess.Popen(
            spec["command"],
            cwd=spec["cwd"],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,
        )

        def kill() -> None:
            expired.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)

        timer = threading.Timer(spec["timeout"], kill) if spec["timeout"] else None
        if timer is not None:
            timer.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)
        finally:
            if timer is not None:
                timer.cancel()
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here
    peak = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
    with open(sys.argv[2], "w", encoding="utf-8") as handle:
        json.dump(
            {
                "wall_s": wall,
                "returncode": child.returncode,
                "timed_out": expired.is_set(),
                "maxrss_kib": peak,
                "user_s": usage.ru_utime,
                "sys_s": usage.ru_stime,
            },
            handle,
        )


if __name__ == "__main__":
    main()
