"""The worker heartbeat that /api/v1/health reads."""

from __future__ import annotations

import logging
import threading

from oms_app.core import health
from tasks.celery_app import celery_app

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 10
_stop = threading.Event()


def _loop(hostname: str) -> None:
    while not _stop.is_set():
        try:
            health.write_worker_heartbeat(hostname)
        except Exception as err:  # Redis blinked: the next beat tries again
            log.warning("heartbeat failed: %s", err)
        _stop.wait(INTERVAL_SECONDS)


def start_heartbeat_thread(hostname: str) -> None:
    _stop.clear()
    threading.Thread(target=_loop, args=(hostname,), name="oms-heartbeat", daemon=True).start()


def stop_heartbeat_thread() -> None:
    _stop.set()


@celery_app.task(name="tasks.heartbeat.beat")
def beat() -> str:
    """Also beat from inside a task, proving the worker consumes its queue."""
    hostname = beat.request.hostname or "worker"
    health.write_worker_heartbeat(hostname)
    return hostname
