"""Hand packed shipments to the carrier (or the customer at the counter) and follow them.

Booking the carrier is an outside call: it happens before our commit and is cancelled again
if the commit fails, so a booked collection never exists without its shipment.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from oms_app.core.clock import utcnow
from oms_app.core.errors import ValidationFailed
from oms_app.core.permissions import Actor, Permission, require
from oms_app.core.state_machine import apply_transition
from oms_app.fulfillment import allocation, express
from oms_app.fulfillment.models import Parcel, Shipment
from oms_app.fulfillment.packing import PackingClosed, load_shipment
from oms_app.fulfillment.posting import book_shipment
from oms_app.fulfillment.progress import sync_order
from oms_app.fulfillment.status import IN_WAREHOUSE, ShipmentAction, ShipmentStatus
from oms_app.inventory import ledger
from oms_app.logistics.carriers import Booking, BookingRequest, CarrierError
from oms_app.logistics.registry import get_carrier
from oms_app.orders import progress as order_progress
from oms_app.payments import invoices, receipts

REF = allocation.SHIPMENT_REF


class CarrierRefused(ValidationFailed):
    def __init__(self, reason: str):
        super().__init__("carrier", "error.ship.carrier_refused", reason=reason)


def ship_shipment(
    uow,
    *,
    actor: Actor,
    shipment_number: str,
    pickup_code: str = "",
    tracking_no: str = "",
    now: datetime | None = None,
) -> dict:
    """Ship a packed shipment: book the carrier, consume the stock, move the order."""
    require(actor, Permission.ORDER_FULFIL)
    now = now or utcnow()
    booking = None
    try:
        with uow:
            shipment = load_shipment(uow, shipment_number)
            booking = _hand_over(uow, shipment, actor, pickup_code, tracking_no, now)
            result = _result(shipment)
            uow.commit()
            return result
    except Exception:
        if booking is not None:  # compensation: the carrier must not come for nothing
            try:
                get_carrier(booking.carrier).cancel(booking, now=now)
            except CarrierError:
                pass
        raise


def _hand_over(uow, shipment: Shipment, actor: Actor, pickup_code: str, tracking_no: str, now):
    if shipment.status != ShipmentStatus.PACKED:
        raise PackingClosed(field="shipment", state=str(shipment.status))
    booking = None
    if shipment.delivery_method == "pickup":
        if (pickup_code or "").strip() != shipment.pickup_code:
            raise ValidationFailed("pickup_code", "error.ship.pickup_code")
    elif tracking_no.strip():
        shipment.tracking_no = tracking_no.strip()[:40]
    else:
        booking = _book(uow, shipment, now)
        shipment.tracking_no = booking.tracking_no
    invoices.require_release(uow, order_id=shipment.order_id)
    _consume(uow, shipment, actor)
    shipment.shipped_at = now
    apply_transition(
        uow,
        shipment,
        ShipmentAction.SHIP,
        actor=actor,
        params={"carrier": shipment.carrier, "tracking_no": shipment.tracking_no},
    )
    if shipment.delivery_method == "pickup":  # handed over at the counter: delivered too
        shipment.delivered_at = now
        apply_transition(uow, shipment, ShipmentAction.DELIVER, actor=actor, reason="picked up")
        receipts.collect_on_delivery(uow, order_id=shipment.order_id, actor=actor)
    sync_order(
        uow,
        order_id=shipment.order_id,
        actor=actor,
        params={"carrier": shipment.carrier, "tracking_no": shipment.tracking_no},
    )
    book_shipment(uow, shipment, at=now)
    invoices.issue_invoice(uow, order_id=shipment.order_id, now=now)
    return booking


def _book(uow, shipment: Shipment, now: datetime) -> Booking:
    facts = order_progress.fulfilment_facts(uow, order_id=shipment.order_id)
    origin = next(w for w in ledger.list_warehouses(uow) if w.id == shipment.warehouse_id)
    parcels = uow.session.scalar(
        sa.select(sa.func.count()).select_from(Parcel).where(Parcel.shipment_id == shipment.id)
    )
    try:
        return get_carrier(shipment.carrier).book(
            BookingRequest(
                shipment_number=shipment.number,
                carrier=shipment.carrier,
                service=shipment.service if shipment.service != "pickup" else "standard",
                origin_province=origin.province,
                origin_city=origin.name,
                origin_address=origin.name,
                destination_province=facts.province,
                destination_city=facts.city,
                destination_address=facts.address,
                receiver=facts.receiver,
                phone=facts.phone,
                weight_grams=shipment.weight_grams,
                parcels=max(1, parcels or 1),
                booked_at=now,
            )
        )
    except CarrierError as err:
        raise CarrierRefused(err.code) from err


def _consume(uow, shipment: Shipment, actor: Actor) -> None:
    """The goods leave: what the packing area holds for the shipment goes off the books."""
    ref = allocation.shipment_ref(shipment.id)
    levels = [
        lv
        for lv in ledger.levels_by_ref(uow, ref_type=REF, ref_id=ref)
        if lv.is_staging and lv.on_hand
    ]
    ledger.lock_many(uow, ((lv.warehouse_id, lv.product_id) for lv in levels))
    moves = [
        ledger.Move(
            "ship",
            lv.product_id,
            lv.warehouse_id,
            lv.bin_id,
            on_hand=-lv.on_hand,
            reserved=-lv.reserved,
            ref_type=REF,
            ref_id=ref,
        )
        for lv in levels
    ]
    ledger.append(uow, moves, actor_id=actor.user_id)


def _result(shipment: Shipment) -> dict:
    return {
        "number": shipment.number,
        "order": shipment.order_number,
        "status": str(shipment.status),
        "carrier": shipment.carrier,
        "tracking_no": shipment.tracking_no,
        "pickup_code": shipment.pickup_code,
        "shipped_at": shipment.shipped_at.isoformat() if shipment.shipped_at else "",
    }


def ship_order(
    uow,
    *,
    actor: Actor,
    number: str,
    carrier: str = "",
    tracking_no: str = "",
    weight_grams: int | None = None,
    now: datetime | None = None,
) -> list[dict]:
    """Ship every shipment of an order still in the warehouse, recording its pick and pack
    as done by the caller (an outside WMS or a shop that packs itself)."""
    require(actor, Permission.ORDER_FULFIL)
    with uow:
        facts = order_progress.fulfilment_facts(uow, number=number)
        invoices.require_release(uow, order_id=facts.order_id)
        shipments = uow.session.scalars(
            sa.select(Shipment)
            .where(
                Shipment.order_id == facts.order_id,
                Shipment.status.in_([str(s) for s in IN_WAREHOUSE]),
            )
            .order_by(Shipment.id)
            .with_for_update()
        ).all()
        if not shipments:
            raise ValidationFailed("number", "error.ship.nothing_to_ship", status=facts.status)
        for shipment in shipments:
            express.pick_and_pack(uow, shipment, actor=actor, carrier=carrier, weight=weight_grams)
        uow.commit()
    return [
        ship_shipment(
            uow,
            actor=actor,
            shipment_number=s.number,
            pickup_code=s.pickup_code,
            tracking_no=tracking_no,
            now=now,
        )
        for s in shipments
    ]


def track_shipments(uow, *, actor: Actor, now: datetime | None = None, limit: int = 500) -> int:
    """Ask the carriers where shipped parcels are; delivered ones close (beat task).

    The carriers are asked outside any transaction (a slow carrier must not hold row locks);
    each delivery is then recorded in its own short transaction.
    """
    require(actor, Permission.ORDER_FULFIL)
    now = now or utcnow()
    deliveries = []
    for booking in _bookings_in_transit(uow, limit):
        try:
            events = get_carrier(booking.carrier).track(booking, now=now)
        except CarrierError:
            continue  # asked again at the next run
        done = next((e for e in events if e.code == "delivered"), None)
        if done:
            deliveries.append((booking.shipment_number, done.at))
    return sum(_record_delivery(uow, number, at, actor) for number, at in deliveries)


def _bookings_in_transit(uow, limit: int) -> list[Booking]:
    with uow:
        shipments = uow.session.scalars(
            sa.select(Shipment)
            .where(Shipment.status == ShipmentStatus.SHIPPED, Shipment.carrier != "")
            .order_by(Shipment.shipped_at)
            .limit(limit)
        ).all()
        warehouses = {w.id: w for w in ledger.list_warehouses(uow)}
        return [
            Booking(
                carrier=s.carrier,
                tracking_no=s.tracking_no,
                service=s.service,
                booked_at=s.shipped_at,
                label_reference=s.number,
                shipment_number=s.number,
                origin_province=warehouses[s.warehouse_id].province,
                destination_province=s.ship_province,
            )
            for s in shipments
        ]


def _record_delivery(uow, number: str, at: datetime, actor: Actor) -> int:
    with uow:
        shipment = load_shipment(uow, number)
        if shipment.status != ShipmentStatus.SHIPPED:  # another run got there first
            return 0
        shipment.delivered_at = at
        apply_transition(uow, shipment, ShipmentAction.DELIVER, actor=actor)
        receipts.collect_on_delivery(uow, order_id=shipment.order_id, actor=actor)
        sync_order(uow, order_id=shipment.order_id, actor=actor)
        uow.commit()
        return 1
