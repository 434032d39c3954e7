"""Payments over HTTP: ask for a payment, pay by card with a Stripe.js id, capture, cancel,
propose refunds and write-offs (a second finance user releases them), record bank receipts,
and the verified Stripe webhook."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from oms_app.api.auth import api_actor
from oms_app.api.params import Page, PageSize, RowId, Search
from oms_app.core.config import get_settings
from oms_app.core.db import UnitOfWork
from oms_app.core.paging import PageRequest
from oms_app.core.permissions import Actor
from oms_app.payments import (
    attempts,
    inbox,
    links,
    queries,
    receipts,
    refunds,
    release,
    service,
    settlement,
    write_offs,
)
from oms_app.payments.provider import InvalidWebhook
from tasks import payments as payment_tasks

router = APIRouter(prefix="/api/v1", tags=["payments"])
ActorDep = Annotated[Actor, Depends(api_actor)]
Money = Annotated[Decimal, Field(gt=0, max_digits=16, decimal_places=2)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PaymentBody(Strict):
    method: Literal["card", "alipay", "wechat_pay", "bank_transfer", "cod"]
    amount: Money | None = None
    capture_method: Literal["automatic", "manual"] = "automatic"
    return_url: str = Field(default="", max_length=500)


class CardBody(Strict):
    payment_method: str = Field(min_length=4, max_length=80)


class RefundBody(Strict):
    amount: Money
    reason: str = Field(min_length=1, max_length=300)


class CaptureBody(Strict):
    amount: Money | None = None


class CancelBody(Strict):
    reason: str = Field(default="", max_length=300)


class ReceiptBody(Strict):
    amount: Money
    reference: str = Field(min_length=1, max_length=64)
    totp_code: str = Field(default="", max_length=8)


class WriteOffBody(Strict):
    amount: Money
    reason: str = Field(min_length=1, max_length=300)


class ReleaseBody(Strict):
    totp_code: str = Field(default="", max_length=8)


class DeclineBody(Strict):
    reason: str = Field(min_length=1, max_length=300)


def _with_pay_link(view: dict) -> dict:
    """What a shop needs to let its customer pay: Stripe.js key and our pay page."""
    settings = get_settings()
    token = links.make_pay_token(view["order_number"])
    return {
        **view,
        "publishable_key": settings.stripe_publishable_key or None,
        "pay_url": f"{settings.base_url.rstrip('/')}/pay/{token}",
    }


@router.post("/orders/{number}/payments", status_code=201)
async def create_payment(number: str, body: PaymentBody, actor: ActorDep) -> dict:
    """Ask for (part of) an order's amount; the answer carries client_secret, redirect_url or
    qr_code as the method needs. A repeated request returns the same open payment."""
    view = await asyncio.to_thread(
        service.create_payment,
        UnitOfWork(),
        actor=actor,
        order_number=number,
        method=body.method,
        amount=body.amount,
        capture_method=body.capture_method,
        return_url=body.return_url,
    )
    return _with_pay_link(view)


@router.get("/orders/{number}/payments")
async def list_payments(number: str, actor: ActorDep) -> dict:
    """The order's payments with what is paid and still owed, and its payment status."""
    return await asyncio.to_thread(
        queries.order_payment_summary, UnitOfWork(), actor=actor, order_number=number
    )


@router.post("/payments/{payment_id}/card")
async def pay_by_card(payment_id: RowId, body: CardBody, actor: ActorDep) -> dict:
    """Confirm a card payment with the id Stripe.js returned for the card (never card data)."""
    return await asyncio.to_thread(
        attempts.pay_by_card,
        UnitOfWork(),
        actor=actor,
        payment_id=payment_id,
        payment_method=body.payment_method,
    )


@router.post("/payments/{payment_id}/sync")
async def sync_payment(payment_id: RowId, actor: ActorDep) -> dict:
    """Ask Stripe where the payment stands now (after 3-D Secure, or when in doubt)."""
    return await asyncio.to_thread(
        settlement.sync_payment, UnitOfWork(), actor=actor, payment_id=payment_id
    )


@router.post("/payments/{payment_id}/capture")
async def capture_payment(payment_id: RowId, body: CaptureBody, actor: ActorDep) -> dict:
    """Take a held card payment, all of it or less (finance)."""
    return await asyncio.to_thread(
        settlement.capture_payment,
        UnitOfWork(),
        actor=actor,
        payment_id=payment_id,
        amount=body.amount,
    )


@router.post("/payments/{payment_id}/cancel")
async def cancel_payment(payment_id: RowId, body: CancelBody, actor: ActorDep) -> dict:
    """Abandon an unpaid payment or void a held card."""
    return await asyncio.to_thread(
        settlement.cancel_payment,
        UnitOfWork(),
        actor=actor,
        payment_id=payment_id,
        reason=body.reason,
    )


@router.post("/payments/{payment_id}/refund", status_code=202)
async def propose_refund(payment_id: RowId, body: RefundBody, actor: ActorDep) -> dict:
    """Propose giving back part or all of a paid payment (finance role). Nothing leaves yet:
    the answer (202) is the proposal, whose amount is held against what may still be refunded
    until a different finance user releases it (POST /finance/proposals/{id}/release)."""
    return await asyncio.to_thread(
        refunds.propose_refund,
        UnitOfWork(),
        actor=actor,
        payment_id=payment_id,
        amount=body.amount,
        reason=body.reason,
    )


@router.get("/payments/{payment_id}/history")
async def payment_history(payment_id: RowId, actor: ActorDep) -> list[dict]:
    """Every status change of the payment: from, to, who, when, why."""
    return await asyncio.to_thread(
        queries.payment_history, UnitOfWork(), actor=actor, payment_id=payment_id
    )


@router.post("/orders/{number}/receipts", status_code=201)
async def record_bank_receipt(number: str, body: ReceiptBody, actor: ActorDep) -> dict:
    """Record a bank transfer with its bank reference (finance role, current TOTP code)."""
    return await asyncio.to_thread(
        receipts.record_bank_receipt,
        UnitOfWork(),
        actor=actor,
        order_number=number,
        amount=body.amount,
        reference=body.reference,
        totp_code=body.totp_code,
    )


@router.post("/orders/{number}/write-offs", status_code=202)
async def propose_write_off(number: str, body: WriteOffBody, actor: ActorDep) -> dict:
    """Propose writing off an unpaid balance (finance role). Nothing is written off yet: the
    answer (202) is the proposal, whose amount is held against the balance until a different
    finance user releases it (POST /finance/proposals/{id}/release)."""
    return await asyncio.to_thread(
        write_offs.propose_write_off,
        UnitOfWork(),
        actor=actor,
        order_number=number,
        amount=body.amount,
        reason=body.reason,
    )


@router.get("/finance/proposals")
async def open_proposals(actor: ActorDep) -> list[dict]:
    """Refunds and write-offs proposed and waiting for a second person, oldest first (finance
    role); `kind` is refund or write_off, `mine` marks the caller's own."""
    return await asyncio.to_thread(queries.list_open_proposals, UnitOfWork(), actor=actor)


@router.post("/finance/proposals/{proposal_id}/release")
async def release_proposal(proposal_id: RowId, body: ReleaseBody, actor: ActorDep) -> dict:
    """Let a proposed refund or write-off go (finance role, current TOTP code): the refund is
    sent to the provider once, or the write-off payment is made. Refused (403) to its proposer
    and to whoever entered the order; answers the proposal and the payment it moved."""
    return await asyncio.to_thread(
        release.release_proposal,
        UnitOfWork(),
        actor=actor,
        proposal_id=proposal_id,
        totp_code=body.totp_code,
    )


@router.post("/finance/proposals/{proposal_id}/decline")
async def decline_proposal(proposal_id: RowId, body: DeclineBody, actor: ActorDep) -> dict:
    """Refuse a proposed refund or write-off, saying why (finance role, not its proposer); its
    amount is free again."""
    return await asyncio.to_thread(
        release.decline_proposal,
        UnitOfWork(),
        actor=actor,
        proposal_id=proposal_id,
        reason=body.reason,
    )


@router.post("/finance/proposals/{proposal_id}/withdraw")
async def withdraw_proposal(proposal_id: RowId, actor: ActorDep) -> dict:
    """Take back one's own proposal before anyone decided it."""
    return await asyncio.to_thread(
        release.withdraw_proposal, UnitOfWork(), actor=actor, proposal_id=proposal_id
    )


@router.get("/finance/payments")
async def payments_needing_attention(
    actor: ActorDep,
    page: Page = 1,
    page_size: PageSize = 25,
    sort: str = "updated",
    descending: bool = True,
    search: Search = "",
) -> dict:
    """Payments stuck with the provider, flagged by reconciliation, or failed lately."""
    request = PageRequest(
        page=page, page_size=page_size, sort=sort, descending=descending, search=search
    )
    return await asyncio.to_thread(
        queries.list_payments_needing_attention, UnitOfWork(), actor=actor, request=request
    )


@router.post("/webhooks/stripe", include_in_schema=True)
async def stripe_webhook(request: Request) -> JSONResponse:
    """Stripe's events: the signature is checked (400, no effect, when it fails), each event
    is stored once by id and processed by a worker; the answer comes at once."""
    payload = await request.body()
    signature = request.headers.get("stripe-signature", "")
    try:
        event_id, new = await asyncio.to_thread(
            inbox.receive_stripe_event, UnitOfWork(), payload=payload, signature=signature
        )
    except InvalidWebhook as err:
        return JSONResponse({"error": "invalid_signature", "detail": str(err)}, status_code=400)
    if new:
        payment_tasks.process_stripe_event_task.delay(event_id)
    return JSONResponse({"received": event_id, "duplicate": not new}, status_code=200)
