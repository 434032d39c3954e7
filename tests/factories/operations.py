"""Raw order histories for the operations report: orders, their events, approval levels,
shipments with their events and pick tasks, written as given (no services involved)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from oms_app.approvals.models import ApprovalEvent, ApprovalRequest
from oms_app.catalog.models import Category, Product
from oms_app.fulfillment.models import PickTask, Shipment, ShipmentEvent, ShipmentLine
from oms_app.inventory.models import BinLocation, Warehouse
from oms_app.orders.models import Order, OrderEvent, OrderLine
from tests.factories.accounts import make_user
from tests.factories.orders import make_customer

# username -> roles; "boss" holds two roles and counts with the first of the precedence.
PEOPLE = {
    "rep": ["sales"],
    "boss": ["finance", "sales_manager"],
    "buyer": ["customer"],
    "picker-a": ["warehouse"],
    "picker-b": ["warehouse"],
}


@dataclass
class Floor:
    customer_id: int
    product_id: int
    warehouses: dict[str, int]
    bins: dict[str, int]
    users: dict[str, int] = field(default_factory=dict)


@dataclass
class ShipmentSpec:
    warehouse: str = "SH"
    picked: tuple[datetime, str] | None = None  # when and by whom picking finished
    shipped: datetime | None = None
    tasks: list[tuple[str, str, datetime | None]] = field(default_factory=list)


@dataclass
class OrderSpec:
    creator: str | None = "rep"
    warehouse: str | None = "SH"
    events: list[tuple[str, datetime]] = field(default_factory=list)  # (order action, at)
    levels: list[tuple[str, str, datetime]] = field(default_factory=list)  # (role, action, at)
    shipments: list[ShipmentSpec] = field(default_factory=list)


def make_floor(uow) -> Floor:
    """Two warehouses with a bin each, one product, a customer and the people of PEOPLE."""
    with uow:
        s = uow.session
        category = Category(code="OPS", name_zh="测试", name_en="Test")
        houses = [Warehouse(code=c, name=f"{c} 仓") for c in ("SH", "BJ")]
        s.add_all([category, *houses])
        s.flush()
        product = Product(sku="OPS-1", name_zh="纸", name_en="Paper", category_id=category.id)
        bins = [BinLocation(warehouse_id=w.id, code="A-01") for w in houses]
        s.add_all([product, *bins])
        uow.commit()
        floor = Floor(
            customer_id=0,
            product_id=product.id,
            warehouses={w.code: w.id for w in houses},
            bins={w.code: b.id for w, b in zip(houses, bins, strict=True)},
        )
    floor.customer_id = make_customer(uow)
    floor.users = {
        name: make_user(uow, username=name, roles=roles) for name, roles in PEOPLE.items()
    }
    return floor


def _order_events(s, order_id: int, spec: OrderSpec) -> None:
    for action, at in spec.events:
        s.add(
            OrderEvent(
                order_id=order_id,
                from_status="x",
                to_status="x",
                action=action,
                actor_name="test",
                at=at,
            )
        )
    for level_no, (role, action, at) in enumerate(spec.levels, 1):
        request = ApprovalRequest(order_id=order_id, level_no=level_no, role=role, status=action)
        s.add(request)
        s.flush()
        s.add(
            ApprovalEvent(
                request_id=request.id,
                order_id=order_id,
                from_status="pending",
                to_status=action,
                action=action,
                actor_name="test",
                at=at,
            )
        )


def _shipment(s, floor: Floor, order: Order, line_id: int, spec: ShipmentSpec) -> None:
    shipment = Shipment(
        order_id=order.id,
        order_number=order.number,
        warehouse_id=floor.warehouses[spec.warehouse],
    )
    s.add(shipment)
    s.flush()
    line = ShipmentLine(
        shipment_id=shipment.id,
        order_line_id=line_id,
        product_id=floor.product_id,
        sku="OPS-1",
        name="纸",
        quantity=len(spec.tasks) or 1,
    )
    s.add(line)
    s.flush()
    marks = [("picked", *spec.picked)] if spec.picked else []
    marks += [("shipped", spec.shipped, "shipper")] if spec.shipped else []
    for to_status, at, who in marks:
        s.add(
            ShipmentEvent(
                shipment_id=shipment.id,
                from_status="x",
                to_status=to_status,
                action="test",
                actor_name=who,
                at=at,
            )
        )
    for state, who, at in spec.tasks:
        s.add(
            PickTask(
                shipment_id=shipment.id,
                shipment_line_id=line.id,
                product_id=floor.product_id,
                bin_id=floor.bins[spec.warehouse],
                bin_code="A-01",
                quantity=1,
                state=state,
                picked_by=who,
                picked_at=at,
            )
        )


def add_history(uow, floor: Floor, n: int, spec: OrderSpec) -> int:
    """Write one order with everything that happened to it; returns its id."""
    with uow:
        s = uow.session
        order = Order(
            number=f"SO-OPS-{n:05d}",
            customer_id=floor.customer_id,
            warehouse_id=floor.warehouses.get(spec.warehouse or ""),
            created_by=floor.users.get(spec.creator or ""),
        )
        s.add(order)
        s.flush()
        line = OrderLine(
            order_id=order.id,
            line_no=1,
            product_id=floor.product_id,
            sku="OPS-1",
            name="纸",
            quantity=1,
        )
        s.add(line)
        s.flush()
        _order_events(s, order.id, spec)
        for shipment in spec.shipments:
            _shipment(s, floor, order, line.id, shipment)
        uow.commit()
        return order.id
