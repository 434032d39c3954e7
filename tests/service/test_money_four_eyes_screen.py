"""The finance payments screen with four eyes, handlers called directly: a refund is proposed
and waits; a second finance user sees it in the list and releases it with a TOTP code."""

from __future__ import annotations

import pytest
import reflex as rx

import oms_app.oms_app  # noqa: F401  (every state registered, as in the app)
from oms_app.payments.store import get_payment
from state.base import SessionState
from state.finance_payments import FinancePaymentsState
from tests.factories.payments import second_finance, second_totp
from tests.service.test_money_four_eyes import paid_by_transfer


@pytest.fixture
def acting(monkeypatch):
    """Who the screen's session belongs to: set `acting.actor` before calling handlers."""

    class Acting:
        actor = None

    async def actor(self):
        return Acting.actor

    monkeypatch.setattr(SessionState, "_actor", actor)
    return Acting


async def screen() -> FinancePaymentsState:
    root = rx.State(_reflex_internal_init=True)
    return await root.get_state(FinancePaymentsState)


async def test_a_refund_proposed_on_screen_waits_until_a_second_clerk_releases_it(uow, acting):
    world, _, paid = paid_by_transfer(uow)
    checker = second_finance(uow)
    # when the first clerk refunds from the attention board
    acting.actor = world.finance
    mine = await screen()
    mine.ask_refund(paid["id"])
    await mine.refund({"amount": "8.00", "reason": "price fix"})
    await mine.open_page()
    # then it says so, nothing moved, and the clerk may only withdraw their own proposal
    assert mine.notice == "退款已提交，等待第二人复核放行"
    assert [(p["amount"], p["mine"]) for p in mine.proposals] == [("8.00", True)]
    assert get_payment(uow, payment_id=paid["id"])["refunded_amount"] == "0.00"
    mine.ask_decision(mine.proposals[0]["id"], "release")
    await mine.decide({"totp_code": second_totp()})
    assert "须由另一位财务人员放行或驳回" in mine.form_error
    # when a second clerk releases it with their code
    acting.actor = checker
    theirs = await screen()
    await theirs.open_page()
    theirs.ask_decision(theirs.proposals[0]["id"], "release")
    await theirs.decide({"totp_code": second_totp()})
    await theirs.open_page()
    # then the money went back once and the list is empty
    assert theirs.form_error == "" and theirs.notice == "已放行：款项已处理"
    assert theirs.proposals == []
    assert get_payment(uow, payment_id=paid["id"])["refunded_amount"] == "8.00"
