"""/approvals/policy: the admin edits the approval decision table."""

from __future__ import annotations

import asyncio

import reflex as rx

from oms_app.approvals import queries as approval_queries
from oms_app.approvals import service as approvals_service
from oms_app.approvals.rules import ANOMALY_CODES
from oms_app.approvals.status import LEVEL_ORDER
from oms_app.core.errors import DomainError, ValidationErrors
from oms_app.core.i18n import one_language, translate
from state.base import SessionState

NUMBER_CONDITIONS = ("min_amount", "max_amount", "min_discount_pct", "max_margin_pct", "min_risk")


def rule_from_form(form: dict) -> dict:
    """The form's strings as a decision-table row (the service checks the values)."""
    conditions: dict = {
        key: form[key].strip() for key in NUMBER_CONDITIONS if str(form.get(key, "")).strip()
    }
    if tiers := [t.strip().upper() for t in str(form.get("tiers", "")).split(",") if t.strip()]:
        conditions["tiers"] = tiers
    if anomalies := [code for code in ANOMALY_CODES if form.get(f"anomaly_{code}")]:
        conditions["anomalies_any"] = anomalies
    priority, sla = str(form.get("priority", "")), str(form.get("sla_hours", ""))
    return {
        "name": str(form.get("name", "")).strip(),
        "priority": int(priority) if priority.isdigit() else 100,
        "sla_hours": int(sla) if sla.isdigit() else 0,
        "levels": [level for level in LEVEL_ORDER if form.get(f"level_{level}")],
        "conditions": conditions,
    }


def condition_summary(conditions: dict, locale: str) -> str:
    """A row's conditions as a reader says them ("金额 ≥ 50000 · 任一异常：超出信用额度")."""
    parts = [
        f"{translate(f'policy.{key}', locale)} {conditions[key]}"
        for key in NUMBER_CONDITIONS
        if key in conditions
    ]
    if conditions.get("tiers"):
        parts.append(f"{translate('policy.summary.tiers', locale)} {','.join(conditions['tiers'])}")
    if conditions.get("anomalies_any"):
        names = [translate(f"anomaly.{code}", locale) for code in conditions["anomalies_any"]]
        separator = "、" if locale == "zh_CN" else ", "
        parts.append(translate("policy.anomalies_any", locale) + separator.join(names))
    return " · ".join(parts) or translate("policy.summary.every", locale)


def form_values(conditions: dict) -> dict:
    """A row's conditions as the edit form shows them: every field present, as text."""
    values = {key: str(conditions.get(key, "")) for key in NUMBER_CONDITIONS}
    values["tiers"] = ",".join(conditions.get("tiers", []))
    values["anomalies_any"] = list(conditions.get("anomalies_any", []))
    return values


class ApprovalPolicyState(SessionState):
    rules: list[dict] = []
    error: str = ""

    @rx.var
    def shown_rules(self) -> list[dict]:
        """The rows as the reader sees them: the name in their language, conditions in words."""
        return [
            {
                **row,
                "title": one_language(row["name"], self.lang),
                "summary": condition_summary(row["conditions"], self.lang),
            }
            for row in self.rules
        ]

    @rx.var
    def anomaly_codes(self) -> list[str]:
        return list(ANOMALY_CODES)

    @rx.var
    def level_roles(self) -> list[str]:
        return list(LEVEL_ORDER)

    @rx.event
    async def load(self):
        actor = await self._actor()
        try:
            rows = await asyncio.to_thread(approval_queries.list_policy, self._uow(), actor=actor)
            self.rules = [{**row, "form": form_values(row["conditions"])} for row in rows]
        except DomainError as err:
            self.error = self._error_text(err)

    async def _save(self, rule: dict, rule_id: int | None):
        actor = await self._actor()
        try:
            await asyncio.to_thread(
                approvals_service.save_rule, self._uow(), actor=actor, rule=rule, rule_id=rule_id
            )
        except ValidationErrors as err:
            self.error = "; ".join(self._error_text(e) for e in err.errors)
            return None
        except DomainError as err:
            self.error = self._error_text(err)
            return None
        self.error = ""
        return [rx.toast.success(self._tr("admin.saved")), ApprovalPolicyState.load]

    @rx.event
    async def save_rule_form(self, form: dict):
        """Add a row, or change the row whose id the form carries."""
        rule_id = str(form.get("rule_id", ""))
        return await self._save(rule_from_form(form), int(rule_id) if rule_id.isdigit() else None)

    @rx.event
    async def toggle_rule(self, rule_id: int, active: bool):
        return await self._save({"is_active": active, **self._row(rule_id)}, rule_id)

    def _row(self, rule_id: int) -> dict:
        row = next((r for r in self.rules if r["id"] == rule_id), {})
        return {
            "name": row.get("name", ""),
            "levels": row.get("levels", []),
            "conditions": row.get("conditions", {}),
            "sla_hours": row.get("sla_hours", 24),
            "priority": row.get("priority", 100),
        }
