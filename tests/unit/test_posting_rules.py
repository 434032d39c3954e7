"""Posting rules on hand-built facts: balanced drafts on the right accounts, advance receipts
before receivables, refunds that mirror payments, returns that reverse revenue and cost."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from oms_app.core.errors import ValidationFailed
from oms_app.ledger import rules
from oms_app.ledger.errors import UnbalancedEntry
from oms_app.ledger.facts import (
    ExpenseFacts,
    GoodsReceivedFacts,
    PaymentFacts,
    RefundFacts,
    ReturnFacts,
    ShipmentFacts,
    StockAdjustmentFacts,
)
from oms_app.ledger.figures import comparison_ranges, income_figures, shift_years
from oms_app.ledger.rules import LineDraft

D = Decimal
AT = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)


def shipment(**kw) -> ShipmentFacts:
    values = dict(
        shipment_number="SH-1",
        order_id=7,
        order_number="SO-7",
        customer_id=3,
        shipped_at=AT,
        revenue=D("100.00"),
        vat=D("13.00"),
        shipping_fee=D("10.00"),
        cost=D("60.00"),
    )
    return ShipmentFacts(**{**values, **kw})


def payment(amount: str, method: str = "bank_transfer", payment_id: int = 1) -> PaymentFacts:
    return PaymentFacts(
        payment_id=payment_id,
        order_id=7,
        order_number="SO-7",
        customer_id=3,
        method=method,
        amount=D(amount),
        received_at=AT,
    )


def refund(amount: str, method: str = "card") -> RefundFacts:
    return RefundFacts(
        refund_id=5,
        payment_id=1,
        order_id=7,
        order_number="SO-7",
        customer_id=3,
        method=method,
        amount=D(amount),
        refunded_at=AT,
    )


def postings(draft) -> dict[str, tuple[Decimal, Decimal]]:
    """account -> (debit, credit) of a draft."""
    out: dict[str, tuple[Decimal, Decimal]] = {}
    for line in draft.lines:
        debit, credit = out.get(line.account_code, (D(0), D(0)))
        out[line.account_code] = (debit + line.debit, credit + line.credit)
    return out


def assert_balanced(draft) -> None:
    assert sum(x.debit for x in draft.lines) == sum(x.credit for x in draft.lines) > 0


def test_a_shipment_with_no_advance_bills_receivables_revenue_fee_vat_and_cost():
    draft = rules.shipment_entry(shipment(), advance_balance=D("0.00"))
    assert_balanced(draft)
    assert postings(draft) == {
        "1122": (D("123.00"), 0),
        "6001": (0, D("100.00")),
        "6051": (0, D("10.00")),
        "2221": (0, D("13.00")),
        "6401": (D("60.00"), 0),
        "1405": (0, D("60.00")),
    }
    assert (draft.source_type, draft.source_key, draft.order_number) == ("shipment", "SH-1", "SO-7")
    assert all(line.order_id == 7 and line.customer_id == 3 for line in draft.lines)


def test_a_shipment_uses_the_orders_advance_receipts_first_and_bills_only_the_rest():
    draft = rules.shipment_entry(shipment(), advance_balance=D("50.00"))
    assert_balanced(draft)
    assert postings(draft)["2203"] == (D("50.00"), 0)
    assert postings(draft)["1122"] == (D("73.00"), 0)


def test_a_shipment_fully_prepaid_touches_no_receivable():
    draft = rules.shipment_entry(shipment(), advance_balance=D("500.00"))
    assert postings(draft)["2203"] == (D("123.00"), 0)
    assert "1122" not in postings(draft)


def test_a_payment_settles_the_open_receivable_and_the_rest_is_an_advance_receipt():
    draft = rules.payment_entry(payment("150.00"), open_receivable=D("123.00"))
    assert_balanced(draft)
    assert postings(draft) == {
        "1002": (D("150.00"), 0),
        "1122": (0, D("123.00")),
        "2203": (0, D("27.00")),
    }


def test_a_payment_before_shipment_is_all_advance_receipt():
    draft = rules.payment_entry(payment("80.00", "alipay"), open_receivable=D("0.00"))
    assert postings(draft) == {"1002": (D("80.00"), 0), "2203": (0, D("80.00"))}


def test_a_customer_credit_on_receivables_does_not_absorb_a_payment():
    draft = rules.payment_entry(payment("80.00"), open_receivable=D("-20.00"))
    assert postings(draft) == {"1002": (D("80.00"), 0), "2203": (0, D("80.00"))}


def test_cash_on_delivery_lands_in_the_till():
    draft = rules.payment_entry(payment("123.00", "cod"), open_receivable=D("123.00"))
    assert postings(draft) == {"1001": (D("123.00"), 0), "1122": (0, D("123.00"))}


def test_a_write_off_is_a_non_operating_expense_against_the_receivable():
    draft = rules.payment_entry(payment("3.00", "write_off"), open_receivable=D("3.00"))
    assert postings(draft) == {"6711": (D("3.00"), 0), "1122": (0, D("3.00"))}


def test_an_unknown_payment_method_is_refused():
    with pytest.raises(ValidationFailed) as err:
        rules.payment_entry(payment("3.00", "bitcoin"), open_receivable=D("3.00"))
    assert err.value.code == "ledger.error.unknown_method"


@pytest.mark.parametrize(
    ("receivable", "amount"),
    [("0.00", "80.00"), ("123.00", "150.00"), ("123.00", "100.00"), ("50.00", "50.00")],
)
def test_a_refund_right_after_its_payment_mirrors_the_payment(receivable, amount):
    paid = rules.payment_entry(payment(amount, "card"), open_receivable=D(receivable))
    advance_left = postings(paid).get("2203", (0, D(0)))[1]
    back = rules.refund_entry(refund(amount), advance_balance=advance_left)
    assert_balanced(back)
    mirrored = {code: (credit, debit) for code, (debit, credit) in postings(paid).items()}
    assert postings(back) == mirrored


def test_a_refund_after_shipment_and_return_comes_off_the_receivable():
    draft = rules.refund_entry(refund("113.00", "bank_transfer"), advance_balance=D("0.00"))
    assert postings(draft) == {"1122": (D("113.00"), 0), "1002": (0, D("113.00"))}


def test_a_return_reverses_revenue_vat_and_cost():
    facts = ReturnFacts(
        return_number="RMA-1",
        order_id=7,
        order_number="SO-7",
        customer_id=3,
        received_at=AT,
        revenue=D("50.00"),
        vat=D("6.50"),
        cost=D("30.00"),
    )
    draft = rules.return_entry(facts)
    assert_balanced(draft)
    assert postings(draft) == {
        "6001": (D("50.00"), 0),
        "2221": (D("6.50"), 0),
        "1122": (0, D("56.50")),
        "1405": (D("30.00"), 0),
        "6401": (0, D("30.00")),
    }


def test_goods_received_go_into_stock_owed_to_the_supplier():
    draft = rules.goods_received_entry(
        GoodsReceivedFacts(receipt_key="PO-1", received_at=AT, cost=D("900.00"))
    )
    assert postings(draft) == {"1405": (D("900.00"), 0), "2202": (0, D("900.00"))}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("12.00", {"1405": (D("12.00"), 0), "6301": (0, D("12.00"))}),
        ("-7.50", {"6711": (D("7.50"), 0), "1405": (0, D("7.50"))}),
    ],
)
def test_a_stock_gain_is_non_operating_income_and_a_loss_a_non_operating_expense(change, expected):
    facts = StockAdjustmentFacts(adjustment_key="ADJ-1", adjusted_at=AT, value_change=D(change))
    assert postings(rules.stock_adjustment_entry(facts)) == expected


def test_an_expense_is_paid_from_the_bank_or_owed():
    facts = ExpenseFacts(
        reference="INV-9",
        entry_date=date(2026, 3, 5),
        expense_account="6601",
        amount=D("88.00"),
        paid_from="2202",
    )
    assert postings(rules.expense_entry(facts)) == {
        "6601": (D("88.00"), 0),
        "2202": (0, D("88.00")),
    }


def test_an_expenses_cost_centre_goes_on_its_expense_line_only():
    facts = ExpenseFacts(
        reference="INV-9",
        entry_date=date(2026, 3, 5),
        expense_account="6601",
        amount=D("88.00"),
        cost_centre=" SALES ",
    )
    lines = rules.expense_entry(facts).lines
    assert [(line.account_code, line.cost_centre) for line in lines] == [
        ("6601", "SALES"),
        ("1002", None),
    ]
    blank = rules.expense_entry(replace(facts, cost_centre="  "))
    assert {line.cost_centre for line in blank.lines} == {None}


def test_a_cost_centre_longer_than_a_budgets_is_refused():
    facts = ExpenseFacts(
        reference="INV-9",
        entry_date=date(2026, 3, 5),
        expense_account="6601",
        amount=D("88.00"),
        cost_centre="X" * 33,
    )
    with pytest.raises(ValidationFailed) as refused:
        rules.expense_entry(facts)
    assert refused.value.field == "cost_centre"


def test_business_events_carry_no_cost_centre_and_a_reversal_keeps_the_lines_cost_centres():
    shipped = rules.shipment_entry(shipment(), advance_balance=D(0))
    assert {line.cost_centre for line in shipped.lines} == {None}
    lines = [
        LineDraft("6601", debit=D("5.00"), cost_centre="ADMIN"),
        LineDraft("1002", credit=D("5.00")),
    ]
    mirrored = rules.reversal_entry(7, "JE202603-000007", lines, "typo").lines
    assert [(x.account_code, x.credit, x.cost_centre) for x in mirrored] == [
        ("6601", D("5.00"), "ADMIN"),
        ("1002", D("0"), None),
    ]


def test_an_expense_cannot_be_paid_from_revenue():
    facts = ExpenseFacts(
        reference="INV-9",
        entry_date=date(2026, 3, 5),
        expense_account="6601",
        amount=D("88.00"),
        paid_from="6001",
    )
    with pytest.raises(ValidationFailed):
        rules.expense_entry(facts)


def test_an_unbalanced_draft_is_refused():
    with pytest.raises(UnbalancedEntry):
        rules.make_entry("expense", "X", "", [LineDraft("6601", debit=D("1.00"))])


def test_amounts_that_are_not_whole_cents_or_negative_are_refused():
    with pytest.raises(ValidationFailed):
        rules.shipment_entry(shipment(revenue=D("100.001")), advance_balance=D(0))
    with pytest.raises(ValidationFailed):
        rules.shipment_entry(shipment(cost=D("-1.00")), advance_balance=D(0))


def test_a_reversal_mirrors_every_line():
    original = rules.shipment_entry(shipment(), advance_balance=D("20.00"))
    back = rules.reversal_entry(9, "JE202603-000009", list(original.lines), "wrong price")
    assert (back.source_type, back.source_key) == ("reversal", "9")
    assert [(x.debit, x.credit) for x in back.lines] == [
        (x.credit, x.debit) for x in original.lines
    ]


def test_apportion_splits_to_the_cent_and_sums_exactly():
    parts = rules.apportion(D("100.00"), [D(1), D(1), D(1)])
    assert parts == [D("33.34"), D("33.33"), D("33.33")]
    assert sum(rules.apportion(D("13.01"), [D(3), D(7), D("2.5")])) == D("13.01")


def test_income_figures_build_gross_operating_and_net_profit():
    f = income_figures(
        {
            "main_revenue": D("1000"),
            "other_revenue": D("50"),
            "main_cost": D("600"),
            "selling_expenses": D("100"),
            "admin_expenses": D("40"),
            "non_operating_income": D("5"),
            "non_operating_expenses": D("15"),
        }
    )
    assert f["gross_profit"] == D("450")
    assert f["operating_profit"] == D("310")
    assert f["net_profit"] == D("300")


def test_comparisons_of_a_month_are_the_month_before_and_the_month_a_year_earlier():
    ranges = comparison_ranges(date(2026, 3, 1), date(2026, 3, 31), ("previous", "last_year"))
    assert ranges["previous"] == (date(2026, 2, 1), date(2026, 2, 28))
    assert ranges["last_year"] == (date(2025, 3, 1), date(2025, 3, 31))
    assert shift_years(date(2028, 2, 29), -1) == date(2027, 2, 28)
