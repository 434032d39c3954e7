"""What the approval queue shows: sort, filters and page, parsed from raw screen or API input."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from oms_app.core.errors import ValidationErrors, ValidationFailed

# The natural direction of each sort: what a manager wants on top first.
SORTS = {
    "age": "oldest first",
    "amount": "largest first",
    "risk": "riskiest first",
    "due": "SLA due soonest",
}
APPROVAL_ROLES = ("sales_manager", "finance", "warehouse")
ROLE_CHOICES = ("mine", "all", *APPROVAL_ROLES)
PAGE_SIZES = (10, 25, 50)


@dataclass(frozen=True)
class QueueQuery:
    sort: str = "age"
    reverse: bool = False  # flip the natural direction
    role: str = "mine"  # "mine": the levels the viewer may decide; "all"; or one role
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    customer: str = ""  # part of the customer's name or code
    min_risk: int | None = None
    anomalies_only: bool = False
    overdue_only: bool = False
    page: int = 1
    page_size: int = 25


def _amount(raw: object, field: str, errors: list) -> Decimal | None:
    text = str(raw or "").strip().replace(",", "").lstrip("¥")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        errors.append(ValidationFailed(field, "error.queue.amount_not_number"))
        return None
    if not value.is_finite() or value < 0:
        errors.append(ValidationFailed(field, "error.queue.amount_negative"))
        return None
    return value


def _risk(raw: object, errors: list) -> int | None:
    text = str(raw or "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) > 100:
        errors.append(ValidationFailed("min_risk", "error.queue.risk_range"))
        return None
    return int(text)


def _whole(raw: object, default: int) -> int:
    text = str(raw or "").strip()
    return int(text) if text.isdigit() else default


def _flag(raw: object) -> bool:
    return raw in (True, "on", "true", "1", 1)


def parse_queue_query(raw: dict) -> QueueQuery:
    """A QueueQuery from form-like input; every bad field is named at once (ValidationErrors)."""
    errors: list[ValidationFailed] = []
    sort = str(raw.get("sort") or "age")
    if sort not in SORTS:
        errors.append(ValidationFailed("sort", "error.queue.unknown_sort"))
    role = str(raw.get("role") or "mine")
    if role not in ROLE_CHOICES:
        errors.append(ValidationFailed("role", "error.queue.unknown_role"))
    min_amount = _amount(raw.get("min_amount"), "min_amount", errors)
    max_amount = _amount(raw.get("max_amount"), "max_amount", errors)
    if min_amount is not None and max_amount is not None and min_amount > max_amount:
        errors.append(ValidationFailed("max_amount", "error.queue.amount_range"))
    min_risk = _risk(raw.get("min_risk"), errors)
    page, page_size = _whole(raw.get("page"), 1), _whole(raw.get("page_size"), 25)
    if errors:
        raise ValidationErrors(errors)
    return QueueQuery(
        sort=sort,
        reverse=_flag(raw.get("reverse")),
        role=role,
        min_amount=min_amount,
        max_amount=max_amount,
        customer=str(raw.get("customer") or "").strip()[:100],
        min_risk=min_risk,
        anomalies_only=_flag(raw.get("anomalies_only")),
        overdue_only=_flag(raw.get("overdue_only")),
        page=max(1, page),
        page_size=page_size if page_size in PAGE_SIZES else 25,
    )
