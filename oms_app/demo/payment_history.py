"""Demo payments and invoices for the order history, by the payments area's rules.

Prepaid customers (terms 0) pay a little after approval, before the warehouse starts picking
(it holds what is unpaid), or in cash when the goods arrive. Customers on credit terms are
invoiced when the goods leave and pay by bank transfer around the due date: most on time, some
late, a few recent ones not yet. Refused, abandoned and unapproved orders took no money; a few
prepaid orders cancelled after approval were refunded. Every time lies inside the order's own
timeline and before the history's horizon.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from random import Random

from oms_app.demo.demand import pick
from oms_app.demo.loading import SHANGHAI, local_to_utc
from oms_app.demo.payment_rows import OrderFacts, PaymentRows, PaymentWriter
from oms_app.payments.rules import order_payment_status
from oms_app.payments.status import PaymentStatus

SHIPPED = frozenset(("shipped", "delivered", "completed"))
ON_THE_FLOOR = frozenset(("picking", "packed"))  # picked only once paid, or when paid on delivery
AWAITING = frozenset(("approved", "allocated", "on_hold"))
PREPAID_METHODS, PREPAID_CUM = ("bank_transfer", "alipay", "wechat_pay", "card"), (40, 65, 85, 100)
CREDIT_METHODS, CREDIT_CUM = ("bank_transfer", "alipay", "wechat_pay"), (94, 97, 100)
COD_SHARE = 0.2  # of prepaid orders going by express or picked up
# Invoices: paid up to 12 days early (80%), 1-25 days late (16%) or 26-75 days late.
ON_TIME, LATE = 0.80, 0.96
STILL_OPEN_SHARE, STILL_OPEN_DAYS = 0.03, 60  # recent invoices disputed or forgotten: unpaid
# Prepaid orders approved, not yet picked: paid, a payment under way, cash on delivery, nothing.
WAITING, WAITING_CUM = ("paid", "pending", "cod", "none"), (45, 62, 70, 100)
REFUNDED_SHARE, VOIDED_SHARE = 0.45, 0.25  # of prepaid orders cancelled after approval
# Recent card trouble for the finance board: declined payments, payments stuck at 3-D Secure,
# on the first approved orders this many days old that have no payment yet.
TROUBLE_QUOTA, TROUBLE_DAYS = {"fail": 3, "require_action": 2}, 1
NO_TROUBLE = frozenset(("draft", "pending_approval", "rejected", "cancelled", "on_hold"))
Payments = list[tuple[PaymentStatus, Decimal, Decimal]]


class PaymentHistory:
    """Adds each demo order's payments and invoice; knows the order, never the database."""

    def __init__(self, rng: Random, *, last_ids: dict[str, int], horizon: datetime):
        self.rng, self.horizon = rng, horizon
        self.today = horizon.astimezone(SHANGHAI).date()
        self.writer = PaymentWriter(rng, last_ids=last_ids)
        self.trouble = dict(TROUBLE_QUOTA)

    def add(self, out: PaymentRows, order: OrderFacts) -> str:
        """Add the order's payments (and invoice); return its derived payment status."""
        if order.customer.terms_days > 0:  # on credit: invoiced when the goods leave
            made = self._on_terms(out, order) if order.status in SHIPPED else []
        elif order.status in SHIPPED:
            made = self._shipped_prepaid(out, order)
        elif order.status in ON_THE_FLOOR or order.status in AWAITING:
            made = self._waiting(out, order)
        elif order.status == "cancelled" and "approve" in order.times:
            made = self._cancelled(out, order)
        else:  # drafts, orders waiting for approval or refused: nothing to pay yet
            made = []
        if not made and order.age <= TROUBLE_DAYS and order.status not in NO_TROUBLE:
            made = self._troubled(out, order)
        return order_payment_status(order.total, made).value

    def _on_terms(self, out: PaymentRows, order: OrderFacts) -> Payments:
        """Invoiced at shipment, due `terms_days` later (Shanghai days); paid around then."""
        rng = self.rng
        ship_day = order.times["ship"].astimezone(SHANGHAI).date()
        due = ship_day + timedelta(days=order.customer.terms_days)
        roll = rng.random()
        if roll < ON_TIME:
            days = -rng.randint(0, 12)
        else:
            days = rng.randint(1, 25) if roll < LATE else rng.randint(26, 75)
        paid_at: datetime | None = local_to_utc(
            due + timedelta(days=days), rng.randint(9 * 3600 + 1800, 17 * 3600)
        )
        recent = (self.today - due).days < STILL_OPEN_DAYS
        if paid_at > self.horizon or (recent and rng.random() < STILL_OPEN_SHARE):
            paid_at = None
        # finance was alerted the morning after it fell overdue; only invoices that fell due in
        # the last days are left to the beat task, so a fresh demo does not ring 100 bells
        overdue_since = due + timedelta(days=1)
        was_alerted = (paid_at and days > 0) or (not paid_at and (self.today - due).days > 3)
        alerted = local_to_utc(overdue_since, 9 * 3600) if was_alerted else None
        self.writer.invoice(out, order, due, paid_at, alerted)
        if paid_at is None:
            return []
        method = pick(rng, CREDIT_METHODS, CREDIT_CUM)
        created = paid_at - timedelta(seconds=rng.randint(60, 900))
        return [self.writer.payment(out, order, method, created, [("succeed", paid_at)])]

    def _shipped_prepaid(self, out: PaymentRows, order: OrderFacts) -> Payments:
        """Paid before picking, or (delivered orders) in cash when the goods arrived."""
        delivered = order.times.get("deliver")
        if delivered and self._may_pay_cash(order) and self.rng.random() < COD_SHARE:
            return [self._cod(out, order, collected=delivered)]
        return [self._prepaid(out, order, paid=True)]

    def _waiting(self, out: PaymentRows, order: OrderFacts) -> Payments:
        """Prepaid orders approved but not shipped: paid, under way, cash on delivery, or not."""
        if order.status in ON_THE_FLOOR:
            if self._may_pay_cash(order) and self.rng.random() < COD_SHARE:
                return [self._cod(out, order, collected=None)]
            return [self._prepaid(out, order, paid=True)]
        choice = pick(self.rng, WAITING, WAITING_CUM)
        if choice == "cod" and not self._may_pay_cash(order):
            choice = "pending"
        if choice == "cod":
            return [self._cod(out, order, collected=None)]
        return [] if choice == "none" else [self._prepaid(out, order, paid=choice == "paid")]

    def _troubled(self, out: PaymentRows, order: OrderFacts) -> Payments:
        """A card payment declined or stuck at 3-D Secure, while the quota lasts."""
        action = next((a for a, left in self.trouble.items() if left > 0), None)
        if action is None:
            return []
        self.trouble[action] -= 1
        created = self._between(order.times["approve"], self.horizon, 0.05, 0.3)
        moved = min(created + timedelta(seconds=self.rng.randint(40, 600)), self.horizon)
        return [self.writer.payment(out, order, "card", created, [(action, moved)])]

    def _cancelled(self, out: PaymentRows, order: OrderFacts) -> Payments:
        """Prepaid orders cancelled after approval: refunded in full, or the transfer they were
        asked for called off."""
        roll, start, cancelled = self.rng.random(), order.times["approve"], order.times["cancel"]
        if roll < REFUNDED_SHARE:
            paid = self._between(start, cancelled, 0.05, 0.5)
            created = self._between(start, paid, 0.1, 0.9)
            refunded = min(cancelled + timedelta(seconds=self.rng.randint(60, 1800)), self.horizon)
            method = pick(self.rng, PREPAID_METHODS, PREPAID_CUM)
            steps = [("succeed", paid), ("refund_all", refunded)]
            return [self.writer.payment(out, order, method, created, steps)]
        if roll < REFUNDED_SHARE + VOIDED_SHARE:
            created = self._between(start, cancelled, 0.02, 0.3)
            steps = [("cancel", cancelled)]
            return [self.writer.payment(out, order, "bank_transfer", created, steps)]
        return []

    def _prepaid(self, out: PaymentRows, order: OrderFacts, *, paid: bool) -> tuple:
        """A payment asked for a little after approval and, if `paid`, settled before picking."""
        start, end = order.times["approve"], self._paid_by(order)
        created = self._between(start, end, 0.02, 0.1)
        settled = self._between(created, end, 0.1, 0.6)
        method = pick(self.rng, PREPAID_METHODS, PREPAID_CUM)
        steps = [("succeed", settled)] if paid else []
        return self.writer.payment(out, order, method, created, steps)

    def _cod(self, out: PaymentRows, order: OrderFacts, *, collected: datetime | None) -> tuple:
        """Cash on delivery: agreed at approval, collected when the goods arrived (if they have)."""
        created = self._between(order.times["approve"], self._paid_by(order), 0.01, 0.05)
        steps = [("succeed", collected)] if collected else []
        return self.writer.payment(out, order, "cod", created, steps)

    def _paid_by(self, order: OrderFacts) -> datetime:
        """When the money had to be in: before picking, a hold or a cancellation."""
        times = order.times
        ends = [times[a] for a in ("start_picking", "hold", "cancel") if a in times]
        return min(ends, default=self.horizon)

    def _between(self, start: datetime, end: datetime, low: float, high: float) -> datetime:
        """A whole second between `low` and `high` of the way from `start` to `end`."""
        seconds = (end - start).total_seconds() * self.rng.uniform(low, high)
        return start + timedelta(seconds=int(seconds))

    @staticmethod
    def _may_pay_cash(order: OrderFacts) -> bool:
        return order.delivery_method in ("express", "pickup")
