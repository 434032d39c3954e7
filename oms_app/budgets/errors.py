"""Refusals of the budgets area; each code is also the translation key of its message."""

from __future__ import annotations

from oms_app.core.errors import Conflict


class BudgetExceeded(Conflict):
    """A block-policy budget's month would be exceeded by an expense posting."""

    code = "budgets.error.exceeded"

    def __init__(
        self, *, budget_id: int, month: int, budget: object, actual: object, amount: object
    ):
        super().__init__(
            f"budget {budget_id} month {month} exceeded",
            field="amount",
            budget_id=budget_id,
            month=month,
            budget=str(budget),
            actual=str(actual),
            amount=str(amount),
        )


class BudgetConflict(Conflict):
    """The budget is not in a state for this (own request, below zero, already exists, ...)."""

    def __init__(self, reason: str, **params: object):
        self.code = f"budgets.error.{reason}"
        super().__init__(self.code, field=params.pop("field", None), **params)
