"""/admin/audit"""

from __future__ import annotations

import reflex as rx

from components.date_field import date_field
from oms_app.audit import labels
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


def _label(row, key: str) -> rx.Var:
    """The action or entity kind in the reader's words (the code itself if it has none)."""
    code = row[key].to(str)
    prefix = "audit.action." if key == "action" else "audit.entity."
    return S.t[prefix + code].to(str) | code


def _cell(row, key: str) -> rx.Component:
    if key in ("action", "entity"):
        return rx.table.cell(_label(row, key), title=row[key].to(str))
    return rx.table.cell(row[key].to(str))


def _entry_row(row) -> rx.Component:
    return rx.table.row(
        *[_cell(row, key) for key, _, _ in COLUMNS],
        rx.table.cell(
            rx.button(
                S.t["audit.detail"], size="1", variant="soft", on_click=S.show_detail(row["id"])
            )
        ),
    )


SELECT_STYLE = {"height": "32px", "padding": "0 8px", "border-radius": "4px", "width": "200px"}


def _action_options(t) -> list[rx.Component]:
    """All actions; per area, the whole area (the filter matches its prefix), then each action."""
    groups = []
    for area in labels.AREAS:
        actions = [a for a in labels.ACTIONS if labels.area_of(a) == area]
        groups.append(
            rx.el.optgroup(
                rx.el.option(t[labels.area_key(area)], " · ", t["audit.filter.any"], value=area),
                *[rx.el.option(t[labels.action_key(a)], value=a) for a in actions],
                label=t[labels.area_key(area)],
            )
        )
    return [rx.el.option(t["audit.filter.any"], value=""), *groups]


def _entity_options(t) -> list[rx.Component]:
    return [
        rx.el.option(t["audit.filter.any"], value=""),
        *[rx.el.option(t[labels.entity_key(e)], value=e) for e in labels.ENTITIES],
    ]


def _filters() -> rx.Component:
    t = S.t

    def labelled(label: str, field: rx.Component) -> rx.Component:
        return rx.vstack(rx.text(t[label], size="1"), field, spacing="1")

    def box(name: str, label: str) -> rx.Component:
        field_id = f"audit-{name.replace('_', '-')}"
        return labelled(label, rx.input(name=name, id=field_id, width="150px"))

    def day(name: str, label: str) -> rx.Component:
        field_id = f"audit-{name.replace('_', '-')}"
        return labelled(label, date_field(t, name=name, id=field_id, width="9em"))

    def choice(name: str, label: str, options: list[rx.Component]) -> rx.Component:
        field = rx.el.select(*options, name=name, id=f"audit-{name}", style=SELECT_STYLE)
        return labelled(label, field)

    return rx.form(
        rx.hstack(
            box("who", "audit.filter.who"),
            choice("action", "audit.filter.action", _action_options(t)),
            choice("entity", "audit.filter.entity", _entity_options(t)),
            box("entity_id", "audit.filter.entity_id"),
            day("date_from", "audit.filter.date_from"),
            day("date_to", "audit.filter.date_to"),
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
                _label(S.detail, "action"),
                " · ",
                _label(S.detail, "entity"),
                " ",
                S.detail["entity_id"].to(str),
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
