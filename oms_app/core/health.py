"""Liveness of the parts: the database, Redis, the Celery workers and Celery beat.

Each worker and each beat keeps its own heartbeat key fresh from inside its own process
(tasks/heartbeat.py). A key expires HEARTBEAT_TTL_SECONDS after its last beat, so a process that
died, hung or lost Redis shows as down within that time. The age of a heartbeat is read from
Redis's own expiry counter, never from the clocks of two hosts, so clock skew cannot hide a
dead process. A set per role indexes the keys, so health never scans the whole Redis DB (it
also holds every browser tab's state).
"""

from __future__ import annotations

import json
import os
import socket
from typing import Any

import sqlalchemy as sa

from oms_app.core.clock import utcnow
from oms_app.core.db import get_engine
from oms_app.core.redis_client import get_redis

HEARTBEAT_INTERVAL_SECONDS = 5.0
# Three missed beats: one slow Redis answer or a long GC pause does not flap the status.
HEARTBEAT_TTL_SECONDS = 20
WORKER, BEAT = "worker", "beat"
WORKER_KEY_PREFIX = "oms:worker:"
BEAT_KEY_PREFIX = "oms:beat:"
_PREFIX = {WORKER: WORKER_KEY_PREFIX, BEAT: BEAT_KEY_PREFIX}


def _index(role: str) -> str:
    return f"oms:heartbeats:{role}"


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


def write_heartbeat(role: str, name: str) -> None:
    """Say this process (a worker or beat) is alive: its key, with host, pid and time."""
    value = json.dumps(
        {"name": name, "host": socket.gethostname(), "pid": os.getpid(), "at": utcnow().isoformat()}
    )
    with get_redis().pipeline() as pipe:
        pipe.set(f"{_PREFIX[role]}{name}", value, ex=HEARTBEAT_TTL_SECONDS)
        pipe.sadd(_index(role), name)
        pipe.execute()


def clear_heartbeat(role: str, name: str) -> None:
    """A process stopping cleanly says so at once instead of waiting for its key to expire."""
    with get_redis().pipeline() as pipe:
        pipe.delete(f"{_PREFIX[role]}{name}")
        pipe.srem(_index(role), name)
        pipe.execute()


def write_worker_heartbeat(hostname: str) -> None:
    write_heartbeat(WORKER, hostname)


def beat_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def heartbeats(role: str) -> list[dict[str, Any]]:
    """The live processes of a role, youngest heartbeat first: name, host, pid, age_seconds."""
    redis = get_redis()
    names = sorted(redis.smembers(_index(role)))
    with redis.pipeline() as pipe:
        for name in names:
            pipe.get(f"{_PREFIX[role]}{name}")
            pipe.pttl(f"{_PREFIX[role]}{name}")
        answers = pipe.execute()
    live, gone = [], []
    for name, value, ttl_ms in zip(names, answers[::2], answers[1::2], strict=True):
        if value is None or ttl_ms < 0:
            gone.append(name)
            continue
        info = json.loads(value)
        age = max(0.0, HEARTBEAT_TTL_SECONDS - ttl_ms / 1000)
        live.append(
            {
                "name": name,
                "host": info.get("host", ""),
                "pid": info.get("pid", 0),
                "age_seconds": round(age, 1),
            }
        )
    if gone:  # expired keys: the processes died without saying goodbye
        redis.srem(_index(role), *gone)
    return sorted(live, key=lambda row: row["age_seconds"])


def check_worker() -> bool:
    """At least one worker's heartbeat is fresh."""
    try:
        return bool(heartbeats(WORKER))
    except Exception:
        return False


def _liveness(role: str, redis_up: bool) -> list[dict[str, Any]] | None:
    if not redis_up:
        return None
    try:
        return heartbeats(role)
    except Exception:
        return None


def report() -> dict[str, Any]:
    """Every part's state, heartbeat ages of workers and beat, and ok / degraded overall."""
    database, redis = check_database(), check_redis()
    workers, beats = _liveness(WORKER, redis), _liveness(BEAT, redis)
    parts = {"database": database, "redis": redis, "worker": bool(workers), "beat": bool(beats)}
    return {
        "status": "ok" if all(parts.values()) else "degraded",
        **{name: "ok" if up else "down" for name, up in parts.items()},
        "worker_age_seconds": workers[0]["age_seconds"] if workers else None,
        "beat_age_seconds": beats[0]["age_seconds"] if beats else None,
        "workers": workers or [],
        "beats": beats or [],
    }


def serves_requests(body: dict[str, Any]) -> bool:
    """The API can answer with the database and Redis up, even while a worker or beat is down."""
    return body["database"] == "ok" and body["redis"] == "ok"
