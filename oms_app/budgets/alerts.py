"""Budget alerts (beat task): 80 % used, 100 % used and a run-rate forecast beyond the budget,
each sent once per budget x month x threshold to finance's bells."""

from __future__ import annotations

from datetime import date

from sqlalchemy.dialects.postgresql import insert as pg_insert

from oms_app.budgets import queries, rules
from oms_app.budgets.events import BudgetThresholdCrossed
from oms_app.budgets.models import BudgetAlert
from oms_app.core.permissions import Actor, Permission, require
from oms_app.notifications import service as notifications

ALERT_TITLES = {
    "80": "budgets.alert.used_80",
    "100": "budgets.alert.used_100",
    "forecast": "budgets.alert.forecast_over",
}


def _claim_alert(uow, *, budget_id: int, month: int, threshold: str, percent) -> bool:
    """Record the alert; False when it was sent before (by this or a concurrent run)."""
    stmt = (
        pg_insert(BudgetAlert)
        .values(budget_id=budget_id, month=month, threshold=threshold, percent_used=percent)
        .on_conflict_do_nothing(constraint="uq_budget_alerts_once")
        .returning(BudgetAlert.id)
    )
    return uow.session.scalar(stmt) is not None


def _alert(uow, row: dict, month_row: dict, threshold: str, actor: Actor) -> None:
    percent = month_row["percent_used"]
    params = {
        "cost_centre": row["cost_centre"],
        "account": row["account_code"],
        "month": f"{row['year']}-{month_row['month']:02d}",
        "percent": percent or "-",
        "budget": month_row["budget"],
        "forecast": month_row["forecast"],
    }
    notifications.notify_role(
        uow,
        actor=actor,
        role="finance",
        title=ALERT_TITLES[threshold],
        params=params,
        kind="warning",
        link="/budgets",
    )
    uow.add_event(
        BudgetThresholdCrossed(
            budget_id=row["id"],
            month=month_row["month"],
            threshold=threshold,
            percent_used=percent or "",
        )
    )


def check_budgets(uow, *, today: date, actor: Actor) -> int:
    """Alert finance about this month's budgets past a threshold; the number of alerts sent."""
    require(actor, Permission.NOTIFY_SEND)
    rows = queries.list_budget_execution(uow, actor=actor, year=today.year, today=today)
    sent = 0
    with uow:
        for row in rows:
            month_row = row["months"][today.month - 1]
            crossed = rules.thresholds_crossed(
                rules.to_cents(month_row["budget"]),
                rules.to_cents(month_row["actual"]),
                rules.to_cents(month_row["forecast"]),
            )
            for threshold in crossed:
                claimed = _claim_alert(
                    uow,
                    budget_id=row["id"],
                    month=today.month,
                    threshold=threshold,
                    percent=month_row["percent_used"],
                )
                if claimed:
                    _alert(uow, row, month_row, threshold, actor)
                    sent += 1
        uow.commit()
    return sent
