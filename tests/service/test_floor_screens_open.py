"""Each user's own warehouse: set on /account, the floor screens open on it; until a
warehouse is chosen they ask for one instead of saying there is nothing to do."""

from __future__ import annotations

import pytest
import reflex as rx
from reflex.istate.data import RouterData

import oms_app.oms_app  # noqa: F401  (every state registered, as in the app)
from oms_app.accounts import service as accounts_service
from oms_app.core.errors import PermissionDenied, ValidationFailed
from state.account import AccountState
from state.base import SessionState
from state.packing import PackingState
from state.picking import PickingState
from state.receiving import ReceivingState
from state.warehouse_board import WarehouseBoardState
from state.waves import WavesState
from tests.factories.accounts import make_actor
from tests.factories.catalog import make_warehouse
from tests.factories.sales import make_world

pytestmark = pytest.mark.asyncio


@pytest.fixture
def floor(uow, monkeypatch):
    """A warehouse worker signed in (the session stands for one), with SH and BJ to choose."""
    world = make_world(uow)
    make_warehouse(uow, code="BJ", name="北京仓")

    async def actor(self):
        return world.warehouse

    monkeypatch.setattr(SessionState, "_actor", actor)
    return world


def screen(path: str) -> rx.State:
    root = rx.State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data({"pathname": path, "asPath": path})
    return root


async def test_the_floor_screens_open_on_the_users_own_warehouse(floor, uow):
    # given the worker made BJ their own warehouse on /account
    account = await screen("/account").get_state(AccountState)
    await account.load()
    assert [w["code"] for w in account.warehouse_options] == ["BJ", "SH"]
    await account.save_my_warehouse("BJ")
    assert account.my_warehouse == "BJ" and account.error == ""
    assert accounts_service.get_my_warehouse(uow, actor=floor.warehouse) == "BJ"
    # when they open the floor screens in new tabs, then each shows BJ
    board = await screen("/warehouse/board").get_state(WarehouseBoardState)
    await board.load()
    assert board.selected == "BJ"
    for path, cls in (
        ("/warehouse/waves", WavesState),
        ("/warehouse/packing", PackingState),
        ("/warehouse/picking", PickingState),
    ):
        page = await screen(path).get_state(cls)
        await page.load()
        assert page.warehouse == "BJ", path
    receiving = await screen("/warehouse/receiving").get_state(ReceivingState)
    await receiving.load()
    assert receiving.warehouse == "BJ"


async def test_without_an_own_warehouse_the_screens_ask_for_one(floor):
    # given two warehouses and no own warehouse: nothing is chosen for the worker
    waves_page = await screen("/warehouse/waves").get_state(WavesState)
    await waves_page.load()
    packing_page = await screen("/warehouse/packing").get_state(PackingState)
    await packing_page.load()
    board = await screen("/warehouse/board").get_state(WarehouseBoardState)
    await board.load()
    # then the screens show "choose a warehouse" (their condition), not an empty list of one
    assert waves_page.warehouse == "" and waves_page.rows == []
    assert packing_page.warehouse == "" and packing_page.shipments == []
    assert board.selected == ""
    # and a warehouse chosen in the tab stays chosen when the tab reloads the page
    await waves_page.pick_warehouse("SH")
    await waves_page.load()
    assert waves_page.warehouse == "SH"


async def test_an_unknown_own_warehouse_is_refused_and_changes_nothing(floor, uow):
    accounts_service.set_my_warehouse(uow, actor=floor.warehouse, warehouse_code="sh")
    with pytest.raises(ValidationFailed) as refused:
        accounts_service.set_my_warehouse(uow, actor=floor.warehouse, warehouse_code="XX")
    assert refused.value.code == "error.account.warehouse_unknown"
    assert refused.value.field == "my_warehouse"
    assert accounts_service.get_my_warehouse(uow, actor=floor.warehouse) == "SH"
    # the screen says so, naming the field, in the user's language
    account = await screen("/account").get_state(AccountState)
    await account.save_my_warehouse("XX")
    assert account.error == "我的仓库: 没有编码为 XX 的仓库"
    assert accounts_service.get_my_warehouse(uow, actor=floor.warehouse) == "SH"


async def test_someone_without_stock_rights_cannot_set_an_own_warehouse(floor, uow):
    customer = make_actor(uow, username="portal-1", roles=["customer"])
    with pytest.raises(PermissionDenied):
        accounts_service.set_my_warehouse(uow, actor=customer, warehouse_code="SH")
