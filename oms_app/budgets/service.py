"""Budget use cases: create and allocate budgets, check (or post) an expense against the
budget of its cost centre; adjustments live in `adjustments` and are re-exported here.

Every expense entered by hand goes through `post_budgeted_expense`: when its account has budgets
in its year the cost centre is required and must be one of theirs. An expense beyond a block
budget's month is refused unless a finance manager (payment.manage or ledger.post) passes their
current TOTP code; the override is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from oms_app.accounts import service as accounts_service
from oms_app.audit import service as audit
from oms_app.budgets import queries, rules
from oms_app.budgets.adjustments import (  # noqa: F401  (one import for callers)
    approve_adjustment,
    load_budget,
    month_rows,
    reject_adjustment,
    request_adjustment,
)
from oms_app.budgets.errors import BudgetConflict, BudgetExceeded
from oms_app.budgets.models import Budget, BudgetMonth
from oms_app.budgets.status import BudgetPolicy
from oms_app.core.errors import PermissionDenied, ValidationFailed
from oms_app.core.permissions import Actor, Permission, require
from oms_app.ledger import service as ledger_service
from oms_app.ledger.facts import ExpenseFacts


def create_budget(
    uow,
    *,
    cost_centre: str,
    account_code: str,
    year: int,
    policy: str = "warn",
    owner_id: int | None = None,
    owner_name: str = "",
    actor: Actor,
) -> int:
    """Open a budget of a cost centre for an expense account and year, every month at zero."""
    require(actor, Permission.LEDGER_POST)
    cost_centre = cost_centre.strip()
    if not cost_centre:
        raise ValidationFailed("cost_centre", "error.required")
    if policy not in {p.value for p in BudgetPolicy}:
        raise ValidationFailed("policy", "error.choice", choices="warn, block")
    if not 2000 <= year <= 2100:
        raise ValidationFailed("year", "budgets.error.bad_year", value=year)
    with uow:
        s = uow.session
        if queries.expense_account(s, account_code) is None:
            raise ValidationFailed("account_code", "budgets.error.not_expense_account")
        taken = sa.select(Budget.id).where(
            Budget.cost_centre == cost_centre,
            Budget.account_code == account_code,
            Budget.year == year,
        )
        if s.scalar(taken) is not None:
            raise BudgetConflict("already_exists", field="cost_centre", cost_centre=cost_centre)
        budget = Budget(
            cost_centre=cost_centre,
            account_code=account_code,
            year=year,
            policy=policy,
            owner_id=owner_id,
            owner_name=(owner_name or actor.username)[:64],
        )
        s.add(budget)
        s.flush()
        s.add_all(BudgetMonth(budget_id=budget.id, month=m) for m in rules.MONTHS)
        audit.record(
            uow,
            actor=actor,
            action="budget.create",
            entity="budget",
            entity_id=budget.id,
            cost_centre=cost_centre,
            account_code=account_code,
            year=year,
            policy=policy,
        )
        uow.commit()
        return budget.id


def allocation_for(uow, budget: Budget, *, method: str, annual, months) -> list[Decimal]:
    """The twelve month amounts of an allocation by hand, evenly or by last year's profile."""
    try:
        if method == "hand":
            return rules.check_months_by_hand([Decimal(str(m)) for m in months or []])
        annual = rules.to_cents(annual or 0)
        if annual < 0:
            raise ValueError("negative")
        if method == "even":
            return rules.spread_evenly(annual)
        if method == "last_year":
            actuals = queries.month_actuals(
                uow.session, account_codes=[budget.account_code], year=budget.year - 1
            )
            own = [actuals.get((budget.account_code, budget.cost_centre, m)) for m in rules.MONTHS]
            # before cost centres were recorded only the account's shape is known: follow it
            profile = (
                [m or rules.ZERO for m in own]
                if any(own)
                else queries.account_profile(actuals, budget.account_code)
            )
            return rules.spread_by_profile(annual, profile)
    except (ValueError, ArithmeticError):
        raise ValidationFailed("months", "budgets.error.bad_allocation") from None
    raise ValidationFailed("method", "error.choice", choices="hand, even, last_year")


def allocate_budget(
    uow, *, budget_id: int, method: str, annual=None, months=None, actor: Actor
) -> list[Decimal]:
    """Set a budget's twelve months by hand, evenly or like last year's actuals."""
    require(actor, Permission.LEDGER_POST)
    with uow:
        budget = load_budget(uow, budget_id)
        amounts = allocation_for(uow, budget, method=method, annual=annual, months=months)
        for month, row in month_rows(uow, budget.id).items():
            row.amount = amounts[month - 1]
        audit.record(
            uow,
            actor=actor,
            action="budget.allocate",
            entity="budget",
            entity_id=budget.id,
            method=method,
            total=sum(amounts, rules.ZERO),
        )
        uow.commit()
        return amounts


@dataclass(frozen=True)
class ExpenseCheck:
    """What a budget says of an expense: its month's budget and actual, and the verdict."""

    budget_id: int | None
    month_budget: Decimal
    actual: Decimal
    exceeds: bool
    overridden: bool = False


def is_finance_manager(actor: Actor) -> bool:
    """Whether the actor may override a block budget (with their TOTP)."""
    return actor.can(Permission.PAYMENT_MANAGE) or actor.can(Permission.LEDGER_POST)


def check_expense(
    uow,
    *,
    account_code: str,
    cost_centre: str,
    entry_date: date,
    amount: Decimal,
    override_totp: str | None = None,
    actor: Actor,
) -> ExpenseCheck:
    """Refuse an expense beyond a block budget's month unless a finance manager overrides it.

    The budget row stays locked until the caller's transaction ends, so two postings cannot
    both pass on the same remaining amount.
    """
    with uow:
        budget = uow.session.scalar(
            sa.select(Budget)
            .where(Budget.cost_centre == cost_centre.strip(), Budget.account_code == account_code)
            .where(Budget.year == entry_date.year)
            .with_for_update()
        )
        if budget is None:
            return ExpenseCheck(None, rules.ZERO, rules.ZERO, exceeds=False)
        month_budget = month_rows(uow, budget.id)[entry_date.month].amount
        actual = queries.month_actual(
            uow.session,
            account_code=account_code,
            cost_centre=budget.cost_centre,
            year=budget.year,
            month=entry_date.month,
        )
        exceeds = rules.would_exceed(month_budget, actual, amount)
        check = ExpenseCheck(budget.id, month_budget, actual, exceeds)
        if not exceeds or budget.policy != BudgetPolicy.BLOCK:
            return check
        if not override_totp:
            raise BudgetExceeded(
                budget_id=budget.id,
                month=entry_date.month,
                budget=month_budget,
                actual=actual,
                amount=amount,
            )
        if not is_finance_manager(actor):
            raise PermissionDenied(permission=Permission.LEDGER_POST.value)
        accounts_service.verify_step_up(uow, actor=actor, code=override_totp)
        audit.record(
            uow,
            actor=actor,
            action="budget.override",
            entity="budget",
            entity_id=budget.id,
            month=entry_date.month,
            amount=amount,
            budget=month_budget,
            actual=actual,
        )
        return ExpenseCheck(budget.id, month_budget, actual, exceeds=True, overridden=True)


def post_budgeted_expense(
    uow, *, facts: ExpenseFacts, actor: Actor, override_totp: str = ""
) -> int:
    """Check the expense's cost centre and its budget, then post it to the ledger in one
    transaction."""
    require(actor, Permission.LEDGER_POST)
    with uow:
        if queries.is_expense_posted(uow.session, facts.reference):
            return ledger_service.post_expense(uow, facts=facts, actor=actor)  # the first entry
        budgeted = queries.budgeted_cost_centres(
            uow.session, account_code=facts.expense_account, year=facts.entry_date.year
        )
        facts = replace(facts, cost_centre=rules.expense_cost_centre(facts.cost_centre, budgeted))
        check_expense(
            uow,
            account_code=facts.expense_account,
            cost_centre=facts.cost_centre,
            entry_date=facts.entry_date,
            amount=facts.amount,
            override_totp=override_totp or None,
            actor=actor,
        )
        entry_id = ledger_service.post_expense(uow, facts=facts, actor=actor)
        uow.commit()
        return entry_id
