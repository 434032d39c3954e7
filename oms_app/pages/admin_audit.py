"""/admin/audit"""

from __future__ import annotations

import reflex as rx

from oms_app.pages.layout import shell
from state.audit_log import AuditLogState as S
from state.audit_log import ChangeRequestsState as C

# (row key, header translation key, server sort name or "")
COLUMNS = [
    ("at", "audit.col.at", "at"),
    ("actor", "audit.col.actor", "actor"),
    ("action", "audit.col.action", "action"),
    ("entity", "audit.col.entity", "entity"),
    ("entity_id", "audit.col.entity_id", ""),
    ("summary", "audit.col.changes", ""),
]


def _header(key: str, label: str, sort: str) -> rx.Component:
    t = S.t
    if not sort:
        return rx.table.column_header_cell(t[label])
    arrow = rx.cond(S.sort == sort, rx.cond(S.descending, "▼", "▲"), "")
    return rx.table.column_header_cell(
        rx.hstack(rx.text(t[label]), rx.text(arrow, size="1")),
        on_click=S.sort_by(sort),
        cursor="pointer",
    )


def _entry_row(row) -> rx.Component:
    return rx.table.row(
        *[rx.table.cell(row[key].to(str)) for key, _, _ in COLUMNS],
        rx.table.cell(
            rx.button(
                S.t["audit.detail"], size="1", variant="soft", on_click=S.show_detail(row["id"])
            )
        ),
    )


def _filters() -> rx.Component:
    t = S.t

    def box(name: str, label: str, kind: str = "text") -> rx.Component:
        return rx.vstack(
            rx.text(t[label], size="1"),
            rx.input(name=name, type=kind, id=f"audit-{name.replace('_', '-')}", width="150px"),
            spacing="1",
        )

    return rx.form(
        rx.hstack(
            box("who", "audit.filter.who"),
            box("action", "audit.filter.action"),
            box("entity", "audit.filter.entity"),
            box("entity_id", "audit.filter.entity_id"),
            box("date_from", "audit.filter.date_from", "date"),
            box("date_to", "audit.filter.date_to", "date"),
            rx.button(t["audit.filter.apply"], type="submit", id="audit-apply"),
            rx.button(
                t["audit.filter.clear"], variant="soft", type="button", on_click=S.clear_filters
            ),
            align="end",
            wrap="wrap",
        ),
        key=S.filter_form_key,
        on_submit=S.apply_filters,
        reset_on_submit=False,
    )


def _detail_dialog() -> rx.Component:
    t = S.t
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t["audit.detail"], " #", S.detail["id"].to(str)),
            rx.text(
                S.detail["at"].to(str),
                " · ",
                S.detail["actor"].to(str),
                " · ",
                S.detail["action"].to(str),
            ),
            rx.cond(
                S.detail["changes"].to(list).length() > 0,
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            rx.table.column_header_cell(t["audit.detail.field"]),
                            rx.table.column_header_cell(t["audit.detail.old"]),
                            rx.table.column_header_cell(t["audit.detail.new"]),
                        )
                    ),
                    rx.table.body(
                        rx.foreach(
                            S.detail["changes"].to(list[dict[str, str]]),
                            lambda c: rx.table.row(
                                rx.table.cell(c["field"]),
                                rx.table.cell(c["old"]),
                                rx.table.cell("→ ", c["new"]),
                            ),
                        )
                    ),
                    id="audit-detail-changes",
                    size="1",
                ),
                rx.text(t["audit.detail.none"]),
            ),
            rx.text(S.detail["notes"].to(str), size="1", color_scheme="gray"),
            rx.dialog.close(
                rx.button(t["audit.detail.close"], variant="soft", on_click=S.close_detail)
            ),
        ),
        open=S.detail.length() > 0,
        on_open_change=lambda _open: S.close_detail(),
    )


def _entries() -> rx.Component:
    t = S.t
    return rx.vstack(
        rx.callout(t["audit.read_only"], size="1", color_scheme="gray"),
        _filters(),
        rx.cond(S.list_error != "", rx.callout(S.list_error, color_scheme="red", id="audit-error")),
        rx.hstack(
            rx.button(
                t["audit.export_csv"], variant="soft", on_click=S.export("csv"), id="audit-csv"
            ),
            rx.button(t["audit.export_xlsx"], variant="soft", on_click=S.export("xlsx")),
            rx.spacer(),
            rx.text(t["list.total"], ": ", S.total, id="audit-total"),
            width="100%",
        ),
        rx.table.root(
            rx.table.header(
                rx.table.row(*[_header(*c) for c in COLUMNS], rx.table.column_header_cell(""))
            ),
            rx.table.body(rx.foreach(S.rows, _entry_row)),
            width="100%",
            variant="surface",
            size="1",
            id="audit-table",
        ),
        rx.hstack(
            rx.button("‹", on_click=S.go_to_page(S.page - 1), disabled=S.page <= 1, variant="soft"),
            rx.text(S.page, " / ", S.page_count),
            rx.button(
                "›",
                on_click=S.go_to_page(S.page + 1),
                disabled=S.page >= S.page_count,
                variant="soft",
            ),
            justify="end",
            width="100%",
        ),
        _detail_dialog(),
        width="100%",
    )


def _change_row(c) -> rx.Component:
    t = C.t
    return rx.table.row(
        rx.table.cell(c["entity"], " ", c["entity_key"]),
        rx.table.cell(t["field." + c["field"].to(str)]),
        rx.table.cell(c["old"]),
        rx.table.cell(c["new"]),
        rx.table.cell(c["proposed_by"]),
        rx.table.cell(c["proposed_at"]),
        rx.table.cell(
            rx.hstack(
                rx.button(t["audit.changes.approve"], size="1", on_click=C.approve(c["id"])),
                rx.button(
                    t["audit.changes.reject"],
                    size="1",
                    color_scheme="red",
                    variant="soft",
                    on_click=C.reject(c["id"]),
                ),
            )
        ),
    )


def _changes() -> rx.Component:
    t = C.t
    header = [
        "audit.changes.record",
        "audit.changes.field",
        "audit.changes.old",
        "audit.changes.new",
        "audit.changes.proposed_by",
        "audit.changes.proposed_at",
        "admin.actions",
    ]
    return rx.vstack(
        rx.cond(C.error != "", rx.callout(C.error, color_scheme="gray")),
        rx.input(
            placeholder=t["audit.changes.reason"],
            value=C.reason,
            on_change=C.set_reason,
            width="400px",
        ),
        rx.cond(
            C.rows.length() > 0,
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(t[h]) for h in header])),
                rx.table.body(rx.foreach(C.rows, _change_row)),
                width="100%",
                size="1",
                id="changes-table",
            ),
            rx.text(t["audit.changes.none"]),
        ),
        width="100%",
    )


def admin_audit_page() -> rx.Component:
    t = S.t
    return shell(
        "nav.audit",
        rx.tabs.root(
            rx.tabs.list(
                rx.tabs.trigger(t["audit.tab.entries"], value="entries"),
                rx.tabs.trigger(t["audit.tab.changes"], value="changes", id="tab-changes"),
            ),
            rx.tabs.content(_entries(), value="entries", padding_top="1em"),
            rx.tabs.content(_changes(), value="changes", padding_top="1em"),
            default_value="entries",
            width="100%",
        ),
    )
