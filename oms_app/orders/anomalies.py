"""Pure anomaly checks of an order: each finding has a code and the numbers behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from statistics import median

from oms_app.orders.rules import PricedLine, Totals

Z_LIMIT = Decimal("3.5")
MIN_HISTORY = 5


@dataclass(frozen=True)
class Anomaly:
    code: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class AnomalyContext:
    """Facts from the database the checks need."""

    price_tolerance_pct: Decimal
    available: dict[str, int]  # sku -> available stock over all warehouses
    credit_limit: Decimal | None  # None: prepaid, no credit to exceed
    exposure: Decimal  # open orders not yet paid, before this one
    history: dict[str, list[int]]  # sku -> this customer's past quantities
    duplicate_of: str | None = None  # the number of a same-lines order in the last 10 minutes


def robust_z(value: float, sample: list[int]) -> float | None:
    """The modified z-score (0.6745 (x - median) / MAD), None when it cannot be judged."""
    if len(sample) < MIN_HISTORY:
        return None
    mid = median(sample)
    mad = median(abs(x - mid) for x in sample)
    if mad == 0:
        return None if value <= 3 * mid else float("inf")
    return 0.6745 * (value - mid) / mad


def detect(lines: list[PricedLine], totals: Totals, ctx: AnomalyContext) -> list[Anomaly]:
    found: list[Anomaly] = []
    for line in lines:
        sku = line.product.sku
        if abs(line.price_deviation_pct) > ctx.price_tolerance_pct:
            found.append(
                Anomaly("price_mismatch", {"sku": sku, "deviation": str(line.price_deviation_pct)})
            )
        if line.quantity > ctx.available.get(sku, 0):
            found.append(
                Anomaly(
                    "insufficient_stock",
                    {
                        "sku": sku,
                        "requested": line.quantity,
                        "available": ctx.available.get(sku, 0),
                    },
                )
            )
        z = robust_z(line.quantity, ctx.history.get(sku, []))
        if z is not None and z > float(Z_LIMIT):
            found.append(
                Anomaly(
                    "unusual_quantity",
                    {
                        "sku": sku,
                        "quantity": line.quantity,
                        "typical": int(median(ctx.history[sku])),
                    },
                )
            )
    if ctx.credit_limit is not None and ctx.exposure + totals.grand_total > ctx.credit_limit:
        found.append(
            Anomaly(
                "credit_exceeded",
                {
                    "limit": str(ctx.credit_limit),
                    "exposure": str(ctx.exposure),
                    "order": str(totals.grand_total),
                },
            )
        )
    if ctx.duplicate_of:
        found.append(Anomaly("possible_duplicate", {"number": ctx.duplicate_of}))
    return _one_per_code(found)


def _one_per_code(found: list[Anomaly]) -> list[Anomaly]:
    """Keep the first finding per code, listing the other SKUs it concerns."""
    merged: dict[str, Anomaly] = {}
    for anomaly in found:
        if anomaly.code in merged:
            first = merged[anomaly.code]
            skus = first.params.get("more_skus", []) + [anomaly.params.get("sku")]
            merged[anomaly.code] = Anomaly(anomaly.code, {**first.params, "more_skus": skus})
        else:
            merged[anomaly.code] = anomaly
    return list(merged.values())
