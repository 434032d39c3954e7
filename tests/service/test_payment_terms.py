"""Payment terms steer the warehouse and finance: prepaid orders wait for the money, cash on
delivery is collected on delivery, credit terms invoice on shipment and alert when overdue."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from oms_app.core.clock import utcnow
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.customers.models import Customer
from oms_app.fulfillment import shipping, waves
from oms_app.notifications.models import Notification
from oms_app.payments import invoices, queries, receipts, service
from oms_app.payments.errors import PaymentConflict
from oms_app.payments.models import Invoice
from tests.factories.payments import order_payment_status, order_total, totp_now
from tests.factories.sales import make_world
from tests.factories.warehouse import approved_order, order_status, shipments_of


def prepaid(uow, code: str = "C10001") -> None:
    with uow:
        uow.session.execute(
            sa.update(Customer).where(Customer.code == code).values(payment_terms_days=0)
        )
        uow.commit()


def test_a_prepaid_order_is_not_picked_or_shipped_until_it_is_paid(uow):
    world = make_world(uow)
    prepaid(uow)
    number = approved_order(uow, world, [("OFF-0001", 2)])
    # when the warehouse plans waves and tries to ship the unpaid order
    assert waves.create_waves(uow, actor=world.warehouse, warehouse_code="SH") == []
    with pytest.raises(PaymentConflict) as held:
        shipping.ship_order(uow, actor=world.warehouse, number=number, carrier="ZTO")
    # then nothing moved; once finance records the transfer, it ships
    assert held.value.code == "payment.error.prepayment_required"
    assert {str(s.status) for s in shipments_of(uow, number)} == {"allocated"}
    receipts.record_bank_receipt(
        uow,
        actor=world.finance,
        order_number=number,
        amount=order_total(uow, number),
        reference="BOC-778899",
        totp_code=totp_now(),
    )
    assert len(waves.create_waves(uow, actor=world.warehouse, warehouse_code="SH")) == 1


def test_cash_on_delivery_releases_a_prepaid_order_and_is_collected_at_hand_over(uow):
    world = make_world(uow)
    prepaid(uow)
    number = approved_order(uow, world, [("OFF-0001", 2)], delivery_method="pickup")
    service.create_payment(uow, actor=world.rep, order_number=number, method="cod")
    assert order_payment_status(uow, number) == "unpaid"
    # when the customer collects the goods at the counter
    shipping.ship_order(uow, actor=world.warehouse, number=number)
    # then the cash is recorded and the order paid
    assert order_status(uow, number) in ("delivered", "completed")
    assert order_payment_status(uow, number) == "paid"


def test_credit_terms_invoice_on_shipment_and_finance_hears_once_when_it_is_overdue(uow):
    world = make_world(uow)  # C10001 pays in 30 days
    number = approved_order(uow, world, [("OFF-0002", 2)])
    shipping.ship_order(uow, actor=world.warehouse, number=number, carrier="ZTO")
    with uow:
        invoice = uow.session.scalar(sa.select(Invoice).where(Invoice.order_number == number))
        due, amount, customer_id = invoice.due_date, invoice.amount, invoice.customer_id
    assert amount == order_total(uow, number)
    assert (due - utcnow().date()).days in (29, 30, 31)  # Shanghai's date may be a day ahead
    # when the hourly task runs before and after the due date
    before = invoices.flag_overdue_invoices(uow, actor=SYSTEM_ACTOR)
    later = utcnow() + timedelta(days=32)
    first = invoices.flag_overdue_invoices(uow, actor=SYSTEM_ACTOR, now=later)
    again = invoices.flag_overdue_invoices(uow, actor=SYSTEM_ACTOR, now=later)
    # then finance was alerted exactly once, and the approver sees it on the customer's record
    assert (before, first, again) == (0, 1, 0)
    with uow:
        alerts = uow.session.scalars(
            sa.select(Notification.title).where(Notification.user_id == world.finance.user_id)
        ).all()
    assert alerts.count("payment.alert.invoice_overdue") == 1
    record = queries.customer_payment_record(
        uow, actor=world.manager, customer_id=customer_id, now=later
    )
    assert record["invoices"] == 1 and record["overdue_now"] == 1
    overdue = queries.list_overdue_invoices(uow, actor=world.finance, now=later)
    assert [row["order_number"] for row in overdue["rows"]] == [number] and overdue["total"] == 1
