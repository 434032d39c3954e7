"""The stock ledger stays sound under any mix of warehouse work (hypothesis, real PostgreSQL).

After every step: no bin goes below zero or below what it has reserved; on hand is the sum of
the movements and equals receipts and counts less what shipped; reserved equals the units of
the shipments still in the warehouse.
"""

from __future__ import annotations

from collections import defaultdict

import pyotp
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oms_app.core.errors import DomainError, PermissionDenied
from oms_app.fulfillment import allocation, picking, shipping
from oms_app.fulfillment.models import PickTask, Shipment, ShipmentLine
from oms_app.fulfillment.status import IN_WAREHOUSE
from oms_app.inventory import ledger, warehouse_queries
from oms_app.inventory import service as inventory_service
from oms_app.inventory.models import StockMovement, Warehouse
from oms_app.orders import service as order_service
from oms_app.orders.models import Order
from oms_app.orders.rules import LineInput, OrderInput
from tests.factories.sales import FINANCE_SECRET, make_world

SKUS = {"OFF-0001": 2, "OFF-0002": 1}  # sku -> pack size (an order's quantity step)
CANCELLABLE = ("pending_approval", "allocated", "picking", "on_hold")

receive = st.tuples(
    st.just("receive"),
    st.sampled_from(["SH", "GZ"]),
    st.sampled_from(sorted(SKUS)),
    st.integers(1, 12),
)
approve = st.tuples(
    st.just("approve"), st.sampled_from(sorted(SKUS)), st.integers(1, 8), st.booleans()
)
pick = st.tuples(st.just("pick"), st.integers(0, 50))
short = st.tuples(st.just("short"), st.integers(0, 50), st.floats(0, 0.99))
ship = st.tuples(st.just("ship"), st.integers(0, 50))
cancel = st.tuples(st.just("cancel"), st.integers(0, 50))
serve = st.tuples(st.just("serve"))
operations = st.lists(
    st.one_of(receive, approve, approve, pick, short, ship, cancel, serve), min_size=3, max_size=14
)


OPENING_STOCK = 6


@pytest.fixture
def world(uow):
    """People, products and a Guangzhou warehouse, made once for all examples."""
    made = make_world(uow, stock=OPENING_STOCK)
    with uow:
        uow.session.add(Warehouse(code="GZ", name="广州仓", province="广东省", city="广州市"))
        uow.commit()
    return made


def reset_stock_and_orders(uow) -> None:
    """Each example starts with no orders and the opening stock in Shanghai's bins."""
    with uow:
        receipts = uow.session.execute(
            sa.select(StockMovement.product_id, StockMovement.warehouse_id, StockMovement.bin_id)
            .where(StockMovement.kind == "receipt", StockMovement.ref_type == "")
            .order_by(StockMovement.id)
        ).all()
        uow.session.execute(
            sa.text("TRUNCATE orders, waves, stock_movements RESTART IDENTITY CASCADE")
        )
        uow.session.add_all(
            StockMovement(
                product_id=p, warehouse_id=w, bin_id=b, kind="receipt", on_hand_delta=OPENING_STOCK
            )
            for p, w, b in receipts
        )
        uow.commit()


def do_receive(uow, world, warehouse: str, sku: str, more: int) -> None:
    rows = warehouse_queries.get_sku_stock(uow, actor=world.warehouse, sku=sku)["warehouses"]
    on_hand = next((r["on_hand"] for r in rows if r["warehouse"] == warehouse), 0)
    inventory_service.set_on_hand(
        uow, actor=world.warehouse, warehouse_code=warehouse, sku=sku, on_hand=on_hand + more
    )


def do_approve(uow, world, sku: str, packs: int, no_split: bool) -> None:
    number = order_service.create_order(
        uow,
        actor=world.rep,
        submit=True,
        cmd=OrderInput(
            customer_code=world.customer_code, lines=[LineInput(sku, packs * SKUS[sku])]
        ),
    )
    if no_split:
        with uow:
            uow.session.execute(
                sa.update(Order).where(Order.number == number).values(allow_split=False)
            )
            uow.commit()
    approve_every_level(uow, world, number)


def approve_every_level(uow, world, number: str) -> str:
    """Whoever's turn it is approves (a stock risk adds the warehouse's level)."""
    status = "pending_approval"
    for _ in range(4):
        for actor in (world.manager, world.warehouse, world.finance):
            try:
                status = order_service.approve_order(
                    uow, actor=actor, number=number, totp_code=pyotp.TOTP(FINANCE_SECRET).now()
                )
                break
            except PermissionDenied:
                continue
        if status != "pending_approval":
            break
    return status


def _open_tasks(uow) -> list[tuple[int, str, str, int]]:
    with uow:
        return uow.session.execute(
            sa.select(
                PickTask.id,
                PickTask.bin_code,
                ShipmentLine.sku,
                PickTask.quantity - PickTask.picked_qty,
            )
            .join(ShipmentLine, ShipmentLine.id == PickTask.shipment_line_id)
            .where(PickTask.state == "open")
            .order_by(PickTask.id)
        ).all()


def _orders(uow, statuses) -> list[str]:
    with uow:
        return list(
            uow.session.scalars(
                sa.select(Order.number).where(Order.status.in_(statuses)).order_by(Order.id)
            )
        )


def _shippable(uow) -> list[str]:
    with uow:
        return list(
            uow.session.scalars(
                sa.select(Shipment.order_number)
                .where(Shipment.status.in_([str(s) for s in IN_WAREHOUSE]))
                .distinct()
                .order_by(Shipment.order_number)
            )
        )


def step(uow, world, op: tuple) -> None:
    kind = op[0]
    if kind == "receive":
        do_receive(uow, world, *op[1:])
    elif kind == "approve":
        do_approve(uow, world, *op[1:])
    elif kind in ("pick", "short") and (tasks := _open_tasks(uow)):
        task_id, bin_code, sku, remaining = tasks[op[1] % len(tasks)]
        if kind == "pick":
            picking.confirm_pick(
                uow, actor=world.warehouse, pick_id=task_id, bin_code=bin_code, barcode=sku
            )
        else:
            found = int(remaining * op[2])
            picking.report_short(
                uow, actor=world.warehouse, pick_id=task_id, bin_code=bin_code, found=found
            )
    elif kind == "ship" and (numbers := _shippable(uow)):
        shipping.ship_order(uow, actor=world.warehouse, number=numbers[op[1] % len(numbers)])
    elif kind == "cancel" and (numbers := _orders(uow, CANCELLABLE)):
        order_service.cancel_order(
            uow, actor=world.manager, number=numbers[op[1] % len(numbers)], reason="客户取消"
        )
    elif kind == "serve":
        allocation.allocate_backorders(uow, actor=world.warehouse)


def check_ledger(uow) -> None:
    with uow:
        s = uow.session
        product_ids = list(s.scalars(sa.text("select id from products")))
        levels = ledger.bin_levels(uow, product_ids=product_ids)
        for lv in levels:
            assert lv.on_hand >= 0, lv
            assert lv.reserved >= 0, lv
            assert lv.on_hand >= lv.reserved, lv  # available never below zero
        m = StockMovement
        per_kind = s.execute(
            sa.select(
                m.warehouse_id,
                m.product_id,
                m.kind,
                sa.func.sum(m.on_hand_delta),
                sa.func.sum(m.reserved_delta),
            ).group_by(m.warehouse_id, m.product_id, m.kind)
        ).all()
        total_on, total_res, books = defaultdict(int), defaultdict(int), defaultdict(int)
        for w, p, kind, on_hand, reserved in per_kind:
            total_on[(w, p)] += on_hand
            total_res[(w, p)] += reserved
            if kind in ("receipt", "adjust", "ship"):
                books[(w, p)] += on_hand
        by_bins_on, by_bins_res = defaultdict(int), defaultdict(int)
        for lv in levels:
            by_bins_on[(lv.warehouse_id, lv.product_id)] += lv.on_hand
            by_bins_res[(lv.warehouse_id, lv.product_id)] += lv.reserved
        keys = set(total_on) | set(by_bins_on)
        assert {k: total_on[k] for k in keys} == {k: by_bins_on[k] for k in keys}
        assert {k: total_on[k] for k in keys} == {k: books[k] for k in keys}
        open_units = defaultdict(int)
        for w, p, qty in s.execute(
            sa.select(Shipment.warehouse_id, ShipmentLine.product_id, ShipmentLine.quantity)
            .join(Shipment, Shipment.id == ShipmentLine.shipment_id)
            .where(Shipment.status.in_([str(x) for x in IN_WAREHOUSE]))
        ):
            open_units[(w, p)] += qty
        keys |= set(open_units)
        assert {k: total_res[k] for k in keys} == {k: open_units[k] for k in keys}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
def test_the_ledger_balances_after_any_sequence_of_warehouse_work(uow, world, ops):
    reset_stock_and_orders(uow)
    check_ledger(uow)
    for op in ops:
        try:
            step(uow, world, op)
        except DomainError:
            pass  # a refused step (e.g. a count below the reserved) must change nothing
        check_ledger(uow)
