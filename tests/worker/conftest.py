"""A real Celery worker, in-process, consuming the test run's own Redis DB."""

from __future__ import annotations

import pytest
from celery.contrib.testing.worker import start_worker


@pytest.fixture(scope="module")
def celery_worker():
    from tasks.celery_app import celery_app
    from tasks.heartbeat import stop_heartbeat_thread

    with start_worker(
        celery_app,
        pool="threads",
        concurrency=2,
        perform_ping_check=False,
        loglevel="WARNING",
        shutdown_timeout=30,
    ) as worker:
        yield worker
    # The testing worker stops without running its bootsteps' stop: end its heartbeat here, or
    # health would count this finished worker as alive for the rest of the run.
    stop_heartbeat_thread(worker.hostname)
