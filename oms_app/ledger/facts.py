"""The business facts the other areas hand the ledger: plain values, never their tables.

Amounts are Decimal with two places and never negative (a stock adjustment's sign says gain or
loss). The caller passes exact amounts: when an order ships in parts, it apportions the order's
figures so the shipments sum to the order to the cent (`rules.apportion` does it), and the last
part takes what is left.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

ZERO = Decimal("0.00")


@dataclass(frozen=True, kw_only=True)
class ShipmentFacts:
    """A shipment left the warehouse: its share of the order's revenue, VAT, fee and cost."""

    shipment_number: str
    order_id: int
    order_number: str
    customer_id: int
    shipped_at: datetime  # UTC-aware; the entry's date is its Shanghai business date
    revenue: Decimal  # goods, net of discount, without VAT
    vat: Decimal  # output VAT on the goods
    shipping_fee: Decimal = ZERO  # charged to the customer (other business revenue)
    cost: Decimal = ZERO  # standard cost of the goods shipped


@dataclass(frozen=True, kw_only=True)
class PaymentFacts:
    """Money came in for an order (or a balance was written off: method "write_off")."""

    payment_id: int
    order_id: int
    order_number: str
    customer_id: int
    method: str  # card, alipay, wechat_pay, bank_transfer, cod, write_off
    amount: Decimal
    received_at: datetime


@dataclass(frozen=True, kw_only=True)
class RefundFacts:
    """Money went back to the customer from one of the order's payments."""

    refund_id: int
    payment_id: int
    order_id: int
    order_number: str
    customer_id: int
    method: str  # the payment's method: cod refunds leave the till, the rest the bank
    amount: Decimal
    refunded_at: datetime


@dataclass(frozen=True, kw_only=True)
class ReturnFacts:
    """Returned goods were received back into stock: the revenue, VAT and cost they carried."""

    return_number: str
    order_id: int
    order_number: str
    customer_id: int
    received_at: datetime
    revenue: Decimal
    vat: Decimal
    cost: Decimal
    shipping_fee: Decimal = ZERO  # only when the fee is given back too


@dataclass(frozen=True, kw_only=True)
class GoodsReceivedFacts:
    """Purchased goods were put into stock, valued at standard cost, owed to the supplier."""

    receipt_key: str  # e.g. the expected receipt's number or the movement id
    received_at: datetime
    cost: Decimal
    memo: str = ""


@dataclass(frozen=True, kw_only=True)
class StockAdjustmentFacts:
    """A count or adjustment changed the stock's value: positive a gain, negative a loss."""

    adjustment_key: str
    adjusted_at: datetime
    value_change: Decimal
    memo: str = ""


@dataclass(frozen=True, kw_only=True)
class ExpenseFacts:
    """An expense finance enters by hand, paid from the bank or the till or owed to a supplier."""

    reference: str  # the voucher or invoice reference; the same reference never posts twice
    entry_date: date
    expense_account: str  # 6601 selling, 6602 administrative, ... (any active expense account)
    amount: Decimal
    paid_from: str = "1002"  # 1002 bank, 1001 cash, 2202 payable, 2241 other payables
    memo: str = ""
    cost_centre: str = ""  # the department it is spent for; "" when none (stored as NULL)
