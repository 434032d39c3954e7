"""Four eyes on money going out: one finance user proposes a refund or a write-off, a different
one releases it with a fresh second factor (or declines it). Nobody approves their own work."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import httpx
import pytest
import sqlalchemy as sa

from oms_app.audit.models import AuditEntry
from oms_app.core.db import UnitOfWork
from oms_app.core.errors import DomainError, SecondFactorRequired, ValidationFailed
from oms_app.orders import service as order_service
from oms_app.orders.rules import LineInput, OrderInput
from oms_app.payments import attempts, queries, receipts, refunds, release, service, write_offs
from oms_app.payments.errors import FourEyesRefused, PaymentConflict
from oms_app.payments.store import get_payment
from tests.factories.accounts import make_admin
from tests.factories.payments import (
    order_payment_status,
    order_total,
    payable_order,
    payment_rows,
    second_finance,
    second_totp,
    totp_now,
)
from tests.stripe_infra import API_KEY, card_payment_method


def paid_by_card(uow, stripe_url: str):
    world, number = payable_order(uow)
    payment = service.create_payment(uow, actor=world.rep, order_number=number, method="card")
    card = card_payment_method(stripe_url, "4242424242424242")
    attempts.pay_by_card(uow, actor=world.rep, payment_id=payment["id"], payment_method=card)
    return world, number, payment


def paid_by_transfer(uow):
    world, number = payable_order(uow)
    paid = receipts.record_bank_receipt(
        uow,
        actor=world.finance,
        order_number=number,
        amount=order_total(uow, number),
        reference="ICBC-0001",
        totp_code=totp_now(),
    )
    return world, number, paid


def refunds_at_stripe(stripe_url: str, payment: dict) -> list[int]:
    intent = payment["client_secret"].split("_secret_")[0]
    answer = httpx.get(
        f"{stripe_url}/v1/refunds",
        params={"payment_intent": intent},
        headers={"Authorization": f"Bearer {API_KEY}"},
        timeout=10,
    )
    answer.raise_for_status()
    return [r["amount"] for r in answer.json()["data"]]


def audit_actions(uow) -> list[tuple[str, str]]:
    with uow:
        rows = uow.session.execute(
            sa.select(AuditEntry.action, AuditEntry.actor_name)
            .where(AuditEntry.action.like("payment.%"))
            .order_by(AuditEntry.id)
        ).all()
        return [tuple(r) for r in rows]


def test_the_proposer_can_neither_release_nor_decline_their_own_refund(uow, stripe_on):
    world, number, payment = paid_by_card(uow, stripe_on)
    # when
    proposal = refunds.propose_refund(
        uow, actor=world.finance, payment_id=payment["id"], amount="5.00", reason="damaged"
    )
    with pytest.raises(FourEyesRefused) as own_release:
        release.release_proposal(
            uow, actor=world.finance, proposal_id=proposal["id"], totp_code=totp_now()
        )
    with pytest.raises(FourEyesRefused) as own_decline:
        release.decline_proposal(
            uow, actor=world.finance, proposal_id=proposal["id"], reason="changed my mind"
        )
    # then nothing left: the payment is whole and Stripe was never asked
    assert proposal["outcome"] == "proposed" and proposal["mine"] is True
    assert own_release.value.code == own_decline.value.code == "payment.error.own_proposal"
    assert own_release.value.status_code == 403
    still = get_payment(uow, payment_id=payment["id"])
    assert still["status"] == "succeeded" and still["refunded_amount"] == "0.00"
    assert refunds_at_stripe(stripe_on, payment) == []
    assert [p["id"] for p in queries.list_open_proposals(uow, actor=world.finance)] == [
        proposal["id"]
    ]


def test_a_second_finance_user_releases_the_refund_and_the_money_moves_exactly_once(uow, stripe_on):
    world, number, payment = paid_by_card(uow, stripe_on)
    checker = second_finance(uow)
    proposal = refunds.propose_refund(
        uow, actor=world.finance, payment_id=payment["id"], amount="5.00", reason="one pen broke"
    )
    # when: a wrong code moves nothing; the right one releases; a second release is refused
    with pytest.raises(SecondFactorRequired):
        release.release_proposal(uow, actor=checker, proposal_id=proposal["id"], totp_code="000000")
    done = release.release_proposal(
        uow, actor=checker, proposal_id=proposal["id"], totp_code=second_totp()
    )
    with pytest.raises(PaymentConflict) as again:
        release.release_proposal(
            uow, actor=checker, proposal_id=proposal["id"], totp_code=second_totp()
        )
    # then
    assert done["proposal"]["outcome"] == "done"
    assert done["proposal"]["proposed_by"] == "finance"
    assert done["proposal"]["decided_by"] == "finance-2"
    assert done["payment"]["status"] == "partially_refunded"
    assert done["payment"]["refunded_amount"] == "5.00"
    assert again.value.code == "payment.error.proposal_closed"
    assert refunds_at_stripe(stripe_on, payment) == [500]
    assert order_payment_status(uow, number) == "partially_paid"
    assert queries.list_open_proposals(uow, actor=checker) == []
    trail = audit_actions(uow)
    assert ("payment.refund_proposed", "finance") in trail
    assert ("payment.refund_released", "finance-2") in trail
    assert ("payment.refund", "finance-2") in trail


def test_two_proposals_together_cannot_exceed_what_may_be_refunded(uow):
    world, number, paid = paid_by_transfer(uow)
    amount = Decimal(paid["amount"])
    refunds.propose_refund(
        uow, actor=world.finance, payment_id=paid["id"], amount=amount - 5, reason="most"
    )
    # when
    with pytest.raises(ValidationFailed) as too_much:
        refunds.propose_refund(
            uow, actor=world.finance, payment_id=paid["id"], amount="10.00", reason="more"
        )
    rest = refunds.propose_refund(
        uow, actor=world.finance, payment_id=paid["id"], amount="5.00", reason="the rest"
    )
    # then
    assert too_much.value.code == "payment.error.exceeds_refundable"
    assert too_much.value.params["refundable"] == Decimal("5.00")
    assert rest["outcome"] == "proposed"
    assert get_payment(uow, payment_id=paid["id"])["refunded_amount"] == "0.00"


def test_two_write_off_proposals_together_cannot_exceed_the_unpaid_balance(uow):
    world, number = payable_order(uow)
    total = order_total(uow, number)
    write_offs.propose_write_off(
        uow, actor=world.finance, order_number=number, amount=total - 3, reason="bad debt"
    )
    # when
    with pytest.raises(ValidationFailed) as too_much:
        write_offs.propose_write_off(
            uow, actor=world.finance, order_number=number, amount="4.00", reason="more"
        )
    # then: the held amount is not owed by anyone else either; nothing was written off yet
    assert too_much.value.code == "payment.error.exceeds_outstanding"
    assert too_much.value.params["outstanding"] == Decimal("3.00")
    assert payment_rows(uow, number) == []
    assert order_payment_status(uow, number) == "unpaid"


def test_declining_frees_the_amount_and_withdrawing_is_for_the_proposer_only(uow):
    world, number, paid = paid_by_transfer(uow)
    checker = second_finance(uow)
    first = refunds.propose_refund(
        uow, actor=world.finance, payment_id=paid["id"], amount=paid["amount"], reason="all"
    )
    # when
    with pytest.raises(ValidationFailed) as no_reason:
        release.decline_proposal(uow, actor=checker, proposal_id=first["id"], reason=" ")
    declined = release.decline_proposal(
        uow, actor=checker, proposal_id=first["id"], reason="goods never came back"
    )
    second = refunds.propose_refund(
        uow, actor=world.finance, payment_id=paid["id"], amount=paid["amount"], reason="all"
    )
    with pytest.raises(FourEyesRefused) as not_theirs:
        release.withdraw_proposal(uow, actor=checker, proposal_id=second["id"])
    withdrawn = release.withdraw_proposal(uow, actor=world.finance, proposal_id=second["id"])
    with pytest.raises(PaymentConflict):
        release.release_proposal(
            uow, actor=checker, proposal_id=second["id"], totp_code=second_totp()
        )
    # then
    assert no_reason.value.field == "reason"
    assert declined["outcome"] == "declined" and declined["decided_by"] == "finance-2"
    assert declined["decision_reason"] == "goods never came back"
    assert second["outcome"] == "proposed"
    assert not_theirs.value.code == "payment.error.not_your_proposal"
    assert withdrawn["outcome"] == "withdrawn"
    assert get_payment(uow, payment_id=paid["id"])["status"] == "succeeded"
    assert queries.list_open_proposals(uow, actor=world.finance) == []


def test_whoever_entered_the_order_cannot_release_money_going_out_on_it(uow):
    world, _ = payable_order(uow)
    admin = make_admin(uow)  # holds payment.manage, and entered this order
    number = order_service.create_order(
        uow,
        actor=admin,
        submit=True,
        cmd=OrderInput(customer_code=world.customer_code, lines=[LineInput("OFF-0001", 2)]),
    )
    order_service.approve_order(uow, actor=world.manager, number=number)
    checker = second_finance(uow)
    total = order_total(uow, number)
    proposal = write_offs.propose_write_off(
        uow, actor=world.finance, order_number=number, amount=total, reason="customer closed"
    )
    # when
    with pytest.raises(FourEyesRefused) as own_order:
        release.release_proposal(uow, actor=admin, proposal_id=proposal["id"], totp_code="123456")
    done = release.release_proposal(
        uow, actor=checker, proposal_id=proposal["id"], totp_code=second_totp()
    )
    # then
    assert own_order.value.code == "payment.error.own_order"
    assert done["payment"]["method"] == "write_off" and done["payment"]["status"] == "succeeded"
    assert order_payment_status(uow, number) == "paid"
    assert [(r.method, str(r.status)) for r in payment_rows(uow, number)] == [
        ("write_off", "succeeded")
    ]


def test_parallel_proposals_and_releases_give_back_the_money_once(uow, stripe_on):
    world, number, payment = paid_by_card(uow, stripe_on)
    more_than_half = (Decimal(payment["amount"]) / 2 + 1).quantize(Decimal("0.01"))

    def propose(_):
        try:
            return refunds.propose_refund(
                UnitOfWork(),
                actor=world.finance,
                payment_id=payment["id"],
                amount=more_than_half,
                reason="returned",
            )["id"]
        except DomainError as err:
            return err.code

    # when four proposals race, then two checkers release the one that got through at once
    with ThreadPoolExecutor(4) as pool:
        proposed = list(pool.map(propose, range(4)))
    (proposal_id,) = [p for p in proposed if isinstance(p, int)]
    checkers = [second_finance(uow, username=f"checker-{n}") for n in (1, 2)]
    code = second_totp()

    def release_as(checker):
        try:
            return release.release_proposal(
                UnitOfWork(), actor=checker, proposal_id=proposal_id, totp_code=code
            )["proposal"]["outcome"]
        except DomainError as err:
            return err.code

    with ThreadPoolExecutor(2) as pool:
        released = sorted(pool.map(release_as, checkers))
    # then
    assert (
        sorted(p for p in proposed if not isinstance(p, int))
        == ["payment.error.exceeds_refundable"] * 3
    )
    assert released == ["done", "payment.error.proposal_closed"]
    assert refunds_at_stripe(stripe_on, payment) == [int(more_than_half * 100)]
    assert get_payment(uow, payment_id=payment["id"])["refunded_amount"] == str(more_than_half)
