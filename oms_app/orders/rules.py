"""Pure order rules: validation, line merging and pricing. The UI, the API and tasks share them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from oms_app.core.errors import ValidationFailed
from oms_app.core.money import CENT
from oms_app.core.text import dotted, text_problems
from oms_app.logistics.costs import DELIVERY_METHODS  # pickup, express, freight

# Where an order came from; each has a translation key "channel.<code>".
CHANNELS = ("sales", "portal", "api", "shop")
VAT_RATE = Decimal("0.13")
MAX_DISCOUNT_PCT = Decimal("50")
MAX_LINES = 200
MAX_QUANTITY = 1_000_000
MOBILE = re.compile(r"^1[3-9]\d{9}$")
POSTCODE = re.compile(r"^\d{6}$")
# Shipping fee by method: (flat fee, order net from which it is free).
SHIPPING_FEES = {
    "pickup": (Decimal("0"), Decimal("0")),
    "express": (Decimal("20.00"), Decimal("500.00")),
    "freight": (Decimal("180.00"), Decimal("20000.00")),
}


@dataclass(frozen=True)
class LineInput:
    sku: str
    quantity: int
    unit_price: Decimal | None = None  # None: the price list decides
    discount_pct: Decimal = Decimal("0")
    price_reason: str = ""  # why a price outside the tolerance is right


@dataclass(frozen=True)
class AddressInput:
    province: str = ""
    city: str = ""
    district: str = ""
    street: str = ""
    postcode: str = ""
    receiver: str = ""
    phone: str = ""


@dataclass(frozen=True)
class OrderInput:
    customer_code: str
    lines: list[LineInput]
    delivery_method: str = "express"
    address: AddressInput | None = None  # None: the customer's default address
    requested_date: date | None = None
    notes: str = ""
    channel: str = "sales"
    allow_split: bool = True  # False: never ship from more than one warehouse


@dataclass(frozen=True)
class ProductFacts:
    product_id: int
    sku: str
    name: str
    unit: str
    list_price: Decimal  # the customer's price-list price
    standard_cost: Decimal
    moq: int
    pack_size: int
    specs: dict = field(default_factory=dict)
    active: bool = True


@dataclass(frozen=True)
class PricedLine:
    line_no: int
    product: ProductFacts
    quantity: int
    unit_price: Decimal
    discount_pct: Decimal
    line_total: Decimal  # quantity x unit price, before the line discount
    discount: Decimal
    price_deviation_pct: Decimal  # against the price list, signed


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    discount_total: Decimal
    tax_total: Decimal
    shipping_fee: Decimal
    grand_total: Decimal
    cost_total: Decimal

    @property
    def net(self) -> Decimal:
        return self.subtotal - self.discount_total

    @property
    def margin_pct(self) -> Decimal:
        """Gross margin on the net amount, in percent."""
        if self.net <= 0:
            return Decimal("0")
        return ((self.net - self.cost_total) / self.net * 100).quantize(Decimal("0.1"))


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def merge_duplicate_lines(lines: list[LineInput]) -> list[LineInput]:
    """The same SKU twice becomes one line (quantities added, the first line's price kept)."""
    merged: dict[str, LineInput] = {}
    for line in lines:
        key = line.sku.strip().upper()
        if key in merged:
            merged[key] = replace(merged[key], quantity=merged[key].quantity + line.quantity)
        else:
            merged[key] = replace(line, sku=key)
    return list(merged.values())


def header_errors(cmd: OrderInput) -> list[ValidationFailed]:
    errors = []
    if not cmd.customer_code.strip():
        errors.append(ValidationFailed("customer", "error.required"))
    if cmd.delivery_method not in DELIVERY_METHODS:
        errors.append(
            ValidationFailed("delivery.method", "error.choice", choices=", ".join(DELIVERY_METHODS))
        )
    if cmd.channel not in CHANNELS:
        errors.append(ValidationFailed("channel", "error.choice", choices=", ".join(CHANNELS)))
    if not cmd.lines:
        errors.append(ValidationFailed("lines", "error.order.no_lines"))
    elif len(cmd.lines) > MAX_LINES:
        errors.append(ValidationFailed("lines", "error.order.too_many_lines", max=MAX_LINES))
    if len(cmd.notes) > 1000:
        errors.append(ValidationFailed("notes", "error.too_long", max=1000))
    errors += [ValidationFailed(dotted(loc), code) for loc, code in text_problems(cmd)]
    return errors


def address_errors(address: AddressInput, method: str) -> list[ValidationFailed]:
    """A delivery needs a complete address; pickup needs only a reachable phone."""
    errors = []
    needed = (
        ["receiver", "phone"]
        if method == "pickup"
        else ["province", "city", "street", "receiver", "phone"]
    )
    for name in needed:
        if not getattr(address, name).strip():
            errors.append(ValidationFailed(f"delivery.address.{name}", "error.required"))
    if address.phone.strip() and not MOBILE.match(address.phone.strip()):
        errors.append(ValidationFailed("delivery.address.phone", "error.phone.mainland"))
    if address.postcode.strip() and not POSTCODE.match(address.postcode.strip()):
        errors.append(ValidationFailed("delivery.address.postcode", "error.postcode"))
    return errors


def line_errors(
    index: int, line: LineInput, product: ProductFacts | None, tolerance_pct: Decimal
) -> list[ValidationFailed]:
    """Everything wrong with one line, each error naming its field (`lines[i].quantity`)."""
    at = f"lines[{index}]"
    if product is None or not product.active:
        return [ValidationFailed(f"{at}.sku", "error.sku.unknown", value=line.sku)]
    errors = []
    if line.quantity <= 0 or line.quantity > MAX_QUANTITY:
        errors.append(ValidationFailed(f"{at}.quantity", "error.quantity.positive"))
    elif line.quantity < product.moq:
        errors.append(ValidationFailed(f"{at}.quantity", "error.quantity.moq", moq=product.moq))
    elif line.quantity % product.pack_size:
        errors.append(
            ValidationFailed(f"{at}.quantity", "error.quantity.pack", pack=product.pack_size)
        )
    if not Decimal("0") <= line.discount_pct <= MAX_DISCOUNT_PCT:
        errors.append(
            ValidationFailed(f"{at}.discount_pct", "error.discount.range", max=MAX_DISCOUNT_PCT)
        )
    if line.unit_price is not None:
        if line.unit_price <= 0:
            errors.append(ValidationFailed(f"{at}.unit_price", "error.price.positive"))
        elif (
            abs(deviation_pct(line.unit_price, product.list_price)) > tolerance_pct
            and not line.price_reason.strip()
        ):
            errors.append(
                ValidationFailed(
                    f"{at}.unit_price",
                    "error.price.needs_reason",
                    list_price=str(product.list_price),
                    tolerance=str(tolerance_pct),
                )
            )
    if not product.specs:
        errors.append(ValidationFailed(f"{at}.sku", "error.sku.specs_missing", value=product.sku))
    return errors


def deviation_pct(price: Decimal, list_price: Decimal) -> Decimal:
    if list_price <= 0:
        return Decimal("0")
    return ((price - list_price) / list_price * 100).quantize(Decimal("0.1"))


def price_lines(lines: list[LineInput], products: dict[str, ProductFacts]) -> list[PricedLine]:
    priced = []
    for no, line in enumerate(lines, start=1):
        product = products[line.sku]
        unit_price = money(line.unit_price if line.unit_price is not None else product.list_price)
        gross = money(unit_price * line.quantity)
        priced.append(
            PricedLine(
                line_no=no,
                product=product,
                quantity=line.quantity,
                unit_price=unit_price,
                discount_pct=line.discount_pct,
                line_total=gross,
                discount=money(gross * line.discount_pct / 100),
                price_deviation_pct=deviation_pct(unit_price, product.list_price),
            )
        )
    return priced


def shipping_fee(method: str, net: Decimal) -> Decimal:
    fee, free_from = SHIPPING_FEES[method]
    return Decimal("0.00") if free_from and net >= free_from else money(fee)


def totals(lines: list[PricedLine], method: str) -> Totals:
    """Subtotal, discount, VAT 13% on the net, shipping and total, in exact cents."""
    subtotal = sum((line.line_total for line in lines), Decimal("0.00"))
    discount = sum((line.discount for line in lines), Decimal("0.00"))
    net = subtotal - discount
    fee = shipping_fee(method, net)
    tax = money(net * VAT_RATE)
    cost = money(
        sum((line.product.standard_cost * line.quantity for line in lines), Decimal("0.00"))
    )
    return Totals(
        subtotal=subtotal,
        discount_total=discount,
        tax_total=tax,
        shipping_fee=fee,
        grand_total=net + tax + fee,
        cost_total=cost,
    )
