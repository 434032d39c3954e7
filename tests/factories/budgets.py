"""Budgets for tests: finance people who may approve, and a budget with its months set."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pyotp

from oms_app.budgets import service
from oms_app.core.permissions import Actor
from tests.factories.accounts import actor_of, enable_totp, fresh_totp_code, make_user

BUDGET_SECRET = pyotp.random_base32()


@dataclass
class FinanceTeam:
    clerk: Actor  # asks for adjustments
    manager: Actor  # approves them and overrides blocks with TOTP
    viewer: Actor  # an executive: sees budgets, may not change them


def make_finance_team(uow) -> FinanceTeam:
    clerk = make_user(uow, username="fin-clerk", roles=["finance"])
    manager = make_user(uow, username="fin-manager", roles=["finance"])
    viewer = make_user(uow, username="exec1", roles=["executive"])
    enable_totp(uow, clerk, pyotp.random_base32())
    enable_totp(uow, manager, BUDGET_SECRET)
    return FinanceTeam(actor_of(uow, clerk), actor_of(uow, manager), actor_of(uow, viewer))


def totp_now() -> str:
    """A code that passes a step-up even right after another one (see fresh_totp_code)."""
    return fresh_totp_code(BUDGET_SECRET)


def make_budget(
    uow,
    *,
    actor: Actor,
    cost_centre: str = "HR",
    account: str = "6602",
    year: int = 2026,
    policy: str = "block",
    monthly: str = "100.00",
) -> int:
    """A budget with the same amount in every month."""
    budget_id = service.create_budget(
        uow, cost_centre=cost_centre, account_code=account, year=year, policy=policy, actor=actor
    )
    service.allocate_budget(
        uow, budget_id=budget_id, method="hand", months=[Decimal(monthly)] * 12, actor=actor
    )
    return budget_id
