"""A small trading world for order tests: products with prices and stock, a customer, people."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pyotp

from oms_app.catalog.models import Category, PriceList, PriceListItem, Product
from oms_app.core.permissions import Actor
from oms_app.customers.models import Customer, CustomerAddress
from oms_app.inventory.models import BinLocation, StockMovement, Warehouse
from tests.factories.accounts import actor_of, enable_totp, make_user

FINANCE_SECRET = pyotp.random_base32()


@dataclass
class World:
    rep: Actor
    manager: Actor
    finance: Actor
    warehouse: Actor
    customer_code: str = "C10001"


def make_catalogue(uow, *, stock: int = 500) -> None:
    """Two office products on the standard price list, in stock in Shanghai."""
    with uow:
        s = uow.session
        category = Category(code="OFF", name_zh="办公用品", name_en="Office")
        warehouse = Warehouse(code="SH", name="上海仓", province="上海市", city="上海市")
        s.add_all([category, warehouse])
        s.flush()
        products = [
            Product(
                sku="OFF-0001",
                name_zh="中性笔 0.5mm",
                name_en="Gel pen 0.5mm",
                category_id=category.id,
                specs={"颜色/color": "黑 black"},
                unit="box",
                list_price=Decimal("24.00"),
                standard_cost=Decimal("15.00"),
                moq=2,
                pack_size=2,
                barcode="6920000000018",
            ),
            Product(
                sku="OFF-0002",
                name_zh="A4 复印纸",
                name_en="A4 paper",
                category_id=category.id,
                specs={"规格/size": "A4 70g"},
                unit="pack",
                list_price=Decimal("32.50"),
                standard_cost=Decimal("26.00"),
                moq=1,
                pack_size=1,
                barcode="6920000000025",
            ),
        ]
        s.add_all(products)
        standard = PriceList(code="STD", name="标准价目表")
        s.add(standard)
        s.flush()
        s.add_all(
            PriceListItem(price_list_id=standard.id, product_id=p.id, price=p.list_price)
            for p in products
        )
        bins = [BinLocation(warehouse_id=warehouse.id, code=f"A-01-0{n}", zone="A") for n in (1, 2)]
        s.add_all(bins)
        s.flush()
        s.add_all(
            StockMovement(
                product_id=p.id,
                warehouse_id=warehouse.id,
                bin_id=b.id,
                kind="receipt",
                on_hand_delta=stock,
            )
            for p, b in zip(products, bins, strict=True)
        )
        uow.commit()


def add_default_address(uow, customer_id: int) -> None:
    with uow:
        uow.session.add(
            CustomerAddress(
                customer_id=customer_id,
                province="上海市",
                city="上海市",
                district="静安区",
                street="南京西路 1266 号",
                postcode="200040",
                receiver="王芳",
                phone="13812345678",
                is_default=True,
            )
        )
        uow.commit()


def make_world(uow, *, credit_limit: Decimal = Decimal("100000.00"), stock: int = 500) -> World:
    make_catalogue(uow, stock=stock)
    with uow:
        customer = Customer(
            code="C10001",
            name="上海华东贸易有限公司",
            tier="B",
            credit_limit=credit_limit,
            payment_terms_days=30,
            province="上海市",
            city="上海市",
        )
        uow.session.add(customer)
        uow.commit()
    add_default_address(uow, customer.id)
    people = {
        role: make_user(uow, username=role.replace("_", "-"), roles=[role])
        for role in ("sales", "sales_manager", "finance", "warehouse")
    }
    enable_totp(uow, people["finance"], FINANCE_SECRET)
    return World(
        rep=actor_of(uow, people["sales"]),
        manager=actor_of(uow, people["sales_manager"]),
        finance=actor_of(uow, people["finance"]),
        warehouse=actor_of(uow, people["warehouse"]),
    )
