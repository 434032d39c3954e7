"""Pure budget arithmetic: spreading an annual amount over months to the cent, % used, the
run-rate forecast to period end and the alert thresholds crossed. No I/O."""

from __future__ import annotations

import calendar
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from oms_app.core.errors import ValidationFailed

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MONTHS = tuple(range(1, 13))
THRESHOLDS = ("80", "100", "forecast")  # the alerts a budget month can raise, in order
WARN_SHARE = Decimal("0.80")


def to_cents(value: Decimal | str | int) -> Decimal:
    """The amount rounded half up to whole cents."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def spread_by_weights(annual: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split `annual` in proportion to `weights`, to the cent, summing exactly to `annual`.

    Largest remainder: each share is rounded down, then the cents left over go one each to the
    shares that lost most by rounding (earlier months first on ties).
    """
    annual = to_cents(annual)
    total = sum((Decimal(w) for w in weights), Decimal(0))
    if total <= 0 or any(Decimal(w) < 0 for w in weights):
        return spread_evenly(annual, len(weights))
    exact = [annual * Decimal(w) / total for w in weights]
    shares = [e.quantize(CENT, rounding=ROUND_DOWN) for e in exact]
    left = int((annual - sum(shares, ZERO)) / CENT)
    by_loss = sorted(range(len(exact)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in by_loss[:left]:
        shares[i] += CENT
    return shares


def spread_evenly(annual: Decimal, months: int = 12) -> list[Decimal]:
    """Split `annual` into equal months to the cent; the first months take the odd cents."""
    return spread_by_weights(annual, [Decimal(1)] * months)


def spread_by_profile(annual: Decimal, last_year: list[Decimal]) -> list[Decimal]:
    """Split `annual` like last year's monthly actuals (evenly when last year spent nothing)."""
    return spread_by_weights(annual, [max(Decimal(v), ZERO) for v in last_year])


def check_months_by_hand(amounts: list[Decimal]) -> list[Decimal]:
    """Twelve month amounts typed by hand, in cents; ValueError unless twelve and none negative."""
    if len(amounts) != 12:
        raise ValueError("twelve months are needed")
    cents = [to_cents(a) for a in amounts]
    if any(a < 0 for a in cents):
        raise ValueError("a month amount is negative")
    return cents


def percent_used(budget: Decimal, actual: Decimal) -> Decimal | None:
    """Actual as a percentage of the budget, one decimal; None when nothing was budgeted."""
    if budget <= 0:
        return None
    return (Decimal(actual) * 100 / Decimal(budget)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def run_rate_forecast(actual: Decimal, *, start: date, end: date, today: date) -> Decimal:
    """What the period [start, end] will have spent at its end if it goes on at today's rate.

    A period already over keeps its actual; one not started forecasts its actual (usually 0).
    """
    if today >= end or today < start:
        return to_cents(actual)
    elapsed = (today - start).days + 1
    length = (end - start).days + 1
    return to_cents(Decimal(actual) * length / elapsed)


def month_forecast(actual: Decimal, *, year: int, month: int, today: date) -> Decimal:
    """The run-rate forecast of one budget month to its last day."""
    start, end = month_bounds(year, month)
    return run_rate_forecast(actual, start=start, end=end, today=today)


def thresholds_crossed(budget: Decimal, actual: Decimal, forecast: Decimal) -> list[str]:
    """Which alerts apply: 80 % used, 100 % used, and a forecast beyond the budget."""
    crossed = []
    if actual > 0 and actual >= budget * WARN_SHARE:
        crossed.append("80")
    if actual > 0 and actual >= budget:
        crossed.append("100")
    if forecast > budget:
        crossed.append("forecast")
    return crossed


def expense_cost_centre(given: str, budgeted: Collection[str]) -> str:
    """The cost centre an expense is booked to, trimmed.

    With budgets of its account in its year it is required and must be one of their cost
    centres (each budget sees only its own); without, it is optional and free.
    """
    cost_centre = (given or "").strip()
    if not budgeted or cost_centre in budgeted:
        return cost_centre
    allowed = ", ".join(sorted(budgeted))
    if not cost_centre:
        raise ValidationFailed("cost_centre", "budgets.error.cost_centre_required", allowed=allowed)
    raise ValidationFailed(
        "cost_centre", "budgets.error.cost_centre_not_budgeted", value=cost_centre, allowed=allowed
    )


def would_exceed(budget: Decimal, actual: Decimal, amount: Decimal) -> bool:
    """Whether posting `amount` takes the month's actual beyond its budget."""
    return Decimal(actual) + Decimal(amount) > Decimal(budget)


@dataclass(frozen=True)
class MonthChange:
    """One month amount an approved adjustment changes: budget id, month, signed delta."""

    budget_id: int
    month: int
    delta: Decimal


def adjustment_changes(
    kind: str, *, budget_id: int, month: int, amount: Decimal, to_budget_id: int | None
) -> list[MonthChange]:
    """The month amounts an adjustment moves (a transfer takes from one, gives to the other)."""
    amount = to_cents(amount)
    if kind == "increase":
        return [MonthChange(budget_id, month, amount)]
    if kind == "decrease":
        return [MonthChange(budget_id, month, -amount)]
    if kind == "transfer" and to_budget_id is not None:
        return [MonthChange(budget_id, month, -amount), MonthChange(to_budget_id, month, amount)]
    raise ValueError(f"unknown adjustment kind {kind}")
