"""Goods receipt: validate every line first, then append receipt movements in one transaction."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa

from oms_app.audit import service as audit
from oms_app.catalog.service import SKU_FORMAT, checked_text, normalize_sku
from oms_app.core.clock import business_zone, utcnow
from oms_app.core.errors import Conflict, ValidationErrors, ValidationFailed
from oms_app.core.permissions import Actor, Permission, require
from oms_app.fulfillment.events import StockReceived
from oms_app.inventory import ledger
from oms_app.inventory.models import BinLocation, ExpectedReceipt, StockMovement, Warehouse
from oms_app.inventory.queries import PRODUCTS
from oms_app.inventory.service import WAREHOUSE_CODE

RECEIPT_REF = "receipt"
MAX_RECEIPT_QTY = 1_000_000
MAX_LINES = 500


@dataclass(frozen=True)
class ReceiptLine:
    """One scanned line: a SKU, how many arrived, and the bin they go to (blank: receiving)."""

    sku: str
    quantity: int
    bin_code: str = ""


@dataclass(frozen=True)
class _Checked:
    product_id: int
    sku: str
    quantity: int
    bin_id: int
    bin_code: str


class DuplicateReceipt(Conflict):
    """This reference was received already: a retried post must not add the goods twice."""

    code = "error.receipt.duplicate"


def new_reference() -> str:
    """RCV-<local date>-<random>: unique without a counter table."""
    day = utcnow().astimezone(business_zone()).strftime("%Y%m%d")
    return f"RCV-{day}-{uuid.uuid4().hex[:8].upper()}"


def _quantity_error(field: str, value: object) -> ValidationFailed | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return ValidationFailed(field, "error.number.whole")
    if value < 1:
        return ValidationFailed(field, "error.number.min", min=1)
    if value > MAX_RECEIPT_QTY:
        return ValidationFailed(field, "error.number.max", max=MAX_RECEIPT_QTY)
    return None


def _find_warehouse(session, code: object) -> Warehouse | None:
    code = code.strip().upper() if isinstance(code, str) else ""
    if not WAREHOUSE_CODE.fullmatch(code):
        return None
    return session.scalar(sa.select(Warehouse).where(Warehouse.code == code))


def _product_ids(session, skus: set[str]) -> dict[str, int]:
    skus = {s for s in skus if SKU_FORMAT.fullmatch(s)}  # odd bytes never reach the query
    if not skus:
        return {}
    rows = session.execute(
        sa.select(PRODUCTS.c.sku, PRODUCTS.c.id).where(PRODUCTS.c.sku.in_(sorted(skus)))
    )
    return {sku: pid for sku, pid in rows}


def _bins(session, warehouse_id: int, codes: set[str]) -> dict[str, tuple[int, str]]:
    """code -> (bin id, zone) for the named bins of the warehouse."""
    codes = {c for c in codes if c and "\x00" not in c and len(c) <= 32}
    if not codes:
        return {}
    rows = session.execute(
        sa.select(BinLocation.code, BinLocation.id, BinLocation.zone).where(
            BinLocation.warehouse_id == warehouse_id, BinLocation.code.in_(sorted(codes))
        )
    )
    return {code: (bin_id, zone) for code, bin_id, zone in rows}


def _bin_code(line: object) -> str:
    code = getattr(line, "bin_code", "")
    return code.strip().upper() if isinstance(code, str) else "?"


def _check_lines(uow, warehouse: Warehouse | None, lines: list) -> tuple[list[_Checked], list]:
    """Every line's errors at once; a line is kept only when all of it is right."""
    s = uow.session
    errors: list[ValidationFailed] = []
    ids = _product_ids(s, {normalize_sku(getattr(ln, "sku", "")) for ln in lines})
    codes = {_bin_code(ln) for ln in lines}
    bins = _bins(s, warehouse.id, codes) if warehouse else {}
    receiving = None
    checked = []
    for i, line in enumerate(lines):
        field = f"lines[{i}]"
        found = []
        sku = normalize_sku(getattr(line, "sku", ""))
        if not sku:
            found.append(ValidationFailed(f"{field}.sku", "error.required"))
        elif sku not in ids:
            found.append(ValidationFailed(f"{field}.sku", "error.sku.unknown", value=sku))
        if bad := _quantity_error(f"{field}.quantity", getattr(line, "quantity", None)):
            found.append(bad)
        code = _bin_code(line)
        bin_id = None
        if warehouse and not code:
            receiving = receiving or ledger.receiving_bin(uow, warehouse_id=warehouse.id)
            bin_id, code = receiving, ledger.RECEIVING_BIN
        elif warehouse and code not in bins:
            found.append(
                ValidationFailed(
                    f"{field}.bin", "error.bin.unknown", value=code.replace("\x00", "")[:32]
                )
            )
        elif warehouse and bins[code][1] == ledger.STAGING_ZONE:
            found.append(ValidationFailed(f"{field}.bin", "error.bin.staging", value=code))
        elif warehouse:
            bin_id = bins[code][0]
        errors += found
        if not found and warehouse:
            checked.append(_Checked(ids[sku], sku, line.quantity, bin_id, code))
    return checked, errors


def _check_expected(
    uow, expected_id: object, warehouse: Warehouse | None, checked: list[_Checked]
) -> tuple[ExpectedReceipt | None, list[ValidationFailed]]:
    if expected_id is None:
        return None, []
    field = "expected_receipt_id"
    if isinstance(expected_id, bool) or not isinstance(expected_id, int):
        return None, [ValidationFailed(field, "error.number.whole")]
    row = uow.session.get(ExpectedReceipt, expected_id, with_for_update=True)
    if row is None:
        return None, [ValidationFailed(field, "error.expected_receipt.unknown", value=expected_id)]
    if row.state != "open":
        return None, [ValidationFailed(field, "error.expected_receipt.closed", state=row.state)]
    if warehouse and row.warehouse_id != warehouse.id:
        return None, [ValidationFailed(field, "error.expected_receipt.warehouse")]
    if checked and all(c.product_id != row.product_id for c in checked):
        return None, [ValidationFailed(field, "error.expected_receipt.product")]
    return row, []


def _check_reference(uow, reference: str) -> None:
    """A reference is received once (serialized per reference, so twin posts cannot both pass)."""
    key = f"receipt:{reference}"
    uow.session.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(key))))
    used = uow.session.scalar(
        sa.select(StockMovement.id)
        .where(StockMovement.ref_type == RECEIPT_REF, StockMovement.ref_id == reference)
        .limit(1)
    )
    if used is not None:
        raise DuplicateReceipt(field="reference", reference=reference)


def receive_stock(
    uow,
    *,
    actor: Actor,
    warehouse_code: str,
    lines: list[ReceiptLine],
    reference: str = "",
    expected_receipt_id: int | None = None,
) -> dict:
    """Book arrived goods into their bins; any bad line refuses the whole receipt."""
    require(actor, Permission.STOCK_MOVE)
    reference = checked_text("reference", reference, 64, required=False) or new_reference()
    if not isinstance(lines, list | tuple) or not lines:
        raise ValidationFailed("lines", "error.receipt.no_lines")
    if len(lines) > MAX_LINES:
        raise ValidationFailed("lines", "error.receipt.too_many_lines", max=MAX_LINES)
    with uow:
        warehouse = _find_warehouse(uow.session, warehouse_code)
        errors = []
        if warehouse is None:
            code = warehouse_code if isinstance(warehouse_code, str) else ""
            errors.append(
                ValidationFailed("warehouse", "error.warehouse.unknown", value=code.strip()[:16])
            )
        checked, line_errors = _check_lines(uow, warehouse, list(lines))
        expected, expected_errors = _check_expected(uow, expected_receipt_id, warehouse, checked)
        errors += line_errors + expected_errors
        if errors:
            raise ValidationErrors(errors)
        _check_reference(uow, reference)
        result = _book(uow, actor, warehouse, checked, reference, expected)
        uow.commit()
    return result


def _book(
    uow,
    actor: Actor,
    warehouse: Warehouse,
    checked: list[_Checked],
    reference: str,
    expected: ExpectedReceipt | None,
) -> dict:
    """Append the movements, advance the expected receipt, queue events, write the audit."""
    ledger.lock_many(uow, ((warehouse.id, c.product_id) for c in checked))
    moves = [
        ledger.Move(
            "receipt",
            c.product_id,
            warehouse.id,
            c.bin_id,
            on_hand=c.quantity,
            ref_type=RECEIPT_REF,
            ref_id=reference,
        )
        for c in checked
    ]
    ledger.append(uow, moves, actor_id=actor.user_id)
    per_product: dict[tuple[int, str], int] = defaultdict(int)
    for c in checked:
        per_product[(c.product_id, c.sku)] += c.quantity
    if expected is not None:
        expected.received_qty += sum(
            q for (p, _), q in per_product.items() if p == expected.product_id
        )
        if expected.received_qty >= expected.quantity:
            expected.state = "received"
        uow.session.add(expected)
    for (product_id, sku), quantity in sorted(per_product.items()):
        uow.add_event(
            StockReceived(
                warehouse_id=warehouse.id, product_id=product_id, sku=sku, quantity=quantity
            )
        )
    lines = [{"sku": c.sku, "quantity": c.quantity, "bin": c.bin_code} for c in checked]
    audit.record(
        uow,
        actor=actor,
        action="stock.received",
        entity="receipt",
        entity_id=reference,
        warehouse=warehouse.code,
        lines="; ".join(f"{ln['sku']} x{ln['quantity']} @{ln['bin']}" for ln in lines),
        expected_receipt=expected.id if expected else "",
    )
    return {
        "reference": reference,
        "warehouse": warehouse.code,
        "lines": lines,
        "total_quantity": sum(c.quantity for c in checked),
        "expected_receipt": (
            {
                "id": expected.id,
                "quantity": expected.quantity,
                "received_qty": expected.received_qty,
                "state": expected.state,
            }
            if expected
            else None
        ),
        "product_ids": sorted({c.product_id for c in checked}),
    }
