"""The demo company's master data: warehouses, catalogue and price lists (customers: see
customer_book)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from random import Random

from oms_app.core.money import to_money
from oms_app.demo.catalogue import (
    BIN_LAYOUT,
    BRANDS,
    CATEGORIES,
    COLOUR,
    WAREHOUSES,
    CategorySpec,
    ProductBase,
)
from oms_app.demo.customer_book import CustomerInfo, build_customers
from oms_app.demo.loading import TableRows
from oms_app.inventory.ledger import STAGING_BIN, STAGING_ZONE

PRODUCT_COUNT = 300
KEY_ACCOUNT_TIER = "A"


@dataclass(frozen=True)
class ProductInfo:
    """What an order line needs to know about a product."""

    id: int
    sku: str
    name_zh: str
    unit: str
    list_price: Decimal
    key_account_price: Decimal
    cost: Decimal
    moq: int
    pack: int
    bins: dict[int, int]  # warehouse id -> bin id


@dataclass(frozen=True)
class MasterData:
    products: list[ProductInfo]
    customers: list[CustomerInfo]
    warehouses: dict[int, str]  # id -> code
    tables: list[TableRows]


def build_master_data(rng: Random, *, last_ids: Mapping[str, int], opened: date) -> MasterData:
    """Make the warehouses, catalogue, price lists and customers, numbered after `last_ids`."""
    warehouses, bins, warehouse_tables = _warehouses(last_ids)
    category_ids, category_table = _categories(last_ids)
    products, product_table = _products(rng, category_ids, bins, last_ids)
    customers, customer_tables = build_customers(
        rng, warehouses=warehouses, last_ids=last_ids, opened=opened
    )
    tables = [
        *warehouse_tables,
        category_table,
        product_table,
        *_price_lists(products, last_ids, opened),
        *customer_tables,
    ]
    return MasterData(products, customers, {wid: code for code, wid in warehouses.items()}, tables)


def _warehouses(
    last_ids: Mapping[str, int],
) -> tuple[dict[str, int], dict[int, list[int]], list[TableRows]]:
    warehouse_rows, bin_rows = [], []
    ids: dict[str, int] = {}
    bins: dict[int, list[int]] = {}
    bin_id = last_ids["bin_locations"]
    for n, (code, name, province, city) in enumerate(WAREHOUSES, 1):
        wid = ids[code] = last_ids["warehouses"] + n
        warehouse_rows.append((wid, code, name, province, city))
        bins[wid] = []
        for zone, aisles, levels in BIN_LAYOUT:
            for aisle in range(1, aisles + 1):
                for level in range(1, levels + 1):
                    bin_id += 1
                    bins[wid].append(bin_id)
                    bin_rows.append((bin_id, wid, f"{zone}-{aisle:02d}-{level:02d}", zone))
        bin_id += 1  # the packing area, where picked goods wait (never stored or allocated)
        bin_rows.append((bin_id, wid, STAGING_BIN, STAGING_ZONE))
    return (
        ids,
        bins,
        [
            TableRows("warehouses", ("id", "code", "name", "province", "city"), warehouse_rows),
            TableRows("bin_locations", ("id", "warehouse_id", "code", "zone"), bin_rows),
        ],
    )


def _categories(last_ids: Mapping[str, int]) -> tuple[list[int], TableRows]:
    rows = [(last_ids["categories"] + n, c.code, c.zh, c.en) for n, c in enumerate(CATEGORIES, 1)]
    return [r[0] for r in rows], TableRows("categories", ("id", "code", "name_zh", "name_en"), rows)


PRODUCT_COLUMNS = (
    "id",
    "sku",
    "name_zh",
    "name_en",
    "category_id",
    "specs",
    "unit",
    "list_price",
    "standard_cost",
    "moq",
    "pack_size",
    "barcode",
    "is_active",
)


def _products(
    rng: Random, category_ids: list[int], bins: dict[int, list[int]], last_ids: Mapping[str, int]
) -> tuple[list[ProductInfo], TableRows]:
    products, rows = [], []
    for index, (category, category_id) in enumerate(zip(CATEGORIES, category_ids, strict=True)):
        count = PRODUCT_COUNT // len(CATEGORIES) + (index < PRODUCT_COUNT % len(CATEGORIES))
        for n, variant in enumerate(_pick_variants(rng, category, count), 1):
            seq = len(rows) + 1
            row = _product_row(
                rng,
                (last_ids["products"] + seq, f"{category.code}-{n:04d}"),
                category,
                category_id,
                variant,
                seq,
            )
            rows.append(row)
            pid, sku, name_zh, _, _, _, unit, price, cost, moq, pack = row[:11]
            products.append(
                ProductInfo(
                    id=pid,
                    sku=sku,
                    name_zh=name_zh,
                    unit=unit,
                    list_price=price,
                    key_account_price=to_money(price * rng.randint(90, 94) / 100),
                    cost=cost,
                    moq=moq,
                    pack=pack,
                    bins={wid: wbins[seq % len(wbins)] for wid, wbins in bins.items()},
                )
            )
    return products, TableRows("products", PRODUCT_COLUMNS, rows)


def _pick_variants(
    rng: Random, category: CategorySpec, count: int
) -> list[tuple[int, int, str, int]]:
    """Choose (base, spec, colour, brand) variants; a second brand when the kinds run out."""
    combos = [
        (b, s, colour)
        for b, base in enumerate(category.bases)
        for s in range(len(base.specs))
        for colour in base.colours or ("",)
    ]
    rng.shuffle(combos)
    first_brand = [rng.randrange(len(BRANDS)) for _ in category.bases]
    picked = []
    for k in range(count):
        b, s, colour = combos[k % len(combos)]
        brand = (first_brand[b] + 3 * (k // len(combos))) % len(BRANDS)
        picked.append((b, s, colour, brand))
    return sorted(picked)


def _product_row(
    rng: Random,
    key: tuple[int, str],
    category: CategorySpec,
    category_id: int,
    variant: tuple[int, int, str, int],
    seq: int,
) -> tuple:
    """One products row (see PRODUCT_COLUMNS) for a (base, spec, colour, brand) variant."""
    b, s, colour, brand = variant
    base = category.bases[b]
    brand_zh, brand_en = BRANDS[brand]
    spec_zh, spec_en = _split(base.specs[s])
    name_zh, name_en = f"{brand_zh}{base.zh} {spec_zh}", f"{brand_en} {base.en} {spec_en}"
    specs = {"品牌/brand": f"{brand_zh}/{brand_en}", base.spec_key: _bilingual(base.specs[s])}
    if colour:
        colour_zh, colour_en = _split(colour)
        name_zh, name_en = f"{name_zh} {colour_zh}", f"{name_en}, {colour_en}"
        specs[COLOUR] = _bilingual(colour)
    price = _list_price(rng, base, s)
    cost = to_money(price * rng.randint(55, 80) / 100)
    barcode = ean13(f"692{1000 + brand:04d}{seq:05d}")
    return (
        *key,
        name_zh,
        name_en,
        category_id,
        json.dumps(specs, ensure_ascii=False),
        base.unit,
        price,
        cost,
        base.pack * base.moq_packs,
        base.pack,
        barcode,
        True,
    )


def _list_price(rng: Random, base: ProductBase, spec_index: int) -> Decimal:
    """A shelf price: larger specs cost more, small prices end in dimes, others in 0/50/90."""
    low, high = base.price
    steps = max(len(base.specs) - 1, 1)
    cents = (low * 100 + (high - low) * 100 * spec_index // steps) * rng.randint(92, 108) // 100
    if cents < 2000:
        cents = max(cents // 10 * 10, 100)
    else:
        cents = cents // 100 * 100 + rng.choice((0, 0, 50, 90))
    return Decimal(cents).scaleb(-2)


def _price_lists(
    products: list[ProductInfo], last_ids: Mapping[str, int], opened: date
) -> list[TableRows]:
    standard, key = last_ids["price_lists"] + 1, last_ids["price_lists"] + 2
    lists = [
        (standard, "STD", "标准价目表 Standard", "CNY", "", opened, None),
        (key, "KA", "大客户价目表 Key accounts", "CNY", KEY_ACCOUNT_TIER, opened, None),
    ]
    items = [(standard, p.id, 1, p.list_price) for p in products]
    items += [(key, p.id, 1, p.key_account_price) for p in products]
    first = last_ids["price_list_items"]
    return [
        TableRows(
            "price_lists",
            ("id", "code", "name", "currency", "customer_tier", "valid_from", "valid_to"),
            lists,
        ),
        TableRows(
            "price_list_items",
            ("id", "price_list_id", "product_id", "min_qty", "price"),
            [(first + n, *item) for n, item in enumerate(items, 1)],
        ),
    ]


def ean13(first_twelve: str) -> str:
    """Append the EAN-13 check digit (weights 1 and 3 from the left)."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first_twelve))
    return first_twelve + str((10 - total % 10) % 10)


def _split(value: str) -> tuple[str, str]:
    zh, _, en = value.partition("|")
    return zh, en or zh


def _bilingual(value: str) -> str:
    zh, en = _split(value)
    return zh if zh == en else f"{zh}/{en}"
