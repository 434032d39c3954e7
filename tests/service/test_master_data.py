"""Master data on real PostgreSQL: products, customers and stock counts."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
import sqlalchemy as sa

from oms_app.audit.models import AuditEntry
from oms_app.catalog import service as catalog_service
from oms_app.catalog.models import Product
from oms_app.core.db import UnitOfWork
from oms_app.core.errors import NotFound, PermissionDenied, ValidationFailed
from oms_app.customers import service as customers_service
from oms_app.customers.models import Customer, CustomerAddress, CustomerContact
from oms_app.customers.service import AddressInput, ContactInput, CustomerInput
from oms_app.inventory import service as inventory_service
from oms_app.inventory import warehouse_queries
from oms_app.inventory.models import StockMovement
from tests.factories.accounts import make_actor, make_admin
from tests.factories.catalog import (
    add_movement,
    ean13,
    make_category,
    make_product,
    make_warehouse,
    product_id,
    product_input,
)

BARCODE = ean13("692123450001")


def stock_rows(uow, actor, sku: str) -> list[dict]:
    """On hand, reserved and available of a SKU per warehouse (the stock API's figures)."""
    found = warehouse_queries.get_sku_stock(uow, actor=actor, sku=sku)["warehouses"]
    return [{k: w[k] for k in ("warehouse", "on_hand", "reserved", "available")} for w in found]


def count(uow, model) -> int:
    with uow:
        return uow.session.scalar(sa.select(sa.func.count()).select_from(model))


def audit_actions(uow) -> list[str]:
    with uow:
        return list(uow.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


@pytest.fixture
def admin(uow):
    return make_admin(uow)


@pytest.fixture
def catalogue(uow):
    make_category(uow)
    make_category(uow, code="CLN", name_zh="清洁用品", name_en="Cleaning")


# --- products ---------------------------------------------------------------------------------


def test_a_new_sku_creates_the_product_and_a_second_put_replaces_it(uow, admin, catalogue):
    # when
    created, was_new = catalog_service.upsert_product(
        uow, actor=admin, sku="off-0001", data=product_input(barcode=BARCODE)
    )
    updated, again_new = catalog_service.upsert_product(
        uow,
        actor=admin,
        sku="OFF-0001",
        data=product_input(category="CLN", list_price=Decimal("30"), barcode=BARCODE, moq=1),
    )
    # then
    assert was_new and not again_new
    assert created["sku"] == "OFF-0001" and created["list_price"] == Decimal("25.50")
    assert updated["category"] == "CLN" and updated["list_price"] == Decimal("30.00")
    assert catalog_service.get_product(uow, actor=admin, sku="OFF-0001") == updated
    assert count(uow, Product) == 1
    assert audit_actions(uow)[-2:] == ["product.created", "product.updated"]


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"name_zh": "  "}, "name_zh", "error.required"),
        ({"name_en": ""}, "name_en", "error.required"),
        ({"name_en": "x" * 201}, "name_en", "error.too_long"),
        ({"category": "NOPE"}, "category", "error.category.unknown"),
        ({"unit": ""}, "unit", "error.required"),
        ({"list_price": "abc"}, "list_price", "error.money.invalid"),
        ({"list_price": 12.5}, "list_price", "error.money.invalid"),
        ({"list_price": "1e3"}, "list_price", "error.money.invalid"),
        ({"list_price": "-1"}, "list_price", "error.number.min"),
        ({"list_price": "1.234"}, "list_price", "error.money.decimals"),
        ({"list_price": "1" * 30}, "list_price", "error.number.max"),
        ({"standard_cost": Decimal("NaN")}, "standard_cost", "error.money.invalid"),
        ({"moq": 0}, "moq", "error.number.min"),
        ({"moq": 2.0}, "moq", "error.number.whole"),
        ({"pack_size": 0}, "pack_size", "error.number.min"),
        ({"pack_size": 10**20}, "pack_size", "error.number.max"),
        ({"barcode": "6921234500010"}, "barcode", "error.barcode.invalid"),
        ({"barcode": "12345"}, "barcode", "error.barcode.invalid"),
        ({"name_zh": "订书机\x00"}, "name_zh", "error.text.nul"),
    ],
)
def test_bad_product_input_names_the_field_and_changes_nothing(
    uow, admin, catalogue, overrides, field, code
):
    # given
    products_before, audit_before = count(uow, Product), count(uow, AuditEntry)
    # when
    with pytest.raises(ValidationFailed) as refused:
        catalog_service.upsert_product(
            uow, actor=admin, sku="OFF-0002", data=product_input(**overrides)
        )
    # then
    assert (refused.value.field, refused.value.code) == (field, code)
    assert (count(uow, Product), count(uow, AuditEntry)) == (products_before, audit_before)


@pytest.mark.parametrize("sku", ["A", "OFF 01", "OFF_01", "货号-1", "X" * 33])
def test_a_malformed_sku_is_refused(uow, admin, catalogue, sku):
    with pytest.raises(ValidationFailed) as refused:
        catalog_service.upsert_product(uow, actor=admin, sku=sku, data=product_input())
    assert (refused.value.field, refused.value.code) == ("sku", "error.sku.format")
    assert count(uow, Product) == 0


def test_a_barcode_used_by_another_product_is_refused_but_its_own_is_kept(uow, admin, catalogue):
    # given
    make_product(uow, sku="OFF-0001", barcode=BARCODE)
    # when
    with pytest.raises(ValidationFailed) as refused:
        catalog_service.upsert_product(
            uow, actor=admin, sku="OFF-0002", data=product_input(barcode=BARCODE)
        )
    _, created = catalog_service.upsert_product(
        uow, actor=admin, sku="OFF-0001", data=product_input(barcode=BARCODE, name_en="Stapler")
    )
    # then
    assert refused.value.code == "error.barcode.taken"
    assert refused.value.params == {"value": BARCODE, "sku": "OFF-0001"}
    assert not created and count(uow, Product) == 1


def test_a_sales_actor_may_view_but_not_edit_products(uow, catalogue):
    # given
    sales = make_actor(uow, username="wangfang", roles=["sales"])
    make_product(uow, sku="OFF-0001")
    # when / then
    with pytest.raises(PermissionDenied):
        catalog_service.upsert_product(
            uow, actor=sales, sku="OFF-0001", data=product_input(list_price="1.00")
        )
    assert catalog_service.get_product(uow, actor=sales, sku="OFF-0001")["list_price"] == Decimal(
        "25.50"
    )


def test_an_unknown_sku_is_not_found(uow, admin):
    with pytest.raises(NotFound) as missing:
        catalog_service.get_product(uow, actor=admin, sku="NOPE-1")
    assert missing.value.field == "sku"


# --- customers --------------------------------------------------------------------------------


def contact(**kw) -> ContactInput:
    return ContactInput(**{"name": "李娜", "phone": "13812345678", "email": "li@example.cn", **kw})


def address(**kw) -> AddressInput:
    values = {
        "province": "上海市",
        "city": "上海市",
        "district": "浦东新区",
        "street": "世纪大道100号",
        "postcode": "200120",
        "receiver": "李娜",
        "phone": "13812345678",
        "is_default": True,
    }
    return AddressInput(**{**values, **kw})


def customer_input(**kw) -> CustomerInput:
    values = {
        "name": "上海晨光贸易有限公司",
        "province": "上海市",
        "city": "上海市",
        "tier": "A",
        "credit_limit": "200000.00",
        "payment_terms_days": 60,
        "contacts": [contact()],
        "addresses": [address(), address(street="张江路1号", is_default=False)],
    }
    return CustomerInput(**{**values, **kw})


def test_a_customer_is_created_with_contacts_and_addresses_then_replaced(uow, admin):
    # when
    created, was_new = customers_service.upsert_customer(
        uow, actor=admin, code="c10001", data=customer_input()
    )
    updated, again_new = customers_service.upsert_customer(
        uow,
        actor=admin,
        code="C10001",
        data=customer_input(tier="B", addresses=[address(street="淮海路1号")], contacts=None),
    )
    # then
    assert was_new and not again_new
    assert created["code"] == "C10001" and created["credit_limit"] == Decimal("200000.00")
    assert len(created["addresses"]) == 2 and created["contacts"][0]["is_primary"]
    assert updated["tier"] == "B" and [a["street"] for a in updated["addresses"]] == ["淮海路1号"]
    assert updated["contacts"] == created["contacts"]  # None keeps the contacts
    assert customers_service.get_customer(uow, actor=admin, code="C10001") == updated
    assert (count(uow, CustomerContact), count(uow, CustomerAddress)) == (1, 1)


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"name": ""}, "name", "error.required"),
        ({"tier": "E"}, "tier", "error.choice"),
        ({"credit_limit": "-5"}, "credit_limit", "error.number.min"),
        ({"credit_limit": "1.001"}, "credit_limit", "error.money.decimals"),
        ({"payment_terms_days": 20}, "payment_terms_days", "error.choice"),
        ({"payment_terms_days": 30.0}, "payment_terms_days", "error.choice"),
        ({"province": ""}, "province", "error.required"),
        ({"contacts": [contact(phone="23812345678")]}, "contacts[0].phone", "error.phone.mobile"),
        (
            {"contacts": [contact(), contact(phone="1381234567")]},
            "contacts[1].phone",
            "error.phone.mobile",
        ),
        ({"contacts": [contact(email="li@")]}, "contacts[0].email", "error.email.invalid"),
        ({"contacts": [contact(is_primary=True)] * 2}, "contacts", "error.contact.one_primary"),
        (
            {"addresses": [address(postcode="20012")]},
            "addresses[0].postcode",
            "error.postcode.invalid",
        ),
        ({"addresses": [address(receiver="")]}, "addresses[0].receiver", "error.required"),
        ({"addresses": [address(is_default=False)]}, "addresses", "error.address.one_default"),
        ({"addresses": [address(), address()]}, "addresses", "error.address.one_default"),
    ],
)
def test_bad_customer_input_names_the_field_and_changes_nothing(uow, admin, overrides, field, code):
    # given
    customers_service.upsert_customer(uow, actor=admin, code="C10001", data=customer_input())
    before = [count(uow, m) for m in (Customer, CustomerContact, CustomerAddress, AuditEntry)]
    # when
    with pytest.raises(ValidationFailed) as refused:
        customers_service.upsert_customer(
            uow, actor=admin, code="C10001", data=customer_input(**overrides)
        )
    # then
    assert (refused.value.field, refused.value.code) == (field, code)
    assert [count(uow, m) for m in (Customer, CustomerContact, CustomerAddress, AuditEntry)] == (
        before
    )
    assert customers_service.get_customer(uow, actor=admin, code="C10001")["tier"] == "A"


def test_customer_edits_need_the_permission_and_reads_need_view(uow):
    warehouse = make_actor(uow, username="liuyang", roles=["warehouse"])
    sales = make_actor(uow, username="wangfang", roles=["sales"])
    with pytest.raises(PermissionDenied):
        customers_service.upsert_customer(uow, actor=warehouse, code="C1", data=customer_input())
    customers_service.upsert_customer(uow, actor=sales, code="C10002", data=customer_input())
    with pytest.raises(PermissionDenied):
        customers_service.get_customer(uow, actor=warehouse, code="C10002")
    with pytest.raises(NotFound):
        customers_service.get_customer(uow, actor=sales, code="C99999")


# --- stock counts -----------------------------------------------------------------------------


@pytest.fixture
def stocked(uow, catalogue):
    """A product in two warehouses: SH has 50 on hand with 8 reserved, BJ has nothing."""
    make_product(uow, sku="OFF-0001")
    sh, pid = make_warehouse(uow, code="SH"), product_id(uow, "OFF-0001")
    make_warehouse(uow, code="BJ", name="北京仓 Beijing")
    add_movement(uow, warehouse_id=sh, product_id=pid, kind="receipt", on_hand=50)
    add_movement(uow, warehouse_id=sh, product_id=pid, kind="reserve", reserved=8)
    return sh, pid


def movements(uow, **where) -> list[tuple[int, int, int | None]]:
    """(on_hand_delta, reserved_delta, actor_id) of the movements, oldest first."""
    m = StockMovement
    with uow:
        return [
            tuple(row)
            for row in uow.session.execute(
                sa.select(m.on_hand_delta, m.reserved_delta, m.actor_id)
                .filter_by(**where)
                .order_by(m.id)
            )
        ]


def test_a_count_is_one_adjusting_movement_of_the_difference(uow, admin, stocked):
    # when
    result = inventory_service.set_on_hand(
        uow, actor=admin, warehouse_code="sh", sku="off-0001", on_hand=42, reason="cycle count"
    )
    # then
    assert result == {
        "warehouse": "SH",
        "sku": "OFF-0001",
        "on_hand": 42,
        "reserved": 8,
        "available": 34,
        "changed": True,
    }
    assert movements(uow, kind="adjust") == [(-8, 0, admin.user_id)]
    assert audit_actions(uow)[-1] == "stock.counted"
    assert stock_rows(uow, admin, "OFF-0001") == [
        {"warehouse": "BJ", "on_hand": 0, "reserved": 0, "available": 0},
        {"warehouse": "SH", "on_hand": 42, "reserved": 8, "available": 34},
    ]


def test_a_count_equal_to_the_stock_writes_nothing(uow, admin, stocked):
    audit_before = count(uow, AuditEntry)
    result = inventory_service.set_on_hand(
        uow, actor=admin, warehouse_code="SH", sku="OFF-0001", on_hand=50
    )
    assert not result["changed"]
    assert movements(uow, kind="adjust") == [] and count(uow, AuditEntry) == audit_before


@pytest.mark.parametrize(
    ("warehouse", "sku", "on_hand", "error", "field"),
    [
        ("SH", "OFF-0001", 7, ValidationFailed, "on_hand"),
        ("SH", "OFF-0001", -1, ValidationFailed, "on_hand"),
        ("SH", "OFF-0001", 10**12, ValidationFailed, "on_hand"),
        ("XX", "OFF-0001", 5, NotFound, "warehouse"),
        ("SH", "NOPE-1", 5, NotFound, "sku"),
    ],
)
def test_a_bad_count_is_refused_and_changes_nothing(
    uow, admin, stocked, warehouse, sku, on_hand, error, field
):
    before = count(uow, StockMovement), count(uow, AuditEntry)
    with pytest.raises(error) as refused:
        inventory_service.set_on_hand(
            uow, actor=admin, warehouse_code=warehouse, sku=sku, on_hand=on_hand
        )
    assert refused.value.field == field
    assert (count(uow, StockMovement), count(uow, AuditEntry)) == before


def test_a_count_below_the_reserved_quantity_says_how_many_are_reserved(uow, admin, stocked):
    with pytest.raises(ValidationFailed) as refused:
        inventory_service.set_on_hand(
            uow, actor=admin, warehouse_code="SH", sku="OFF-0001", on_hand=7
        )
    assert refused.value.code == "error.stock.below_reserved"
    assert refused.value.params == {"reserved": 8}


def test_stock_needs_move_to_count_and_view_to_read(uow, stocked):
    sales = make_actor(uow, username="wangfang", roles=["sales"])
    with pytest.raises(PermissionDenied):
        inventory_service.set_on_hand(
            uow, actor=sales, warehouse_code="SH", sku="OFF-0001", on_hand=60
        )
    assert len(stock_rows(uow, sales, "OFF-0001")) == 2
    assert count(uow, StockMovement) == 2


def test_parallel_counts_never_lose_an_update(uow, admin, stocked):
    # given twenty clerks counting the same shelf at once, each with a different figure
    counts = list(range(100, 120))
    start = threading.Barrier(len(counts))
    failures: list[BaseException] = []

    def clerk(on_hand: int) -> None:
        try:
            start.wait()
            inventory_service.set_on_hand(
                UnitOfWork(), actor=admin, warehouse_code="SH", sku="OFF-0001", on_hand=on_hand
            )
        except BaseException as err:  # reported below, after every thread ends
            failures.append(err)

    # when
    threads = [threading.Thread(target=clerk, args=(n,)) for n in counts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    # then each count was applied to the level the previous one left, in commit order
    assert failures == []
    adjust = movements(uow, kind="adjust")
    level, seen = 50, []
    for on_hand_delta, _, _ in adjust:
        level += on_hand_delta
        seen.append(level)
    assert sorted(seen) == counts
    final = stock_rows(uow, admin, "OFF-0001")[1]
    assert final["on_hand"] == seen[-1]
    assert sum(delta for delta, _, _ in movements(uow)) == seen[-1]
    assert count(uow, AuditEntry) >= len(counts)


def test_the_product_list_pages_full_records_and_the_screen_rows(uow, admin, catalogue):
    from oms_app.catalog import queries as catalog_queries
    from oms_app.core.paging import PageRequest

    make_product(uow, sku="OFF-0001")
    make_product(uow, sku="OFF-0002", name_en="Binder")
    request = PageRequest(page_size=1, search="binder")
    records = catalog_queries.list_product_records(uow, actor=admin, request=request)
    screen = catalog_queries.list_products(uow, actor=admin, request=request)
    assert [r["sku"] for r in records["rows"]] == ["OFF-0002"] and records["total"] == 1
    assert [r["sku"] for r in screen["rows"]] == ["OFF-0002"]
