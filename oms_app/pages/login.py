"""/login"""

from __future__ import annotations

import reflex as rx

from components.full_navigation import full_navigation
from components.shell import language_switch
from state.auth import LoginState


def _demo_table() -> rx.Component:
    t = LoginState.t
    return rx.cond(
        LoginState.demo_accounts.length() > 0,
        rx.box(
            rx.text(t["login.demo_accounts"], weight="bold", size="2"),
            rx.table.root(
                rx.table.body(
                    rx.foreach(
                        LoginState.demo_accounts,
                        lambda a: rx.table.row(
                            rx.table.cell(a["username"]),
                            rx.table.cell(a["password"]),
                            rx.table.cell(t["role." + a["role"].to(str)]),
                            # a click fills the form: quicker than typing while exploring
                            on_click=[
                                rx.set_value("username", a["username"]),
                                rx.set_value("password", a["password"]),
                            ],
                            cursor="pointer",
                            _hover={"background": rx.color("accent", 3)},
                        ),
                    )
                ),
                size="1",
            ),
            id="demo-accounts",
            margin_top="1em",
        ),
    )


def login_page() -> rx.Component:
    t = LoginState.t
    return rx.center(
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.heading(t["login.title"], size="6"),
                    rx.spacer(),
                    language_switch(LoginState.lang, LoginState.set_language),
                    width="100%",
                ),
                rx.form(
                    rx.vstack(
                        rx.text(t["field.username"], size="2"),
                        rx.input(name="username", id="username", width="100%", auto_focus=True),
                        rx.text(t["field.password"], size="2"),
                        rx.input(name="password", id="password", type="password", width="100%"),
                        rx.cond(
                            LoginState.need_totp,
                            rx.vstack(
                                rx.text(t["field.totp_code"], size="2"),
                                rx.text(
                                    t["login.totp_hint"],
                                    size="1",
                                    color_scheme="gray",
                                    id="totp-hint",
                                ),
                                rx.input(
                                    name="totp_code",
                                    id="totp-code",
                                    width="100%",
                                    auto_focus=True,
                                    input_mode="numeric",
                                    auto_complete="one-time-code",
                                    placeholder=t["login.totp_or_recovery"],
                                ),
                                width="100%",
                            ),
                        ),
                        rx.cond(
                            LoginState.error != "",
                            rx.callout(
                                LoginState.error,
                                color_scheme="red",
                                icon="triangle-alert",
                                id="login-error",
                                width="100%",
                            ),
                        ),
                        rx.button(
                            t["login.submit"],
                            type="submit",
                            id="login-submit",
                            width="100%",
                            loading=LoginState.busy,
                            # before hydration a click would post the password in the URL
                            disabled=~LoginState.is_hydrated,
                        ),
                        width="100%",
                    ),
                    on_submit=LoginState.submit,
                    reset_on_submit=False,
                ),
                _demo_table(),
                full_navigation(LoginState.full_navigation),
                width="100%",
            ),
            width="420px",
        ),
        min_height="100vh",
    )
