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
        rx.table.cell(rule["name"]),
        rx.table.cell(rx.code(rule["conditions"].to_string(), size="1")),
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
        class_name="policy-row",
    )


def _new_rule_form() -> rx.Component:
    t = S.t
    numbers = [
        rx.input(name=key, placeholder=t["policy." + key], width="150px")
        for key in NUMBER_CONDITIONS
    ]
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(t["policy.new_rule"], size="3"),
                rx.hstack(
                    rx.input(
                        name="name", placeholder=t["field.name"], id="rule-name", width="260px"
                    ),
                    rx.input(name="priority", placeholder=t["policy.priority"], width="100px"),
                    rx.input(name="sla_hours", placeholder=t["policy.sla_hours"], width="120px"),
                ),
                rx.flex(
                    *numbers,
                    rx.input(name="tiers", placeholder=t["policy.tiers"], width="150px"),
                    wrap="wrap",
                    gap="2",
                ),
                rx.hstack(
                    rx.text(t["policy.anomalies_any"], size="2"),
                    rx.foreach(
                        S.anomaly_codes,
                        lambda code: rx.checkbox(t["anomaly." + code], name="anomaly_" + code),
                    ),
                    wrap="wrap",
                ),
                rx.hstack(
                    rx.text(t["policy.levels"], size="2"),
                    rx.foreach(
                        S.level_roles,
                        lambda role: rx.checkbox(t["role." + role], name="level_" + role),
                    ),
                ),
                rx.cond(S.error != "", rx.callout(S.error, color_scheme="red", id="policy-error")),
                rx.button(t["admin.create"], type="submit", id="add-rule"),
                spacing="2",
            ),
            on_submit=S.add_rule,
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
    ]
    return shell(
        "nav.approval_policy",
        rx.vstack(
            rx.text(t["policy.explain"], size="2", color_scheme="gray"),
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(t[h]) for h in head])),
                rx.table.body(rx.foreach(S.rules, _rule_row)),
                width="100%",
                id="policy-table",
                size="1",
            ),
            _new_rule_form(),
            width="100%",
            spacing="4",
        ),
    )
