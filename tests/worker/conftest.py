"""A real Celery worker, in-process, consuming the test run's own Redis DB."""

from __future__ import annotations

import os

import pytest
from celery.contrib.testing.worker import start_worker

from oms_app.core.config import reset_settings_cache


@pytest.fixture(autouse=True)
def allow_private_webhooks():
    """The webhook receivers of these tests listen on 127.0.0.1, which webhooks refuse unless
    an on-premises installation opens private addresses: open them, as such a site would.
    Set before the other fixtures, so worker processes started by a test inherit it."""
    previous = os.environ.get("OMS_WEBHOOK_ALLOW_PRIVATE")
    os.environ["OMS_WEBHOOK_ALLOW_PRIVATE"] = "1"
    reset_settings_cache()
    yield
    if previous is None:
        os.environ.pop("OMS_WEBHOOK_ALLOW_PRIVATE", None)
    else:
        os.environ["OMS_WEBHOOK_ALLOW_PRIVATE"] = previous
    reset_settings_cache()


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
