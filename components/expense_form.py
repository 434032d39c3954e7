"""The "Enter expense" button and dialog of the journal screen: account, amount, date, cost
centre, paid from, reference and memo; a block budget's refusal with the override code field."""

from __future__ import annotations

import reflex as rx

from components.date_field import date_field

SELECT_STYLE = {"padding": "6px", "min_width": "220px"}


def _labelled(label, control: rx.Component) -> rx.Component:
    return rx.vstack(rx.text(label, size="1"), control, spacing="1", width="100%")


def _options(items) -> rx.Component:
    return rx.foreach(items, lambda a: rx.el.option(a["label"], value=a["code"]))


def expense_button(t, can_post, on_open) -> rx.Component:
    """Shown to those who may post to the ledger (the service checks again)."""
    return rx.cond(
        can_post,
        rx.button(t["finance.expense.enter"], on_click=on_open, id="expense-open"),
    )


def _cost_centre(t, cost_centres) -> rx.Component:
    """The account's budgeted cost centres to choose from, or free text when it has none."""
    return _labelled(
        t["finance.expense.cost_centre"],
        rx.cond(
            cost_centres.length() > 0,
            rx.el.select(
                rx.el.option(t["finance.expense.choose"], value=""),
                rx.foreach(cost_centres, lambda c: rx.el.option(c, value=c)),
                name="cost_centre",
                id="expense-cost-centre",
                style=SELECT_STYLE,
            ),
            rx.input(
                name="cost_centre",
                id="expense-cost-centre",
                max_length=32,
                placeholder=t["finance.expense.cost_centre_free"],
            ),
        ),
    )


def _refusal(t, refusal) -> rx.Component:
    """The budget's figures and the finance manager's authenticator code to override it."""
    return rx.callout.root(
        rx.vstack(
            rx.text(t["finance.expense.over_budget"], weight="bold"),
            rx.hstack(
                rx.text(t["finance.expense.month_budget"], ": ", refusal["budget"].to(str)),
                rx.text(t["finance.expense.month_actual"], ": ", refusal["actual"].to(str)),
                rx.text(t["finance.expense.this_amount"], ": ", refusal["amount"].to(str)),
                spacing="4",
                wrap="wrap",
                id="expense-refusal-figures",
            ),
            _labelled(
                t["finance.expense.override"],
                rx.input(
                    name="override_totp",
                    id="expense-override-totp",
                    max_length=8,
                    input_mode="numeric",
                    auto_complete="one-time-code",
                    placeholder="000000",
                    width="10em",
                ),
            ),
            spacing="2",
        ),
        color_scheme="orange",
        id="expense-refusal",
    )


def _fields(t, s) -> rx.Component:
    return rx.vstack(
        _labelled(
            t["finance.expense.account"],
            rx.el.select(
                rx.el.option(t["finance.expense.choose"], value=""),
                _options(s.accounts),
                name="expense_account",
                id="expense-account",
                on_change=s.choose_account,
                style=SELECT_STYLE,
            ),
        ),
        rx.hstack(
            _labelled(
                t["finance.expense.amount"],
                rx.input(
                    name="amount", id="expense-amount", input_mode="decimal", placeholder="0.00"
                ),
            ),
            _labelled(
                t["finance.expense.entry_date"],
                date_field(
                    t,
                    name="entry_date",
                    id="expense-date",
                    default_value=s.entry_date,
                    on_blur=s.choose_date,  # the whole date, not each keystroke
                ),
            ),
            width="100%",
        ),
        _cost_centre(t, s.cost_centres),
        _labelled(
            t["finance.expense.paid_from"],
            rx.el.select(
                _options(s.paid_from), name="paid_from", id="expense-paid-from", style=SELECT_STYLE
            ),
        ),
        _labelled(
            t["finance.expense.reference"],
            rx.input(name="reference", id="expense-reference", max_length=64),
        ),
        _labelled(
            t["finance.journal.memo"], rx.input(name="memo", id="expense-memo", max_length=300)
        ),
        width="100%",
        spacing="3",
    )


def expense_dialog(t, s) -> rx.Component:
    """The dialog; `s` is the expense entry state class (its vars and handlers)."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t["finance.expense.title"]),
            rx.form(
                rx.vstack(
                    _fields(t, s),
                    rx.cond(
                        s.error != "",
                        rx.callout(s.error, color_scheme="red", id="expense-error", width="100%"),
                    ),
                    rx.cond(s.needs_override, _refusal(t, s.refusal)),
                    rx.hstack(
                        rx.button(t["finance.expense.submit"], type="submit", id="expense-submit"),
                        rx.button(
                            t["finance.journal.close"],
                            type="button",
                            variant="soft",
                            on_click=s.close_form,
                        ),
                        spacing="2",
                    ),
                    width="100%",
                    spacing="3",
                ),
                on_submit=s.submit,
                key=s.form_key,
                id="expense-form",
            ),
            max_width="560px",
        ),
        open=s.is_open,
        on_open_change=lambda _open: s.close_form(),
    )
