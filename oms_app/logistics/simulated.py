"""A stand-in carrier for the demo and tests: plausible numbers and scans, no network, no state."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from oms_app.logistics.carriers import (
    CARRIERS,
    Booking,
    BookingRequest,
    CarrierError,
    TrackingEvent,
)
from oms_app.logistics.geography import (
    Province,
    distance_km,
    get_province,
    normalize_province,
    shipping_zone,
)

PICKUP_AFTER = timedelta(hours=1)
DEPART_AFTER = timedelta(hours=4)
LINE_HAUL_BASE = timedelta(hours=12)
LINE_HAUL_PER_100_KM = timedelta(hours=1)
REMOTE_EXTRA = timedelta(hours=24)  # thin networks: fewer trucks, transfers wait for a full load
OUT_FOR_DELIVERY_AFTER = timedelta(hours=8)
DELIVERED_AFTER = timedelta(hours=4)


def tracking_number(*, carrier: str, shipment_number: str, booked_at: datetime) -> str:
    """Derive a tracking number in the carrier's format from the booking's identity."""
    info = CARRIERS[carrier]
    seed = f"{carrier}|{shipment_number}|{booked_at.astimezone(UTC).isoformat()}"
    number = int(hashlib.sha256(seed.encode("utf-8")).hexdigest(), 16) % 10**info.digits
    return f"{info.prefix}{number:0{info.digits}d}{info.suffix}"


def arrival_delay(*, origin_province: str, destination_province: str) -> timedelta:
    """Return how long after booking a parcel reaches the destination city's hub."""
    km = distance_km(origin_province, destination_province)
    haul = LINE_HAUL_BASE + LINE_HAUL_PER_100_KM * (km / 100)
    if shipping_zone(origin_province, destination_province) == "remote":
        haul += REMOTE_EXTRA
    return timedelta(minutes=round(haul / timedelta(minutes=1)))


def _hub(province: Province) -> str:
    # "广东广州" reads naturally, "北京北京" does not.
    if province.capital == province.short:
        return province.capital
    return f"{province.short}{province.capital}"


def tracking_schedule(booking: Booking) -> list[TrackingEvent]:
    """Return every scan the booking will get, including those still in the future."""
    origin = get_province(booking.origin_province)
    target = get_province(booking.destination_province)
    if origin is None or target is None:
        raise CarrierError("unreachable", "the booking has no known route")
    picked = booking.booked_at + PICKUP_AFTER
    departed = booking.booked_at + DEPART_AFTER
    arrived = booking.booked_at + arrival_delay(
        origin_province=origin.name, destination_province=target.name
    )
    out = arrived + OUT_FOR_DELIVERY_AFTER
    delivered = out + DELIVERED_AFTER
    here, there = _hub(origin), _hub(target)
    return [
        TrackingEvent(picked, "picked_up", "快件已揽收", "Picked up", here),
        TrackingEvent(
            departed,
            "in_transit",
            f"快件已发往{target.capital}",
            f"In transit to {target.name_en}",
            here,
        ),
        TrackingEvent(
            arrived,
            "arrived_city",
            f"快件已到达{target.capital}转运中心",
            f"Arrived at the {target.name_en} hub",
            there,
        ),
        TrackingEvent(out, "out_for_delivery", "快件派送中", "Out for delivery", there),
        TrackingEvent(delivered, "delivered", "快件已签收", "Delivered", there),
    ]


class SimulatedCarrier:
    """Any carrier in CARRIERS, simulated: deterministic bookings, scans derived from the clock."""

    def __init__(self, code: str):
        if code not in CARRIERS:
            raise CarrierError("unknown_carrier", code)
        info = CARRIERS[code]
        self.code = code
        self.name_zh = info.name_zh
        self.name_en = info.name_en
        self.services = info.services

    def __repr__(self) -> str:
        return f"SimulatedCarrier({self.code!r})"

    def _check_own(self, carrier: str) -> None:
        if carrier != self.code:
            raise CarrierError("wrong_carrier", f"{carrier} is not {self.code}")

    def book(self, request: BookingRequest) -> Booking:
        """Book a collection and issue a tracking number in this carrier's format."""
        self._check_own(request.carrier)
        if request.service not in self.services:
            raise CarrierError("service_unavailable", f"{self.code} has no {request.service}")
        origin = normalize_province(request.origin_province)
        target = normalize_province(request.destination_province)
        if origin is None or target is None:
            raise CarrierError("unreachable", "unknown province on the route")
        number = tracking_number(
            carrier=self.code, shipment_number=request.shipment_number, booked_at=request.booked_at
        )
        return Booking(
            carrier=self.code,
            tracking_no=number,
            service=request.service,
            booked_at=request.booked_at,
            label_reference=f"SIM-{number}",
            shipment_number=request.shipment_number,
            origin_province=origin,
            destination_province=target,
        )

    def track(self, booking: Booking, *, now: datetime) -> list[TrackingEvent]:
        """Return the scans that have happened by now, oldest first."""
        self._check_own(booking.carrier)
        return [event for event in tracking_schedule(booking) if event.at <= now]

    def cancel(self, booking: Booking, *, now: datetime) -> None:
        """Cancel the booking; refused once the courier has collected the parcel."""
        self._check_own(booking.carrier)
        # Stateless, so nothing to undo here: the simulation only enforces the carrier's rule.
        if now >= booking.booked_at + PICKUP_AFTER:
            raise CarrierError("already_picked_up", booking.tracking_no)
