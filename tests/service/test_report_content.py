"""A report's figures are the KPI services' figures; periods follow the Shanghai business day;
runs are asked for with the dashboard right and scheduled once per period."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from oms_app.analytics.kpis import compute_kpis
from oms_app.core.errors import PermissionDenied, ValidationFailed
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.orders.models import Order, OrderLine
from oms_app.reports import rules
from oms_app.reports import service as reports_service
from oms_app.reports.content import build_report_content, daily_totals
from oms_app.reports.models import ReportRun, ReportRunEvent
from oms_app.reports.status import ReportKind
from tests.factories.accounts import make_actor
from tests.factories.dashboard import add_order, add_orders, make_shop, random_spec, utc

WEEK = (date(2026, 3, 2), date(2026, 3, 8))  # a Monday to Sunday
NOT_BOOKED = ("draft", "pending_approval", "rejected", "cancelled")


@pytest.fixture
def book(uow):
    """About 80 random orders around the week, a few at the edges of its Shanghai days."""
    shop = make_shop(uow)
    rng = random.Random(20260302)
    add_orders(uow, shop, [random_spec(rng, utc(2026, 2, 25), 18) for _ in range(80)])
    # 23:30 UTC on Sunday 1 March is 07:30 Monday in Shanghai: inside the week.
    add_order(uow, shop, {"status": "approved", "created": utc(2026, 3, 1, 23, 30)})
    # 16:30 UTC on Sunday 8 March is 00:30 Monday 9 March in Shanghai: outside.
    add_order(uow, shop, {"status": "approved", "created": utc(2026, 3, 8, 16, 30)})
    return shop


def line_revenue_by_sku(uow, date_from: date, date_to: date) -> dict[str, Decimal]:
    """Each SKU's revenue over booked orders of the period, summed in Python."""
    start = datetime(2026, 3, 1, 16, tzinfo=UTC)  # 2 March 00:00 Shanghai
    end = datetime(2026, 3, 8, 16, tzinfo=UTC)  # 9 March 00:00 Shanghai
    stmt = (
        sa.select(OrderLine.sku, OrderLine.line_total, OrderLine.discount_pct)
        .join(Order, Order.id == OrderLine.order_id)
        .where(Order.status.not_in(NOT_BOOKED), Order.created_at >= start, Order.created_at < end)
    )
    totals: dict[str, Decimal] = {}
    with uow:
        for sku, total, pct in uow.session.execute(stmt):
            discount = (total * pct / 100).quantize(Decimal("0.01"), "ROUND_HALF_EVEN")
            totals[sku] = totals.get(sku, Decimal("0.00")) + total - discount
    return totals


def test_the_report_figures_are_the_kpi_figures_and_the_days_add_up_to_them(uow, book):
    # when
    content = build_report_content(
        uow, kind=ReportKind.WEEKLY_SALES, date_from=WEEK[0], date_to=WEEK[1], locale="en"
    )
    kpis = compute_kpis(uow, actor=SYSTEM_ACTOR, date_from=WEEK[0], date_to=WEEK[1])
    # then
    for name in ("current", "previous_period", "same_period_last_year"):
        assert content["kpis"][name] == kpis[name]
    assert [row["day"] for row in content["daily"]] == [f"2026-03-0{d}" for d in range(2, 9)]
    totals = daily_totals(content["daily"])
    assert totals["orders"] == kpis["current"]["orders"] > 0
    assert totals["revenue"] == Decimal(kpis["current"]["revenue"])
    assert totals["gross_profit"] == Decimal(kpis["current"]["gross_profit"])


def test_top_products_rank_the_skus_by_their_line_revenue(uow, book):
    content = build_report_content(
        uow, kind=ReportKind.WEEKLY_SALES, date_from=WEEK[0], date_to=WEEK[1], locale="zh_CN"
    )
    expected = line_revenue_by_sku(uow, *WEEK)
    got = {row["sku"]: Decimal(row["revenue"]) for row in content["top_products"]}
    assert got.keys() == expected.keys()
    for sku, revenue in got.items():
        assert abs(revenue - expected[sku]) <= Decimal("0.05")  # per-line rounding only
    revenues = [Decimal(row["revenue"]) for row in content["top_products"]]
    assert revenues == sorted(revenues, reverse=True)
    assert all(row["name"].startswith(("办公用品", "电子产品")) for row in content["top_products"])


def test_the_operations_figures_are_the_operations_service_total(uow, book):
    from oms_app.analytics.operations import compute_operations

    content = build_report_content(
        uow, kind=ReportKind.DAILY_OPERATIONS, date_from=WEEK[0], date_to=WEEK[0], locale="en"
    )
    ops = compute_operations(uow, actor=SYSTEM_ACTOR, date_from=WEEK[0], date_to=WEEK[0])
    assert content["operations"] == ops["total"]


@pytest.mark.parametrize(
    ("kind", "today", "period"),
    [
        (ReportKind.DAILY_OPERATIONS, date(2026, 3, 1), (date(2026, 2, 28), date(2026, 2, 28))),
        (ReportKind.WEEKLY_SALES, date(2026, 3, 9), (date(2026, 3, 2), date(2026, 3, 8))),
        (ReportKind.WEEKLY_SALES, date(2026, 3, 12), (date(2026, 3, 2), date(2026, 3, 8))),
        (ReportKind.MONTHLY_MANAGEMENT, date(2026, 3, 1), (date(2026, 2, 1), date(2026, 2, 28))),
        (ReportKind.MONTHLY_MANAGEMENT, date(2026, 1, 15), (date(2025, 12, 1), date(2025, 12, 31))),
    ],
)
def test_default_periods_are_yesterday_last_week_and_last_month(kind, today, period):
    assert rules.default_period(kind, today) == period


def test_without_dates_the_period_follows_the_shanghai_day_not_the_utc_one(uow, monkeypatch):
    # given 17:30 UTC on 8 March, already 01:30 on Monday 9 March in Shanghai
    executive = make_actor(uow, username="exec1", roles=["executive"])
    monkeypatch.setattr(reports_service, "utcnow", lambda: utc(2026, 3, 8, 17, 30))
    # when
    daily = reports_service.request_report(uow, actor=executive, kind="daily_operations")
    weekly = reports_service.request_report(uow, actor=executive, kind="weekly_sales")
    # then
    columns = (ReportRun.id, ReportRun.date_from, ReportRun.date_to, ReportRun.status)
    with uow:
        runs = {r.id: r for r in uow.session.execute(sa.select(*columns, ReportRun.requested_by))}
    assert (runs[daily].date_from, runs[daily].date_to) == (date(2026, 3, 8), date(2026, 3, 8))
    assert (runs[weekly].date_from, runs[weekly].date_to) == WEEK
    assert runs[daily].status == "queued" and runs[daily].requested_by == executive.user_id


def test_a_user_without_the_dashboard_right_cannot_ask_and_nothing_is_queued(uow):
    rep = make_actor(uow, username="rep1", roles=["sales"])
    with pytest.raises(PermissionDenied):
        reports_service.request_report(uow, actor=rep, kind="weekly_sales")
    with uow:
        assert uow.session.scalar(sa.select(sa.func.count()).select_from(ReportRun)) == 0


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"kind": "yearly"}, "error.report.kind"),
        ({"kind": "weekly_sales", "email_to": "not-an-address"}, "error.report.recipient"),
        (
            {"kind": "weekly_sales", "date_from": date(2026, 3, 9), "date_to": date(2026, 3, 1)},
            "error.period.invalid",
        ),
    ],
)
def test_a_bad_request_is_refused_with_its_code_and_queues_nothing(uow, fields, code):
    executive = make_actor(uow, username="exec1", roles=["executive"])
    with pytest.raises(ValidationFailed) as refused:
        reports_service.request_report(uow, actor=executive, **fields)
    assert refused.value.code == code
    with uow:
        assert uow.session.scalar(sa.select(sa.func.count()).select_from(ReportRun)) == 0


def test_a_scheduled_report_is_queued_once_per_period_and_only_when_due(uow):
    monday, tuesday = date(2026, 3, 9), date(2026, 3, 10)
    first = reports_service.schedule_report(uow, kind="weekly_sales", today=monday)
    again = reports_service.schedule_report(uow, kind="weekly_sales", today=monday)
    not_due = reports_service.schedule_report(uow, kind="weekly_sales", today=tuesday)
    monthly = reports_service.schedule_report(uow, kind="monthly_management", today=tuesday)
    assert first == again and not_due is None and monthly is None
    with uow:
        run = uow.session.get(ReportRun, first)
        seen = (run.date_from, run.date_to, run.locale, run.requested_by, run.schedule_key)
        events = uow.session.scalar(sa.select(sa.func.count()).select_from(ReportRunEvent))
    assert seen == (*WEEK, "zh_CN", None, "weekly_sales:2026-03-02")
    assert events == 0  # queued is where a run starts; history begins with the worker
