"""The lifecycle of one payment, and the payment status an order derives from its payments."""

from __future__ import annotations

from enum import StrEnum

from oms_app.core.state_machine import StateMachine


class PaymentStatus(StrEnum):
    PENDING = "pending"  # created; waiting for the payer or the receipt (待支付)
    REQUIRES_ACTION = "requires_action"  # 3-D Secure, a redirect or a QR code to scan (待验证)
    PROCESSING = "processing"  # the provider is settling it (处理中)
    AUTHORIZED = "authorized"  # funds held, waiting for a manual capture (已授权)
    SUCCEEDED = "succeeded"  # the money is ours (已支付)
    FAILED = "failed"  # the last attempt failed; the payer may retry (支付失败)
    CANCELLED = "cancelled"  # abandoned or voided; no money moved (已取消)
    PARTIALLY_REFUNDED = "partially_refunded"  # part of it went back (部分退款)
    REFUNDED = "refunded"  # all of it went back (已退款)


class PaymentAction(StrEnum):
    REQUIRE_ACTION = "require_action"
    PROCESS = "process"
    AUTHORIZE = "authorize"
    CAPTURE = "capture"
    SUCCEED = "succeed"
    FAIL = "fail"
    RETRY = "retry"
    CANCEL = "cancel"
    REFUND_PART = "refund_part"
    REFUND_ALL = "refund_all"


S, A = PaymentStatus, PaymentAction
_IN_FLIGHT = (S.PENDING, S.REQUIRES_ACTION, S.PROCESSING)
PAYMENT_TRANSITIONS: dict[tuple[PaymentStatus, PaymentAction], PaymentStatus] = {
    (S.PENDING, A.REQUIRE_ACTION): S.REQUIRES_ACTION,
    (S.PENDING, A.PROCESS): S.PROCESSING,
    (S.REQUIRES_ACTION, A.PROCESS): S.PROCESSING,
    **{(s, A.AUTHORIZE): S.AUTHORIZED for s in _IN_FLIGHT},
    **{(s, A.SUCCEED): S.SUCCEEDED for s in (*_IN_FLIGHT, S.AUTHORIZED)},
    **{(s, A.FAIL): S.FAILED for s in _IN_FLIGHT},
    (S.AUTHORIZED, A.CAPTURE): S.SUCCEEDED,
    (S.FAILED, A.RETRY): S.PENDING,
    # Webhooks arrive in any order: the provider may report a failed attempt after the retry
    # on the same intent was charged. When it says the money arrived, the money arrived.
    (S.FAILED, A.SUCCEED): S.SUCCEEDED,
    # Stripe cannot cancel a payment it is settling; a held authorisation can be voided.
    **{(s, A.CANCEL): S.CANCELLED for s in (S.PENDING, S.REQUIRES_ACTION, S.AUTHORIZED, S.FAILED)},
    **{(s, A.REFUND_PART): S.PARTIALLY_REFUNDED for s in (S.SUCCEEDED, S.PARTIALLY_REFUNDED)},
    **{(s, A.REFUND_ALL): S.REFUNDED for s in (S.SUCCEEDED, S.PARTIALLY_REFUNDED)},
}
PAYMENT_MACHINE: StateMachine[PaymentStatus, PaymentAction] = StateMachine(
    "payment", PAYMENT_TRANSITIONS
)
# Payments that hold part of the order's amount: a new payment may not claim it again.
OPEN = frozenset({S.PENDING, S.REQUIRES_ACTION, S.PROCESSING, S.AUTHORIZED})
# Payments whose money arrived (some may have gone back since).
SETTLED = frozenset({S.SUCCEEDED, S.PARTIALLY_REFUNDED, S.REFUNDED})
# Waiting on the provider: the reconciliation task asks it about these when they get old.
STUCK_CANDIDATES = frozenset({S.PROCESSING, S.REQUIRES_ACTION})


class OrderPaymentStatus(StrEnum):
    UNPAID = "unpaid"  # nothing received (未付款)
    PARTIALLY_PAID = "partially_paid"  # a deposit or part received (部分付款)
    PAID = "paid"  # the whole total received (已付款)
    REFUNDED = "refunded"  # money was received and all of it went back (已退款)


class ProposalOutcome(StrEnum):
    """Where money going out (a refund or a write-off) stands: four eyes before it leaves."""

    PROPOSED = "proposed"  # one finance user proposed it; waiting for a second person (待复核)
    REQUESTED = "requested"  # released; the provider is being asked (处理中)
    DONE = "done"  # the money went back, or the balance was written off (已完成)
    FAILED = "failed"  # the provider refused; nothing moved (失败)
    DECLINED = "declined"  # a second person said no, with a reason (已驳回)
    WITHDRAWN = "withdrawn"  # the proposer took it back (已撤回)


class ProposalAction(StrEnum):
    RELEASE = "release"
    DECLINE = "decline"
    WITHDRAW = "withdraw"
    COMPLETE = "complete"
    FAIL = "fail"


PO, PA = ProposalOutcome, ProposalAction
PROPOSAL_MACHINE: StateMachine[ProposalOutcome, ProposalAction] = StateMachine(
    "money_out_proposal",
    {
        (PO.PROPOSED, PA.RELEASE): PO.REQUESTED,
        (PO.PROPOSED, PA.DECLINE): PO.DECLINED,
        (PO.PROPOSED, PA.WITHDRAW): PO.WITHDRAWN,
        (PO.REQUESTED, PA.COMPLETE): PO.DONE,
        (PO.REQUESTED, PA.FAIL): PO.FAILED,
    },
)
# Proposals that hold their amount against what may still be refunded or written off.
HELD_OUTCOMES = frozenset({PO.PROPOSED, PO.REQUESTED})
