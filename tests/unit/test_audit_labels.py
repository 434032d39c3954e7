"""Every action and entity kind the code writes to the audit log has a label in both languages.

The source is read for each `audit.record(...)` / `audit.entry(...)` call: a literal code must
be listed and labelled; a code built at run time must be listed in BUILT_CODES below with every
value it can take, so a new code without a label fails here rather than showing raw on screen.
"""

from __future__ import annotations

import ast
from functools import cache

import pytest

from oms_app.audit import labels
from oms_app.core.config import PROJECT_ROOT
from oms_app.core.i18n import SUPPORTED, catalogue

# (module, source of the code expression) -> the codes it can produce
BUILT_CODES: dict[tuple[str, str], set[str]] = {
    (
        "oms_app/changes/guarded.py",
        "f'{entity}.created' if created else f'{entity}.updated'",
    ): {"product.created", "product.updated", "customer.created", "customer.updated"},
    ("oms_app/changes/guarded.py", "entity"): {"product", "customer"},
    ("oms_app/orders/authorship.py", "DRAFT_EDITED"): {"order.draft_edited"},
    ("oms_app/returns/service.py", "f'return.{action}'"): {
        "return.approve",
        "return.reject",
        "return.close",
    },
    ("oms_app/payments/proposals.py", "f'payment.{row.kind}_{step}'"): {
        f"payment.{kind}_{step}"
        for kind in ("refund", "write_off")
        for step in ("proposed", "released", "declined", "withdrawn", "failed")
    },
    ("oms_app/changes/lifecycle.py", "f'change_request.{t.to_status}'"): {
        "change_request.approved",
        "change_request.rejected",
    },
}


@cache
def _audit_calls() -> tuple[tuple[str, str, ast.expr], ...]:
    """(module, keyword name, expression) of every action=/entity= given to the audit writer."""
    return tuple(_scan())


def _scan():
    for path in sorted((PROJECT_ROOT / "oms_app").rglob("*.py")):
        module = path.relative_to(PROJECT_ROOT).as_posix()
        if module.startswith("oms_app/audit/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("record", "entry")
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "audit"
            ):
                continue
            for kw in node.keywords:
                if kw.arg in ("action", "entity"):
                    yield module, kw.arg, kw.value


def _written(kind: str) -> dict[str, str]:
    """Each code of `kind` the source writes -> where."""
    found: dict[str, str] = {}
    for module, arg, expr in _audit_calls():
        if arg != kind:
            continue
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            found[expr.value] = module
            continue
        built = BUILT_CODES.get((module, ast.unparse(expr)))
        assert built is not None, (
            f"{module} writes an audit {kind} built as `{ast.unparse(expr)}`: list what it can "
            "be in BUILT_CODES and give each a label"
        )
        found |= dict.fromkeys(built, module)
    return found


def test_the_scan_finds_the_audit_writes_across_the_areas():
    modules = {module for module, _, _ in _audit_calls()}
    assert {"oms_app/accounts/service.py", "oms_app/ledger/books.py"} <= modules
    assert len(_written("action")) > 40


@pytest.mark.parametrize(
    ("kind", "listed", "key", "list_name"),
    [
        ("action", labels.ACTIONS, labels.action_key, "ACTIONS"),
        ("entity", labels.ENTITIES, labels.entity_key, "ENTITIES"),
    ],
)
def test_every_action_and_entity_kind_written_is_listed_with_a_label_in_both_languages(
    kind, listed, key, list_name
):
    written = _written(kind)
    unlisted = {code: where for code, where in written.items() if code not in listed}
    assert not unlisted, f"add these to oms_app/audit/labels.py {list_name}: {unlisted}"
    for locale in SUPPORTED:
        missing = [code for code in listed if not catalogue(locale).get(key(code))]
        assert not missing, f"no {locale} label for the audit {kind} codes {missing}"


def test_every_area_of_the_filter_has_a_name_in_both_languages():
    for locale in SUPPORTED:
        missing = [a for a in labels.AREAS if not catalogue(locale).get(labels.area_key(a))]
        assert not missing, f"no {locale} name for the audit areas {missing}"


def test_people_read_labels_while_an_unknown_old_code_still_shows_as_itself():
    assert labels.action_label("approval.stand_in", "zh_CN") == "代理审批"
    assert labels.action_label("auth.login", "en") == "Signed in"
    assert labels.entity_label("customer", "zh_CN") == "客户"
    assert labels.action_label("legacy.thing", "en") == "legacy.thing"
    assert labels.entity_label("", "en") == ""


def test_the_listed_codes_are_each_listed_once():
    assert len(set(labels.ACTIONS)) == len(labels.ACTIONS)
    assert len(set(labels.ENTITIES)) == len(labels.ENTITIES)
