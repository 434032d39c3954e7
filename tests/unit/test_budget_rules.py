"""Budget arithmetic: spreading to the cent, % used, the run-rate forecast and thresholds."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from oms_app.budgets import rules
from oms_app.budgets.status import ADJUSTMENT_MACHINE, AdjustmentAction, AdjustmentStatus
from oms_app.core.errors import IllegalTransition, ValidationFailed

D = Decimal


def test_an_even_spread_sums_to_the_annual_amount_to_the_cent():
    months = rules.spread_evenly(D("1000.00"))
    assert len(months) == 12 and sum(months) == D("1000.00")
    assert months[:4] == [D("83.34")] * 4 and months[4:] == [D("83.33")] * 8


def test_a_spread_by_last_years_profile_follows_it_and_sums_exactly():
    profile = [D(v) for v in ("1", "2", "3", "0", "0", "0", "0", "0", "0", "0", "0", "0")]
    months = rules.spread_by_profile(D("100.00"), profile)
    assert months[:3] == [D("16.67"), D("33.33"), D("50.00")]
    assert sum(months) == D("100.00") and months[3:] == [D("0.00")] * 9


def test_a_profile_of_an_idle_year_spreads_evenly():
    assert rules.spread_by_profile(D("12.00"), [D(0)] * 12) == [D("1.00")] * 12


def test_odd_cents_go_to_the_months_that_lost_most_by_rounding():
    months = rules.spread_by_weights(D("0.05"), [D(1), D(1), D(1)])
    assert months == [D("0.02"), D("0.02"), D("0.01")]


def test_months_by_hand_must_be_twelve_and_not_negative():
    assert rules.check_months_by_hand(["1.005"] * 12)[0] == D("1.01")
    with pytest.raises(ValueError):
        rules.check_months_by_hand([D(1)] * 11)
    with pytest.raises(ValueError):
        rules.check_months_by_hand([D(-1)] + [D(1)] * 11)


def test_percent_used_has_one_decimal_and_none_without_a_budget():
    assert rules.percent_used(D("300"), D("100")) == D("33.3")
    assert rules.percent_used(D("0"), D("100")) is None


def test_the_run_rate_forecast_extrapolates_to_the_end_of_the_month():
    # 10 of 30 days gone, 100 spent: 300 at the end of June
    assert rules.month_forecast(D("100"), year=2026, month=6, today=date(2026, 6, 10)) == D(
        "300.00"
    )


def test_a_past_or_future_month_forecasts_its_actual():
    assert rules.month_forecast(D("50"), year=2026, month=5, today=date(2026, 6, 10)) == D("50.00")
    assert rules.month_forecast(D("0"), year=2026, month=7, today=date(2026, 6, 10)) == D("0.00")


@pytest.mark.parametrize(
    ("actual", "forecast", "expected"),
    [
        ("79.99", "79.99", []),
        ("80.00", "90.00", ["80"]),
        ("80.00", "120.00", ["80", "forecast"]),
        ("100.00", "100.00", ["80", "100"]),
        ("10.00", "100.01", ["forecast"]),
    ],
)
def test_the_thresholds_crossed(actual, forecast, expected):
    assert rules.thresholds_crossed(D("100.00"), D(actual), D(forecast)) == expected


def test_an_expense_exceeds_only_beyond_the_budget():
    assert not rules.would_exceed(D("100"), D("60"), D("40"))
    assert rules.would_exceed(D("100"), D("60"), D("40.01"))


def test_a_transfer_takes_from_one_budget_and_gives_to_the_other():
    changes = rules.adjustment_changes(
        "transfer", budget_id=1, month=3, amount=D("10"), to_budget_id=2
    )
    assert [(c.budget_id, c.month, c.delta) for c in changes] == [
        (1, 3, D("-10.00")),
        (2, 3, D("10.00")),
    ]


@pytest.mark.parametrize("status", list(AdjustmentStatus))
@pytest.mark.parametrize("action", list(AdjustmentAction))
def test_every_adjustment_status_and_action_pair(status, action):
    if status is AdjustmentStatus.REQUESTED:
        expected = {"approve": "approved", "reject": "rejected"}[action.value]
        assert ADJUSTMENT_MACHINE.next(status, action) == expected
    else:
        with pytest.raises(IllegalTransition):
            ADJUSTMENT_MACHINE.next(status, action)


def test_an_expense_of_a_budgeted_account_needs_one_of_its_budgets_cost_centres():
    budgeted = {"SALES", "ADMIN"}
    assert rules.expense_cost_centre(" ADMIN ", budgeted) == "ADMIN"
    with pytest.raises(ValidationFailed) as missing:
        rules.expense_cost_centre("", budgeted)
    with pytest.raises(ValidationFailed) as unknown:
        rules.expense_cost_centre("HR", budgeted)
    assert (missing.value.field, missing.value.code) == (
        "cost_centre",
        "budgets.error.cost_centre_required",
    )
    assert unknown.value.code == "budgets.error.cost_centre_not_budgeted"
    assert missing.value.params["allowed"] == unknown.value.params["allowed"] == "ADMIN, SALES"


def test_an_expense_of_an_account_without_budgets_may_name_any_cost_centre_or_none():
    assert rules.expense_cost_centre("", set()) == ""
    assert rules.expense_cost_centre(" LAB ", set()) == "LAB"
