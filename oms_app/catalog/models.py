"""Products, categories and price lists."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import Field, SQLModel

from oms_app.core.db import json_field, money_field


class Category(SQLModel, table=True):
    __tablename__ = "categories"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name_zh: str = Field(max_length=64)
    name_en: str = Field(max_length=64)


class Product(SQLModel, table=True):
    __tablename__ = "products"

    id: int | None = Field(default=None, primary_key=True)
    sku: str = Field(max_length=32, unique=True, index=True)
    name_zh: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    category_id: int = Field(foreign_key="categories.id", index=True)
    specs: dict = json_field()
    unit: str = Field(default="pcs", max_length=16)
    list_price: Decimal = money_field()
    standard_cost: Decimal = money_field()
    moq: int = Field(default=1, description="minimum order quantity")
    pack_size: int = Field(default=1, description="order in multiples of this")
    barcode: str = Field(default="", max_length=32, index=True)
    is_active: bool = Field(default=True)


class PriceList(SQLModel, table=True):
    __tablename__ = "price_lists"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=120)
    currency: str = Field(default="CNY", max_length=3)
    customer_tier: str = Field(default="", max_length=8, description="empty = all tiers")
    valid_from: date | None = Field(default=None)
    valid_to: date | None = Field(default=None)


class PriceListItem(SQLModel, table=True):
    __tablename__ = "price_list_items"

    id: int | None = Field(default=None, primary_key=True)
    price_list_id: int = Field(foreign_key="price_lists.id", index=True)
    product_id: int = Field(foreign_key="products.id", index=True)
    min_qty: int = Field(default=1)
    price: Decimal = money_field()
