"""Liveness of the parts: database, Redis and at least one Celery worker."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.core.db import get_engine
from oms_app.core.redis_client import get_redis

WORKER_KEY_PREFIX = "oms:worker:"
WORKER_TTL_SECONDS = 30


def check_database() -> bool:
    try:
        with get_engine().connect() as conn:
            return conn.scalar(sa.text("SELECT 1")) == 1
    except Exception:
        return False


def check_redis() -> bool:
    try:
        return bool(get_redis().ping())
    except Exception:
        return False


def check_worker() -> bool:
    """A worker refreshes its heartbeat key every few seconds; any live key means one is up."""
    try:
        return next(get_redis().scan_iter(f"{WORKER_KEY_PREFIX}*", count=100), None) is not None
    except Exception:
        return False


def write_worker_heartbeat(hostname: str) -> None:
    get_redis().set(f"{WORKER_KEY_PREFIX}{hostname}", "alive", ex=WORKER_TTL_SECONDS)


def report() -> dict[str, str]:
    parts = {"database": check_database(), "redis": check_redis()}
    parts["worker"] = parts["redis"] and check_worker()
    body = {name: "ok" if up else "down" for name, up in parts.items()}
    return {"status": "ok" if all(parts.values()) else "degraded", **body}
