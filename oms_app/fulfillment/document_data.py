"""What the warehouse documents print: plain frozen values the caller builds, no database rows."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

# The delivery method whose parcels leave through the pickup counter, not a carrier.
PICKUP = "pickup"


@dataclass(frozen=True)
class Contact:
    """A person or warehouse and where they are."""

    name: str
    phone: str
    province: str
    city: str
    district: str
    street: str
    postal_code: str = ""

    @property
    def full_address(self) -> str:
        parts = (self.province, self.city, self.district, self.street, self.postal_code)
        return " ".join(part for part in parts if part)


@dataclass(frozen=True)
class PickLine:
    """One bin to visit: take this quantity of this product for this order."""

    seq: int
    bin_code: str
    sku: str
    product_barcode: str
    product_name: str
    quantity: Decimal
    unit: str
    order_number: str


@dataclass(frozen=True)
class PickListData:
    """A picking wave, its lines already sorted by bin path."""

    wave_number: str
    warehouse_code: str
    warehouse_name: str
    picker_name: str
    carrier: str
    cutoff_at: str
    printed_at: str
    lines: tuple[PickLine, ...]


@dataclass(frozen=True)
class PackingLine:
    """One product packed in the shipment."""

    sku: str
    product_name: str
    quantity: Decimal
    unit: str


@dataclass(frozen=True)
class PackedParcel:
    """One box of the shipment."""

    parcel_number: str
    weight_kg: Decimal
    tracking_number: str = ""


@dataclass(frozen=True)
class PackingSlipData:
    """The slip laid in the box for the receiver."""

    order_number: str
    shipment_number: str
    ship_to: Contact
    lines: tuple[PackingLine, ...]
    parcels: tuple[PackedParcel, ...]
    notes: str = ""
    printed_at: str = ""


@dataclass(frozen=True)
class Carrier:
    """The express company and the service booked with it."""

    name_zh: str
    name_en: str
    service: str


@dataclass(frozen=True)
class LabelParcel:
    """One parcel to label; pickup parcels have no tracking number."""

    weight_kg: Decimal
    tracking_number: str = ""


@dataclass(frozen=True)
class ShippingLabelData:
    """The labels of one shipment, one per parcel."""

    order_number: str
    shipment_number: str
    sender: Contact
    receiver: Contact
    parcels: tuple[LabelParcel, ...]
    delivery_method: str = "express"
    carrier: Carrier | None = None
    pickup_code: str = ""

    def __post_init__(self) -> None:
        # A wrong label sends a parcel astray, so refuse inconsistent data before printing.
        if not self.parcels:
            raise ValueError("a shipping label needs at least one parcel")
        if self.is_pickup:
            if not self.pickup_code or self.carrier is not None:
                raise ValueError("a pickup label needs a pickup code and no carrier")
        elif self.carrier is None or not all(p.tracking_number for p in self.parcels):
            raise ValueError("a carrier label needs a carrier and a tracking number per parcel")

    @property
    def is_pickup(self) -> bool:
        return self.delivery_method == PICKUP
