"""Heartbeats that /api/v1/health and the admin screens read, one per process and role.

A worker beats from a thread its bootstep starts inside the worker process; beat beats from its
own scheduler loop (HeartbeatScheduler.tick), so a beat whose loop is stuck stops beating even
though its process lives. Neither goes through the task queue: worker and beat are told apart.
"""

from __future__ import annotations

import logging
import threading
import time

from celery.beat import PersistentScheduler

from oms_app.core import health

log = logging.getLogger(__name__)
_stop = threading.Event()


def _beat_safely(role: str, name: str) -> None:
    try:
        health.write_heartbeat(role, name)
    except Exception as err:  # Redis blinked: the next beat tries again
        log.warning("%s heartbeat failed: %s", role, err)


def _loop(hostname: str) -> None:
    while not _stop.is_set():
        _beat_safely(health.WORKER, hostname)
        _stop.wait(health.HEARTBEAT_INTERVAL_SECONDS)


def start_heartbeat_thread(hostname: str) -> None:
    _stop.clear()
    threading.Thread(target=_loop, args=(hostname,), name="oms-heartbeat", daemon=True).start()


def stop_heartbeat_thread(hostname: str | None = None) -> None:
    _stop.set()
    if hostname:
        try:
            health.clear_heartbeat(health.WORKER, hostname)
        except Exception as err:
            log.warning("worker heartbeat not cleared: %s", err)


class HeartbeatScheduler(PersistentScheduler):
    """Celery's file-backed scheduler that also beats at most every HEARTBEAT_INTERVAL."""

    _last_beat = 0.0

    def tick(self, *args, **kwargs) -> float:
        now = time.monotonic()
        if now - self._last_beat >= health.HEARTBEAT_INTERVAL_SECONDS:
            _beat_safely(health.BEAT, health.beat_name())
            self._last_beat = now
        # Wake up in time for the next beat even when no task is due for a while.
        return min(super().tick(*args, **kwargs), health.HEARTBEAT_INTERVAL_SECONDS)

    def close(self) -> None:
        try:
            health.clear_heartbeat(health.BEAT, health.beat_name())
        except Exception as err:
            log.warning("beat heartbeat not cleared: %s", err)
        super().close()
