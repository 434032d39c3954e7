"""Real outages for fault tests: the run's database refusing connections, Redis unreachable."""

from __future__ import annotations

import contextlib
import os
import socket
import time
from collections.abc import Callable, Iterator

import sqlalchemy as sa

from tests import infra


def _admin_execute(*statements: str, **params: object) -> None:
    engine = sa.create_engine(
        infra.admin_database_url(), isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool
    )
    with engine.connect() as conn:
        for statement in statements:
            conn.execute(sa.text(statement), params)
    engine.dispose()


@contextlib.contextmanager
def database_refusing() -> Iterator[None]:
    """The run's database refuses new connections and its open ones are cut, then comes back."""
    name = sa.engine.make_url(os.environ["OMS_DATABASE_URL"]).database
    _admin_execute(
        f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false',
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE datname = :name AND pid <> pg_backend_pid()",
        name=name,
    )
    try:
        yield
    finally:
        _admin_execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _point_celery_at(broker_url: str) -> None:
    """The Celery app sends tasks to `broker_url` from now on (its connection pools dropped)."""
    from tasks.celery_app import celery_app

    celery_app.conf.broker_url = broker_url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextlib.contextmanager
def redis_unreachable() -> Iterator[None]:
    """The app's Redis (client and Celery broker) is a closed loopback port, then comes back."""
    from oms_app.core.config import reset_settings_cache
    from oms_app.core.redis_client import reset_redis_clients
    from tasks.celery_app import celery_app

    real, real_broker = os.environ["OMS_REDIS_URL"], celery_app.conf.broker_url
    os.environ["OMS_REDIS_URL"] = dead = f"redis://127.0.0.1:{closed_port()}/0"
    reset_settings_cache()
    reset_redis_clients()
    _point_celery_at(dead)
    try:
        yield
    finally:
        os.environ["OMS_REDIS_URL"] = real
        reset_settings_cache()
        reset_redis_clients()
        _point_celery_at(real_broker)


def seconds_until(works: Callable[[], bool], timeout: float = 60.0) -> float:
    """How long until `works()` is true again (polled every 50 ms); raises after `timeout`."""
    start = time.monotonic()
    while not works():
        if time.monotonic() - start > timeout:
            raise TimeoutError(f"not recovered after {timeout} s")
        time.sleep(0.05)
    return time.monotonic() - start
