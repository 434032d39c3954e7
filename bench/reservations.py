"""Approvals racing for scarce stock: throughput under contention, and no oversell.

Usage: python -m bench.reservations [--orders N] [--workers W] [--stock S]   (400, 8, 100)
Every order wants one pack of the same SKU; S packs are in stock, so N - S orders wait.
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from bench.common import bench_environment, report

SKU = "OFF-0002"


def seed(orders: int, stock: int):
    """The test factories' small world with `stock` packs; `orders` submitted one-pack orders."""
    from oms_app.core.db import UnitOfWork
    from oms_app.orders import service as order_service
    from oms_app.orders.rules import LineInput, OrderInput
    from tests.factories.sales import make_world

    world = make_world(UnitOfWork(), stock=stock)
    cmd = OrderInput(customer_code=world.customer_code, lines=[LineInput(SKU, 1)])
    started = time.perf_counter()
    numbers = [
        order_service.create_order(UnitOfWork(), actor=world.rep, submit=True, cmd=cmd)
        for _ in range(orders)
    ]
    report(
        f"enter + submit {orders} orders (1 thread)",
        {"orders_per_s": orders / (time.perf_counter() - started)},
    )
    return world, numbers


def approve_all(world, numbers: list[str], workers: int) -> tuple[float, list[float], list[str]]:
    from oms_app.core.db import UnitOfWork
    from oms_app.orders import service as order_service

    def one(number: str) -> tuple[float, str]:
        started = time.perf_counter()
        try:
            order_service.approve_order(UnitOfWork(), actor=world.manager, number=number)
            error = ""
        except Exception as err:  # counted and shown; the bench goes on
            error = f"{type(err).__name__}: {err}"
        return (time.perf_counter() - started) * 1000, error

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(one, numbers))
    seconds = time.perf_counter() - started
    return seconds, sorted(ms for ms, _ in results), [e for _, e in results if e]


def outcome() -> dict[str, int]:
    from oms_app.core.db import get_engine

    with get_engine().connect() as conn:
        statuses = dict(
            conn.execute(sa.text("SELECT status, count(*) FROM orders GROUP BY status")).all()
        )
        on_hand, reserved, lowest = conn.execute(
            sa.text(
                """
                SELECT coalesce(sum(on_hand), 0), coalesce(sum(reserved), 0),
                       coalesce(min(on_hand - reserved), 0)
                FROM (SELECT sum(m.on_hand_delta) AS on_hand, sum(m.reserved_delta) AS reserved
                      FROM stock_movements m JOIN products p ON p.id = m.product_id
                      WHERE p.sku = :sku GROUP BY m.warehouse_id, m.bin_id) per_bin
                """
            ),
            {"sku": SKU},
        ).one()
        backorders = conn.scalar(sa.text("SELECT count(*) FROM backorders WHERE state = 'open'"))
    return {
        "allocated": statuses.get("allocated", 0),
        "on_hold": statuses.get("on_hold", 0),
        "other": sum(n for s, n in statuses.items() if s not in ("allocated", "on_hold")),
        "on_hand": int(on_hand),
        "reserved": int(reserved),
        "lowest_bin_available": int(lowest),
        "open_backorders": int(backorders),
    }


def bench_reservations(orders: int, workers: int, stock: int) -> None:
    world, numbers = seed(orders, stock)
    seconds, latencies, errors = approve_all(world, numbers, workers)
    if errors:
        print(f"  {len(errors)} approvals failed; first: {errors[0][:300]}", flush=True)
    result = outcome()
    p95 = latencies[max(int(len(latencies) * 0.95) - 1, 0)]
    report(
        f"parallel approvals ({workers} workers, {stock} in stock)",
        {
            "approvals_per_s": (orders - len(errors)) / seconds,
            "p50_ms": latencies[len(latencies) // 2],
            "p95_ms": p95,
            "got_stock": result["allocated"],
            "backordered": result["on_hold"],
            "errors": len(errors),
        },
    )
    report(
        "ledger after the race",
        {k: result[k] for k in ("on_hand", "reserved", "lowest_bin_available", "open_backorders")},
    )
    expected = min(stock, orders)
    assert not errors, errors[:3]
    assert result["reserved"] == expected, result
    assert result["allocated"] == expected and result["on_hold"] == orders - expected, result
    assert result["lowest_bin_available"] >= 0, result
    if orders >= stock:
        assert result["reserved"] == stock, result  # every unit went, none twice


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.reservations")
    parser.add_argument("--orders", type=int, default=400)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--stock", type=int, default=100)
    args = parser.parse_args()
    with bench_environment():
        bench_reservations(args.orders, args.workers, args.stock)


if __name__ == "__main__":
    main()
