"""The executive dashboard at scale: its data against one hand-written SQL aggregate.

Usage: python -m bench.dashboard [--orders 1000000] [--repeat 5]

Seeds the demo company (its rollups built as `seed-demo` builds them), then in the same run:
- the dashboard's KPI figures (three periods, through the daily rollups) for the last 30 days
  and the last 366 days, and each chart's data of the 30-day default view;
- one hand-written SQL aggregate over the raw tables giving the same tile figures for the same
  period (revenue, orders, cost, late orders, lead time: the numbers a reader would write by
  hand), and the ratio dashboard / hand-written;
- what keeping the rollups costs: rewriting one day (what the pump does per burst of events)
  and rebuilding all of history (`rebuild-rollups`);
- the process's resident memory before and after, since aggregates never load orders.
Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import resource
import time
from datetime import timedelta

from bench.common import bench_environment, report, timed

HAND_WRITTEN = """
WITH booked AS (
  SELECT o.subtotal - o.discount_total AS revenue, o.cost_total AS cost, o.requested_date,
         (SELECT min(e.at) FROM order_events e
           WHERE e.order_id = o.id AND e.to_status = 'approved') AS approved_at,
         (SELECT min(e.at) FROM order_events e
           WHERE e.order_id = o.id AND e.to_status = 'shipped') AS shipped_at
  FROM orders o
  WHERE o.status NOT IN ('draft', 'pending_approval', 'rejected', 'cancelled')
    AND o.created_at >= :start AND o.created_at < :end
)
SELECT count(*), sum(revenue), sum(cost),
       count(*) FILTER (WHERE requested_date IS NOT NULL AND (
         (shipped_at IS NULL AND requested_date < :today)
         OR CAST(timezone('Asia/Shanghai', shipped_at) AS date) > requested_date)),
       avg(extract(epoch FROM shipped_at - approved_at) / 3600)
FROM booked
"""


def rss_mb() -> float:
    """Resident memory of this process now, in MiB."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def seed(orders: int) -> None:
    from oms_app.runtime import load_demo_data

    started = time.perf_counter()
    counts = load_demo_data(orders=orders, seed=7)
    report(
        f"seed-demo --orders {orders}",
        {"seconds": time.perf_counter() - started, "rollup_rows": counts["rollup_rows"]},
    )


def bench_dashboard(repeat: int) -> None:
    import sqlalchemy as sa

    from oms_app.analytics import charts, flow, kpis, rollups
    from oms_app.analytics.scope import DashboardFilter, period_bounds
    from oms_app.core.db import UnitOfWork
    from oms_app.core.permissions import SYSTEM_ACTOR

    last = rollups.order_day_range(UnitOfWork())[1]
    today = last + timedelta(days=1)
    memory_before = rss_mb()
    results = {}
    for days in (30, 366):
        first = today - timedelta(days=days)
        results[days] = timed(
            lambda f=first: kpis.compute_kpis(
                UnitOfWork(), actor=SYSTEM_ACTOR, date_from=f, date_to=last, today=today
            ),
            repeat=repeat,
        )
        report(f"dashboard KPIs, {days} days (3 periods)", results[days])

        start, end = period_bounds(first, last)

        def hand_written(s=start, e=end) -> None:
            with UnitOfWork() as uow:
                params = {"start": s, "end": e, "today": today}
                uow.session.execute(sa.text(HAND_WRITTEN), params).one()

        raw = timed(hand_written, repeat=repeat)
        report(f"hand-written SQL aggregate, {days} days (1 period)", raw)
        report(
            f"ratio dashboard / hand-written, {days} days",
            {"p50": results[days]["p50_ms"] / raw["p50_ms"]},
        )
    flt = DashboardFilter(today - timedelta(days=30), last)
    chart_rows = {
        "revenue trend": charts.revenue_trend,
        "top products": charts.top_products,
        "top categories": charts.top_categories,
        "provinces": charts.sales_by_province,
        "reps": charts.sales_by_rep,
        "status funnel": flow.status_funnel,
        "stage times": flow.stage_times,
        "payment mix": flow.payment_mix,
    }
    total = results[30]["p50_ms"]
    for name, rows in chart_rows.items():
        figures = timed(lambda r=rows: r(UnitOfWork(), actor=SYSTEM_ACTOR, flt=flt), repeat=repeat)
        total += figures["p50_ms"]
        report(f"chart data: {name}, 30 days", figures)
    report("whole default view (tiles + charts), 30 days", {"p50_ms_sum": total})
    report(
        "backend memory",
        {"rss_before_mb": memory_before, "rss_after_mb": rss_mb(), "peak_mb": peak_mb()},
    )


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_upkeep() -> None:
    from oms_app.analytics import rollups
    from oms_app.core.db import UnitOfWork

    last = rollups.order_day_range(UnitOfWork())[1]
    report("rewrite one day (pump)", timed(lambda: rollups.refresh_days(UnitOfWork(), [last]), 5))
    started = time.perf_counter()
    rows = rollups.rebuild(UnitOfWork())
    seconds = time.perf_counter() - started
    report("rebuild-rollups (all history)", {"seconds": seconds, "rows": rows})


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.dashboard")
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with bench_environment():
        seed(args.orders)
        bench_dashboard(args.repeat)
        bench_upkeep()


if __name__ == "__main__":
    main()
