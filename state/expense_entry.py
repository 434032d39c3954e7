"""/finance/journal's "Enter expense" dialog: an expense checked against its cost centre's budget
and posted to the ledger; a block budget's refusal offers the finance manager's TOTP override."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from decimal import Decimal, InvalidOperation

import reflex as rx

from oms_app.budgets import queries as budget_queries
from oms_app.budgets import service as budgets_service
from oms_app.budgets.errors import BudgetExceeded
from oms_app.core.clock import business_zone, utcnow
from oms_app.core.errors import DomainError, ValidationFailed
from oms_app.ledger import queries as ledger_queries
from oms_app.ledger.exports import money_text
from oms_app.ledger.facts import ExpenseFacts
from state.base import SessionState
from state.finance_journal import FinanceJournalState

PAID_FROM = ("1002", "1001", "2202", "2241")  # bank, cash, payables, other payables
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("99999999999999.99")  # Numeric(16, 2), as the API accepts


def business_today() -> date:
    return utcnow().astimezone(business_zone()).date()


def parse_amount(text: object) -> Decimal:
    """The amount typed in the form: more than zero, in whole cents ("1,234.5" is 1234.50)."""
    raw = str(text or "").replace(",", "").replace(" ", "").strip()
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        amount = Decimal("NaN")
    if (
        not amount.is_finite()
        or amount <= 0
        or amount > MAX_AMOUNT
        or amount != amount.quantize(CENT)
    ):
        raise ValidationFailed("amount", "budgets.error.bad_amount", value=raw or "0")
    return amount.quantize(CENT)


def parse_entry_date(text: object, today: date) -> date:
    """The entry's business date (blank: today in the business zone)."""
    raw = str(text or "").strip()
    if not raw:
        return today
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed("entry_date", "finance.expense.bad_date", value=raw) from None


def expense_facts(form: dict, *, today: date, draft_reference: str) -> ExpenseFacts:
    """The form as the ledger's facts; a blank reference takes the dialog's own draft key so a
    second click never posts twice."""
    account = str(form.get("expense_account") or "").strip()
    if not account:
        raise ValidationFailed("expense_account", "budgets.error.not_expense_account")
    paid_from = str(form.get("paid_from") or PAID_FROM[0]).strip()
    if paid_from not in PAID_FROM:
        raise ValidationFailed("paid_from", "ledger.error.bad_funding", value=paid_from)
    return ExpenseFacts(
        reference=str(form.get("reference") or "").strip()[:64] or draft_reference,
        entry_date=parse_entry_date(form.get("entry_date"), today),
        expense_account=account,
        amount=parse_amount(form.get("amount")),
        paid_from=paid_from,
        memo=str(form.get("memo") or "").strip()[:300],
        cost_centre=str(form.get("cost_centre") or "").strip(),
    )


def account_options(chart: list[dict], locale: str, codes=None) -> list[dict[str, str]]:
    """Chart rows as select options "code name": active expense accounts, or the given codes in
    their order."""
    name = "name_en" if locale == "en" else "name_zh"
    if codes is None:
        rows = [a for a in chart if a["kind"] == "expense" and a["active"]]
    else:
        by_code = {a["code"]: a for a in chart}
        rows = [by_code[c] for c in codes if c in by_code]
    return [{"code": a["code"], "label": f"{a['code']} {a[name]}"} for a in rows]


def refusal_view(err: BudgetExceeded) -> dict[str, str]:
    """What the block budget said: the month's budget, its actual and this expense's amount."""
    return {k: money_text(Decimal(str(err.params[k]))) for k in ("budget", "actual", "amount")}


class ExpenseEntryState(SessionState):
    """The expense dialog: choices from the chart and the budgets, the refusal and the override."""

    is_open: bool = False
    form_key: int = 0
    accounts: list[dict[str, str]] = []
    paid_from: list[dict[str, str]] = []
    cost_centres: list[str] = []
    account: str = ""
    entry_date: str = ""
    error: str = ""
    refusal: dict[str, str] = {}
    _draft_reference: str = ""

    @rx.var
    def can_post(self) -> bool:
        return "ledger.post" in self.permissions

    @rx.var
    def needs_override(self) -> bool:
        return bool(self.refusal)

    @rx.event
    async def open_form(self):
        """A fresh form: today's date, the active expense accounts, a new draft reference."""
        actor = await self._actor()
        if actor is None:
            return
        try:
            chart = await asyncio.to_thread(ledger_queries.list_accounts, self._uow(), actor=actor)
        except DomainError as err:
            return rx.toast.error(self._tr(err.code, **err.params))
        self.accounts = account_options(chart, self.lang)
        self.paid_from = account_options(chart, self.lang, PAID_FROM)
        self.account, self.cost_centres, self.entry_date = "", [], business_today().isoformat()
        self.error, self.refusal = "", {}
        self._draft_reference = f"EXP-{uuid.uuid4().hex[:12]}"
        self.form_key += 1
        self.is_open = True

    @rx.event
    def close_form(self):
        self.is_open = False

    @rx.event
    async def choose_account(self, code: str):
        self.account, self.refusal = str(code or ""), {}  # another budget: check afresh
        await self._load_cost_centres()

    @rx.event
    async def choose_date(self, text: str):
        year_before = self.entry_date[:4]
        self.entry_date = str(text or "")
        if self.entry_date[:4] != year_before:
            await self._load_cost_centres()

    async def _load_cost_centres(self) -> None:
        """The budgeted cost centres of the chosen account and year (none: the field is free)."""
        actor = await self._actor()
        year = self.entry_date[:4]
        if actor is None or not self.account or not year.isdigit():
            self.cost_centres = []
            return
        try:
            self.cost_centres = await asyncio.to_thread(
                budget_queries.list_budgeted_cost_centres,
                self._uow(),
                actor=actor,
                account_code=self.account,
                year=int(year),
            )
        except DomainError as err:
            self.cost_centres, self.error = [], self._tr(err.code, **err.params)

    @rx.event
    async def submit(self, form: dict):
        """Post the expense (with the override code when one is given); on success close the
        dialog, name the new entry and reload the journal."""
        actor = await self._actor()
        if actor is None or not self.is_open:
            return None
        try:
            facts = expense_facts(
                form, today=business_today(), draft_reference=self._draft_reference
            )
            entry_id = await asyncio.to_thread(
                budgets_service.post_budgeted_expense,
                self._uow(),
                facts=facts,
                actor=actor,
                override_totp=str(form.get("override_totp") or "").strip()[:8],
            )
            entry = await asyncio.to_thread(
                ledger_queries.entry_detail, self._uow(), actor=actor, entry_id=entry_id
            )
        except BudgetExceeded as err:
            self.refusal, self.error = refusal_view(err), self._tr(err.code, **err.params)
            return None
        except DomainError as err:
            self.error = self._tr(err.code, **err.params)
            return None
        self.is_open, self.error, self.refusal = False, "", {}
        return [
            rx.toast.success(self._tr("finance.expense.posted", number=entry["number"])),
            FinanceJournalState.load,
        ]
