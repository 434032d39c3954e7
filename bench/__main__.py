"""`make bench`: seed speed, list queries on a big history, log-in cost, event latency.

Usage: python -m bench [--orders N] [--intake]   (default 200000; 1000000 for the full-size figure)
--intake adds API order intake over HTTP and pgbench's TPC-B (bench/order_intake.py).
"""

from __future__ import annotations

import argparse
import time

from bench.common import bench_environment, report, timed


def bench_seed(orders: int) -> None:
    from oms_app.runtime import load_demo_data

    started = time.perf_counter()
    counts = load_demo_data(orders=orders, seed=7)
    seconds = time.perf_counter() - started
    report(
        f"seed-demo --orders {orders}",
        {"seconds": seconds, "orders_per_s": counts["orders"] / seconds},
    )


def bench_order_list() -> None:
    from oms_app.core.db import UnitOfWork
    from oms_app.core.paging import PageRequest
    from oms_app.core.permissions import SYSTEM_ACTOR
    from oms_app.orders import queries

    cases = {
        "newest first": dict(request=PageRequest(sort="created", descending=True)),
        "status filter, by total": dict(
            status="pending_approval", request=PageRequest(sort="total")
        ),
        "text search": dict(request=PageRequest(search="上海")),
    }
    for name, kwargs in cases.items():
        report(
            f"order list page ({name})",
            timed(
                lambda kw=kwargs: queries.list_orders(UnitOfWork(), actor=SYSTEM_ACTOR, **kw),
                repeat=20,
            ),
        )


def bench_login() -> None:
    from oms_app.accounts import service
    from oms_app.core.db import UnitOfWork

    report(
        "log-in (argon2 + session write)",
        timed(
            lambda: service.log_in(UnitOfWork(), username="sales", password="sales-demo-1"),
            repeat=20,
        ),
    )


def bench_event_latency() -> None:
    from oms_app.core.config import get_settings
    from oms_app.core.db import UnitOfWork
    from oms_app.core.permissions import SYSTEM_ACTOR
    from oms_app.core.redis_client import get_redis
    from oms_app.notifications import service

    redis, stream = get_redis(), get_settings().event_stream

    def one() -> None:
        last = (redis.xrevrange(stream, count=1) or [("0-0", {})])[0][0]
        service.notify_role(UnitOfWork(), actor=SYSTEM_ACTOR, role="warehouse", title="bench")
        assert redis.xread({stream: last}, count=1, block=5000)

    report("commit -> event on the stream", timed(one, repeat=50))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--orders", type=int, default=200_000)
    parser.add_argument("--intake", action="store_true", help="also run bench.order_intake")
    args = parser.parse_args()
    with bench_environment():
        bench_seed(args.orders)
        bench_order_list()
        bench_login()
        bench_event_latency()
        if args.intake:
            from bench.order_intake import bench_order_intake

            bench_order_intake()


if __name__ == "__main__":
    main()
