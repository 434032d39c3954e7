"""Orders that reached the warehouse: approved (and so allocated) through the real services."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.fulfillment.models import PickTask, Shipment
from oms_app.inventory import ledger
from oms_app.orders import service as order_service
from oms_app.orders.models import Order
from oms_app.orders.rules import LineInput, OrderInput


def approved_order(uow, world, lines: list[tuple[str, int]], **order_fields) -> str:
    """Enter, submit and approve an order (small: one level); returns its number."""
    number = order_service.create_order(
        uow,
        actor=world.rep,
        submit=True,
        cmd=OrderInput(
            customer_code=world.customer_code,
            lines=[LineInput(sku, qty) for sku, qty in lines],
            **order_fields,
        ),
    )
    order_service.approve_order(uow, actor=world.manager, number=number)
    return number


def order_status(uow, number: str) -> str:
    with uow:
        return str(uow.session.scalar(sa.select(Order.status).where(Order.number == number)))


def shipments_of(uow, number: str) -> list[Shipment]:
    with uow:
        rows = uow.session.scalars(
            sa.select(Shipment).where(Shipment.order_number == number).order_by(Shipment.id)
        ).all()
        uow.session.expunge_all()
        return list(rows)


def pick_tasks(uow, shipment_id: int) -> list[dict]:
    with uow:
        rows = uow.session.scalars(
            sa.select(PickTask).where(PickTask.shipment_id == shipment_id).order_by(PickTask.id)
        ).all()
        return [
            {"id": t.id, "bin": t.bin_code, "quantity": t.quantity, "state": t.state} for t in rows
        ]


def stock(uow, warehouse_code: str, sku: str) -> tuple[int, int]:
    """(on hand, reserved) of a SKU in a warehouse, summed from the ledger."""
    with uow:
        w = next(x for x in ledger.list_warehouses(uow) if x.code == warehouse_code)
        pid = uow.session.scalar(sa.text("select id from products where sku = :s"), {"s": sku})
        levels = ledger.bin_levels(uow, product_ids=[pid], warehouse_ids=[w.id])
        return sum(lv.on_hand for lv in levels), sum(lv.reserved for lv in levels)
