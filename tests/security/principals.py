"""Who calls in the authorization matrix: a key per role, no key, a bad key, and a customer of
another company; and the rows their paths point to, so a 404 cannot hide a missing 403."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa

from oms_app.accounts import admin as accounts_admin
from oms_app.budgets import service as budget_service
from oms_app.changes import requests as change_requests
from oms_app.changes.models import MasterDataChangeRequest
from oms_app.core.permissions import SYSTEM_ACTOR, Role
from oms_app.customers.models import Customer
from oms_app.fulfillment import shipping
from oms_app.fulfillment.models import Shipment
from oms_app.ledger.models import JournalEntry
from oms_app.payments import service as payment_service
from oms_app.payments import write_offs
from oms_app.returns import service as return_service
from oms_app.returns.rules import ReturnLineInput
from tests.factories.accounts import actor_of, enable_totp, make_user
from tests.factories.budgets import make_budget
from tests.factories.sales import FINANCE_SECRET, World, make_world
from tests.factories.warehouse import approved_order

NO_KEY = "no key"
BAD_KEY = "bad key"
OTHER_CUSTOMER = "customer of another company"
# The second factor of the admin and finance users, whose money moves need a fresh code.
TOTP_SECRET = FINANCE_SECRET


@dataclass
class Seeded:
    """Keys by principal and the path values of company A's rows (customer = A's user)."""

    keys: dict[str, str | None] = field(default_factory=dict)
    path_values: dict[str, str | int] = field(default_factory=dict)


def _key(uow, user_id: int, name: str) -> str:
    return accounts_admin.create_api_key(uow, actor=SYSTEM_ACTOR, name=name, user_id=user_id)


def _people(world: World) -> dict:
    return {
        Role.SALES.value: world.rep,
        Role.SALES_MANAGER.value: world.manager,
        Role.FINANCE.value: world.finance,
        Role.WAREHOUSE.value: world.warehouse,
    }


def _other_company(uow) -> int:
    with uow:
        other = Customer(code="C20002", name="北方商贸有限公司", province="北京市", city="北京市")
        uow.session.add(other)
        uow.commit()
        return other.id


def seed(uow) -> Seeded:
    """Company A (C10001) with a shipped order, its payment and return; company B's customer."""
    world = make_world(uow)
    with uow:
        company_a = uow.session.scalar(sa.select(Customer.id).where(Customer.code == "C10001"))
    # make_world's people hold four of the roles; each user costs a password hash, so reuse them
    users = {role: actor.user_id for role, actor in _people(world).items()}
    users |= {
        role: make_user(uow, username=f"matrix-{role}", roles=[role])
        for role in (Role.ADMIN.value, Role.EXECUTIVE.value)
    }
    users[Role.CUSTOMER.value] = make_user(
        uow, username="matrix-customer", roles=["customer"], customer_id=company_a
    )
    users[OTHER_CUSTOMER] = make_user(
        uow, username="matrix-other", roles=["customer"], customer_id=_other_company(uow)
    )
    enable_totp(uow, users[Role.ADMIN.value], TOTP_SECRET)  # finance's has it from make_world
    seeded = Seeded(keys={NO_KEY: None, BAD_KEY: "oms_" + "0" * 40})
    seeded.keys.update({who: _key(uow, uid, who) for who, uid in users.items()})

    number = approved_order(uow, world, [("OFF-0001", 4)])
    shipping.ship_order(uow, actor=world.warehouse, number=number, carrier="ZTO")
    # money out proposed by a third finance user, so admin and finance are both the second pair
    # of eyes that may release or decline it (only its proposer may withdraw it)
    proposer = make_user(uow, username="matrix-proposer", roles=[Role.FINANCE.value])
    enable_totp(uow, proposer, TOTP_SECRET)  # finance works only with a second factor
    proposal = write_offs.propose_write_off(
        uow,
        actor=actor_of(uow, proposer),
        order_number=number,
        amount="1.00",
        reason="matrix",
    )
    payment = payment_service.create_payment(
        uow, actor=world.rep, order_number=number, method="bank_transfer"
    )
    rma = return_service.request_return(  # by the customer: only the requester may withdraw it
        uow,
        actor=actor_of(uow, users[Role.CUSTOMER.value]),
        order_number=number,
        lines=[ReturnLineInput(sku="OFF-0001", quantity=1)],
        reason="damaged",
    )
    budget = make_budget(uow, actor=SYSTEM_ACTOR)
    adjustment = budget_service.request_adjustment(
        uow,
        budget_id=budget,
        kind="increase",
        amount=Decimal("10.00"),
        month=1,
        reason="matrix",
        actor=SYSTEM_ACTOR,
    )
    # a tier proposed by sales: the manager and finance may both decide it
    with uow:
        change_requests.propose_changes(
            uow,
            actor=world.rep,
            entity="customer",
            entity_id=company_a,
            entity_key="C10001",
            changes={"tier": ("B", "A")},
        )
        uow.commit()
        change = uow.session.scalar(sa.select(sa.func.max(MasterDataChangeRequest.id)))
    with uow:
        shipment = uow.session.scalar(
            sa.select(Shipment.number).where(Shipment.order_number == number)
        )
        entry = uow.session.scalar(sa.select(sa.func.min(JournalEntry.id)))
    seeded.path_values = {
        "order": number,
        "shipment": shipment,
        "payment_id": payment["id"],
        "return": rma["number"],
        "code": "C10001",
        "entry_id": entry or 1,
        "budget_id": budget,
        "adjustment_id": adjustment,
        "proposal_id": proposal["id"],
        "change_id": change,
    }
    return seeded
