"""Money going out: who may release it, and how a proposal's outcome may move."""

from __future__ import annotations

import itertools

import pytest

from oms_app.core.errors import IllegalTransition
from oms_app.payments.rules import four_eyes_refusal
from oms_app.payments.status import (
    HELD_OUTCOMES,
    PROPOSAL_MACHINE,
    ProposalAction,
    ProposalOutcome,
)

PO, PA = ProposalOutcome, ProposalAction
ALLOWED = {
    (PO.PROPOSED, PA.RELEASE): PO.REQUESTED,
    (PO.PROPOSED, PA.DECLINE): PO.DECLINED,
    (PO.PROPOSED, PA.WITHDRAW): PO.WITHDRAWN,
    (PO.REQUESTED, PA.COMPLETE): PO.DONE,
    (PO.REQUESTED, PA.FAIL): PO.FAILED,
}


@pytest.mark.parametrize(("outcome", "action"), itertools.product(PO, PA))
def test_a_proposal_moves_only_along_its_table(outcome, action):
    if (outcome, action) in ALLOWED:
        assert PROPOSAL_MACHINE.next(outcome, action) is ALLOWED[(outcome, action)]
    else:
        with pytest.raises(IllegalTransition):
            PROPOSAL_MACHINE.next(outcome, action)


def test_only_open_and_released_proposals_hold_money():
    assert HELD_OUTCOMES == {PO.PROPOSED, PO.REQUESTED}


def test_nobody_releases_their_own_proposal_or_money_on_an_order_they_entered():
    assert four_eyes_refusal(actor_id=1, proposed_by=1, order_created_by=3) == "own_proposal"
    assert four_eyes_refusal(actor_id=3, proposed_by=1, order_created_by=3) == "own_order"
    assert four_eyes_refusal(actor_id=None, proposed_by=1, order_created_by=3) == (
        "release_needs_a_person"
    )
    assert four_eyes_refusal(actor_id=2, proposed_by=1, order_created_by=3) is None
    assert four_eyes_refusal(actor_id=2, proposed_by=1, order_created_by=None) is None
