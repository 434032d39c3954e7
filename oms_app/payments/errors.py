"""Refusals of the payments area that are not about one input field."""

from __future__ import annotations

from oms_app.core.errors import Conflict, PermissionDenied


class PaymentConflict(Conflict):
    """The payment is not in a state for this (already paid, an attempt under way, ...)."""

    def __init__(self, reason: str, **params: object):
        self.code = f"payment.error.{reason}"
        super().__init__(self.code, field="payment", **params)


class FourEyesRefused(PermissionDenied):
    """Nobody approves their own work: the proposer, or whoever entered the order, may not
    release money going out on it."""

    def __init__(self, reason: str, **params: object):
        self.code = f"payment.error.{reason}"
        super().__init__(self.code, field="proposal", **params)
