"""Read side of the catalogue."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.catalog.models import Category, Product
from oms_app.core.paging import PageRequest, run_page
from oms_app.core.permissions import Actor, Permission, require

SORTS = {
    "sku": Product.sku,
    "name": Product.name_zh,
    "price": Product.list_price,
    "category": Category.code,
}


def list_products(uow, *, actor: Actor, request: PageRequest, category: str = "") -> dict:
    require(actor, Permission.PRODUCT_VIEW)
    stmt = sa.select(Product, Category.name_zh, Category.name_en).join(
        Category, Category.id == Product.category_id
    )
    if category:
        stmt = stmt.where(Category.code == category)
    if request.search.strip():
        like = f"%{request.search.strip()}%"
        stmt = stmt.where(
            sa.or_(
                Product.sku.ilike(like),
                Product.name_zh.ilike(like),
                Product.name_en.ilike(like),
                Product.barcode == request.search,
            )
        )
    zh = actor.locale == "zh_CN"
    with uow:
        rows, total = run_page(uow.session, stmt, request, SORTS, "sku", Product.id)
    return {
        "rows": [
            {
                "id": p.id,
                "sku": p.sku,
                "name": p.name_zh if zh else p.name_en,
                "category": cat_zh if zh else cat_en,
                "unit": p.unit,
                "price": f"{p.list_price:,.2f}",
                "cost": f"{p.standard_cost:,.2f}",
                "moq": p.moq,
                "pack": p.pack_size,
                "barcode": p.barcode,
                "specs": "; ".join(f"{k}: {v}" for k, v in (p.specs or {}).items()),
            }
            for p, cat_zh, cat_en in rows
        ],
        "total": total,
    }


def list_categories(uow) -> list[dict]:
    with uow:
        return [
            {"code": c.code, "name_zh": c.name_zh, "name_en": c.name_en}
            for c in uow.session.scalars(sa.select(Category).order_by(Category.code))
        ]
