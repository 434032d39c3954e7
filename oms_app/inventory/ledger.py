"""The stock ledger as other areas use it: lock, read levels per bin, append movements.

Every quantity is a sum of movements; nothing here updates a row. Callers lock each
(warehouse, SKU) they decide on with `lock_many` before reading, in one sorted order so that
parallel transactions never deadlock.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.dialects.postgresql

from oms_app.inventory import valuation
from oms_app.inventory.models import BinLocation, StockMovement, Warehouse

# Where picked goods wait to be packed; never allocated from.
STAGING_ZONE, STAGING_BIN = "PACK", "PACK-01"
# Where goods counted or received without a bin are kept.
RECEIVING_ZONE, RECEIVING_BIN = "R", "RECV-01"


@dataclass(frozen=True)
class Move:
    """One ledger line to append."""

    kind: str
    product_id: int
    warehouse_id: int
    bin_id: int | None
    on_hand: int = 0
    reserved: int = 0
    ref_type: str = ""
    ref_id: str = ""


@dataclass(frozen=True)
class BinLevel:
    warehouse_id: int
    product_id: int
    bin_id: int | None
    bin_code: str
    zone: str
    on_hand: int
    reserved: int

    @property
    def is_staging(self) -> bool:
        return self.zone == STAGING_ZONE

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


@dataclass(frozen=True)
class WarehouseInfo:
    id: int
    code: str
    name: str
    province: str


def lock_stock(session, *, warehouse_id: int, product_id: int) -> None:
    """Serialize every writer of one SKU x warehouse until the transaction ends.

    Levels are sums of movements, so there is no row to lock FOR UPDATE; every service that
    reads a level to decide a movement takes this lock first.
    """
    key = f"stock:{warehouse_id}:{product_id}"
    session.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(key))))


def stock_level(session, *, warehouse_id: int, product_id: int) -> tuple[int, int]:
    """(on_hand, reserved) summed from the movements."""
    m = StockMovement
    row = session.execute(
        sa.select(
            sa.func.coalesce(sa.func.sum(m.on_hand_delta), 0),
            sa.func.coalesce(sa.func.sum(m.reserved_delta), 0),
        ).where(m.warehouse_id == warehouse_id, m.product_id == product_id)
    ).one()
    return int(row[0]), int(row[1])


def _level(row) -> BinLevel:
    w, p, b, code, zone, on_hand, reserved = row
    return BinLevel(w, p, b, code, zone, int(on_hand), int(reserved))


def list_warehouses(uow) -> list[WarehouseInfo]:
    rows = uow.session.scalars(sa.select(Warehouse).order_by(Warehouse.code)).all()
    return [WarehouseInfo(w.id, w.code, w.name, w.province) for w in rows]


def lock_many(uow, pairs: Iterable[tuple[int, int]]) -> None:
    """Lock (warehouse id, product id) pairs in a fixed order (no deadlocks between callers)."""
    for warehouse_id, product_id in sorted(set(pairs)):
        lock_stock(uow.session, warehouse_id=warehouse_id, product_id=product_id)


def bin_levels(
    uow, *, product_ids: Iterable[int], warehouse_ids: Iterable[int] | None = None
) -> list[BinLevel]:
    """On hand and reserved per bin for these products (bins holding nothing are left out)."""
    m = StockMovement
    product_ids = sorted(set(product_ids))
    if not product_ids:
        return []
    stmt = (
        sa.select(
            m.warehouse_id,
            m.product_id,
            m.bin_id,
            sa.func.coalesce(BinLocation.code, ""),
            sa.func.coalesce(BinLocation.zone, ""),
            sa.func.sum(m.on_hand_delta),
            sa.func.sum(m.reserved_delta),
        )
        .outerjoin(BinLocation, BinLocation.id == m.bin_id)
        .where(m.product_id.in_(product_ids))
        .group_by(m.warehouse_id, m.product_id, m.bin_id, BinLocation.code, BinLocation.zone)
        .having(sa.or_(sa.func.sum(m.on_hand_delta) != 0, sa.func.sum(m.reserved_delta) != 0))
    )
    if warehouse_ids is not None:
        stmt = stmt.where(m.warehouse_id.in_(sorted(set(warehouse_ids))))
    return [_level(row) for row in uow.session.execute(stmt)]


def levels_by_ref(uow, *, ref_type: str, ref_id: str) -> list[BinLevel]:
    """What one document (a shipment) holds: reserved and on hand per bin."""
    m = StockMovement
    rows = uow.session.execute(
        sa.select(
            m.warehouse_id,
            m.product_id,
            m.bin_id,
            sa.func.coalesce(BinLocation.code, ""),
            sa.func.coalesce(BinLocation.zone, ""),
            sa.func.sum(m.on_hand_delta),
            sa.func.sum(m.reserved_delta),
        )
        .outerjoin(BinLocation, BinLocation.id == m.bin_id)
        .where(m.ref_type == ref_type, m.ref_id == ref_id)
        .group_by(m.warehouse_id, m.product_id, m.bin_id, BinLocation.code, BinLocation.zone)
    )
    return [_level(row) for row in rows]


def append(uow, moves: Iterable[Move], *, actor_id: int | None) -> None:
    """Append movements to the ledger (the caller holds the locks); receipts and adjustments
    are valued into the books in the same transaction."""
    rows = [
        StockMovement(
            product_id=mv.product_id,
            warehouse_id=mv.warehouse_id,
            bin_id=mv.bin_id,
            kind=mv.kind,
            on_hand_delta=mv.on_hand,
            reserved_delta=mv.reserved,
            ref_type=mv.ref_type,
            ref_id=mv.ref_id,
            actor_id=actor_id,
        )
        for mv in moves
        if mv.on_hand or mv.reserved
    ]
    uow.session.add_all(rows)
    uow.session.flush()
    valuation.book_stock_value(uow, rows)


def available_by_warehouse(uow, *, product_ids: Iterable[int]) -> dict[tuple[int, int], int]:
    """Available (on hand - reserved) per (warehouse id, product id)."""
    totals: dict[tuple[int, int], int] = defaultdict(int)
    for level in bin_levels(uow, product_ids=product_ids):
        totals[(level.warehouse_id, level.product_id)] += level.available
    return dict(totals)


def find_bin(uow, *, warehouse_id: int, code: str) -> tuple[int, str] | None:
    row = uow.session.execute(
        sa.select(BinLocation.id, BinLocation.code).where(
            BinLocation.warehouse_id == warehouse_id, BinLocation.code == code.strip().upper()
        )
    ).first()
    return (row[0], row[1]) if row else None


def _special_bin(uow, warehouse_id: int, code: str, zone: str) -> int:
    """The warehouse's bin with this code, made on first use (a unique index stops twins)."""
    found = find_bin(uow, warehouse_id=warehouse_id, code=code)
    if found:
        return found[0]
    uow.session.execute(
        sa.dialects.postgresql.insert(BinLocation)
        .values(warehouse_id=warehouse_id, code=code, zone=zone)
        .on_conflict_do_nothing()
    )
    return find_bin(uow, warehouse_id=warehouse_id, code=code)[0]


def staging_bin(uow, *, warehouse_id: int) -> int:
    return _special_bin(uow, warehouse_id, STAGING_BIN, STAGING_ZONE)


def receiving_bin(uow, *, warehouse_id: int) -> int:
    return _special_bin(uow, warehouse_id, RECEIVING_BIN, RECEIVING_ZONE)
