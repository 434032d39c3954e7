"""The operations report's figures computed independently in pandas from the raw tables."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from statistics import mean, median

import pandas as pd

from oms_app.core.db import get_engine

ZONE = "Asia/Shanghai"
PRECEDENCE = ["sales", "sales_manager", "customer", "admin", "executive", "finance", "warehouse"]
STAGES = ("submit_to_approval", "approval_to_pick", "pick_to_ship")


def _read(sql: str, *times: str) -> pd.DataFrame:
    frame = pd.read_sql(sql, get_engine())
    for column in times:
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


def _local_day(moment: pd.Timestamp) -> date:
    return moment.tz_convert(ZONE).date()


def period_key(moment: pd.Timestamp, unit: str) -> str:
    day = _local_day(moment)
    if unit == "week":
        day -= timedelta(days=day.weekday())
    elif unit == "month":
        day = day.replace(day=1)
    elif unit == "all":
        return "all:"
    return f"{unit}:{day.isoformat()}"


def _hours(later, earlier) -> float:
    return (later - earlier).total_seconds() / 3600


class Book:
    """The raw tables, read once."""

    def __init__(self):
        self.orders = _read("SELECT id, warehouse_id, created_by FROM orders").set_index("id")
        self.events = _read("SELECT order_id, action, at FROM order_events", "at")
        self.roles = _read("SELECT user_id, role_code FROM user_roles")
        self.requests = _read("SELECT id, role FROM approval_requests").set_index("id")
        self.levels = _read("SELECT request_id, order_id, action, at FROM approval_events", "at")
        self.shipments = _read("SELECT id, order_id, warehouse_id FROM shipments").set_index("id")
        self.marks = _read(
            "SELECT shipment_id, to_status, actor_name, at FROM shipment_events", "at"
        )
        self.tasks = _read("SELECT shipment_id, state, picked_by, picked_at FROM pick_tasks")
        self.tasks["picked_at"] = pd.to_datetime(self.tasks["picked_at"], utc=True)
        self.houses = _read("SELECT id, code FROM warehouses")

    def first(self, action: str) -> dict[int, pd.Timestamp]:
        rows = self.events[self.events["action"] == action]
        return rows.groupby("order_id")["at"].min().to_dict()

    def first_mark(self, to_status: str) -> dict[int, tuple[pd.Timestamp, str]]:
        rows = self.marks[self.marks["to_status"] == to_status].sort_values("at")
        return {
            int(r.shipment_id): (r.at, r.actor_name)
            for r in rows.drop_duplicates("shipment_id").itertuples()
        }

    def rep_team(self, user_id) -> str:
        if pd.isna(user_id):
            return "sales:none"
        held = set(self.roles.loc[self.roles["user_id"] == user_id, "role_code"])
        role = next((r for r in PRECEDENCE if r in held), "other")
        return f"sales:{role}"


def expected(date_from: date, date_to: date, group_by: str, warehouse: str) -> dict[str, dict]:
    """Rows by group key, with the counts, rates and stage durations of the report."""
    book = Book()
    ids = set(book.houses.loc[book.houses["code"] == warehouse, "id"])

    def allowed(warehouse_id) -> bool:
        return not warehouse or warehouse_id in ids

    def within(moment) -> bool:
        return not pd.isna(moment) and date_from <= _local_day(moment) <= date_to

    team = group_by == "team"
    counts: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    hours: dict[str, dict] = defaultdict(lambda: defaultdict(list))
    submits, approvals = book.first("submit"), book.first("approve")
    _orders(book, submits, within, allowed, team, group_by, counts)
    _decisions(book, submits, within, allowed, team, group_by, counts, hours)
    _warehouse(book, approvals, within, allowed, team, group_by, counts, hours)
    return _rows(counts, hours)


def _orders(book, submits, within, allowed, team, unit, counts) -> None:
    revisions = book.events[book.events["action"] == "revise"]
    for order_id, at in submits.items():
        if not within(at) or not allowed(book.orders.at[order_id, "warehouse_id"]):
            continue
        key = (
            book.rep_team(book.orders.at[order_id, "created_by"]) if team else period_key(at, unit)
        )
        counts[key]["submitted"] += 1
        mine = revisions[(revisions["order_id"] == order_id) & (revisions["at"] > at)]
        counts[key]["corrected"] += int(not mine.empty)


def _decisions(book, submits, within, allowed, team, unit, counts, hours) -> None:
    if team:
        rows = book.levels.assign(
            key=lambda f: "approval:" + f["request_id"].map(book.requests["role"])
        )
    else:
        rows = book.events.assign(key=lambda f: f["at"].map(lambda m: period_key(m, unit)))
    keep = rows["action"].isin(["approve", "reject"]) & rows["at"].map(within).astype(bool)
    in_house = rows["order_id"].map(lambda o: allowed(book.orders.at[o, "warehouse_id"]))
    rows = rows[keep & in_house.astype(bool)]
    for (_, key), group in rows.groupby(["order_id", "key"]):
        counts[key]["decided"] += 1
        counts[key]["rejected"] += int((group["action"] == "reject").any())
    approved = rows[rows["action"] == "approve"].sort_values("at")
    if not team:
        approved = approved.drop_duplicates("order_id")
    for row in approved.itertuples():
        if row.order_id in submits:
            hours[row.key]["submit_to_approval"].append(_hours(row.at, submits[row.order_id]))


def _warehouse(book, approvals, within, allowed, team, unit, counts, hours) -> None:
    picked, shipped = book.first_mark("picked"), book.first_mark("shipped")
    for shipment_id, (pick_at, picker) in picked.items():
        order_id, warehouse_id = book.shipments.loc[shipment_id, ["order_id", "warehouse_id"]]
        if not allowed(warehouse_id):
            continue
        if within(pick_at) and order_id in approvals:
            key = f"picker:{picker}" if team else period_key(pick_at, unit)
            hours[key]["approval_to_pick"].append(_hours(pick_at, approvals[order_id]))
        ship_at = shipped.get(shipment_id, (pd.NaT,))[0]
        if within(ship_at):
            key = f"picker:{picker}" if team else period_key(ship_at, unit)
            hours[key]["pick_to_ship"].append(_hours(ship_at, pick_at))
    for task in book.tasks.itertuples():
        warehouse_id = book.shipments.at[task.shipment_id, "warehouse_id"]
        if task.state not in ("done", "short") or not within(task.picked_at):
            continue
        if allowed(warehouse_id):
            key = f"picker:{task.picked_by}" if team else period_key(task.picked_at, unit)
            counts[key]["pick_tasks"] += 1
            counts[key]["short_picks"] += int(task.state == "short")


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _rows(counts, hours) -> dict[str, dict]:
    rows = {}
    for key in set(counts) | set(hours):
        c = counts[key]
        row = {name: c[name] for name in ("submitted", "corrected", "decided", "rejected")}
        row.update(pick_tasks=c["pick_tasks"], short_picks=c["short_picks"])
        row["correction_rate"] = _rate(c["corrected"], c["submitted"])
        row["rejection_rate"] = _rate(c["rejected"], c["decided"])
        row["short_pick_rate"] = _rate(c["short_picks"], c["pick_tasks"])
        for stage in STAGES:
            values = hours[key][stage]
            row[stage] = {
                "count": len(values),
                "avg_hours": round(mean(values), 2) if values else None,
                "median_hours": round(median(values), 2) if values else None,
            }
        rows[key] = row
    return rows
