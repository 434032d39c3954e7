"""Shipping cost by delivery method, carrier, zone and weight. Pure rules, Decimal money."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from oms_app.core.errors import ValidationFailed
from oms_app.core.money import CENT
from oms_app.logistics.geography import ZONES, shipping_zone

# Self-pickup, parcel express, or freight (LTL/FTL); the same codes as an order's delivery method.
DELIVERY_METHODS = ("pickup", "express", "freight")
FREIGHT_CARRIER = "FREIGHT"
GRAMS_PER_KG = 1000
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class RateCard:
    """One carrier's tariff in one zone: express per started kg, freight per kg with a floor."""

    carrier: str
    zone: str
    method: str  # "express" or "freight"
    first_kg: Decimal = ZERO
    additional_kg: Decimal = ZERO
    per_kg: Decimal = ZERO
    minimum: Decimal = ZERO


RateTable = Mapping[tuple[str, str], RateCard]


def _express(carrier: str, zone: str, first_kg: str, additional_kg: str) -> RateCard:
    return RateCard(carrier, zone, "express", Decimal(first_kg), Decimal(additional_kg))


def _freight(zone: str, per_kg: str, minimum: str) -> RateCard:
    return RateCard(
        FREIGHT_CARRIER, zone, "freight", per_kg=Decimal(per_kg), minimum=Decimal(minimum)
    )


# (first kg, each further kg) per zone local / near / far / remote, in CNY. SF and JD sell speed,
# ZTO and YTO sell price, EMS reaches everywhere; remote zones cost two to three times more.
_EXPRESS_TARIFFS = {
    "SF": (("12", "2"), ("18", "5"), ("23", "10"), ("35", "18")),
    "JD": (("11", "2"), ("16", "5"), ("22", "9"), ("33", "17")),
    "EMS": (("8", "2"), ("12", "4"), ("15", "6"), ("22", "12")),
    "ZTO": (("5", "1"), ("7", "2"), ("9", "4"), ("18", "12")),
    "YTO": (("5.5", "1"), ("7.5", "2"), ("9.5", "3.5"), ("20", "12")),
}
# (per kg, minimum charge) per zone for LTL freight.
_FREIGHT_TARIFF = (("0.80", "80"), ("1.20", "120"), ("1.80", "180"), ("3.50", "300"))

DEFAULT_RATES: dict[tuple[str, str], RateCard] = {
    **{
        (carrier, zone): _express(carrier, zone, first, more)
        for carrier, tariff in _EXPRESS_TARIFFS.items()
        for zone, (first, more) in zip(ZONES, tariff, strict=True)
    },
    **{
        (FREIGHT_CARRIER, zone): _freight(zone, per_kg, minimum)
        for zone, (per_kg, minimum) in zip(ZONES, _FREIGHT_TARIFF, strict=True)
    },
}


def chargeable_kg(weight_grams: int) -> int:
    """Return the express billing weight: every started kilogram, at least one."""
    return max(1, -(-weight_grams // GRAMS_PER_KG))


def card_cost(card: RateCard, *, weight_grams: int) -> Decimal:
    """Price a parcel or consignment of this weight on one rate card."""
    if card.method == "freight":
        raw = max(card.minimum, card.per_kg * Decimal(weight_grams) / GRAMS_PER_KG)
    else:
        raw = card.first_kg + card.additional_kg * (chargeable_kg(weight_grams) - 1)
    return raw.quantize(CENT, rounding=ROUND_HALF_UP)


def _check_weight(weight_grams: int) -> None:
    if weight_grams < 0:
        raise ValidationFailed("weight_grams", "error.shipping.weight")


def shipping_cost(
    *,
    method: str,
    carrier: str,
    origin_province: str,
    destination_province: str,
    weight_grams: int,
    rates: RateTable = DEFAULT_RATES,
) -> Decimal:
    """Return what shipping this weight between two provinces costs with a method and carrier."""
    if method not in DELIVERY_METHODS:
        raise ValidationFailed("delivery_method", "error.shipping.method")
    _check_weight(weight_grams)
    if method == "pickup":
        return ZERO
    # Freight has one LTL tariff for now, so the carrier may be left blank for it.
    code = carrier or (FREIGHT_CARRIER if method == "freight" else "")
    card = rates.get((code, shipping_zone(origin_province, destination_province)))
    if card is None or card.method != method:
        raise ValidationFailed("carrier", "error.shipping.carrier")
    return card_cost(card, weight_grams=weight_grams)


def express_carriers(rates: RateTable = DEFAULT_RATES) -> list[str]:
    """List the carriers that have express rate cards, in table order."""
    return list(dict.fromkeys(c.carrier for c in rates.values() if c.method == "express"))


def cheapest_carrier(
    *,
    origin_province: str,
    destination_province: str,
    weight_grams: int,
    rates: RateTable = DEFAULT_RATES,
    carriers: Iterable[str] | None = None,
) -> tuple[str, Decimal]:
    """Return the express carrier that ships this parcel cheapest, and its cost."""
    _check_weight(weight_grams)
    zone = shipping_zone(origin_province, destination_province)
    wanted = express_carriers(rates) if carriers is None else list(carriers)
    quotes = [
        (card_cost(card, weight_grams=weight_grams), code)
        for code in wanted
        if (card := rates.get((code, zone))) is not None and card.method == "express"
    ]
    if not quotes:
        raise ValidationFailed("carrier", "error.shipping.carrier")
    # Ties go to the alphabetically first code so the same parcel always gets the same answer.
    cost, code = min(quotes)
    return code, cost
