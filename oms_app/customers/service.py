"""Customer use cases: create or replace a customer with its contacts and addresses, read one."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa

from oms_app.audit import service as audit
from oms_app.catalog.service import checked_money, checked_text
from oms_app.changes import guarded
from oms_app.changes import requests as change_requests
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


def _summary(session, model, customer_id: int, keys: tuple[str, ...]) -> str:
    """Contacts or addresses in one line for the audit log: "李娜 13812345678; ..."."""
    rows = session.scalars(
        sa.select(model).where(model.customer_id == customer_id).order_by(model.id)
    )
    return "; ".join(" ".join(str(getattr(r, k)) for k in keys if getattr(r, k)) for r in rows)


CONTACT_KEYS = ("name", "phone", "email")
ADDRESS_KEYS = ("province", "city", "district", "street")


def _replace(
    session, model, customer_id: int, rows: list[dict] | None, keys: tuple[str, ...]
) -> dict[str, tuple[str, str]]:
    """Replace the customer's rows of `model`; the (old, new) summary when it changed."""
    if rows is None:
        return {}
    before = _summary(session, model, customer_id, keys)
    session.execute(sa.delete(model).where(model.customer_id == customer_id))
    session.add_all(model(customer_id=customer_id, **row) for row in rows)
    session.flush()
    after = _summary(session, model, customer_id, keys)
    return (
        {model.__tablename__.removeprefix("customer_"): (before, after)} if before != after else {}
    )


def _current_values(customer: Customer | None, values: dict) -> dict:
    """The stored values of the fields being set (a new customer starts from the defaults)."""
    source = customer if customer is not None else Customer(code="")
    return {name: getattr(source, name) for name in values}


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
        before = _current_values(customer, values)
        if created:
            customer = Customer(code=code)
            s.add(customer)
        # a guarded field the actor may not set keeps its value and becomes a proposal
        applied, proposed = guarded.set_permitted_fields(
            actor, "customer", customer, before, values
        )
        s.flush()
        applied |= _replace(s, CustomerContact, customer.id, contacts, CONTACT_KEYS)
        applied |= _replace(s, CustomerAddress, customer.id, addresses, ADDRESS_KEYS)
        guarded.record_write(
            uow,
            actor=actor,
            entity="customer",
            entity_id=customer.id,
            key=("code", code),
            created=created,
            applied=applied,
            proposed=proposed,
        )
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
        # proposals of guarded fields waiting for finance (or a sales manager for the tier)
        "pending_changes": change_requests.open_changes(
            session, entity="customer", entity_id=customer.id
        ),
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


def _checked_field(field: str, value: str) -> object:
    """A proposed value, checked again as the field's own input would be."""
    if field == "credit_limit":
        return checked_money(field, value)
    if field == "payment_terms_days":
        terms = int(value) if value.isdigit() else -1
        if terms not in PAYMENT_TERMS:
            raise ValidationFailed(
                field, "error.choice", choices=", ".join(map(str, PAYMENT_TERMS))
            )
        return terms
    if field == "tier":
        if value not in TIERS:
            raise ValidationFailed(field, "error.choice", choices=", ".join(TIERS))
        return value
    raise ValidationFailed("field", "error.invalid")


def apply_approved_change(
    uow, *, actor: Actor, customer_id: int, field: str, value: str, change_id: int
) -> None:
    """Set one approved field in the caller's transaction (the caller checked the right)."""
    new = _checked_field(field, value)
    s = uow.session
    customer = s.scalar(sa.select(Customer).where(Customer.id == customer_id).with_for_update())
    if customer is None:
        raise NotFound(field="entity_id", entity="customer", value=customer_id)
    old = getattr(customer, field)
    setattr(customer, field, new)
    s.flush()
    audit.record(
        uow,
        actor=actor,
        action="customer.updated",
        entity="customer",
        entity_id=customer.id,
        changes={field: (old, new)},
        code=customer.code,
        change_request=change_id,
    )
