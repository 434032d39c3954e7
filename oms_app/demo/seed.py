"""Fill an empty database with a deterministic demo company and two years of its orders.

Everything comes from one `random.Random(seed)` and a fixed `today` (by default yesterday in
Shanghai, where the company trades: the last whole day, so no order lies in the future), so a
seed and a day give the same data every time. Rows
are generated a chunk of days at a time and bulk-loaded with COPY in one transaction: a failed
seeding leaves the database as it was. Users and roles are not touched. The history's
receipts, shipments, payments, refunds and returns are posted to the books by the ledger's own
rules (see ledger_history), in the same transaction.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import psycopg
import sqlalchemy as sa
from sqlalchemy.orm import Session

from oms_app.core.db import UnitOfWork
from oms_app.demo.approval_history import write_approvals
from oms_app.demo.demand import plan_daily_orders
from oms_app.demo.ledger_history import LEDGER_TABLES, build_journal, open_periods
from oms_app.demo.loading import (
    SHANGHAI,
    TableRows,
    copy_rows,
    get_last_ids,
    indexes_deferred,
    reset_sequences,
)
from oms_app.demo.master_data import build_master_data
from oms_app.demo.order_history import OrderHistoryBuilder
from oms_app.demo.payment_rows import PAYMENT_TABLES
from oms_app.demo.return_history import RETURN_TABLES, ReturnHistory
from oms_app.demo.shipment_history import SHIPMENT_TABLES, write_shipments
from oms_app.demo.warehouse_floor import open_warehouse_floor
from oms_app.ledger.books import ensure_chart

Progress = Callable[[str, int, int], None]
CHUNK_ORDERS = 20_000
SEEDED_TABLES = (
    "warehouses",
    "bin_locations",
    "categories",
    "products",
    "price_lists",
    "price_list_items",
    "customers",
    "customer_contacts",
    "customer_addresses",
    "orders",
    "order_lines",
    "order_events",
    "stock_movements",
    *PAYMENT_TABLES,
    *RETURN_TABLES,
    *LEDGER_TABLES,
)
# Loaded with their indexes and foreign keys dropped, rebuilt once at the end.
HISTORY_TABLES = SEEDED_TABLES[SEEDED_TABLES.index("orders") :]


def seed_demo(
    engine: sa.Engine,
    *,
    orders: int = 20_000,
    seed: int = 42,
    progress: Progress | None = None,
    today: date | None = None,
) -> dict[str, int]:
    """Seed the demo data into an empty database; return the rows written per table."""
    ensure_chart(UnitOfWork(lambda: Session(engine)))  # the journal lines' accounts
    raw = engine.raw_connection()
    try:
        with raw.driver_connection.cursor() as cursor:
            counts = _seed(
                cursor,
                orders=orders,
                rng=random.Random(seed),
                today=today or datetime.now(SHANGHAI).date() - timedelta(days=1),
                progress=progress or _quiet,
            )
        raw.commit()
    except BaseException:
        raw.rollback()
        raise
    finally:
        raw.close()
    # Fresh statistics, so the first queries plan well, and a visibility map, so the covering
    # indexes (stock balances) answer by index-only scans. VACUUM cannot run in a transaction.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(f"VACUUM (ANALYZE) {', '.join(SEEDED_TABLES)}")
    open_warehouse_floor(engine)
    # the floor added its shipments to the history's and swapped order reservations for theirs
    with engine.connect() as connection:
        for table in (*SHIPMENT_TABLES, "stock_movements"):
            counts[table] = connection.scalar(sa.text(f"SELECT count(*) FROM {table}"))
    return counts


def _seed(
    cursor: psycopg.Cursor[Any], *, orders: int, rng: random.Random, today: date, progress: Progress
) -> dict[str, int]:
    _refuse_if_seeded(cursor)
    last_ids = get_last_ids(cursor, SEEDED_TABLES)
    plan = plan_daily_orders(rng, today=today, orders=orders)
    opened = plan[0][0]
    master = build_master_data(rng, last_ids=last_ids, opened=opened)
    counts = dict.fromkeys(SEEDED_TABLES, 0)
    _load(cursor, master.tables, counts)
    progress("master_data", 1, 1)
    builder = OrderHistoryBuilder(rng, master, last_ids=last_ids, today=today)
    with indexes_deferred(cursor, HISTORY_TABLES):
        _load_history(cursor, builder, plan, counts, progress)
        counts.update(write_shipments(cursor, last_ids=last_ids))
        counts.update(write_approvals(cursor, last_ids=last_ids))
        _load(cursor, [builder.opening_receipts(opened)], counts)
        progress("stock", 1, 1)
        returns = ReturnHistory(rng, last_ids=last_ids, horizon=builder.horizon)
        _load(cursor, returns.build(cursor), counts)
        _count_return_numbers(cursor, returns.counters())
        progress("returns", 1, 1)
        journal, periods = build_journal(cursor, last_ids=last_ids)
        _load(cursor, journal, counts)
        counts["accounting_periods"] = open_periods(cursor, periods)
    progress("books", 1, 1)
    reset_sequences(cursor, SEEDED_TABLES)
    return counts


def _load_history(
    cursor: psycopg.Cursor[Any],
    builder: OrderHistoryBuilder,
    plan: Sequence[tuple[date, int]],
    counts: dict[str, int],
    progress: Progress,
) -> None:
    total, done = sum(n for _, n in plan), 0
    for chunk in _chunks(plan, CHUNK_ORDERS):
        _load(cursor, builder.build_chunk(chunk), counts)
        done += sum(n for _, n in chunk)
        progress("orders", done, total)


def _count_return_numbers(cursor: psycopg.Cursor[Any], counters: list[tuple[int, int]]) -> None:
    """The return numbers issued per year, so the app's next return follows them."""
    for year, last in counters:
        cursor.execute(
            "INSERT INTO return_number_counters (year, last) VALUES (%s, %s) "
            "ON CONFLICT (year) DO UPDATE SET last = GREATEST(return_number_counters.last, %s)",
            (year, last, last),
        )


def _refuse_if_seeded(cursor: psycopg.Cursor[Any]) -> None:
    # The lock makes a second seeding started at the same time wait, then see the first one.
    cursor.execute("LOCK TABLE customers IN SHARE ROW EXCLUSIVE MODE")
    cursor.execute("SELECT EXISTS (SELECT 1 FROM customers)")
    if cursor.fetchone()[0]:
        raise RuntimeError("database already has demo data")


def _load(
    cursor: psycopg.Cursor[Any], batches: Sequence[TableRows], counts: dict[str, int]
) -> None:
    for batch in batches:
        counts[batch.table] += copy_rows(cursor, batch)


def _chunks(plan: Sequence[tuple[date, int]], size: int) -> Iterator[list[tuple[date, int]]]:
    """Consecutive days holding about `size` orders each."""
    chunk: list[tuple[date, int]] = []
    in_chunk = 0
    for day, orders in plan:
        chunk.append((day, orders))
        in_chunk += orders
        if in_chunk >= size:
            yield chunk
            chunk, in_chunk = [], 0
    if chunk:
        yield chunk


def _quiet(stage: str, done: int, total: int) -> None:
    pass
