"""Outages of the shared parts: which exceptions mean the database or Redis cannot be reached.

The API answers them with 503 and Retry-After, the screens with "nothing was changed, try
again"; both ask `outage_part` so that a database refusing connections, a connection killed
under a query, a full connection pool, Redis down or the broker unreachable read the same.
"""

from __future__ import annotations

from typing import Literal

import psycopg
import redis.exceptions
import sqlalchemy.exc

from oms_app.core.errors import DomainError

Part = Literal["database", "redis"]
RETRY_AFTER_SECONDS = 5  # what clients are told to wait before trying again
# SQLSTATE classes of a lost or refused connection: 08 connection exception, 57P operator
# intervention (server shut down, connection terminated, cannot connect now).
LOST_CONNECTION_STATES = ("08", "57P")
_MAX_CHAIN = 10


class ServiceUnavailable(DomainError):
    """A part the request needs is down: nothing was changed, the caller may try again."""

    code = "error.service_unavailable"
    status_code = 503

    def __init__(self, part: Part):
        self.part = part
        super().__init__(f"{part} unavailable", part=part)


def _is_database_outage(err: BaseException) -> bool:
    if isinstance(err, sqlalchemy.exc.TimeoutError):  # the pool had no connection to give
        return True
    if isinstance(err, sqlalchemy.exc.DBAPIError) and err.connection_invalidated:
        return True
    if type(err) in (psycopg.OperationalError, psycopg.InterfaceError):
        return True  # the connection level itself failed (refused, closed, unreachable)
    state = getattr(err, "sqlstate", None) if isinstance(err, psycopg.Error) else None
    return bool(state) and state.startswith(LOST_CONNECTION_STATES)


def _is_redis_outage(err: BaseException) -> bool:
    if isinstance(err, redis.exceptions.ConnectionError | redis.exceptions.TimeoutError):
        return True
    # kombu (the Celery broker client) reports an unreachable Redis as its own OperationalError
    kind = type(err)
    return kind.__module__.startswith("kombu") and kind.__name__ == "OperationalError"


def _chain(err: BaseException):
    """The error and what caused it (SQLAlchemy wraps the driver's error as `orig`)."""
    seen: set[int] = set()
    current: BaseException | None = err
    while current is not None and id(current) not in seen and len(seen) < _MAX_CHAIN:
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)
        if isinstance(orig, BaseException) and id(orig) not in seen:
            yield orig
            seen.add(id(orig))
        current = current.__cause__ or current.__context__


def outage_part(err: BaseException) -> Part | None:
    """'database' or 'redis' when the error means that part is unreachable, else None."""
    for link in _chain(err):
        if isinstance(link, ServiceUnavailable):
            return link.part
        if _is_database_outage(link):
            return "database"
        if _is_redis_outage(link):
            return "redis"
    return None
