"""/finance/payments: payments needing attention, overdue invoices, bank receipts, and refunds
and write-offs with four eyes: one clerk proposes, another releases (TOTP) or declines.
Money actions ask for the clerk's current TOTP code; the services check it, the role and who
proposed."""

from __future__ import annotations

import asyncio

import reflex as rx

from oms_app.core.errors import DomainError
from oms_app.core.paging import PageRequest
from oms_app.payments import queries, receipts, refunds, release, settlement, write_offs
from state.base import SessionState
from state.lists import ListState

OVERDUE_PAGE_SIZE = 20


class FinancePaymentsState(SessionState, ListState):
    """The attention list (paged on the server) and the finance clerk's forms."""

    sort: str = "updated"
    descending: bool = True
    overdue: list[dict] = []
    overdue_total: int = 0
    overdue_page: int = 1
    overdue_loaded: bool = False  # "no overdue invoices" only once they were looked for
    notice: str = ""
    form_error: str = ""
    refund_for: int = 0
    write_off_for: str = ""  # the order whose unpaid balance is being written off
    proposals: list[dict] = []  # refunds and write-offs waiting for a second person
    decide_for: int = 0
    decide_mode: str = ""  # release or decline
    form_key: int = 0  # bumped to clear the uncontrolled forms after success

    def _fetch(self, actor, request):
        return queries.list_payments_needing_attention(self._uow(), actor=actor, request=request)

    @rx.event
    async def open_page(self):
        actor = await self._actor()
        if actor is None:
            return
        try:
            await self._load_overdue(actor)
            self.proposals = await asyncio.to_thread(
                queries.list_open_proposals, self._uow(), actor=actor
            )
        except DomainError as err:
            self.list_error = self._error_text(err)
            return
        return FinancePaymentsState.load

    async def _load_overdue(self, actor) -> None:
        page = await asyncio.to_thread(
            queries.list_overdue_invoices,
            self._uow(),
            actor=actor,
            request=PageRequest(page=self.overdue_page, page_size=OVERDUE_PAGE_SIZE, sort="due"),
        )
        self.overdue, self.overdue_total = page["rows"], page["total"]
        self.overdue_loaded = True

    @rx.var
    def overdue_pages(self) -> int:
        return max(1, -(-self.overdue_total // OVERDUE_PAGE_SIZE))

    @rx.event
    async def go_to_overdue_page(self, page: int):
        actor = await self._actor()
        if actor is None:
            return
        self.overdue_page = min(max(1, int(page)), self.overdue_pages)
        try:
            await self._load_overdue(actor)
        except DomainError as err:
            self.list_error = self._error_text(err)

    async def _money_action(self, func, **kwargs) -> bool:
        actor = await self._actor()
        if actor is None:
            return False
        self.notice, self.form_error = "", ""
        try:
            await asyncio.to_thread(func, self._uow(), actor=actor, **kwargs)
        except DomainError as err:
            self.form_error = self._error_text(err)
            return False
        self.form_key += 1
        return True

    @rx.event
    async def record_receipt(self, form: dict):
        """A bank transfer arrived: order, amount, the bank's reference, and a TOTP code."""
        done = await self._money_action(
            receipts.record_bank_receipt,
            order_number=str(form.get("order", "")).strip(),
            amount=str(form.get("amount", "")).strip(),
            reference=str(form.get("reference", "")),
            totp_code=str(form.get("totp_code", "")).strip(),
        )
        if done:
            self.notice = self._tr("finance.receipt_recorded")
            return FinancePaymentsState.open_page

    @rx.event
    def ask_refund(self, payment_id: int):
        self.refund_for, self.form_error = payment_id, ""

    @rx.event
    def close_refund(self):
        self.refund_for = 0

    @rx.event
    async def refund(self, form: dict):
        """Propose a refund; nothing leaves until another finance user releases it."""
        done = await self._money_action(
            refunds.propose_refund,
            payment_id=self.refund_for,
            amount=str(form.get("amount", "")).strip(),
            reason=str(form.get("reason", "")),
        )
        if done:
            self.refund_for, self.notice = 0, self._tr("finance.refund_proposed")
            return FinancePaymentsState.open_page

    @rx.event
    def ask_write_off(self, order_number: str):
        self.write_off_for, self.form_error = order_number, ""

    @rx.event
    def close_write_off(self):
        self.write_off_for = ""

    @rx.event
    async def write_off(self, form: dict):
        """Propose writing off an overdue balance; another finance user releases it."""
        done = await self._money_action(
            write_offs.propose_write_off,
            order_number=self.write_off_for,
            amount=str(form.get("amount", "")).strip(),
            reason=str(form.get("reason", "")),
        )
        if done:
            self.write_off_for, self.notice = "", self._tr("finance.write_off_proposed")
            return FinancePaymentsState.open_page

    @rx.event
    def ask_decision(self, proposal_id: int, mode: str):
        self.decide_for, self.decide_mode, self.form_error = proposal_id, mode, ""

    @rx.event
    def close_decision(self):
        self.decide_for, self.decide_mode = 0, ""

    @rx.event
    async def decide(self, form: dict):
        """Release a proposal with a TOTP code, or decline it with a reason."""
        if self.decide_mode == "release":
            done = await self._money_action(
                release.release_proposal,
                proposal_id=self.decide_for,
                totp_code=str(form.get("totp_code", "")).strip(),
            )
            notice = "finance.proposal_released"
        else:
            done = await self._money_action(
                release.decline_proposal,
                proposal_id=self.decide_for,
                reason=str(form.get("reason", "")),
            )
            notice = "finance.proposal_declined"
        if done:
            self.decide_for, self.decide_mode, self.notice = 0, "", self._tr(notice)
            return FinancePaymentsState.open_page

    @rx.event
    async def withdraw(self, proposal_id: int):
        if await self._money_action(release.withdraw_proposal, proposal_id=proposal_id):
            self.notice = self._tr("finance.proposal_withdrawn")
            return FinancePaymentsState.open_page

    @rx.event
    async def check_with_stripe(self, payment_id: int):
        """Ask the provider where a stuck payment stands and follow it."""
        if await self._money_action(settlement.sync_payment, payment_id=payment_id):
            self.notice = self._tr("finance.checked")
            return FinancePaymentsState.load
