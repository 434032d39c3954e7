"""The rows of one demo payment: the payment, its history (walked through the payment machine,
so every status change is a legal one), its card attempt and refund; and an invoice row."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import count
from random import Random

from oms_app.demo.customer_book import CustomerInfo
from oms_app.demo.loading import SHANGHAI, TableRows
from oms_app.payments.rules import ONLINE_METHODS, attempt_key, refund_key
from oms_app.payments.status import PAYMENT_TRANSITIONS, PaymentStatus

ACTOR_NAME = "demo"
ZERO = Decimal("0.00")
BANKS = ("ICBC", "CCB", "ABC", "BOC", "BOCOM", "CMB", "SPDB")
FAILURES = (  # our reason, Stripe's code and decline code, what the payer was told
    ("declined", "card_declined", "generic_decline", "Your card was declined."),
    ("insufficient_funds", "card_declined", "insufficient_funds", "Insufficient funds."),
)
Step = tuple[str, datetime]  # a payment action and when it happened
# The payment machine's table by plain values: (status, action) -> status.
_NEXT = {(s.value, a.value): t.value for (s, a), t in PAYMENT_TRANSITIONS.items()}

PAYMENT_COLUMNS = (
    "id", "order_id", "order_number", "customer_id", "method", "provider", "status", "amount",
    "refunded_amount", "currency", "capture_method", "attempt", "provider_ref", "client_secret",
    "next_action", "failure_code", "failure_message", "reference", "needs_attention",
    "created_by", "succeeded_at", "created_at", "updated_at",
)  # fmt: skip
EVENT_COLUMNS = (
    "id", "payment_id", "from_status", "to_status", "action", "actor_id", "actor_name", "reason",
    "params", "at",
)  # fmt: skip
# params is JSON text; binary json is the text itself
EVENT_TYPES = (
    "int4",
    "int4",
    "text",
    "text",
    "text",
    "int4",
    "text",
    "text",
    "text",
    "timestamptz",
)
ATTEMPT_COLUMNS = (
    "id", "payment_id", "number", "idempotency_key", "provider_ref", "outcome", "failure_code",
    "failure_message", "started_at", "finished_at",
)  # fmt: skip
REFUND_COLUMNS = (
    "id", "payment_id", "amount", "reason", "provider_ref", "idempotency_key", "outcome",
    "failure_message", "actor_id", "actor_name", "created_at",
)  # fmt: skip
INVOICE_COLUMNS = (
    "id", "number", "order_id", "order_number", "customer_id", "amount", "currency",
    "terms_days", "issued_at", "due_date", "paid_at", "overdue_notified_at",
)  # fmt: skip
PAYMENT_TABLES = ("payments", "payment_events", "payment_attempts", "payment_refunds", "invoices")


@dataclass(frozen=True)
class OrderFacts:
    """What a payment needs to know about its order."""

    id: int
    number: str
    customer: CustomerInfo
    status: str
    delivery_method: str
    total: Decimal
    times: dict[str, datetime]  # when each of the order's actions happened
    age: int  # days since it was entered


@dataclass
class PaymentRows:
    payments: list[tuple] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)
    attempts: list[tuple] = field(default_factory=list)
    refunds: list[tuple] = field(default_factory=list)
    invoices: list[tuple] = field(default_factory=list)

    def tables(self) -> list[TableRows]:
        """In foreign-key order: a payment's rows after it."""
        return [
            TableRows("payments", PAYMENT_COLUMNS, self.payments),
            TableRows("payment_events", EVENT_COLUMNS, self.events, EVENT_TYPES),
            TableRows("payment_attempts", ATTEMPT_COLUMNS, self.attempts),
            TableRows("payment_refunds", REFUND_COLUMNS, self.refunds),
            TableRows("invoices", INVOICE_COLUMNS, self.invoices),
        ]


class PaymentWriter:
    """Writes payment and invoice rows, numbered after the ids already in the database."""

    def __init__(self, rng: Random, *, last_ids: dict[str, int]):
        self.rng = rng
        self.ids = {table: count(last_ids[table] + 1) for table in PAYMENT_TABLES}
        self.bank_serial = rng.randrange(100_000, 200_000)  # only rises: references never repeat
        self.failures = count()  # declines take turns, so the board shows each reason

    def payment(
        self, out: PaymentRows, order: OrderFacts, method: str, created: datetime, steps: list[Step]
    ) -> tuple[PaymentStatus, Decimal, Decimal]:
        """A payment created (pending) at `created`, then moved by `steps`; its status, amount
        and refunded amount, as `order_payment_status` takes them."""
        pid, amount, online = next(self.ids["payments"]), order.total, method in ONLINE_METHODS
        # nobody has tried to pay it yet: no provider intent; the payer's first attempt opens one
        ref = f"pi_demo{pid:08d}{self.rng.getrandbits(40):010x}" if online and steps else ""
        received = method == "bank_transfer" and steps and steps[0][0] == "succeed"
        reference = self._bank_reference(steps[0][1]) if received else ""
        event_ids, status = self.ids["payment_events"], "pending"
        out.events.append(
            (next(event_ids), pid, "", status, "create", None, ACTOR_NAME, "",
             f'{{"method": "{method}", "amount": "{amount}"}}', created)
        )  # fmt: skip
        failure, next_action, succeeded, refunded = ("", ""), "{}", None, ZERO
        for action, at in steps:
            target = _NEXT[(status, action)]  # a KeyError is an illegal step
            reason, params = _why(action, method, ref, reference, amount)
            if action == "succeed":
                succeeded = at
            elif action == "fail":
                code, provider_code, decline, message = FAILURES[next(self.failures) % 2]
                failure, reason = (code, message), code
                params = f'{{"provider_code": "{provider_code}", "decline_code": "{decline}"}}'
            elif action == "require_action":
                next_action = f'{{"redirect_url": "https://hooks.stripe.com/3d_secure/{ref}"}}'
            elif action == "refund_all":
                refunded = amount
                self._refund(out, pid, amount, ref, at)
            out.events.append(
                (next(event_ids), pid, status, target, action, None, ACTOR_NAME, reason, params, at)
            )
            status = target
        if method == "card" and steps:
            self._attempt(out, pid, ref, created, steps[0][1], failure)
        out.payments.append(
            (pid, order.id, order.number, order.customer.id, method,
             "stripe" if online else "offline", status, amount, refunded, "CNY", "automatic", 1,
             ref, f"{ref}_secret_{pid:x}" if ref else "", next_action, *failure, reference, "",
             None, succeeded, created, steps[-1][1] if steps else created)
        )  # fmt: skip
        return PaymentStatus(status), amount, refunded

    def invoice(
        self,
        out: PaymentRows,
        order: OrderFacts,
        due: date,
        paid_at: datetime | None,
        alerted: datetime | None,
    ) -> None:
        """The invoice issued when the goods left, due on `due` (a Shanghai day)."""
        shipped, customer = order.times["ship"], order.customer
        out.invoices.append(
            (next(self.ids["invoices"]), f"INV-{shipped.astimezone(SHANGHAI).year}-{order.id:07d}",
             order.id, order.number, customer.id, order.total, "CNY", customer.terms_days,
             shipped, due, paid_at, alerted)
        )  # fmt: skip

    def _bank_reference(self, at: datetime) -> str:
        """Like ICBC-20250312-193482: the bank, the local day and the bank's serial number."""
        random = self.rng.random
        self.bank_serial += 1 + int(random() * 9)
        day = at.astimezone(SHANGHAI)
        bank = BANKS[int(random() * len(BANKS))]
        return f"{bank}-{day.year}{day.month:02d}{day.day:02d}-{self.bank_serial:06d}"

    def _attempt(
        self,
        out: PaymentRows,
        pid: int,
        ref: str,
        created: datetime,
        finished: datetime,
        failure: tuple[str, str],
    ) -> None:
        """The payer's one try with a card: it went through, was declined or asked for 3-D
        Secure."""
        started = min(created + timedelta(seconds=self.rng.randint(5, 30)), finished)
        out.attempts.append(
            (next(self.ids["payment_attempts"]), pid, 1, attempt_key(pid, 1, "confirm"), ref,
             "failed" if failure[0] else "ok", *failure, started, finished)
        )  # fmt: skip

    def _refund(self, out: PaymentRows, pid: int, amount: Decimal, ref: str, at: datetime) -> None:
        out.refunds.append(
            (next(self.ids["payment_refunds"]), pid, amount, "order cancelled",
             f"re_demo{pid:08d}" if ref else "", refund_key(pid, 1), "done", "", None, ACTOR_NAME,
             at)
        )  # fmt: skip


def _why(action: str, method: str, ref: str, reference: str, amount: Decimal) -> tuple[str, str]:
    """The reason and params (JSON text) the payments area writes with this action."""
    if action == "succeed" and method == "bank_transfer":
        return "bank receipt", f'{{"reference": "{reference}"}}'
    if action == "succeed" and method == "cod":
        return "collected on delivery", '{"cod": true}'
    if action in ("succeed", "require_action"):
        status = _NEXT[("pending", action)]
        return "", f'{{"provider_status": "{status}", "source": "webhook", "intent": "{ref}"}}'
    if action == "refund_all":
        return "order cancelled", f'{{"amount": "{amount}", "refunded": "{amount}"}}'
    return ("order cancelled", "{}") if action == "cancel" else ("", "{}")
