"""/approvals/policy"""

from __future__ import annotations

import reflex as rx

from oms_app.pages.layout import shell
from state.approval_policy import NUMBER_CONDITIONS
from state.approval_policy import ApprovalPolicyState as S


def _rule_row(rule) -> rx.Component:
    t = S.t
    return rx.table.row(
        rx.table.cell(rule["priority"]),
        rx.table.cell(rule["title"], min_width="8em"),
        rx.table.cell(rule["summary"], min_width="10em"),
        rx.table.cell(
            rx.foreach(
                rule["levels"].to(list[str]),
                lambda level: rx.badge(t["role." + level], margin_right="4px"),
            )
        ),
        rx.table.cell(rule["sla_hours"], " h"),
        rx.table.cell(
            rx.switch(
                checked=rule["active"].to(bool), on_change=lambda v: S.toggle_rule(rule["id"], v)
            )
        ),
        rx.table.cell(_edit_dialog(rule)),
        class_name="policy-row",
    )


def _rule_fields(rule=None) -> list[rx.Component]:
    """The inputs of a decision-table row; `rule` (a row var) fills them when editing.

    Each checkbox is given a starting value: without one, Radix's checkbox becomes controlled at
    its first click and logs a warning."""
    t = S.t
    cond = rule["form"].to(dict) if rule is not None else None
    anomalies = cond["anomalies_any"].to(list[str]) if cond is not None else None
    levels = rule["levels"].to(list[str]) if rule is not None else None

    def value(key: str, source=None):
        source = source if source is not None else cond
        return {} if source is None else {"default_value": source[key].to(str)}

    numbers = [
        rx.input(name=key, placeholder=t["policy." + key], width="150px", **value(key))
        for key in NUMBER_CONDITIONS
    ]
    return [
        rx.hstack(
            rx.input(
                name="name",
                placeholder=t["field.name"],
                width="260px",
                **value("name", rule),
                **({} if rule is not None else {"id": "rule-name"}),
            ),
            rx.input(
                name="priority",
                placeholder=t["policy.priority"],
                width="100px",
                **value("priority", rule),
            ),
            rx.input(
                name="sla_hours",
                placeholder=t["policy.sla_hours"],
                width="120px",
                **value("sla_hours", rule),
            ),
        ),
        rx.flex(
            *numbers,
            rx.input(
                name="tiers",
                placeholder=t["policy.tiers"],
                width="150px",
                **({} if cond is None else {"default_value": cond["tiers"].to(str)}),
            ),
            wrap="wrap",
            spacing="2",
        ),
        rx.hstack(
            rx.text(t["policy.anomalies_any"], size="2"),
            rx.foreach(
                S.anomaly_codes,
                lambda code: rx.checkbox(
                    t["anomaly." + code],
                    name="anomaly_" + code,
                    default_checked=False if anomalies is None else anomalies.contains(code),
                ),
            ),
            wrap="wrap",
        ),
        rx.hstack(
            rx.text(t["policy.levels"], size="2"),
            rx.foreach(
                S.level_roles,
                lambda role: rx.checkbox(
                    t["role." + role],
                    name="level_" + role,
                    default_checked=False if levels is None else levels.contains(role),
                ),
            ),
        ),
    ]


def _edit_dialog(rule) -> rx.Component:
    t = S.t
    return rx.dialog.root(
        rx.dialog.trigger(
            rx.button(t["policy.edit"], size="1", variant="soft", class_name="edit-rule")
        ),
        rx.dialog.content(
            rx.dialog.title(t["policy.edit"]),
            rx.form(
                rx.vstack(
                    rx.el.input(type="hidden", name="rule_id", value=rule["id"].to(str)),
                    *_rule_fields(rule),
                    rx.hstack(
                        rx.dialog.close(rx.button(t["admin.cancel"], variant="soft")),
                        rx.dialog.close(
                            rx.button(t["admin.save"], type="submit", class_name="save-rule")
                        ),
                    ),
                    spacing="2",
                ),
                on_submit=S.save_rule_form,
            ),
            max_width="720px",
        ),
    )


def _new_rule_form() -> rx.Component:
    t = S.t
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(t["policy.new_rule"], size="3"),
                *_rule_fields(),
                rx.cond(S.error != "", rx.callout(S.error, color_scheme="red", id="policy-error")),
                rx.button(t["admin.create"], type="submit", id="add-rule"),
                spacing="2",
            ),
            on_submit=S.save_rule_form,
            reset_on_submit=True,
        ),
        width="100%",
    )


def approval_policy_page() -> rx.Component:
    t = S.t
    head = [
        "policy.priority",
        "field.name",
        "policy.conditions",
        "policy.levels",
        "policy.sla_hours",
        "admin.active",
        "admin.actions",
    ]
    return shell(
        "nav.approval_policy",
        rx.vstack(
            rx.text(t["policy.explain"], size="2", color_scheme="gray"),
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(t[h]) for h in head])),
                rx.table.body(rx.foreach(S.shown_rules, _rule_row)),
                width="100%",
                id="policy-table",
                size="1",
            ),
            _new_rule_form(),
            width="100%",
            spacing="4",
        ),
    )
