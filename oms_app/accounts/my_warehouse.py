"""Each user's own warehouse: the one the floor screens open on for them."""

from __future__ import annotations

from oms_app.accounts.actors import get_user
from oms_app.core.errors import ValidationFailed
from oms_app.core.permissions import Actor, Permission, require
from oms_app.inventory import ledger


def set_my_warehouse(uow, *, actor: Actor, warehouse_code: str) -> str:
    """Keep the acting user's own warehouse ("" clears it: the screens ask each time)."""
    require(actor, Permission.STOCK_VIEW)
    wanted = (warehouse_code or "").strip()
    with uow:
        codes = {w.code.upper(): w.code for w in ledger.list_warehouses(uow)}
        code = codes.get(wanted.upper(), "") if wanted else ""
        if wanted and not code:
            raise ValidationFailed("my_warehouse", "error.account.warehouse_unknown", value=wanted)
        user = get_user(uow.session, actor.user_id)
        user.my_warehouse = code
        uow.commit()
    return code


def get_my_warehouse(uow, *, actor: Actor) -> str:
    """The acting user's own warehouse code, or "" when they have not chosen one."""
    if actor is None or actor.user_id is None:
        return ""
    with uow:
        return get_user(uow.session, actor.user_id).my_warehouse
