"""Warehouse documents built from the database: pick list, packing slip, shipping label (PDF)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa

from oms_app.core.clock import format_local, utcnow
from oms_app.core.errors import ValidationFailed
from oms_app.core.permissions import Actor, Permission, require
from oms_app.fulfillment import documents, waves
from oms_app.fulfillment.document_data import (
    PICKUP,
    Carrier,
    Contact,
    LabelParcel,
    PackedParcel,
    PackingLine,
    PackingSlipData,
    PickLine,
    PickListData,
    ShippingLabelData,
)
from oms_app.fulfillment.models import Parcel, Shipment, ShipmentLine
from oms_app.fulfillment.packing import PackingClosed, load_shipment
from oms_app.fulfillment.status import ShipmentStatus
from oms_app.inventory import ledger
from oms_app.logistics.carriers import CARRIERS
from oms_app.orders import progress as order_progress

S = ShipmentStatus
# A slip lists what is in the boxes, so packing must have begun.
SLIP_STATUSES = frozenset({S.PACKING, S.PACKED, S.SHIPPED, S.DELIVERED})
# A carrier label needs the tracking number, which exists once the shipment is handed over.
LABEL_STATUSES = frozenset({S.SHIPPED, S.DELIVERED})


def _local(value: str | datetime | None, tz: str) -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if value else None
    return format_local(value, tz)


def pick_list_document(uow, *, actor: Actor, wave_number: str, locale: str) -> bytes:
    """The wave's pick list as PDF, lines in walking order."""
    require(actor, Permission.ORDER_FULFIL)
    wave = waves.get_pick_list(uow, actor=actor, wave_number=wave_number)
    data = PickListData(
        wave_number=wave["number"],
        warehouse_code=wave["warehouse"],
        warehouse_name=wave["warehouse_name"],
        picker_name=wave["picker"],
        carrier=wave["carrier"],
        cutoff_at=_local(wave["cutoff_at"], actor.tz),
        printed_at=format_local(utcnow(), actor.tz),
        lines=tuple(
            PickLine(
                seq=ln["seq"],
                bin_code=ln["bin"],
                sku=ln["sku"],
                product_barcode=ln["barcode"],
                product_name=ln["name"],
                quantity=Decimal(ln["quantity"]),
                unit=ln["unit"],
                order_number=ln["order"],
            )
            for ln in wave["lines"]
        ),
    )
    return documents.pick_list_pdf(data, locale=locale)


def _receiver(uow, shipment: Shipment) -> Contact:
    facts = order_progress.fulfilment_facts(uow, order_id=shipment.order_id)
    return Contact(
        name=facts.receiver or facts.customer_name,
        phone=facts.phone,
        province=facts.province,
        city=facts.city,
        district="",
        street=facts.address,
    )


def _parcels(uow, shipment: Shipment) -> list[Parcel]:
    return list(
        uow.session.scalars(
            sa.select(Parcel).where(Parcel.shipment_id == shipment.id).order_by(Parcel.parcel_no)
        )
    )


def _kg(grams: int) -> Decimal:
    return (Decimal(grams or 0) / 1000).quantize(Decimal("0.01"))


def packing_slip_document(uow, *, actor: Actor, shipment_number: str, locale: str) -> bytes:
    """The slip laid in the box: receiver, goods packed, parcels."""
    require(actor, Permission.ORDER_FULFIL)
    with uow:
        shipment = load_shipment(uow, shipment_number, lock=False)
        if not slip_ready(str(shipment.status)):
            raise PackingClosed(field="shipment", state=str(shipment.status))
        lines = uow.session.scalars(
            sa.select(ShipmentLine)
            .where(ShipmentLine.shipment_id == shipment.id)
            .order_by(ShipmentLine.id)
        ).all()
        data = PackingSlipData(
            order_number=shipment.order_number,
            shipment_number=shipment.number,
            ship_to=_receiver(uow, shipment),
            lines=tuple(
                PackingLine(x.sku, x.name, Decimal(x.packed_qty or x.picked_qty), x.unit)
                for x in lines
            ),
            parcels=tuple(
                PackedParcel(str(p.parcel_no), _kg(p.weight_grams), shipment.tracking_no)
                for p in _parcels(uow, shipment)
            ),
            printed_at=format_local(utcnow(), actor.tz),
        )
    return documents.packing_slip_pdf(data, locale=locale)


def slip_ready(status: str) -> bool:
    """Whether a packing slip can be printed: once packing started."""
    return status in SLIP_STATUSES


def label_ready(*, delivery_method: str, status: str, tracking_no: str, pickup_code: str) -> bool:
    """Whether a label can be printed: a pickup code once packed, else a tracking number."""
    if delivery_method == PICKUP:
        return bool(pickup_code) and status in LABEL_STATUSES | {S.PACKED}
    return status in LABEL_STATUSES and bool(tracking_no)


def _label_ready(shipment: Shipment) -> bool:
    return label_ready(
        delivery_method=shipment.delivery_method,
        status=str(shipment.status),
        tracking_no=shipment.tracking_no,
        pickup_code=shipment.pickup_code,
    )


def shipping_label_document(uow, *, actor: Actor, shipment_number: str) -> bytes:
    """One label per parcel; carrier labels once shipped, pickup labels carry the pickup code."""
    require(actor, Permission.ORDER_FULFIL)
    with uow:
        shipment = load_shipment(uow, shipment_number, lock=False)
        if not _label_ready(shipment):
            raise ValidationFailed("shipment", "error.label.not_shipped")
        origin = next(w for w in ledger.list_warehouses(uow) if w.id == shipment.warehouse_id)
        pickup = shipment.delivery_method == PICKUP
        tracking = "" if pickup else shipment.tracking_no
        parcels = tuple(
            LabelParcel(_kg(p.weight_grams), tracking) for p in _parcels(uow, shipment)
        ) or (LabelParcel(_kg(shipment.weight_grams), tracking),)
        info = CARRIERS.get(shipment.carrier)
        data = ShippingLabelData(
            order_number=shipment.order_number,
            shipment_number=shipment.number,
            sender=Contact(origin.name, "", origin.province, "", "", ""),
            receiver=_receiver(uow, shipment),
            parcels=parcels,
            delivery_method=shipment.delivery_method,
            carrier=None
            if pickup
            else Carrier(
                info.name_zh if info else shipment.carrier,
                info.name_en if info else shipment.carrier,
                shipment.service,
            ),
            pickup_code=shipment.pickup_code if pickup else "",
        )
    return documents.shipping_label_pdf(data)
