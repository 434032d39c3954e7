"""Posting rules: pure functions from business facts to balanced journal entry drafts.

The service reads the order's receivable and advance balances from the ledger's own lines and
passes them in, so every rule here is a plain calculation that can be tested by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_DOWN, Decimal

from oms_app.core.errors import ValidationFailed
from oms_app.ledger import chart as c
from oms_app.ledger import memos
from oms_app.ledger.errors import UnbalancedEntry
from oms_app.ledger.facts import (
    ZERO,
    ExpenseFacts,
    GoodsReceivedFacts,
    PaymentFacts,
    RefundFacts,
    ReturnFacts,
    ShipmentFacts,
    StockAdjustmentFacts,
)

CENT = Decimal("0.01")
COST_CENTRE_MAX = 32  # as budgets.cost_centre
MONEY_METHODS = ("card", "alipay", "wechat_pay", "bank_transfer", "cod")
WRITE_OFF = "write_off"


@dataclass(frozen=True)
class LineDraft:
    account_code: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    order_id: int | None = None
    customer_id: int | None = None
    cost_centre: str | None = None


@dataclass(frozen=True)
class EntryDraft:
    source_type: str
    source_key: str
    memo: str
    lines: tuple[LineDraft, ...]
    order_number: str = ""

    @property
    def total(self) -> Decimal:
        return sum((line.debit for line in self.lines), ZERO)


def entry_number(entry_date: date, entry_id: int) -> str:
    """The entry's voucher number: its month and its id (the id sequence is the counter)."""
    return f"JE{entry_date:%Y%m}-{entry_id:06d}"


def _exact(amount: Decimal, field: str = "amount") -> Decimal:
    """Refuse amounts that are not whole cents: silent rounding would unbalance the books."""
    cents = amount.quantize(CENT) if isinstance(amount, Decimal) else None
    if cents is None or amount != cents:
        raise ValidationFailed(field, "ledger.error.not_cents", value=str(amount))
    return cents


def _not_negative(*amounts: Decimal) -> None:
    for amount in amounts:
        if _exact(amount) < 0:
            raise ValidationFailed("amount", "ledger.error.negative_amount", value=str(amount))


def make_entry(
    source_type: str, source_key: str, memo: str, lines: list[LineDraft], order_number: str = ""
) -> EntryDraft:
    """Drop empty lines and refuse a draft whose debits and credits differ."""
    kept = tuple(line for line in lines if line.debit or line.credit)
    for line in kept:
        _not_negative(line.debit, line.credit)
    debit = sum((line.debit for line in kept), ZERO)
    credit = sum((line.credit for line in kept), ZERO)
    if debit != credit:
        raise UnbalancedEntry(debit, credit)
    return EntryDraft(source_type, str(source_key), memo[:300], kept, order_number)


def _take(available: Decimal, amount: Decimal) -> Decimal:
    """What of `amount` a balance can absorb (a negative balance absorbs nothing)."""
    return min(max(available, ZERO), amount)


def shipment_entry(facts: ShipmentFacts, *, advance_balance: Decimal) -> EntryDraft:
    """Bill the shipment (advance receipts first, then receivables) and book its cost."""
    _not_negative(facts.revenue, facts.vat, facts.shipping_fee, facts.cost)
    gross = facts.revenue + facts.vat + facts.shipping_fee
    from_advance = _take(advance_balance, gross)
    sub = {"order_id": facts.order_id, "customer_id": facts.customer_id}
    lines = [
        LineDraft(c.ADVANCE_RECEIPTS, debit=from_advance, **sub),
        LineDraft(c.RECEIVABLES, debit=gross - from_advance, **sub),
        LineDraft(c.MAIN_REVENUE, credit=facts.revenue, **sub),
        LineDraft(c.OTHER_REVENUE, credit=facts.shipping_fee, **sub),
        LineDraft(c.VAT_PAYABLE, credit=facts.vat, **sub),
        LineDraft(c.MAIN_COST, debit=facts.cost, **sub),
        LineDraft(c.INVENTORY, credit=facts.cost, **sub),
    ]
    memo = memos.memo("shipment", shipment=facts.shipment_number, order=facts.order_number)
    return make_entry("shipment", facts.shipment_number, memo, lines, facts.order_number)


def money_account(method: str) -> str:
    """Cash on delivery lands in the till; every other method in the bank."""
    if method not in MONEY_METHODS:
        raise ValidationFailed("method", "ledger.error.unknown_method", value=method)
    return c.CASH if method == "cod" else c.BANK


def payment_entry(facts: PaymentFacts, *, open_receivable: Decimal) -> EntryDraft:
    """Settle the order's open receivable first; money beyond it is an advance receipt."""
    _not_negative(facts.amount)
    sub = {"order_id": facts.order_id, "customer_id": facts.customer_id}
    if facts.method == WRITE_OFF:
        lines = [
            LineDraft(c.NON_OPERATING_EXPENSES, debit=facts.amount, **sub),
            LineDraft(c.RECEIVABLES, credit=facts.amount, **sub),
        ]
        memo = memos.memo("write_off", order=facts.order_number)
    else:
        to_receivable = _take(open_receivable, facts.amount)
        lines = [
            LineDraft(money_account(facts.method), debit=facts.amount, **sub),
            LineDraft(c.RECEIVABLES, credit=to_receivable, **sub),
            LineDraft(c.ADVANCE_RECEIPTS, credit=facts.amount - to_receivable, **sub),
        ]
        memo = memos.memo(
            "payment", method=facts.method, payment=facts.payment_id, order=facts.order_number
        )
    return make_entry("payment", str(facts.payment_id), memo, lines, facts.order_number)


def refund_entry(facts: RefundFacts, *, advance_balance: Decimal) -> EntryDraft:
    """Undo a payment last-in first-out: the advance it left first, then the receivable."""
    _not_negative(facts.amount)
    from_advance = _take(advance_balance, facts.amount)
    sub = {"order_id": facts.order_id, "customer_id": facts.customer_id}
    lines = [
        LineDraft(c.ADVANCE_RECEIPTS, debit=from_advance, **sub),
        LineDraft(c.RECEIVABLES, debit=facts.amount - from_advance, **sub),
        LineDraft(money_account(facts.method), credit=facts.amount, **sub),
    ]
    memo = memos.memo(
        "refund", refund=facts.refund_id, payment=facts.payment_id, order=facts.order_number
    )
    return make_entry("refund", str(facts.refund_id), memo, lines, facts.order_number)


def return_entry(facts: ReturnFacts) -> EntryDraft:
    """Reverse the revenue, VAT (and fee) of the returned goods and put their cost back."""
    _not_negative(facts.revenue, facts.vat, facts.shipping_fee, facts.cost)
    sub = {"order_id": facts.order_id, "customer_id": facts.customer_id}
    lines = [
        LineDraft(c.MAIN_REVENUE, debit=facts.revenue, **sub),
        LineDraft(c.OTHER_REVENUE, debit=facts.shipping_fee, **sub),
        LineDraft(c.VAT_PAYABLE, debit=facts.vat, **sub),
        LineDraft(c.RECEIVABLES, credit=facts.revenue + facts.vat + facts.shipping_fee, **sub),
        LineDraft(c.INVENTORY, debit=facts.cost, **sub),
        LineDraft(c.MAIN_COST, credit=facts.cost, **sub),
    ]
    memo = memos.memo("return", return_number=facts.return_number, order=facts.order_number)
    return make_entry("return", facts.return_number, memo, lines, facts.order_number)


def goods_received_entry(facts: GoodsReceivedFacts) -> EntryDraft:
    """Stock in at standard cost, owed to the supplier."""
    _not_negative(facts.cost)
    lines = [
        LineDraft(c.INVENTORY, debit=facts.cost),
        LineDraft(c.PAYABLES, credit=facts.cost),
    ]
    memo = facts.memo or memos.memo("goods_receipt", source=facts.receipt_key)
    return make_entry("goods_receipt", facts.receipt_key, memo, lines)


def stock_adjustment_entry(facts: StockAdjustmentFacts) -> EntryDraft:
    """A stock gain is non-operating income, a loss a non-operating expense."""
    amount = abs(_exact(facts.value_change, "value_change"))
    if facts.value_change >= 0:
        lines = [
            LineDraft(c.INVENTORY, debit=amount),
            LineDraft(c.NON_OPERATING_INCOME, credit=amount),
        ]
    else:
        lines = [
            LineDraft(c.NON_OPERATING_EXPENSES, debit=amount),
            LineDraft(c.INVENTORY, credit=amount),
        ]
    memo = facts.memo or memos.memo("stock_adjustment", source=facts.adjustment_key)
    return make_entry("stock_adjustment", facts.adjustment_key, memo, lines)


def cost_centre_of(text: str | None) -> str | None:
    """A cost centre as stored: trimmed, None when blank; refused beyond 32 characters."""
    cost_centre = (text or "").strip()
    if len(cost_centre) > COST_CENTRE_MAX:
        raise ValidationFailed(
            "cost_centre", "ledger.error.bad_cost_centre", value=cost_centre[:40]
        )
    return cost_centre or None


def expense_entry(facts: ExpenseFacts) -> EntryDraft:
    """An expense against the bank, the till or a payable; its cost centre on the debit line."""
    _not_negative(facts.amount)
    if facts.amount == 0:
        raise ValidationFailed("amount", "ledger.error.zero_amount")
    if facts.paid_from not in c.EXPENSE_FUNDING_ACCOUNTS:
        raise ValidationFailed("paid_from", "ledger.error.bad_funding", value=facts.paid_from)
    lines = [
        LineDraft(
            facts.expense_account, debit=facts.amount, cost_centre=cost_centre_of(facts.cost_centre)
        ),
        LineDraft(facts.paid_from, credit=facts.amount),
    ]
    memo = facts.memo or memos.memo("expense", reference=facts.reference)
    return make_entry("expense", facts.reference, memo, lines)


def reversal_entry(
    entry_id: int, number: str, lines: list[LineDraft], reason: str, order_number: str = ""
) -> EntryDraft:
    """The mirror of a posted entry: every debit becomes a credit and back (each line keeps its
    order, customer and cost centre, so it takes back what the original counted there)."""
    mirrored = [replace(line, debit=line.credit, credit=line.debit) for line in lines]
    memo = memos.memo("reversal", number=number, reason=reason)
    return make_entry("reversal", str(entry_id), memo, mirrored, order_number)


def apportion(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split `total` over parts by weight in whole cents that sum exactly to `total`.

    Largest remainder: each part is rounded down, and the cents left over go to the parts that
    lost most to rounding (earliest first on ties), so the split is deterministic.
    """
    if _exact(total, "total") < 0:
        return [-part for part in apportion(-total, weights)]
    weight_sum = sum(weights, Decimal(0))
    if not weights or weight_sum <= 0:
        raise ValidationFailed("weights", "ledger.error.bad_weights")
    raw = [total * w / weight_sum for w in weights]
    parts = [r.quantize(CENT, rounding=ROUND_DOWN) for r in raw]
    left = int((total - sum(parts, ZERO)) / CENT)
    by_loss = sorted(range(len(raw)), key=lambda i: (-(raw[i] - parts[i]), i))
    for i in by_loss[:left]:
        parts[i] += CENT
    return parts
