"""Replenishment: reorder rules (manual or computed from demand), suggestions, expected receipts."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
import sqlalchemy.dialects.postgresql as pg

from oms_app.audit import service as audit
from oms_app.catalog.service import checked_count, normalize_sku
from oms_app.core.clock import business_zone, utcnow
from oms_app.core.errors import Conflict, NotFound, ValidationFailed
from oms_app.core.permissions import SYSTEM_ACTOR, Actor, Permission, require
from oms_app.inventory import ledger, rules
from oms_app.inventory.models import (
    ExpectedReceipt,
    ReorderRule,
    ReplenishmentSuggestion,
    StockMovement,
)
from oms_app.inventory.queries import PRODUCTS
from oms_app.inventory.service import _product_id, _warehouse
from oms_app.notifications import service as notifications

MAX_QTY = 1_000_000
ALERT_SKUS = 10  # SKUs named in one alert; the page lists them all
REPLENISHMENT_LINK = "/warehouse/replenishment"


class SuggestionDecided(Conflict):
    """The suggestion was accepted or dismissed already (by someone else, or a double click)."""

    code = "error.suggestion.decided"


def _checked_range(name: str, value: object, *, minimum: int, maximum: int) -> int:
    value = checked_count(name, value, minimum=minimum)
    if value > maximum:
        raise ValidationFailed(name, "error.number.max", max=maximum)
    return value


def _rule_values(reorder_point: object, reorder_qty: object, lead_time_days: object) -> dict:
    return {
        "reorder_point": _checked_range("reorder_point", reorder_point, minimum=0, maximum=MAX_QTY),
        "reorder_qty": _checked_range("reorder_qty", reorder_qty, minimum=1, maximum=MAX_QTY),
        "lead_time_days": _checked_range(
            "lead_time_days", lead_time_days, minimum=0, maximum=rules.MAX_LEAD_TIME_DAYS
        ),
    }


def set_reorder_rule(
    uow,
    *,
    actor: Actor,
    warehouse_code: str,
    sku: str,
    reorder_point: int,
    reorder_qty: int,
    lead_time_days: int,
) -> dict:
    """Set a manual reorder rule; the daily computation never overwrites it."""
    require(actor, Permission.STOCK_MOVE)
    values = _rule_values(reorder_point, reorder_qty, lead_time_days)
    sku = normalize_sku(sku)
    with uow:
        warehouse = _warehouse(uow.session, warehouse_code)
        product_id = _product_id(uow.session, sku)
        now = utcnow()
        stmt = pg.insert(ReorderRule).values(
            product_id=product_id,
            warehouse_id=warehouse.id,
            source="manual",
            updated_at=now,
            **values,
        )
        uow.session.execute(
            stmt.on_conflict_do_update(
                index_elements=["product_id", "warehouse_id"],
                set_={**values, "source": "manual", "updated_at": now},
            )
        )
        audit.record(
            uow,
            actor=actor,
            action="reorder_rule.set",
            entity="reorder_rule",
            entity_id=f"{warehouse.code}:{sku}",
            **values,
        )
        uow.commit()
    return {"warehouse": warehouse.code, "sku": sku, "source": "manual", **values}


def daily_demand(uow, *, today: date) -> dict[tuple[int, int], dict[date, int]]:
    """Reserved units per (warehouse id, product id) per business day, over the 90 whole days
    before `today`."""
    m = StockMovement
    zone = business_zone()
    day = sa.func.date(sa.func.timezone(zone.key, m.at)).label("day")
    start = datetime.combine(today - timedelta(days=rules.DEMAND_DAYS), time.min, tzinfo=zone)
    end = datetime.combine(today, time.min, tzinfo=zone)
    rows = uow.session.execute(
        sa.select(m.warehouse_id, m.product_id, day, sa.func.sum(m.reserved_delta))
        .where(m.kind == "reserve", m.reserved_delta > 0, m.at >= start, m.at < end)
        .group_by(m.warehouse_id, m.product_id, day)
    )
    demand: dict[tuple[int, int], dict[date, int]] = defaultdict(dict)
    for warehouse_id, product_id, on_day, quantity in rows:
        demand[(warehouse_id, product_id)][on_day] = int(quantity)
    return dict(demand)


def compute_reorder_rules(uow, *, actor: Actor, now: datetime | None = None) -> int:
    """Compute reorder rules from demand for every SKU x warehouse with demand (manual stay)."""
    require(actor, Permission.STOCK_MOVE)
    now = now or utcnow()
    today = now.astimezone(business_zone()).date()
    with uow:
        demand = daily_demand(uow, today=today)
        existing = {
            (r.warehouse_id, r.product_id): r for r in uow.session.scalars(sa.select(ReorderRule))
        }
        written = 0
        for (warehouse_id, product_id), per_day in sorted(demand.items()):
            rule = existing.get((warehouse_id, product_id))
            if rule is not None and rule.source == "manual":
                continue
            lead = rule.lead_time_days if rule else rules.DEFAULT_LEAD_TIME_DAYS
            point, qty = rules.compute_reorder_point(
                rules.daily_series(per_day, end=today - timedelta(days=1)), lead
            )
            values = {"reorder_point": point, "reorder_qty": qty, "updated_at": now}
            stmt = pg.insert(ReorderRule).values(
                product_id=product_id,
                warehouse_id=warehouse_id,
                lead_time_days=lead,
                source="computed",
                **values,
            )
            # A rule made manual meanwhile stays as it is.
            done = uow.session.execute(
                stmt.on_conflict_do_update(
                    index_elements=["product_id", "warehouse_id"],
                    set_=values,
                    where=ReorderRule.source == "computed",
                ).returning(ReorderRule.id)
            )
            written += len(done.all())
        uow.commit()
    return written


def _on_order(uow) -> dict[tuple[int, int], int]:
    e = ExpectedReceipt
    rows = uow.session.execute(
        sa.select(e.warehouse_id, e.product_id, sa.func.sum(e.quantity - e.received_qty))
        .where(e.state == "open")
        .group_by(e.warehouse_id, e.product_id)
    )
    return {(w, p): max(0, int(q or 0)) for w, p, q in rows}


def _waiting_pairs(uow, now: datetime) -> set[tuple[int, int]]:
    """SKU x warehouse with an open suggestion, or one dismissed lately (no nagging)."""
    r = ReplenishmentSuggestion
    recent = now - rules.DISMISS_QUIET
    rows = uow.session.execute(
        sa.select(r.warehouse_id, r.product_id).where(
            sa.or_(r.state == "open", sa.and_(r.state == "dismissed", r.decided_at >= recent))
        )
    )
    return {(w, p) for w, p in rows}


def suggest_replenishment(uow, *, actor: Actor, now: datetime | None = None) -> list[int]:
    """Propose a purchase for every rule whose projected stock fell to its reorder point."""
    require(actor, Permission.STOCK_MOVE)
    now = now or utcnow()
    with uow:
        s = uow.session
        # One run at a time: two runs must not both propose the same SKU.
        s.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext("replenishment"))))
        all_rules = s.scalars(sa.select(ReorderRule).order_by(ReorderRule.id)).all()
        available = ledger.available_by_warehouse(
            uow, product_ids={r.product_id for r in all_rules}
        )
        on_order = _on_order(uow)
        waiting = _waiting_pairs(uow, now)
        created = []
        for rule in all_rules:
            pair = (rule.warehouse_id, rule.product_id)
            have, coming = available.get(pair, 0), on_order.get(pair, 0)
            if pair in waiting or not rules.needs_replenishment(
                available=have, on_order=coming, reorder_point=rule.reorder_point
            ):
                continue
            quantity = rules.suggested_quantity(
                available=have,
                on_order=coming,
                reorder_point=rule.reorder_point,
                reorder_qty=rule.reorder_qty,
            )
            row = ReplenishmentSuggestion(
                product_id=rule.product_id,
                warehouse_id=rule.warehouse_id,
                quantity=min(quantity, MAX_QTY),
                available=have,
                reorder_point=rule.reorder_point,
                created_at=now,
            )
            s.add(row)
            created.append(row)
        s.flush()
        if created:
            _alert(uow, created)
        uow.commit()
    return [row.id for row in created]


def _alert(uow, created: list[ReplenishmentSuggestion]) -> None:
    """One live alert per run for the warehouse: how many SKUs to reorder, naming the first."""
    ids = sorted({row.product_id for row in created})
    skus = uow.session.scalars(
        sa.select(PRODUCTS.c.sku).where(PRODUCTS.c.id.in_(ids)).order_by(PRODUCTS.c.sku)
    ).all()
    named = ", ".join(skus[:ALERT_SKUS]) + (" …" if len(skus) > ALERT_SKUS else "")
    notifications.notify_role(
        uow,
        actor=SYSTEM_ACTOR,
        role="warehouse",
        title="notify.replenishment",
        body="notify.replenishment_body",
        params={"count": len(created), "skus": named},
        kind="alert",
        link=REPLENISHMENT_LINK,
    )


def run_replenishment(uow, *, actor: Actor, now: datetime | None = None) -> dict:
    """The beat's round: recompute rules when a day old (or missing), then suggest."""
    require(actor, Permission.STOCK_MOVE)
    now = now or utcnow()
    with uow:
        last = uow.session.scalar(
            sa.select(sa.func.max(ReorderRule.updated_at)).where(ReorderRule.source == "computed")
        )
    computed = None
    if rules.rules_are_stale(last, now):
        computed = compute_reorder_rules(uow, actor=actor, now=now)
    return {"computed": computed, "suggested": suggest_replenishment(uow, actor=actor, now=now)}


def _open_suggestion(uow, suggestion_id: object) -> ReplenishmentSuggestion:
    row = None
    if isinstance(suggestion_id, int) and not isinstance(suggestion_id, bool):
        row = uow.session.get(ReplenishmentSuggestion, suggestion_id, with_for_update=True)
    if row is None:
        raise NotFound(field="suggestion_id", entity="suggestion", value=suggestion_id)
    if row.state != "open":
        raise SuggestionDecided(field="suggestion_id", state=row.state)
    return row


def accept_suggestion(
    uow,
    *,
    actor: Actor,
    suggestion_id: int,
    quantity: int | None = None,
    expected_on: date | None = None,
) -> dict:
    """Accept a suggestion (its quantity, or the one given): it becomes an expected receipt."""
    require(actor, Permission.STOCK_MOVE)
    if quantity is not None:
        quantity = _checked_range("quantity", quantity, minimum=1, maximum=MAX_QTY)
    if expected_on is not None and (
        not isinstance(expected_on, date) or isinstance(expected_on, datetime)
    ):
        raise ValidationFailed("expected_on", "error.date.invalid")
    with uow:
        row = _open_suggestion(uow, suggestion_id)
        row.state, row.decided_by, row.decided_at = "accepted", actor.username[:64], utcnow()
        receipt = ExpectedReceipt(
            product_id=row.product_id,
            warehouse_id=row.warehouse_id,
            quantity=quantity or row.quantity,
            expected_on=expected_on,
            suggestion_id=row.id,
        )
        uow.session.add_all([row, receipt])
        uow.session.flush()
        audit.record(
            uow,
            actor=actor,
            action="replenishment.accepted",
            entity="replenishment_suggestion",
            entity_id=row.id,
            quantity=receipt.quantity,
            expected_on=expected_on or "",
            expected_receipt=receipt.id,
        )
        uow.commit()
    return {
        "suggestion_id": row.id,
        "expected_receipt_id": receipt.id,
        "quantity": receipt.quantity,
        "expected_on": expected_on.isoformat() if expected_on else "",
    }


def dismiss_suggestion(uow, *, actor: Actor, suggestion_id: int, reason: str = "") -> dict:
    """Dismiss a suggestion; the SKU is proposed again after a quiet week if still low."""
    require(actor, Permission.STOCK_MOVE)
    reason = reason.strip()[:200] if isinstance(reason, str) else ""
    with uow:
        row = _open_suggestion(uow, suggestion_id)
        row.state, row.decided_by, row.decided_at = "dismissed", actor.username[:64], utcnow()
        uow.session.add(row)
        audit.record(
            uow,
            actor=actor,
            action="replenishment.dismissed",
            entity="replenishment_suggestion",
            entity_id=row.id,
            reason=reason,
        )
        uow.commit()
    return {"suggestion_id": row.id, "state": row.state}
