"""Pure approval rules: the decision table, the risk score and who may decide a level."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from oms_app.approvals.status import LEVEL_ORDER
from oms_app.core.errors import ValidationFailed

CONDITION_KEYS = (
    "min_amount",
    "max_amount",
    "min_discount_pct",
    "max_margin_pct",
    "tiers",
    "anomalies_any",
    "min_risk",
)
ANOMALY_CODES = (
    "price_mismatch",
    "insufficient_stock",
    "credit_exceeded",
    "unusual_quantity",
    "possible_duplicate",
)
RISK_WEIGHTS = {
    "credit_exceeded": 35,
    "possible_duplicate": 25,
    "price_mismatch": 20,
    "insufficient_stock": 10,
    "unusual_quantity": 15,
}
TIER_RISK = {"A": 0, "B": 0, "C": 5, "D": 15}

# The table a new installation starts with; admins edit it at /approvals/policy. Names are
# written "中文|English": each reader sees their language (core.i18n.one_language).
DEFAULT_POLICY: list[dict] = [
    {
        "priority": 10,
        "name": "每单：销售经理|Every order: sales manager",
        "conditions": {},
        "levels": ["sales_manager"],
        "sla_hours": 24,
    },
    {
        "priority": 20,
        "name": "大额订单（≥ ¥50,000）：财务|Large order (≥ ¥50,000): finance",
        "sla_hours": 24,
        "conditions": {"min_amount": "50000"},
        "levels": ["sales_manager", "finance"],
    },
    {
        "priority": 30,
        "name": "信用或价格风险：财务|Credit or price risk: finance",
        "sla_hours": 12,
        "conditions": {"anomalies_any": ["credit_exceeded", "price_mismatch"]},
        "levels": ["finance"],
    },
    {
        "priority": 40,
        "name": "库存风险：仓库|Stock risk: warehouse",
        "sla_hours": 8,
        "conditions": {"anomalies_any": ["insufficient_stock"]},
        "levels": ["warehouse"],
    },
    {
        "priority": 50,
        "name": "大幅折扣（≥ 15%）：财务|Deep discount (≥ 15%): finance",
        "sla_hours": 24,
        "conditions": {"min_discount_pct": "15"},
        "levels": ["finance"],
    },
    {
        "priority": 60,
        "name": "低毛利（≤ 10%）：财务|Thin margin (≤ 10%): finance",
        "sla_hours": 24,
        "conditions": {"max_margin_pct": "10"},
        "levels": ["finance"],
    },
    {
        "priority": 70,
        "name": "高风险客户（D 级或风险 ≥ 60）：财务|Risky customer (tier D or risk ≥ 60): finance",
        "sla_hours": 24,
        "conditions": {"min_risk": 60},
        "levels": ["finance"],
    },
]


@dataclass(frozen=True)
class OrderFacts:
    """What the decision table looks at."""

    amount: Decimal
    max_discount_pct: Decimal
    margin_pct: Decimal
    tier: str
    anomalies: frozenset[str] = frozenset()
    risk: int = 0


@dataclass(frozen=True)
class Route:
    levels: list[str]
    sla_hours: int
    reasons: dict[str, list[str]] = field(default_factory=dict)  # level -> rule names


def risk_score(anomalies: frozenset[str], tier: str, margin_pct: Decimal) -> tuple[int, list]:
    """0-100 and the factors behind it, heaviest first."""
    factors = [(code, RISK_WEIGHTS.get(code, 10)) for code in sorted(anomalies)]
    if TIER_RISK.get(tier, 0):
        factors.append((f"tier_{tier}", TIER_RISK[tier]))
    if margin_pct < 10:
        factors.append(("thin_margin", 15))
    factors.sort(key=lambda f: -f[1])
    return min(100, sum(w for _, w in factors)), factors


def rule_matches(conditions: dict, facts: OrderFacts) -> bool:
    checks = {
        "min_amount": lambda v: facts.amount >= Decimal(str(v)),
        "max_amount": lambda v: facts.amount <= Decimal(str(v)),
        "min_discount_pct": lambda v: facts.max_discount_pct >= Decimal(str(v)),
        "max_margin_pct": lambda v: facts.margin_pct <= Decimal(str(v)),
        "tiers": lambda v: facts.tier in v,
        "anomalies_any": lambda v: bool(facts.anomalies & set(v)),
        "min_risk": lambda v: facts.risk >= int(v),
    }
    return all(checks[key](value) for key, value in conditions.items() if key in checks)


def route(rules: list[dict], facts: OrderFacts) -> Route:
    """Every matching rule adds its levels; levels are worked in LEVEL_ORDER."""
    reasons: dict[str, list[str]] = {}
    sla = None
    for rule in sorted(rules, key=lambda r: r["priority"]):
        if rule_matches(rule["conditions"], facts):
            for level in rule["levels"]:
                reasons.setdefault(level, []).append(rule["name"])
            sla = min(sla or rule["sla_hours"], rule["sla_hours"])
    levels = [level for level in LEVEL_ORDER if level in reasons]
    return Route(levels=levels, sla_hours=sla or 24, reasons=reasons)


def rule_errors(rule: dict) -> list[ValidationFailed]:
    """What is wrong with a decision-table row an admin entered."""
    errors = []
    if not str(rule.get("name", "")).strip():
        errors.append(ValidationFailed("name", "error.required"))
    levels = rule.get("levels") or []
    if not levels or any(level not in LEVEL_ORDER for level in levels):
        errors.append(ValidationFailed("levels", "error.choice", choices=", ".join(LEVEL_ORDER)))
    unknown = set(rule.get("conditions", {})) - set(CONDITION_KEYS)
    if unknown:
        errors.append(
            ValidationFailed("conditions", "error.choice", choices=", ".join(CONDITION_KEYS))
        )
    for key in ("min_amount", "max_amount", "min_discount_pct", "max_margin_pct"):
        value = rule.get("conditions", {}).get(key)
        if value is not None and not _is_number(value):
            errors.append(ValidationFailed(f"conditions.{key}", "error.number"))
    if not 1 <= int(rule.get("sla_hours") or 0) <= 720:
        errors.append(ValidationFailed("sla_hours", "error.range", min=1, max=720))
    return errors


def _is_number(value: object) -> bool:
    try:
        Decimal(str(value))
    except ArithmeticError:
        return False
    return True


def may_decide(actor_roles: frozenset[str], level_role: str) -> bool:
    """Only a holder of the level's role decides it; an admin may stand in for anyone."""
    return level_role in actor_roles or "admin" in actor_roles


@dataclass(frozen=True)
class OrderAuthors:
    """The people who made an order what it is: its creator and whoever changed it since."""

    created_by: int | None
    changed_by: frozenset[int] = frozenset()  # draft editors and this round's submitter


def is_stand_in(actor_roles: frozenset[str], level_role: str) -> bool:
    """An admin deciding a level whose role they do not hold stands in for that role."""
    return level_role not in actor_roles and "admin" in actor_roles


def four_eyes_refusal(
    *, actor_id: int | None, authors: OrderAuthors, decided_other_level: bool
) -> str | None:
    """Why this person may not decide a level of this order (an error code), or None.

    Nobody approves their own work: the creator and whoever changed the order decide no level
    of it, and one person decides at most one level of it (else two levels are one pair of eyes).
    """
    if actor_id is not None and actor_id == authors.created_by:
        return "error.approval.own_order"
    if actor_id is not None and actor_id in authors.changed_by:
        return "error.approval.own_change"
    if decided_other_level:
        return "error.approval.second_level"
    return None
