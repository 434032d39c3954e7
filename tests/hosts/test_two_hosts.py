"""The system across two hosts: network namespaces on this machine, each with its own production
Reflex backend and Celery worker (host A also runs the one beat), both on one PostgreSQL and one
Redis. The tests run in file order: the last one kills host B."""

from __future__ import annotations

import threading
import time

import pytest
from playwright.sync_api import Page, expect

from tests.factories.accounts import DEFAULT_PASSWORD
from tests.hosts import traffic

pytestmark = [pytest.mark.hosts, pytest.mark.e2e]
TIMEOUT = 60_000


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    expect(page.locator("#username")).to_be_visible(timeout=TIMEOUT)
    page.fill("#username", username)
    page.fill("#password", DEFAULT_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(lambda url: "/login" not in url, timeout=TIMEOUT)


def test_orders_posted_to_either_host_are_each_stored_exactly_once(cluster, world):
    a, b = cluster.url(cluster.a), cluster.url(cluster.b)
    # given each host alone, as a figure: orders per second through one host
    for name, url in (("A", a), ("B", b)):
        jobs = [(url, f"solo-{name}-{i}") for i in range(24)]
        per_s = traffic.rate(24, lambda jobs=jobs: traffic.post_many(jobs, world.api_key, 4))
        print(f"\n[hosts] host {name}: {per_s:.1f} orders/s (4 clients, 1 backend worker)")
    before = traffic.count_orders()

    # when orders alternate between the hosts, and some are retried on the other host at once
    keys = [f"mixed-{i}" for i in range(40)]
    jobs = [(a if i % 2 else b, key) for i, key in enumerate(keys)]
    jobs += [(b if i % 2 else a, key) for i, key in enumerate(keys[:10])]
    started = time.monotonic()
    answers = traffic.post_many(jobs, world.api_key, threads=8)
    print(f"[hosts] both hosts: {len(jobs) / (time.monotonic() - started):.1f} requests/s")

    # then every request was acknowledged, a retry got its first order, and each is stored once
    assert {answer.status for answer in answers} == {201}
    numbers = {}
    for answer in answers:
        assert numbers.setdefault(answer.key, answer.number) == answer.number
    stored = traffic.orders_by_key(keys)
    assert all(stored[key] == [numbers[key]] for key in keys)
    assert traffic.count_orders() - before == len(keys)


def test_a_board_open_on_host_a_shows_an_order_entered_through_host_b_without_reload(
    browser, cluster, world
):
    a, b = cluster.url(cluster.a), cluster.url(cluster.b)
    page = browser.new_context().new_page()
    log_in(page, a, "sales-manager")
    page.goto(f"{a}/approvals")
    expect(page.locator("#approval-queue")).to_be_visible(timeout=TIMEOUT)
    page.wait_for_timeout(1500)  # the board has linked to the shared queue
    page.evaluate("window.__sameDocument = true")

    sent = time.monotonic()
    answer = traffic.post_order(b, world.api_key, "board-1")
    assert answer.status == 201

    expect(page.locator(".approval-card", has_text=answer.number)).to_be_visible(timeout=20_000)
    print(f"\n[hosts] order via B on A's board after {time.monotonic() - sent:.2f} s")
    assert page.evaluate("window.__sameDocument") is True  # pushed, not reloaded
    page.context.close()


def test_killing_host_b_mid_burst_loses_no_acknowledged_order_and_no_event(cluster, world):
    a, b = cluster.url(cluster.a), cluster.url(cluster.b)
    before = traffic.count_orders()
    # given clients posting orders to host B
    stop, answers = threading.Event(), []
    burst = threading.Thread(
        target=traffic.burst_until,
        args=(b, world.api_key),
        kwargs={"prefix": "burst", "threads": 6, "stop": stop, "answers": answers},
    )
    burst.start()
    traffic.wait_for(lambda: sum(x.status == 201 for x in answers) >= 20, timeout=60, step=0.05)

    # when every process of host B dies at once
    pids_of_b = cluster.b.pids()
    killed = cluster.b.kill_everything()
    held_at_kill = traffic.reserved_tasks()
    stop.set()
    burst.join(60)
    acknowledged = [x for x in answers if x.status == 201]
    unanswered = [x for x in answers if x.status is None]
    print(
        f"\n[hosts] host B killed ({killed} processes) after {len(acknowledged)} acknowledged "
        f"orders; {len(unanswered)} requests cut off"
    )
    assert acknowledged and {x.status for x in answers} <= {201, None}

    # then every acknowledged order is stored once; the cut-off ones, retried on host A with
    # their Idempotency-Key, are stored once too (whether B had committed them or not)
    stored = traffic.orders_by_key(x.key for x in acknowledged)
    assert all(stored[x.key] == [x.number] for x in acknowledged)
    committed_by_b = sum(bool(n) for n in traffic.orders_by_key(x.key for x in unanswered).values())
    retried = traffic.post_many([(a, x.key) for x in unanswered], world.api_key, threads=4)
    print(f"[hosts] {committed_by_b} of the cut-off orders had been committed by B before it died")
    assert {x.status for x in retried} <= {201}
    every = [*acknowledged, *retried]
    stored = traffic.orders_by_key(x.key for x in every)
    assert all(stored[x.key] == [x.number] for x in every)
    assert traffic.count_orders() - before == len(every)
    _no_event_lost([x.number for x in every])
    left_by_b = [task for tag, task in traffic.reserved_tasks().items() if tag in held_at_kill]
    print(
        f"[hosts] tasks B's worker held when it died: {left_by_b or 'none'} (redelivered only "
        f"after the broker's visibility timeout; beat and the webhook sweep redo their work); "
        f"live-screen events B's backend had read but not handled: "
        f"{traffic.unread_live_events(pids_of_b)}"
    )


def _no_event_lost(numbers: list[str]) -> None:
    """Every event of these orders gets to the stream, to the pumps, and to the webhook."""
    started = time.monotonic()

    def all_published() -> bool:
        rows = traffic.outbox_of(numbers)
        return bool(rows) and all(published for _, published in rows)

    traffic.wait_for(all_published, timeout=60)  # the relay (beat, every 10 s) on host A
    event_ids = {event_id for event_id, _ in traffic.outbox_of(numbers)}
    assert event_ids <= traffic.stream_event_ids()
    took = time.monotonic() - started
    print(f"[hosts] {len(event_ids)} events all on the stream after {took:.1f} s")
    traffic.wait_for(lambda: traffic.group_backlog("rollups") == 0, timeout=60)
    traffic.wait_for(lambda: traffic.group_backlog("webhooks") == 0, timeout=60)
    traffic.wait_for(lambda: len(traffic.deliveries_of(event_ids)) == len(event_ids), timeout=60)
    # What B's worker held when it died comes back through host A: the sweep re-queues
    # deliveries left overdue (claim lease 120 s + 30 s, swept every minute).
    waited = traffic.wait_for(
        lambda: set(traffic.deliveries_of(event_ids).values()) == {"succeeded"}, timeout=240
    )
    print(f"[hosts] every webhook delivered {waited:.1f} s later, through host A's worker")
