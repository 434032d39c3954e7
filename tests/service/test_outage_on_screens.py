"""A scan or click that cannot be applied while the database is down says so, in the user's
language, changes nothing, and works again once the database is back (handlers called
directly during a real outage: the run's database refusing connections)."""

from __future__ import annotations

import pytest
import reflex as rx
import sqlalchemy.exc
from reflex.istate.data import RouterData

import oms_app.oms_app  # noqa: F401  (every state registered, as in the app)
from oms_app.core import health
from oms_app.fulfillment import waves
from state.base import SessionState
from state.outage import answer_backend_exception
from state.picking import PickingState
from tests.factories.sales import make_world
from tests.factories.warehouse import approved_order
from tests.outage_infra import database_refusing, seconds_until

pytestmark = [pytest.mark.asyncio, pytest.mark.fault]
DOWN_ZH = "数据库暂时无法连接，未作任何更改，请稍后重试"
DOWN_EN = "The database is not reachable; nothing was changed, try again in a moment"


@pytest.fixture
def picker(uow, monkeypatch):
    """A picker at the first bin of a fresh wave (the session stands for a signed-in one)."""
    world = make_world(uow)
    approved_order(uow, world, [("OFF-0001", 4)])
    (wave,) = waves.create_waves(uow, actor=world.warehouse, warehouse_code="SH")

    async def actor(self):
        return world.warehouse

    monkeypatch.setattr(SessionState, "_actor", actor)
    path = "/warehouse/picking"
    root = rx.State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data(
        {"pathname": path, "asPath": f"{path}?wave={wave}", "query": {"wave": wave}}
    )
    return root, world, wave


def toast_text(spec) -> str:
    """The script the browser runs for the toast, its JSON escapes read back."""
    return str(spec.args[0][1]).encode("ascii", "backslashreplace").decode("unicode_escape")


async def test_a_scan_during_a_database_outage_says_so_and_changes_nothing(picker, uow):
    root, world, wave = picker
    page = await root.get_state(PickingState)
    await page.load()
    line = page.current
    await page.scan({"scan": line["bin"]})
    assert page.scanned_bin == line["bin"]
    # when the item is scanned while the database refuses connections
    with database_refusing():
        answer = await page.scan({"scan": line["sku"]})
        page.locale = "en"
        english = await page.scan({"scan": line["sku"]})
        page.locale = ""
    # then the scan field says it was not applied, in the user's language, and a toast too
    assert DOWN_ZH in toast_text(answer) and DOWN_EN in toast_text(english)
    assert page.error == DOWN_EN and page.flash == "error" and not page.busy
    # and nothing was picked; once the database is back the same scan is taken
    recovery = seconds_until(health.check_database)
    print(f"\nthe database answered again {recovery:.2f} s after it was back")
    await page.load()
    assert page.current["id"] == line["id"] and page.current["picked"] == "0"
    await page.scan({"scan": line["bin"]})
    await page.scan({"scan": line["sku"]})
    assert page.error == "" and page.ok and page.flash == "ok"


async def test_any_other_handler_hit_by_an_outage_answers_a_toast_in_the_browser_language(
    picker,
):
    # given a real error of a database that refuses connections
    with database_refusing(), pytest.raises(sqlalchemy.exc.OperationalError) as raised:
        await (await picker[0].get_state(PickingState)).load()
    # when it escapes a handler, the app's backend exception handler answers a toast
    spec = answer_backend_exception(raised.value)
    script = toast_text(spec)
    assert DOWN_ZH in script and DOWN_EN in script and "oms_locale" in script
    assert oms_app.oms_app.app.backend_exception_handler is answer_backend_exception
    # while any other error says plainly it was not done, and never shows the exception
    bug = toast_text(answer_backend_exception(ValueError("secret detail")))
    assert "操作未完成" in bug and "Not done" in bug
    assert "secret detail" not in bug and "ValueError" not in bug and "An error occurred" not in bug
