"""Live picking board: latency from an approval's commit to its card on N open boards.

Usage: python -m bench.board_push [--boards N] [--orders M] [--rate R] [--workers W]
       (defaults 20 boards, 60 orders, 2 orders/s, 2 backend workers)

The app runs as the production server (tests/e2e/prod_server.py: granian, W workers sharing
Redis), not the dev AppHarness: it starts faster, serves the compiled frontend, and the push
crosses workers as in a deployment. Orders go in and are approved over the REST API at a
steady rate; each board page records (MutationObserver, browser clock) when a card id first
appears in its DOM. Latency = that moment - the return of the approve call that allocated.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
import uuid
from dataclasses import dataclass, field

import httpx

from bench.common import bench_environment, report

WAREHOUSE = "SH"
PASSWORD = "board-bench-1"
PAGE_TIMEOUT_MS = 60_000
# As tests/e2e/conftest.py (not imported: it loads the whole Reflex app and pytest fixtures).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REQUEST_TIMEOUT_S = 30.0
# Reflex renders lists with index keys, so a new card can arrive as an id change on a node
# React reuses, not only as an added node: watch attributes too and rescan for card ids.
OBSERVER_JS = """() => {
  window.__cardSeen = {};
  const scan = () => {
    const now = Date.now();
    for (const el of document.querySelectorAll('[id^="card-"]')) {
      if (!(el.id in window.__cardSeen)) window.__cardSeen[el.id] = now;
    }
  };
  scan();
  new MutationObserver(scan).observe(document.body, {
    childList: true, subtree: true, attributes: true, attributeFilter: ['id'],
  });
}"""


@dataclass
class Placed:
    number: str
    approve_started_ms: float = 0.0
    committed_ms: float = 0.0  # the allocating approve call returned: committed by then
    cards: list[str] = field(default_factory=list)
    error: str = ""


def now_ms() -> float:
    """Wall clock in ms: the browsers' Date.now() runs on the same machine clock."""
    return time.time() * 1000


def seed_world() -> dict[str, str]:
    """Users, a customer with an address, two products with plenty of stock; API keys."""
    from oms_app.accounts.admin import create_api_key
    from oms_app.core.db import UnitOfWork
    from oms_app.core.permissions import SYSTEM_ACTOR
    from tests.factories.accounts import make_user
    from tests.factories.orders import make_customer
    from tests.factories.sales import add_default_address, make_catalogue

    uow = UnitOfWork()
    make_catalogue(uow, stock=100_000)  # never short: every approval allocates
    add_default_address(uow, make_customer(uow, code="C90001"))
    keys = {}
    for role in ("sales", "sales_manager", "warehouse"):
        user_id = make_user(uow, username=role.replace("_", "-"), roles=[role], password=PASSWORD)
        keys[role] = create_api_key(uow, actor=SYSTEM_ACTOR, name="bench", user_id=user_id)
    return keys


def order_body(i: int) -> dict:
    """One small line (far below the finance threshold), alternating the two products."""
    line = {"sku": "OFF-0001", "quantity": 2} if i % 2 else {"sku": "OFF-0002", "quantity": 1}
    return {"customer": "C90001", "lines": [line], "submit": True}


# --- the browsers ----------------------------------------------------------------------------


async def open_board(browser, base: str) -> object:
    """A context of its own (as a separate wall screen), signed in as the warehouse user."""
    page = await (await browser.new_context()).new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    await page.goto(f"{base}/login")
    await page.fill("#username", "warehouse")
    await page.fill("#password", PASSWORD)
    await page.click("#login-submit")
    await page.wait_for_url(lambda url: "/login" not in url)
    # The trailing slash avoids the prod server's redirect (which would be a second load).
    await page.goto(f"{base}/warehouse/board/?wh={WAREHOUSE}")
    await page.locator("#board-col-to_pick").wait_for(state="visible")
    await page.evaluate(OBSERVER_JS)
    return page


async def seen_cards(page) -> dict[str, float]:
    return await page.evaluate("() => window.__cardSeen")


async def wait_for_cards(pages: list, expected: set[str], timeout_s: float) -> list[dict]:
    """Poll every board until each shows every expected card, or the timeout passes."""
    deadline = time.monotonic() + timeout_s
    while True:
        seen = await asyncio.gather(*(seen_cards(p) for p in pages))
        if all(expected <= s.keys() for s in seen) or time.monotonic() > deadline:
            return seen
        await asyncio.sleep(0.5)


# --- the orders ------------------------------------------------------------------------------


async def approve_in_turn(http: httpx.AsyncClient, keys: dict, placed: Placed, order: dict):
    """Approve level by level with the pending role's key until the order leaves approval."""
    while order["status"] == "pending_approval":
        role = next((a["role"] for a in order["approvals"] if a["status"] == "pending"), "")
        if role not in keys:
            raise RuntimeError(f"{placed.number} needs a {role} approval; orders too big?")
        placed.approve_started_ms = now_ms()
        resp = await http.post(
            f"/api/v1/orders/{placed.number}/approve", json={}, headers=auth(keys[role])
        )
        placed.committed_ms = now_ms()
        resp.raise_for_status()
        order = resp.json()
    if order["status"] != "allocated":
        raise RuntimeError(f"{placed.number} ended {order['status']}, not allocated")


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def place_one(http: httpx.AsyncClient, keys: dict, i: int) -> Placed:
    """Enter and submit, approve, then read which shipments (cards) it made."""
    headers = {**auth(keys["sales"]), "Idempotency-Key": uuid.uuid4().hex}
    placed = Placed(number="")
    try:
        resp = await http.post("/api/v1/orders", json=order_body(i), headers=headers)
        resp.raise_for_status()
        order = resp.json()
        placed.number = order["number"]
        await approve_in_turn(http, keys, placed, order)
        resp = await http.get(
            f"/api/v1/orders/{placed.number}/shipments", headers=auth(keys["warehouse"])
        )
        resp.raise_for_status()
        shipments = resp.json()["shipments"]
        placed.cards = [f"card-{s['number']}" for s in shipments if s["warehouse"] == WAREHOUSE]
    except (httpx.HTTPError, RuntimeError, KeyError) as exc:
        placed.error = f"{type(exc).__name__}: {str(exc)[:200]}"
    return placed


async def drive(base: str, keys: dict, orders: int, rate: float) -> list[Placed]:
    """Start one order every 1/rate s, whatever the previous ones are still doing."""
    async with httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT_S) as http:
        started, tasks = time.monotonic(), []
        for i in range(orders):
            await asyncio.sleep(max(0.0, started + i / rate - time.monotonic()))
            tasks.append(asyncio.create_task(place_one(http, keys, i)))
        return await asyncio.gather(*tasks)


# --- the figures -----------------------------------------------------------------------------


def percentile(samples: list[float], q: float) -> float:
    """Same rule as bench.common.timed: the sample at rank int(n * q), 1-based."""
    return samples[max(int(len(samples) * q) - 1, 0)] if samples else 0.0


def spread(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": percentile(ordered, 0.5),
        "p95_ms": percentile(ordered, 0.95),
        "max_ms": ordered[-1] if ordered else 0.0,
    }


def board_latencies(placed: list[Placed], seen: dict[str, float]) -> tuple[list[float], int]:
    """(ms from approve commit to card, cards never seen) for one board."""
    latencies, missed = [], 0
    for order in placed:
        for card in order.cards:
            if card in seen:
                latencies.append(seen[card] - order.committed_ms)
            else:
                missed += 1
    return latencies, missed


def print_figures(placed: list[Placed], seen_per_board: list[dict], workers: int) -> None:
    good = [p for p in placed if not p.error]
    for failed in [p for p in placed if p.error][:3]:
        print(f"  order {failed.number or '?'} failed: {failed.error}", flush=True)
    calls = [p.committed_ms - p.approve_started_ms for p in good]
    report("approve call (request -> response)", {"orders": len(good), **spread(calls)})
    everything, missed_total = [], 0
    for n, seen in enumerate(seen_per_board, start=1):
        latencies, missed = board_latencies(good, seen)
        everything += latencies
        missed_total += missed
        figures = {"cards": len(latencies), **spread(latencies), "missed": missed}
        report(f"  board {n:>2}: commit -> card", figures)
    name = f"all {len(seen_per_board)} boards ({workers} workers, {len(good)} orders)"
    report(name, {"cards": len(everything), **spread(everything), "missed": missed_total})
    if len(good) < len(placed):
        report("orders that failed before a card", {"count": len(placed) - len(good)})


# --- the run ---------------------------------------------------------------------------------


async def run(base: str, keys: dict, args: argparse.Namespace) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        started = time.perf_counter()
        # One at a time: sign-ins on 2 cores in parallel only time out each other.
        pages = [await open_board(browser, base) for _ in range(args.boards)]
        report(f"{args.boards} boards open and linked", {"seconds": time.perf_counter() - started})
        placed = await drive(base, keys, args.orders, args.rate)
        expected = {card for p in placed for card in p.cards}
        seen = await wait_for_cards(pages, expected, args.timeout)
        print_figures(placed, seen, args.workers)
        await browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.board_push")
    parser.add_argument("--boards", type=int, default=20)
    parser.add_argument("--orders", type=int, default=60)
    parser.add_argument("--rate", type=float, default=2.0, help="orders per second")
    parser.add_argument("--workers", type=int, default=2, help="backend (granian) workers")
    parser.add_argument("--timeout", type=float, default=30.0, help="s to wait for late cards")
    args = parser.parse_args()
    from tests.e2e.prod_server import prod_server

    with bench_environment():
        keys = seed_world()
        os.environ["REFLEX_REDIS_URL"] = os.environ["OMS_REDIS_URL"]  # the run's own Redis DB
        started = time.perf_counter()
        with prod_server(workers=args.workers) as base:
            report("prod server up", {"seconds": time.perf_counter() - started})
            asyncio.run(run(base, keys, args))


if __name__ == "__main__":
    main()
