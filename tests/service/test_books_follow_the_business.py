"""The books post themselves from real business flows: a paid-ahead order that ships, an order
on credit terms, a refund; after each step the trial balance is zero and the order's receivable
and advance say what the customer owes."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from oms_app.core.clock import business_zone, utcnow
from oms_app.fulfillment import shipping
from oms_app.fulfillment.receiving import receive_goods
from oms_app.inventory import service as inventory_service
from oms_app.inventory import warehouse_queries
from oms_app.inventory.receiving import ReceiptLine
from oms_app.ledger import service as ledger
from oms_app.ledger.statements import trial_balance
from oms_app.orders.models import Order
from oms_app.payments import receipts, service
from tests.factories.payments import (
    order_total,
    refund_with_four_eyes,
    second_finance,
    totp_now,
)
from tests.factories.sales import make_world
from tests.factories.warehouse import approved_order

RECEIVABLES, ADVANCES, BANK, REVENUE, VAT, COST, STOCK = (
    "1122", "2203", "1002", "6001", "2221", "6401", "1405",
)  # fmt: skip


def order_row(uow, number: str) -> Order:
    with uow:
        order = uow.session.scalar(sa.select(Order).where(Order.number == number))
        uow.session.expunge(order)
        return order


def balance(uow, order_id: int, account: str) -> Decimal:
    with uow:
        return ledger.order_balance(uow, order_id=order_id, account_code=account)


def books_balance(uow, actor) -> bool:
    tomorrow = utcnow().astimezone(business_zone()).date() + timedelta(days=1)
    return trial_balance(uow, actor=actor, to=tomorrow)["balanced"]


def test_money_received_before_shipping_is_an_advance_until_the_goods_leave(uow):
    world = make_world(uow)
    number = approved_order(uow, world, [("OFF-0001", 4), ("OFF-0002", 2)])
    order = order_row(uow, number)
    # when finance records the transfer before anything ships
    receipts.record_bank_receipt(
        uow,
        actor=world.finance,
        order_number=number,
        amount=order.grand_total,
        reference="CMB-0001",
        totp_code=totp_now(),
    )
    # then the bank holds it as an advance receipt; nothing is owed or earned yet
    assert balance(uow, order.id, BANK) == order.grand_total
    assert balance(uow, order.id, ADVANCES) == -order.grand_total
    assert balance(uow, order.id, RECEIVABLES) == 0
    assert books_balance(uow, world.finance)
    # when the goods ship
    shipping.ship_order(uow, actor=world.warehouse, number=number, carrier="ZTO")
    # then revenue, VAT and cost are booked and the advance is used up
    assert balance(uow, order.id, ADVANCES) == 0 and balance(uow, order.id, RECEIVABLES) == 0
    assert -balance(uow, order.id, REVENUE) == order.subtotal - order.discount_total
    assert -balance(uow, order.id, VAT) == order.tax_total
    assert balance(uow, order.id, COST) == order.cost_total
    assert books_balance(uow, world.finance)


def test_shipping_on_credit_terms_books_a_receivable_and_a_refund_reopens_it(uow):
    world = make_world(uow)
    number = approved_order(uow, world, [("OFF-0001", 2), ("OFF-0002", 3)])
    order = order_row(uow, number)
    payment = service.create_payment(uow, actor=world.rep, order_number=number, method="cod")
    shipping.ship_order(uow, actor=world.warehouse, number=number, carrier="ZTO")
    # on credit terms the whole total is owed after shipping
    assert balance(uow, order.id, RECEIVABLES) == order_total(uow, number)
    receipts.record_bank_receipt(
        uow,
        actor=world.finance,
        order_number=number,
        amount=order.grand_total,
        reference="CMB-0002",
        totp_code=totp_now(),
    )
    assert balance(uow, order.id, RECEIVABLES) == 0
    # the cash-on-delivery request nobody collected gave way to the transfer
    by_method = {p["method"]: p for p in receipts_of(uow, number)}
    assert by_method["cod"]["id"] == payment["id"] and by_method["cod"]["status"] == "cancelled"
    # when part of the transfer goes back
    paid = by_method["bank_transfer"]
    refund_with_four_eyes(
        uow, world, second_finance(uow), payment_id=paid["id"], amount="10.00", reason="price fix"
    )
    # then the customer owes that amount again, and the books still balance
    assert balance(uow, order.id, RECEIVABLES) == Decimal("10.00")
    assert books_balance(uow, world.finance)


def receipts_of(uow, number: str) -> list[dict]:
    from oms_app.core.permissions import SYSTEM_ACTOR
    from oms_app.payments.queries import order_payment_summary

    return order_payment_summary(uow, actor=SYSTEM_ACTOR, order_number=number)["payments"]


def account_total(uow, actor, code: str) -> Decimal:
    tomorrow = utcnow().astimezone(business_zone()).date() + timedelta(days=1)
    rows = trial_balance(uow, actor=actor, to=tomorrow)["accounts"]
    return next((Decimal(a["balance"]) for a in rows if a["code"] == code), Decimal("0.00"))


def test_goods_received_and_counted_move_the_stock_value_at_standard_cost(uow):
    world = make_world(uow)  # OFF-0001 costs 15.00 as standard
    stock_before = account_total(uow, world.finance, STOCK)
    # when 12 arrive from the supplier and a count then finds 2 fewer than the books
    receive_goods(
        uow,
        actor=world.warehouse,
        warehouse_code="SH",
        lines=[ReceiptLine("OFF-0001", 12, "A-01-01")],
        reference="DN-77",
    )
    on_hand = warehouse_queries.get_sku_stock(uow, actor=world.warehouse, sku="OFF-0001")
    counted = on_hand["warehouses"][0]["on_hand"] - 2
    inventory_service.set_on_hand(
        uow,
        actor=world.warehouse,
        warehouse_code="SH",
        sku="OFF-0001",
        on_hand=counted,
        reason="cycle count",
    )
    # then stock went up by 12 x 15.00, owed to the supplier, and down by 2 x 15.00 as a loss
    assert account_total(uow, world.finance, STOCK) - stock_before == Decimal("150.00")
    assert account_total(uow, world.finance, "2202") == Decimal("-180.00")
    assert account_total(uow, world.finance, "6711") == Decimal("30.00")
    assert books_balance(uow, world.finance)
