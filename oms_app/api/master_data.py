"""REST endpoints for master data: products, customers and stock counts."""

from __future__ import annotations

import asyncio
import logging
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from oms_app.api.auth import api_actor
from oms_app.api.params import Page, PageSize
from oms_app.catalog import queries as catalog_queries
from oms_app.catalog import service as catalog_service
from oms_app.core.db import UnitOfWork
from oms_app.core.paging import PageRequest
from oms_app.core.permissions import Actor
from oms_app.customers import service as customers_service
from oms_app.inventory import service as inventory_service
from tasks import anomalies as anomaly_tasks

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1")
ActorDep = Annotated[Actor, Depends(api_actor)]
NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL


def _money_text(value: object) -> str:
    """JSON numbers become exact decimal text (Decimal(str(x))); the service checks the text."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format(Decimal(str(value)), "f")
    raise PydanticCustomError("error.money.invalid", "not an amount")


Money = Annotated[
    str,
    BeforeValidator(_money_text),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string"}, {"type": "number"}],
            "description": 'An amount >= 0 with at most 2 decimals, best sent as text: "12.50"',
        }
    ),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProductBody(Strict):
    name_zh: str
    name_en: str
    category: str
    list_price: Money
    standard_cost: Money = "0.00"
    unit: str = "pcs"
    moq: int = 1
    pack_size: int = 1
    barcode: str = ""
    specs: dict[str, str] = Field(default_factory=dict)
    is_active: bool = True


class ContactBody(Strict):
    name: str
    phone: str
    email: str = ""
    title: str = ""
    is_primary: bool = False


class AddressBody(Strict):
    province: str
    city: str
    street: str
    postcode: str
    receiver: str
    phone: str
    district: str = ""
    label: str = ""
    is_default: bool = False


class CustomerBody(Strict):
    name: str
    province: str
    city: str
    tier: str = "B"
    credit_limit: Money = "0.00"
    payment_terms_days: int = 30
    contacts: list[ContactBody] | None = None
    addresses: list[AddressBody] | None = None


class StockCountBody(Strict):
    on_hand: int
    reason: str = ""


def plain(value: Any) -> Any:
    """JSON-ready values; money goes out as text with two decimals, never as a float."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def _saved(record: dict, created: bool) -> JSONResponse:
    return JSONResponse(plain(record), status_code=201 if created else 200)


def recheck_waiting_orders(sku: str) -> None:
    """Stock or prices changed: orders waiting for approval get their anomalies re-checked.

    Best effort: the beat re-check every 10 minutes catches what a lost message would miss.
    """
    try:
        anomaly_tasks.recheck.delay([sku])
    except Exception:  # the broker is down; the change itself is saved
        log.warning("could not queue the anomaly re-check for %s", sku, exc_info=True)


@router.put("/products/{sku}", tags=["products"])
async def put_product(sku: str, body: ProductBody, actor: ActorDep) -> JSONResponse:
    """Create (201) or replace (200) the product with this SKU."""
    data = catalog_service.ProductInput(**body.model_dump())
    record, created = await asyncio.to_thread(
        catalog_service.upsert_product, UnitOfWork(), actor=actor, sku=sku, data=data
    )
    recheck_waiting_orders(record["sku"])
    return _saved(record, created)


@router.get("/products", tags=["products"])
async def list_products(
    actor: ActorDep,
    page: Page = 1,
    page_size: PageSize = 25,
    q: Annotated[str, Query(max_length=100, pattern=NO_NUL)] = "",
    category: Annotated[str, Query(max_length=32, pattern=NO_NUL)] = "",
    sort: str = "sku",
    descending: bool = False,
) -> dict:
    """Products matching `q` (SKU, name or barcode), sorted and paged on the server."""
    request = PageRequest(
        page=page, page_size=page_size, sort=sort, descending=descending, search=q
    )
    result = await asyncio.to_thread(
        catalog_queries.list_product_records,
        UnitOfWork(),
        actor=actor,
        request=request,
        category=category,
    )
    items = plain(result["rows"])
    return {"items": items, "total": result["total"], "page": page, "page_size": page_size}


@router.get("/products/{sku}", tags=["products"])
async def get_product(sku: str, actor: ActorDep) -> dict:
    record = await asyncio.to_thread(
        catalog_service.get_product, UnitOfWork(), actor=actor, sku=sku
    )
    return plain(record)


@router.put("/customers/{code}", tags=["customers"])
async def put_customer(code: str, body: CustomerBody, actor: ActorDep) -> JSONResponse:
    """Create (201) or replace (200) the customer; given contacts/addresses replace the old."""
    fields = body.model_dump(exclude={"contacts", "addresses"})
    data = customers_service.CustomerInput(
        **fields,
        contacts=None
        if body.contacts is None
        else [customers_service.ContactInput(**c.model_dump()) for c in body.contacts],
        addresses=None
        if body.addresses is None
        else [customers_service.AddressInput(**a.model_dump()) for a in body.addresses],
    )
    record, created = await asyncio.to_thread(
        customers_service.upsert_customer, UnitOfWork(), actor=actor, code=code, data=data
    )
    return _saved(record, created)


@router.get("/customers/{code}", tags=["customers"])
async def get_customer(code: str, actor: ActorDep) -> dict:
    record = await asyncio.to_thread(
        customers_service.get_customer, UnitOfWork(), actor=actor, code=code
    )
    return plain(record)


@router.put("/inventory/{warehouse}/{sku}", tags=["inventory"])
async def put_stock_count(warehouse: str, sku: str, body: StockCountBody, actor: ActorDep) -> dict:
    """Set the counted on-hand quantity of a SKU in a warehouse."""
    result = await asyncio.to_thread(
        inventory_service.set_on_hand,
        UnitOfWork(),
        actor=actor,
        warehouse_code=warehouse,
        sku=sku,
        on_hand=body.on_hand,
        reason=body.reason,
    )
    if result.get("changed", True):
        recheck_waiting_orders(result["sku"])
    return result


# GET /inventory/{sku} (with bins, reserved and available) lives in api/warehouse.py
