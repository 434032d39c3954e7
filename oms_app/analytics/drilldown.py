"""From a clicked bar to the order list: the /orders query string that shows the same orders."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from oms_app import routes
from oms_app.analytics.flow import reached_statuses
from oms_app.analytics.scope import DashboardFilter


def filter_params(flt: DashboardFilter, *, booked: bool = True) -> dict[str, str]:
    """The order-list parameters of a dashboard filter (sales charts count booked orders)."""
    params = {
        "from": flt.date_from.isoformat(),
        "to": flt.date_to.isoformat(),
        "warehouse": flt.warehouse,
        "category": flt.category,
        "channel": flt.channel,
        "rep": flt.rep,
        "booked": "1" if booked else "",
    }
    return {key: value for key, value in params.items() if value}


def stage_params(flt: DashboardFilter, stage: str) -> dict[str, str]:
    """The order list of the period's orders that reached a funnel stage."""
    return {**filter_params(flt, booked=False), "reached": ",".join(reached_statuses(stage))}


def orders_url(params: Mapping[str, str]) -> str:
    """/orders with the non-empty parameters, in a stable order."""
    kept = {key: value for key, value in sorted(params.items()) if value}
    return f"{routes.ORDERS}?{urlencode(kept)}" if kept else routes.ORDERS
