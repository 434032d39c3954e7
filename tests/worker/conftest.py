"""A real Celery worker, in-process, consuming the test run's own Redis DB."""

from __future__ import annotations

import pytest
from celery.contrib.testing.worker import start_worker


@pytest.fixture(scope="module")
def celery_worker():
    from tasks.celery_app import celery_app

    with start_worker(
        celery_app,
        pool="threads",
        concurrency=2,
        perform_ping_check=False,
        loglevel="WARNING",
        shutdown_timeout=30,
    ) as worker:
        yield worker
