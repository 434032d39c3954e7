"""Tables of the warehouse floor: shipments and their lines, waves, pick tasks, parcels,
backorders. Stock itself lives in the inventory ledger; a shipment's reservation is the sum of
the movements that name it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from oms_app.core.db import json_field, money_field, utc_field
from oms_app.fulfillment.status import ShipmentStatus, WaveStatus


class Shipment(SQLModel, table=True):
    """The part of one order that one warehouse sends (a split order has several)."""

    __tablename__ = "shipments"
    # the picking board reads one warehouse's shipments by status
    __table_args__ = (sa.Index("ix_shipments_board", "warehouse_id", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(default="", max_length=24, index=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    order_number: str = Field(max_length=32)
    customer_name: str = Field(default="", max_length=120)
    warehouse_id: int = Field(foreign_key="warehouses.id", index=True)
    status: ShipmentStatus = Field(default=ShipmentStatus.ALLOCATED, sa_type=sa.String(16))
    delivery_method: str = Field(default="express", max_length=16)
    carrier: str = Field(default="", max_length=16)
    service: str = Field(default="standard", max_length=16)
    priority: int = Field(default=2, description="1 urgent, 2 normal, 3 low")
    cutoff_at: datetime | None = utc_field()
    wave_id: int | None = Field(default=None, foreign_key="waves.id", index=True)
    ship_province: str = Field(default="", max_length=32)
    tracking_no: str = Field(default="", max_length=40, index=True)
    pickup_code: str = Field(default="", max_length=8)
    weight_grams: int = Field(default=0)
    shipping_cost: Decimal = money_field()
    shipped_at: datetime | None = utc_field(index=True)
    delivered_at: datetime | None = utc_field()
    created_at: datetime = utc_field(default_now=True, index=True)
    updated_at: datetime = utc_field(default_now=True)


class ShipmentLine(SQLModel, table=True):
    __tablename__ = "shipment_lines"

    id: int | None = Field(default=None, primary_key=True)
    shipment_id: int = Field(foreign_key="shipments.id", index=True)
    order_line_id: int = Field(foreign_key="order_lines.id")
    product_id: int = Field(foreign_key="products.id")
    sku: str = Field(max_length=32)
    barcode: str = Field(default="", max_length=32)
    name: str = Field(max_length=200)
    unit: str = Field(default="pcs", max_length=16)
    quantity: int
    picked_qty: int = Field(default=0)
    packed_qty: int = Field(default=0)


class ShipmentEvent(SQLModel, table=True):
    """One row per status change of a shipment: from, to, action, who, when, why."""

    __tablename__ = "shipment_events"

    id: int | None = Field(default=None, primary_key=True)
    shipment_id: int = Field(foreign_key="shipments.id", index=True)
    from_status: str = Field(max_length=16)
    to_status: str = Field(max_length=16)
    action: str = Field(max_length=24)
    actor_id: int | None = Field(default=None)
    actor_name: str = Field(max_length=64)
    reason: str = Field(default="", max_length=500)
    params: dict = json_field()
    at: datetime = utc_field(default_now=True)


class Wave(SQLModel, table=True):
    """Shipments of one warehouse, zone and carrier cut-off picked together."""

    __tablename__ = "waves"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(default="", max_length=24, index=True)
    warehouse_id: int = Field(foreign_key="warehouses.id", index=True)
    zone: str = Field(default="", max_length=8)
    carrier: str = Field(default="", max_length=16)
    cutoff_at: datetime | None = utc_field()
    priority: int = Field(default=2)
    status: WaveStatus = Field(default=WaveStatus.PLANNED, sa_type=sa.String(16))
    picker_id: int | None = Field(default=None, foreign_key="users.id")
    picker_name: str = Field(default="", max_length=64)
    created_by: int | None = Field(default=None)
    created_at: datetime = utc_field(default_now=True)
    updated_at: datetime = utc_field(default_now=True)


class WaveEvent(SQLModel, table=True):
    __tablename__ = "wave_events"

    id: int | None = Field(default=None, primary_key=True)
    wave_id: int = Field(foreign_key="waves.id", index=True)
    from_status: str = Field(max_length=16)
    to_status: str = Field(max_length=16)
    action: str = Field(max_length=24)
    actor_id: int | None = Field(default=None)
    actor_name: str = Field(max_length=64)
    reason: str = Field(default="", max_length=500)
    at: datetime = utc_field(default_now=True)


class PickTask(SQLModel, table=True):
    """Take `quantity` of one SKU from one bin for one shipment line; `seq` is the walk order."""

    __tablename__ = "pick_tasks"

    id: int | None = Field(default=None, primary_key=True)
    shipment_id: int = Field(foreign_key="shipments.id", index=True)
    shipment_line_id: int = Field(foreign_key="shipment_lines.id")
    wave_id: int | None = Field(default=None, foreign_key="waves.id", index=True)
    product_id: int = Field(foreign_key="products.id")
    bin_id: int = Field(foreign_key="bin_locations.id")
    bin_code: str = Field(max_length=32)
    seq: int = Field(default=0)
    quantity: int
    picked_qty: int = Field(default=0)
    state: str = Field(default="open", max_length=10, description="open, done, short, cancelled")
    picked_by: str = Field(default="", max_length=64)
    picked_at: datetime | None = utc_field()


class Parcel(SQLModel, table=True):
    __tablename__ = "parcels"

    id: int | None = Field(default=None, primary_key=True)
    shipment_id: int = Field(foreign_key="shipments.id", index=True)
    parcel_no: int = Field(default=1)
    items: dict = json_field(description="sku -> quantity")
    weight_grams: int = Field(default=0)
    length_cm: int = Field(default=0)
    width_cm: int = Field(default=0)
    height_cm: int = Field(default=0)
    closed: bool = Field(default=False)


class Backorder(SQLModel, table=True):
    """Quantity of an order line still waiting for stock; served first come, first served."""

    __tablename__ = "backorders"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    order_line_id: int = Field(foreign_key="order_lines.id")
    product_id: int = Field(foreign_key="products.id", index=True)
    quantity: int
    state: str = Field(default="open", max_length=10, description="open, allocated, cancelled")
    created_at: datetime = utc_field(default_now=True, index=True)
    allocated_at: datetime | None = utc_field()
