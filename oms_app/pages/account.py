"""/account and /account/2fa"""

from __future__ import annotations

import reflex as rx

from components.data_table import translated
from components.recovery_codes import recovery_codes_list, recovery_codes_renewal
from oms_app.pages.layout import shell
from state.account import NO_WAREHOUSE, AccountState
from state.auth import TwoFactorState


def account_page() -> rx.Component:
    t = AccountState.t
    return shell(
        "nav.account",
        rx.vstack(
            rx.text(t["field.username"], ": ", AccountState.username),
            rx.hstack(
                rx.text(t["account.roles"], ": "),
                rx.foreach(AccountState.roles, lambda r: rx.badge(translated(t, "role.", r))),
                id="account-roles",
            ),
            rx.hstack(
                rx.text(t["field.tz"]),
                rx.select(
                    AccountState.zones,
                    value=AccountState.tz,
                    on_change=AccountState.save_zone,
                    id="tz-select",
                ),
            ),
            rx.cond(AccountState.warehouse_options.length() > 0, _my_warehouse()),
            rx.cond(AccountState.error != "", rx.callout(AccountState.error, color_scheme="red")),
            rx.link(t["totp.setup"], href="/account/2fa"),
            spacing="3",
        ),
    )


def _my_warehouse() -> rx.Component:
    t = AccountState.t
    return rx.vstack(
        rx.hstack(
            rx.text(t["account.my_warehouse"]),
            rx.select.root(
                rx.select.trigger(id="my-warehouse-select", aria_label=t["account.my_warehouse"]),
                rx.select.content(
                    rx.select.item(t["account.my_warehouse_none"], value=NO_WAREHOUSE),
                    rx.foreach(
                        AccountState.warehouse_options,
                        lambda w: rx.select.item(w["label"], value=w["code"]),
                    ),
                ),
                value=AccountState.my_warehouse,
                on_change=AccountState.save_my_warehouse,
            ),
            align="center",
        ),
        rx.text(t["account.my_warehouse_hint"], size="1", color_scheme="gray"),
        spacing="1",
    )


def _two_factor_on() -> rx.Component:
    t = TwoFactorState.t
    return rx.vstack(
        rx.callout(t["totp.already"], icon="shield-check", color_scheme="green", id="totp-enabled"),
        rx.cond(
            TwoFactorState.recovery_codes.length() > 0,
            recovery_codes_list(t, TwoFactorState.recovery_codes, TwoFactorState.codes_saved),
            recovery_codes_renewal(t, TwoFactorState.codes_left, TwoFactorState.renew_codes),
        ),
        rx.cond(
            TwoFactorState.error != "",
            rx.callout(TwoFactorState.error, color_scheme="red", id="recovery-error"),
        ),
        spacing="4",
    )


def two_factor_page() -> rx.Component:
    t = TwoFactorState.t
    return shell(
        "totp.title",
        rx.cond(
            TwoFactorState.enabled,
            _two_factor_on(),
            rx.vstack(
                rx.cond(
                    TwoFactorState.pending_totp,
                    rx.callout(t["totp.required"], icon="shield-alert", color_scheme="amber"),
                ),
                rx.text(t["totp.scan"]),
                rx.cond(
                    TwoFactorState.qr != "",
                    rx.image(src=TwoFactorState.qr, width="180px", id="totp-qr"),
                ),
                rx.text(t["totp.secret"], ": ", rx.code(TwoFactorState.secret, id="totp-secret")),
                rx.form(
                    rx.hstack(
                        rx.input(name="totp_code", id="totp-confirm-code", placeholder="123456"),
                        rx.button(t["totp.confirm"], type="submit", id="totp-confirm"),
                    ),
                    on_submit=TwoFactorState.confirm,
                ),
                rx.cond(
                    TwoFactorState.error != "",
                    rx.callout(TwoFactorState.error, color_scheme="red", id="totp-error"),
                ),
                spacing="3",
            ),
        ),
    )
