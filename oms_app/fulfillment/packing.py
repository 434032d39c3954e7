"""Pack picked goods into parcels by scanning them, weigh and measure, confirm the carrier."""

from __future__ import annotations

import secrets

import sqlalchemy as sa

from oms_app.core.errors import Conflict, NotFound, ValidationFailed
from oms_app.core.permissions import Actor, Permission, require
from oms_app.core.state_machine import apply_transition
from oms_app.fulfillment.models import Parcel, Shipment, ShipmentLine
from oms_app.fulfillment.progress import sync_order
from oms_app.fulfillment.status import ShipmentAction, ShipmentStatus
from oms_app.inventory import ledger
from oms_app.logistics.carriers import CARRIERS, SERVICES
from oms_app.logistics.costs import shipping_cost

MAX_WEIGHT_GRAMS, MAX_SIDE_CM = 1_000_000, 600


class PackingClosed(Conflict):
    """The shipment is not (or no longer) at the packing table."""

    code = "error.pack.closed"


def load_shipment(uow, number: str, *, lock: bool = True) -> Shipment:
    stmt = sa.select(Shipment).where(Shipment.number == (number or "").strip().upper())
    shipment = uow.session.scalar(stmt.with_for_update() if lock else stmt)
    if shipment is None:
        raise NotFound(entity="shipment", field="shipment", value=number)
    return shipment


def shipment_lines(uow, shipment_id: int) -> list[ShipmentLine]:
    return list(
        uow.session.scalars(
            sa.select(ShipmentLine)
            .where(ShipmentLine.shipment_id == shipment_id)
            .order_by(ShipmentLine.id)
        )
    )


def shipment_parcels(uow, shipment_id: int) -> list[Parcel]:
    return list(
        uow.session.scalars(
            sa.select(Parcel).where(Parcel.shipment_id == shipment_id).order_by(Parcel.parcel_no)
        )
    )


def _open_packing(uow, shipment: Shipment, actor: Actor) -> None:
    if shipment.status == ShipmentStatus.PICKED:
        apply_transition(uow, shipment, ShipmentAction.START_PACKING, actor=actor)
    if shipment.status != ShipmentStatus.PACKING:
        raise PackingClosed(field="shipment", state=str(shipment.status))


def _positive(field: str, value, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= maximum:
        raise ValidationFailed(field, "error.pack.measure", maximum=maximum)
    return value


def scan_item(uow, *, actor: Actor, shipment_number: str, barcode: str, quantity: int = 1) -> dict:
    """Put scanned goods into the open parcel; goods not picked for this shipment are refused."""
    require(actor, Permission.ORDER_FULFIL)
    quantity = _positive("quantity", quantity, 100_000)
    with uow:
        shipment = load_shipment(uow, shipment_number)
        _open_packing(uow, shipment, actor)
        scanned = (barcode or "").strip().upper()
        line = next(
            (
                x
                for x in shipment_lines(uow, shipment.id)
                if scanned and scanned in {x.sku.upper(), x.barcode.upper()}
            ),
            None,
        )
        if line is None:
            raise ValidationFailed("barcode", "error.pack.not_in_shipment", scanned=scanned)
        if line.packed_qty + quantity > line.picked_qty:
            raise ValidationFailed(
                "quantity",
                "error.pack.over_pack",
                sku=line.sku,
                left=line.picked_qty - line.packed_qty,
            )
        parcels = shipment_parcels(uow, shipment.id)
        parcel = next((p for p in reversed(parcels) if not p.closed), None)
        if parcel is None:
            parcel = Parcel(shipment_id=shipment.id, parcel_no=len(parcels) + 1)
        parcel.items = {**parcel.items, line.sku: parcel.items.get(line.sku, 0) + quantity}
        line.packed_qty += quantity
        uow.session.add_all([parcel, line])
        uow.commit()
        return {
            "sku": line.sku,
            "parcel": parcel.parcel_no,
            "packed": line.packed_qty,
            "picked": line.picked_qty,
        }


def close_parcel(
    uow,
    *,
    actor: Actor,
    shipment_number: str,
    weight_grams: int,
    length_cm: int,
    width_cm: int,
    height_cm: int,
) -> int:
    """Weigh and measure the open parcel and close it; the next scan opens a new one."""
    require(actor, Permission.ORDER_FULFIL)
    measures = {
        "weight_grams": _positive("weight_grams", weight_grams, MAX_WEIGHT_GRAMS),
        "length_cm": _positive("length_cm", length_cm, MAX_SIDE_CM),
        "width_cm": _positive("width_cm", width_cm, MAX_SIDE_CM),
        "height_cm": _positive("height_cm", height_cm, MAX_SIDE_CM),
    }
    with uow:
        shipment = load_shipment(uow, shipment_number)
        _open_packing(uow, shipment, actor)
        parcel = next(
            (p for p in reversed(shipment_parcels(uow, shipment.id)) if not p.closed), None
        )
        if parcel is None or not parcel.items:
            raise ValidationFailed("parcel", "error.pack.empty_parcel")
        for key, value in measures.items():
            setattr(parcel, key, value)
        parcel.closed = True
        uow.commit()
        return parcel.parcel_no


def finish_packing(
    uow,
    *,
    actor: Actor,
    shipment_number: str,
    carrier: str | None = None,
    service: str | None = None,
) -> dict:
    """Everything picked is packed and weighed: confirm the carrier, price it, ready to ship."""
    require(actor, Permission.ORDER_FULFIL)
    with uow:
        shipment = load_shipment(uow, shipment_number)
        if shipment.status != ShipmentStatus.PACKING:
            raise PackingClosed(field="shipment", state=str(shipment.status))
        left = [x.sku for x in shipment_lines(uow, shipment.id) if x.packed_qty < x.picked_qty]
        if left:
            raise ValidationFailed("barcode", "error.pack.items_left", skus=", ".join(left))
        parcels = shipment_parcels(uow, shipment.id)
        if not parcels or not all(p.closed for p in parcels):
            raise ValidationFailed("parcel", "error.pack.parcel_open")
        confirm_carrier(uow, shipment, carrier, service, sum(p.weight_grams for p in parcels))
        apply_transition(
            uow,
            shipment,
            ShipmentAction.PACK,
            actor=actor,
            params={"parcels": len(parcels), "carrier": shipment.carrier},
        )
        sync_order(uow, order_id=shipment.order_id, actor=actor)
        uow.commit()
        return packing_view(uow, shipment)


def confirm_carrier(uow, shipment: Shipment, carrier, service, weight: int) -> None:
    method = shipment.delivery_method
    if method == "pickup":
        shipment.carrier, shipment.service = "", "pickup"
        shipment.pickup_code = f"{secrets.randbelow(10**6):06d}"
    else:
        code = (carrier or shipment.carrier or "").strip().upper()
        if code not in CARRIERS:
            raise ValidationFailed("carrier", "error.shipping.carrier")
        shipment.carrier = code
        shipment.service = service or ("freight" if method == "freight" else "standard")
        if shipment.service not in SERVICES:
            raise ValidationFailed("service", "error.shipping.service")
    origin = next(w for w in ledger.list_warehouses(uow) if w.id == shipment.warehouse_id)
    shipment.weight_grams = weight
    shipment.shipping_cost = shipping_cost(
        method=method,
        carrier=shipment.carrier,
        origin_province=origin.province,
        destination_province=shipment.ship_province,
        weight_grams=weight,
    )


def get_packing(uow, *, actor: Actor, shipment_number: str) -> dict:
    """The packing table's view of one shipment: lines picked and packed, parcels."""
    require(actor, Permission.ORDER_FULFIL)
    with uow:
        return packing_view(uow, load_shipment(uow, shipment_number, lock=False))


def packing_view(uow, shipment: Shipment) -> dict:
    return {
        "number": shipment.number,
        "order": shipment.order_number,
        "customer": shipment.customer_name,
        "status": str(shipment.status),
        "delivery_method": shipment.delivery_method,
        "carrier": shipment.carrier,
        "service": shipment.service,
        "pickup_code": shipment.pickup_code,
        "tracking_no": shipment.tracking_no,
        "weight_grams": shipment.weight_grams,
        "shipping_cost": str(shipment.shipping_cost),
        "lines": [
            {
                "sku": x.sku,
                "barcode": x.barcode,
                "name": x.name,
                "unit": x.unit,
                "quantity": x.quantity,
                "picked": x.picked_qty,
                "packed": x.packed_qty,
            }
            for x in shipment_lines(uow, shipment.id)
        ],
        "parcels": [
            {
                "no": p.parcel_no,
                "items": dict(p.items),
                "weight_grams": p.weight_grams,
                "size": f"{p.length_cm}×{p.width_cm}×{p.height_cm}" if p.closed else "",
                "closed": p.closed,
            }
            for p in shipment_parcels(uow, shipment.id)
        ],
    }
