"""/finance/journal: entries with filters, paged on the server, each opening to its lines."""

from __future__ import annotations

import reflex as rx

from components.expense_form import expense_button, expense_dialog
from components.finance_journal import HEAD, entry_dialog, entry_row, journal_filters
from components.warehouse_forms import paged_table
from oms_app.pages.layout import shell
from state.expense_entry import ExpenseEntryState as E
from state.finance_journal import FinanceJournalState as S


def finance_journal_page() -> rx.Component:
    t = S.t
    values = {
        "from": S.filter_from,
        "to": S.filter_to,
        "account": S.filter_account,
        "source": S.filter_source,
        "order": S.filter_order,
    }
    return shell(
        "finance.journal.title",
        rx.vstack(
            rx.hstack(
                journal_filters(t, values, S.form_key, S.apply_filters, S.clear_filters),
                rx.spacer(),
                expense_button(t, E.can_post, E.open_form),
                align="end",
                width="100%",
            ),
            rx.cond(S.list_error != "", rx.callout(S.list_error, color_scheme="red")),
            paged_table(
                t,
                HEAD,
                S.rows,
                entry_row(t, S.open_entry),
                total=S.total,
                page=S.page,
                page_count=S.page_count,
                on_page=S.go_to_page,
                table_id="journal",
            ),
            entry_dialog(t, S.entry, S.entry_open, S.close_entry, S.tz),
            expense_dialog(t, E),
            width="100%",
            spacing="3",
        ),
    )
