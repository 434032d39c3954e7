"""/pay/[token]: what the customer owes and the ways to pay it, in their language."""

from __future__ import annotations

import reflex as rx

from components.payment_badges import payment_badge
from state.pay import PayState as S


def _language_switch() -> rx.Component:
    return rx.hstack(
        *[
            rx.button(
                label,
                size="1",
                variant=rx.cond(S.lang == code, "solid", "soft"),
                on_click=S.set_language(code),
                id=f"pay-lang-{code}",
            )
            for code, label in (("zh_CN", "中文"), ("en", "EN"))
        ],
        spacing="1",
    )


def _summary() -> rx.Component:
    t = S.t
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(t["pay.order"], " ", S.order_number, size="4", id="pay-order"),
                rx.spacer(),
                payment_badge(t, S.summary["payment_status"].to(str), "2"),
                width="100%",
                align="center",
                id="pay-status",
            ),
            rx.text(t["pay.total"], ": ", S.summary["total"], " ", S.summary["currency"]),
            rx.text(t["payments.paid"], ": ", S.summary["paid"]),
            rx.heading(
                t["payments.outstanding"],
                ": ",
                S.summary["outstanding"],
                " ",
                S.summary["currency"],
                size="5",
                id="pay-outstanding",
            ),
            width="100%",
        ),
        width="100%",
    )


def _card_form() -> rx.Component:
    t = S.t
    return rx.vstack(
        rx.text(t["pay.card_hint"], size="2", color_scheme="gray"),
        rx.box(
            id="card-element",
            padding="0.75em",
            border="1px solid var(--gray-6)",
            border_radius="6px",
            width="100%",
        ),
        rx.button(
            rx.cond(S.payment_status == "failed", t["pay.retry"], t["pay.pay_now"]),
            on_click=S.pay_card,
            loading=S.busy,
            size="3",
            width="100%",
            id="pay-card-submit",
        ),
        width="100%",
    )


def _wechat() -> rx.Component:
    t = S.t
    return rx.vstack(
        rx.image(src=S.qr_image, width="220px", height="220px", id="wechat-qr"),
        rx.text(t["pay.wechat_scan"], size="2"),
        rx.button(t["pay.check"], on_click=S.check_status, variant="soft", id="pay-check"),
        align="center",
        width="100%",
    )


def _methods() -> rx.Component:
    t = S.t
    return rx.vstack(
        rx.text(t["pay.choose"], weight="bold"),
        rx.hstack(
            rx.cond(
                S.methods.contains("card"),
                rx.button(
                    rx.icon("credit-card"),
                    t["payment.method.card"],
                    on_click=S.choose_card,
                    variant="outline",
                    id="pay-method-card",
                ),
            ),
            rx.cond(
                S.methods.contains("alipay"),
                rx.button(
                    t["payment.method.alipay"],
                    on_click=S.choose_alipay,
                    variant="outline",
                    id="pay-method-alipay",
                ),
            ),
            rx.cond(
                S.methods.contains("wechat_pay"),
                rx.button(
                    t["payment.method.wechat_pay"],
                    on_click=S.choose_wechat,
                    variant="outline",
                    id="pay-method-wechat",
                ),
            ),
            wrap="wrap",
        ),
        rx.cond(S.payment["method"].to(str) == "card", _card_form()),
        rx.cond(S.qr_image != "", _wechat()),
        rx.cond(
            S.payment_status == "requires_action",
            rx.button(
                t["pay.abandon"],
                on_click=S.abandon_waiting,
                loading=S.busy,
                variant="ghost",
                color_scheme="gray",
                id="pay-abandon",
            ),
        ),
        rx.cond(
            S.methods.length() == 1,  # only the bank: no card, Alipay or WeChat Pay set up
            rx.text(t["pay.online_not_set_up"], size="2", color_scheme="gray", id="pay-offline"),
        ),
        _bank_transfer(),
        width="100%",
    )


def _bank_transfer() -> rx.Component:
    """Where to send a transfer, with the order number as the reference."""
    t = S.t
    details = rx.card(
        rx.vstack(
            rx.heading(t["pay.bank_title"], size="3"),
            rx.grid(
                rx.text(t["pay.bank_payee"], color_scheme="gray"),
                rx.text.strong(S.bank["payee"]),
                rx.text(t["pay.bank_bank"], color_scheme="gray"),
                rx.text(S.bank["bank"]),
                rx.text(t["pay.bank_account"], color_scheme="gray"),
                rx.text.strong(S.bank["account"], font_family="monospace"),
                rx.text(t["pay.bank_reference"], color_scheme="gray"),
                rx.text.strong(S.order_number, font_family="monospace"),
                columns="auto 1fr",
                spacing_x="4",
                spacing_y="1",
            ),
            rx.text(t["pay.bank_hint"], size="1", color_scheme="gray"),
            spacing="2",
        ),
        id="pay-bank-details",
        width="100%",
    )
    missing = rx.callout(
        t["pay.bank_not_set_up"], icon="landmark", color_scheme="amber", id="pay-bank-missing"
    )
    return rx.cond(S.bank.length() > 0, details, missing)


def pay_page() -> rx.Component:
    t = S.t
    body = rx.vstack(
        _summary(),
        rx.cond(
            S.message != "",
            rx.callout(S.message, color_scheme="red", icon="triangle-alert", id="pay-error"),
        ),
        rx.cond(
            S.paid_in_full,
            rx.callout(t["pay.thanks"], color_scheme="green", icon="circle-check", id="pay-done"),
            _methods(),
        ),
        width="100%",
        spacing="4",
    )
    return rx.center(
        rx.vstack(
            rx.hstack(
                rx.heading(t["pay.title"], size="6"),
                rx.spacer(),
                _language_switch(),
                width="100%",
                align="center",
            ),
            rx.cond(
                S.invalid,
                rx.callout(t["pay.invalid_link"], color_scheme="red", id="pay-invalid"),
                body,
            ),
            width="100%",
            max_width="520px",
            spacing="4",
            padding="2em 1em",
        ),
        width="100%",
    )
