"""The dashboard's chart series from SQL agree with the same series computed in pandas over the
raw rows, for the whole company and under each filter."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from oms_app.analytics import charts, flow
from oms_app.analytics.kpis import compute_kpis
from oms_app.analytics.scope import DashboardFilter
from oms_app.core.db import UnitOfWork, get_engine
from oms_app.core.errors import PermissionDenied, ValidationFailed
from oms_app.core.permissions import SYSTEM_ACTOR, Actor
from tests.factories.dashboard import add_order, add_orders, make_shop, random_spec, utc
from tests.service import dashboard_oracle as oracle

PERIOD = (date(2026, 3, 2), date(2026, 3, 22))
FILTERS = [
    {},
    {"warehouse": "SH"},
    {"category": "ELE"},
    {"channel": "api"},
    {"rep": "alice"},
    {"warehouse": "BJ", "category": "OFF", "rep": "bob"},
]
SECONDS = pytest.approx


@pytest.fixture
def shop(uow):
    return make_shop(uow)


@pytest.fixture
def book(uow, shop):
    """About 150 random orders over the period, the 40 days before it, and a year earlier."""
    rng = random.Random(20260302)
    add_orders(uow, shop, [random_spec(rng, utc(2026, 1, 20), 62) for _ in range(110)])
    add_orders(uow, shop, [random_spec(rng, utc(2025, 2, 25), 30) for _ in range(40)])
    return shop


def period(**narrowing) -> DashboardFilter:
    return DashboardFilter(*PERIOD, **narrowing)


@pytest.mark.parametrize("narrowing", FILTERS)
def test_the_revenue_trend_matches_pandas_day_by_day(uow, book, narrowing):
    flt = period(**narrowing)
    got = charts.revenue_trend(uow, actor=SYSTEM_ACTOR, flt=flt)
    assert got == oracle.trend(flt)
    assert len(got) == (PERIOD[1] - PERIOD[0]).days + 1 + charts.LEAD_DAYS


@pytest.mark.parametrize("narrowing", FILTERS)
def test_top_products_and_categories_match_pandas(uow, book, narrowing):
    flt = period(**narrowing)
    products = charts.top_products(uow, actor=SYSTEM_ACTOR, flt=flt, limit=3)
    want, total = oracle.ranked_lines(flt, "product_sku", limit=3)
    assert [(r["sku"], r["revenue"]) for r in products["rows"]] == want
    assert products["total"] == total
    categories = charts.top_categories(uow, actor=SYSTEM_ACTOR, flt=flt)
    want, total = oracle.ranked_lines(flt, "category")
    assert [(r["code"], r["revenue"]) for r in categories["rows"]] == want
    assert categories["total"] == total
    # lines add up to the orders' revenue when no category keeps only some of them
    if not flt.category:
        assert total == sum((r["revenue"] for r in oracle.trend(flt)[27:]), Decimal("0.00"))


@pytest.mark.parametrize("narrowing", FILTERS)
def test_sales_by_province_and_by_rep_match_pandas(uow, book, narrowing):
    flt = period(**narrowing)
    provinces = charts.sales_by_province(uow, actor=SYSTEM_ACTOR, flt=flt)
    assert {r["province"]: (r["revenue"], r["orders"]) for r in provinces} == oracle.by_province(
        flt
    )
    assert [r["revenue"] for r in provinces] == sorted(
        (r["revenue"] for r in provinces), reverse=True
    )
    reps = charts.sales_by_rep(uow, actor=SYSTEM_ACTOR, flt=flt)
    assert {r["username"]: (r["revenue"], r["orders"]) for r in reps} == oracle.by_rep(flt)
    assert all(r["display_name"] == r["username"].title() for r in reps)


@pytest.mark.parametrize("narrowing", FILTERS)
def test_the_funnel_and_stage_times_match_pandas(uow, book, narrowing):
    flt = period(**narrowing)
    funnel = flow.status_funnel(uow, actor=SYSTEM_ACTOR, flt=flt)
    assert funnel == oracle.funnel(flt)
    counts = [row["orders"] for row in funnel]
    assert counts == sorted(counts, reverse=True)  # a funnel never widens
    boxes = {row["stage"]: row for row in flow.stage_times(uow, actor=SYSTEM_ACTOR, flt=flt)}
    want = oracle.stage_boxes(flt)
    assert set(boxes) == set(want)
    for stage, stats in want.items():
        got = boxes[stage]
        assert got["n"] == stats["n"]
        for key in ("mean", "q1", "median", "q3", "lowerfence", "upperfence"):
            assert got[key] == SECONDS(stats[key], abs=1e-6), (stage, key)


def test_orders_straddling_shanghai_midnight_fall_on_their_local_day(uow, shop):
    # given: 15:59:59 UTC is 23:59:59 in Shanghai; 16:00:00 UTC is already the next local day
    for moment in (utc(2026, 2, 28, 15, 59, 59), utc(2026, 2, 28, 16), utc(2026, 3, 1, 15, 59)):
        add_order(uow, shop, {"status": "approved", "created": moment})
    add_order(uow, shop, {"status": "approved", "created": utc(2025, 3, 1, 15, 59)})
    # when
    flt = DashboardFilter(date(2026, 3, 1), date(2026, 3, 1))
    rows = charts.revenue_trend(uow, actor=SYSTEM_ACTOR, flt=flt)
    # then: 1 March holds two orders, 28 February one; last year's 1 March holds one
    by_day = {r["day"]: r for r in rows}
    assert by_day[date(2026, 3, 1)]["orders"] == 2
    assert by_day[date(2026, 3, 1)]["revenue"] == Decimal("200.00")
    assert by_day[date(2026, 2, 28)]["orders"] == 1
    assert by_day[date(2026, 2, 28)]["last_year_revenue"] is None  # before the period
    assert by_day[date(2026, 3, 1)]["last_year_revenue"] == Decimal("100.00")
    assert rows == oracle.trend(flt)


def test_the_kpi_tiles_narrow_by_category_channel_and_rep_like_the_charts(uow, book):
    for narrowing in FILTERS[1:]:
        flt = period(**narrowing)
        kpis = compute_kpis(
            uow,
            actor=SYSTEM_ACTOR,
            date_from=PERIOD[0],
            date_to=PERIOD[1],
            today=date(2026, 3, 23),
            **narrowing,
        )
        days = oracle.trend(flt)[charts.LEAD_DAYS :]
        assert kpis["current"]["orders"] == sum(r["orders"] for r in days)
        assert kpis["current"]["revenue"] == str(sum((r["revenue"] for r in days), Decimal("0.00")))


def _stand_in_payments_table() -> bool:
    """Create a stand-in payments table unless the real one exists; True when created here."""
    with get_engine().begin() as conn:
        if conn.scalar(sa.text("SELECT to_regclass('payments')")) is not None:
            return False
        conn.execute(
            sa.text(
                "CREATE TABLE payments (id serial PRIMARY KEY, order_id int NOT NULL,"
                " method varchar(16) NOT NULL, status varchar(24) NOT NULL,"
                " amount numeric(18,2) NOT NULL, succeeded_at timestamptz)"
            )
        )
        return True


def _add_payment(uow, stand_in: bool, order_id: int, method, status, amount, at) -> None:
    """A payment row: raw SQL into the stand-in table, or the payments area's own model."""
    if stand_in:
        with get_engine().begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO payments (order_id, method, status, amount, succeeded_at)"
                    " VALUES (:o, :m, :s, :a, :t)"
                ),
                {"o": order_id, "m": method, "s": status, "a": Decimal(amount), "t": at},
            )
        return
    from oms_app.orders.models import Order
    from oms_app.payments.models import Payment

    with uow:
        order = uow.session.get(Order, order_id)
        uow.session.add(
            Payment(
                order_id=order_id,
                order_number=order.number,
                customer_id=order.customer_id,
                method=method,
                status=status,
                amount=Decimal(amount),
                succeeded_at=at,
            )
        )
        uow.commit()


def _without_payments_table() -> Session:
    """A session whose search path finds no payments table (as before its migration)."""
    session = Session(get_engine())
    session.execute(sa.text("SET LOCAL search_path TO pg_catalog"))
    return session


def test_the_payment_mix_is_empty_while_the_payments_table_does_not_exist(shop):
    uow = UnitOfWork(_without_payments_table)
    with uow:
        assert flow.payments_table_exists(uow.session) is False
    assert flow.payment_mix(uow, actor=SYSTEM_ACTOR, flt=period()) == []


def test_the_payment_mix_sums_counted_payments_of_the_period_by_method(uow, shop):
    # given: payments of two orders, some not counted or outside the period's local days
    stand_in = _stand_in_payments_table()
    try:
        api = {"status": "completed", "created": utc(2026, 3, 5), "channel": "api"}
        inside = add_order(uow, shop, api)
        other = add_order(uow, shop, {"status": "completed", "created": utc(2026, 3, 5)})
        for payment in [
            (inside, "alipay", "succeeded", "100.00", utc(2026, 3, 5, 16)),  # 6 March local
            (inside, "alipay", "refunded", "50.50", utc(2026, 3, 6)),
            (other, "card", "partially_refunded", "70.00", utc(2026, 3, 7)),
            (other, "card", "failed", "999.00", utc(2026, 3, 7)),  # not counted
            (other, "cod", "succeeded", "10.00", utc(2026, 3, 1, 15, 59)),  # 1 March local: out
            (other, "cod", "succeeded", "10.00", utc(2026, 3, 22, 15, 59)),  # 22 March: in
        ]:
            _add_payment(uow, stand_in, *payment)
        # when
        mix = flow.payment_mix(uow, actor=SYSTEM_ACTOR, flt=period())
        api_only = flow.payment_mix(uow, actor=SYSTEM_ACTOR, flt=period(channel="api"))
        # then
        assert [(r["method"], r["amount"], r["payments"]) for r in mix] == [
            ("alipay", Decimal("150.50"), 2),
            ("card", Decimal("70.00"), 1),
            ("cod", Decimal("10.00"), 1),
        ]
        assert [r["method"] for r in api_only] == ["alipay"]
    finally:
        if stand_in:
            with get_engine().begin() as conn:
                conn.execute(sa.text("DROP TABLE payments"))


SERVICES = [
    charts.revenue_trend,
    charts.top_products,
    charts.top_categories,
    charts.sales_by_province,
    charts.sales_by_rep,
    flow.status_funnel,
    flow.stage_times,
    flow.payment_mix,
]


@pytest.mark.parametrize("service", SERVICES, ids=lambda f: f.__name__)
def test_a_user_without_dashboard_rights_is_refused(uow, service):
    rep = Actor(user_id=1, username="rep", permissions=frozenset({"order.view"}))
    with pytest.raises(PermissionDenied):
        service(uow, actor=rep, flt=period())


def test_filter_choices_need_dashboard_rights_too(uow, shop):
    rep = Actor(user_id=1, username="rep", permissions=frozenset({"order.view"}))
    with pytest.raises(PermissionDenied):
        charts.filter_options(uow, actor=rep)
    options = charts.filter_options(uow, actor=SYSTEM_ACTOR)
    assert [w["code"] for w in options["warehouses"]] == ["BJ", "SH"]
    assert [c["code"] for c in options["categories"]] == ["ELE", "OFF"]
    assert [r["username"] for r in options["reps"]] == ["alice", "bob"]


@pytest.mark.parametrize("service", SERVICES, ids=lambda f: f.__name__)
def test_a_reversed_period_is_refused(uow, service):
    with pytest.raises(ValidationFailed):
        service(uow, actor=SYSTEM_ACTOR, flt=DashboardFilter(date(2026, 3, 2), date(2026, 3, 1)))


def test_an_empty_period_gives_zero_days_and_empty_charts(uow, shop):
    flt = DashboardFilter(date(2026, 1, 1), date(2026, 1, 3))
    trend = charts.revenue_trend(uow, actor=SYSTEM_ACTOR, flt=flt)
    assert {r["revenue"] for r in trend} == {Decimal("0.00")} and trend[0]["day"] == date(
        2025, 12, 5
    )
    assert charts.top_products(uow, actor=SYSTEM_ACTOR, flt=flt) == {"rows": [], "total": 0}
    assert [r["orders"] for r in flow.status_funnel(uow, actor=SYSTEM_ACTOR, flt=flt)] == [0] * 5
    assert flow.stage_times(uow, actor=SYSTEM_ACTOR, flt=flt) == []
    assert date(2026, 1, 3) - timedelta(days=len(trend) - 1) == trend[0]["day"]
