"""Customer use cases: create or replace a customer with its contacts and addresses, read one."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa

from oms_app.audit import service as audit
from oms_app.catalog.service import checked_money, checked_text
from oms_app.core.errors import NotFound, ValidationFailed
from oms_app.core.permissions import Actor, Permission, require
from oms_app.customers.models import Customer, CustomerAddress, CustomerContact

CODE_FORMAT = re.compile(r"[A-Z0-9-]{2,32}")
MOBILE = re.compile(r"1[0-9]{10}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
POSTCODE = re.compile(r"[0-9]{6}")
TIERS = ("A", "B", "C", "D")
PAYMENT_TERMS = (0, 15, 30, 45, 60, 90)


@dataclass(frozen=True)
class ContactInput:
    name: str
    phone: str
    email: str = ""
    title: str = ""
    is_primary: bool = False


@dataclass(frozen=True)
class AddressInput:
    province: str
    city: str
    street: str
    postcode: str
    receiver: str
    phone: str
    district: str = ""
    label: str = ""
    is_default: bool = False


@dataclass(frozen=True)
class CustomerInput:
    """A customer's details; contacts/addresses None keeps the current ones, a list replaces."""

    name: str
    province: str
    city: str
    tier: str = "B"
    credit_limit: Decimal | str | int = Decimal("0.00")
    payment_terms_days: int = 30
    contacts: list[ContactInput] | None = field(default=None)
    addresses: list[AddressInput] | None = field(default=None)


def normalize_code(code: str) -> str:
    return code.strip().upper() if isinstance(code, str) else ""


def _mobile(name: str, value: object) -> str:
    phone = checked_text(name, value, 32)
    if not MOBILE.fullmatch(phone):
        raise ValidationFailed(name, "error.phone.mobile")
    return phone


def _flag(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise ValidationFailed(name, "error.invalid")
    return value


def _customer_values(data: CustomerInput) -> dict:
    name = checked_text("name", data.name, 200)
    tier = data.tier.strip().upper() if isinstance(data.tier, str) else ""
    if tier not in TIERS:
        raise ValidationFailed("tier", "error.choice", choices=", ".join(TIERS))
    terms = data.payment_terms_days
    if type(terms) is not int or terms not in PAYMENT_TERMS:
        raise ValidationFailed(
            "payment_terms_days", "error.choice", choices=", ".join(map(str, PAYMENT_TERMS))
        )
    return {
        "name": name,
        "tier": tier,
        "credit_limit": checked_money("credit_limit", data.credit_limit),
        "payment_terms_days": terms,
        "province": checked_text("province", data.province, 32),
        "city": checked_text("city", data.city, 32),
    }


def _contact_values(contacts: list[ContactInput]) -> list[dict]:
    rows = []
    for i, c in enumerate(contacts):
        at = f"contacts[{i}]"
        email = checked_text(f"{at}.email", c.email, 200, required=False)
        if email and not EMAIL.fullmatch(email):
            raise ValidationFailed(f"{at}.email", "error.email.invalid")
        rows.append(
            {
                "name": checked_text(f"{at}.name", c.name, 80),
                "phone": _mobile(f"{at}.phone", c.phone),
                "email": email,
                "title": checked_text(f"{at}.title", c.title, 64, required=False),
                "is_primary": _flag(f"{at}.is_primary", c.is_primary),
            }
        )
    if sum(r["is_primary"] for r in rows) > 1:
        raise ValidationFailed("contacts", "error.contact.one_primary")
    if rows and not any(r["is_primary"] for r in rows):
        rows[0]["is_primary"] = True
    return rows


def _address_values(addresses: list[AddressInput]) -> list[dict]:
    rows = []
    for i, a in enumerate(addresses):
        at = f"addresses[{i}]"
        postcode = checked_text(f"{at}.postcode", a.postcode, 12)
        if not POSTCODE.fullmatch(postcode):
            raise ValidationFailed(f"{at}.postcode", "error.postcode.invalid")
        rows.append(
            {
                "label": checked_text(f"{at}.label", a.label, 64, required=False),
                "province": checked_text(f"{at}.province", a.province, 32),
                "city": checked_text(f"{at}.city", a.city, 32),
                "district": checked_text(f"{at}.district", a.district, 32, required=False),
                "street": checked_text(f"{at}.street", a.street, 200),
                "postcode": postcode,
                "receiver": checked_text(f"{at}.receiver", a.receiver, 80),
                "phone": _mobile(f"{at}.phone", a.phone),
                "is_default": _flag(f"{at}.is_default", a.is_default),
            }
        )
    if rows and sum(r["is_default"] for r in rows) != 1:
        raise ValidationFailed("addresses", "error.address.one_default")
    return rows


def _replace(session, model, customer_id: int, rows: list[dict] | None) -> None:
    if rows is None:
        return
    session.execute(sa.delete(model).where(model.customer_id == customer_id))
    session.add_all(model(customer_id=customer_id, **row) for row in rows)


def upsert_customer(uow, *, actor: Actor, code: str, data: CustomerInput) -> tuple[dict, bool]:
    """Create the customer or replace its details; the flag is True when it was created."""
    require(actor, Permission.CUSTOMER_EDIT)
    code = normalize_code(code)
    if not CODE_FORMAT.fullmatch(code):
        raise ValidationFailed("code", "error.code.format")
    values = _customer_values(data)
    contacts = None if data.contacts is None else _contact_values(data.contacts)
    addresses = None if data.addresses is None else _address_values(data.addresses)
    with uow:
        s = uow.session
        # the row may not exist yet, so FOR UPDATE alone cannot keep two creators apart
        s.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(f"customer:{code}"))))
        customer = s.scalar(sa.select(Customer).where(Customer.code == code).with_for_update())
        created = customer is None
        if created:
            customer = Customer(code=code)
            s.add(customer)
        for name, value in values.items():
            setattr(customer, name, value)
        s.flush()
        _replace(s, CustomerContact, customer.id, contacts)
        _replace(s, CustomerAddress, customer.id, addresses)
        s.flush()
        action = "customer.created" if created else "customer.updated"
        audit.record(uow, actor=actor, action=action, entity="customer", entity_id=customer.id)
        view = _customer_view(s, customer)
        uow.commit()
    return view, created


def _customer_view(session, customer: Customer) -> dict:
    contacts = session.scalars(
        sa.select(CustomerContact)
        .where(CustomerContact.customer_id == customer.id)
        .order_by(CustomerContact.id)
    )
    addresses = session.scalars(
        sa.select(CustomerAddress)
        .where(CustomerAddress.customer_id == customer.id)
        .order_by(CustomerAddress.id)
    )
    return {
        "code": customer.code,
        "name": customer.name,
        "tier": customer.tier,
        "credit_limit": customer.credit_limit,
        "payment_terms_days": customer.payment_terms_days,
        "currency": customer.currency,
        "province": customer.province,
        "city": customer.city,
        "is_active": customer.is_active,
        "contacts": [c.model_dump(exclude={"id", "customer_id"}) for c in contacts],
        "addresses": [a.model_dump(exclude={"id", "customer_id"}) for a in addresses],
    }


def get_customer(uow, *, actor: Actor, code: str) -> dict:
    """One customer with its contacts and addresses; NotFound when there is none."""
    require(actor, Permission.CUSTOMER_VIEW)
    code = normalize_code(code)
    if not CODE_FORMAT.fullmatch(code):  # no such code can exist; spares the query odd bytes
        raise NotFound(field="code", entity="customer", value=code)
    with uow:
        customer = uow.session.scalar(sa.select(Customer).where(Customer.code == code))
        if customer is None:
            raise NotFound(field="code", entity="customer", value=code)
        return _customer_view(uow.session, customer)
