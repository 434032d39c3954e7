"""The demo data generator on a real PostgreSQL database made for this module."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from oms_app.accounts import service as accounts_service
from oms_app.analytics import rollups
from oms_app.analytics.kpis import compute_kpis
from oms_app.core.db import UnitOfWork
from oms_app.core.migrate import upgrade_to_head
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.demo.demand import plan_daily_orders
from oms_app.demo.ledger_history import demo_shipment_key
from oms_app.demo.seed import SEEDED_TABLES, seed_demo
from oms_app.demo.users import ORDER_TAKERS, attribute_history_orders, create_demo_users
from oms_app.ledger import service as ledger_service
from oms_app.ledger import statements
from oms_app.ledger.facts import GoodsReceivedFacts, PaymentFacts, ShipmentFacts
from oms_app.orders.status import ORDER_TRANSITIONS
from oms_app.payments.rules import order_payment_status
from oms_app.payments.status import PAYMENT_TRANSITIONS, PaymentAction, PaymentStatus
from oms_app.returns.queries import customer_return_rate
from oms_app.returns.service import next_return_number
from oms_app.returns.status import RETURN_TRANSITIONS, ReturnAction, ReturnStatus
from tests import infra

ORDERS = 500
TODAY = date(2025, 11, 20)
SCHEMA_SQL = """
    SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'
    UNION ALL
    SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    ORDER BY 1"""


@dataclass
class Seeded:
    engine: sa.Engine
    counts: dict[str, int]
    progress: list[tuple[str, int, int]]
    schema_before: list[str]
    accounts_before: tuple[int, int]


@contextmanager
def fresh_database() -> Iterator[sa.Engine]:
    """A new, migrated database, dropped afterwards."""
    admin_url = infra.admin_database_url()  # the run's server: real or embedded
    url = infra.create_database(admin_url)
    engine = sa.create_engine(url)
    try:
        upgrade_to_head(url)
        yield engine
    finally:
        engine.dispose()
        infra.drop_database(admin_url, url)


@pytest.fixture(scope="module")
def seeded() -> Iterator[Seeded]:
    with fresh_database() as engine:
        schema_before, accounts_before = column(engine, SCHEMA_SQL), count_accounts(engine)
        calls: list[tuple[str, int, int]] = []
        counts = seed_demo(
            engine, orders=ORDERS, seed=42, today=TODAY, progress=lambda *call: calls.append(call)
        )
        yield Seeded(engine, counts, calls, schema_before, accounts_before)


def scalar(engine: sa.Engine, query: str) -> object:
    with engine.connect() as connection:
        return connection.exec_driver_sql(query).scalar_one()


def column(engine: sa.Engine, query: str) -> list:
    with engine.connect() as connection:
        return list(connection.exec_driver_sql(query).scalars())


def rows(engine: sa.Engine, query: str) -> list[sa.Row]:
    with engine.connect() as connection:
        return list(connection.exec_driver_sql(query).all())


def fingerprint(engine: sa.Engine) -> dict[str, str]:
    """An md5 of every seeded table's rows in id order (the bulk-loaded rows: the shipments
    placed on the warehouse floor afterwards are stamped with the time of seeding)."""
    query = "SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM {} t"
    floor = " WHERE ref_type <> 'shipment'"
    return {
        table: scalar(engine, query.format(table) + (floor if table == "stock_movements" else ""))
        for table in SEEDED_TABLES
    }


def count_accounts(engine: sa.Engine) -> tuple[int, int]:
    """How many users and roles there are."""
    return tuple(scalar(engine, f"SELECT count(*) FROM {table}") for table in ("users", "roles"))


def test_seeding_500_orders_creates_the_demo_company_around_them(seeded: Seeded):
    # given a database seeded with 500 orders (fixture), when we count the master data
    engine = seeded.engine
    # then
    assert scalar(engine, "SELECT count(*) FROM products") == 300
    assert scalar(engine, "SELECT count(DISTINCT category_id) FROM products") == 8
    assert scalar(engine, "SELECT count(*) FROM categories") == 8
    assert 180 <= scalar(engine, "SELECT count(*) FROM customers") <= 220
    assert (
        scalar(
            engine,
            """SELECT count(*) FROM customers c WHERE (SELECT count(*)
        FROM customer_addresses a WHERE a.customer_id = c.id AND a.is_default) <> 1""",
        )
        == 0
    )
    assert (
        scalar(
            engine,
            """SELECT count(*) FROM customers c WHERE (SELECT count(*)
        FROM customer_contacts k WHERE k.customer_id = c.id) NOT BETWEEN 1 AND 3""",
        )
        == 0
    )
    assert column(engine, "SELECT code FROM warehouses ORDER BY id") == ["SH", "GZ", "CD"]
    # storage bins; packing-area bins (zone PACK) appear when packed orders are placed
    assert scalar(engine, "SELECT count(*) FROM bin_locations WHERE zone <> 'PACK'") == 120
    assert scalar(engine, "SELECT count(*) FROM price_list_items") == 600
    assert scalar(engine, "SELECT count(*) FROM orders") == ORDERS
    # and C00001, the firm the demo customer log-in buys for, is a Shanghai key account
    assert tuple(
        rows(engine, "SELECT name, tier, city FROM customers WHERE code = 'C00001'")[0]
    ) == ("上海华东贸易有限公司", "A", "上海市")


def test_products_have_sane_prices_and_valid_ean13_barcodes(seeded: Seeded):
    # given the seeded catalogue, when we read prices and barcodes
    products = rows(
        seeded.engine, "SELECT list_price, standard_cost, moq, pack_size, barcode FROM products"
    )
    # then cost is 55-80% of the price, the MOQ is whole packs and each barcode checks out
    cent = Decimal("0.01")
    for price, cost, moq, pack, barcode in products:
        assert price * Decimal("0.55") - cent <= cost <= price * Decimal("0.80") + cent
        assert moq % pack == 0
        digits = [int(d) for d in barcode]
        assert len(digits) == 13
        assert sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10 == 0


def test_every_order_total_adds_up_from_its_lines(seeded: Seeded):
    # given the seeded orders, when we recompute each total from its lines
    mismatches = scalar(
        seeded.engine,
        """
        WITH l AS (
            SELECT order_id, sum(line_total) AS lines,
                   sum(round(line_total * discount_pct / 100, 2)) AS discount,
                   sum(unit_cost * quantity) AS cost,
                   bool_and(line_total = unit_price * quantity) AS lines_ok
            FROM order_lines GROUP BY order_id)
        SELECT count(*) FROM orders o LEFT JOIN l ON l.order_id = o.id
        WHERE l.order_id IS NULL OR NOT l.lines_ok OR o.subtotal <> l.lines
           OR o.discount_total <> l.discount OR o.cost_total <> l.cost
           OR o.tax_total <> round((o.subtotal - o.discount_total) * 0.13, 2)
           OR o.grand_total <> l.lines - o.discount_total + o.tax_total + o.shipping_fee""",
    )
    # then every one matches
    assert mismatches == 0


def test_no_stock_level_goes_negative_and_reservations_fit_on_hand(seeded: Seeded):
    # given the seeded stock movements, when we sum them per product and warehouse over time
    bad = scalar(
        seeded.engine,
        """
        WITH running AS (
            SELECT product_id, warehouse_id,
                   sum(on_hand_delta) OVER w AS on_hand, sum(reserved_delta) OVER w AS reserved
            FROM stock_movements
            WINDOW w AS (PARTITION BY product_id, warehouse_id ORDER BY at, id))
        SELECT count(*) FROM running WHERE on_hand < 0 OR reserved < 0 OR reserved > on_hand""",
    )
    # then no level is ever negative and reserved never exceeds on-hand
    assert bad == 0
    assert (
        scalar(
            seeded.engine,
            "SELECT count(DISTINCT (product_id, warehouse_id)) "
            "FROM stock_movements WHERE kind = 'receipt'",
        )
        == 900
    )
    assert (
        scalar(
            seeded.engine,
            """SELECT count(*) FROM stock_movements m JOIN orders o
        ON o.id::text = m.ref_id AND m.ref_type = 'order'
        WHERE (m.kind = 'reserve') <> (o.status IN ('allocated', 'picking', 'packed'))""",
        )
        == 0
    )


def test_each_order_history_is_legal_and_ends_in_its_status(seeded: Seeded):
    # given the seeded history, when we walk each order's events in order
    events = rows(
        seeded.engine,
        "SELECT order_id, from_status, action, to_status, at "
        "FROM order_events ORDER BY order_id, id",
    )
    statuses = dict(rows(seeded.engine, "SELECT id, status FROM orders"))
    walked: dict[int, tuple[str, object]] = {}
    for order_id, source, action, target, at in events:
        current, last_at = walked.get(order_id, ("draft", None))
        # then each step starts where the last ended, later, and is in the transition table
        assert source == current and (last_at is None or at > last_at)
        assert ORDER_TRANSITIONS[(source, action)] == target
        walked[order_id] = (target, at)
    # and the last step ends in the order's status (drafts have no history)
    assert {oid: s for oid, (s, _) in walked.items()} == {
        oid: s for oid, s in statuses.items() if s != "draft"
    }


def test_history_spans_two_years_up_to_today_and_old_orders_are_closed(seeded: Seeded):
    # given orders seeded with a fixed today, when we look at their dates and statuses
    engine = seeded.engine
    local = "(created_at AT TIME ZONE 'Asia/Shanghai')"
    first, last = (scalar(engine, f"SELECT {f}({local})::date FROM orders") for f in ("min", "max"))
    # then
    assert TODAY - timedelta(days=730) < first < TODAY - timedelta(days=700)
    assert last == TODAY
    assert scalar(engine, f"SELECT min(extract(hour FROM {local})) FROM orders") >= 8
    old_statuses = column(
        engine,
        f"""SELECT DISTINCT status FROM orders
        WHERE {local} < '{TODAY - timedelta(days=60)}'""",
    )
    assert set(old_statuses) <= {"completed", "cancelled", "rejected"}
    assert scalar(engine, "SELECT max(at) FROM order_events") <= scalar(
        engine, f"SELECT ('{TODAY} 21:00'::timestamp AT TIME ZONE 'Asia/Shanghai')"
    )


def test_the_daily_plan_peaks_at_double_eleven_and_dips_at_the_spring_festival():
    # given a plan of 100,000 orders, when we compare days
    plan = dict(plan_daily_orders(random.Random(1), today=TODAY, orders=100_000))
    # then the two 11.11s are the busiest days and the Spring Festival is quiet
    assert sum(plan.values()) == 100_000
    assert set(sorted(plan, key=plan.get)[-2:]) == {date(2024, 11, 11), date(2025, 11, 11)}
    assert plan[date(2025, 1, 30)] < plan[date(2025, 1, 13)] / 5
    assert plan[date(2025, 3, 11)] > plan[date(2025, 3, 15)]  # a Tuesday beats a Saturday


def test_seeding_reports_progress_and_returns_the_row_counts(seeded: Seeded):
    # given the seeded database, when we compare the returned counts with the tables
    for table, rows in seeded.counts.items():
        # then each count is right
        assert scalar(seeded.engine, f"SELECT count(*) FROM {table}") == rows, table
    assert seeded.progress[0] == ("master_data", 1, 1)
    assert ("orders", ORDERS, ORDERS) in seeded.progress
    assert seeded.progress[-1][0] == "books"


def test_seeding_keeps_the_schema_and_moves_the_sequences_on(seeded: Seeded):
    # given the seeded database, when we read the schema and the id sequences
    engine = seeded.engine
    # then indexes and constraints are as migrated, and the next id follows the last
    assert column(engine, SCHEMA_SQL) == seeded.schema_before
    for table in SEEDED_TABLES:
        sequence = scalar(engine, f"SELECT pg_get_serial_sequence('{table}', 'id')")
        last_value = scalar(engine, f"SELECT last_value FROM {sequence}")
        # a table a small history leaves empty (no refunds among 500 orders) keeps its start
        assert last_value == scalar(engine, f"SELECT coalesce(max(id), 1) FROM {table}"), table


def test_seeding_creates_no_users_or_roles(seeded: Seeded):
    # given the counts before seeding (fixture), when we count again, then nothing was added
    assert count_accounts(seeded.engine) == seeded.accounts_before


def test_the_same_seed_gives_the_same_data(seeded: Seeded):
    # given a second database, when it is seeded with the same seed and day
    with fresh_database() as other:
        seed_demo(other, orders=ORDERS, seed=42, today=TODAY)
        # then every table holds the same rows
        assert fingerprint(other) == fingerprint(seeded.engine)


def test_seeding_twice_is_refused_and_changes_nothing(seeded: Seeded):
    # given a seeded database
    before = fingerprint(seeded.engine)
    # when it is seeded again
    with pytest.raises(RuntimeError, match="already has demo data"):
        seed_demo(seeded.engine, orders=10, seed=7, today=TODAY)
    # then nothing changed
    assert fingerprint(seeded.engine) == before


def test_every_order_that_left_is_paid_or_has_an_open_invoice(seeded: Seeded):
    # given the seeded orders that shipped, were delivered or completed
    # when we look for one neither paid nor covered by an unpaid invoice
    uncovered = scalar(
        seeded.engine,
        """SELECT count(*) FROM orders o
        WHERE o.status IN ('shipped', 'delivered', 'completed') AND o.payment_status <> 'paid'
          AND NOT EXISTS (
              SELECT 1 FROM invoices i WHERE i.order_id = o.id AND i.paid_at IS NULL)""",
    )
    # then there is none, and both kinds occur
    assert uncovered == 0
    assert scalar(seeded.engine, "SELECT count(*) FROM orders WHERE payment_status = 'paid'") > 0
    assert scalar(seeded.engine, "SELECT count(*) FROM invoices WHERE paid_at IS NULL") > 0


def test_each_order_payment_status_is_derived_from_its_payments(seeded: Seeded):
    # given every order and its payments
    payments: dict[int, list] = {}
    for order_id, status, amount, refunded in rows(
        seeded.engine, "SELECT order_id, status, amount, refunded_amount FROM payments"
    ):
        payments.setdefault(order_id, []).append((PaymentStatus(status), amount, refunded))
    orders = rows(seeded.engine, "SELECT id, grand_total, payment_status FROM orders")
    # when we derive each order's payment status with the payments area's rule
    derived = {oid: order_payment_status(total, payments.get(oid, [])) for oid, total, _ in orders}
    # then it is the stored one
    assert {oid: stored for oid, _, stored in orders} == derived
    assert {"paid", "unpaid"} <= set(derived.values())


def test_payments_never_claim_more_than_the_order_total_and_references_are_unique(
    seeded: Seeded,
):
    # given the seeded payments, when we add up what each order's payments claim
    engine = seeded.engine
    over = scalar(
        engine,
        """SELECT count(*) FROM orders o JOIN (
            SELECT order_id, sum(amount - refunded_amount) AS claimed FROM payments
            WHERE status <> 'cancelled' GROUP BY order_id) p ON p.order_id = o.id
        WHERE p.claimed > o.grand_total""",
    )
    # then no order is asked for more than its total
    assert over == 0
    # and no bank reference is recorded twice, and every bank receipt has one
    assert (
        scalar(
            engine,
            """SELECT count(*) FROM (SELECT reference FROM payments WHERE reference <> ''
        GROUP BY method, reference HAVING count(*) > 1) d""",
        )
        == 0
    )
    assert (
        scalar(
            engine,
            """SELECT count(*) FROM payments WHERE method = 'bank_transfer'
        AND status IN ('succeeded', 'refunded') AND reference !~ '^[A-Z]+-[0-9]{8}-[0-9]{6,}$'""",
        )
        == 0
    )
    # and invoices are numbered INV-<year>-<order id>
    assert (
        scalar(
            engine,
            "SELECT count(*) FROM invoices WHERE number <> 'INV-' "
            "|| extract(year FROM issued_at AT TIME ZONE 'Asia/Shanghai') || '-' "
            "|| lpad(order_id::text, 7, '0')",
        )
        == 0
    )


def test_each_payment_history_starts_with_create_and_is_legal(seeded: Seeded):
    # given the seeded payment history, when we walk each payment's events in order
    events = rows(
        seeded.engine,
        "SELECT payment_id, from_status, action, to_status, at FROM payment_events "
        "ORDER BY payment_id, id",
    )
    statuses = dict(rows(seeded.engine, "SELECT id, status FROM payments"))
    walked: dict[int, tuple[str, object]] = {}
    for payment_id, source, action, target, at in events:
        if payment_id not in walked:
            # then each history starts with its creation
            assert (source, action, target) == ("", "create", "pending"), payment_id
        else:
            current, last_at = walked[payment_id]
            # and each later step starts where the last ended, no earlier, by the machine's table
            assert source == current and at >= last_at
            assert PAYMENT_TRANSITIONS[(PaymentStatus(source), PaymentAction(action))] == target
        walked[payment_id] = (target, at)
    # and ends in the payment's status
    assert {pid: s for pid, (s, _) in walked.items()} == statuses


def test_payments_fit_in_their_order_timeline(seeded: Seeded):
    # given the seeded payments and the history's last moment
    engine = seeded.engine
    horizon = f"('{TODAY} 21:00'::timestamp AT TIME ZONE 'Asia/Shanghai')"
    approved = "(SELECT at FROM order_events e WHERE e.order_id = p.order_id AND action = '{}')"
    # then each payment was asked for after approval and nothing happened after the horizon
    assert (
        scalar(
            engine,
            f"SELECT count(*) FROM payments p WHERE p.created_at < {approved.format('approve')}",
        )
        == 0
    )
    assert scalar(engine, "SELECT max(at) FROM payment_events") <= scalar(
        engine, f"SELECT {horizon}"
    )
    # and prepaid customers paid before picking began, or in cash when the goods arrived
    early = f"""SELECT count(*) FROM payments p JOIN customers c ON c.id = p.customer_id
        WHERE c.payment_terms_days = 0 AND p.status = 'succeeded' AND p.succeeded_at > coalesce(
            {approved.format("start_picking")}, {horizon})"""
    assert scalar(engine, early + " AND p.method <> 'cod'") == 0
    assert (
        scalar(
            engine,
            f"SELECT count(*) FROM payments p WHERE method = 'cod' AND status = 'succeeded' "
            f"AND succeeded_at <> {approved.format('deliver')}",
        )
        == 0
    )


def test_credit_customers_are_invoiced_at_shipment_and_some_invoices_are_overdue(
    seeded: Seeded,
):
    # given the seeded invoices
    engine = seeded.engine
    # when we compare them with their orders and customers
    wrong = scalar(
        engine,
        """SELECT count(*) FROM invoices i
        JOIN orders o ON o.id = i.order_id JOIN customers c ON c.id = o.customer_id
        JOIN order_events e ON e.order_id = o.id AND e.action = 'ship'
        WHERE c.payment_terms_days = 0 OR i.terms_days <> c.payment_terms_days
           OR i.amount <> o.grand_total OR i.issued_at <> e.at
           OR i.due_date <> (e.at AT TIME ZONE 'Asia/Shanghai')::date + i.terms_days
           OR (i.paid_at IS NOT NULL) <> (o.payment_status = 'paid')""",
    )
    # then each is the order's total, issued when the goods left, due after the customer's terms
    assert wrong == 0
    # and some are overdue today, some were paid late
    assert (
        scalar(
            engine, f"SELECT count(*) FROM invoices WHERE paid_at IS NULL AND due_date < '{TODAY}'"
        )
        > 0
    )
    assert (
        scalar(
            engine,
            "SELECT count(*) FROM invoices "
            "WHERE (paid_at AT TIME ZONE 'Asia/Shanghai')::date > due_date",
        )
        > 0
    )


SHIPPED_SQL = "o.status IN ('shipped', 'delivered', 'completed')"
# Per received return: the revenue, VAT and cost it took back, apportioned from its order here
# in SQL (the order's net and VAT by the lines' net value; cost at the line's unit cost).
RETURNED_SQL = """
    SELECT r.order_id,
           round((o.subtotal - o.discount_total) * s.part, 2) AS revenue,
           round(o.tax_total * s.part, 2) AS vat,
           round(rl.quantity * ol.unit_cost, 2) AS cost
    FROM returns r
    JOIN return_lines rl ON rl.return_id = r.id
    JOIN order_lines ol ON ol.id = rl.order_line_id
    JOIN orders o ON o.id = r.order_id
    CROSS JOIN LATERAL (
        SELECT ol.line_total * (100 - ol.discount_pct) * rl.quantity / ol.quantity
               / sum(x.line_total * (100 - x.discount_pct)) AS part
        FROM order_lines x WHERE x.order_id = o.id) s
    WHERE r.received_at IS NOT NULL"""


def books(engine: sa.Engine) -> UnitOfWork:
    return UnitOfWork(lambda: Session(engine, expire_on_commit=False))


def test_the_seeded_books_balance_and_stock_is_never_valued_below_zero(seeded: Seeded):
    # given the seeded history, when finance reads the trial balance and the balance sheet
    uow = books(seeded.engine)
    trial = statements.trial_balance(uow, actor=SYSTEM_ACTOR, to=TODAY)
    sheet = statements.balance_sheet(uow, actor=SYSTEM_ACTOR, at=TODAY)
    # then the balances sum to zero and assets = liabilities + equity (current profit included)
    assert trial["balanced"] and trial["totals"]["balance"] == "0.00"
    assert trial["totals"]["debit"] == trial["totals"]["credit"] != "0.00"
    assert sheet["balanced"]
    assert sheet["assets"]["total"] == sheet["liabilities_and_equity"]
    # and the inventory, received at standard cost before the first order, never goes negative
    negative_days = scalar(
        seeded.engine,
        """SELECT count(*) FROM (
            SELECT sum(sum(l.debit - l.credit)) OVER (ORDER BY e.entry_date) AS stock
            FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
            WHERE l.account_code = '1405' GROUP BY e.entry_date) d WHERE stock < 0""",
    )
    assert negative_days == 0


def test_the_income_statement_shows_the_shipped_orders_net_revenue(seeded: Seeded):
    # given the net revenue and fees of the orders that left, computed from the orders
    engine = seeded.engine
    net, fees, cost = rows(
        engine,
        "SELECT sum(subtotal - discount_total), sum(shipping_fee), sum(cost_total) "
        f"FROM orders o WHERE {SHIPPED_SQL}",
    )[0]
    first_day = scalar(
        engine, "SELECT min(created_at AT TIME ZONE 'Asia/Shanghai')::date FROM orders"
    )
    # when finance reads the income statement over the whole history
    statement = statements.income_statement(
        books(engine), actor=SYSTEM_ACTOR, date_from=first_day - timedelta(days=1), date_to=TODAY
    )
    values = {line["key"]: line["values"]["current"] for line in statement["lines"]}
    # then revenue, the fees charged and the cost of the goods sold are the orders' own, less
    # what the returns received took back (the fee stays earned)
    returned_revenue, returned_cost = rows(
        engine, f"SELECT sum(revenue), sum(cost) FROM ({RETURNED_SQL}) r"
    )[0]
    assert returned_revenue > 0
    assert Decimal(values["main_revenue"]) == net - returned_revenue > 0
    assert Decimal(values["other_revenue"]) == fees
    assert Decimal(values["main_cost"]) == cost - returned_cost


def test_each_demo_shipment_payment_and_refund_is_posted_once_as_production_keys_it(
    seeded: Seeded,
):
    # given the seeded history, when we count its journal entries by source
    engine = seeded.engine
    posted = dict(
        rows(engine, "SELECT source_type, count(*) FROM journal_entries GROUP BY source_type")
    )
    # then one per shipped order, per payment that succeeded, per refund, and the opening stock
    assert posted.pop("shipment") == scalar(
        engine, f"SELECT count(*) FROM orders o WHERE {SHIPPED_SQL}"
    )
    assert posted.pop("payment") == scalar(
        engine, "SELECT count(*) FROM payments WHERE succeeded_at IS NOT NULL"
    )
    assert posted.pop("refund", 0) == scalar(engine, "SELECT count(*) FROM payment_refunds")
    assert posted.pop("return") == scalar(
        engine, "SELECT count(*) FROM returns WHERE received_at IS NOT NULL"
    )
    assert posted == {"goods_receipt": 1}
    # and numbered as the ledger numbers them, dated on the Shanghai day, in an open period
    wrong = scalar(
        engine,
        """SELECT count(*) FROM journal_entries e
        LEFT JOIN accounting_periods p ON p.period = e.period AND NOT p.closed
        WHERE e.number <> 'JE' || to_char(e.entry_date, 'YYYYMM') || '-' || lpad(e.id::text, 6, '0')
           OR e.entry_date <> (e.posted_at AT TIME ZONE 'Asia/Shanghai')::date
           OR e.period <> to_char(e.entry_date, 'YYYY-MM') OR p.period IS NULL
           OR e.amount <> (SELECT sum(debit) FROM journal_lines l WHERE l.entry_id = e.id)
           OR e.amount <> (SELECT sum(credit) FROM journal_lines l WHERE l.entry_id = e.id)""",
    )
    assert wrong == 0


def test_each_order_owes_what_it_shipped_less_what_it_paid_and_sent_back(seeded: Seeded):
    # given each demo order, when we compare its receivable and advance sub-ledger with what
    # shipped, what was paid (less refunds) by the payments table and what came back
    wrong = scalar(
        seeded.engine,
        f"""SELECT count(*) FROM orders o
        LEFT JOIN (SELECT order_id, sum(debit - credit) AS owed FROM journal_lines
                   WHERE account_code IN ('1122', '2203') GROUP BY order_id) b
          ON b.order_id = o.id
        LEFT JOIN (SELECT order_id, sum(amount - refunded_amount) AS paid FROM payments
                   WHERE succeeded_at IS NOT NULL GROUP BY order_id) p ON p.order_id = o.id
        LEFT JOIN (SELECT order_id, sum(revenue + vat) AS back FROM ({RETURNED_SQL}) x
                   GROUP BY order_id) r ON r.order_id = o.id
        WHERE coalesce(b.owed, 0)
              <> CASE WHEN {SHIPPED_SQL} THEN o.grand_total ELSE 0 END - coalesce(p.paid, 0)
                 - coalesce(r.back, 0)""",
    )
    # then they agree on every order
    assert wrong == 0


def test_a_production_posting_of_a_demo_source_is_recognised_as_already_posted(seeded: Seeded):
    # given a demo payment, a demo shipment and the opening stock, each posted by the seed
    engine = seeded.engine
    entries_before = scalar(engine, "SELECT count(*) FROM journal_entries")
    pid, oid, number, customer, method, amount, at = rows(
        engine,
        "SELECT id, order_id, order_number, customer_id, method, amount, succeeded_at "
        "FROM payments WHERE succeeded_at IS NOT NULL ORDER BY id LIMIT 1",
    )[0]
    shipped = rows(
        engine,
        "SELECT o.id, o.number, o.customer_id FROM orders o "
        f"WHERE {SHIPPED_SQL} ORDER BY id LIMIT 1",
    )[0]
    receipt_key = scalar(
        engine, "SELECT source_key FROM journal_entries WHERE source_type = 'goods_receipt'"
    )
    # when production posts them again, as the payments area, the warehouse and stock would
    payment_entry = ledger_service.post_payment(
        books(engine),
        facts=PaymentFacts(
            payment_id=pid,
            order_id=oid,
            order_number=number,
            customer_id=customer,
            method=method,
            amount=amount,
            received_at=at,
        ),  # fmt: skip
        actor=SYSTEM_ACTOR,
    )
    shipment_entry = ledger_service.post_shipment(
        books(engine),
        facts=ShipmentFacts(
            shipment_number=demo_shipment_key(shipped.number),
            order_id=shipped.id,
            order_number=shipped.number,
            customer_id=shipped.customer_id,
            shipped_at=at,
            revenue=Decimal("1.00"),
            vat=Decimal("0.13"),
        ),  # fmt: skip
        actor=SYSTEM_ACTOR,
    )
    receipt_entry = ledger_service.post_goods_received(
        books(engine),
        facts=GoodsReceivedFacts(receipt_key=receipt_key, received_at=at, cost=Decimal("9.00")),
        actor=SYSTEM_ACTOR,
    )
    # then each returns the demo's entry and nothing new is posted
    assert payment_entry == scalar(
        engine,
        f"SELECT id FROM journal_entries WHERE source_type = 'payment' AND source_key = '{pid}'",
    )
    assert shipment_entry == scalar(
        engine,
        "SELECT id FROM journal_entries WHERE source_type = 'shipment' "
        f"AND order_number = '{shipped.number}'",
    )
    assert receipt_entry is not None
    assert scalar(engine, "SELECT count(*) FROM journal_entries") == entries_before


def test_some_delivered_orders_came_back_through_the_returns_lifecycle(seeded: Seeded):
    engine = seeded.engine
    # given the seeded returns, when we walk each one's history in order
    events = rows(
        engine,
        "SELECT return_id, from_status, action, to_status, reason, at "
        "FROM return_events ORDER BY return_id, id",
    )
    walked: dict[int, tuple[str, object]] = {}
    for return_id, source, action, target, reason, at in events:
        current, last_at = walked.get(return_id, ("", None))
        # then each starts with the request, steps legally, later each time, with its reasons
        if action == "request":
            assert (source, current, target) == ("", "", ReturnStatus.REQUESTED) and reason
        else:
            assert source == current and at > last_at
            assert RETURN_TRANSITIONS[(ReturnStatus(source), ReturnAction(action))] == target
            assert bool(reason) == (action == ReturnAction.REJECT)
        walked[return_id] = (target, at)
    statuses = dict(rows(engine, "SELECT id, status FROM returns"))
    assert {rid: s for rid, (s, _) in walked.items()} == statuses
    assert {ReturnStatus.RECEIVED, ReturnStatus.CLOSED} & set(statuses.values())
    # and only goods that arrived come back, after they shipped, no more than were ordered
    wrong = scalar(
        engine,
        """SELECT count(*) FROM returns r JOIN orders o ON o.id = r.order_id
        JOIN return_lines l ON l.return_id = r.id JOIN order_lines ol ON ol.id = l.order_line_id
        JOIN order_events e ON e.order_id = o.id AND e.action = 'ship'
        WHERE o.status NOT IN ('delivered', 'completed') OR r.created_at <= e.at
           OR l.quantity NOT BETWEEN 1 AND ol.quantity OR ol.order_id <> r.order_id""",
    )
    assert wrong == 0
    # and each return received put exactly its goods back on the shelf, when it was received
    unstocked = scalar(
        engine,
        """SELECT count(*) FROM returns r JOIN return_lines l ON l.return_id = r.id
        LEFT JOIN stock_movements m ON m.ref_type = 'return' AND m.ref_id = r.number
        WHERE (r.received_at IS NULL) <> (m.id IS NULL)
           OR m.on_hand_delta <> l.quantity OR m.product_id <> l.product_id
           OR m.at <> r.received_at OR m.warehouse_id <> r.warehouse_id""",
    )
    assert unstocked == 0


def test_the_demo_return_rate_shows_and_the_apps_next_return_number_follows(seeded: Seeded):
    engine = seeded.engine
    # given the seeded year with its dashboard rollups built, as start-up builds them
    rollups.build_if_missing(books(engine))
    # when an executive reads its KPIs
    kpis = compute_kpis(
        books(engine), actor=SYSTEM_ACTOR, date_from=TODAY - timedelta(days=365), date_to=TODAY
    )
    # then the return rate is the value of the goods back over revenue: above zero, small
    assert 0 < Decimal(kpis["current"]["return_rate"]) < Decimal("0.05")
    # and the app's next return number continues the demo's numbers of that year
    year, issued = rows(
        engine,
        "SELECT extract(year FROM created_at)::int AS y, count(*) FROM returns "
        "GROUP BY y ORDER BY y DESC LIMIT 1",
    )[0]
    with Session(engine) as session:
        assert next_return_number(session, year=year) == f"RMA-{year}-{issued + 1:06d}"
        session.rollback()


def test_every_order_that_left_has_the_shipment_that_carried_it(seeded: Seeded):
    engine = seeded.engine
    # given the seeded orders that left the warehouse (a 'ship' event in their history)
    left = column(engine, "SELECT o.number FROM orders o WHERE " + SHIPPED_SQL + " ORDER BY 1")
    assert left
    # then each has exactly one shipment, numbered as its journal entry was posted
    shipments = rows(
        engine,
        "SELECT o.number, count(sh.id), min(sh.number), min(sh.status), "
        "bool_and(sh.shipped_at = e.at) FROM orders o "
        "JOIN order_events e ON e.order_id = o.id AND e.action = 'ship' "
        "LEFT JOIN shipments sh ON sh.order_id = o.id "
        f"WHERE {SHIPPED_SQL} GROUP BY o.number ORDER BY 1",
    )
    assert [row[0] for row in shipments] == left
    for number, count, shipment_number, status, shipped_on_time in shipments:
        assert (count, shipment_number) == (1, demo_shipment_key(number))
        assert status in ("shipped", "delivered") and shipped_on_time
    posted = set(
        column(engine, "SELECT source_key FROM journal_entries WHERE source_type = 'shipment'")
    )
    assert {demo_shipment_key(n) for n in left} <= posted
    # and it carried every line of its order in full, with its handover and signing recorded
    short = scalar(
        engine,
        """SELECT count(*) FROM order_lines l JOIN shipments sh ON sh.order_id = l.order_id
        LEFT JOIN shipment_lines sl ON sl.shipment_id = sh.id AND sl.order_line_id = l.id
        WHERE sh.number LIKE 'SHP-SO-%%' AND sl.quantity IS DISTINCT FROM l.quantity""",
    )
    assert short == 0
    unwalked = scalar(
        engine,
        """SELECT count(*) FROM shipments sh WHERE sh.number LIKE 'SHP-SO-%%' AND
        (SELECT string_agg(e.to_status, ',' ORDER BY e.at) FROM shipment_events e
         WHERE e.shipment_id = sh.id) <> CASE sh.status WHEN 'delivered'
         THEN 'shipped,delivered' ELSE 'shipped' END""",
    )
    assert unwalked == 0


def test_no_customer_returns_more_than_they_were_shipped(seeded: Seeded):
    # given the seeded history, when each customer's 12-month return rate is read as the order
    # page reads it
    engine = seeded.engine
    since = datetime.combine(TODAY - timedelta(days=365), time(), tzinfo=UTC)
    customers = column(engine, "SELECT DISTINCT customer_id FROM returns ORDER BY 1")
    rates = [customer_return_rate(books(engine), customer, since) for customer in customers]
    # then some customers have one, and none is above 100 %
    known = [rate for rate in rates if rate is not None]
    assert known and all(0 <= rate <= 1 for rate in known)


def test_the_demo_history_was_entered_by_the_demo_team():
    with fresh_database() as engine:
        seed_demo(engine, orders=200, seed=7, today=TODAY)
        accounts_service.sync_roles(books(engine))
        create_demo_users(books(engine))
        # when the history's orders are given to the reps who entered them
        entered = attribute_history_orders(books(engine))
        # then every order has a rep of the demo team, and the sales by rep show the team
        assert entered == scalar(engine, "SELECT count(*) FROM orders WHERE channel = 'sales'") > 0
        takers = dict(
            rows(
                engine,
                "SELECT u.username, count(*) FROM orders o JOIN users u ON u.id = o.created_by "
                "GROUP BY u.username",
            )
        )
        assert set(takers) == set(ORDER_TAKERS)
        # and each of their submissions is signed by the rep who entered it
        signed, unsigned = rows(
            engine,
            "SELECT count(*) FILTER (WHERE e.actor_id = o.created_by), "
            "count(*) FILTER (WHERE e.actor_id IS DISTINCT FROM o.created_by) "
            "FROM order_events e JOIN orders o ON o.id = e.order_id "
            "WHERE e.action = 'submit' AND o.channel = 'sales'",
        )[0]
        assert signed > 0 and unsigned == 0
        # and the approval decisions are signed by the manager (and finance for large orders)
        deciders = set(column(engine, "SELECT DISTINCT decided_by FROM approval_requests"))
        assert "manager" in deciders and deciders <= {"manager", "finance"}


def test_each_decided_order_was_decided_by_its_policy_levels(seeded: Seeded):
    engine = seeded.engine
    # given the seeded orders with a decision, then each decision has its levels: the manager,
    # and for a large order finance after them, the last level deciding as the order was decided
    wrong = scalar(
        engine,
        """SELECT count(*) FROM order_events e JOIN orders o ON o.id = e.order_id
        WHERE e.action IN ('approve', 'reject') AND (
            SELECT string_agg(r.role || ':' || r.status, ',' ORDER BY r.level_no)
            FROM approval_requests r JOIN approval_events a ON a.request_id = r.id
            WHERE r.order_id = o.id AND a.at <= e.at AND a.at >= e.at - interval '40 days'
              AND r.updated_at <= e.at
              AND r.round = (SELECT count(*) FROM order_events d WHERE d.order_id = o.id
                             AND d.action IN ('approve', 'reject') AND d.at <= e.at)
        ) IS DISTINCT FROM CASE
            WHEN o.grand_total >= 50000 AND e.action = 'approve'
                THEN 'sales_manager:approved,finance:approved'
            WHEN o.grand_total >= 50000 THEN 'sales_manager:approved,finance:rejected'
            WHEN e.action = 'approve' THEN 'sales_manager:approved'
            ELSE 'sales_manager:rejected' END""",
    )
    assert wrong == 0
    assert scalar(engine, "SELECT count(*) FROM approval_requests WHERE role = 'finance'") == (
        scalar(
            engine,
            "SELECT count(*) FROM order_events e JOIN orders o ON o.id = e.order_id "
            "WHERE e.action IN ('approve', 'reject') AND o.grand_total >= 50000",
        )
    )
    assert scalar(engine, "SELECT count(*) FROM approval_requests") > 0
