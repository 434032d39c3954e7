"""Read side of the catalogue."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.catalog.models import Category, Product
from oms_app.core.i18n import one_language
from oms_app.core.paging import PageRequest, run_page
from oms_app.core.permissions import Actor, Permission, require
from oms_app.core.text import readable

SORTS = {
    "sku": Product.sku,
    "name": Product.name_zh,
    "price": Product.list_price,
    "category": Category.code,
}


def _filtered(stmt: sa.Select, request: PageRequest, category: str) -> sa.Select:
    """Narrow a products-join-categories statement by category code and free text."""
    if category:
        stmt = stmt.where(Category.code == category)
    text = request.search.strip()
    if text:
        like = f"%{text}%"
        stmt = stmt.where(
            sa.or_(
                Product.sku.ilike(like),
                Product.name_zh.ilike(like),
                Product.name_en.ilike(like),
                Product.barcode == text,
            )
        )
    return stmt


def list_products(uow, *, actor: Actor, request: PageRequest, category: str = "") -> dict:
    require(actor, Permission.PRODUCT_VIEW)
    stmt = sa.select(Product, Category.name_zh, Category.name_en).join(
        Category, Category.id == Product.category_id
    )
    stmt = _filtered(stmt, request, category)
    zh = actor.locale == "zh_CN"
    with uow:  # rows are read before the block ends: leaving it expires the loaded products
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
                    "specs": specs_text(p.specs, actor.locale),
                }
                for p, cat_zh, cat_en in rows
            ],
            "total": total,
        }


def specs_text(specs: dict | None, locale: str) -> str:
    """Specs as one line in the reader's language: "品牌：鑫达；规格：0.5mm"."""
    pairs = [
        (one_language(str(k), locale), one_language(str(v), locale))
        for k, v in readable(specs or {}).items()
    ]
    if locale == "zh_CN":
        return "；".join(f"{k}：{v}" for k, v in pairs)
    return "; ".join(f"{k}: {v}" for k, v in pairs)


def product_record(product: Product, category_code: str) -> dict:
    """A product as plain values (money stays Decimal; the edge decides how to print it)."""
    return {
        "sku": product.sku,
        "name_zh": product.name_zh,
        "name_en": product.name_en,
        "category": category_code,
        "unit": product.unit,
        "list_price": product.list_price,
        "standard_cost": product.standard_cost,
        "moq": product.moq,
        "pack_size": product.pack_size,
        "barcode": product.barcode,
        # json columns kept the escapes of lone surrogates stored before the input rule
        "specs": readable(dict(product.specs or {})),
        "is_active": product.is_active,
    }


def list_product_records(uow, *, actor: Actor, request: PageRequest, category: str = "") -> dict:
    """A page of products as full records (for the API), filtered by category and text."""
    require(actor, Permission.PRODUCT_VIEW)
    stmt = sa.select(Product, Category.code).join(Category, Category.id == Product.category_id)
    stmt = _filtered(stmt, request, category)
    with uow:  # rows are read before the block ends: leaving it expires the loaded products
        rows, total = run_page(uow.session, stmt, request, SORTS, "sku", Product.id)
        return {"rows": [product_record(p, code) for p, code in rows], "total": total}
