"""Pure rules of the live picking board: which column a shipment stands in, when it is overdue,
and how rows become the small cards every screen shows. No I/O."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

# Columns left to right; each is one shipment status ("shipped_today" only for today's).
COLUMNS: tuple[str, ...] = ("to_pick", "picking", "picked", "packing", "ready", "shipped_today")
STATUS_COLUMN: dict[str, str] = {
    "allocated": "to_pick",
    "picking": "picking",
    "picked": "picked",
    "packing": "packing",
    "packed": "ready",
    "shipped": "shipped_today",
    # Delivered the same day (counter pick-up) is still shipped today.
    "delivered": "shipped_today",
}
OPEN_STATUSES: tuple[str, ...] = ("allocated", "picking", "picked", "packing", "packed")
SHIPPED_STATUSES: tuple[str, ...] = ("shipped", "delivered")
CARDS_PER_COLUMN = 60
URGENT = 1


@dataclass(frozen=True)
class BoardRow:
    """One shipment as the board query reads it."""

    shipment_id: int
    number: str
    order_number: str
    customer_name: str
    status: str
    priority: int
    cutoff_at: datetime | None
    carrier: str
    wave_number: str
    shipped_at: datetime | None = None
    payment_status: str = ""  # the order's: unpaid, partially_paid, paid, refunded


def business_day_bounds(now: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) of the business day containing `now`, in UTC."""
    day = now.astimezone(zone).date()
    start = datetime.combine(day, time(0, 0), tzinfo=zone)
    return start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC)


def column_of(status: str, shipped_at: datetime | None, day: tuple[datetime, datetime]) -> str:
    """The column key of a shipment, or "" when it is not on the board."""
    column = STATUS_COLUMN.get(str(status), "")
    if column != "shipped_today":
        return column
    start, end = day
    return column if shipped_at is not None and start <= _aware(shipped_at) < end else ""


def is_overdue(status: str, cutoff_at: datetime | None, now: datetime) -> bool:
    """The carrier's cut-off has passed and the goods are still in the warehouse."""
    return str(status) in OPEN_STATUSES and cutoff_at is not None and _aware(cutoff_at) < now


def iso_utc(moment: datetime | None) -> str:
    """`2025-03-01T10:00:00Z`, or "" (what the browser parses for its countdowns)."""
    if moment is None:
        return ""
    return _aware(moment).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def card_of(row: BoardRow, units: int, picked: int, now: datetime) -> dict:
    """A card of plain str/int/bool values, the same for every viewer (no zone, no language)."""
    cutoff = _aware(row.cutoff_at) if row.cutoff_at is not None else None
    return {
        "number": row.number,
        "order_number": row.order_number,
        "customer": row.customer_name,
        "status": str(row.status),
        "priority": int(row.priority),
        "urgent": int(row.priority) <= URGENT,
        "cutoff_at": iso_utc(cutoff),
        "cutoff_ms": int(cutoff.timestamp() * 1000) if cutoff else 0,
        "carrier": row.carrier,
        "wave": row.wave_number,
        "units": int(units),
        "picked": int(picked),
        "progress": progress_pct(units, picked),
        "overdue": is_overdue(row.status, cutoff, now),
        "payment": row.payment_status,
    }


def progress_pct(units: int, picked: int) -> int:
    if units <= 0:
        return 0
    return max(0, min(100, round(100 * picked / units)))


def sort_key(row: BoardRow) -> tuple:
    """Earliest cut-off first, then urgent before normal; today's shipped: newest first."""
    if STATUS_COLUMN.get(str(row.status)) == "shipped_today":
        shipped = _aware(row.shipped_at).timestamp() if row.shipped_at else 0.0
        return (1, -shipped, 0, row.shipment_id)
    cutoff = _aware(row.cutoff_at).timestamp() if row.cutoff_at else float("inf")
    return (0, cutoff, row.priority, row.shipment_id)


def build_columns(
    rows: Sequence[BoardRow],
    *,
    counts: Mapping[str, int],
    progress: Mapping[int, tuple[int, int]],
    now: datetime,
    day: tuple[datetime, datetime],
    cap: int = CARDS_PER_COLUMN,
) -> list[dict]:
    """Every column in board order with its exact count and at most `cap` cards.

    `counts` come from the database (the rows may be capped); `progress` maps a shipment id to
    (units, picked units).
    """
    cards: dict[str, list[dict]] = {key: [] for key in COLUMNS}
    for row in sorted(rows, key=sort_key):
        column = column_of(row.status, row.shipped_at, day)
        if column and len(cards[column]) < cap:
            units, picked = progress.get(row.shipment_id, (0, 0))
            cards[column].append(card_of(row, units, picked, now))
    return [
        {"key": key, "count": max(int(counts.get(key, 0)), len(cards[key])), "cards": cards[key]}
        for key in COLUMNS
    ]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
