"""A live screen knows when its tab came back over a new socket (a reconnect or a reload), so it
re-reads its snapshot then, and only then: a keep-alive re-link on the same socket does not."""

from __future__ import annotations

import pytest
import reflex as rx
from reflex.istate.data import RouterData

import oms_app.oms_app  # noqa: F401  (every state registered, as in the app)
from state.base import SessionState

pytestmark = pytest.mark.asyncio


def over_socket(root: rx.State, sid: str) -> None:
    root.router = RouterData.from_router_data(
        {"pathname": "/warehouse/board", "asPath": "/warehouse/board", "sid": sid}
    )


async def test_a_link_over_a_new_socket_of_the_same_tab_counts_as_a_reconnect():
    root = rx.State(_reflex_internal_init=True)
    session = await root.get_state(SessionState)
    over_socket(root, "first-socket")
    assert session.router.session.session_id == "first-socket"
    assert not session._relinked("board:SH")  # the first link: the snapshot is fresh
    assert not session._relinked("board:SH")  # the keep-alive timer on the same socket
    over_socket(root, "second-socket")
    assert session._relinked("board:SH")  # back over a new socket: re-read
    assert not session._relinked("board:SH")
    assert not session._relinked("bell:user:7")  # each live screen on its own
