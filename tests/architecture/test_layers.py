"""The import rules of ARCHITECTURE.md section 1, and the single writer of `status`."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AREAS = [
    "accounts",
    "analytics",
    "audit",
    "budgets",
    "catalog",
    "changes",
    "customers",
    "demo",
    "fulfillment",
    "inventory",
    "ledger",
    "logistics",
    "notifications",
    "orders",
    "payments",
    "returns",
    "integrations",
    "webhooks",
]
PY_DIRS = ["oms_app", "components", "state", "tasks"]


def python_files(*dirs: str) -> list[Path]:
    return [p for d in dirs for p in (ROOT / d).rglob("*.py") if "migrations" not in p.parts]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def offenders(files: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{p.relative_to(ROOT)} imports {m}"
        for p in files
        for m in imported_modules(p)
        if m.split(".")[0] in forbidden or m.startswith(forbidden)
    ]


def test_core_and_business_areas_never_import_the_ui_or_celery():
    files = python_files("oms_app/core", *[f"oms_app/{a}" for a in AREAS])
    assert (
        offenders(
            files,
            ("reflex", "celery", "state", "components", "tasks", "oms_app.pages", "oms_app.api"),
        )
        == []
    )


def test_components_never_import_state_or_the_database():
    assert (
        offenders(
            python_files("components"), ("state", "sqlalchemy", "sqlmodel", "oms_app.core.db")
        )
        == []
    )


def test_tasks_and_the_api_never_import_the_ui():
    files = python_files("tasks", "oms_app/api")
    assert offenders(files, ("reflex", "state", "components", "oms_app.pages")) == []


def test_an_area_never_imports_another_areas_tables():
    problems = []
    for area in AREAS:
        for path in python_files(f"oms_app/{area}"):
            for module in imported_modules(path):
                parts = module.split(".")
                if (
                    len(parts) >= 3
                    and parts[0] == "oms_app"
                    and parts[1] in AREAS
                    and parts[1] != area
                    and parts[2] == "models"
                    and area != "demo"
                ):
                    problems.append(f"{path.relative_to(ROOT)} imports {module}")
    assert problems == []


def _status_writes(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AugAssign | ast.AnnAssign)
            else []
        )
        for target in targets:
            for sub in ast.walk(target):
                if isinstance(sub, ast.Attribute) and sub.attr == "status":
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "values"
            and any(k.arg == "status" for k in node.keywords)
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} (UPDATE ... status)")
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", "") == "setattr"
            and len(node.args) > 1
            and getattr(node.args[1], "value", None) == "status"
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} (setattr status)")
    return found


def test_only_apply_transition_assigns_a_status():
    writer = ROOT / "oms_app/core/state_machine.py"
    writes = [w for p in python_files(*PY_DIRS) if p != writer for w in _status_writes(p)]
    assert writes == []
    assert _status_writes(writer), "the writer itself must still be found by this check"
