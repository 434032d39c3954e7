"""The order list's filters as the URL carries them: parameters -> filter vars -> OrderFilter.

Pure functions, so the dashboard's drill-down links and the list screen agree by test.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from oms_app.core.errors import ValidationFailed
from oms_app.orders import queries as order_queries


def _day(field: str, text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise ValidationFailed(field, "error.date.invalid") from None


def _amount(field: str, text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", "")) if text else None
    except InvalidOperation:
        value = Decimal("NaN")
    if value is not None and not value.is_finite():
        raise ValidationFailed(field, "error.money.invalid")
    return value


# Query parameters /orders understands (as the dashboard's drill-down builds them) -> filter vars.
URL_FILTERS = {
    "status": "filter_value",
    "customer": "filter_customer",
    "rep": "filter_rep",
    "from": "filter_from",
    "to": "filter_to",
    "min": "filter_min",
    "max": "filter_max",
    "anomaly": "filter_anomaly",
    "channel": "filter_channel",
    "province": "filter_province",
    "sku": "filter_sku",
    "category": "filter_category",
    "warehouse": "filter_warehouse",
    "reached": "filter_reached",
    "booked": "filter_booked",
    "payment": "filter_payment",
}


def filters_from_params(params: dict) -> dict[str, str]:
    """Every filter var set from the query parameters ('' where a parameter is missing)."""
    values = {}
    for param, var in URL_FILTERS.items():
        value = params.get(param, "")
        if isinstance(value, list):  # a repeated parameter: the last one wins
            value = value[-1] if value else ""
        values[var] = str(value).strip()
    values["filter_booked"] = "1" if values["filter_booked"] in ("1", "true", "yes") else ""
    return values


def order_filter_of(values: dict[str, str], search: str = "") -> order_queries.OrderFilter:
    """The order filter of the filter vars (named as URL_FILTERS names them)."""
    return order_queries.OrderFilter(
        status=values["filter_value"],
        customer_code=values["filter_customer"],
        rep=values["filter_rep"],
        created_from=_day("created_from", values["filter_from"]),
        created_to=_day("created_to", values["filter_to"]),
        min_total=_amount("min_total", values["filter_min"]),
        max_total=_amount("max_total", values["filter_max"]),
        anomaly=values["filter_anomaly"],
        search=search,
        channel=values["filter_channel"],
        province=values["filter_province"],
        sku=values["filter_sku"],
        category=values["filter_category"],
        warehouse=values["filter_warehouse"],
        reached=tuple(s.strip() for s in values["filter_reached"].split(",") if s.strip()),
        booked=values["filter_booked"] == "1",
        payment_status=values["filter_payment"],
    )
