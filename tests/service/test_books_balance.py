"""The books balance under any mix of business events (hypothesis stateful, real PostgreSQL).

After every step: the trial balance sums to zero, assets = liabilities + equity (this year's
profit included, and equal to the income statement's net profit), and each order's receivable
less its advance receipts is what the facts say the customer owes.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from oms_app.core.db import UnitOfWork
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.ledger import queries, service
from oms_app.ledger.errors import LedgerConflict, PeriodIsClosed
from oms_app.ledger.facts import GoodsReceivedFacts, StockAdjustmentFacts
from tests.factories.ledger import at_noon, goods_return, payment, refund, shipment

D = Decimal
SYS = SYSTEM_ACTOR
ORDERS = (1, 2, 3)
DAYS = [date(2026, 3, d) for d in (1, 9, 17, 31)] + [date(2026, 4, 1)]
cents = st.integers(min_value=1, max_value=500_000).map(lambda n: D(n) / 100)
methods = st.sampled_from(["card", "alipay", "wechat_pay", "bank_transfer", "cod"])


class Books(RuleBasedStateMachine):
    """Random shipments, payments, refunds, returns, write-offs, stock events, replays, and
    March closing and reopening (a posting into a closed month must change nothing)."""

    def __init__(self) -> None:
        super().__init__()
        with UnitOfWork() as uow:
            uow.session.execute(
                sa.text(
                    "TRUNCATE journal_lines, journal_entries, accounting_periods, outbox "
                    "RESTART IDENTITY CASCADE"
                )
            )
            uow.commit()
        self.owed: dict[int, Decimal] = defaultdict(lambda: D("0.00"))  # net the customer owes
        self.shipped_revenue: dict[int, Decimal] = defaultdict(lambda: D("0.00"))
        self.payments: dict[int, tuple[int, str, Decimal]] = {}  # id -> order, method, unrefunded
        self.posted: list = []  # (post function, facts) for idempotency replays
        self.serial = 0

    def _next(self) -> int:
        self.serial += 1
        return self.serial

    def _post(self, post, facts) -> bool:
        """Post; False (and the books unchanged) when the day's period is closed."""
        before = self._entry_count()
        try:
            post(UnitOfWork(), facts=facts, actor=SYS)
        except PeriodIsClosed:
            assert self._entry_count() == before
            return False
        self.posted.append((post, facts))
        return True

    def _entry_count(self) -> int:
        with UnitOfWork() as uow:
            return uow.session.scalar(sa.text("SELECT count(*) FROM journal_entries"))

    @rule(
        order=st.sampled_from(ORDERS),
        revenue=cents,
        fee=st.sampled_from(["0", "8.00"]),
        day=st.sampled_from(DAYS),
    )
    def ship(self, order, revenue, fee, day):
        facts = shipment(
            f"SH-{self._next()}",
            order,
            str(revenue),
            on=at_noon(day),
            fee=fee,
            cost=str((revenue * D("0.6")).quantize(D("0.01"))),
        )
        if not self._post(service.post_shipment, facts):
            return
        self.owed[order] += facts.revenue + facts.vat + facts.shipping_fee
        self.shipped_revenue[order] += facts.revenue

    @rule(order=st.sampled_from(ORDERS), amount=cents, method=methods, day=st.sampled_from(DAYS))
    def pay(self, order, amount, method, day):
        payment_id = self._next()
        facts = payment(payment_id, order, str(amount), on=at_noon(day), method=method)
        if not self._post(service.post_payment, facts):
            return
        self.payments[payment_id] = (order, method, amount)
        self.owed[order] -= amount

    @rule(data=st.data(), day=st.sampled_from(DAYS))
    def give_back(self, data, day):
        open_payments = sorted(p for p, (_, _, left) in self.payments.items() if left > 0)
        if not open_payments:
            return
        payment_id = data.draw(st.sampled_from(open_payments))
        order, method, left = self.payments[payment_id]
        amount = data.draw(st.integers(1, int(left * 100)).map(lambda n: D(n) / 100))
        facts = refund(self._next(), payment_id, order, str(amount), on=at_noon(day), method=method)
        if not self._post(service.post_refund, facts):
            return
        self.payments[payment_id] = (order, method, left - amount)
        self.owed[order] += amount

    @rule(order=st.sampled_from(ORDERS), share=st.integers(1, 100), day=st.sampled_from(DAYS))
    def take_back(self, order, share, day):
        revenue = (self.shipped_revenue[order] * share / 100).quantize(D("0.01"))
        if revenue <= 0:
            return
        facts = goods_return(
            f"RMA-{self._next()}",
            order,
            str(revenue),
            on=at_noon(day),
            cost=str((revenue * D("0.6")).quantize(D("0.01"))),
        )
        if not self._post(service.post_return, facts):
            return
        self.shipped_revenue[order] -= revenue
        self.owed[order] -= facts.revenue + facts.vat

    @rule(order=st.sampled_from(ORDERS), day=st.sampled_from(DAYS))
    def write_off(self, order, day):
        receivable = service.order_balance(UnitOfWork(), order_id=order, account_code="1122")
        if not 0 < receivable <= 10:  # only small leftovers are written off
            return
        facts = payment(self._next(), order, str(receivable), on=at_noon(day), method="write_off")
        if self._post(service.post_payment, facts):
            self.owed[order] -= receivable

    @rule(cost=cents, day=st.sampled_from(DAYS))
    def receive_goods(self, cost, day):
        facts = GoodsReceivedFacts(
            receipt_key=f"PO-{self._next()}", received_at=at_noon(day), cost=cost
        )
        self._post(service.post_goods_received, facts)

    @rule(
        change=st.integers(-50_000, 50_000).filter(bool).map(lambda n: D(n) / 100),
        day=st.sampled_from(DAYS),
    )
    def adjust_stock(self, change, day):
        facts = StockAdjustmentFacts(
            adjustment_key=f"ADJ-{self._next()}", adjusted_at=at_noon(day), value_change=change
        )
        self._post(service.post_stock_adjustment, facts)

    @rule(close=st.booleans())
    def close_or_reopen_march(self, close):
        try:
            if close:
                service.close_period(UnitOfWork(), period="2026-03", actor=SYS)
            else:
                service.reopen_period(UnitOfWork(), period="2026-03", reason="late", actor=SYS)
        except LedgerConflict:  # already closed / not closed
            pass

    @rule(data=st.data())
    def report_again(self, data):
        if self.posted:
            post, facts = data.draw(st.sampled_from(self.posted))
            before = self._entry_count()
            post(UnitOfWork(), facts=facts, actor=SYS)  # even into a closed month: a no-op
            assert self._entry_count() == before

    @invariant()
    def trial_balance_sums_to_zero(self):
        tb = queries.trial_balance(UnitOfWork(), actor=SYS, to=date(2026, 12, 31))
        assert tb["balanced"], tb["totals"]
        assert tb["totals"]["balance"] == "0.00"

    @invariant()
    def assets_equal_liabilities_and_equity(self):
        sheet = queries.balance_sheet(UnitOfWork(), actor=SYS, at=date(2026, 12, 31))
        assert sheet["balanced"]
        assert sheet["assets"]["total"] == sheet["liabilities_and_equity"]
        profit = queries.income_statement(
            UnitOfWork(),
            actor=SYS,
            date_from=date(2026, 1, 1),
            date_to=date(2026, 12, 31),
            compare=(),
        )
        net = next(x for x in profit["lines"] if x["key"] == "net_profit")["values"]["current"]
        current = next(x for x in sheet["equity"]["lines"] if x["key"] == "current_year_profit")
        assert current["amount"] == net

    @invariant()
    def each_orders_receivable_and_advance_match_the_facts(self):
        for order in ORDERS:
            receivable = service.order_balance(UnitOfWork(), order_id=order, account_code="1122")
            advance = -service.order_balance(UnitOfWork(), order_id=order, account_code="2203")
            assert receivable - advance == self.owed[order]
            assert not (receivable > 0 and advance > 0), (receivable, advance)


def test_the_books_balance_after_every_step_of_any_business_day(uow):
    run_state_machine_as_test(
        Books,
        settings=settings(
            max_examples=25,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
