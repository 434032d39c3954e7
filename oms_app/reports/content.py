"""The figures of one report, gathered once and drawn by both the PDF and the XLSX builders.

Headline figures come from the analytics services (the same numbers the dashboard and the
operations report show); sales by day and top products from this area's own SQL.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from oms_app.analytics import kpis as kpi_service
from oms_app.analytics import operations as operations_service
from oms_app.core.clock import utcnow
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.reports import sql
from oms_app.reports.status import ReportKind

# (KPI key, kind of figure) in the order the KPI table lists them.
KPI_ROWS: tuple[tuple[str, str], ...] = (
    ("revenue", "money"),
    ("orders", "count"),
    ("average_order_value", "money"),
    ("gross_profit", "money"),
    ("margin", "rate"),
    ("late_orders", "count"),
    ("fulfilment_lead_time_hours", "hours"),
)
COMPARISONS = ("current", "previous_period", "same_period_last_year")


def build_report_content(
    uow, *, kind: ReportKind, date_from: date, date_to: date, locale: str
) -> dict:
    """Every figure of a report of `kind` over business days [date_from, date_to]."""
    # The requester's permission was checked when the run was asked for; the worker reads as
    # the system so a scheduled report (nobody asked) sees the same figures.
    kpis = kpi_service.compute_kpis(uow, actor=SYSTEM_ACTOR, date_from=date_from, date_to=date_to)
    operations = operations_service.compute_operations(
        uow, actor=SYSTEM_ACTOR, date_from=date_from, date_to=date_to, group_by="team"
    )
    with uow:
        daily = sql.sales_by_day(uow.session, date_from, date_to)
        products = sql.top_products(uow.session, date_from, date_to, locale)
    return {
        "kind": kind.value,
        "locale": locale,
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "generated_at": utcnow().isoformat(),
        "kpis": {name: kpis[name] for name in COMPARISONS},
        "periods": kpis["periods"],
        "daily": daily,
        "top_products": products,
        "operations": operations["total"],
        "teams": operations["rows"],
    }


def change_pct(current, before) -> str:
    """The change from `before` to `current` in percent with one place, "" when not defined."""
    if current is None or before is None:
        return ""
    now, then = Decimal(str(current)), Decimal(str(before))
    if not then:
        return ""
    pct = ((now - then) / abs(then) * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{pct:+}%"


def daily_totals(daily: list[dict]) -> dict:
    """The period's orders, revenue and gross profit summed from the daily lines."""
    return {
        "orders": sum(row["orders"] for row in daily),
        "revenue": sum((Decimal(row["revenue"]) for row in daily), Decimal("0.00")),
        "gross_profit": sum((Decimal(row["gross_profit"]) for row in daily), Decimal("0.00")),
    }
