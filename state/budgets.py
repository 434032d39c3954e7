"""/budgets: execution bars per budget, alert badges, adjustment requests and decisions, and
the revenue / cash-in forecast chart (in its own small state)."""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal

import plotly.graph_objects as go
import reflex as rx

from oms_app.budgets import charts, queries, service
from oms_app.core.clock import business_zone, utcnow
from oms_app.core.errors import DomainError
from oms_app.core.i18n import catalogue
from state.base import SessionState

ALERT_KEYS = {
    "80": "budgets.badge.used_80",
    "100": "budgets.badge.used_100",
    "forecast": "budgets.badge.forecast_over",
}


def business_today() -> date:
    return utcnow().astimezone(business_zone()).date()


def _share(part: str, whole: str) -> str:
    """A bar position in percent of the budget, kept inside the bar (0-100)."""
    total = Decimal(whole)
    if total <= 0:
        return "100" if Decimal(part) > 0 else "0"
    return str(int(min(Decimal(100), Decimal(part) * 100 / total)))


def budget_view(row: dict, month: int) -> dict[str, str | list[str]]:
    """A budget as the screen shows it: the year's bar, forecast marker, this month, badges."""
    this_month = row["months"][month - 1]
    return {
        "id": str(row["id"]),
        "label": f"{row['cost_centre']} · {row['account_code']}",
        "policy": row["policy"],
        "budget": row["budget"],
        "actual": row["actual"],
        "forecast": row["forecast"],
        "percent": row["percent_used"] or "-",
        "bar": _share(row["actual"], row["budget"]),
        "marker": _share(row["forecast"], row["budget"]) + "%",
        "over": "1" if row["over_forecast"] else "",
        "month_text": f"{this_month['actual']} / {this_month['budget']}",
        "month_percent": this_month["percent_used"] or "-",
        "alerts": [ALERT_KEYS[a] for a in row["alerts"] if a in ALERT_KEYS],
    }


RECENT_DECISIONS = 10


class BudgetsState(SessionState):
    """Budgets of this year with their execution, and the adjustment requests."""

    year: int = 0
    rows: list[dict[str, str | list[str]]] = []
    pending: list[dict[str, str]] = []
    decided: list[dict[str, str]] = []
    error: str = ""
    notice: str = ""
    form_key: int = 0

    @rx.var
    def can_decide(self) -> bool:
        return "ledger.post" in self.permissions

    @rx.event
    async def load(self):
        """on_load: budgets with execution, the pending adjustment requests and the latest
        decisions."""
        actor = await self._actor()
        if actor is None:
            return
        today = business_today()
        self.year = today.year
        try:
            rows = await asyncio.to_thread(
                queries.list_budget_execution,
                self._uow(),
                actor=actor,
                year=today.year,
                today=today,
            )
            pending = await asyncio.to_thread(
                queries.list_adjustments, self._uow(), actor=actor, status="requested"
            )
            recent = await asyncio.to_thread(queries.list_adjustments, self._uow(), actor=actor)
        except DomainError as err:
            self.error = self._tr(err.code, **err.params)
            return
        labels = {r["id"]: f"{r['cost_centre']} · {r['account_code']}" for r in rows}
        self.rows = [budget_view(r, today.month) for r in rows]
        self.pending = [self._adjustment_view(a, labels) for a in pending]
        # so a requester sees what became of their request, not only that it left the queue
        decided = [a for a in recent if a["status"] != "requested"][:RECENT_DECISIONS]
        self.decided = [self._adjustment_view(a, labels) for a in decided]

    def _adjustment_view(self, a: dict, labels: dict) -> dict[str, str]:
        return {
            "id": str(a["id"]),
            "budget": labels.get(a["budget_id"], str(a["budget_id"])),
            "to_budget": labels.get(a["to_budget_id"], "") if a["to_budget_id"] else "",
            "kind": self._tr(f"budgets.kind.{a['kind']}"),
            "month": str(a["month"]),
            "amount": a["amount"],
            "reason": a["reason"],
            "requested_by": a["requested_by"],
            "status": a["status"],
        }

    @rx.event
    async def request_adjustment(self, form: dict):
        """Send the adjustment form as a request for another finance manager to decide."""
        actor = await self._actor()
        if actor is None:
            return
        to_budget = str(form.get("to_budget", "") or "")
        try:
            await asyncio.to_thread(
                service.request_adjustment,
                self._uow(),
                actor=actor,
                budget_id=int(form.get("budget_id") or 0),
                kind=str(form.get("kind") or ""),
                amount=Decimal(str(form.get("amount") or "0")),
                month=int(form.get("month") or 0),
                reason=str(form.get("reason") or ""),
                to_budget_id=int(to_budget) if to_budget.isdigit() else None,
            )
        except (ValueError, ArithmeticError):
            self.error = self._tr("budgets.error.bad_amount", value=form.get("amount", ""))
            return
        except DomainError as err:
            self.error = self._tr(err.code, **err.params)
            return
        self.error, self.notice, self.form_key = (
            "",
            self._tr("budgets.notice.requested"),
            self.form_key + 1,
        )
        return BudgetsState.load

    @rx.event
    async def create_budget(self, form: dict):
        """Open a budget and spread its annual amount evenly or like last year's actuals."""
        actor = await self._actor()
        if actor is None:
            return
        try:
            annual = Decimal(str(form.get("annual") or "0"))
            budget_id = await asyncio.to_thread(
                service.create_budget,
                self._uow(),
                actor=actor,
                year=self.year,
                cost_centre=str(form.get("cost_centre") or ""),
                account_code=str(form.get("account_code") or "").strip(),
                policy=str(form.get("policy") or "warn"),
            )
            await asyncio.to_thread(
                service.allocate_budget,
                self._uow(),
                actor=actor,
                budget_id=budget_id,
                method=str(form.get("spread") or "even"),
                annual=annual,
            )
        except (ValueError, ArithmeticError):
            self.error = self._tr("budgets.error.bad_allocation")
            return
        except DomainError as err:
            self.error = self._tr(err.code, **err.params)
            return
        self.error, self.notice = "", self._tr("budgets.notice.created")
        self.form_key += 1
        return BudgetsState.load

    @rx.event
    async def decide(self, adjustment_id: str, approve: bool):
        """Approve or reject a request (the service refuses one's own and checks the right)."""
        actor = await self._actor()
        if actor is None:
            return
        use_case = service.approve_adjustment if approve else service.reject_adjustment
        try:
            await asyncio.to_thread(
                use_case, self._uow(), adjustment_id=int(adjustment_id), actor=actor
            )
        except DomainError as err:
            self.error = self._tr(err.code, **err.params)
            return
        self.error = ""
        self.notice = self._tr("budgets.notice.approved" if approve else "budgets.notice.rejected")
        return BudgetsState.load


class BudgetForecastState(SessionState):
    """The revenue or cash-in forecast chart with its backtest error."""

    kind: str = "revenue"
    figure: go.Figure = go.Figure()
    mape: str = ""
    method: str = ""
    ready: bool = False

    @rx.event
    async def load(self):
        actor = await self._actor()
        if actor is None:
            return
        try:
            data = await asyncio.to_thread(
                queries.get_ledger_forecast,
                self._uow(),
                actor=actor,
                kind=self.kind,
                horizon=6,
                today=business_today(),
            )
        except DomainError:
            return
        self.figure = charts.forecast_figure(data, catalogue(self.lang))
        self.mape = f"{data['mape']} %" if data["mape"] is not None else "-"
        self.method = self._tr(f"budgets.method.{data['method']}")
        self.ready = True

    @rx.event
    def choose(self, kind: str | list[str]):
        self.kind = kind if isinstance(kind, str) and kind in ("revenue", "cash_in") else "revenue"
        return BudgetForecastState.load
