"""The payment provider interface: what the payments service asks of Stripe today and of a
direct Alipay or WeChat Pay provider tomorrow (see docs/payment-providers.md).

A provider moves money at someone else's; every call that changes something carries an
idempotency key from us, so repeating it after a timeout never charges twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class IntentState:
    """The provider's view of one payment after a call or in a webhook."""

    ref: str  # the provider's id (pi_... at Stripe)
    status: str  # requires_payment_method requires_action processing requires_capture ...
    amount: Decimal
    currency: str
    client_secret: str = ""
    amount_received: Decimal = Decimal("0.00")
    amount_refunded: Decimal = Decimal("0.00")
    next_action: dict = field(default_factory=dict)  # redirect_url / qr_code for the payer
    failure_code: str = ""
    decline_code: str = ""
    failure_message: str = ""
    attempt: int | None = None  # our attempt number, echoed back from metadata


@dataclass(frozen=True)
class RefundState:
    ref: str
    status: str  # pending succeeded failed
    amount: Decimal


class ProviderError(Exception):
    """A provider refused or could not be reached; `code` says which (card_declined, timeout)."""

    def __init__(self, code: str, message: str = "", *, decline_code: str = "", state=None):
        super().__init__(message or code)
        self.code = code
        self.decline_code = decline_code
        self.message = message
        self.state: IntentState | None = state

    @property
    def unreachable(self) -> bool:
        """The call may or may not have happened: ask the provider before trying anything else."""
        return self.code in ("network_error", "timeout")


class InvalidWebhook(Exception):
    """The webhook's signature or body does not check out."""


class PaymentProvider(Protocol):
    name: str
    methods: tuple[str, ...]

    def create_intent(
        self,
        *,
        payment_id: int,
        order_number: str,
        amount: Decimal,
        currency: str,
        method: str,
        capture_method: str,
        key: str,
    ) -> IntentState: ...

    def confirm_card(self, *, ref: str, payment_method: str, attempt: int, key: str) -> IntentState:
        """Attach the card the payer entered in the provider's own form, then confirm."""
        ...

    def start_wallet(
        self, *, ref: str, method: str, attempt: int, return_url: str, key: str
    ) -> IntentState:
        """Confirm a wallet payment: the state carries the redirect URL or the QR code."""
        ...

    def retrieve(self, *, ref: str) -> IntentState: ...

    def capture(self, *, ref: str, amount: Decimal, currency: str, key: str) -> IntentState: ...

    def cancel(self, *, ref: str, key: str) -> IntentState: ...

    def refund(
        self, *, ref: str, amount: Decimal, currency: str, reason: str, key: str
    ) -> RefundState: ...

    def parse_webhook(self, payload: bytes, signature: str) -> dict:
        """Verify the signature and return the event as a dict, or raise InvalidWebhook."""
        ...
