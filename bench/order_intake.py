"""API order intake over real HTTP, next to pgbench's TPC-B on the same PostgreSQL server.

Usage: python -m bench.order_intake [--clients N] [--orders M]   (defaults 8 and 400)

Also prints the statements and transactions of one order (counted on a few orders sent one
by one, the API key check apart), and checks under the same load that retries with one
Idempotency-Key make one order, that no order is made twice and that no stock is oversold.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import uuid

import httpx
import sqlalchemy as sa

from bench.common import StatementCounter, bench_environment, report

PGBENCH_SECONDS = 15
COUNTED_ORDERS = 20  # sent one by one before the timed run, with their statements counted
RETRIED_ORDERS = 8  # each sent twice at once with one Idempotency-Key, during the checks
REQUEST_TIMEOUT_S = 30.0
DRIVE_TIMEOUT_S = 600.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def api_key_for(username: str) -> str:
    from oms_app.accounts.admin import create_api_key
    from oms_app.core.db import UnitOfWork, get_engine
    from oms_app.core.permissions import SYSTEM_ACTOR

    with get_engine().connect() as conn:
        user_id = conn.scalar(sa.text("SELECT id FROM users WHERE username = :u"), {"u": username})
    return create_api_key(UnitOfWork(), actor=SYSTEM_ACTOR, name="bench", user_id=user_id)


def product_pool(limit: int = 40) -> list[tuple[str, int]]:
    """(sku, valid quantity): max(moq, pack_size) rounded up to a multiple of pack_size."""
    from oms_app.core.db import get_engine

    query = "SELECT sku, moq, pack_size FROM products WHERE is_active ORDER BY sku LIMIT :n"
    with get_engine().connect() as conn:
        rows = conn.execute(sa.text(query), {"n": limit}).all()
    return [(sku, -(-max(moq, pack) // pack) * pack) for sku, moq, pack in rows]


def order_bodies(count: int) -> list[dict]:
    import random

    rng, products = random.Random(1), product_pool()
    return [
        {
            "customer": f"C{rng.randint(1, 200):05d}",
            "lines": [{"sku": sku, "quantity": qty} for sku, qty in rng.sample(products, 3)],
            "submit": True,
        }
        for _ in range(count)
    ]


class ApiServer:
    """The FastAPI app under uvicorn in a background thread on 127.0.0.1."""

    def __init__(self) -> None:
        import uvicorn

        from oms_app.api.app import create_api

        self.port = free_port()
        config = uvicorn.Config(
            create_api(), host="127.0.0.1", port=self.port, log_level="warning", workers=1
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.base_url = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ApiServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{self.base_url}/api/v1/health", timeout=5)  # 503 also means up
                return self
            except httpx.TransportError:
                time.sleep(0.1)
        self.__exit__()
        raise RuntimeError("the API server did not come up within 30 s")

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


async def client_task(base_url: str, key: str, bodies: list[dict], results: list) -> None:
    auth = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=base_url, headers=auth, timeout=REQUEST_TIMEOUT_S) as c:
        for body in bodies:
            started = time.perf_counter()
            try:
                resp = await c.post(
                    "/api/v1/orders", json=body, headers={"Idempotency-Key": uuid.uuid4().hex}
                )
                status, text = resp.status_code, resp.text
            except httpx.HTTPError as exc:
                status, text = 0, repr(exc)
            results.append((status, (time.perf_counter() - started) * 1000, text))


async def drive(base_url: str, key: str, bodies: list[dict], clients: int) -> tuple[list, float]:
    results: list = []
    started = time.perf_counter()
    tasks = [client_task(base_url, key, bodies[i::clients], results) for i in range(clients)]
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=DRIVE_TIMEOUT_S)
    return results, time.perf_counter() - started


def percentile(samples: list[float], q: float) -> float:
    """Same rule as bench.common.timed: the sample at rank int(n * q), 1-based."""
    return samples[max(int(len(samples) * q) - 1, 0)] if samples else 0.0


def intake_figures(results: list, seconds: float) -> dict[str, float | int]:
    ok = sorted(ms for status, ms, _ in results if status == 201)
    errors = [(status, text) for status, _, text in results if status != 201]
    if errors:
        print(f"  first error: HTTP {errors[0][0]} {errors[0][1][:300]}", flush=True)
    return {
        "orders": len(ok),
        "errors": len(errors),
        "orders_per_s": len(ok) / seconds,
        "p50_ms": percentile(ok, 0.5),
        "p95_ms": percentile(ok, 0.95),
        "max_ms": ok[-1] if ok else 0.0,
    }


def libpq_env(sa_url: str) -> dict[str, str]:
    """PG* variables for the server behind a SQLAlchemy URL (TCP or `?host=/socket/dir`)."""
    url = sa.engine.make_url(sa_url)
    host = url.query.get("host") or url.host or "127.0.0.1"
    env = {"PGHOST": host if isinstance(host, str) else host[0], "PGUSER": url.username or ""}
    if url.port:
        env["PGPORT"] = str(url.port)
    if url.password:
        env["PGPASSWORD"] = url.password
    return env


def pgbench_tps(clients: int) -> float | None:
    """TPC-B tps (scale 10, `PGBENCH_SECONDS` s) in a scratch database on the bench's server."""
    from tests import infra

    if shutil.which("pgbench") is None:
        return None
    admin = infra.admin_database_url()
    name = f"oms_bench_pgbench_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    env = {**os.environ, **libpq_env(admin)}
    run = dict(env=env, capture_output=True, text=True, check=True)
    try:
        subprocess.run(["pgbench", "-i", "-q", "-s", "10", name], timeout=300, **run)
        jobs = str(min(2, clients))
        cmd = ["pgbench", "-c", str(clients), "-j", jobs, "-T", str(PGBENCH_SECONDS), name]
        out = subprocess.run(cmd, timeout=PGBENCH_SECONDS + 120, **run).stdout
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        print(f"  pgbench failed: {exc} {str(exc.stderr or '')[-300:]}", flush=True)
        return None
    finally:
        with engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()
    match = re.search(r"tps = ([\d.]+)", out)
    return float(match.group(1)) if match else None


def count_statements(base_url: str, key: str, bodies: list[dict]) -> None:
    """Statements and transactions per API order, the API key check on its own line."""
    from oms_app.core.db import get_engine

    counter = StatementCounter(get_engine(), apart=("_resolve_key_throttled",))
    auth = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=base_url, headers=auth, timeout=REQUEST_TIMEOUT_S) as client:
        counter.counting = True
        for body in bodies:
            resp = client.post(
                "/api/v1/orders", json=body, headers={"Idempotency-Key": uuid.uuid4().hex}
            )
            resp.raise_for_status()
        counter.counting = False
    n = len(bodies)
    report(
        "statements per API order",
        {
            "statements": counter.statements / n,
            "transactions": counter.transactions / n,
            "key_check_statements": counter.apart_statements / n,
            "key_check_transactions": counter.apart_transactions / n,
        },
    )


async def retry_together(base_url: str, key: str, bodies: list[dict]) -> list[tuple]:
    """Each body twice at the same moment under one Idempotency-Key: (status, number) pairs."""
    auth = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=base_url, headers=auth, timeout=REQUEST_TIMEOUT_S) as c:

        async def send(body: dict, idem: str) -> tuple[int, str]:
            resp = await c.post("/api/v1/orders", json=body, headers={"Idempotency-Key": idem})
            return resp.status_code, resp.json().get("number", "") if resp.is_success else ""

        pairs = []
        for body in bodies:
            idem = uuid.uuid4().hex
            pairs.append(asyncio.gather(send(body, idem), send(body, idem)))
        return await asyncio.gather(*pairs)


def api_orders_made() -> int:
    from oms_app.core.db import get_engine

    with get_engine().connect() as conn:
        return conn.scalar(sa.text("SELECT count(*) FROM orders WHERE channel = 'api'"))


def oversold_stock() -> int:
    """(warehouse, product) pairs with more reserved than on hand, or less than nothing."""
    from oms_app.core.db import get_engine

    query = """
        SELECT count(*) FROM (
            SELECT sum(on_hand_delta) AS on_hand, sum(reserved_delta) AS reserved
            FROM stock_movements GROUP BY warehouse_id, product_id
        ) balance WHERE reserved > on_hand OR on_hand < 0
    """
    with get_engine().connect() as conn:
        return conn.scalar(sa.text(query))


def integrity_figures(results: list, made: int, retried: list[tuple]) -> dict[str, int]:
    """No duplicate: one order per success, one per retried pair; no oversold stock."""
    numbers = [json.loads(text)["number"] for status, _, text in results if status == 201]
    pairs_ok = sum(1 for a, b in retried if a[0] == b[0] == 201 and a[1] == b[1] and a[1])
    return {
        "duplicate_numbers": len(numbers) - len(set(numbers)),
        "orders_beyond_successes": made - len(set(numbers)) - len(retried),
        "retried_pairs_one_order": pairs_ok,
        "retried_pairs": len(retried),
        "oversold_stock_rows": oversold_stock(),
    }


def bench_order_intake(clients: int = 8, orders: int = 400) -> None:
    """Needs a migrated database with the demo data (users, customers, products) loaded."""
    key, bodies = api_key_for("sales"), order_bodies(orders + COUNTED_ORDERS + RETRIED_ORDERS)
    timed_bodies, counted = bodies[:orders], bodies[orders : orders + COUNTED_ORDERS]
    with ApiServer() as server:
        count_statements(server.base_url, key, counted)
        before, cpu_before = api_orders_made(), os.times()
        results, seconds = asyncio.run(drive(server.base_url, key, timed_bodies, clients))
        cpu = os.times()
        retried = asyncio.run(retry_together(server.base_url, key, bodies[-RETRIED_ORDERS:]))
        made = api_orders_made() - before
    figures = intake_figures(results, seconds)
    # CPU of this process (API server and clients) per order: steadier than rates on a busy box
    cpu_s = (cpu.user - cpu_before.user) + (cpu.system - cpu_before.system)
    figures["process_cpu_ms_per_order"] = cpu_s * 1000 / max(figures["orders"], 1)
    report(f"API order intake ({clients} clients, 3-line orders)", figures)
    report("no duplicate, no oversell", integrity_figures(results, made, retried))
    tps = pgbench_tps(clients)
    if tps:
        ratio = f"{figures['orders_per_s'] / tps:.4f}"  # report() would round it to 0.0
        report("pgbench TPC-B (same server)", {"tps": tps, "intake_vs_tpcb": ratio})
    else:
        report("pgbench TPC-B (same server)", {"skipped": "pgbench missing or failed"})


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.order_intake")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--orders", type=int, default=400)
    args = parser.parse_args()
    with bench_environment():
        from oms_app.runtime import load_demo_data

        load_demo_data(orders=2000, seed=7)
        bench_order_intake(args.clients, args.orders)


if __name__ == "__main__":
    main()
