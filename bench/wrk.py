"""The scale-out benchmark's webhook sender: Debian's `wrk` (C, one thread) with bench/post_once.lua.

The sender shares the machine's two cores with the workers it measures, so what it spends per request
is taken from them: wrk spends about 50 µs of CPU per request here, against about 130 for the leanest
gevent sender written in Python. It is not in the project's dependencies: `apt-get install wrk`.
"""
from __future__ import annotations

import re
import resource
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).with_name("post_once.lua")
_SUMMARY = re.compile(r"answered=(\d+) not_2xx=(\d+) socket_errors=(\d+) p50_us=(\d+) p99_us=(\d+)")


@dataclass(frozen=True)
class Sent:
    answered: int
    seconds: float  # from the first request to the last line's answer
    p50_ms: float
    p99_ms: float
    cpu_seconds: float  # wrk's own CPU time (user + system)


def available() -> bool:
    return shutil.which("wrk") is not None


def post_once(url: str, payloads: list[bytes], connections: int) -> Sent:
    """POST every payload once to `url` over `connections` keep-alive connections. Any answer but a 2xx
    stops the benchmark: each was to be acknowledged after its commit."""
    with tempfile.NamedTemporaryFile(suffix=".jsonl") as lines:
        lines.write(b"\n".join(payloads))
        lines.flush()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        command = ["wrk", "-t1", f"-c{connections}", "-d600s", "--timeout", "30s", "-s", str(SCRIPT), url, "--",
                   lines.name]
        sender = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        marks = {}
        for line in sender.stdout:
            marks.setdefault(line.strip(), time.perf_counter())
            if "finished" in marks:
                break
        sender.send_signal(signal.SIGINT)  # wrk prints its summary on SIGINT
        output, errors = sender.communicate(timeout=30)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    found = _SUMMARY.search(output)
    if found is None or "finished" not in marks:
        raise SystemExit(f"wrk did not finish: {output}{errors}")
    answered, failed, cut, p50, p99 = map(int, found.groups())
    if failed or cut:
        raise SystemExit(f"of {answered} webhooks, {failed} were answered with other than a 2xx and {cut} were "
                         f"not answered (connection error or 30 s timeout)")
    return Sent(len(payloads), marks["finished"] - marks["started"], p50 / 1000, p99 / 1000,
                after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
