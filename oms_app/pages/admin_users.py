"""/admin/users"""

from __future__ import annotations

import reflex as rx

from oms_app.pages.admin_banner import admin_banner
from oms_app.pages.layout import shell
from state.admin_users import AdminUsersState as S


def _role_names(codes: rx.Var) -> rx.Component:
    """The user's roles by their names in the reader's language ("sales_manager" -> 销售经理)."""
    return rx.cond(
        codes != "",
        rx.flex(
            rx.foreach(codes.split(", "), lambda code: rx.badge(S.t["role." + code], size="1")),
            wrap="wrap",
            spacing="1",
        ),
    )


def _user_row(u) -> rx.Component:
    t = S.t
    return rx.table.row(
        rx.table.cell(u["username"]),
        rx.table.cell(u["display_name"], min_width="7em"),
        rx.table.cell(_role_names(u["roles"].to(str))),
        rx.table.cell(
            rx.cond(u["active"], t["admin.active"], t["admin.disabled"]), white_space="nowrap"
        ),
        rx.table.cell(rx.cond(u["totp"], "✓", "—")),
        rx.table.cell(rx.cond(u["locked"], rx.badge(t["admin.locked"], color_scheme="red"), "")),
        rx.table.cell(u["last_login"], white_space="nowrap"),
        rx.table.cell(
            rx.hstack(
                _roles_dialog(u),
                rx.button(
                    t["admin.reset_totp"], size="1", variant="soft", on_click=S.reset_totp(u["id"])
                ),
                rx.cond(
                    u["locked"],
                    rx.button(
                        t["admin.unlock"], size="1", variant="soft", on_click=S.unlock(u["id"])
                    ),
                ),
                rx.button(
                    rx.cond(u["active"], t["admin.disable"], t["admin.enable"]),
                    size="1",
                    variant="soft",
                    on_click=S.set_active(u["id"], ~u["active"].to(bool)),
                ),
            )
        ),
    )


def _roles_dialog(u) -> rx.Component:
    """Edit a user's roles: tick the roles, save replaces them all."""
    t = S.t
    return rx.dialog.root(
        rx.dialog.trigger(
            rx.button(
                t["admin.edit_roles"],
                size="1",
                variant="soft",
                on_click=S.start_role_edit(u["id"], u["roles"]),
            )
        ),
        rx.dialog.content(
            rx.dialog.title(t["admin.edit_roles"], " · ", u["username"]),
            rx.vstack(
                rx.foreach(
                    S.role_codes,
                    lambda r: rx.checkbox(
                        t["role." + r],
                        checked=S.edit_roles.contains(r),
                        on_change=lambda _v: S.toggle_edit_role(r),
                    ),
                ),
                spacing="2",
            ),
            rx.hstack(
                rx.dialog.close(rx.button(t["admin.cancel"], variant="soft")),
                rx.dialog.close(rx.button(t["admin.save"], on_click=S.save_roles, id="save-roles")),
                justify="end",
                margin_top="1em",
            ),
        ),
    )


def _create_form() -> rx.Component:
    t = S.t
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(t["admin.new_user"], size="3"),
                rx.hstack(
                    rx.input(name="username", placeholder=t["field.username"], id="new-username"),
                    rx.input(
                        name="display_name",
                        placeholder=t["field.display_name"],
                        id="new-display-name",
                    ),
                    rx.input(name="email", placeholder=t["field.email"]),
                    rx.input(
                        name="password",
                        type="password",
                        placeholder=t["field.password"],
                        id="new-password",
                    ),
                    wrap="wrap",
                ),
                rx.hstack(
                    rx.foreach(
                        S.role_codes,
                        lambda r: rx.checkbox(
                            t["role." + r],
                            checked=S.form_roles.contains(r),
                            on_change=lambda _v: S.toggle_form_role(r),
                            white_space="nowrap",
                        ),
                    ),
                    wrap="wrap",
                ),
                rx.cond(
                    S.form_error != "",
                    rx.callout(S.form_error, color_scheme="red", id="new-user-error"),
                ),
                rx.button(t["admin.create"], type="submit", id="create-user"),
            ),
            on_submit=S.create_user,
            reset_on_submit=False,
        )
    )


def _api_keys() -> rx.Component:
    t = S.t
    return rx.card(
        rx.vstack(
            rx.heading(t["admin.api_keys"], size="3"),
            rx.form(
                rx.hstack(
                    rx.input(name="name", placeholder=t["field.name"], id="key-name"),
                    rx.button(t["admin.create_key"], type="submit", id="create-key"),
                ),
                on_submit=S.create_key,
            ),
            rx.cond(S.key_error != "", rx.callout(S.key_error, color_scheme="red")),
            rx.cond(
                S.new_key != "",
                rx.callout(
                    rx.vstack(rx.text(t["admin.key_once"]), rx.code(S.new_key, id="new-key")),
                    color_scheme="green",
                ),
            ),
            rx.table.root(
                rx.table.body(
                    rx.foreach(
                        S.api_keys,
                        lambda k: rx.table.row(
                            rx.table.cell(k["name"]),
                            rx.table.cell(k["prefix"].to(str) + "…"),
                            rx.table.cell(k["owner"]),
                            rx.table.cell(k["created"]),
                            rx.table.cell(k["last_used"]),
                            rx.table.cell(
                                rx.cond(
                                    k["revoked"],
                                    t["admin.revoked"],
                                    rx.button(
                                        t["admin.revoke"],
                                        size="1",
                                        color_scheme="red",
                                        variant="soft",
                                        on_click=S.revoke_key(k["id"]),
                                    ),
                                )
                            ),
                        ),
                    )
                )
            ),
            width="100%",
        )
    )


def admin_users_page() -> rx.Component:
    t = S.t
    header = [
        "field.username",
        "field.display_name",
        "account.roles",
        "admin.status",
        "admin.totp",
        "admin.lock",
        "admin.last_login",
        "admin.actions",
    ]
    return shell(
        "nav.admin_users",
        rx.vstack(
            admin_banner(),
            _create_form(),
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(t[h]) for h in header])),
                rx.table.body(rx.foreach(S.users, _user_row)),
                width="100%",
                id="users-table",
                size="1",
            ),
            _api_keys(),
            width="100%",
            spacing="4",
        ),
    )
