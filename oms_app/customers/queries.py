"""Read side of customers."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.core.paging import PageRequest, run_page
from oms_app.core.permissions import Actor, Permission, require
from oms_app.customers.models import Customer

SORTS = {
    "code": Customer.code,
    "name": Customer.name,
    "province": Customer.province,
    "credit": Customer.credit_limit,
    "tier": Customer.tier,
}


def list_customers(uow, *, actor: Actor, request: PageRequest, tier: str = "") -> dict:
    require(actor, Permission.CUSTOMER_VIEW)
    stmt = sa.select(Customer)
    if tier:
        stmt = stmt.where(Customer.tier == tier)
    if request.search.strip():
        like = f"%{request.search.strip()}%"
        stmt = stmt.where(
            sa.or_(
                Customer.code.ilike(like),
                Customer.name.ilike(like),
                Customer.city.ilike(like),
                Customer.province.ilike(like),
            )
        )
    with uow:
        rows, total = run_page(uow.session, stmt, request, SORTS, "code", Customer.id)
    return {
        "rows": [
            {
                "id": c.id,
                "code": c.code,
                "name": c.name,
                "tier": c.tier,
                "province": c.province,
                "city": c.city,
                "credit_limit": f"{c.credit_limit:,.2f}",
                "terms": c.payment_terms_days,
            }
            for (c,) in rows
        ],
        "total": total,
    }
