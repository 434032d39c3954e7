"""The four-eyes rules as pure functions: who may not decide, and who stands in."""

from __future__ import annotations

from oms_app.approvals.rules import OrderAuthors, four_eyes_refusal, is_stand_in
from oms_app.returns import rules as return_rules

AUTHORS = OrderAuthors(created_by=1, changed_by=frozenset({2}))


def refusal(actor_id, decided=False):
    return four_eyes_refusal(actor_id=actor_id, authors=AUTHORS, decided_other_level=decided)


def test_the_creator_the_changers_and_a_second_level_are_refused_and_others_pass():
    assert refusal(1) == "error.approval.own_order"
    assert refusal(2) == "error.approval.own_change"
    assert refusal(3, decided=True) == "error.approval.second_level"
    assert refusal(3) is None


def test_an_unknown_creator_refuses_nobody():
    assert (
        four_eyes_refusal(actor_id=None, authors=OrderAuthors(None), decided_other_level=False)
        is None
    )


def test_only_an_admin_without_the_levels_role_stands_in():
    assert is_stand_in(frozenset({"admin"}), "finance")
    assert not is_stand_in(frozenset({"admin", "finance"}), "finance")
    assert not is_stand_in(frozenset({"finance"}), "finance")


def test_a_returns_requester_or_order_creator_may_not_decide_it():
    decide = return_rules.four_eyes_refusal
    assert decide(actor_id=5, requested_by=5, order_created_by=6) == "returns.error.own_request"
    assert decide(actor_id=6, requested_by=5, order_created_by=6) == "returns.error.own_order"
    assert decide(actor_id=7, requested_by=5, order_created_by=6) is None
