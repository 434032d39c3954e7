"""Budget adjustments: a request to increase, decrease or transfer one month of a budget,
approved or rejected by a finance manager other than the requester; audited."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from oms_app.audit import service as audit
from oms_app.budgets import (
    lifecycle,  # noqa: F401  (registers the adjustment machine)
    rules,
)
from oms_app.budgets.errors import BudgetConflict
from oms_app.budgets.models import Budget, BudgetAdjustment, BudgetMonth
from oms_app.budgets.status import AdjustmentAction, AdjustmentKind
from oms_app.core.errors import NotFound, ValidationFailed
from oms_app.core.permissions import Actor, Permission, require
from oms_app.core.state_machine import apply_transition


def load_budget(uow, budget_id: int | None, *, field: str = "budget_id") -> Budget:
    """The budget locked for update; NotFound when there is none."""
    budget = uow.session.get(Budget, budget_id, with_for_update=True) if budget_id else None
    if budget is None:
        raise NotFound(field=field, id=budget_id)
    return budget


def month_rows(uow, budget_id: int) -> dict[int, BudgetMonth]:
    """A budget's month rows by month number, locked for update."""
    rows = uow.session.scalars(
        sa.select(BudgetMonth).where(BudgetMonth.budget_id == budget_id).with_for_update()
    )
    return {row.month: row for row in rows}


def request_adjustment(
    uow,
    *,
    budget_id: int,
    kind: str,
    amount: Decimal,
    month: int,
    reason: str,
    to_budget_id: int | None = None,
    actor: Actor,
) -> int:
    """Ask for an increase, a decrease or a transfer of one month of a budget."""
    require(actor, Permission.FINANCE_VIEW)
    if kind not in {k.value for k in AdjustmentKind}:
        raise ValidationFailed("kind", "error.choice", choices="increase, decrease, transfer")
    if month not in rules.MONTHS:
        raise ValidationFailed("month", "budgets.error.bad_month", value=month)
    if Decimal(amount) <= 0 or rules.to_cents(amount) != Decimal(amount):
        raise ValidationFailed("amount", "budgets.error.bad_amount", value=str(amount))
    if not reason.strip():
        raise ValidationFailed("reason", "error.required")
    with uow:
        budget = load_budget(uow, budget_id)
        if kind == AdjustmentKind.TRANSFER:
            target = load_budget(uow, to_budget_id, field="to_budget")
            if target.id == budget.id or target.year != budget.year:
                raise ValidationFailed("to_budget", "budgets.error.bad_transfer_target")
        adjustment = BudgetAdjustment(
            budget_id=budget.id,
            to_budget_id=to_budget_id if kind == AdjustmentKind.TRANSFER else None,
            kind=kind,
            month=month,
            amount=rules.to_cents(amount),
            reason=reason.strip()[:300],
            requested_by_id=actor.user_id,
            requested_by=actor.username[:64],
        )
        uow.session.add(adjustment)
        uow.session.flush()
        audit.record(
            uow,
            actor=actor,
            action="budget.adjustment.request",
            entity="budget_adjustment",
            entity_id=adjustment.id,
            kind=kind,
            amount=adjustment.amount,
            month=month,
            budget_id=budget.id,
        )
        uow.commit()
        return adjustment.id


def _load_request(uow, adjustment_id: int, actor: Actor) -> BudgetAdjustment:
    adjustment = uow.session.get(BudgetAdjustment, adjustment_id, with_for_update=True)
    if adjustment is None:
        raise NotFound(field="adjustment_id", id=adjustment_id)
    if adjustment.requested_by_id is not None and adjustment.requested_by_id == actor.user_id:
        raise BudgetConflict("own_request", id=adjustment_id)
    return adjustment


def approve_adjustment(uow, *, adjustment_id: int, actor: Actor, comment: str = "") -> None:
    """Approve another person's request and apply it to the budget months it names."""
    require(actor, Permission.LEDGER_POST)
    with uow:
        adj = _load_request(uow, adjustment_id, actor)
        changes = rules.adjustment_changes(
            adj.kind,
            budget_id=adj.budget_id,
            month=adj.month,
            amount=adj.amount,
            to_budget_id=adj.to_budget_id,
        )
        for change in sorted(changes, key=lambda c: c.budget_id):  # lock order avoids deadlocks
            row = month_rows(uow, change.budget_id)[change.month]
            if row.amount + change.delta < 0:
                raise BudgetConflict(
                    "below_zero", field="amount", month=change.month, available=str(row.amount)
                )
            row.amount += change.delta
        apply_transition(
            uow,
            adj,
            AdjustmentAction.APPROVE,
            actor=actor,
            reason=comment,
            params={"changes": [[c.budget_id, c.month, str(c.delta)] for c in changes]},
        )
        audit.record(
            uow,
            actor=actor,
            action="budget.adjustment.approve",
            entity="budget_adjustment",
            entity_id=adj.id,
            kind=adj.kind,
            amount=adj.amount,
            month=adj.month,
        )
        uow.commit()


def reject_adjustment(uow, *, adjustment_id: int, actor: Actor, comment: str = "") -> None:
    """Refuse another person's request; the budget stays as it was."""
    require(actor, Permission.LEDGER_POST)
    with uow:
        adj = _load_request(uow, adjustment_id, actor)
        apply_transition(uow, adj, AdjustmentAction.REJECT, actor=actor, reason=comment)
        audit.record(
            uow,
            actor=actor,
            action="budget.adjustment.reject",
            entity="budget_adjustment",
            entity_id=adj.id,
            comment=comment,
        )
        uow.commit()
