"""Dates are typed and shown as YYYY-MM-DD (年-月-日) in the user's language on every screen,
never in the browser's own date format."""

from __future__ import annotations

import re

import reflex as rx

from components.date_field import ISO_DATE_PATTERN, date_field
from oms_app.core.config import PROJECT_ROOT
from oms_app.core.i18n import catalogue

NATIVE_DATE = re.compile(r"""type\s*=\s*["']date["']""")


def test_no_screen_uses_the_browsers_own_date_input():
    found = [
        str(path.relative_to(PROJECT_ROOT))
        for folder in ("components", "oms_app/pages")
        for path in (PROJECT_ROOT / folder).rglob("*.py")
        if path.name != "date_field.py" and NATIVE_DATE.search(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "use components.date_field.date_field"


def test_the_field_is_a_numeric_text_box_with_the_iso_pattern_and_the_users_words():
    t = rx.Var.create({"date.placeholder": "年-月-日", "date.format_error": "请按格式"})
    jsx = str(date_field(t, name="from", id="period-from", default_value="2026-12-03"))
    assert 'type:"text"' in jsx and 'inputMode:"numeric"' in jsx and "maxLength:10" in jsx
    assert 'name:"from"' in jsx and 'defaultValue:"2026-12-03"' in jsx
    # the browser's refusal of a bad date speaks the catalogue's words, cleared on typing
    assert "onInvalid:((e) => e.target.setCustomValidity(" in jsx and "date.format_error" in jsx
    assert "onInput:((e) => e.target.setCustomValidity(''))" in jsx


def test_the_pattern_takes_real_months_and_days_only():
    iso = re.compile(f"^(?:{ISO_DATE_PATTERN})$")  # the browser anchors a pattern the same way
    assert iso.match("2026-12-03") and iso.match("2026-01-31")
    for bad in ("2026-13-01", "2026-12-32", "2026-00-10", "26-12-03", "2026/12/03", "12/03/2026"):
        assert not iso.match(bad), bad


def test_the_placeholder_and_the_error_exist_in_both_languages():
    assert catalogue("zh_CN")["date.placeholder"] == "年-月-日"
    assert catalogue("en")["date.placeholder"] == "YYYY-MM-DD"
    assert "2026-12-03" in catalogue("zh_CN")["date.format_error"]
    assert "2026-12-03" in catalogue("en")["date.format_error"]
