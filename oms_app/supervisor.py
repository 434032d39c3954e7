"""Keep the launcher's children (worker, beat, web server) running: restart with backoff.

A child that exits is started again after a delay that doubles from 1 s up to 60 s while it keeps
failing, and falls back to 1 s once it has stayed up a while. Every exit and restart is logged
with the child's name and exit code. SIGINT / SIGTERM stop every child (its whole process group).
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger("oms.supervisor")


@dataclass(frozen=True)
class Backoff:
    """How long to wait before starting a failed child again."""

    first: float = 1.0
    cap: float = 60.0
    stable_after: float = 60.0  # up this long: the next failure counts as the first again

    def failures_after_exit(self, *, failures: int, uptime: float) -> int:
        """The child's consecutive failure count once it exited after `uptime` seconds."""
        return 1 if uptime >= self.stable_after else failures + 1

    def delay(self, *, failures: int) -> float:
        """Seconds to wait before restart number `failures` in a row."""
        if failures <= 0:
            return 0.0
        return min(self.cap, self.first * 2 ** (failures - 1))


@dataclass
class Child:
    """One supervised command and what happened to it."""

    name: str
    command: Sequence[str]
    env: Mapping[str, str] | None = None
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    failures: int = 0
    restarts: int = 0
    restart_at: float | None = None
    pids: list[int] = field(default_factory=list)


class Supervisor:
    """Start children, restart the ones that exit, stop them all on request."""

    def __init__(
        self,
        children: Sequence[Child],
        *,
        cwd: Path,
        backoff: Backoff | None = None,
        stop_timeout: float = 15.0,
    ) -> None:
        self.children = list(children)
        self.cwd = cwd
        self.backoff = backoff or Backoff()
        self.stop_timeout = stop_timeout
        self._stopping = threading.Event()

    def stop(self, *_: object) -> None:
        """Ask the loop to stop every child (safe from a signal handler or another thread)."""
        self._stopping.set()

    def run(self, *, handle_signals: bool = True, tick: float = 0.2) -> int:
        """Supervise until stopped; return 0."""
        if handle_signals:
            signal.signal(signal.SIGINT, self.stop)
            signal.signal(signal.SIGTERM, self.stop)
        for child in self.children:
            self._start(child)
        try:
            while not self._stopping.wait(tick):
                now = time.monotonic()
                for child in self.children:
                    self._check(child, now)
        finally:
            self._stop_all()
        return 0

    def _start(self, child: Child) -> None:
        child.process = subprocess.Popen(
            list(child.command), cwd=self.cwd, env=child.env, start_new_session=True
        )
        child.started_at, child.restart_at = time.monotonic(), None
        child.pids.append(child.process.pid)
        log.info("%s started (pid %s)", child.name, child.process.pid)

    def _check(self, child: Child, now: float) -> None:
        if child.restart_at is not None:
            if now >= child.restart_at:
                child.restarts += 1
                log.warning("%s restarting (restart %d)", child.name, child.restarts)
                self._start(child)
            return
        code = child.process.poll() if child.process else None
        if code is None:
            return
        _kill_group(child.process.pid, signal.SIGKILL)  # leftovers of the dead child's group
        uptime = now - child.started_at
        child.failures = self.backoff.failures_after_exit(failures=child.failures, uptime=uptime)
        wait = self.backoff.delay(failures=child.failures)
        child.restart_at = now + wait
        log.warning(
            "%s exited with code %s after %.1f s; restarting in %.0f s",
            child.name,
            code,
            uptime,
            wait,
        )

    def _stop_all(self) -> None:
        running = [c for c in self.children if c.process and c.process.poll() is None]
        for child in running:
            log.info("stopping %s (pid %s)", child.name, child.process.pid)
            _kill_group(child.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout
        for child in running:
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("%s did not stop in time; killing it", child.name)
                _kill_group(child.process.pid, signal.SIGKILL)
                child.process.wait()


def _kill_group(pid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass
