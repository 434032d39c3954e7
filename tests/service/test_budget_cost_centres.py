"""Budgets of one account for two cost centres on a real database: each sees only its own
expenses, the block policy checks the right one, and an expense must name a budgeted centre."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from oms_app.budgets import queries, service
from oms_app.budgets.errors import BudgetExceeded
from oms_app.core.clock import business_zone, utcnow
from oms_app.core.errors import ValidationFailed
from oms_app.ledger import service as ledger_service
from tests.factories.budgets import make_budget, make_finance_team
from tests.factories.ledger import expense

MARCH = date(2026, 3, 5)
TODAY = date(2026, 3, 10)


@pytest.fixture
def team(uow):
    return make_finance_team(uow)


@pytest.fixture
def sales_and_admin(uow, team) -> dict[str, int]:
    """Block budgets of 100 a month on 6601 (selling expenses) for SALES and for ADMIN."""
    return {
        centre: make_budget(uow, actor=team.manager, cost_centre=centre, account="6601")
        for centre in ("SALES", "ADMIN")
    }


def count(uow, table: str) -> int:
    with uow:
        return uow.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))


def spend(uow, team, reference: str, amount: str, cost_centre: str, on: date = MARCH) -> int:
    facts = expense(reference, "6601", amount, on=on, cost_centre=cost_centre)
    return service.post_budgeted_expense(uow, facts=facts, actor=team.clerk)


def march_of(uow, team, budget_id: int, today: date = TODAY) -> tuple[str, str | None]:
    row = queries.get_budget_execution(uow, actor=team.viewer, budget_id=budget_id, today=today)
    march = row["months"][MARCH.month - 1]
    return march["actual"], march["percent_used"]


def test_two_budgets_of_one_account_each_see_only_their_own_expenses(uow, team, sales_and_admin):
    # given 30 spent by SALES, 75 by ADMIN, and 50 posted to 6601 without a cost centre
    spend(uow, team, "INV-S1", "30.00", "SALES")
    spend(uow, team, "INV-A1", "75.00", "ADMIN")
    ledger_service.post_expense(
        uow, facts=expense("INV-X", "6601", "50.00", on=MARCH), actor=team.manager
    )
    # when finance reads the execution
    sales, admin = (
        march_of(uow, team, sales_and_admin["SALES"]),
        march_of(uow, team, sales_and_admin["ADMIN"]),
    )
    # then each budget counts its own expenses and the line without a cost centre counts nowhere
    assert sales == ("30.00", "30.0")
    assert admin == ("75.00", "75.0")
    rows = queries.list_budget_execution(uow, actor=team.viewer, year=2026, today=TODAY)
    assert {r["cost_centre"]: r["actual"] for r in rows} == {"SALES": "30.00", "ADMIN": "75.00"}


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("", "budgets.error.cost_centre_required"),
        ("HR", "budgets.error.cost_centre_not_budgeted"),
    ],
)
def test_an_expense_of_a_budgeted_account_without_one_of_its_cost_centres_is_refused(
    uow, team, sales_and_admin, given, code
):
    # given
    before = [count(uow, t) for t in ("journal_entries", "journal_lines", "outbox")]
    # when
    with pytest.raises(ValidationFailed) as refused:
        spend(uow, team, "INV-1", "10.00", given)
    # then the error names the field and the cost centres allowed, and nothing was posted
    assert (refused.value.field, refused.value.code) == ("cost_centre", code)
    assert refused.value.params["allowed"] == "ADMIN, SALES"
    assert [count(uow, t) for t in ("journal_entries", "journal_lines", "outbox")] == before


def test_an_expense_of_an_account_without_budgets_may_carry_a_cost_centre_or_none(
    uow, team, sales_and_admin
):
    # 6602 has no budget: a cost centre is optional and kept when given
    for reference, centre in (("INV-1", ""), ("INV-2", "LAB")):
        facts = expense(reference, "6602", "10.00", on=MARCH, cost_centre=centre)
        service.post_budgeted_expense(uow, facts=facts, actor=team.clerk)
    with uow:
        kept = uow.session.scalars(
            sa.text("SELECT cost_centre FROM journal_lines WHERE debit > 0 ORDER BY id")
        ).all()
    assert kept == [None, "LAB"]


@pytest.mark.parametrize(("full", "free"), [("ADMIN", "SALES"), ("SALES", "ADMIN")])
def test_the_block_policy_stops_the_cost_centre_beyond_its_budget_while_the_other_has_room(
    uow, team, sales_and_admin, full, free
):
    # given one cost centre has spent 90 of its 100 in March, the other nothing
    spend(uow, team, "INV-1", "90.00", full)
    entries = count(uow, "journal_entries")
    # when both post 20 more
    with pytest.raises(BudgetExceeded) as refused:
        spend(uow, team, "INV-2", "20.00", full)
    spend(uow, team, "INV-3", "20.00", free)
    # then only the full one is refused, on its own budget and actual
    assert refused.value.params["budget_id"] == sales_and_admin[full]
    assert refused.value.params["actual"] == "90.00"
    assert count(uow, "journal_entries") == entries + 1
    assert march_of(uow, team, sales_and_admin[free])[0] == "20.00"


def test_a_reversing_entry_takes_back_the_actual_of_its_cost_centre(uow, team):
    # given a budget this month and an expense of ADMIN's posted to it
    today = utcnow().astimezone(business_zone()).date()
    budget_id = make_budget(uow, actor=team.manager, cost_centre="ADMIN", year=today.year)
    facts = expense("INV-1", "6602", "40.00", on=today, cost_centre="ADMIN")
    entry_id = service.post_budgeted_expense(uow, facts=facts, actor=team.clerk)
    # when it is reversed
    reversal_id = ledger_service.reverse_entry(
        uow, entry_id=entry_id, reason="wrong invoice", actor=team.manager
    )
    # then the reversal's expense line carries ADMIN and the budget's month is back to zero
    with uow:
        lines = uow.session.execute(
            sa.text("SELECT account_code, cost_centre FROM journal_lines WHERE entry_id = :e"),
            {"e": reversal_id},
        ).all()
    assert sorted(lines, key=lambda x: x[0]) == [("1002", None), ("6602", "ADMIN")]
    row = queries.get_budget_execution(uow, actor=team.viewer, budget_id=budget_id, today=today)
    assert row["months"][today.month - 1]["actual"] == "0.00"


def test_last_years_profile_follows_the_budgets_own_cost_centre(uow, team):
    # given last year SALES spent in January and ADMIN in June on 6601
    for reference, centre, month in (("OLD-S", "SALES", 1), ("OLD-A", "ADMIN", 6)):
        facts = expense(reference, "6601", "10.00", on=date(2025, month, 3), cost_centre=centre)
        ledger_service.post_expense(uow, facts=facts, actor=team.manager)
    budget_id = service.create_budget(
        uow, cost_centre="SALES", account_code="6601", year=2026, actor=team.manager
    )
    # when SALES's budget is spread like last year
    months = service.allocate_budget(
        uow, budget_id=budget_id, method="last_year", annual=Decimal("120.00"), actor=team.manager
    )
    # then all of it goes to January, where SALES spent
    assert months[0] == Decimal("120.00") and sum(months[1:]) == 0
