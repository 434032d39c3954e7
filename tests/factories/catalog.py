"""Categories, products and warehouses for tests (products go through the real service)."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.catalog import service as catalog_service
from oms_app.catalog.models import Category, Product
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.inventory import ledger
from oms_app.inventory.models import StockMovement, Warehouse


def make_category(
    uow, *, code: str = "OFF", name_zh: str = "办公用品", name_en: str = "Office"
) -> int:
    with uow:
        row = Category(code=code, name_zh=name_zh, name_en=name_en)
        uow.session.add(row)
        uow.commit()
        return row.id


def product_input(**overrides) -> catalog_service.ProductInput:
    values = {
        "name_zh": "得力订书机 12号",
        "name_en": "Deli stapler No. 12",
        "category": "OFF",
        "list_price": "25.50",
        "standard_cost": "15.00",
        "unit": "pcs",
        "moq": 10,
        "pack_size": 10,
        "barcode": "",
    }
    return catalog_service.ProductInput(**{**values, **overrides})


def make_product(uow, *, sku: str = "OFF-0001", **overrides) -> dict:
    product, _ = catalog_service.upsert_product(
        uow, actor=SYSTEM_ACTOR, sku=sku, data=product_input(**overrides)
    )
    return product


def make_warehouse(uow, *, code: str = "SH", name: str = "上海仓 Shanghai") -> int:
    with uow:
        row = Warehouse(code=code, name=name, province="上海市", city="上海市")
        uow.session.add(row)
        uow.commit()
        return row.id


def add_movement(
    uow, *, warehouse_id: int, product_id: int, kind: str, on_hand: int = 0, reserved: int = 0
) -> None:
    """Append a raw movement (receipts and reservations belong to other use cases)."""
    with uow:
        uow.session.add(
            StockMovement(
                product_id=product_id,
                warehouse_id=warehouse_id,
                bin_id=ledger.receiving_bin(uow, warehouse_id=warehouse_id),
                kind=kind,
                on_hand_delta=on_hand,
                reserved_delta=reserved,
            )
        )
        uow.commit()


def ean13(first_twelve: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first_twelve))
    return first_twelve + str((10 - total % 10) % 10)


def product_id(uow, sku: str) -> int:
    with uow:
        return uow.session.scalar(sa.select(Product.id).where(Product.sku == sku))
