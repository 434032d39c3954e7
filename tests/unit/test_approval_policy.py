"""The approval decision table and the risk score."""

from __future__ import annotations

from decimal import Decimal

from oms_app.approvals.rules import (
    DEFAULT_POLICY,
    OrderFacts,
    may_decide,
    risk_score,
    route,
    rule_errors,
)

D = Decimal


def facts(**overrides) -> OrderFacts:
    base = dict(amount=D("3000"), max_discount_pct=D("0"), margin_pct=D("30"), tier="B")
    return OrderFacts(**{**base, **overrides})


def test_an_ordinary_order_needs_only_the_sales_manager():
    decided = route(DEFAULT_POLICY, facts())
    assert decided.levels == ["sales_manager"] and decided.sla_hours == 24


def test_a_large_order_adds_finance_after_the_manager():
    assert route(DEFAULT_POLICY, facts(amount=D("80000"))).levels == ["sales_manager", "finance"]


def test_anomalies_route_to_the_people_who_can_judge_them():
    stock = route(DEFAULT_POLICY, facts(anomalies=frozenset({"insufficient_stock"})))
    assert stock.levels == ["sales_manager", "warehouse"] and stock.sla_hours == 8
    credit = route(DEFAULT_POLICY, facts(anomalies=frozenset({"credit_exceeded"})))
    assert credit.levels == ["sales_manager", "finance"]
    assert "信用或价格风险：财务|Credit or price risk: finance" in credit.reasons["finance"]


def test_thin_margin_deep_discount_or_high_risk_add_finance():
    for case in (facts(margin_pct=D("8")), facts(max_discount_pct=D("20")), facts(risk=70)):
        assert route(DEFAULT_POLICY, case).levels == ["sales_manager", "finance"]


def test_risk_score_lists_its_factors_heaviest_first():
    score, factors = risk_score(frozenset({"credit_exceeded", "unusual_quantity"}), "D", D("5"))
    assert score == 35 + 15 + 15 + 15
    assert factors[0] == ("credit_exceeded", 35)


def test_an_edited_rule_is_checked_before_it_is_saved():
    bad = {
        "name": " ",
        "levels": ["ceo"],
        "conditions": {"colour": "red", "min_amount": "lots"},
        "sla_hours": 0,
    }
    assert [e.field for e in rule_errors(bad)] == [
        "name",
        "levels",
        "conditions",
        "conditions.min_amount",
        "sla_hours",
    ]
    assert rule_errors(DEFAULT_POLICY[1]) == []


def test_only_the_levels_role_or_an_admin_decides_it():
    assert may_decide(frozenset({"finance"}), "finance")
    assert may_decide(frozenset({"admin"}), "warehouse")
    assert not may_decide(frozenset({"sales_manager"}), "finance")


def test_the_policy_form_becomes_a_decision_table_row():
    from state.approval_policy import rule_from_form

    row = rule_from_form(
        {
            "name": " 大额华南订单 ",
            "priority": "15",
            "sla_hours": "12",
            "min_amount": "20000",
            "tiers": "c, d",
            "anomaly_credit_exceeded": "on",
            "level_finance": "on",
            "level_sales_manager": "on",
        }
    )
    assert row == {
        "name": "大额华南订单",
        "priority": 15,
        "sla_hours": 12,
        "levels": ["sales_manager", "finance"],
        "conditions": {
            "min_amount": "20000",
            "tiers": ["C", "D"],
            "anomalies_any": ["credit_exceeded"],
        },
    }
    assert rule_errors(row) == []


def test_the_default_policy_names_read_in_either_language():
    from oms_app.core.i18n import one_language

    for rule in DEFAULT_POLICY:
        zh, en = one_language(rule["name"], "zh_CN"), one_language(rule["name"], "en")
        assert zh != en and "|" not in zh + en
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in en)


def test_a_rule_reads_as_words_in_the_readers_language_not_as_json():
    from state.approval_policy import condition_summary

    conditions = {"min_amount": "50000", "tiers": ["C", "D"], "anomalies_any": ["credit_exceeded"]}

    assert (
        condition_summary(conditions, "zh_CN")
        == "金额 ≥ 50000 · 客户等级 C,D · 任一异常：超出信用额度"
    )
    assert condition_summary({}, "en") == "Every order"
    assert "{" not in condition_summary({"min_risk": 60}, "en")
