"""Recovery codes: the once-shown list after enrolment or renewal, and the renewal form."""

from __future__ import annotations

import reflex as rx


def recovery_codes_list(t, codes, on_saved) -> rx.Component:
    """The fresh codes with a warning that they are shown only now."""
    return rx.vstack(
        rx.heading(t["totp.recovery.title"], size="4"),
        rx.callout(t["totp.recovery.help"], icon="key-round", color_scheme="amber"),
        rx.grid(
            rx.foreach(codes, lambda code: rx.code(code, size="3", class_name="recovery-code")),
            columns="2",
            spacing="2",
            id="recovery-codes",
        ),
        rx.button(t["totp.recovery.saved"], on_click=on_saved, id="recovery-codes-saved"),
        spacing="3",
    )


def recovery_codes_renewal(t, codes_left, on_submit) -> rx.Component:
    """How many codes are left, and new ones for a current authenticator code."""
    return rx.vstack(
        rx.heading(t["totp.recovery.title"], size="4"),
        rx.text(t["totp.recovery.left"], ": ", rx.text.span(codes_left, id="recovery-codes-left")),
        rx.text(t["totp.recovery.renew_help"], size="2"),
        rx.form(
            rx.hstack(
                rx.input(
                    name="totp_code",
                    id="recovery-renew-code",
                    placeholder="123456",
                    input_mode="numeric",
                ),
                rx.button(t["totp.recovery.renew"], type="submit", id="recovery-renew"),
            ),
            on_submit=on_submit,
            reset_on_submit=True,
        ),
        spacing="2",
    )
