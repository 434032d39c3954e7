"""/approvals: the approver's queue, sorted and filtered on the server, decided row by row."""

from __future__ import annotations

import reflex as rx

from components.approval_cards import queue_list
from components.approval_dialog import decision_dialog
from components.approval_toolbar import (
    filter_form,
    key_bindings,
    key_hint,
    level_switch,
    pager,
    sort_switch,
)
from oms_app.pages.layout import KEEP_ALIVE_MS, shell
from state.approval_queue import ApprovalQueueState as Q
from state.approvals_board import ApprovalBoardState as B


def queue_follower() -> rx.Component:
    """Hidden: each new stamp of the shared pulse re-mounts the box, whose mount re-reads this
    tab's page; the timer keeps the link to the pulse alive."""
    return rx.fragment(
        rx.fragment(rx.box(on_mount=Q.refresh, display="none"), key=B.stamp),
        rx.moment(interval=KEEP_ALIVE_MS, on_change=B.connect, display="none"),
    )


def toolbar() -> rx.Component:
    t = Q.t
    return rx.vstack(
        rx.hstack(
            rx.heading(B.total, " ", t["approvals.waiting_total"], size="4", id="queue-total"),
            rx.cond(
                B.overdue > 0,
                rx.badge(B.overdue, " ", t["approvals.overdue"], color_scheme="red"),
            ),
            rx.spacer(),
            key_hint(t),
            width="100%",
            align="center",
            spacing="3",
        ),
        rx.hstack(
            level_switch(t, Q.role, B.counts, Q.set_role),
            sort_switch(t, Q.sort, Q.reverse, Q.set_sort, Q.toggle_reverse),
            spacing="4",
            wrap="wrap",
            align="center",
        ),
        filter_form(t, Q, Q.apply_filters, Q.clear_filters),
        rx.cond(
            Q.filter_error != "",
            rx.callout(Q.filter_error, color_scheme="red", size="1", id="queue-filter-error"),
        ),
        width="100%",
        spacing="2",
    )


def approvals_page() -> rx.Component:
    t = Q.t
    return shell(
        "nav.approvals",
        rx.vstack(
            toolbar(),
            queue_list(
                t,
                Q.rows,
                Q.selected,
                Q.card_errors,
                {"approve": Q.approve_row, "reject": Q.reject_row, "select": Q.select},
            ),
            rx.hstack(rx.spacer(), pager(t, Q.page, Q.pages, Q.total, Q.go_page), width="100%"),
            decision_dialog(
                t,
                Q,
                {
                    "approve": Q.confirm_approve,
                    "reject": Q.confirm_reject,
                    "cancel": Q.close_dialog,
                    "open_change": Q.dialog_open_change,
                },
            ),
            key_bindings(Q.move, Q.approve_selected, Q.reject_selected),
            queue_follower(),
            width="100%",
            spacing="3",
        ),
    )
