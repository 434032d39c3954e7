"""Goods receipt on real PostgreSQL: stock into bins, all-or-nothing lines, backorders served."""

from __future__ import annotations

import threading

import pyotp
import pytest
import sqlalchemy as sa

from oms_app.audit.models import AuditEntry
from oms_app.core.db import UnitOfWork
from oms_app.core.errors import PermissionDenied, ValidationErrors
from oms_app.core.events import OutboxMessage
from oms_app.fulfillment.models import Backorder
from oms_app.fulfillment.receiving import receive_goods
from oms_app.inventory import ledger, warehouse_queries
from oms_app.inventory.models import ExpectedReceipt, StockMovement, Warehouse
from oms_app.inventory.receiving import DuplicateReceipt, ReceiptLine, receive_stock
from oms_app.orders import service as order_service
from oms_app.orders.models import Order
from oms_app.orders.rules import LineInput, OrderInput
from tests.factories.catalog import product_id
from tests.factories.sales import FINANCE_SECRET, make_world


def count(uow, model, *where) -> int:
    with uow:
        return uow.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def bins_of(uow, world, sku: str) -> dict[str, int]:
    stock = warehouse_queries.get_sku_stock(uow, actor=world.warehouse, sku=sku)
    return {b["bin"]: b["on_hand"] for w in stock["warehouses"] for b in w["bins"]}


def warehouse_id(uow, code: str = "SH") -> int:
    with uow:
        return uow.session.scalar(sa.select(Warehouse.id).where(Warehouse.code == code))


def status_of(uow, number: str) -> str:
    with uow:
        return uow.session.scalar(sa.select(Order.status).where(Order.number == number))


def approved_order(uow, world, sku: str, quantity: int) -> str:
    """Enter and submit an order, then approve every level it needs."""
    number = order_service.create_order(
        uow,
        actor=world.rep,
        submit=True,
        cmd=OrderInput(customer_code="C10001", lines=[LineInput(sku, quantity)]),
    )
    approvers = [world.manager, world.warehouse, world.finance]
    for _ in range(len(approvers)):
        if status_of(uow, number) != "pending_approval":
            break
        for approver in approvers:
            try:
                code = pyotp.TOTP(FINANCE_SECRET).now() if approver is world.finance else ""
                order_service.approve_order(uow, actor=approver, number=number, totp_code=code)
                break
            except PermissionDenied:
                continue
    return number


@pytest.fixture
def world(uow):
    return make_world(uow, stock=5)


# --- receipts ---------------------------------------------------------------------------------


def test_a_receipt_adds_on_hand_in_the_named_bin(uow, world):
    # given 5 of OFF-0001 in A-01-01
    # when
    result = receive_stock(
        uow,
        actor=world.warehouse,
        warehouse_code="sh",
        lines=[ReceiptLine("off-0001", 20, "a-01-01")],
        reference="DN-1001",
    )
    # then
    assert bins_of(uow, world, "OFF-0001") == {"A-01-01": 25}
    assert result["reference"] == "DN-1001"
    assert result["lines"] == [{"sku": "OFF-0001", "quantity": 20, "bin": "A-01-01"}]
    m = StockMovement
    with uow:
        move = uow.session.execute(
            sa.select(m.kind, m.ref_id, m.on_hand_delta, m.reserved_delta, m.actor_id).where(
                m.ref_type == "receipt"
            )
        ).one()
    assert tuple(move) == ("receipt", "DN-1001", 20, 0, world.warehouse.user_id)


def test_a_line_without_a_bin_goes_to_the_receiving_bin_and_a_reference_is_made(uow, world):
    result = receive_stock(
        uow, actor=world.warehouse, warehouse_code="SH", lines=[ReceiptLine("OFF-0002", 7)]
    )
    assert bins_of(uow, world, "OFF-0002") == {"A-01-02": 5, ledger.RECEIVING_BIN: 7}
    assert result["reference"].startswith("RCV-")


def test_a_receipt_emits_one_stock_received_event_per_product_and_an_audit_entry(uow, world):
    # when two lines of one SKU and one of another arrive
    receive_stock(
        uow,
        actor=world.warehouse,
        warehouse_code="SH",
        lines=[
            ReceiptLine("OFF-0001", 4, "A-01-01"),
            ReceiptLine("OFF-0001", 6),
            ReceiptLine("OFF-0002", 3),
        ],
        reference="DN-7",
    )
    # then
    with uow:
        events = uow.session.scalars(
            sa.select(OutboxMessage.payload)
            .where(OutboxMessage.event_type == "stock.received")
            .order_by(OutboxMessage.id)
        ).all()
        audit = uow.session.execute(
            sa.select(AuditEntry.entity, AuditEntry.entity_id, AuditEntry.actor_name).where(
                AuditEntry.action == "stock.received"
            )
        ).one()
    assert sorted((e["sku"], e["quantity"]) for e in events) == [("OFF-0001", 10), ("OFF-0002", 3)]
    assert tuple(audit) == ("receipt", "DN-7", "warehouse")


def test_a_bad_line_refuses_the_whole_receipt_naming_every_bad_field_and_changes_nothing(
    uow, world
):
    # given a packing area bin
    with uow:
        ledger.staging_bin(uow, warehouse_id=warehouse_id(uow))
        uow.commit()
    movements, events = count(uow, StockMovement), count(uow, OutboxMessage)
    # when
    with pytest.raises(ValidationErrors) as refused:
        receive_stock(
            uow,
            actor=world.warehouse,
            warehouse_code="SH",
            lines=[
                ReceiptLine("OFF-0001", 5, "A-01-01"),
                ReceiptLine("OFF-0001", 0),
                ReceiptLine("NOPE-9", 2),
                ReceiptLine("OFF-0002", 2, "Z-99"),
                ReceiptLine("OFF-0002", 2, ledger.STAGING_BIN),
                ReceiptLine("OFF-0002", 1_000_001),
                ReceiptLine("OFF-0002", "3"),
            ],
        )
    # then
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("lines[1].quantity", "error.number.min"),
        ("lines[2].sku", "error.sku.unknown"),
        ("lines[3].bin", "error.bin.unknown"),
        ("lines[4].bin", "error.bin.staging"),
        ("lines[5].quantity", "error.number.max"),
        ("lines[6].quantity", "error.number.whole"),
    ]
    assert count(uow, StockMovement) == movements
    assert count(uow, OutboxMessage) == events
    assert bins_of(uow, world, "OFF-0001") == {"A-01-01": 5}


def test_an_unknown_warehouse_is_a_field_error_and_changes_nothing(uow, world):
    movements = count(uow, StockMovement)
    with pytest.raises(ValidationErrors) as refused:
        receive_stock(
            uow, actor=world.warehouse, warehouse_code="XX", lines=[ReceiptLine("OFF-0001", 1)]
        )
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("warehouse", "error.warehouse.unknown")
    ]
    assert count(uow, StockMovement) == movements


def test_someone_without_stock_move_cannot_receive(uow, world):
    movements = count(uow, StockMovement)
    with pytest.raises(PermissionDenied):
        receive_stock(uow, actor=world.rep, warehouse_code="SH", lines=[ReceiptLine("OFF-0001", 1)])
    assert count(uow, StockMovement) == movements


def test_a_reference_is_received_once_so_a_retried_post_adds_nothing(uow, world):
    lines = [ReceiptLine("OFF-0001", 3, "A-01-01")]
    receive_stock(uow, actor=world.warehouse, warehouse_code="SH", lines=lines, reference="DN-9")
    with pytest.raises(DuplicateReceipt):
        receive_stock(
            uow, actor=world.warehouse, warehouse_code="SH", lines=lines, reference="DN-9"
        )
    assert bins_of(uow, world, "OFF-0001") == {"A-01-01": 8}


def test_two_parallel_posts_of_one_reference_book_the_goods_once(uow, world):
    # given two clerks posting the same delivery note at the same moment
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def post():
        barrier.wait()
        try:
            receive_stock(
                UnitOfWork(),
                actor=world.warehouse,
                warehouse_code="SH",
                lines=[ReceiptLine("OFF-0001", 10, "A-01-01")],
                reference="DN-RACE",
            )
            outcomes.append("booked")
        except DuplicateReceipt:
            outcomes.append("refused")

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then
    assert sorted(outcomes) == ["booked", "refused"]
    assert bins_of(uow, world, "OFF-0001") == {"A-01-01": 15}


def test_receiving_against_an_expected_receipt_counts_it_down_and_closes_it_when_complete(
    uow, world
):
    # given 30 of OFF-0002 on their way to SH
    with uow:
        row = ExpectedReceipt(
            product_id=product_id(uow, "OFF-0002"), warehouse_id=warehouse_id(uow), quantity=30
        )
        uow.session.add(row)
        uow.commit()
    # when 12 arrive, then the other 18
    first = receive_stock(
        uow,
        actor=world.warehouse,
        warehouse_code="SH",
        lines=[ReceiptLine("OFF-0002", 12)],
        expected_receipt_id=row.id,
    )
    second = receive_stock(
        uow,
        actor=world.warehouse,
        warehouse_code="SH",
        lines=[ReceiptLine("OFF-0002", 18)],
        expected_receipt_id=row.id,
    )
    # then
    assert first["expected_receipt"] == {
        "id": row.id,
        "quantity": 30,
        "received_qty": 12,
        "state": "open",
    }
    assert second["expected_receipt"]["state"] == "received"
    with pytest.raises(ValidationErrors) as refused:  # closed now
        receive_stock(
            uow,
            actor=world.warehouse,
            warehouse_code="SH",
            lines=[ReceiptLine("OFF-0002", 1)],
            expected_receipt_id=row.id,
        )
    assert refused.value.errors[0].code == "error.expected_receipt.closed"


def test_an_expected_receipt_of_another_product_is_refused(uow, world):
    with uow:
        row = ExpectedReceipt(
            product_id=product_id(uow, "OFF-0002"), warehouse_id=warehouse_id(uow), quantity=3
        )
        uow.session.add(row)
        uow.commit()
    with pytest.raises(ValidationErrors) as refused:
        receive_stock(
            uow,
            actor=world.warehouse,
            warehouse_code="SH",
            lines=[ReceiptLine("OFF-0001", 3)],
            expected_receipt_id=row.id,
        )
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("expected_receipt_id", "error.expected_receipt.product")
    ]


# --- backorders -------------------------------------------------------------------------------


def test_arriving_stock_allocates_the_waiting_backorders_first_come_first_served(uow):
    # given no stock and two approved orders of 10 boxes each, waiting in that order
    world = make_world(uow, stock=0)
    first = approved_order(uow, world, "OFF-0001", 10)
    second = approved_order(uow, world, "OFF-0001", 10)
    assert (status_of(uow, first), status_of(uow, second)) == ("on_hold", "on_hold")
    # when enough arrives for one of them
    result = receive_goods(
        uow,
        actor=world.warehouse,
        warehouse_code="SH",
        lines=[ReceiptLine("OFF-0001", 12, "A-01-01")],
        reference="DN-55",
    )
    # then the first is served, the second still waits
    assert result["allocated_orders"] == [first]
    assert result["reference"] == "DN-55" and "product_ids" not in result
    assert status_of(uow, first) == "allocated"
    assert status_of(uow, second) == "on_hold"
    assert count(uow, Backorder, Backorder.state == "open") == 1
    stock = warehouse_queries.get_sku_stock(uow, actor=world.warehouse, sku="OFF-0001")
    assert (stock["on_hand"], stock["reserved"], stock["available"]) == (12, 10, 2)


def test_a_receipt_of_another_sku_leaves_the_backorders_waiting(uow):
    world = make_world(uow, stock=0)
    waiting = approved_order(uow, world, "OFF-0001", 10)
    result = receive_goods(
        uow, actor=world.warehouse, warehouse_code="SH", lines=[ReceiptLine("OFF-0002", 50)]
    )
    assert result["allocated_orders"] == []
    assert status_of(uow, waiting) == "on_hold"
