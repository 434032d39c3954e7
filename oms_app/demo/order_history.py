"""Demo orders with their lines, history, stock movements and payments (see payment_history),
built one chunk of days at a time.

A line's `line_total` is quantity x unit price; its discount (discount_pct of that) goes into
the order's `discount_total`, so grand_total = subtotal - discount_total + tax_total +
shipping_fee, with 13% VAT on the net.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import accumulate, count
from random import Random

from oms_app.demo.catalogue import (
    CANCEL_REASONS,
    CARRIERS,
    HOLD_REASONS,
    ORDER_NOTES,
    REJECT_REASONS,
)
from oms_app.demo.customer_book import CustomerInfo
from oms_app.demo.demand import Step, order_seconds, pick, pick_status, pick_steps
from oms_app.demo.loading import TableRows, local_to_utc
from oms_app.demo.master_data import KEY_ACCOUNT_TIER, MasterData, ProductInfo
from oms_app.demo.payment_history import PaymentHistory
from oms_app.demo.payment_rows import OrderFacts, PaymentRows

ACTOR_NAME = "demo"
CENT, ZERO = Decimal("0.01"), Decimal("0.00")
VAT_RATE = Decimal("0.13")
CHANNELS, CHANNEL_CUM = ("sales", "portal", "api", "shop"), (45, 75, 90, 100)
LINE_COUNTS, LINE_CUM = (1, 2, 3, 4, 5, 6), tuple(accumulate((30, 25, 18, 12, 9, 6)))
HOME_WAREHOUSE_SHARE = 0.85  # the rest ships from whichever warehouse had the stock
# Packs per line: cheap loose items go by the dozen, tools and cased goods a few at a time.
PACKS_BY_PRICE = (
    (Decimal(200), (1, 1, 1, 2, 2, 3, 5)),
    (Decimal(20), (1, 2, 2, 3, 5, 8, 10, 20)),
    (ZERO, (1, 2, 3, 5, 10, 15, 20, 30, 50)),
)
CASED_PACK, CASED_PACKS = 6, (1, 1, 2, 2, 3, 4, 5, 8, 10)
DISCOUNT_PCT = {
    tier: tuple(Decimal(p).quantize(CENT) for p in pcts)
    for tier, pcts in (
        ("A", (0, 0, 2, 3, 5)),
        ("B", (0, 0, 0, 2, 3)),
        ("C", (0, 0, 0, 0, 2)),
        ("D", (0,)),
    )
}
FREIGHT_FROM, FREIGHT_RATE, MIN_FREIGHT = Decimal(20000), Decimal("0.008"), Decimal("80.00")
FREE_EXPRESS_FROM = Decimal(1000)
EXPRESS_FEES = tuple(Decimal(f).quantize(CENT) for f in (12, 15, 18, 22))
RESERVED_STATUSES = frozenset(("allocated", "picking", "packed"))
ISSUED_STATUSES = frozenset(("shipped", "delivered", "completed"))
# Seconds between an order's previous transition and this one: (at least, plus up to).
GAP_SECONDS = {
    "submit": (60, 5340),
    "approve": (600, 21000),
    "reject": (1800, 84600),
    "allocate": (30, 1770),
    "start_picking": (1800, 41400),
    "pack": (1200, 9600),
    "ship": (3600, 25200),
    "deliver": (43200, 302400),
    "complete": (259200, 2332800),
    "hold": (3600, 169200),
    "cancel": (3600, 255600),
}
ONLINE_SUBMIT_SECONDS = (5, 115)  # portal, api and shop orders are submitted as entered
REASONS = {"reject": REJECT_REASONS, "cancel": CANCEL_REASONS, "hold": HOLD_REASONS}
PARAMETRISED = frozenset(("allocate", "ship"))

ORDER_COLUMNS = (
    "id",
    "number",
    "customer_id",
    "status",
    "channel",
    "currency",
    "warehouse_id",
    "ship_province",
    "ship_city",
    "ship_district",
    "ship_street",
    "ship_receiver",
    "ship_phone",
    "delivery_method",
    "subtotal",
    "discount_total",
    "tax_total",
    "shipping_fee",
    "grand_total",
    "cost_total",
    "notes",
    "created_by",
    "created_at",
    "updated_at",
    "version",
    "payment_status",
)
LINE_COLUMNS = (
    "id",
    "order_id",
    "line_no",
    "product_id",
    "sku",
    "name",
    "unit",
    "quantity",
    "unit_price",
    "discount_pct",
    "line_total",
    "unit_cost",
)
EVENT_COLUMNS = (
    "id",
    "order_id",
    "from_status",
    "to_status",
    "action",
    "actor_id",
    "actor_name",
    "reason",
    "params",
    "at",
)
EVENT_TYPES = (
    "int4",
    "int4",
    "text",
    "text",
    "text",
    "int4",
    "text",
    "text",
    "text",
    "timestamptz",
)  # params is JSON text; binary json is the text itself
MOVEMENT_COLUMNS = (
    "id",
    "product_id",
    "warehouse_id",
    "bin_id",
    "kind",
    "on_hand_delta",
    "reserved_delta",
    "ref_type",
    "ref_id",
    "actor_id",
    "at",
)
MOVEMENT_TYPES = (
    "int4",
    "int4",
    "int4",
    "int4",
    "text",
    "int4",
    "int4",
    "text",
    "text",
    "int4",
    "timestamptz",
)


@dataclass
class _ChunkRows:
    orders: list[tuple] = field(default_factory=list)
    lines: list[tuple] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)
    movements: list[tuple] = field(default_factory=list)
    payments: PaymentRows = field(default_factory=PaymentRows)

    def tables(self) -> list[TableRows]:
        return [
            TableRows("orders", ORDER_COLUMNS, self.orders),
            TableRows("order_lines", LINE_COLUMNS, self.lines),
            TableRows("order_events", EVENT_COLUMNS, self.events, EVENT_TYPES),
            TableRows("stock_movements", MOVEMENT_COLUMNS, self.movements, MOVEMENT_TYPES),
            *self.payments.tables(),
        ]


class OrderHistoryBuilder:
    """Builds orders day by day, numbering rows after the ids already in the database."""

    def __init__(self, rng: Random, master: MasterData, *, last_ids: dict[str, int], today: date):
        self.rng, self.master, self.today = rng, master, today
        self.horizon = local_to_utc(today, 21 * 3600)  # nothing happens after this evening
        # payments draw from their own stream, so they do not reshuffle the orders
        self.payments = PaymentHistory(
            Random(rng.getrandbits(64)), last_ids=last_ids, horizon=self.horizon
        )
        receipts = len(master.products) * len(master.warehouses)
        self.first_receipt_id = last_ids["stock_movements"] + 1
        self.ids = {
            "orders": count(last_ids["orders"] + 1),
            "order_lines": count(last_ids["order_lines"] + 1),
            "order_events": count(last_ids["order_events"] + 1),
            "stock_movements": count(self.first_receipt_id + receipts),
        }
        self.numbers: dict[int, int] = {}  # year -> last order number in it
        self.demand: dict[tuple[int, int], int] = {}  # (product, warehouse) -> reserved + issued
        self.customer_cum = list(accumulate(c.weight for c in master.customers))
        popularity = list(range(1, len(master.products) + 1))
        rng.shuffle(popularity)  # a few best sellers, a long tail
        self.product_cum = list(accumulate(rank**-0.9 for rank in popularity))
        self.warehouse_ids = list(master.warehouses)
        self.packs = {
            p.id: CASED_PACKS
            if p.pack >= CASED_PACK
            else next(packs for floor, packs in PACKS_BY_PRICE if p.list_price >= floor)
            for p in master.products
        }

    def build_chunk(self, days: Sequence[tuple[date, int]]) -> list[TableRows]:
        """The rows of every order entered on these days, oldest first."""
        out = _ChunkRows()
        for day, orders in days:
            age = (self.today - day).days
            for seconds in order_seconds(self.rng, orders):
                self._add_order(out, day, local_to_utc(day, seconds), age)
        return out.tables()

    def _add_order(self, out: _ChunkRows, day: date, created: datetime, age: int) -> None:
        rng = self.rng
        oid = next(self.ids["orders"])
        customer = pick(rng, self.master.customers, self.customer_cum)
        status = pick_status(rng, age)
        channel = pick(rng, CHANNELS, CHANNEL_CUM)
        warehouse = self._warehouse_for(customer)
        lines, (subtotal, discount, cost) = self._add_lines(out, oid, customer.tier)
        net = subtotal - discount
        tax = (net * VAT_RATE).quantize(CENT, ROUND_HALF_UP)
        method, fee = self._delivery(net)
        steps = pick_steps(rng, status)
        times = self._add_history(out, oid, created, steps, channel, warehouse)
        self._add_movements(out, oid, status, warehouse, lines, times)
        self.numbers[day.year] = number = self.numbers.get(day.year, 0) + 1
        notes = rng.choice(ORDER_NOTES) if rng.random() < 0.08 else ""
        order_number, total = f"SO-{day.year}-{number:06d}", net + tax + fee
        facts = OrderFacts(oid, order_number, customer, status, method, total, times, age)
        out.orders.append(
            (
                oid,
                order_number,
                customer.id,
                status,
                channel,
                "CNY",
                warehouse,
                *customer.ship_to,
                method,
                subtotal,
                discount,
                tax,
                fee,
                total,
                cost,
                notes,
                None,
                created,
                times[steps[-1][0]] if steps else created,
                len(steps) + 1,
                self.payments.add(out.payments, facts),
            )
        )

    def _warehouse_for(self, customer: CustomerInfo) -> int:
        if self.rng.random() < HOME_WAREHOUSE_SHARE:
            return customer.warehouse_id
        return self.rng.choice(self.warehouse_ids)

    def _add_lines(
        self, out: _ChunkRows, oid: int, tier: str
    ) -> tuple[list[tuple[ProductInfo, int]], tuple[Decimal, Decimal, Decimal]]:
        """Add 1-6 lines of distinct products; return them with subtotal, discount and cost."""
        rng, products, line_ids = self.rng, self.master.products, self.ids["order_lines"]
        wanted = pick(rng, LINE_COUNTS, LINE_CUM)
        picked: dict[int, ProductInfo] = {}
        while len(picked) < wanted:
            product = pick(rng, products, self.product_cum)
            picked.setdefault(product.id, product)
        key_account, pcts = tier == KEY_ACCOUNT_TIER, DISCOUNT_PCT[tier]
        lines, subtotal, discount, cost = [], ZERO, ZERO, ZERO
        for line_no, product in enumerate(picked.values(), 1):
            packs = rng.choice(self.packs[product.id])
            if key_account and rng.random() < 0.5:
                packs *= 2
            quantity = max(product.moq, product.pack * packs)
            price = product.key_account_price if key_account else product.list_price
            pct = rng.choice(pcts)
            total = price * quantity
            if pct:
                discount += (total * pct / 100).quantize(CENT, ROUND_HALF_UP)
            subtotal += total
            cost += product.cost * quantity
            lines.append((product, quantity))
            out.lines.append(
                (
                    next(line_ids),
                    oid,
                    line_no,
                    product.id,
                    product.sku,
                    product.name_zh,
                    product.unit,
                    quantity,
                    price,
                    pct,
                    total,
                    product.cost,
                )
            )
        return lines, (subtotal, discount, cost)

    def _delivery(self, net: Decimal) -> tuple[str, Decimal]:
        """Big orders go by freight, a few are picked up, the rest by express (free from 1000)."""
        rng = self.rng
        if net >= FREIGHT_FROM and rng.random() < 0.8:
            return "freight", max(MIN_FREIGHT, (net * FREIGHT_RATE).quantize(CENT))
        if rng.random() < 0.08:
            return "pickup", ZERO
        return "express", ZERO if net >= FREE_EXPRESS_FROM else rng.choice(EXPRESS_FEES)

    def _add_history(
        self,
        out: _ChunkRows,
        oid: int,
        created: datetime,
        steps: tuple[Step, ...],
        channel: str,
        warehouse: int,
    ) -> dict[str, datetime]:
        """Add one history row per transition; return when each action happened."""
        times = self._timeline(created, steps, online=channel != "sales")
        event_ids = self.ids["order_events"]
        for (action, source, target), at in zip(steps, times, strict=True):
            extra = action in REASONS or action in PARAMETRISED
            out.events.append(
                (
                    next(event_ids),
                    oid,
                    source,
                    target,
                    action,
                    None,
                    ACTOR_NAME,
                    self._reason(action) if extra else "",
                    self._params(action, warehouse) if extra else "{}",
                    at,
                )
            )
        return {step[0]: at for step, at in zip(steps, times, strict=True)}

    def _timeline(
        self, created: datetime, steps: tuple[Step, ...], *, online: bool
    ) -> list[datetime]:
        """Increasing times for the steps, squeezed so the last is before the horizon."""
        random = self.rng.random
        gaps = [
            low + int(random() * spread)
            for low, spread in (
                ONLINE_SUBMIT_SECONDS if online and action == "submit" else GAP_SECONDS[action]
                for action, _, _ in steps
            )
        ]
        # Less a second per step: a squeezed gap is still at least one second.
        room = int((self.horizon - created).total_seconds()) - len(gaps)
        needed = sum(gaps)
        if needed > room:
            gaps = [max(1, gap * room // needed) for gap in gaps]
        moments, at = [], created
        for gap in gaps:
            at += timedelta(seconds=gap)
            moments.append(at)
        return moments

    def _reason(self, action: str) -> str:
        return self.rng.choice(REASONS[action]) if action in REASONS else ""

    def _params(self, action: str, warehouse: int) -> str:
        if action == "allocate":
            return f'{{"warehouse": "{self.master.warehouses[warehouse]}"}}'
        if action == "ship":
            carrier = self.rng.choice(CARRIERS)
            tracking = f"{carrier}{self.rng.randrange(10**11, 10**12)}"
            return f'{{"carrier": "{carrier}", "tracking_no": "{tracking}"}}'
        return "{}"

    def _add_movements(
        self,
        out: _ChunkRows,
        oid: int,
        status: str,
        warehouse: int,
        lines: list[tuple[ProductInfo, int]],
        times: dict[str, datetime],
    ) -> None:
        """Reserve stock for orders being prepared; issue it for orders that left."""
        if status in RESERVED_STATUSES:
            kind, at, on_hand, reserved = "reserve", times["allocate"], 0, 1
        elif status in ISSUED_STATUSES:
            kind, at, on_hand, reserved = "issue", times["ship"], -1, 0
        else:
            return
        movement_ids, ref = self.ids["stock_movements"], str(oid)
        for product, quantity in lines:
            out.movements.append(
                (
                    next(movement_ids),
                    product.id,
                    warehouse,
                    product.bins[warehouse],
                    kind,
                    on_hand * quantity,
                    reserved * quantity,
                    "order",
                    ref,
                    None,
                    at,
                )
            )
            key = (product.id, warehouse)
            self.demand[key] = self.demand.get(key, 0) + quantity

    def opening_receipts(self, opened: date) -> TableRows:
        """One opening receipt per product and warehouse, enough for the whole history."""
        rng, at = self.rng, local_to_utc(opened - timedelta(days=1), 9 * 3600)
        rows, rid = [], self.first_receipt_id
        for product in self.master.products:
            for warehouse, code in self.master.warehouses.items():
                needed = self.demand.get((product.id, warehouse), 0)
                spare = product.pack * rng.randint(20, 200) + needed // rng.randint(6, 20)
                rows.append(
                    (
                        rid,
                        product.id,
                        warehouse,
                        product.bins[warehouse],
                        "receipt",
                        needed + spare,
                        0,
                        "opening",
                        f"OB-{code}",
                        None,
                        at,
                    )
                )
                rid += 1
        return TableRows("stock_movements", MOVEMENT_COLUMNS, rows, MOVEMENT_TYPES)
