"""Pure statement arithmetic: which accounts make which line of the 利润表, and the subtotals."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta
from decimal import Decimal

from oms_app.ledger.chart import AccountKind
from oms_app.ledger.facts import ZERO

# Income statement lines fed by accounts (key -> account codes); other accounts by their kind.
ACCOUNT_LINES: dict[str, tuple[str, ...]] = {
    "main_revenue": ("6001",),
    "other_revenue": ("6051",),
    "main_cost": ("6401",),
    "other_cost": ("6402",),
    "taxes_surcharges": ("6403",),
    "selling_expenses": ("6601",),
    "admin_expenses": ("6602",),
    "financial_expenses": ("6603",),
    "non_operating_income": ("6301",),
    "non_operating_expenses": ("6711",),
    "income_tax": ("6801",),
}
_BY_CODE = {code: key for key, codes in ACCOUNT_LINES.items() for code in codes}
# The statement top to bottom: (key, kind) - "line" sums accounts, "total" is computed.
LAYOUT: tuple[tuple[str, str], ...] = (
    ("operating_revenue", "total"),
    ("main_revenue", "line"),
    ("other_revenue", "line"),
    ("operating_cost", "total"),
    ("main_cost", "line"),
    ("other_cost", "line"),
    ("gross_profit", "total"),
    ("taxes_surcharges", "line"),
    ("selling_expenses", "line"),
    ("admin_expenses", "line"),
    ("financial_expenses", "line"),
    ("other_expenses", "line"),
    ("operating_profit", "total"),
    ("non_operating_income", "line"),
    ("non_operating_expenses", "line"),
    ("total_profit", "total"),
    ("income_tax", "line"),
    ("net_profit", "total"),
)


def income_line_of(code: str, kind: str) -> str:
    """The statement line an account feeds; accounts finance added go by their kind."""
    if code in _BY_CODE:
        return _BY_CODE[code]
    for length in (6, 4):  # a sub-account (660201) feeds its parent's line
        if code[:length] in _BY_CODE and len(code) > length:
            return _BY_CODE[code[:length]]
    return "other_revenue" if kind == AccountKind.REVENUE else "other_expenses"


def profit_or_loss(kind: str, debit: Decimal, credit: Decimal) -> Decimal:
    """What an account adds to the statement: revenue credits, expense debits, both positive."""
    return credit - debit if kind == AccountKind.REVENUE else debit - credit


def income_figures(line_sums: dict[str, Decimal]) -> dict[str, Decimal]:
    """All lines and subtotals of the statement from the sums of the account lines."""
    f = {key: line_sums.get(key, ZERO) for key, kind in LAYOUT if kind == "line"}
    f["operating_revenue"] = f["main_revenue"] + f["other_revenue"]
    f["operating_cost"] = f["main_cost"] + f["other_cost"]
    f["gross_profit"] = f["operating_revenue"] - f["operating_cost"]
    expenses = ("taxes_surcharges", "selling_expenses", "admin_expenses", "financial_expenses")
    f["operating_profit"] = f["gross_profit"] - sum((f[k] for k in expenses), ZERO)
    f["operating_profit"] -= f["other_expenses"]
    f["total_profit"] = (
        f["operating_profit"] + f["non_operating_income"] - f["non_operating_expenses"]
    )
    f["net_profit"] = f["total_profit"] - f["income_tax"]
    return f


def shift_years(day: date, years: int) -> date:
    """The same date `years` later (29 February becomes the 28th)."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, monthrange(year, day.month)[1]))


def comparison_ranges(date_from: date, date_to: date, compare: tuple[str, ...]) -> dict:
    """Date ranges of the current column and the asked comparisons.

    "previous": the same number of days right before (a whole month compares with the whole
    month before); "last_year": the same dates a year earlier.
    """
    ranges = {"current": (date_from, date_to)}
    if "previous" in compare:
        if _is_whole_months(date_from, date_to):
            months = (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1
            start = _add_months(date_from, -months)
            ranges["previous"] = (start, date_from - timedelta(days=1))
        else:
            days = (date_to - date_from).days + 1
            ranges["previous"] = (date_from - timedelta(days=days), date_from - timedelta(days=1))
    if "last_year" in compare:
        ranges["last_year"] = (shift_years(date_from, -1), shift_years(date_to, -1))
    return ranges


def _is_whole_months(date_from: date, date_to: date) -> bool:
    return date_from.day == 1 and (date_to + timedelta(days=1)).day == 1


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
