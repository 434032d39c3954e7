"""Real Celery worker and beat processes for the liveness and fault tests.

Each runs as `python -m celery -A tasks.celery_app ...` in its own session (process group), with
the test run's environment (its own PostgreSQL database and Redis DB), so a test can kill it the
way a host or a container dies: SIGKILL to the whole group, no goodbye.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from oms_app.core.config import PROJECT_ROOT

T = TypeVar("T")


def start_celery(
    role: str, *, name: str, log_dir: Path, extra_env: dict[str, str] | None = None
) -> subprocess.Popen:
    """Start a worker (prefork, one child) or beat; its output goes to log_dir/<name>.log."""
    command = [sys.executable, "-m", "celery", "-A", "tasks.celery_app", role, "-l", "INFO"]
    if role == "worker":
        command += ["-n", f"{name}@%h", "-c", "1", "--without-gossip", "--without-mingle"]
    else:
        command += ["--schedule", str(log_dir / f"{name}-schedule")]
    env = {**os.environ, **(extra_env or {})}
    log = (log_dir / f"{name}.log").open("ab")
    return subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def kill(process: subprocess.Popen) -> None:
    """SIGKILL the process and its pool children at once, as a power cut would."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def stop(process: subprocess.Popen) -> None:
    """A warm shutdown (SIGTERM), then SIGKILL if it does not end in time."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        kill(process)


def wait_for(check: Callable[[], T], *, timeout: float, what: str, every: float = 0.1) -> T:
    """Poll until check() returns something truthy; return it (fails after timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(every)


def purge_queue() -> None:
    """Drop tasks a test's beat queued, so no later test's worker runs them."""
    from tasks.celery_app import celery_app

    celery_app.control.purge()
