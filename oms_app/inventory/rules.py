"""Pure replenishment rules: reorder points from demand, when and how much to reorder. No I/O."""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta

DEMAND_DAYS = 90  # the demand history a computed reorder point looks at
COVER_DAYS = 30  # a computed reorder quantity covers about a month of demand
SERVICE_FACTOR = 1.65  # z for a ~95% cycle service level
DEFAULT_LEAD_TIME_DAYS = 7
MAX_LEAD_TIME_DAYS = 365
RULES_MAX_AGE = timedelta(days=1)  # computed rules older than this are recomputed
DISMISS_QUIET = timedelta(days=7)  # a dismissed SKU is not proposed again for this long


def compute_reorder_point(
    daily_demand: Sequence[int], lead_time_days: int, service_factor: float = SERVICE_FACTOR
) -> tuple[int, int]:
    """(reorder point, reorder quantity) from the last 90 days of daily demand.

    Reorder point = mean demand over the lead time + safety stock (z * sigma_daily * sqrt(L));
    reorder quantity = about 30 days of mean demand, at least 1.
    """
    if lead_time_days < 0:
        raise ValueError("lead time must not be negative")
    if service_factor < 0:
        raise ValueError("service factor must not be negative")
    days = [max(0, int(d)) for d in daily_demand][-DEMAND_DAYS:]
    if not days:
        return 0, 1
    mean = sum(days) / len(days)
    sigma = statistics.pstdev(days) if len(days) > 1 else 0.0
    lead_demand = mean * lead_time_days
    safety = service_factor * sigma * math.sqrt(lead_time_days)
    reorder_point = math.ceil(round(lead_demand + safety, 9))
    reorder_qty = max(1, math.ceil(round(mean * COVER_DAYS, 9)))
    return reorder_point, reorder_qty


def daily_series(per_day: Mapping[date, int], *, end: date, days: int = DEMAND_DAYS) -> list[int]:
    """The demand of each of the `days` days up to and including `end` (zero where none)."""
    start = end - timedelta(days=days - 1)
    return [int(per_day.get(start + timedelta(days=n), 0)) for n in range(days)]


def needs_replenishment(*, available: int, on_order: int, reorder_point: int) -> bool:
    """Stock in hand plus stock on its way has fallen to the reorder point."""
    return available + on_order <= reorder_point


def suggested_quantity(
    *, available: int, on_order: int, reorder_point: int, reorder_qty: int
) -> int:
    """The reorder quantity, or more when that would not lift stock above the reorder point."""
    short = reorder_point + 1 - (available + on_order)
    return max(1, reorder_qty, short)


def rules_are_stale(last_computed: datetime | None, now: datetime) -> bool:
    """Computed rules are refreshed once a day (or made when there are none yet)."""
    return last_computed is None or now - last_computed >= RULES_MAX_AGE
