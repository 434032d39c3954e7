"""Catalogue use cases: create or replace a product, read one."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa

from oms_app.audit import service as audit
from oms_app.catalog.models import Category, Product
from oms_app.catalog.queries import product_record
from oms_app.changes import guarded
from oms_app.changes import requests as change_requests
from oms_app.core.errors import NotFound, ValidationFailed
from oms_app.core.permissions import Actor, Permission, require
from oms_app.core.text import text_problem

SKU_FORMAT = re.compile(r"[A-Z0-9-]{2,32}")
MONEY_TEXT = re.compile(r"-?[0-9]{1,40}(\.[0-9]{1,40})?")
MAX_MONEY = Decimal("10000000000000000")  # Numeric(18, 2) holds 16 digits before the point
MAX_QUANTITY = 1_000_000_000  # stays inside a 32-bit integer column
MAX_SPECS = 50
CENT = Decimal("0.01")


@dataclass(frozen=True)
class ProductInput:
    """What a caller sets on a product. Money is Decimal or text such as "12.50", never float."""

    name_zh: str
    name_en: str
    category: str
    list_price: Decimal | str | int
    standard_cost: Decimal | str | int = Decimal("0.00")
    unit: str = "pcs"
    moq: int = 1
    pack_size: int = 1
    barcode: str = ""
    specs: dict[str, str] = field(default_factory=dict)
    is_active: bool = True


def normalize_sku(sku: str) -> str:
    return sku.strip().upper() if isinstance(sku, str) else ""


def checked_text(name: str, value: object, max_len: int, *, required: bool = True) -> str:
    """Stripped text within the column's length, free of NUL, lone surrogates and controls."""
    if not isinstance(value, str):
        raise ValidationFailed(name, "error.invalid")
    if problem := text_problem(value):
        raise ValidationFailed(name, problem)
    value = value.strip()
    if required and not value:
        raise ValidationFailed(name, "error.required")
    if len(value) > max_len:
        raise ValidationFailed(name, "error.too_long", max=max_len)
    return value


def checked_money(name: str, value: object) -> Decimal:
    """An exact amount >= 0 with at most two decimals, parsed from Decimal, int or text."""
    if isinstance(value, str) and MONEY_TEXT.fullmatch(value.strip()):
        amount = Decimal(value.strip())
    elif isinstance(value, int) and not isinstance(value, bool):
        amount = Decimal(value)
    elif isinstance(value, Decimal) and value.is_finite():
        amount = value
    else:
        raise ValidationFailed(name, "error.money.invalid")
    if amount < 0:
        raise ValidationFailed(name, "error.number.min", min=0)
    if amount >= MAX_MONEY:
        raise ValidationFailed(name, "error.number.max", max=MAX_MONEY - CENT)
    if amount != amount.quantize(CENT):
        raise ValidationFailed(name, "error.money.decimals")
    return amount.quantize(CENT)


def checked_count(name: str, value: object, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed(name, "error.number.whole")
    if value < minimum:
        raise ValidationFailed(name, "error.number.min", min=minimum)
    if value > MAX_QUANTITY:
        raise ValidationFailed(name, "error.number.max", max=MAX_QUANTITY)
    return value


def is_ean13(code: str) -> bool:
    """Thirteen digits whose last is the check digit (weights 1 and 3 from the left)."""
    if not re.fullmatch(r"[0-9]{13}", code):
        return False
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(code[:12]))
    return (10 - total % 10) % 10 == int(code[12])


def _checked_specs(specs: object) -> dict[str, str]:
    if not isinstance(specs, dict) or len(specs) > MAX_SPECS:
        raise ValidationFailed("specs", "error.invalid")
    return {
        checked_text("specs", k, 64): checked_text(f"specs.{k}", v, 200, required=False)
        for k, v in specs.items()
    }


def _checked_values(data: ProductInput) -> dict:
    """The product's column values, or ValidationFailed naming the first bad field."""
    barcode = checked_text("barcode", data.barcode, 13, required=False)
    if barcode and not is_ean13(barcode):
        raise ValidationFailed("barcode", "error.barcode.invalid")
    if not isinstance(data.is_active, bool):
        raise ValidationFailed("is_active", "error.invalid")
    return {
        "name_zh": checked_text("name_zh", data.name_zh, 200),
        "name_en": checked_text("name_en", data.name_en, 200),
        "unit": checked_text("unit", data.unit, 16),
        "list_price": checked_money("list_price", data.list_price),
        "standard_cost": checked_money("standard_cost", data.standard_cost),
        "moq": checked_count("moq", data.moq, minimum=1),
        "pack_size": checked_count("pack_size", data.pack_size, minimum=1),
        "barcode": barcode,
        "specs": _checked_specs(data.specs),
        "is_active": data.is_active,
    }


def _lock(session, key: str) -> None:
    """Serialize writers of one key until the transaction ends (a unique row may not exist yet)."""
    session.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(key))))


def _category_id(session, code: object) -> tuple[int, str]:
    code = checked_text("category", code, 32)
    found = session.scalar(sa.select(Category.id).where(Category.code == code))
    if found is None:
        raise ValidationFailed("category", "error.category.unknown", value=code)
    return found, code


def _check_barcode_free(session, barcode: str, sku: str) -> None:
    _lock(session, f"barcode:{barcode}")
    holder = session.scalar(
        sa.select(Product.sku).where(Product.barcode == barcode, Product.sku != sku).limit(1)
    )
    if holder:
        raise ValidationFailed("barcode", "error.barcode.taken", value=barcode, sku=holder)


def upsert_product(uow, *, actor: Actor, sku: str, data: ProductInput) -> tuple[dict, bool]:
    """Create the product or replace its details; the flag is True when it was created."""
    require(actor, Permission.PRODUCT_EDIT)
    sku = normalize_sku(sku)
    if not SKU_FORMAT.fullmatch(sku):
        raise ValidationFailed("sku", "error.sku.format")
    values = _checked_values(data)
    with uow:
        s = uow.session
        _lock(s, f"product:{sku}")
        category_id, category_code = _category_id(s, data.category)
        if values["barcode"]:
            _check_barcode_free(s, values["barcode"], sku)
        product = s.scalar(sa.select(Product).where(Product.sku == sku).with_for_update())
        created = product is None
        values = {**values, "category_id": category_id}
        if created:
            product = Product(sku=sku)
            s.add(product)
        before = {k: getattr(product, k) for k in values}  # a new one's are the defaults
        # a price the actor may not set keeps its value and becomes a proposal
        applied, proposed = guarded.set_permitted_fields(actor, "product", product, before, values)
        s.flush()
        guarded.record_write(
            uow,
            actor=actor,
            entity="product",
            entity_id=product.id,
            key=("sku", sku),
            created=created,
            applied=applied,
            proposed=proposed,
        )
        record = _with_pending(s, product, category_code)
        uow.commit()
    return record, created


def get_product(uow, *, actor: Actor, sku: str) -> dict:
    """One product by SKU; NotFound when there is none."""
    require(actor, Permission.PRODUCT_VIEW)
    sku = normalize_sku(sku)
    if not SKU_FORMAT.fullmatch(sku):  # no such SKU can exist; spares the query odd bytes
        raise NotFound(field="sku", entity="product", value=sku)
    with uow:
        row = uow.session.execute(
            sa.select(Product, Category.code)
            .join(Category, Category.id == Product.category_id)
            .where(Product.sku == sku)
        ).first()
        if row is None:
            raise NotFound(field="sku", entity="product", value=sku)
        return _with_pending(uow.session, *row)


def _with_pending(session, product: Product, category_code: str) -> dict:
    """The product with its price proposals waiting for finance."""
    pending = change_requests.open_changes(session, entity="product", entity_id=product.id)
    return {**product_record(product, category_code), "pending_changes": pending}


def apply_approved_change(
    uow, *, actor: Actor, product_id: int, field: str, value: str, change_id: int
) -> None:
    """Set one approved price in the caller's transaction (the caller checked the right)."""
    if field not in ("list_price", "standard_cost"):
        raise ValidationFailed("field", "error.invalid")
    new = checked_money(field, value)
    s = uow.session
    product = s.scalar(sa.select(Product).where(Product.id == product_id).with_for_update())
    if product is None:
        raise NotFound(field="entity_id", entity="product", value=product_id)
    old = getattr(product, field)
    setattr(product, field, new)
    s.flush()
    audit.record(
        uow,
        actor=actor,
        action="product.updated",
        entity="product",
        entity_id=product.id,
        changes={field: (old, new)},
        sku=product.sku,
        change_request=change_id,
    )
