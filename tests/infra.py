"""The test run's own database and Redis DB: real servers on 127.0.0.1, else embedded ones."""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import redis
import sqlalchemy as sa

from oms_app.core import embedded

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379"
_started: list = []


def force_embedded() -> bool:
    return os.environ.get("OMS_TEST_EMBEDDED") == "1"


@functools.cache
def admin_database_url() -> str:
    """The server on which the run makes its databases (started once when embedded)."""
    if url := os.environ.get("OMS_TEST_DATABASE_URL"):
        return url
    if not force_embedded() and embedded.port_is_open("127.0.0.1", 5432):
        return DEFAULT_PG
    server = embedded.start_postgres(Path(tempfile.mkdtemp(prefix="oms-test-pg-")), "postgres")
    _started.append(server)
    return server.url


@functools.cache
def redis_server_url() -> str:
    if url := os.environ.get("OMS_TEST_REDIS_URL"):
        return url.rsplit("/", 1)[0] if url.count("/") > 2 else url
    if not force_embedded() and embedded.port_is_open("127.0.0.1", 6379):
        return DEFAULT_REDIS
    port = 6391 + uuid.uuid4().int % 500
    server = embedded.start_redis(Path(tempfile.mkdtemp(prefix="oms-test-redis-")), port)
    _started.append(server)
    return server.url.rsplit("/", 1)[0]


def create_database(admin_url: str) -> str:
    name = f"oms_test_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return embedded.with_database(admin_url, name)


def drop_database(admin_url: str, url: str) -> None:
    name = sa.engine.make_url(url).database
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def claim_redis_db(server_url: str) -> tuple[str, int]:
    """A Redis DB number no other test run holds (claimed with SET NX on a lock key)."""
    me = f"{socket.gethostname()}:{os.getpid()}"
    for number in range(1, 16):
        client = redis.Redis.from_url(f"{server_url}/{number}")
        if _holder_is_gone(client.get("oms:test-run-lock")):
            client.delete("oms:test-run-lock")  # a killed run of this machine never released it
        if client.set("oms:test-run-lock", me, nx=True, ex=3 * 3600):
            for key in client.scan_iter("*"):
                if key != b"oms:test-run-lock":
                    client.delete(key)
            return f"{server_url}/{number}", number
    raise RuntimeError("every Redis DB 1-15 is held by another test run")


def _holder_is_gone(holder: bytes | None) -> bool:
    """Whether the lock names a process of this machine that no longer runs."""
    host, _, pid = (holder or b"").decode().rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def release_redis_db(url: str) -> None:
    with contextlib.suppress(redis.exceptions.ConnectionError):  # an embedded one may be gone
        redis.Redis.from_url(url).flushdb()


def stop_started() -> None:
    while _started:
        _started.pop().stop()
    admin_database_url.cache_clear()
    redis_server_url.cache_clear()


def stop_group(process: subprocess.Popen, timeout: float = 20) -> None:
    """Stop a server started in its own session, with all its workers; kill it after `timeout`."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
