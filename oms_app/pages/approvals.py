"""/approvals"""

from __future__ import annotations

import reflex as rx

from components.approval_cards import approval_board
from oms_app.pages.layout import shell
from state.approvals_board import ApprovalBoardState
from state.base import SessionState


def approvals_page() -> rx.Component:
    return shell("nav.approvals", approval_board(SessionState.t, ApprovalBoardState.columns))
