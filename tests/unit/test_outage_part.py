"""Which errors mean the database or Redis cannot be reached (503, "try again"), and which are
ordinary failures that must not be dressed up as an outage."""

from __future__ import annotations

import kombu.exceptions
import psycopg
import psycopg.errors
import pytest
import redis.exceptions
import sqlalchemy.exc

from oms_app.core.outage import ServiceUnavailable, outage_part


def wrapped(orig: Exception, kind=sqlalchemy.exc.OperationalError) -> Exception:
    """What SQLAlchemy raises around a driver error."""
    return kind("SELECT 1", {}, orig)


def caused_by(cause: Exception) -> Exception:
    try:
        try:
            raise cause
        except Exception as err:
            raise RuntimeError("a service gave up") from err
    except RuntimeError as outer:
        return outer


@pytest.mark.parametrize(
    ("error", "part"),
    [
        (wrapped(psycopg.OperationalError("connection refused")), "database"),
        (wrapped(psycopg.errors.AdminShutdown("terminating connection")), "database"),
        (sqlalchemy.exc.TimeoutError("QueuePool limit reached"), "database"),
        (caused_by(wrapped(psycopg.OperationalError("server closed"))), "database"),
        (redis.exceptions.ConnectionError("Error 111 connecting"), "redis"),
        (redis.exceptions.TimeoutError("Timeout reading"), "redis"),
        (kombu.exceptions.OperationalError("Error 111 connecting"), "redis"),
        (caused_by(redis.exceptions.ConnectionError("reset")), "redis"),
        (ServiceUnavailable("redis"), "redis"),
    ],
)
def test_a_lost_or_refused_connection_is_an_outage_of_its_part(error, part):
    assert outage_part(error) == part


@pytest.mark.parametrize(
    "error",
    [
        wrapped(psycopg.errors.DeadlockDetected("deadlock")),
        wrapped(psycopg.errors.QueryCanceled("statement timeout")),
        wrapped(psycopg.errors.UniqueViolation("duplicate"), sqlalchemy.exc.IntegrityError),
        redis.exceptions.ResponseError("WRONGTYPE"),
        ValueError("a bug"),
    ],
)
def test_an_ordinary_failure_is_not_an_outage(error):
    assert outage_part(error) is None
