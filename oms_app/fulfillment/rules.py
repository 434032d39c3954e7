"""Pure warehouse rules: where to take stock from, the walk through the bins, waves, cut-offs,
and how shipment progress moves the order. No I/O."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from oms_app.orders.status import OrderAction, OrderStatus


@dataclass(frozen=True)
class NeedLine:
    order_line_id: int
    product_id: int
    quantity: int


@dataclass(frozen=True)
class BinStock:
    bin_id: int
    bin_code: str
    available: int


@dataclass(frozen=True)
class BinPick:
    order_line_id: int
    product_id: int
    bin_id: int
    bin_code: str
    quantity: int


@dataclass
class PlanPart:
    warehouse_id: int
    picks: list[BinPick] = field(default_factory=list)

    def units(self) -> int:
        return sum(p.quantity for p in self.picks)


@dataclass
class AllocationPlan:
    """Where each unit comes from; `short` is what no warehouse can give (line id -> qty)."""

    parts: list[PlanPart]
    short: dict[int, int]

    @property
    def complete(self) -> bool:
        return not self.short

    @property
    def split(self) -> bool:
        return len(self.parts) > 1


# Stock per warehouse id -> product id -> bins in walking order.
StockMap = Mapping[int, Mapping[int, Sequence[BinStock]]]


def _available(stock: StockMap, warehouse_id: int, product_id: int) -> int:
    return sum(b.available for b in stock.get(warehouse_id, {}).get(product_id, ()))


def _can_fill(stock: StockMap, warehouse_id: int, lines: Sequence[NeedLine]) -> bool:
    return all(_available(stock, warehouse_id, n.product_id) >= n.quantity for n in lines)


def choose_bins(bins: Sequence[BinStock], quantity: int) -> list[tuple[BinStock, int]]:
    """One bin that holds it all (first on the walk), else bins in walking order."""
    for b in bins:
        if b.available >= quantity:
            return [(b, quantity)]
    taken, left = [], quantity
    for b in bins:
        if left <= 0:
            break
        take = min(b.available, left)
        if take > 0:
            taken.append((b, take))
            left -= take
    return taken


def plan_allocation(
    lines: Sequence[NeedLine],
    stock: StockMap,
    distances: Mapping[int, float],
    *,
    allow_split: bool,
) -> AllocationPlan:
    """The nearest warehouse that can fill the order; else the one with the most stock, the
    rest from the next nearest when the order may be split; else nothing (a backorder)."""
    lines = [n for n in lines if n.quantity > 0]
    nearest_first = sorted(distances, key=lambda w: (distances[w], w))
    full = [w for w in nearest_first if _can_fill(stock, w, lines)]
    if full:
        return AllocationPlan([_take(stock, full[0], lines)], {})
    if not allow_split:
        return AllocationPlan([], {n.order_line_id: n.quantity for n in lines})

    def coverage(w: int) -> int:
        return sum(min(_available(stock, w, n.product_id), n.quantity) for n in lines)

    richest = max(nearest_first, key=lambda w: (coverage(w), -distances[w]), default=None)
    order = [richest] + [w for w in nearest_first if w != richest] if richest else []
    remaining = {n.order_line_id: n.quantity for n in lines}
    parts = []
    for w in order:
        wanted = [
            NeedLine(n.order_line_id, n.product_id, remaining[n.order_line_id])
            for n in lines
            if remaining[n.order_line_id] > 0
        ]
        part = _take(stock, w, wanted)
        for pick in part.picks:
            remaining[pick.order_line_id] -= pick.quantity
        if part.picks:
            parts.append(part)
    short = {line_id: qty for line_id, qty in remaining.items() if qty > 0}
    return AllocationPlan(parts if not short else [], short)


def _take(stock: StockMap, warehouse_id: int, lines: Sequence[NeedLine]) -> PlanPart:
    part = PlanPart(warehouse_id)
    for n in lines:
        bins = stock.get(warehouse_id, {}).get(n.product_id, ())
        for b, qty in choose_bins(bins, n.quantity):
            part.picks.append(BinPick(n.order_line_id, n.product_id, b.bin_id, b.bin_code, qty))
    return part


_BIN = re.compile(r"^([A-Z]+)-(\d+)-(\d+)$")


def bin_path_key(code: str) -> tuple:
    """Walking order: zone by zone, aisle by aisle, up one aisle and down the next."""
    m = _BIN.match(code.strip().upper())
    if not m:
        return ("~", 0, 0, code)
    zone, aisle, level = m.group(1), int(m.group(2)), int(m.group(3))
    return (zone, aisle, level if aisle % 2 else -level, code)


def primary_zone(bin_codes_and_units: Sequence[tuple[str, int]]) -> str:
    """The zone that holds most of a shipment's units (its wave's zone)."""
    units: dict[str, int] = defaultdict(int)
    for code, qty in bin_codes_and_units:
        units[code.split("-", 1)[0] if "-" in code else ""] += qty
    return max(sorted(units), key=lambda z: units[z], default="")


@dataclass(frozen=True)
class WaveCandidate:
    shipment_id: int
    warehouse_id: int
    zone: str
    carrier: str
    cutoff_at: datetime | None
    priority: int
    created_at: datetime


@dataclass(frozen=True)
class WavePlan:
    warehouse_id: int
    zone: str
    carrier: str
    cutoff_at: datetime | None
    priority: int
    shipment_ids: tuple[int, ...]


def build_waves(candidates: Sequence[WaveCandidate], *, max_shipments: int) -> list[WavePlan]:
    """Group by warehouse, zone, carrier and cut-off; urgent first; at most N per wave."""
    groups: dict[tuple, list[WaveCandidate]] = defaultdict(list)
    for c in candidates:
        groups[(c.warehouse_id, c.zone, c.carrier, c.cutoff_at)].append(c)
    waves = []
    for (warehouse_id, zone, carrier, cutoff), members in groups.items():
        members.sort(key=lambda c: (c.priority, c.created_at, c.shipment_id))
        for start in range(0, len(members), max(1, max_shipments)):
            chunk = members[start : start + max(1, max_shipments)]
            waves.append(
                WavePlan(
                    warehouse_id,
                    zone,
                    carrier,
                    cutoff,
                    min(c.priority for c in chunk),
                    tuple(c.shipment_id for c in chunk),
                )
            )
    far_future = datetime.max.replace(tzinfo=ZoneInfo("UTC"))
    return sorted(waves, key=lambda w: (w.cutoff_at or far_future, w.priority, w.shipment_ids))


# Latest hand-over to each carrier, in the warehouse's local time.
CARRIER_CUTOFFS = {
    "SF": time(18, 0),
    "JD": time(18, 0),
    "ZTO": time(17, 0),
    "YTO": time(17, 0),
    "EMS": time(16, 0),
    "FREIGHT": time(15, 0),
    "": time(20, 0),  # self-pickup: the counter closes
}


def next_cutoff(carrier: str, now: datetime, zone: ZoneInfo) -> datetime:
    """The carrier's next cut-off after `now`, in UTC."""
    local = now.astimezone(zone)
    cut = CARRIER_CUTOFFS.get(carrier, time(17, 0))
    at = datetime.combine(local.date(), cut, tzinfo=zone)
    if at <= local:
        at += timedelta(days=1)
    return at.astimezone(ZoneInfo("UTC"))


def shipment_priority(requested: date | None, today: date) -> int:
    """1 when the customer wants it by tomorrow, 3 when more than a week away, else 2."""
    if requested is None:
        return 2
    if requested <= today + timedelta(days=1):
        return 1
    return 3 if requested > today + timedelta(days=7) else 2


_RANK = {
    OrderStatus.ALLOCATED: 0,
    OrderStatus.PICKING: 1,
    OrderStatus.PACKED: 2,
    OrderStatus.PARTIALLY_SHIPPED: 3,
    OrderStatus.SHIPPED: 4,
    OrderStatus.DELIVERED: 5,
}
_FORWARD = {
    OrderStatus.ALLOCATED: (OrderAction.START_PICKING, OrderStatus.PICKING),
    OrderStatus.PICKING: (OrderAction.PACK, OrderStatus.PACKED),
    OrderStatus.PACKED: (OrderAction.SHIP, OrderStatus.SHIPPED),
    OrderStatus.PARTIALLY_SHIPPED: (OrderAction.SHIP, OrderStatus.SHIPPED),
    OrderStatus.SHIPPED: (OrderAction.DELIVER, OrderStatus.DELIVERED),
}
_SHIPMENT_STAGE = {
    "allocated": 0,
    "picking": 1,
    "picked": 1,
    "packing": 1,
    "packed": 2,
    "shipped": 3,
    "delivered": 4,
}


def order_target(shipment_statuses: Sequence[str], *, waiting_backorder: bool) -> OrderStatus:
    """The order status its shipments add up to."""
    stages = [_SHIPMENT_STAGE[s] for s in shipment_statuses if s in _SHIPMENT_STAGE]
    if not stages:
        return OrderStatus.ALLOCATED
    if min(stages) >= 3 and not waiting_backorder:
        return OrderStatus.DELIVERED if min(stages) == 4 else OrderStatus.SHIPPED
    if max(stages) >= 3:
        return OrderStatus.PARTIALLY_SHIPPED
    if min(stages) == 2:
        return OrderStatus.PACKED
    return OrderStatus.PICKING if max(stages) >= 1 else OrderStatus.ALLOCATED


def order_steps(
    current: str, shipment_statuses: Sequence[str], *, waiting_backorder: bool
) -> list[OrderAction]:
    """The order actions that bring `current` forward to what its shipments add up to."""
    status = OrderStatus(current)
    target = order_target(shipment_statuses, waiting_backorder=waiting_backorder)
    if status not in _RANK or _RANK[status] >= _RANK[target]:
        return []
    if target == OrderStatus.PARTIALLY_SHIPPED:
        return [OrderAction.SHIP_PART]
    steps = []
    while _RANK[status] < _RANK[target]:
        action, status = _FORWARD[status]
        steps.append(action)
    return steps
