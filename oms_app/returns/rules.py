"""Pure checks of a return request: which orders may return goods, and how many of each line.

Errors come back all at once as ValidationFailed with field paths (`lines[0].quantity`) and
catalogue keys, so the form or the API can show every problem in one go.
"""

from __future__ import annotations

from dataclasses import dataclass

from oms_app.core.errors import ValidationFailed
from oms_app.orders.status import OrderStatus

RETURNABLE_ORDER_STATUSES = frozenset(
    {OrderStatus.SHIPPED.value, OrderStatus.DELIVERED.value, OrderStatus.COMPLETED.value}
)
REASON_CODES = ("damaged", "wrong_item", "not_as_described", "no_longer_needed", "other")
MAX_NOTE = 1000
MAX_DECISION_REASON = 300
MAX_LINES = 200


@dataclass(frozen=True)
class ReturnLineInput:
    """One line of a request: a SKU of the order and how many come back."""

    sku: str
    quantity: int


@dataclass(frozen=True)
class LineAllowance:
    """How much of one order line may still come back."""

    shipped: int
    returned: int  # claimed by returns not rejected or cancelled

    @property
    def returnable(self) -> int:
        return max(self.shipped - self.returned, 0)


def is_returnable_order(order_status: str) -> bool:
    return str(order_status) in RETURNABLE_ORDER_STATUSES


def returnable_quantity(shipped: int, returned: int) -> int:
    """Shipped less what returns still claim, never below zero."""
    return LineAllowance(shipped, returned).returnable


def header_errors(reason: str, note: str) -> list[ValidationFailed]:
    """The reason is one of the codes; the note is free text of bounded length."""
    errors = []
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    if not reason:
        errors.append(ValidationFailed("reason", "error.required"))
    elif reason not in REASON_CODES:
        errors.append(ValidationFailed("reason", "error.choice", choices=", ".join(REASON_CODES)))
    if not isinstance(note, str):
        errors.append(ValidationFailed("note", "error.invalid"))
    elif len(note) > MAX_NOTE:
        errors.append(ValidationFailed("note", "error.too_long", max=MAX_NOTE))
    return errors


def _quantity_error(field: str, value: object) -> ValidationFailed | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return ValidationFailed(field, "error.number.whole")
    if value < 1:
        return ValidationFailed(field, "error.number.min", min=1)
    return None


def line_errors(
    lines: list[ReturnLineInput], allowances: dict[str, LineAllowance]
) -> list[ValidationFailed]:
    """Each line names a shipped SKU of the order once, for 1 to its returnable quantity.

    `allowances` maps the order's SKUs to what shipped and what returns already claim.
    """
    if not lines:
        return [ValidationFailed("lines", "returns.error.no_lines")]
    if len(lines) > MAX_LINES:
        return [ValidationFailed("lines", "returns.error.too_many_lines", max=MAX_LINES)]
    errors: list[ValidationFailed] = []
    seen: set[str] = set()
    for i, line in enumerate(lines):
        field = f"lines[{i}]"
        sku = line.sku.strip().upper() if isinstance(line.sku, str) else ""
        if not sku:
            errors.append(ValidationFailed(f"{field}.sku", "error.required"))
        elif sku not in allowances:
            errors.append(ValidationFailed(f"{field}.sku", "returns.error.not_on_order", sku=sku))
        elif sku in seen:
            errors.append(ValidationFailed(f"{field}.sku", "returns.error.duplicate_line", sku=sku))
        if bad := _quantity_error(f"{field}.quantity", line.quantity):
            errors.append(bad)
        elif sku in allowances and sku not in seen:
            allowance = allowances[sku]
            if line.quantity > allowance.returnable:
                errors.append(
                    ValidationFailed(
                        f"{field}.quantity",
                        "returns.error.exceeds_returnable",
                        sku=sku,
                        returnable=allowance.returnable,
                        shipped=allowance.shipped,
                    )
                )
        seen.add(sku)
    return errors


def request_errors(
    order_status: str,
    lines: list[ReturnLineInput],
    reason: str,
    note: str,
    allowances: dict[str, LineAllowance],
) -> list[ValidationFailed]:
    """Everything wrong with a return request, or nothing."""
    if not is_returnable_order(order_status):
        return [
            ValidationFailed("order", "returns.error.order_not_returnable", status=order_status)
        ]
    return header_errors(reason, note) + line_errors(lines, allowances)


def decision_reason_errors(reason: str, *, required: bool) -> list[ValidationFailed]:
    """A rejection must say why; any reason is bounded."""
    text = (reason or "").strip() if isinstance(reason, str) else ""
    if required and not text:
        return [ValidationFailed("reason", "returns.error.reason_required")]
    if len(text) > MAX_DECISION_REASON:
        return [ValidationFailed("reason", "error.too_long", max=MAX_DECISION_REASON)]
    return []


def four_eyes_refusal(
    *, actor_id: int | None, requested_by: int | None, order_created_by: int | None
) -> str | None:
    """Why this person may not approve or reject a return (an error code), or None.

    Whoever asked for the return, or entered the order it returns, does not decide on it.
    """
    if actor_id is not None and actor_id == requested_by:
        return "returns.error.own_request"
    if actor_id is not None and actor_id == order_created_by:
        return "returns.error.own_order"
    return None
