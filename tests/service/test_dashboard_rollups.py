"""The dashboard's daily rollups stay equal to a full recompute while orders move, and the
figures read through them equal figures computed from the raw tables."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from oms_app.analytics import rollups
from oms_app.analytics.kpis import compute_kpis
from oms_app.core.clock import business_zone, utcnow
from oms_app.core.events import OutboxMessage
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.orders.models import Order, OrderEvent
from tests.factories.dashboard import add_order, make_shop, random_spec, utc

FIRST, LAST = date(2026, 2, 1), date(2026, 3, 31)
BASE = utc(2026, 1, 31, 16)  # 1 February 00:00 in Shanghai


def stored(uow, table) -> list[tuple]:
    """The table's rows without ids, sorted, figures rounded as stored."""
    columns = [c for c in table.c if c.name != "id"]
    with uow:
        rows = uow.session.execute(sa.select(*columns)).all()
    return sorted((_plain(r) for r in rows), key=repr)


def recomputed(uow, make_rows) -> list[tuple]:
    """The same rows computed afresh from the orders, in the table's column order."""
    select = make_rows(FIRST - timedelta(days=400), LAST + timedelta(days=400))
    with uow:
        rows = uow.session.execute(select).all()
    return sorted((_plain(r) for r in rows), key=repr)


def _plain(row) -> tuple:
    values = row._asdict()
    values["lead_seconds"] = Decimal(values["lead_seconds"]).quantize(Decimal("0.001"))
    return tuple(sorted(values.items()))


def assert_rollups_match_a_full_recompute(uow) -> None:
    assert stored(uow, rollups.SALES) == recomputed(uow, rollups.sales_rows)
    assert stored(uow, rollups.BY_CATEGORY) == recomputed(uow, rollups.category_rows)


def move(uow, order_id: int, to_status: str, at) -> None:
    """An order event, as a transition writes it, then what the pump does for it."""
    with uow:
        order = uow.session.get(Order, order_id)
        uow.session.add(
            OrderEvent(
                order_id=order_id,
                from_status=order.status,
                to_status=to_status,
                action="test",
                actor_name="test",
                at=at,
            )
        )
        order.status = to_status
        uow.commit()
    rollups.refresh_orders(uow, [order_id])


NEXT = {
    "pending_approval": ["approved", "rejected", "cancelled"],
    "approved": ["allocated", "cancelled", "on_hold"],
    "on_hold": ["approved"],
    "allocated": ["picking", "partially_shipped", "shipped"],
    "picking": ["packed"],
    "packed": ["shipped"],
    "partially_shipped": ["shipped"],
    "shipped": ["delivered"],
    "delivered": ["completed"],
}


@pytest.mark.parametrize("seed", [3, 17, 2026])
def test_rollups_equal_a_full_recompute_after_random_event_sequences(uow, seed):
    # given: a shop with orders placed and then moved one event at a time, in random order
    rng = random.Random(seed)
    shop = make_shop(uow)
    orders: dict[int, tuple] = {}
    for _step in range(60):
        if not orders or rng.random() < 0.35:
            spec = random_spec(rng, BASE, 59)
            spec["requested"] = spec["created"].date() + timedelta(days=rng.randrange(0, 6))
            order_id = add_order(uow, shop, spec)
            orders[order_id] = (spec["created"], spec["events"][-1][1] if spec["events"] else None)
            continue
        order_id = rng.choice(list(orders))
        with uow:
            status = uow.session.get(Order, order_id).status
        if status not in NEXT:
            continue
        created, last_at = orders[order_id]
        at = (last_at or created) + timedelta(hours=rng.randrange(1, 96))
        move(uow, order_id, rng.choice(NEXT[status]), at)
        orders[order_id] = (created, at)
        if _step % 15 == 0:
            assert_rollups_match_a_full_recompute(uow)
    # then
    assert_rollups_match_a_full_recompute(uow)


def test_a_rebuild_restores_rollups_that_missed_their_events_and_drops_stale_days(uow):
    # given: orders whose cost changed behind the rollups' back, and a row of a day without orders
    shop = make_shop(uow)
    rng = random.Random(5)
    for _ in range(25):
        add_order(uow, shop, random_spec(rng, BASE, 30))
    with uow:
        uow.session.execute(sa.update(Order).values(cost_total=Decimal("2.50")))
        uow.session.execute(
            sa.insert(rollups.SALES).values(day=date(2020, 1, 1), channel="sales", orders=9)
        )
        uow.commit()
    assert stored(uow, rollups.SALES) != recomputed(uow, rollups.sales_rows)
    # when
    written = rollups.rebuild(uow)
    # then
    assert written == len(stored(uow, rollups.SALES)) + len(stored(uow, rollups.BY_CATEGORY))
    assert_rollups_match_a_full_recompute(uow)


def refreshed_announcements(uow) -> list[dict]:
    """The payloads of the analytics.rollups_refreshed events waiting in the outbox."""
    with uow:
        return uow.session.scalars(
            sa.select(OutboxMessage.payload).where(
                OutboxMessage.event_type == "analytics.rollups_refreshed"
            )
        ).all()


def test_a_refresh_announces_the_rewritten_days_after_commit(uow):
    shop = make_shop(uow)
    order_id = add_order(uow, shop, {"status": "approved", "created": utc(2026, 3, 2, 4)})
    [payload] = refreshed_announcements(uow)
    assert payload == {"first": "2026-03-02", "last": "2026-03-02", "days": 1}
    assert rollups.days_of_orders(uow, [order_id]) == [date(2026, 3, 2)]


def test_a_refresh_of_scattered_days_announces_how_many_days_it_rewrote(uow):
    # given days with gaps between them, when they are refreshed together
    rollups.refresh_days(uow, [date(2026, 3, 5), date(2026, 3, 2), date(2026, 3, 3)])
    [payload] = refreshed_announcements(uow)
    # then the announcement spans them and counts the days, not the runs of days
    assert payload == {"first": "2026-03-02", "last": "2026-03-05", "days": 3}


def test_todays_orders_count_before_any_refresh_has_run(uow):
    # given: an order placed a minute ago whose rollup the pump has not written yet
    shop = make_shop(uow)
    today = rollups.business_today()
    before = compute_kpis(uow, actor=SYSTEM_ACTOR, date_from=today, date_to=today)["current"]
    # a minute ago, but never before today began (run just after midnight in Shanghai)
    today_began = datetime.combine(today, time(), tzinfo=business_zone()).astimezone(UTC)
    with uow:
        order = Order(
            number="SO-D-TODAY",
            customer_id=shop.customer_id,
            status="approved",
            subtotal=Decimal("321.00"),
            discount_total=Decimal("1.00"),
            cost_total=Decimal("100.00"),
            created_at=max(utcnow() - timedelta(minutes=1), today_began),
        )
        uow.session.add(order)
        uow.commit()
    # when
    after = compute_kpis(uow, actor=SYSTEM_ACTOR, date_from=today, date_to=today)["current"]
    # then
    assert stored(uow, rollups.SALES) == []
    assert (before["orders"], after["orders"]) == (0, 1)
    assert after["revenue"] == "320.00" and after["gross_profit"] == "220.00"


def test_an_old_day_shows_what_its_rollup_holds_until_the_pump_rewrites_it(uow):
    # given: a shipped order of early March, then a late shipment event not yet pumped
    shop = make_shop(uow)
    created = utc(2026, 3, 2, 4)
    order_id = add_order(
        uow,
        shop,
        {"status": "approved", "created": created, "events": [("approved", created)]},
    )
    with uow:
        uow.session.execute(
            sa.update(Order).where(Order.id == order_id).values(requested_date=date(2026, 3, 3))
        )
        uow.commit()
    rollups.refresh_orders(uow, [order_id])

    def late() -> int:
        return compute_kpis(
            uow,
            actor=SYSTEM_ACTOR,
            date_from=date(2026, 3, 1),
            date_to=date(2026, 3, 31),
            today=date(2026, 3, 3),
        )["current"]["late_orders"]

    assert late() == 0  # not shipped, due today (3 March): not late yet
    with uow:
        uow.session.add(
            OrderEvent(
                order_id=order_id,
                from_status="packed",
                to_status="shipped",
                action="ship",
                actor_name="test",
                at=utc(2026, 3, 5, 4),
            )
        )
        uow.commit()
    # when / then: shipped two days after the requested date, late once the pump has run
    assert late() == 0
    rollups.refresh_orders(uow, [order_id])
    assert late() == 1
