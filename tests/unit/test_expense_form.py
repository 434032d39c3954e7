"""The expense dialog's pure helpers: the amount and date typed, the ledger's facts built from the
form, the chart's choices and a block budget's figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from oms_app.budgets.errors import BudgetExceeded
from oms_app.core.errors import ValidationFailed
from oms_app.core.i18n import translate
from state.expense_entry import (
    account_options,
    expense_facts,
    parse_amount,
    parse_entry_date,
    refusal_view,
)

TODAY = date(2026, 3, 10)
FORM = {
    "expense_account": "6602",
    "amount": "1,234.5",
    "entry_date": "2026-03-09",
    "cost_centre": " ADMIN ",
    "paid_from": "1001",
    "reference": "INV-9",
    "memo": "printer paper ",
}


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("12", "12.00"), ("0.01", "0.01"), (" 1,234.50 ", "1234.50"), ("99.9", "99.90")],
)
def test_an_amount_in_whole_cents_above_zero_is_taken(typed, amount):
    assert parse_amount(typed) == Decimal(amount)
    assert str(parse_amount(typed)) == amount


@pytest.mark.parametrize(
    "typed", ["", "0", "0.00", "-5", "1.005", "abc", "NaN", "Infinity", "1e20"]
)
def test_an_amount_of_zero_below_zero_in_fractions_of_a_cent_or_not_a_number_is_refused(typed):
    with pytest.raises(ValidationFailed) as refused:
        parse_amount(typed)
    assert refused.value.code == "budgets.error.bad_amount" and refused.value.field == "amount"


def test_a_blank_date_is_today_and_a_bad_one_is_refused_with_its_message():
    assert parse_entry_date("", TODAY) == TODAY
    assert parse_entry_date("2026-02-28", TODAY) == date(2026, 2, 28)
    with pytest.raises(ValidationFailed) as refused:
        parse_entry_date("2026-02-30", TODAY)
    assert translate(refused.value.code, "en", **refused.value.params) == (
        "Date 2026-02-30 is not a valid date"
    )


def test_the_form_becomes_the_ledgers_expense_facts():
    facts = expense_facts(FORM, today=TODAY, draft_reference="EXP-draft")
    assert facts.expense_account == "6602" and facts.amount == Decimal("1234.50")
    assert facts.entry_date == date(2026, 3, 9) and facts.paid_from == "1001"
    assert facts.cost_centre == "ADMIN" and facts.reference == "INV-9"
    assert facts.memo == "printer paper"


def test_a_blank_reference_takes_the_dialogs_draft_key_and_the_bank_pays_by_default():
    form = {**FORM, "reference": " ", "paid_from": "", "entry_date": ""}
    facts = expense_facts(form, today=TODAY, draft_reference="EXP-draft")
    assert (facts.reference, facts.paid_from, facts.entry_date) == ("EXP-draft", "1002", TODAY)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"expense_account": ""}, "budgets.error.not_expense_account"),
        ({"paid_from": "6001"}, "ledger.error.bad_funding"),
        ({"amount": "0"}, "budgets.error.bad_amount"),
    ],
)
def test_a_form_without_an_account_with_a_bad_source_or_amount_is_refused(change, code):
    with pytest.raises(ValidationFailed) as refused:
        expense_facts({**FORM, **change}, today=TODAY, draft_reference="EXP-draft")
    assert refused.value.code == code


CHART = [
    {
        "code": "1001",
        "name_zh": "库存现金",
        "name_en": "Cash on hand",
        "kind": "asset",
        "active": True,
    },
    {"code": "1002", "name_zh": "银行存款", "name_en": "Bank", "kind": "asset", "active": True},
    {
        "code": "6601",
        "name_zh": "销售费用",
        "name_en": "Selling",
        "kind": "expense",
        "active": True,
    },
    {"code": "6602", "name_zh": "管理费用", "name_en": "Admin", "kind": "expense", "active": True},
    {"code": "6699", "name_zh": "旧科目", "name_en": "Old", "kind": "expense", "active": False},
]


def test_the_account_choices_are_the_active_expense_accounts_in_the_users_language():
    assert account_options(CHART, "zh_CN") == [
        {"code": "6601", "label": "6601 销售费用"},
        {"code": "6602", "label": "6602 管理费用"},
    ]
    assert [o["label"] for o in account_options(CHART, "en", ("1002", "1001", "2241"))] == [
        "1002 Bank",
        "1001 Cash on hand",
    ]


def test_a_block_budgets_refusal_shows_its_budget_actual_and_amount_as_money():
    err = BudgetExceeded(
        budget_id=3,
        month=3,
        budget=Decimal("1000.00"),
        actual=Decimal("950.00"),
        amount=Decimal("1200.5"),
    )
    assert refusal_view(err) == {"budget": "1,000.00", "actual": "950.00", "amount": "1,200.50"}
