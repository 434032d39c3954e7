"""What the real carrier adapters share: the careful POST, Beijing scan times, bookings, events.

Retry policy (`post`): one retry when the connection never opened, since then the carrier saw
nothing; otherwise only idempotent calls (tracking, cancelling) are repeated. A booking that may
have reached the carrier is never sent twice: the adapter compensates instead (cancels by its own
order id where the carrier allows it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import httpx

from oms_app.logistics.carriers import Booking, BookingRequest, CarrierError, TrackingEvent
from oms_app.logistics.geography import get_province, normalize_province

TIMEOUT_SECONDS = 5.0
BEIJING = ZoneInfo("Asia/Shanghai")  # carriers send scans in Beijing wall-clock time
DESCRIPTIONS_EN = {
    "picked_up": "Picked up",
    "in_transit": "In transit",
    "arrived_city": "Arrived in the destination city",
    "out_for_delivery": "Out for delivery",
    "delivered": "Delivered",
    "exception": "Delivery problem",
}


def post(
    url: str,
    *,
    carrier: str,
    timeout: float,
    idempotent: bool,
    data: dict | None = None,
    content: str | None = None,
    headers: dict | None = None,
    params: dict | None = None,
) -> httpx.Response:
    """POST with one retry: always when the connection never opened, else only if idempotent."""
    body = content.encode("utf-8") if content is not None else None
    failure: httpx.TransportError | None = None
    for _attempt in range(2):
        try:
            with httpx.Client(timeout=timeout) as client:
                response = client.post(url, data=data, content=body, headers=headers, params=params)
        except httpx.TransportError as exc:
            failure = exc
            if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout) or idempotent:
                continue
            break
        if response.status_code < 500:
            return response
        failure = httpx.RemoteProtocolError(f"HTTP {response.status_code}")
        if not idempotent:
            break
    code = "timeout" if isinstance(failure, httpx.TimeoutException) else "network"
    raise CarrierError(code, f"{carrier}: {failure!r}")


def read_json(response: httpx.Response, carrier: str):
    """The answer's JSON, or a network error when the carrier sent something else."""
    try:
        return response.json()
    except ValueError as exc:
        raise CarrierError(
            "network", f"{carrier}: unreadable answer {response.status_code}"
        ) from exc


def check_own(carrier: str, code: str) -> None:
    """Refuse a request or booking that belongs to another carrier."""
    if carrier != code:
        raise CarrierError("wrong_carrier", f"{carrier} is not {code}")


def attempt_order_id(shipment_number: str, booked_at: datetime) -> str:
    """Our order id at a carrier: one per booking attempt, as carriers never accept one twice."""
    return f"{shipment_number}-{booked_at.astimezone(UTC):%Y%m%d%H%M%S}"


def booking_of(request: BookingRequest, tracking_no: str, *, label_reference: str = "") -> Booking:
    """The Booking for a carrier's confirmed tracking number."""
    return Booking(
        carrier=request.carrier,
        tracking_no=tracking_no,
        service=request.service,
        booked_at=request.booked_at,
        label_reference=label_reference or tracking_no,
        shipment_number=request.shipment_number,
        origin_province=normalize_province(request.origin_province) or "",
        destination_province=normalize_province(request.destination_province) or "",
    )


def from_beijing(text: str) -> datetime:
    """A carrier's "YYYY-MM-DD HH:MM:SS" Beijing wall-clock time, in UTC."""
    local = datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
    return local.replace(tzinfo=BEIJING).astimezone(UTC)


def scan_time(value) -> datetime:
    """A scan time sent as epoch milliseconds or as Beijing wall-clock text, in UTC."""
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value / 1000, tz=UTC)
    return from_beijing(str(value))


def in_province(location: str, province_name: str) -> bool:
    """Tell whether a scan's place names the province (its short name or its capital)."""
    province = get_province(province_name)
    return bool(province and (province.short in location or province.capital in location))


def event(at: datetime, code: str, description_zh: str, location: str) -> TrackingEvent:
    """A TrackingEvent with our English description of the code."""
    return TrackingEvent(at, code, description_zh, DESCRIPTIONS_EN[code], location)


def events_until(
    scans: Iterable[dict], read: Callable[[dict], TrackingEvent], *, now: datetime, carrier: str
) -> list[TrackingEvent]:
    """Read the carrier's scans into events up to now, oldest first."""
    try:
        events = [read(scan) for scan in scans]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CarrierError("network", f"{carrier}: unreadable scan {exc!r}") from exc
    return sorted((e for e in events if e.at <= now), key=lambda e: e.at)
