"""What every carrier adapter offers, the values it exchanges, and the carriers we know."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

SERVICES = ("standard", "express", "freight")
TRACKING_CODES = (
    "picked_up",
    "in_transit",
    "arrived_city",
    "out_for_delivery",
    "delivered",
    "exception",
)


class CarrierError(Exception):
    """A carrier refused or failed a request; `code` says why (unknown_carrier, unreachable...)."""

    def __init__(self, code: str, detail: str = ""):
        self.code = code
        self.detail = detail
        super().__init__(f"{code}: {detail}" if detail else code)


def _require_utc(moment: datetime, name: str) -> None:
    # Naive times are ambiguous across the warehouse's and the carrier's zones.
    if moment.tzinfo is None or moment.utcoffset() != timedelta(0):
        raise ValueError(f"{name} must be a UTC datetime")


@dataclass(frozen=True)
class BookingRequest:
    """Ask a carrier to collect a shipment."""

    shipment_number: str
    carrier: str
    service: str  # one of SERVICES
    origin_province: str
    origin_city: str
    origin_address: str
    destination_province: str
    destination_city: str
    destination_address: str
    receiver: str
    phone: str
    weight_grams: int
    parcels: int
    booked_at: datetime  # UTC

    def __post_init__(self) -> None:
        if self.service not in SERVICES:
            raise ValueError(f"unknown service {self.service!r}")
        if self.weight_grams < 0 or self.parcels < 1:
            raise ValueError("weight must be >= 0 g and parcels >= 1")
        _require_utc(self.booked_at, "booked_at")


@dataclass(frozen=True)
class Booking:
    """A carrier's confirmation; it carries the route so tracking can be derived from it."""

    carrier: str
    tracking_no: str
    service: str
    booked_at: datetime  # UTC
    label_reference: str  # what the label printer asks the carrier for
    shipment_number: str = ""
    origin_province: str = ""  # full names, as normalize_province returns them
    destination_province: str = ""


@dataclass(frozen=True)
class TrackingEvent:
    """One scan in a parcel's journey."""

    at: datetime  # UTC
    code: str  # one of TRACKING_CODES
    description_zh: str
    description_en: str
    location: str

    def __post_init__(self) -> None:
        if self.code not in TRACKING_CODES:
            raise ValueError(f"unknown tracking code {self.code!r}")
        _require_utc(self.at, "at")


class CarrierAdapter(Protocol):
    """A carrier's booking and tracking API, seen the same way whoever the carrier is."""

    code: str
    name_zh: str
    name_en: str

    def book(self, request: BookingRequest) -> Booking:
        """Book a collection and return the carrier's tracking number."""
        ...

    def track(self, booking: Booking, *, now: datetime) -> list[TrackingEvent]:
        """Return the events that have happened by now, oldest first."""
        ...

    def cancel(self, booking: Booking, *, now: datetime) -> None:
        """Cancel a booking; carriers refuse once the parcel is picked up."""
        ...


@dataclass(frozen=True)
class CarrierInfo:
    """A carrier's names, services and tracking number format (prefix + digits + suffix)."""

    code: str
    name_zh: str
    name_en: str
    services: tuple[str, ...]
    prefix: str
    digits: int  # random digits after the prefix
    suffix: str = ""

    @property
    def tracking_pattern(self) -> re.Pattern[str]:
        return re.compile(rf"^{re.escape(self.prefix)}\d{{{self.digits}}}{re.escape(self.suffix)}$")

    @property
    def tracking_format(self) -> str:
        """Describe the format for people, e.g. "SF + 13 digits"."""
        parts = [f'"{self.prefix}"'] if self.prefix else []
        parts.append(f"{self.digits} digits")
        if self.suffix:
            parts.append(f'"{self.suffix}"')
        return " + ".join(parts)

    def is_tracking_no(self, value: str) -> bool:
        """Tell whether a string is a well-formed tracking number of this carrier."""
        return bool(self.tracking_pattern.match(value))


_PARCEL = ("standard", "express")
CARRIERS: dict[str, CarrierInfo] = {
    info.code: info
    for info in (
        CarrierInfo("SF", "顺丰速运", "SF Express", _PARCEL, "SF", 13),
        # ZTO waybills are 12 digits starting with 7: prefix "7" then 11 digits.
        CarrierInfo("ZTO", "中通快递", "ZTO Express", _PARCEL, "7", 11),
        CarrierInfo("YTO", "圆通速递", "YTO Express", _PARCEL, "YT", 13),
        CarrierInfo("JD", "京东物流", "JD Logistics", _PARCEL, "JDV", 12),
        CarrierInfo("EMS", "中国邮政EMS", "China Post EMS", _PARCEL, "E", 9, "CN"),
        CarrierInfo("FREIGHT", "零担物流", "LTL freight", ("freight",), "FR", 10),
    )
}
