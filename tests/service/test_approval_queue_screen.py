"""The /approvals screen's state, handlers called directly: deciding from a row, the step-up
dialog's messages (missing, incorrect, not enrolled) and refusals kept next to the row."""

from __future__ import annotations

from decimal import Decimal

import pyotp
import pytest
import reflex as rx
import sqlalchemy as sa

import oms_app.oms_app  # noqa: F401  (every state registered, as in the app)
from oms_app.core.db import UnitOfWork
from oms_app.orders import service as order_service
from oms_app.orders.models import Order
from oms_app.orders.rules import LineInput, OrderInput
from oms_app.pages.approvals import approvals_page
from state.approval_queue import ApprovalQueueState
from state.base import SessionState
from tests.factories.accounts import actor_of, enable_totp, make_user
from tests.factories.sales import make_world

ADMIN_SECRET = pyotp.random_base32()


def test_the_page_renders_the_toolbar_queue_dialog_and_key_hint():
    page = str(approvals_page())
    ids = ("approval-queue", "queue-sort", "queue-role", "queue-apply", "queue-key-hint")
    assert [i for i in ids if f'"{i}"' not in page] == []


@pytest.fixture
def world(uow):
    return make_world(uow, stock=10_000, credit_limit=Decimal("10000000"))


def submit(world, qty: int) -> str:
    return order_service.create_order(
        UnitOfWork(),
        actor=world.rep,
        submit=True,
        cmd=OrderInput(customer_code="C10001", lines=[LineInput("OFF-0002", qty)]),
    )


def status_of(number: str) -> str:
    with UnitOfWork() as uow:
        return uow.session.scalar(sa.select(Order.status).where(Order.number == number))


async def open_queue(monkeypatch, actor) -> ApprovalQueueState:
    async def signed_in(self):
        return actor

    monkeypatch.setattr(SessionState, "_actor", signed_in)
    root = rx.State(_reflex_internal_init=True)
    queue = await root.get_state(ApprovalQueueState)
    queue.locale = "en"
    await queue.refresh()
    return queue


def index_of(queue: ApprovalQueueState, number: str) -> int:
    return [row["number"] for row in queue.rows].index(number)


async def test_a_manager_approves_from_the_row_and_rejects_with_a_reason(world, monkeypatch):
    small, other = submit(world, 10), submit(world, 20)
    queue = await open_queue(monkeypatch, world.manager)
    assert {small, other} <= {row["number"] for row in queue.rows}

    await queue.approve_row(index_of(queue, small))
    assert status_of(small) != "pending_approval"
    assert small not in [row["number"] for row in queue.rows]

    queue.reject_row(index_of(queue, other))
    assert queue.dialog == "reject"
    await queue.confirm_reject({"comment": "  "})
    assert queue.dialog == "reject" and "reason" in queue.dialog_error.lower()
    assert status_of(other) == "pending_approval"
    await queue.confirm_reject({"comment": "wrong quantity"})
    assert queue.dialog == "" and status_of(other) == "draft"


async def test_a_step_up_approval_tells_missing_from_incorrect_codes(world, monkeypatch, uow):
    admin_id = make_user(uow, username="boss", roles=["admin"])
    enable_totp(uow, admin_id, ADMIN_SECRET)
    big = submit(world, 3200)  # ¥104,000 + VAT: a fresh authenticator code is asked
    queue = await open_queue(monkeypatch, actor_of(uow, admin_id))
    await queue.approve_row(index_of(queue, big))
    assert queue.dialog == "approve" and queue.has_totp
    # an administrator stands in for the manager's level: first the dialog asks their reason
    await queue.confirm_approve({"totp_code": ""})
    assert queue.dialog == "approve" and queue.needs_reason
    because = "经理休假，代为审批"
    await queue.confirm_approve({"totp_code": "", "comment": because})
    assert queue.dialog_error.startswith("Please enter")
    await queue.confirm_approve({"totp_code": "000000", "comment": because})
    assert "incorrect" in queue.dialog_error and status_of(big) == "pending_approval"

    await queue.confirm_approve({"totp_code": pyotp.TOTP(ADMIN_SECRET).now(), "comment": because})
    assert queue.dialog == "" and not queue.needs_reason
    assert queue.rows[index_of(queue, big)]["role"] == "finance"  # the next level's turn


async def test_a_manager_without_an_authenticator_is_sent_to_enrol(world, monkeypatch):
    big = submit(world, 3200)
    queue = await open_queue(monkeypatch, world.manager)
    assert queue.has_totp is False
    await queue.approve_row(index_of(queue, big))
    assert queue.dialog == "approve"  # the dialog shows the way to /account/2fa, not a code box
    await queue.confirm_approve({"totp_code": "123456"})  # a client that sends one anyway
    assert "no authenticator" in queue.dialog_error and status_of(big) == "pending_approval"


async def test_a_refused_decision_stays_next_to_its_row(world, monkeypatch):
    number = submit(world, 10)
    queue = await open_queue(monkeypatch, world.finance)
    queue.role = "all"
    await queue.refresh()
    row = queue.rows[index_of(queue, number)]
    assert row["can_decide"] is False
    await queue.approve_row(index_of(queue, number))  # a client calling the handler anyway
    assert str(row["request_id"]) in queue.card_errors
    assert status_of(number) == "pending_approval"
