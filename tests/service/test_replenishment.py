"""Replenishment on real PostgreSQL: rules from demand, suggestions, accept and dismiss."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from oms_app.core.clock import utcnow
from oms_app.core.errors import NotFound, PermissionDenied, ValidationFailed
from oms_app.core.paging import PageRequest
from oms_app.inventory import replenishment, warehouse_queries
from oms_app.inventory.models import (
    ExpectedReceipt,
    ReorderRule,
    ReplenishmentSuggestion,
    StockMovement,
    Warehouse,
)
from oms_app.inventory.replenishment import SuggestionDecided
from oms_app.notifications.models import Notification
from tests.factories.catalog import product_id
from tests.factories.sales import make_world


def count(uow, model, *where) -> int:
    with uow:
        return uow.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def warehouse_id(uow, code: str = "SH") -> int:
    with uow:
        return uow.session.scalar(sa.select(Warehouse.id).where(Warehouse.code == code))


def add_demand(uow, *, sku: str, per_day: list[int], now) -> None:
    """Reservations of `per_day[i]` units i+1 days ago (plus a release, which is no demand)."""
    pid, wid = product_id(uow, sku), warehouse_id(uow)
    with uow:
        for days_ago, quantity in enumerate(per_day, start=1):
            at = now - timedelta(days=days_ago)
            uow.session.add_all(
                [
                    StockMovement(
                        product_id=pid,
                        warehouse_id=wid,
                        kind="reserve",
                        reserved_delta=quantity,
                        at=at,
                    ),
                    StockMovement(
                        product_id=pid,
                        warehouse_id=wid,
                        kind="release",
                        reserved_delta=-quantity,
                        at=at,
                    ),
                ]
            )
        uow.commit()


def rule_of(uow, sku: str) -> tuple | None:
    r = ReorderRule
    with uow:
        row = uow.session.execute(
            sa.select(r.reorder_point, r.reorder_qty, r.lead_time_days, r.source).where(
                r.product_id == product_id(uow, sku)
            )
        ).first()
    return tuple(row) if row else None


def suggestions(uow) -> list[tuple]:
    s = ReplenishmentSuggestion
    with uow:
        rows = uow.session.execute(
            sa.select(s.product_id, s.quantity, s.available, s.reorder_point, s.state).order_by(
                s.id
            )
        ).all()
    return [tuple(r) for r in rows]


@pytest.fixture
def world(uow):
    return make_world(uow, stock=40)


# --- rules ------------------------------------------------------------------------------------


def test_rules_are_computed_from_the_last_90_days_of_reservations(uow, world):
    # given OFF-0001 reserved 10 a day for 90 days, and older demand that no longer counts
    now = utcnow()
    add_demand(uow, sku="OFF-0001", per_day=[10] * 90 + [500] * 10, now=now)
    # when
    written = replenishment.compute_reorder_rules(uow, actor=world.warehouse, now=now)
    # then: a week of lead time at 10 a day, 30 days of demand to reorder
    assert written == 1
    assert rule_of(uow, "OFF-0001") == (70, 300, 7, "computed")
    assert rule_of(uow, "OFF-0002") is None  # no demand, no rule


def test_computing_never_overwrites_a_manual_rule(uow, world):
    now = utcnow()
    add_demand(uow, sku="OFF-0001", per_day=[10] * 90, now=now)
    replenishment.set_reorder_rule(
        uow,
        actor=world.warehouse,
        warehouse_code="SH",
        sku="OFF-0001",
        reorder_point=5,
        reorder_qty=20,
        lead_time_days=3,
    )
    assert replenishment.compute_reorder_rules(uow, actor=world.warehouse, now=now) == 0
    assert rule_of(uow, "OFF-0001") == (5, 20, 3, "manual")


def test_a_computed_rule_keeps_its_lead_time_when_recomputed(uow, world):
    now = utcnow()
    add_demand(uow, sku="OFF-0002", per_day=[4] * 90, now=now)
    replenishment.compute_reorder_rules(uow, actor=world.warehouse, now=now)
    with uow:
        uow.session.execute(sa.update(ReorderRule).values(lead_time_days=10))
        uow.commit()
    replenishment.compute_reorder_rules(uow, actor=world.warehouse, now=now)
    assert rule_of(uow, "OFF-0002") == (40, 120, 10, "computed")


def test_a_bad_manual_rule_is_refused_and_changes_nothing(uow, world):
    with pytest.raises(ValidationFailed) as refused:
        replenishment.set_reorder_rule(
            uow,
            actor=world.warehouse,
            warehouse_code="SH",
            sku="OFF-0001",
            reorder_point=-1,
            reorder_qty=20,
            lead_time_days=3,
        )
    assert (refused.value.field, refused.value.code) == ("reorder_point", "error.number.min")
    with pytest.raises(NotFound):
        replenishment.set_reorder_rule(
            uow,
            actor=world.warehouse,
            warehouse_code="SH",
            sku="NOPE-1",
            reorder_point=1,
            reorder_qty=1,
            lead_time_days=1,
        )
    assert count(uow, ReorderRule) == 0


def test_a_sales_rep_cannot_set_or_compute_rules(uow, world):
    with pytest.raises(PermissionDenied):
        replenishment.compute_reorder_rules(uow, actor=world.rep)
    with pytest.raises(PermissionDenied):
        replenishment.suggest_replenishment(uow, actor=world.rep)


# --- suggestions ------------------------------------------------------------------------------


def manual_rule(uow, world, sku: str, point: int, qty: int) -> None:
    replenishment.set_reorder_rule(
        uow,
        actor=world.warehouse,
        warehouse_code="SH",
        sku=sku,
        reorder_point=point,
        reorder_qty=qty,
        lead_time_days=7,
    )


def test_stock_at_the_reorder_point_is_suggested_once_and_the_warehouse_is_alerted(uow, world):
    # given 40 of each in stock; OFF-0001 reorders at 50, OFF-0002 at 10
    manual_rule(uow, world, "OFF-0001", 50, 100)
    manual_rule(uow, world, "OFF-0002", 10, 100)
    # when the round runs twice
    created = replenishment.suggest_replenishment(uow, actor=world.warehouse)
    again = replenishment.suggest_replenishment(uow, actor=world.warehouse)
    # then one suggestion for OFF-0001 only, and one alert for the warehouse
    assert len(created) == 1 and again == []
    assert suggestions(uow) == [(product_id(uow, "OFF-0001"), 100, 40, 50, "open")]
    with uow:
        alerts = uow.session.execute(
            sa.select(Notification.kind, Notification.title, Notification.link, Notification.params)
        ).all()
    assert [tuple(a) for a in alerts] == [
        (
            "alert",
            "notify.replenishment",
            "/warehouse/replenishment",
            {"count": 1, "skus": "OFF-0001"},
        )
    ]
    assert all(a[0] == "alert" for a in alerts)


def test_goods_on_their_way_count_so_nothing_is_suggested_twice(uow, world):
    manual_rule(uow, world, "OFF-0001", 50, 100)
    with uow:
        uow.session.add(
            ExpectedReceipt(
                product_id=product_id(uow, "OFF-0001"),
                warehouse_id=warehouse_id(uow),
                quantity=20,
            )
        )
        uow.commit()
    assert replenishment.suggest_replenishment(uow, actor=world.warehouse) == []


def test_accepting_a_suggestion_makes_an_expected_receipt_with_the_chosen_quantity(uow, world):
    manual_rule(uow, world, "OFF-0001", 50, 100)
    [suggestion_id] = replenishment.suggest_replenishment(uow, actor=world.warehouse)
    due = date.today() + timedelta(days=5)
    # when
    result = replenishment.accept_suggestion(
        uow, actor=world.warehouse, suggestion_id=suggestion_id, quantity=120, expected_on=due
    )
    # then
    e = ExpectedReceipt
    with uow:
        receipt = uow.session.execute(
            sa.select(e.quantity, e.expected_on, e.state, e.suggestion_id)
        ).one()
    assert tuple(receipt) == (120, due, "open", suggestion_id)
    assert result["expected_receipt_id"] and suggestions(uow)[0][-1] == "accepted"
    # and it cannot be decided twice
    with pytest.raises(SuggestionDecided):
        replenishment.dismiss_suggestion(uow, actor=world.warehouse, suggestion_id=suggestion_id)
    assert count(uow, ExpectedReceipt) == 1
    # and the goods on their way stop a new suggestion
    assert replenishment.suggest_replenishment(uow, actor=world.warehouse) == []


def test_a_dismissed_suggestion_is_not_proposed_again_for_a_week(uow, world):
    manual_rule(uow, world, "OFF-0001", 50, 100)
    [suggestion_id] = replenishment.suggest_replenishment(uow, actor=world.warehouse)
    replenishment.dismiss_suggestion(uow, actor=world.warehouse, suggestion_id=suggestion_id)
    assert replenishment.suggest_replenishment(uow, actor=world.warehouse) == []
    later = utcnow() + timedelta(days=8)
    assert len(replenishment.suggest_replenishment(uow, actor=world.warehouse, now=later)) == 1


def test_an_unknown_suggestion_is_not_found_and_a_bad_quantity_changes_nothing(uow, world):
    manual_rule(uow, world, "OFF-0001", 50, 100)
    [suggestion_id] = replenishment.suggest_replenishment(uow, actor=world.warehouse)
    with pytest.raises(NotFound):
        replenishment.accept_suggestion(uow, actor=world.warehouse, suggestion_id=999_999)
    with pytest.raises(ValidationFailed):
        replenishment.accept_suggestion(
            uow, actor=world.warehouse, suggestion_id=suggestion_id, quantity=0
        )
    assert count(uow, ExpectedReceipt) == 0
    assert suggestions(uow)[0][-1] == "open"


def test_the_round_computes_stale_rules_then_suggests(uow, world):
    # given demand of 10 a day and 40 in stock: the computed point (70) is above the stock
    now = utcnow()
    add_demand(uow, sku="OFF-0001", per_day=[10] * 90, now=now)
    # when
    first = replenishment.run_replenishment(uow, actor=world.warehouse, now=now)
    second = replenishment.run_replenishment(uow, actor=world.warehouse, now=now)
    # then rules are computed once a day, and the SKU is suggested once
    assert first["computed"] == 1 and len(first["suggested"]) == 1
    assert second == {"computed": None, "suggested": []}
    assert suggestions(uow)[0][1] == 300


# --- lists ------------------------------------------------------------------------------------


def test_suggestions_and_expected_receipts_are_listed_paged_and_filtered(uow, world):
    manual_rule(uow, world, "OFF-0001", 50, 100)
    manual_rule(uow, world, "OFF-0002", 50, 60)
    first, second = replenishment.suggest_replenishment(uow, actor=world.warehouse)
    replenishment.accept_suggestion(uow, actor=world.warehouse, suggestion_id=first)
    # when
    open_page = warehouse_queries.list_suggestions(
        uow, actor=world.warehouse, request=PageRequest(page_size=1), warehouse="SH"
    )
    other = warehouse_queries.list_suggestions(
        uow, actor=world.warehouse, request=PageRequest(), warehouse="BJ"
    )
    expected = warehouse_queries.list_expected_receipts(
        uow, actor=world.warehouse, request=PageRequest(search="OFF-0001")
    )
    rules = warehouse_queries.list_reorder_rules(
        uow, actor=world.warehouse, request=PageRequest(sort="sku", descending=True)
    )
    # then
    assert open_page["total"] == 1
    row = open_page["rows"][0]
    assert (row["id"], row["sku"], row["quantity"], row["reorder_point"]) == (
        second,
        "OFF-0002",
        60,
        50,
    )
    assert row["name"] == "A4 复印纸"  # the actor's language
    assert other == {"rows": [], "total": 0}
    assert [(r["sku"], r["remaining"], r["state"]) for r in expected["rows"]] == [
        ("OFF-0001", 100, "open")
    ]
    assert [r["sku"] for r in rules["rows"]] == ["OFF-0002", "OFF-0001"]
