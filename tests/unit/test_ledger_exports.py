"""The statement files: the PDF opens and shows the figures, the workbook's totals equal the
statement's."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from oms_app.ledger.exports import statement_pdf, statement_table, statement_xlsx

TRIAL = {
    "from": "2026-03-01",
    "to": "2026-03-31",
    "accounts": [
        {
            "code": "1002",
            "name_zh": "银行存款",
            "name_en": "Bank deposits",
            "kind": "asset",
            "normal_side": "debit",
            "opening": "0.00",
            "debit": "1234.50",
            "credit": "0.00",
            "balance": "1234.50",
        },
        {
            "code": "6001",
            "name_zh": "主营业务收入",
            "name_en": "Main business revenue",
            "kind": "revenue",
            "normal_side": "credit",
            "opening": "0.00",
            "debit": "0.00",
            "credit": "1234.50",
            "balance": "-1234.50",
        },
    ],
    "totals": {"opening": "0.00", "debit": "1234.50", "credit": "1234.50", "balance": "0.00"},
    "balanced": True,
}
BALANCE = {
    "at": "2026-03-31",
    "assets": {
        "lines": [
            {
                "code": "1002",
                "key": "1002",
                "name_zh": "银行存款",
                "name_en": "Bank deposits",
                "amount": "1234.50",
            }
        ],
        "total": "1234.50",
    },
    "liabilities": {"lines": [], "total": "0.00"},
    "equity": {
        "lines": [
            {
                "code": None,
                "key": "current_year_profit",
                "name_zh": "本年利润（未结转）",
                "name_en": "Current-year profit",
                "amount": "1234.50",
            }
        ],
        "total": "1234.50",
    },
    "liabilities_and_equity": "1234.50",
    "balanced": True,
}
INCOME = {
    "columns": [
        {"key": "current", "from": "2026-03-01", "to": "2026-03-31"},
        {"key": "previous", "from": "2026-02-01", "to": "2026-02-28"},
    ],
    "lines": [
        {
            "key": "main_revenue",
            "total": False,
            "label": {"zh_CN": "其中：主营业务收入", "en": "of which: main business revenue"},
            "values": {"current": "1234.50", "previous": "99.00"},
        },
        {
            "key": "net_profit",
            "total": True,
            "label": {"zh_CN": "净利润", "en": "Net profit"},
            "values": {"current": "1234.50", "previous": "99.00"},
        },
    ],
}
STATEMENTS = {"trial": TRIAL, "balance": BALANCE, "income": INCOME}


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("kind", ["trial", "balance", "income"])
def test_a_statement_pdf_opens_and_shows_its_figures(kind):
    # when
    text = pdf_text(statement_pdf(kind, STATEMENTS[kind], "en"))
    # then
    assert "1,234.50" in text


def test_the_chinese_pdf_carries_the_chinese_account_names():
    text = pdf_text(statement_pdf("trial", TRIAL, "zh_CN"))
    assert "银行存款" in text and "1,234.50" in text


def sheet_rows(data: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def test_the_trial_balance_workbook_totals_equal_the_statement():
    rows = sheet_rows(statement_xlsx("trial", TRIAL, "en"))
    total = rows[-1]
    assert [Decimal(str(v)) for v in total[2:]] == [
        Decimal(TRIAL["totals"][k]) for k in ("opening", "debit", "credit", "balance")
    ]
    body = [r for r in rows[3:-1]]
    assert sum(Decimal(str(r[3])) for r in body) == Decimal(TRIAL["totals"]["debit"])


def test_the_balance_sheet_workbook_totals_equal_the_statement():
    rows = sheet_rows(statement_xlsx("balance", BALANCE, "en"))
    assert Decimal(str(rows[-1][2])) == Decimal(BALANCE["liabilities_and_equity"])
    asset_total = next(r for r in rows if r[1] == "Total Assets")
    assert Decimal(str(asset_total[2])) == Decimal(BALANCE["assets"]["total"])


def test_the_income_statement_workbook_has_every_comparison_column():
    rows = sheet_rows(statement_xlsx("income", INCOME, "zh_CN"))
    net = next(r for r in rows if r[0] == "净利润")
    assert [Decimal(str(v)) for v in net[1:3]] == [Decimal("1234.50"), Decimal("99.00")]


def test_an_income_line_fed_by_one_account_drills_down_to_it():
    table = statement_table("income", INCOME, "en")
    assert [row.account for row in table.rows] == ["6001", ""]
    assert [row.bold for row in table.rows] == [False, True]
