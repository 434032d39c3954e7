"""Orders sent to the hosts' REST API, and what the shared database and stream hold of them."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx
import sqlalchemy as sa

BODY = {
    "customer": "C10001",
    "lines": [{"sku": "OFF-0001", "quantity": 2}, {"sku": "OFF-0002", "quantity": 1}],
    "delivery": {"method": "express"},
}


@dataclass
class Answer:
    key: str
    url: str
    status: int | None  # None: no answer (connection refused or cut, timeout)
    number: str = ""


def post_order(url: str, api_key: str, key: str, timeout: float = 30) -> Answer:
    """POST one order with an Idempotency-Key; a broken connection is an answer of None."""
    headers = {"X-API-Key": api_key, "Idempotency-Key": key}
    try:
        reply = httpx.post(f"{url}/api/v1/orders", json=BODY, headers=headers, timeout=timeout)
    except httpx.HTTPError:
        return Answer(key, url, None)
    number = reply.json().get("number", "") if reply.status_code == 201 else ""
    return Answer(key, url, reply.status_code, number)


def post_many(jobs: Iterable[tuple[str, str]], api_key: str, threads: int) -> list[Answer]:
    """POST (url, idempotency key) jobs from `threads` clients at once."""
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(lambda job: post_order(job[0], api_key, job[1]), jobs))


def burst_until(
    url: str, api_key: str, *, prefix: str, threads: int, stop: threading.Event, answers: list
) -> None:
    """Clients POSTing orders one after another until `stop` is set or the host stops
    answering; every attempt goes into `answers`, answered or not."""

    def client(n: int) -> None:
        for i in range(10_000):
            answer = post_order(url, api_key, f"{prefix}-{n}-{i}", timeout=10)
            answers.append(answer)
            if stop.is_set() or answer.status is None:
                return

    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


def rate(jobs: int, call: Callable[[], object]) -> float:
    """Jobs per second of one call that does `jobs` of them."""
    started = time.monotonic()
    call()
    return jobs / (time.monotonic() - started)


def orders_by_key(keys: Iterable[str]) -> dict[str, list[str]]:
    """The order numbers stored under each idempotency key (exactly one each when all is well)."""
    from oms_app.core.db import get_engine

    keys = list(keys)
    query = sa.text(
        "SELECT k.key, o.number FROM idempotency_keys k JOIN orders o ON o.id = k.order_id"
        " WHERE k.key = ANY(:keys)"
    )
    found: dict[str, list[str]] = {key: [] for key in keys}
    with get_engine().connect() as conn:
        for key, number in conn.execute(query, {"keys": keys}):
            found[key].append(number)
    return found


def count_orders() -> int:
    from oms_app.core.db import get_engine

    with get_engine().connect() as conn:
        return conn.scalar(sa.text("SELECT count(*) FROM orders"))


def outbox_of(numbers: Iterable[str]) -> list[tuple[str, bool]]:
    """(event id, published?) of every outbox row about these orders."""
    from oms_app.core.db import get_engine

    query = sa.text(
        "SELECT m.event_id, m.published_at IS NOT NULL FROM outbox m"
        " JOIN orders o ON o.id = (m.payload->>'order_id')::int WHERE o.number = ANY(:numbers)"
    )
    with get_engine().connect() as conn:
        return [tuple(row) for row in conn.execute(query, {"numbers": list(numbers)})]


def stream_event_ids() -> set[str]:
    """Every event id on the event stream."""
    from oms_app.core.config import get_settings
    from oms_app.core.redis_client import get_redis

    ids, start = set(), "-"
    client, stream = get_redis(), get_settings().event_stream
    while entries := client.xrange(stream, min=start, count=5000):
        ids.update(_text(fields.get(b"id", fields.get("id", b""))) for _, fields in entries)
        start = "(" + _text(entries[-1][0])
    return ids


def group_backlog(group: str) -> int:
    """Entries of the stream a consumer group has not yet read or not yet acknowledged."""
    from oms_app.core.config import get_settings
    from oms_app.core.redis_client import get_redis

    client, stream = get_redis(), get_settings().event_stream
    last_entry = _text(client.xinfo_stream(stream)["last-generated-id"])
    for info in client.xinfo_groups(stream):
        if _text(info["name"]) == group:
            unread = _text(info["last-delivered-id"]) != last_entry
            return int(info["pending"]) + (1 if unread else 0)
    raise LookupError(f"no consumer group {group}")


def reserved_tasks() -> dict[str, str]:
    """Tasks a worker took but has not acknowledged (kombu's `unacked` hash): tag -> task name.
    A dead worker's tasks stay there until the broker's visibility timeout."""
    from oms_app.core.redis_client import get_redis

    held = {}
    for tag, raw in get_redis().hgetall("unacked").items():
        message = json.loads(raw)[0]
        held[_text(tag)] = message.get("headers", {}).get("task", "?")
    return held


def unread_live_events(pids: Iterable[int]) -> int:
    """Events the live screens' consumers of these (dead) processes read but never handled."""
    from oms_app.core.config import get_settings
    from oms_app.core.redis_client import get_redis

    suffixes = tuple(f"-{pid}" for pid in pids)
    consumers = get_redis().xinfo_consumers(get_settings().event_stream, "reflex-ui")
    return sum(int(c["pending"]) for c in consumers if _text(c["name"]).endswith(suffixes))


def deliveries_of(event_ids: Iterable[str]) -> dict[str, str]:
    """The webhook delivery state of each event id that has a delivery."""
    from oms_app.core.db import get_engine

    query = sa.text("SELECT event_id, state FROM webhook_deliveries WHERE event_id = ANY(:ids)")
    with get_engine().connect() as conn:
        return dict(conn.execute(query, {"ids": list(event_ids)}).all())


def wait_for(check: Callable[[], bool], timeout: float, step: float = 0.5) -> float:
    """Seconds until `check()` holds; raises TimeoutError past `timeout`."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > timeout:
            raise TimeoutError
        time.sleep(step)
    return time.monotonic() - started


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
