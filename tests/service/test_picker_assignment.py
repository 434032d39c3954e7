"""A supervisor gives waves to pickers: only people with warehouse rights can pick."""

from __future__ import annotations

import pytest

from oms_app.accounts import service as accounts_service
from oms_app.core.errors import PermissionDenied, ValidationFailed
from oms_app.core.permissions import Permission
from oms_app.fulfillment import waves
from tests.factories.sales import make_world
from tests.factories.warehouse import approved_order


def test_the_picker_list_holds_warehouse_staff_and_not_sales(uow):
    world = make_world(uow)
    people = accounts_service.people_with_permission(
        uow, actor=world.warehouse, permission=Permission.ORDER_FULFIL
    )
    names = [p["username"] for p in people]
    assert world.warehouse.username in names
    assert world.rep.username not in names
    with pytest.raises(PermissionDenied):  # a rep may not list the floor's people
        accounts_service.people_with_permission(
            uow, actor=world.rep, permission=Permission.ORDER_FULFIL
        )


def test_a_wave_goes_to_a_picker_and_never_to_a_sales_rep(uow):
    world = make_world(uow)
    approved_order(uow, world, [("OFF-0001", 6)])
    (wave,) = waves.create_waves(uow, actor=world.warehouse, warehouse_code="SH")
    with pytest.raises(ValidationFailed) as refused:
        waves.assign_picker(uow, actor=world.warehouse, wave_number=wave, picker=world.rep.username)
    assert refused.value.code == "error.picker.not_allowed"
    assigned = waves.assign_picker(
        uow, actor=world.warehouse, wave_number=wave, picker=world.warehouse.username
    )
    assert assigned["picker"] == world.warehouse.username
    listed = waves.list_waves(uow, actor=world.warehouse, warehouse_code="SH")
    assert [(w["number"], w["picker"]) for w in listed] == [(wave, world.warehouse.username)]
