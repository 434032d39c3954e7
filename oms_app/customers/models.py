"""Customers with their contacts and addresses."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlmodel import Field, SQLModel

from oms_app.core.db import money_field, utc_field


class Customer(SQLModel, table=True):
    __tablename__ = "customers"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True, index=True)
    name: str = Field(max_length=200, index=True)
    tier: str = Field(default="B", max_length=8, description="A (key), B, C, D")
    credit_limit: Decimal = money_field()
    payment_terms_days: int = Field(default=30, description="0 = prepaid")
    currency: str = Field(default="CNY", max_length=3)
    tax_id: str = Field(default="", max_length=32)
    province: str = Field(default="", max_length=32, index=True)
    city: str = Field(default="", max_length=32)
    is_active: bool = Field(default=True)
    created_at: datetime = utc_field(default_now=True)


class CustomerContact(SQLModel, table=True):
    __tablename__ = "customer_contacts"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customers.id", index=True)
    name: str = Field(max_length=80)
    phone: str = Field(default="", max_length=32)
    email: str = Field(default="", max_length=200)
    title: str = Field(default="", max_length=64)
    is_primary: bool = Field(default=False)


class CustomerAddress(SQLModel, table=True):
    __tablename__ = "customer_addresses"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customers.id", index=True)
    label: str = Field(default="", max_length=64)
    province: str = Field(max_length=32)
    city: str = Field(max_length=32)
    district: str = Field(default="", max_length=32)
    street: str = Field(max_length=200)
    postcode: str = Field(default="", max_length=12)
    receiver: str = Field(default="", max_length=80)
    phone: str = Field(default="", max_length=32)
    is_default: bool = Field(default=False)
