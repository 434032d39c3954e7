"""The small dialogs of the approval queue: a reject reason, a step-up code (or the way to 2FA)."""

from __future__ import annotations

import reflex as rx

ACCOUNT_2FA = "/account/2fa"


def _summary(t: rx.Var, target: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.text(target["number"].to(str), weight="bold", white_space="nowrap"),
        rx.text(target["customer"].to(str), size="2", color_scheme="gray", truncate=True),
        rx.spacer(),
        rx.text("¥", target["total"].to(str), weight="bold"),
        width="100%",
        align="center",
    )


def _error(error: rx.Var) -> rx.Component:
    return rx.cond(
        error != "",
        rx.callout(error, icon="triangle-alert", color_scheme="red", size="1", id="dialog-error"),
    )


def _buttons(t: rx.Var, label: str, color: str, on_cancel, button_id: str) -> rx.Component:
    return rx.hstack(
        rx.button(
            t["approvals.cancel"],
            variant="soft",
            color_scheme="gray",
            on_click=on_cancel,
            type="button",
        ),
        rx.button(t[label], color_scheme=color, type="submit", id=button_id),
        justify="end",
        spacing="2",
        width="100%",
    )


def _reject_body(t, error, on_submit, on_cancel) -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text(t["approvals.reject_reason"], size="2", as_="label", html_for="reject-reason"),
            rx.text_area(
                name="comment", id="reject-reason", auto_focus=True, rows="3", width="100%"
            ),
            _error(error),
            _buttons(t, "approvals.reject", "red", on_cancel, "confirm-reject"),
            spacing="3",
        ),
        on_submit=on_submit,
        reset_on_submit=False,
    )


def _step_up_body(
    t, error, has_totp, step_up_amount, on_submit, on_cancel, needs_code, needs_reason
) -> rx.Component:
    """Approve: the authenticator code from the step-up amount, and the reason when an
    administrator stands in for a level; without an authenticator, the way to enrol."""
    code = rx.fragment(
        rx.text(t["approvals.step_up_note"], " (≥ ¥", step_up_amount, ")", size="2"),
        rx.input(
            name="totp_code",
            id="approve-totp",
            placeholder="123456",
            input_mode="numeric",
            auto_complete="one-time-code",
            max_length=8,
            auto_focus=True,
            width="10em",
        ),
    )
    reason = rx.vstack(
        rx.text(t["approvals.stand_in_note"], size="2"),
        rx.text_area(name="comment", id="approve-reason", rows="2", width="100%"),
        width="100%",
    )
    ask_code = rx.form(
        rx.vstack(
            rx.cond(needs_code, code),
            rx.cond(needs_reason, reason),
            _error(error),
            _buttons(t, "approvals.approve", "green", on_cancel, "confirm-approve"),
            spacing="3",
        ),
        on_submit=on_submit,
        reset_on_submit=True,  # a used or wrong code is of no further use
    )
    enrol = rx.vstack(
        rx.callout(
            t["approvals.totp_not_enrolled"],
            icon="shield-alert",
            color_scheme="amber",
            id="totp-not-enrolled",
        ),
        rx.text(t["approvals.totp_enrol_steps"], size="2"),
        rx.hstack(
            rx.button(
                t["approvals.cancel"], variant="soft", color_scheme="gray", on_click=on_cancel
            ),
            rx.link(
                rx.button(rx.icon("shield-check", size=14), t["approvals.enrol_2fa"]),
                href=ACCOUNT_2FA,
                id="enrol-2fa",
            ),
            justify="end",
            spacing="2",
            width="100%",
        ),
        spacing="3",
    )
    return rx.cond(has_totp | ~needs_code, ask_code, enrol)


def decision_dialog(t: rx.Var, s, handlers: dict) -> rx.Component:
    """Open while the state names a dialog; Esc or Cancel closes it and nothing changes."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(
                rx.cond(
                    s.dialog == "reject", t["approvals.reject_title"], t["approvals.approve_title"]
                ),
                size="4",
            ),
            # a <div>, not the default <p>: the summary is a row of blocks
            rx.dialog.description(
                _summary(t, s.target), margin_bottom="0.75em", custom_attrs={"as": "div"}
            ),
            rx.cond(
                s.dialog == "reject",
                _reject_body(t, s.dialog_error, handlers["reject"], handlers["cancel"]),
                _step_up_body(
                    t,
                    s.dialog_error,
                    s.has_totp,
                    s.step_up_amount,
                    handlers["approve"],
                    handlers["cancel"],
                    s.target["step_up"].to(bool),
                    s.needs_reason,
                ),
            ),
            max_width="440px",
            id="decision-dialog",
        ),
        open=s.dialog != "",
        on_open_change=handlers["open_change"],
    )
