"""When the demo orders come in and how far along they are: a trading company's calendar.

Volume follows the working week, grows year on year, peaks around 11.11, drops over the Spring
Festival and the golden weeks. Status follows age: old orders are closed, recent ones are still
moving through the lifecycle.
"""

from __future__ import annotations

from bisect import bisect
from collections.abc import Sequence
from datetime import date, timedelta
from itertools import accumulate
from random import Random
from typing import TypeVar

from oms_app.demo.catalogue import SPRING_FESTIVALS
from oms_app.orders.status import ORDER_MACHINE, OrderAction, OrderStatus

HISTORY_DAYS = 730
ANNUAL_GROWTH = 1.3
WEEKDAY_FACTOR = (1.10, 1.15, 1.15, 1.10, 1.00, 0.35, 0.20)  # Monday first
MONTH_FACTOR = (0.95, 0.90, 1.00, 1.00, 1.00, 1.02, 0.95, 0.95, 1.05, 1.00, 1.10, 1.15)
DOUBLE_ELEVEN = (1.2, 1.2, 1.25, 1.25, 1.3, 1.3, 1.4, 1.5, 1.8, 2.4, 4.0, 2.2, 1.5, 1.2)  # 1-14 Nov
# (days from the Spring Festival, factor from then on): a taper, the holiday, a slow return.
SPRING_FESTIVAL = ((-10, 0.8), (-7, 0.45), (0, 0.06), (7, 0.4), (11, 0.75), (16, 1.0))
GOLDEN_WEEKS = (((5, 1), (5, 5), 0.5), ((10, 1), (10, 7), 0.25))
HOURS = tuple(range(8, 21))  # local time an order is entered
HOUR_WEIGHTS = (2, 8, 12, 11, 6, 5, 9, 11, 10, 8, 4, 2, 1)
HOUR_CUM = tuple(accumulate(HOUR_WEIGHTS))

S, A = OrderStatus, OrderAction
T = TypeVar("T")
# Status mix by the order's age in days (up to and including the first number).
STATUS_BY_AGE: tuple[tuple[int, dict[OrderStatus, int]], ...] = (
    (
        0,
        {
            S.DRAFT: 10,
            S.PENDING_APPROVAL: 38,
            S.APPROVED: 18,
            S.ALLOCATED: 12,
            S.PICKING: 6,
            S.PACKED: 3,
            S.ON_HOLD: 3,
            S.REJECTED: 4,
            S.CANCELLED: 6,
        },
    ),
    (
        1,
        {
            S.DRAFT: 4,
            S.PENDING_APPROVAL: 14,
            S.APPROVED: 14,
            S.ALLOCATED: 16,
            S.PICKING: 14,
            S.PACKED: 12,
            S.SHIPPED: 14,
            S.ON_HOLD: 4,
            S.REJECTED: 3,
            S.CANCELLED: 5,
        },
    ),
    (
        3,
        {
            S.DRAFT: 1,
            S.PENDING_APPROVAL: 4,
            S.APPROVED: 5,
            S.ALLOCATED: 7,
            S.PICKING: 8,
            S.PACKED: 10,
            S.SHIPPED: 45,
            S.DELIVERED: 10,
            S.ON_HOLD: 4,
            S.REJECTED: 2,
            S.CANCELLED: 4,
        },
    ),
    (
        7,
        {
            S.ALLOCATED: 1,
            S.PACKED: 2,
            S.SHIPPED: 30,
            S.DELIVERED: 48,
            S.COMPLETED: 10,
            S.ON_HOLD: 3,
            S.REJECTED: 2,
            S.CANCELLED: 4,
        },
    ),
    (
        20,
        {
            S.SHIPPED: 3,
            S.DELIVERED: 35,
            S.COMPLETED: 54,
            S.ON_HOLD: 1,
            S.REJECTED: 2,
            S.CANCELLED: 5,
        },
    ),
    (44, {S.DELIVERED: 10, S.COMPLETED: 84, S.REJECTED: 2, S.CANCELLED: 4}),
    (HISTORY_DAYS, {S.COMPLETED: 945, S.REJECTED: 20, S.CANCELLED: 35}),
)

FORWARD = (A.SUBMIT, A.APPROVE, A.ALLOCATE, A.START_PICKING, A.PACK, A.SHIP, A.DELIVER, A.COMPLETE)
# The actions that led to each status; cancelled orders were cancelled from several places.
PATHS: dict[OrderStatus, tuple[tuple[tuple[OrderAction, ...], int], ...]] = {
    **{
        status: ((FORWARD[:n], 1),)
        for n, status in enumerate(
            (
                S.DRAFT,
                S.PENDING_APPROVAL,
                S.APPROVED,
                S.ALLOCATED,
                S.PICKING,
                S.PACKED,
                S.SHIPPED,
                S.DELIVERED,
                S.COMPLETED,
            )
        )
    },
    S.REJECTED: (((A.SUBMIT, A.REJECT), 1),),
    S.ON_HOLD: (((A.SUBMIT, A.APPROVE, A.HOLD), 1),),
    S.CANCELLED: (
        ((A.CANCEL,), 15),
        ((A.SUBMIT, A.CANCEL), 45),
        ((A.SUBMIT, A.APPROVE, A.CANCEL), 30),
        ((A.SUBMIT, A.APPROVE, A.HOLD, A.CANCEL), 10),
    ),
}
Step = tuple[str, str, str]  # action, from status, to status


def _compile_steps(actions: tuple[OrderAction, ...], target: OrderStatus) -> tuple[Step, ...]:
    """Walk the order machine from draft, so every demo transition is a legal one."""
    status, steps = S.DRAFT, []
    for action in actions:
        following = ORDER_MACHINE.next(status, action)
        steps.append((action.value, status.value, following.value))
        status = following
    if status is not target:
        raise ValueError(f"path {actions} ends in {status}, not {target}")
    return tuple(steps)


STEPS: dict[str, tuple[tuple[tuple[Step, ...], ...], tuple[int, ...]]] = {
    status.value: (
        tuple(_compile_steps(a, status) for a, _ in paths),
        tuple(accumulate(w for _, w in paths)),
    )
    for status, paths in PATHS.items()
}
_MIX = tuple(
    (age, tuple(s.value for s in mix), tuple(accumulate(mix.values())))
    for age, mix in STATUS_BY_AGE
)


def plan_daily_orders(rng: Random, *, today: date, orders: int) -> list[tuple[date, int]]:
    """Spread `orders` over the two years up to `today`: one (day, count) per day."""
    first = today - timedelta(days=HISTORY_DAYS - 1)
    days = [first + timedelta(days=n) for n in range(HISTORY_DAYS)]
    weights = [
        day_weight(day, years=n / 365) * rng.uniform(0.85, 1.15) for n, day in enumerate(days)
    ]
    return list(zip(days, _apportion(orders, weights), strict=True))


def day_weight(day: date, *, years: float) -> float:
    """How busy a day is, relative to an ordinary weekday at the start of the history."""
    weekday = WEEKDAY_FACTOR[day.weekday()]
    peak = DOUBLE_ELEVEN[day.day - 1] if day.month == 11 and day.day <= 14 else 1.0
    if peak > 1.5:  # the online shopping festival ignores the weekend
        weekday = max(weekday, 0.9)
    return weekday * peak * MONTH_FACTOR[day.month - 1] * ANNUAL_GROWTH**years * holiday_factor(day)


def holiday_factor(day: date) -> float:
    """The dip around the Spring Festival and the May Day and National Day golden weeks."""
    for (month, first), (_, last), factor in GOLDEN_WEEKS:
        if date(day.year, month, first) <= day <= date(day.year, month, last):
            return factor
    for festival in SPRING_FESTIVALS:
        offset = (day - festival).days
        if SPRING_FESTIVAL[0][0] <= offset < SPRING_FESTIVAL[-1][0]:
            return next(f for start, f in reversed(SPRING_FESTIVAL) if offset >= start)
    return 1.0


def _apportion(total: int, weights: list[float]) -> list[int]:
    """Whole counts proportional to the weights that add up to exactly `total`."""
    scale = total / sum(weights)
    exact = [w * scale for w in weights]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: (counts[i] - exact[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def order_seconds(rng: Random, count: int) -> list[int]:
    """Sorted entry times, as seconds after local midnight, in business hours."""
    hours = rng.choices(HOURS, cum_weights=HOUR_CUM, k=count)
    return sorted(h * 3600 + rng.randrange(3600) for h in hours)


def pick(rng: Random, items: Sequence[T], cum_weights: Sequence[float]) -> T:
    """`rng.choices(items, cum_weights=...)[0]` without building lists: it runs per line."""
    return items[bisect(cum_weights, rng.random() * cum_weights[-1], 0, len(items) - 1)]


def pick_status(rng: Random, age_days: int) -> str:
    """A status typical for an order entered `age_days` ago."""
    for max_age, statuses, cum_weights in _MIX:
        if age_days <= max_age:
            return pick(rng, statuses, cum_weights)
    return _MIX[-1][1][0]


def pick_steps(rng: Random, status: str) -> tuple[Step, ...]:
    """The transitions an order in `status` went through, oldest first."""
    paths, cum_weights = STEPS[status]
    return paths[0] if len(paths) == 1 else pick(rng, paths, cum_weights)
