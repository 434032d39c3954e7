"""KPI figures from SQL agree with the same figures computed independently in pandas."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oms_app.analytics import rollups
from oms_app.analytics.kpis import compute_kpis
from oms_app.core.db import get_engine
from oms_app.core.errors import PermissionDenied, ValidationFailed
from oms_app.core.permissions import SYSTEM_ACTOR, Actor
from oms_app.inventory.models import Warehouse
from oms_app.orders.models import Order, OrderEvent
from tests.conftest import reset_business_tables
from tests.factories.orders import make_customer

ZONE = "Asia/Shanghai"
TODAY = date(2026, 3, 20)
NOT_BOOKED = {"draft", "pending_approval", "rejected", "cancelled"}
STATUSES = ["draft", "pending_approval", "approved", "shipped", "completed", "cancelled"]
MONEY_KEYS = ("revenue", "average_order_value", "gross_profit")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def make_warehouses(uow) -> dict[str, int]:
    with uow:
        rows = [Warehouse(code=c, name=f"{c} 仓") for c in ("SH", "BJ")]
        uow.session.add_all(rows)
        uow.commit()
        return {w.code: w.id for w in rows}


def add_order(uow, customer_id: int, n: int, spec: dict, *, refresh: bool = True) -> int:
    """One order row plus its approved/shipped events, as given by the spec, and its day's
    rollups."""
    with uow:
        order = Order(
            number=f"SO-K-{n:05d}",
            customer_id=customer_id,
            status=spec["status"],
            warehouse_id=spec.get("warehouse_id"),
            subtotal=spec.get("subtotal", Decimal("100.00")),
            discount_total=spec.get("discount", Decimal("0.00")),
            cost_total=spec.get("cost", Decimal("60.00")),
            tax_total=Decimal("13.00"),
            shipping_fee=Decimal("8.00"),
            requested_date=spec.get("requested"),
            created_at=spec["created"],
        )
        uow.session.add(order)
        uow.session.flush()
        for to_status in ("approved", "shipped"):
            for at in spec.get(to_status, []):
                uow.session.add(
                    OrderEvent(
                        order_id=order.id,
                        from_status="x",
                        to_status=to_status,
                        action="test",
                        actor_name="test",
                        at=at,
                    )
                )
        uow.commit()
        order_id = order.id
    if refresh:  # as the rollup pump does after the order's events
        rollups.refresh_orders(uow, [order_id])
    return order_id


def expected(date_from: date, date_to: date, warehouse: str, today: date) -> dict:
    """The figures of one period computed in pandas from the raw tables."""
    engine = get_engine()
    orders = pd.read_sql("SELECT * FROM orders", engine, coerce_float=False)
    events = pd.read_sql("SELECT order_id, to_status, at FROM order_events", engine)
    houses = pd.read_sql("SELECT id, code FROM warehouses", engine)
    local = pd.to_datetime(orders["created_at"], utc=True).dt.tz_convert(ZONE)
    day = local.dt.date
    booked = orders[~orders["status"].isin(NOT_BOOKED) & (day >= date_from) & (day <= date_to)]
    if warehouse:
        ids = set(houses.loc[houses["code"] == warehouse, "id"])
        booked = booked[booked["warehouse_id"].isin(ids)]
    events["at"] = pd.to_datetime(events["at"], utc=True)
    first = events.groupby(["order_id", "to_status"])["at"].min()
    approved = booked["id"].map(lambda i: first.get((i, "approved"), pd.NaT))
    shipped = booked["id"].map(lambda i: first.get((i, "shipped"), pd.NaT))
    revenue = sum(booked["subtotal"] - booked["discount_total"], Decimal(0))
    revenue = revenue.quantize(Decimal("0.01"))
    profit = revenue - sum(booked["cost_total"], Decimal(0))
    late = 0
    for req, ship in zip(booked["requested_date"], shipped, strict=True):
        if req is None or pd.isna(req):
            continue
        if pd.isna(ship):
            late += req < today
        else:
            late += ship.tz_convert(ZONE).date() > req
    hours = [
        (s - a).total_seconds() / 3600
        for a, s in zip(approved, shipped, strict=True)
        if not (pd.isna(a) or pd.isna(s))
    ]
    count = len(booked)
    return {
        "revenue": str(revenue),
        "orders": count,
        "average_order_value": (
            str((revenue / count).quantize(Decimal("0.01"), ROUND_HALF_UP)) if count else None
        ),
        "gross_profit": str(profit.quantize(Decimal("0.01"))),
        "margin": (
            str((profit / revenue).quantize(Decimal("0.0001"), ROUND_HALF_UP)) if revenue else None
        ),
        "late_orders": int(late),
        "fulfilment_lead_time_hours": round(sum(hours) / len(hours), 2) if hours else None,
    }


def assert_matches(got: dict, want: dict) -> None:
    lead = got.pop("fulfilment_lead_time_hours")
    lead_want = want.pop("fulfilment_lead_time_hours")
    assert {k: got[k] for k in want} == want
    assert lead == (None if lead_want is None else pytest.approx(lead_want, abs=0.011))


def assert_all_periods(result: dict, date_from, date_to, warehouse: str) -> None:
    for name, span in result["periods"].items():
        a, b = date.fromisoformat(span["from"]), date.fromisoformat(span["to"])
        assert_matches(dict(result[name]), expected(a, b, warehouse, TODAY))


@pytest.fixture
def shop(uow):
    return make_customer(uow), make_warehouses(uow)


def test_orders_straddling_shanghai_midnight_fall_on_their_local_day(uow, shop):
    # given: 15:59:59 UTC is 23:59:59 in Shanghai; 16:00:00 UTC is already the next local day
    customer, wh = shop
    add_order(uow, customer, 1, {"status": "approved", "created": utc(2026, 2, 28, 15, 59, 59)})
    add_order(uow, customer, 2, {"status": "approved", "created": utc(2026, 2, 28, 16, 0, 0)})
    add_order(uow, customer, 3, {"status": "approved", "created": utc(2026, 3, 1, 15, 59, 59)})
    add_order(uow, customer, 4, {"status": "approved", "created": utc(2026, 3, 1, 16, 0, 0)})
    # when
    result = compute_kpis(
        uow, actor=SYSTEM_ACTOR, date_from=date(2026, 3, 1), date_to=date(2026, 3, 1), today=TODAY
    )
    # then: only the two orders of 1 March local time count; the earlier one is the day before
    assert result["current"]["orders"] == 2
    assert result["previous_period"]["orders"] == 1
    assert result["current"]["revenue"] == "200.00"


def test_figures_match_pandas_for_current_previous_and_last_year(uow, shop):
    # given: a mix of statuses, warehouses, discounts, events and requested dates
    customer, wh = shop
    specs = [
        {
            "status": "shipped",
            "created": utc(2026, 3, 1, 16, 0),
            "warehouse_id": wh["SH"],
            "subtotal": Decimal("1000.00"),
            "discount": Decimal("50.00"),
            "cost": Decimal("600.00"),
            "requested": date(2026, 3, 4),
            "approved": [utc(2026, 3, 2, 1, 0), utc(2026, 3, 2, 5, 0)],
            "shipped": [utc(2026, 3, 4, 15, 59)],  # 23:59 local on the requested day: on time
        },
        {
            "status": "shipped",
            "created": utc(2026, 3, 5, 2, 0),
            "warehouse_id": wh["SH"],
            "subtotal": Decimal("300.00"),
            "cost": Decimal("310.00"),
            "requested": date(2026, 3, 6),
            "approved": [utc(2026, 3, 5, 3, 0)],
            "shipped": [utc(2026, 3, 6, 16, 0)],  # 00:00 local the day after: late
        },
        {
            "status": "approved",
            "created": utc(2026, 3, 7, 2, 0),
            "warehouse_id": wh["BJ"],
            "subtotal": Decimal("99.99"),
            "requested": date(2026, 3, 10),  # not shipped, before today: late
        },
        {"status": "pending_approval", "created": utc(2026, 3, 3, 2, 0)},
        {"status": "cancelled", "created": utc(2026, 3, 3, 2, 0), "subtotal": Decimal("5000")},
        {"status": "draft", "created": utc(2026, 3, 3, 2, 0)},
        {"status": "completed", "created": utc(2026, 2, 20, 2, 0), "warehouse_id": wh["SH"]},
        {"status": "completed", "created": utc(2025, 3, 5, 2, 0), "subtotal": Decimal("77.70")},
    ]
    ids = [add_order(uow, customer, n, spec, refresh=False) for n, spec in enumerate(specs, 1)]
    rollups.refresh_orders(uow, ids)
    # when / then: company-wide and per warehouse
    for warehouse in ("", "SH", "BJ"):
        result = compute_kpis(
            uow,
            actor=SYSTEM_ACTOR,
            date_from=date(2026, 3, 2),
            date_to=date(2026, 3, 15),
            warehouse=warehouse,
            today=TODAY,
        )
        assert result["current"]["pending_approvals"] == 1
        assert result["previous_period"]["pending_approvals"] is None
        assert result["current"]["return_rate"] == "0.0000"  # revenue, but nothing came back
        assert result["current"]["no_data"] == ["satisfaction"]
        assert_all_periods(result, date(2026, 3, 2), date(2026, 3, 15), warehouse)
    whole = compute_kpis(
        uow, actor=SYSTEM_ACTOR, date_from=date(2026, 3, 2), date_to=date(2026, 3, 15), today=TODAY
    )
    assert whole["current"]["orders"] == 3 and whole["current"]["late_orders"] == 2
    assert whole["current"]["revenue"] == "1349.99"
    assert whole["current"]["fulfilment_lead_time_hours"] == pytest.approx(
        (62 + 59 / 60 + 37) / 2, abs=0.01
    )
    assert whole["same_period_last_year"]["orders"] == 1
    assert whole["previous_period"]["orders"] == 1


def test_an_empty_period_has_zero_revenue_and_no_ratios(uow, shop):
    result = compute_kpis(
        uow, actor=SYSTEM_ACTOR, date_from=date(2026, 1, 1), date_to=date(2026, 1, 31), today=TODAY
    )
    current = result["current"]
    assert current["revenue"] == "0.00" and current["orders"] == 0
    assert current["average_order_value"] is None and current["margin"] is None
    assert current["fulfilment_lead_time_hours"] is None


@pytest.mark.parametrize(
    ("date_from", "date_to", "field", "code"),
    [
        (date(2026, 3, 2), date(2026, 3, 1), "to", "error.period.invalid"),
        (date(2025, 1, 1), date(2026, 1, 2), "from", "error.period.too_long"),
        (date(1, 1, 2), date(1, 1, 9), "from", "error.day.out_of_range"),  # last year: no date
        (date(9999, 12, 1), date(9999, 12, 31), "from", "error.day.out_of_range"),
    ],
)
def test_a_reversed_too_long_or_out_of_range_period_is_refused(
    uow, date_from, date_to, field, code
):
    with pytest.raises(ValidationFailed) as err:
        compute_kpis(uow, actor=SYSTEM_ACTOR, date_from=date_from, date_to=date_to)
    assert (err.value.field, err.value.code) == (field, code)


def test_a_user_without_dashboard_rights_is_refused(uow):
    rep = Actor(user_id=1, username="rep", permissions=frozenset({"order.view"}))
    with pytest.raises(PermissionDenied):
        compute_kpis(uow, actor=rep, date_from=date(2026, 3, 1), date_to=date(2026, 3, 2))


BASE = utc(2026, 2, 25, 0, 0)
order_specs = st.lists(
    st.fixed_dictionaries(
        {
            "status": st.sampled_from(STATUSES),
            "minutes": st.integers(0, 60 * 24 * 24),
            "last_year": st.booleans(),
            "warehouse": st.sampled_from(["", "SH", "BJ"]),
            "subtotal": st.decimals(0, 5000, places=2),
            "discount": st.decimals(0, 100, places=2),
            "cost": st.decimals(0, 5000, places=2),
            "requested": st.none() | st.integers(0, 30),
            "approved_after": st.none() | st.integers(0, 60 * 48),
            "shipped_after": st.none() | st.integers(0, 60 * 24 * 6),
        }
    ),
    max_size=12,
)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(specs=order_specs, warehouse=st.sampled_from(["", "SH", "BJ"]))
def test_random_orders_give_the_same_figures_as_pandas(uow, specs, warehouse):
    # given: a fresh book of random orders around the period and a year before it
    reset_business_tables()
    customer, wh = make_customer(uow), make_warehouses(uow)
    ids = []
    for n, raw in enumerate(specs, 1):
        created = BASE + timedelta(minutes=raw["minutes"])
        if raw["last_year"]:
            created = created.replace(year=2025)
        spec = {
            "status": raw["status"],
            "created": created,
            "warehouse_id": wh.get(raw["warehouse"]),
            "subtotal": raw["subtotal"],
            "discount": raw["discount"],
            "cost": raw["cost"],
            "requested": None
            if raw["requested"] is None
            else created.date() + timedelta(days=raw["requested"]),
        }
        if raw["approved_after"] is not None:
            approved = created + timedelta(minutes=raw["approved_after"])
            spec["approved"] = [approved]
            if raw["shipped_after"] is not None:
                spec["shipped"] = [approved + timedelta(minutes=raw["shipped_after"])]
        ids.append(add_order(uow, customer, n, spec, refresh=False))
    rollups.refresh_orders(uow, ids)  # one pump run for the whole burst
    # when
    result = compute_kpis(
        uow,
        actor=SYSTEM_ACTOR,
        date_from=date(2026, 3, 3),
        date_to=date(2026, 3, 12),
        warehouse=warehouse,
        today=TODAY,
    )
    # then
    assert_all_periods(result, date(2026, 3, 3), date(2026, 3, 12), warehouse)
