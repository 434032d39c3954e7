"""The approval queue's toolbar (levels, sort, filters), pager and keyboard shortcuts."""

from __future__ import annotations

import reflex as rx

SORT_KEYS = ("age", "amount", "risk", "due")
ROLE_KEYS = ("mine", "all", "sales_manager", "finance", "warehouse")

# j/k/a/r anywhere on the page (not while typing or in a dialog) click the hidden buttons below;
# installed once per browser tab, it does nothing on other pages. It is run when the queue mounts:
# `rx.script` renders through react-helmet, whose legacy lifecycle React 19 reports as an error.
KEYS_SCRIPT = """
(function () {
  if (window.__omsApprovalKeys) return;
  window.__omsApprovalKeys = true;
  var ids = {
    j: "queue-key-next", k: "queue-key-prev", a: "queue-key-approve", r: "queue-key-reject"
  };
  document.addEventListener("keydown", function (e) {
    if (!document.getElementById("approval-queue")) return;
    if (e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
    var el = e.target, tag = el && el.tagName;
    var typing = tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
    if (typing || (el && el.isContentEditable)) return;
    if (document.querySelector("[role=dialog]")) return;
    var button = document.getElementById(ids[e.key]);
    if (!button) return;
    e.preventDefault();
    button.click();
    setTimeout(function () {
      var row = document.querySelector(".approval-card[data-selected=true]");
      if (row) row.scrollIntoView({block: "nearest"});
    }, 200);
  });
})();
"""


def key_bindings(move, approve_selected, reject_selected) -> rx.Component:
    def hidden(button_id: str, handler) -> rx.Component:
        return rx.el.button(id=button_id, on_click=handler, display="none", tab_index=-1)

    return rx.fragment(
        hidden("queue-key-next", move(1)),
        hidden("queue-key-prev", move(-1)),
        hidden("queue-key-approve", approve_selected),
        hidden("queue-key-reject", reject_selected),
        on_mount=rx.call_script(KEYS_SCRIPT),
    )


def key_hint(t: rx.Var) -> rx.Component:
    def key(letter: str, label: str) -> rx.Component:
        return rx.hstack(
            rx.code(letter, variant="outline", size="1"),
            rx.text(t[label], size="1", color_scheme="gray"),
            spacing="1",
            align="center",
        )

    return rx.hstack(
        key("j / k", "approvals.key.move"),
        key("a", "approvals.approve"),
        key("r", "approvals.reject"),
        spacing="3",
        id="queue-key-hint",
    )


def level_switch(t: rx.Var, role: rx.Var, counts: rx.Var, on_change) -> rx.Component:
    def label(key: str) -> rx.Component:
        if key in ("mine", "all"):
            return rx.text(t["approvals.role." + key])
        return rx.text(t["role." + key], " ", counts[key].to(str))

    return rx.segmented_control.root(
        *[rx.segmented_control.item(label(key), value=key) for key in ROLE_KEYS],
        value=role,
        on_change=on_change,
        size="1",
        id="queue-role",
    )


def sort_switch(t: rx.Var, sort: rx.Var, reverse: rx.Var, on_sort, on_reverse) -> rx.Component:
    return rx.hstack(
        rx.text(t["approvals.sort"], size="1", color_scheme="gray"),
        rx.segmented_control.root(
            *[
                rx.segmented_control.item(t["approvals.sort." + key], value=key)
                for key in SORT_KEYS
            ],
            value=sort,
            on_change=on_sort,
            size="1",
            id="queue-sort",
        ),
        rx.icon_button(
            rx.cond(reverse, rx.icon("arrow-up-wide-narrow"), rx.icon("arrow-down-wide-narrow")),
            size="1",
            variant="soft",
            on_click=on_reverse,
            title=t["approvals.reverse"],
            id="queue-reverse",
        ),
        align="center",
        spacing="2",
    )


def filter_form(t: rx.Var, s, on_submit, on_clear) -> rx.Component:
    """Amount range, customer, risk and two switches; applied on the server."""

    def field(name: str, value: rx.Var, width: str, mode: str = "text") -> rx.Component:
        return rx.input(
            name=name,
            default_value=value,
            placeholder=t["approvals.filter." + name],
            aria_label=t["approvals.filter." + name],
            input_mode=mode,
            size="1",
            width=width,
            id="queue-" + name.replace("_", "-"),
        )

    return rx.form(
        rx.hstack(
            field("customer", s.customer, "11em"),
            field("min_amount", s.min_amount, "7.5em", "decimal"),
            rx.text("–", color_scheme="gray"),
            field("max_amount", s.max_amount, "7.5em", "decimal"),
            field("min_risk", s.min_risk, "6em", "numeric"),
            rx.checkbox(
                t["approvals.filter.anomalies_only"],
                name="anomalies_only",
                default_checked=s.anomalies_only,
                size="1",
            ),
            rx.checkbox(
                t["approvals.filter.overdue_only"],
                name="overdue_only",
                default_checked=s.overdue_only,
                size="1",
            ),
            rx.button(t["approvals.filter.apply"], size="1", type="submit", id="queue-apply"),
            rx.cond(
                s.filters_on > 0,
                rx.button(
                    t["approvals.filter.clear"],
                    size="1",
                    variant="ghost",
                    type="button",
                    on_click=on_clear,
                    id="queue-clear",
                ),
            ),
            align="center",
            spacing="2",
            wrap="wrap",
        ),
        on_submit=on_submit,
        reset_on_submit=False,
        key=s.filters_on.to(str) + s.role,  # cleared filters empty the inputs too
    )


def pager(t: rx.Var, page: rx.Var, pages: rx.Var, total: rx.Var, on_page) -> rx.Component:
    return rx.hstack(
        rx.text(
            t["approvals.page"],
            " ",
            page,
            " / ",
            pages,
            " · ",
            total,
            " ",
            t["approvals.items"],
            size="1",
            color_scheme="gray",
            id="queue-page",
        ),
        rx.icon_button(
            rx.icon("chevron-left"),
            size="1",
            variant="soft",
            disabled=page <= 1,
            on_click=on_page(-1),
            id="queue-prev-page",
        ),
        rx.icon_button(
            rx.icon("chevron-right"),
            size="1",
            variant="soft",
            disabled=page >= pages,
            on_click=on_page(1),
            id="queue-next-page",
        ),
        align="center",
        spacing="2",
    )
