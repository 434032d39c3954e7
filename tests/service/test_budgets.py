"""Budgets on a real database: block policy, TOTP override, adjustments with audit and history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from oms_app.budgets import queries, service
from oms_app.budgets.errors import BudgetConflict, BudgetExceeded
from oms_app.core.errors import PermissionDenied, SecondFactorRequired, ValidationFailed
from tests.factories.budgets import make_budget, make_finance_team, totp_now
from tests.factories.ledger import expense

MARCH = date(2026, 3, 5)
TODAY = date(2026, 3, 10)


@pytest.fixture
def team(uow):
    return make_finance_team(uow)


def count(uow, table: str) -> int:
    with uow:
        return uow.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))


def months_of(uow, team, budget_id: int) -> list[Decimal]:
    row = queries.get_budget_execution(uow, actor=team.viewer, budget_id=budget_id, today=TODAY)
    return [Decimal(m["budget"]) for m in row["months"]]


def test_a_block_budget_refuses_an_expense_beyond_it_and_changes_nothing(uow, team):
    # given a block budget of 100 a month, 80 already spent in March
    make_budget(uow, actor=team.manager)
    service.post_budgeted_expense(
        uow, facts=expense("INV-1", "6602", "80.00", on=MARCH, cost_centre="HR"), actor=team.clerk
    )
    entries, lines = count(uow, "journal_entries"), count(uow, "journal_lines")
    # when 30 more is posted without an override
    with pytest.raises(BudgetExceeded) as refused:
        service.post_budgeted_expense(
            uow,
            facts=expense("INV-2", "6602", "30.00", on=MARCH, cost_centre="HR"),
            actor=team.clerk,
        )
    # then
    assert refused.value.params["actual"] == "80.00"
    assert (count(uow, "journal_entries"), count(uow, "journal_lines")) == (entries, lines)


def test_a_finance_manager_overrides_a_block_with_a_valid_totp_and_it_is_audited(uow, team):
    budget_id = make_budget(uow, actor=team.manager)
    service.post_budgeted_expense(
        uow, facts=expense("INV-1", "6602", "90.00", on=MARCH, cost_centre="HR"), actor=team.clerk
    )
    with pytest.raises(SecondFactorRequired):
        service.post_budgeted_expense(
            uow,
            facts=expense("INV-2", "6602", "30.00", on=MARCH, cost_centre="HR"),
            actor=team.manager,
            override_totp="000000",
        )
    entries = count(uow, "journal_entries")
    service.post_budgeted_expense(
        uow,
        facts=expense("INV-2", "6602", "30.00", on=MARCH, cost_centre="HR"),
        actor=team.manager,
        override_totp=totp_now(),
    )
    assert count(uow, "journal_entries") == entries + 1
    row = queries.get_budget_execution(uow, actor=team.viewer, budget_id=budget_id, today=TODAY)
    assert row["months"][2]["actual"] == "120.00" and row["months"][2]["percent_used"] == "120.0"
    with uow:
        actions = uow.session.scalars(sa.text("SELECT action FROM audit_log")).all()
    assert "budget.override" in actions


def test_a_warn_budget_lets_the_expense_through(uow, team):
    make_budget(uow, actor=team.manager, policy="warn")
    service.post_budgeted_expense(
        uow, facts=expense("INV-1", "6602", "150.00", on=MARCH, cost_centre="HR"), actor=team.clerk
    )
    assert count(uow, "journal_entries") == 1


def test_an_approved_increase_changes_the_budget_with_audit_and_history(uow, team):
    budget_id = make_budget(uow, actor=team.manager)
    adjustment_id = service.request_adjustment(
        uow,
        budget_id=budget_id,
        kind="increase",
        amount=Decimal("50.00"),
        month=3,
        reason="trade fair",
        actor=team.clerk,
    )
    assert months_of(uow, team, budget_id)[2] == Decimal("100.00")
    service.approve_adjustment(uow, adjustment_id=adjustment_id, actor=team.manager, comment="ok")
    assert months_of(uow, team, budget_id)[2] == Decimal("150.00")
    [pending] = queries.list_adjustments(uow, actor=team.viewer)
    assert pending["status"] == "approved"
    with uow:
        history = uow.session.execute(
            sa.text("SELECT from_status, to_status, actor_name FROM budget_adjustment_events")
        ).all()
        audited = uow.session.scalars(sa.text("SELECT action FROM audit_log")).all()
    assert history == [("requested", "approved", "fin-manager")]
    assert {"budget.adjustment.request", "budget.adjustment.approve"} <= set(audited)


def test_a_transfer_moves_the_amount_between_two_budgets(uow, team):
    hr = make_budget(uow, actor=team.manager, cost_centre="HR")
    it = make_budget(uow, actor=team.manager, cost_centre="IT")
    adjustment_id = service.request_adjustment(
        uow,
        budget_id=hr,
        kind="transfer",
        amount=Decimal("40.00"),
        month=5,
        to_budget_id=it,
        reason="laptops",
        actor=team.clerk,
    )
    service.approve_adjustment(uow, adjustment_id=adjustment_id, actor=team.manager)
    assert months_of(uow, team, hr)[4] == Decimal("60.00")
    assert months_of(uow, team, it)[4] == Decimal("140.00")


def test_a_decrease_below_zero_is_refused_and_changes_nothing(uow, team):
    budget_id = make_budget(uow, actor=team.manager)
    adjustment_id = service.request_adjustment(
        uow,
        budget_id=budget_id,
        kind="decrease",
        amount=Decimal("100.01"),
        month=1,
        reason="cut",
        actor=team.clerk,
    )
    with pytest.raises(BudgetConflict):
        service.approve_adjustment(uow, adjustment_id=adjustment_id, actor=team.manager)
    assert months_of(uow, team, budget_id)[0] == Decimal("100.00")
    assert queries.list_adjustments(uow, actor=team.viewer)[0]["status"] == "requested"


def test_the_requester_cannot_approve_their_own_request(uow, team):
    budget_id = make_budget(uow, actor=team.manager)
    adjustment_id = service.request_adjustment(
        uow,
        budget_id=budget_id,
        kind="increase",
        amount=Decimal("5.00"),
        month=2,
        reason="mine",
        actor=team.manager,
    )
    with pytest.raises(BudgetConflict) as refused:
        service.approve_adjustment(uow, adjustment_id=adjustment_id, actor=team.manager)
    assert refused.value.code == "budgets.error.own_request"
    assert count(uow, "budget_adjustment_events") == 0


def test_an_executive_sees_budgets_but_may_not_approve(uow, team):
    budget_id = make_budget(uow, actor=team.manager)
    adjustment_id = service.request_adjustment(
        uow,
        budget_id=budget_id,
        kind="increase",
        amount=Decimal("5.00"),
        month=2,
        reason="x",
        actor=team.clerk,
    )
    with pytest.raises(PermissionDenied):
        service.approve_adjustment(uow, adjustment_id=adjustment_id, actor=team.viewer)


def test_allocating_by_last_years_profile_follows_last_years_actuals(uow, team):
    from oms_app.ledger import service as ledger_service

    for n, month in enumerate((1, 2, 2, 3), start=1):
        ledger_service.post_expense(
            uow,
            facts=expense(f"OLD-{n}", "6602", "10.00", on=date(2025, month, 3)),
            actor=team.manager,
        )
    budget_id = service.create_budget(
        uow, cost_centre="HR", account_code="6602", year=2026, actor=team.manager
    )
    months = service.allocate_budget(
        uow, budget_id=budget_id, method="last_year", annual=Decimal("100.00"), actor=team.manager
    )
    assert months[:4] == [Decimal("25.00"), Decimal("50.00"), Decimal("25.00"), Decimal("0.00")]


def test_a_budget_needs_an_expense_account(uow, team):
    with pytest.raises(ValidationFailed):
        service.create_budget(
            uow, cost_centre="HR", account_code="1002", year=2026, actor=team.manager
        )


def test_the_revenue_forecast_reads_monthly_revenue_from_the_ledger(uow, team):
    # given 30 months of shipments with a yearly pattern, one month without any
    from oms_app.core.permissions import SYSTEM_ACTOR
    from oms_app.ledger import service as ledger_service
    from tests.factories.ledger import at_noon, shipment

    for i in range(30):
        if i == 10:
            continue
        year, month = 2023 + i // 12, i % 12 + 1
        revenue = 1000 + 20 * i + (300 if month in (11, 12) else 0)
        ledger_service.post_shipment(
            uow,
            facts=shipment(f"SH-{i}", i + 1, f"{revenue}.00", on=at_noon(date(year, month, 15))),
            actor=SYSTEM_ACTOR,
        )
    # when
    result = queries.get_ledger_forecast(
        uow, actor=team.viewer, kind="revenue", horizon=6, today=date(2025, 7, 2)
    )
    # then the series runs to June 2025 with the empty month as zero, and six months follow
    series = queries.monthly_series(uow, actor=team.viewer, kind="revenue", until=date(2025, 7, 2))
    assert len(series) == 30 and series[10] == ("2023-11", Decimal("0.00"))
    assert series[-1] == ("2025-06", Decimal("1580.00"))
    assert result["method"] == "holt_winters" and len(result["history"]) == 24
    assert [f["period"] for f in result["forecast"]][:2] == ["2025-07", "2025-08"]
    assert result["mape"] is not None


def test_a_repeated_expense_reference_returns_the_first_entry_even_on_a_full_budget(uow, team):
    make_budget(uow, actor=team.manager)
    facts = expense("INV-1", "6602", "100.00", on=MARCH, cost_centre="HR")
    first = service.post_budgeted_expense(uow, facts=facts, actor=team.clerk)
    again = service.post_budgeted_expense(uow, facts=facts, actor=team.clerk)
    assert again == first and count(uow, "journal_entries") == 1
