"""Run perfxl (or any Python snippet) in a child process and measure it.

Hostile inputs are judged by what they cost the process that meets them: a child lets a
test bound time (a kill timeout, never a speed assertion) and read the child's own peak
RSS from os.wait4, which RUSAGE_CHILDREN cannot give per child.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

PERFXL = [sys.executable, "-m", "perfxl.cli"]


@dataclass
class ChildRun:
    returncode: int
    stdout: str
    stderr: str
    peak_rss_mb: float
    seconds: float
    killed: bool  # the kill timeout fired


def run_child(
    args: list[str], timeout: float = 60.0, cwd: str | None = None, env: dict | None = None
) -> ChildRun:
    """Run args, kill the whole process group after timeout, return output and peak RSS."""
    start = time.monotonic()
    proc = subprocess.Popen(
        args,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    killed = threading.Event()

    def kill() -> None:
        killed.set()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 9)

    timer = threading.Timer(timeout, kill)
    timer.start()
    out: list[bytes] = []
    err: list[bytes] = []
    readers = [
        threading.Thread(target=lambda: out.append(proc.stdout.read())),
        threading.Thread(target=lambda: err.append(proc.stderr.read())),
    ]
    for reader in readers:
        reader.start()
    _, status, usage = os.wait4(proc.pid, 0)
    timer.cancel()
    for reader in readers:
        reader.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return ChildRun(
        returncode=proc.returncode,
        stdout=b"".join(out).decode("utf-8", "replace"),
        stderr=b"".join(err).decode("utf-8", "replace"),
        peak_rss_mb=usage.ru_maxrss / 1024,
        seconds=time.monotonic() - start,
        killed=killed.is_set(),
    )


def run_perfxl(*args: str, timeout: float = 60.0, cwd: str | None = None) -> ChildRun:
    return run_child([*PERFXL, *args], timeout=timeout, cwd=cwd)


def run_python(code: str, timeout: float = 60.0) -> ChildRun:
    """A snippet in a fresh interpreter (for library calls such as a parser on hostile text)."""
    return run_child([sys.executable, "-c", code], timeout=timeout)
