"""The dashboard's series computed independently in pandas from the raw tables (test oracle)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from oms_app.core.db import get_engine

ZONE = "Asia/Shanghai"
NOT_BOOKED = {"draft", "pending_approval", "rejected", "cancelled"}
ZERO = Decimal("0.00")
STAGES = [
    ("submitted", {"pending_approval"}),
    ("approved", {"approved", "allocated", "picking", "on_hold"}),
    ("picked", {"packed"}),
    ("shipped", {"partially_shipped", "shipped"}),
    ("delivered", {"delivered", "completed"}),
]


def read(sql: str) -> pd.DataFrame:
    return pd.read_sql(sql, get_engine(), coerce_float=False)


def last_year(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def orders_of(flt, first: date | None = None, last: date | None = None, booked=True):
    """The filter's orders created on [first, last] (default: its period), booked or all."""
    first, last = first or flt.date_from, last or flt.date_to
    orders = read("SELECT * FROM orders")
    orders["day"] = pd.to_datetime(orders["created_at"], utc=True).dt.tz_convert(ZONE).dt.date
    keep = (orders["day"] >= first) & (orders["day"] <= last)
    if booked:
        keep &= ~orders["status"].isin(NOT_BOOKED)
    if flt.warehouse:
        houses = read("SELECT id, code FROM warehouses")
        keep &= orders["warehouse_id"].isin(set(houses.loc[houses["code"] == flt.warehouse, "id"]))
    if flt.channel:
        keep &= orders["channel"] == flt.channel
    if flt.rep:
        users = read("SELECT id, username FROM users")
        keep &= orders["created_by"].isin(set(users.loc[users["username"] == flt.rep, "id"]))
    if flt.category:
        lines = lines_with_products()
        holding = set(lines.loc[lines["category"] == flt.category, "order_id"])
        keep &= orders["id"].isin(holding)
    orders = orders[keep].copy()
    orders["revenue"] = orders["subtotal"] - orders["discount_total"]
    return orders


def lines_with_products() -> pd.DataFrame:
    lines = read("SELECT * FROM order_lines")
    products = read(
        "SELECT p.id AS product_id, p.sku AS product_sku, c.code AS category,"
        " c.name_en AS category_name FROM products p JOIN categories c ON c.id = p.category_id"
    )
    lines = lines.merge(products, on="product_id")
    lines["revenue"] = [
        t - (t * pct / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
        for t, pct in zip(lines["line_total"], lines["discount_pct"], strict=True)
    ]
    return lines


def money_sum(values) -> Decimal:
    return sum(values, ZERO)


def trend(flt) -> list[dict]:
    first = flt.date_from - timedelta(days=27)
    now = orders_of(flt, first, flt.date_to).groupby("day")
    before = orders_of(flt, last_year(flt.date_from), last_year(flt.date_to)).groupby("day")
    now_rev, now_n = now["revenue"].agg(money_sum), now["id"].count()
    before_rev = before["revenue"].agg(money_sum)
    rows = []
    for n in range((flt.date_to - first).days + 1):
        day = first + timedelta(days=n)
        in_period = day >= flt.date_from
        rows.append(
            {
                "day": day,
                "revenue": now_rev.get(day, ZERO),
                "orders": int(now_n.get(day, 0)),
                "in_period": in_period,
                "last_year_revenue": before_rev.get(last_year(day), ZERO) if in_period else None,
            }
        )
    return rows


def ranked_lines(flt, key: str, limit: int = 20) -> tuple[list[tuple[str, Decimal]], Decimal]:
    lines = lines_with_products()
    lines = lines[lines["order_id"].isin(set(orders_of(flt)["id"]))]
    if flt.category:
        lines = lines[lines["category"] == flt.category]
    sums = lines.groupby(key)["revenue"].agg(money_sum)
    ordered = sorted(sums.items(), key=lambda kv: (-kv[1], kv[0]))
    return ordered[:limit], money_sum(sums.values)


def by_province(flt) -> dict[str, tuple[Decimal, int]]:
    return by_column_of(orders_of(flt), "ship_province")


def by_rep(flt) -> dict[str, tuple[Decimal, int]]:
    orders = orders_of(flt)
    users = read("SELECT id, username FROM users").set_index("id")["username"]
    orders["username"] = ["" if pd.isna(u) else users[int(u)] for u in orders["created_by"]]
    return by_column_of(orders, "username")


def by_column_of(orders: pd.DataFrame, column: str) -> dict[str, tuple[Decimal, int]]:
    return {k: (money_sum(g["revenue"]), len(g)) for k, g in orders.groupby(column)}


def first_events(flt) -> pd.DataFrame:
    orders = orders_of(flt, booked=False)
    events = read("SELECT order_id, to_status, at FROM order_events")
    events = events[events["order_id"].isin(set(orders["id"]))].copy()
    events["at"] = pd.to_datetime(events["at"], utc=True)
    return events


def funnel(flt) -> list[dict]:
    events = first_events(flt)
    rank = {s: n for n, (_, statuses) in enumerate(STAGES, 1) for s in statuses}
    events["rank"] = events["to_status"].map(rank).fillna(0)
    reached = events.groupby("order_id")["rank"].max()
    return [
        {"stage": name, "orders": int((reached >= n).sum())}
        for n, (name, _) in enumerate(STAGES, 1)
    ]


def stage_boxes(flt) -> dict[str, dict]:
    events = first_events(flt)
    marks = {
        "submitted": {"pending_approval"},
        "approved": {"approved"},
        "shipped": {"partially_shipped", "shipped"},
        "delivered": {"delivered", "completed"},
    }
    firsts = pd.DataFrame(
        {
            name: events[events["to_status"].isin(s)].groupby("order_id")["at"].min()
            for name, s in marks.items()
        }
    )
    boxes = {}
    for stage, start, end in (
        ("submit_to_approval", "submitted", "approved"),
        ("approval_to_ship", "approved", "shipped"),
        ("ship_to_delivery", "shipped", "delivered"),
    ):
        pair = firsts[[start, end]].dropna()
        hours = ((pair[end] - pair[start]).dt.total_seconds() / 3600).to_numpy()
        if len(hours) == 0:
            continue
        q1, median, q3 = np.percentile(hours, [25, 50, 75])
        reach = 1.5 * (q3 - q1)
        boxes[stage] = {
            "n": len(hours),
            "mean": hours.mean(),
            "q1": q1,
            "median": median,
            "q3": q3,
            "lowerfence": hours[hours >= q1 - reach].min(),
            "upperfence": hours[hours <= q3 + reach].max(),
        }
    return boxes
