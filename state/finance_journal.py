"""/finance/journal: journal entries by dates, account, source type and order, paged on the
server; an entry opens to its lines and links to the order or shipment behind it."""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal

import reflex as rx

from oms_app import routes
from oms_app.core.errors import DomainError, ValidationFailed
from oms_app.ledger import queries
from oms_app.ledger.exports import money_text
from oms_app.ledger.memos import shown_memo
from state.base import SessionState
from state.lists import ListState

SOURCE_TYPES = tuple(queries.SOURCE_LINKS)
URL_FILTERS = {
    "account": "filter_account",
    "from": "filter_from",
    "to": "filter_to",
    "source": "filter_source",
    "order": "filter_order",
}


def _day(field: str, text: str) -> date | None:
    """A filter day; one that is no day (2026-02-30) is refused, not silently dropped."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise ValidationFailed(field, "error.date.invalid") from None


def source_href(source_type: str, source_key: str, order_number: str | None) -> str:
    """Where the UI shows the entry's source: the order page (shipments live on it)."""
    if order_number:
        return routes.order_route(order_number)
    if source_type == "reversal" and source_key:
        return f"{routes.FINANCE_JOURNAL}?entry={source_key}"
    return ""


def _money_or_blank(text: str) -> str:
    amount = Decimal(text)
    return money_text(amount) if amount else ""


def entry_view(detail: dict, locale: str) -> dict:
    """An entry's detail as the dialog shows it: money with two decimals, account names."""
    return {
        "id": detail["id"],
        "number": detail["number"],
        "entry_date": detail["entry_date"],
        "posted_at": detail["posted_at"],
        "memo": shown_memo(detail["memo"], locale),
        "source_type": detail["source_type"],
        "source_key": detail["source_key"],
        "order_number": detail["order_number"] or "",
        "reversed_by": detail["reversed_by_entry_id"] or 0,
        "source_href": source_href(
            detail["source_type"], detail["source_key"], detail["order_number"]
        ),
        "lines": [
            {
                "account": line["account_code"],
                "name": line["name_en"] if locale == "en" else line["name_zh"],
                "debit": _money_or_blank(line["debit"]),
                "credit": _money_or_blank(line["credit"]),
            }
            for line in detail["lines"]
        ],
    }


class FinanceJournalState(SessionState, ListState):
    """The journal list (one page of entries) and the entry opened in the dialog."""

    sort: str = "date"
    descending: bool = True
    filter_account: str = ""
    filter_from: str = ""
    filter_to: str = ""
    filter_source: str = ""
    filter_order: str = ""
    form_key: int = 0
    entry: dict = {}
    entry_open: bool = False

    def _filters(self) -> queries.JournalFilter:
        return queries.JournalFilter(
            date_from=_day("date_from", self.filter_from),
            date_to=_day("date_to", self.filter_to),
            account=self.filter_account.strip(),
            source_type=self.filter_source if self.filter_source in SOURCE_TYPES else "",
            order_number=self.filter_order.strip(),
        )

    def _fetch(self, actor, request):
        page = queries.list_entries(
            self._uow(), actor=actor, filters=self._filters(), request=request
        )
        for row in page["rows"]:
            row["amount"] = money_text(Decimal(row["amount"]))
            row["order_number"] = row["order_number"] or ""
            row["memo"] = shown_memo(row["memo"], self.lang)
            row["href"] = source_href(row["source_type"], row["source_key"], row["order_number"])
        return page

    @rx.event
    async def open_page(self):
        """on_load: the URL's filters (a statement line's drill-down), then the first page."""
        params = self.router.page.params
        if any(key in params for key in (*URL_FILTERS, "entry")):
            for param, var in URL_FILTERS.items():
                setattr(self, var, str(params.get(param, "") or ""))
            self.page, self.form_key = 1, self.form_key + 1
        await self._load_page()
        entry = str(params.get("entry", "") or "")
        if entry.isdigit():
            await self._open(int(entry))

    @rx.event
    def apply_filters(self, form: dict):
        for param, var in URL_FILTERS.items():
            value = str(form.get(param, "") or "").strip()
            setattr(self, var, "" if value == "all" else value)
        self.page = 1
        return FinanceJournalState.load

    @rx.event
    def clear_filters(self):
        for var in URL_FILTERS.values():
            setattr(self, var, "")
        self.page, self.form_key = 1, self.form_key + 1
        return FinanceJournalState.load

    @rx.event
    async def open_entry(self, entry_id: int):
        await self._open(entry_id)

    async def _open(self, entry_id: int) -> None:
        actor = await self._actor()
        if actor is None:
            return
        try:
            detail = await asyncio.to_thread(
                queries.entry_detail, self._uow(), actor=actor, entry_id=entry_id
            )
        except DomainError as err:
            self.list_error = self._error_text(err)
            return
        self.entry, self.entry_open = entry_view(detail, self.lang), True

    @rx.event
    def close_entry(self):
        self.entry_open = False
