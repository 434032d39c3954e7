"""/finance: the live finance panel, one shared state for every viewer, rebuilt by the event
consumer whenever the ledger posts (a payment, a shipment, a refund ...)."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import plotly.graph_objects as go
import reflex as rx

from oms_app.core.clock import utcnow
from oms_app.core.db import UnitOfWork
from oms_app.core.permissions import SYSTEM_ACTOR, Permission
from oms_app.ledger import panel
from oms_app.ledger.exports import money_text
from state.base import SessionState

PANEL_TOKEN = "finance:panel"
BUCKET_NAMES = {"0_30": "0-30", "31_60": "31-60", "61_90": "61-90", "over_90": ">90"}
FIGURES = ("revenue", "cost", "gross_profit", "margin", "cash")


def load_panel() -> dict:
    """The panel's figures (the same for every viewer: the page checks finance.view)."""
    return panel.finance_panel(UnitOfWork(), actor=SYSTEM_ACTOR)


def _shown(key: str, value: str | None) -> str:
    if key == "margin":
        return "—" if value is None else f"{Decimal(value) * 100:.1f}%"
    return money_text(Decimal(value))


def figure_rows(figures: dict) -> list[dict]:
    """One row per figure with today's and the month's value, as shown."""
    return [
        {
            "key": key,
            "today": _shown(key, figures["today"][key]),
            "month": _shown(key, figures["month"][key]),
        }
        for key in FIGURES
    ]


def ageing_chart(buckets: list[dict]) -> go.Figure:
    """A bar per age bucket: the open receivable amount, the order count as hover text."""
    bar = go.Bar(
        x=[BUCKET_NAMES[b["key"]] for b in buckets],
        y=[float(Decimal(b["amount"])) for b in buckets],  # bar heights only
        text=[money_text(Decimal(b["amount"])) for b in buckets],
        hovertext=[f"{b['orders']}" for b in buckets],
        marker_color=["#3e63dd", "#f5a524", "#f76b15", "#e5484d"],
    )
    figure = go.Figure(bar)
    figure.update_layout(margin={"l": 40, "r": 10, "t": 10, "b": 30}, height=300)
    return figure


class FinancePanelState(rx.SharedState):
    """Sales, cost, margin and cash of today and the month, receivables by age, overdue
    invoices; linked to one token, so a rebuild reaches every open panel."""

    rows: list[dict] = []
    buckets: list[dict] = []
    receivables_total: str = "0.00"
    receivables_orders: int = 0
    overdue_invoices: int = 0
    as_of: str = ""
    updated_at: str = ""
    chart: go.Figure = go.Figure()
    loaded: bool = False

    def _fill(self, figures: dict) -> None:
        receivables = figures["receivables"]
        self.rows = figure_rows(figures)
        self.buckets = [
            {**b, "amount": money_text(Decimal(b["amount"]))} for b in receivables["buckets"]
        ]
        self.receivables_total = money_text(Decimal(receivables["total"]))
        self.receivables_orders = receivables["orders"]
        self.overdue_invoices = figures["overdue_invoices"]
        self.as_of, self.updated_at = figures["as_of"], utcnow().isoformat()
        self.chart = ageing_chart(receivables["buckets"])
        self.loaded = True

    @rx.event
    async def connect(self):
        session = await self.get_state(SessionState)
        actor = await session._actor()
        if actor is None or not actor.can(Permission.FINANCE_VIEW):
            return
        linked = await self._link_to(PANEL_TOKEN)
        relinked = session._relinked(PANEL_TOKEN)
        if not linked.loaded or relinked:  # new or expired in Redis, or this tab reconnected
            linked._fill(await asyncio.to_thread(load_panel))
