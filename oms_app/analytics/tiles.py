"""The dashboard's KPI tiles as display rows: value, and change against the comparison periods.

Pure functions over `compute_kpis` output; the screen only shows the strings.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

# Figures where a fall is good news (shown green when they go down).
LOWER_IS_BETTER = frozenset(
    {"pending_approvals", "late_orders", "fulfilment_lead_time_hours", "return_rate"}
)
# (figure, how it is shown), in the order the tiles appear.
TILES: tuple[tuple[str, str], ...] = (
    ("revenue", "money"),
    ("orders", "count"),
    ("average_order_value", "money"),
    ("gross_profit", "money"),
    ("margin", "ratio"),
    ("pending_approvals", "count"),
    ("late_orders", "count"),
    ("fulfilment_lead_time_hours", "hours"),
    ("return_rate", "ratio"),
    ("satisfaction", "score"),
)


def _number(value) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def format_value(value, kind: str) -> str:
    """'¥12,345.60', '1,204', '23.45%', '31.5 h'; '' when there is no figure."""
    number = _number(value)
    if number is None:
        return ""
    if kind == "money":
        return f"¥{number:,.2f}"
    if kind == "ratio":
        return f"{number * 100:.2f}%"
    if kind == "hours":
        return f"{number:.1f} h"
    if kind == "count":
        return f"{int(number):,}"
    return f"{number:.2f}"


def change(current, before) -> str:
    """Relative change as '+12.5%' / '-3.0%'; '' when either side is missing or was zero."""
    now, then = _number(current), _number(before)
    if now is None or then is None or then == 0:
        return ""
    pct = (now - then) / abs(then) * 100
    return f"{pct:+.1f}%"


def build_tiles(kpis: dict) -> list[dict[str, str]]:
    """One row per tile: key, value, whether there is data yet, and the two comparisons."""
    current = kpis["current"]
    previous, last_year = kpis["previous_period"], kpis["same_period_last_year"]
    tiles = []
    for key, kind in TILES:
        value = current.get(key)
        tiles.append(
            {
                "key": key,
                "value": format_value(value, kind),
                "no_data": "" if value is not None else "1",
                "vs_previous": change(value, previous.get(key)),
                "vs_last_year": change(value, last_year.get(key)),
                "lower_is_better": "1" if key in LOWER_IS_BETTER else "",
            }
        )
    return tiles
