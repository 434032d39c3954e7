"""Read side of customers."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.core.paging import PageRequest, run_page
from oms_app.core.permissions import Actor, Permission, require
from oms_app.customers.models import Customer, CustomerAddress, CustomerContact

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
    with uow:  # rows are read inside: leaving the block detaches them
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


def get_customer_for_order(uow, *, code: str = "", customer_id: int | None = None) -> dict | None:
    """The customer (by code or id) with its default address: what order entry needs."""
    where = Customer.id == customer_id if customer_id else Customer.code == code.strip()
    with uow:
        customer = uow.session.scalar(sa.select(Customer).where(where))
        if customer is None:
            return None
        addresses = uow.session.scalars(
            sa.select(CustomerAddress)
            .where(CustomerAddress.customer_id == customer.id)
            .order_by(CustomerAddress.is_default.desc(), CustomerAddress.id)
        ).all()
        address = addresses[0] if addresses else None
        return {
            "addresses": [_address_dict(a) for a in addresses],
            "id": customer.id,
            "code": customer.code,
            "name": customer.name,
            "tier": customer.tier,
            "credit_limit": customer.credit_limit,
            "payment_terms_days": customer.payment_terms_days,
            "active": customer.is_active,
            "address": None
            if address is None
            else {
                "province": address.province,
                "city": address.city,
                "district": address.district,
                "street": address.street,
                "postcode": address.postcode,
                "receiver": address.receiver,
                "phone": address.phone,
            },
        }


def search_customers(uow, *, actor: Actor, text: str, limit: int = 8) -> list[dict]:
    """Customers whose code, name or a contact's phone contains the text (order entry)."""
    require(actor, Permission.CUSTOMER_VIEW)
    text = text.strip()
    if len(text) < 1:
        return []
    like = f"%{text}%"
    phones = sa.select(CustomerContact.customer_id).where(CustomerContact.phone.ilike(like))
    with uow:
        rows = uow.session.execute(
            sa.select(Customer.code, Customer.name, Customer.city, Customer.tier)
            .where(
                Customer.is_active.is_(True),
                sa.or_(
                    Customer.code.ilike(like), Customer.name.ilike(like), Customer.id.in_(phones)
                ),
            )
            .order_by(Customer.code)
            .limit(limit)
        ).all()
    return [{"code": r.code, "name": r.name, "city": r.city, "tier": r.tier} for r in rows]


def _address_dict(a: CustomerAddress) -> dict:
    return {
        "label": a.label or f"{a.city} {a.street}",
        "province": a.province,
        "city": a.city,
        "district": a.district,
        "street": a.street,
        "postcode": a.postcode,
        "receiver": a.receiver,
        "phone": a.phone,
    }
