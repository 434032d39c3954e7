"""/orders/[number]"""

from __future__ import annotations

import reflex as rx

from components.data_table import status_badge, translated
from components.date_field import date_field
from components.money import grouped, yuan
from components.order_payments import payment_panel, payment_record
from components.order_shipments import allocation_preview, shipment_list
from components.returns import order_returns, return_request_dialog
from components.timeline import anomaly_chips, customer_timeline, timeline
from components.two_columns import main_and_side
from oms_app.core.permissions import Permission
from oms_app.pages.layout import shell
from state.order_detail import OrderDetailState as S
from state.order_detail import OrderLiveState as Live
from state.order_detail import OrderStaffLiveState as Staff
from state.returns import OrderReturnsState as Returns

ORDER = Live.order


def _staff() -> rx.Var:
    """A hint for the layout; what a customer's state holds is decided on the server."""
    return S.permissions.contains(Permission.ORDER_VIEW.value)


def _money_row(label: str, key: str) -> rx.Component:
    return rx.hstack(rx.text(S.t[label]), rx.spacer(), rx.text(yuan(ORDER[key])), width="100%")


def _lines() -> rx.Component:
    t = S.t
    head = [
        "col.sku",
        "col.name",
        "col.quantity",
        "col.unit",
        "col.price",
        "col.discount",
        "col.line_total",
    ]
    return rx.table.root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(t[h]) for h in head])),
        rx.table.body(
            rx.foreach(
                ORDER["lines"].to(list[dict]),
                lambda ln: rx.table.row(
                    rx.table.cell(ln["sku"]),
                    rx.table.cell(ln["name"]),
                    rx.table.cell(ln["quantity"]),
                    rx.table.cell(translated(t, "unit.", ln["unit"].to(str))),
                    rx.table.cell(grouped(ln["unit_price"]), text_align="right"),
                    rx.table.cell(ln["discount_pct"], "%"),
                    rx.table.cell(grouped(ln["line_total"]), text_align="right"),
                ),
            )
        ),
        size="1",
        width="100%",
        id="order-lines",
    )


def _may_decide() -> rx.Var:
    """A hint for the screen; the service decides for real."""
    role = ORDER["pending_role"].to(str)
    return (
        (role != "")
        & S.permissions.contains(Permission.ORDER_APPROVE.value)
        & (S.roles.contains(role) | S.roles.contains("admin"))
    )


def _decision() -> rx.Component:
    t = S.t
    return rx.cond(
        _may_decide(),
        rx.card(
            rx.cond(
                S.decision_block != "",
                rx.callout(t[S.decision_block], color_scheme="amber", id="decision-blocked"),
                _decision_form(),
            ),
            width="100%",
        ),
    )


def _decision_form() -> rx.Component:
    t = S.t
    return rx.form(
        rx.vstack(
            rx.heading(t["order.your_decision"], size="3"),
            rx.text_area(
                placeholder=t["order.comment"],
                value=S.comment,
                on_change=S.set_comment,
                name="comment",  # Reflex 0.11 submits form controls by name only
                id="decision-comment",
                width="100%",
            ),
            rx.input(
                name="totp_code",
                placeholder=t["field.totp_code"],
                id="decision-totp",
                width="160px",
            ),
            rx.hstack(
                rx.button(t["order.approve"], type="submit", color_scheme="green", id="approve"),
                rx.button(
                    t["order.reject"],
                    type="button",
                    color_scheme="red",
                    variant="soft",
                    on_click=S.reject,
                    id="reject",
                ),
            ),
            rx.cond(S.error != "", rx.callout(S.error, color_scheme="red", id="decision-error")),
            width="100%",
        ),
        on_submit=S.approve,
        reset_on_submit=True,
    )


def _approval_levels() -> rx.Component:
    t = S.t
    level = lambda a: rx.hstack(  # noqa: E731
        rx.text(a["level"], ".", size="2"),
        rx.text(t["role." + a["role"].to(str)], size="2"),
        rx.badge(
            t["approval." + a["status"].to(str)],
            color_scheme=rx.match(
                a["status"].to(str),
                ("approved", "green"),
                ("rejected", "red"),
                ("pending", "amber"),
                "gray",
            ),
        ),
        rx.text(a["decided_by"], size="1", color_scheme="gray"),
        class_name="approval-level",
    )
    return rx.cond(
        Live.approvals.length() > 0,
        rx.card(
            rx.vstack(
                rx.text(t["order.approvals"], weight="bold"),
                rx.foreach(Live.approvals, level),
                spacing="1",
                id="approval-levels",
            ),
            width="100%",
        ),
    )


def _allocation_preview() -> rx.Component:
    """For approvers while the order waits: where it would ship from, and what would wait."""
    return rx.cond(
        (ORDER["status"].to(str) == "pending_approval")
        & S.permissions.contains(Permission.ORDER_APPROVE.value)
        & Staff.has_preview,
        allocation_preview(S.t, Staff.preview_parts, Staff.preview_split, Staff.preview_short),
    )


def _shipments() -> rx.Component:
    return shipment_list(S.t, Live.shipments, Staff.pickup_codes, S.tz, _staff())


def _returns() -> rx.Component:
    """The order's returns; staff who may request returns and the order's customer get the form
    while something shipped is still returnable (the service checks again)."""
    t = S.t
    button = rx.cond(
        Returns.can_request,
        rx.button(
            t["returns.request"], variant="soft", on_click=Returns.open_form, id="request-return"
        ),
    )
    return rx.fragment(
        order_returns(t, Returns.rows, S.tz, button),
        return_request_dialog(
            t,
            is_open=Returns.form_open,
            lines=Returns.form_lines,
            errors=Returns.errors,
            on_open_change=Returns.set_form_open,
            on_close=Returns.close_form,
            on_qty=Returns.set_quantity,
            on_submit=Returns.submit,
        ),
    )


def _risk_and_customer() -> rx.Component:
    return rx.cond(_staff(), _risk_card())


def _risk_card() -> rx.Component:
    t = S.t
    return rx.card(
        rx.vstack(
            rx.text(t["order.risk"], ": ", ORDER["risk_score"], weight="bold"),
            rx.foreach(
                ORDER["risk_factors"].to(list[dict]),
                lambda f: rx.text(t["risk." + f["factor"].to(str)], " +", f["weight"], size="2"),
            ),
            anomaly_chips(t, ORDER["anomaly_codes"].to(list[str])),
            rx.cond(
                S.summary.length() > 0,
                rx.vstack(
                    rx.divider(),
                    rx.text(t["order.last_12_months"], weight="bold", size="2"),
                    rx.text(t["order.summary_orders"], ": ", S.summary["orders"], size="2"),
                    rx.text(t["order.summary_average"], ": ¥", S.summary["average"], size="2"),
                    rx.text(
                        t["order.summary_cancel_rate"],
                        ": ",
                        S.summary["cancel_rate"],
                        "%",
                        size="2",
                    ),
                    rx.text(
                        t["order.summary_exposure"], ": ¥", S.summary["open_exposure"], size="2"
                    ),
                    payment_record(t, S.payment_record),
                    rx.cond(
                        S.summary["return_rate"].to(str) != "",
                        rx.text(
                            t["order.summary_return_rate"],
                            ": ",
                            S.summary["return_rate"],
                            "%",
                            size="2",
                            id="summary-return-rate",
                        ),
                        rx.text(
                            t["order.summary_return_rate"],
                            ": ",
                            t["kpi.no_data"],
                            size="2",
                            color_scheme="gray",
                        ),
                    ),
                    spacing="1",
                ),
            ),
            width="100%",
        ),
        width="100%",
    )


def _template_dialog() -> rx.Component:
    t = S.t
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(t["template.save"], variant="soft", id="save-template")),
        rx.dialog.content(
            rx.dialog.title(t["template.save"]),
            rx.form(
                rx.vstack(
                    rx.input(name="name", placeholder=t["template.name"], id="template-name"),
                    # a starting value, or the first click turns it controlled (and Radix warns)
                    rx.checkbox(t["template.shared"], name="shared", default_checked=False),
                    rx.text(t["template.recurrence"], size="2"),
                    rx.select.root(
                        rx.select.trigger(),
                        rx.select.content(
                            *[
                                rx.select.item(t[f"template.recurrence.{r}"], value=r)
                                for r in ("none", "weekly", "monthly")
                            ]
                        ),
                        name="recurrence",
                        default_value="none",
                    ),
                    rx.hstack(
                        rx.text(t["template.first_run"], size="2"),
                        date_field(t, name="first_run", id="template-first-run"),
                        align="center",
                    ),
                    rx.hstack(
                        rx.dialog.close(rx.button(t["admin.cancel"], variant="soft")),
                        rx.dialog.close(
                            rx.button(t["admin.save"], type="submit", id="template-submit")
                        ),
                    ),
                    spacing="2",
                ),
                on_submit=S.save_template,
            ),
        ),
    )


def _actions() -> rx.Component:
    t = S.t
    return rx.hstack(
        rx.cond(
            S.permissions.contains(Permission.ORDER_CREATE.value),
            rx.hstack(
                rx.link(
                    rx.button(t["order.reorder"], variant="soft", id="reorder"),
                    href="/orders/new?from=" + ORDER["number"].to(str),
                ),
                _template_dialog(),
            ),
        )
    )


def _side() -> rx.Component:
    return rx.vstack(
        rx.card(
            rx.vstack(
                _money_row("order.subtotal", "subtotal"),
                _money_row("order.discount", "discount_total"),
                _money_row("order.tax", "tax_total"),
                _money_row("order.shipping", "shipping_fee"),
                rx.divider(),
                _money_row("order.total", "total"),
                width="100%",
            ),
            width="100%",
        ),
        payment_panel(
            S.t,
            Live.payments,
            Live.payment_rows,
            Live.pay_url,
            S.tz,
            staff=_staff(),
        ),
        _approval_levels(),
        _risk_and_customer(),
        _allocation_preview(),
        _decision(),
        width="100%",
        spacing="3",
    )


def order_detail_page() -> rx.Component:
    t = S.t
    body = main_and_side(
        rx.vstack(
            rx.hstack(
                rx.heading(ORDER["number"], size="5", id="order-number"),
                status_badge(t, ORDER["status"].to(str)),
                align="center",
            ),
            rx.cond(
                _staff(),
                rx.text(ORDER["customer"], " · ", t["channel." + ORDER["channel"].to(str)]),
                rx.text(ORDER["customer"]),
            ),
            _actions(),
            _lines(),
            _shipments(),
            _returns(),
            rx.heading(t["order.timeline"], size="3"),
            rx.cond(
                _staff(), timeline(t, Live.history, S.tz), customer_timeline(t, Live.history, S.tz)
            ),
            width="100%",
            spacing="3",
        ),
        _side(),
        side_width="360px",
    )
    return shell(
        "order.title",
        rx.cond(S.not_found, rx.callout(t["error.not_found"], color_scheme="red"), body),
    )
