"""/finance/statements: 利润表, 资产负债表 and 试算平衡表 for dates the user chooses, each line
drilling down to its account in the journal, and the same statement as PDF or XLSX."""

from __future__ import annotations

import asyncio
from datetime import date
from urllib.parse import urlencode

import reflex as rx

from oms_app.core.clock import business_zone, utcnow
from oms_app.core.errors import DomainError
from oms_app.core.permissions import Actor, Permission
from oms_app.ledger import queries
from oms_app.ledger.exports import KINDS, StatementTable, money_text, statement_table
from state.base import SessionState
from state.links import backend_url

JOURNAL = "/finance/journal"
STATEMENT_FILES = "/api/v1/finance/statements"
LEDGER_TOKEN = "finance:ledger"


def business_today() -> date:
    return utcnow().astimezone(business_zone()).date()


def load_statement(uow, actor: Actor, kind: str, date_from: date, date_to: date) -> dict:
    """The statement of a kind: the balance sheet is taken at the end of `date_to`."""
    if kind == "balance":
        return queries.balance_sheet(uow, actor=actor, at=date_to)
    if kind == "income":
        return queries.income_statement(uow, actor=actor, date_from=date_from, date_to=date_to)
    return queries.trial_balance(uow, actor=actor, to=date_to, date_from=date_from)


def screen_rows(table: StatementTable, text_columns: int, drill_from: str, drill_to: str):
    """The table as the screen shows it: text cells, money cells, a drill-down link."""
    rows = []
    for row in table.rows:
        query = urlencode({"account": row.account, "from": drill_from, "to": drill_to})
        rows.append(
            {
                "text": [str(c) for c in row.cells[:text_columns]],
                "money": [money_text(c) if c != "" else "" for c in row.cells[text_columns:]],
                "bold": row.bold,
                "href": f"{JOURNAL}?{query}" if row.account else "",
            }
        )
    return rows


class FinanceStatementsState(SessionState):
    """One statement at a time, rebuilt from the ledger whenever the dates or the kind change."""

    kind: str = "income"
    date_from: str = ""
    date_to: str = ""
    title: str = ""
    period: str = ""
    head_text: list[str] = []
    head_money: list[str] = []
    rows: list[dict] = []
    balanced: bool = True
    error: str = ""

    @rx.var
    def file_query(self) -> str:
        if self.kind == "balance":
            return urlencode({"at": self.date_to})
        return urlencode({"from": self.date_from, "to": self.date_to})

    @rx.var
    def pdf_href(self) -> str:
        return backend_url(f"{STATEMENT_FILES}/{self.kind}.pdf?{self.file_query}")

    @rx.var
    def xlsx_href(self) -> str:
        return backend_url(f"{STATEMENT_FILES}/{self.kind}.xlsx?{self.file_query}")

    @rx.event
    async def load(self):
        """on_load: this month to date (business days, Asia/Shanghai) unless chosen already."""
        if not self.date_to:
            today = business_today()
            self.date_from, self.date_to = today.replace(day=1).isoformat(), today.isoformat()
        await self._build()

    @rx.event
    async def refresh(self):
        """The ledger moved (see LedgerPulseState): rebuild the statement on screen."""
        if self.date_to:
            await self._build()

    @rx.event
    async def show_kind(self, kind: str | list[str]):
        if kind in KINDS:
            self.kind = kind
            await self._build()

    @rx.event
    async def apply_dates(self, form: dict):
        self.date_from = str(form.get("from") or "").strip() or self.date_from
        self.date_to = str(form.get("to") or "").strip() or self.date_to
        await self._build()

    async def _build(self) -> None:
        actor = await self._actor()
        if actor is None:
            return
        try:
            date_from, date_to = (
                date.fromisoformat(self.date_from),
                date.fromisoformat(self.date_to),
            )
        except ValueError:
            self.error = self._tr("error.date.invalid")
            return
        try:
            args = (self._uow(), actor, self.kind, date_from, date_to)
            statement = await asyncio.to_thread(load_statement, *args)
        except DomainError as err:
            self.error, self.rows = self._error_text(err), []
            return
        self._show(statement)

    def _show(self, statement: dict) -> None:
        table = statement_table(self.kind, statement, self.lang)
        text_columns = 1 if self.kind == "income" else 2
        drill_from = "" if self.kind == "balance" else self.date_from
        self.error, self.title, self.period = "", table.title, table.period
        self.head_text = table.head[:text_columns]
        self.head_money = [h.replace("\n", " ") for h in table.head[text_columns:]]
        self.rows = screen_rows(table, text_columns, drill_from, self.date_to)
        self.balanced = bool(statement.get("balanced", True))


class LedgerPulseState(rx.SharedState):
    """When the ledger last posted, shared by every open statement: the event consumer bumps
    it, and each statement page then rebuilds its own statement for its own dates."""

    posted: str = ""

    @rx.event
    async def connect(self):
        session = await self.get_state(SessionState)
        actor = await session._actor()
        if actor is None or not actor.can(Permission.FINANCE_VIEW):
            return
        await self._link_to(LEDGER_TOKEN)
