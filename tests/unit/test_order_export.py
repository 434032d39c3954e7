"""The order export files: CSV that Excel opens in Chinese, XLSX with numeric money cells."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal

import openpyxl
import pytest

from oms_app.core.i18n import SUPPORTED, translate
from oms_app.orders.export import COLUMNS, MONEY_FORMAT, to_csv, to_xlsx

ROWS = [
    {
        "number": "SO-2026-000001",
        "created": "2026-03-05 12:00",
        "customer": "上海华东贸易有限公司",
        "status": "pending_approval",
        "channel": "sales",
        "subtotal": "1234.50",
        "discount": "0.00",
        "tax": "160.49",
        "shipping": "0.00",
        "total": "1394.99",
        "rep": "sales",
        "payment_status": "unpaid",
    },
    {
        "number": "SO-2026-000002",
        "created": "2026-03-06 09:15",
        "customer": '=HYPERLINK("http://x")',
        "status": "approved",
        "channel": "api",
        "subtotal": "98765.43",
        "discount": "12.30",
        "tax": "12838.31",
        "shipping": "20.00",
        "total": "111611.44",
        "rep": "",
        "payment_status": "paid",
    },
]
ZH_HEADERS = [
    "订单号",
    "创建时间",
    "客户",
    "状态",
    "渠道",
    "小计",
    "折扣",
    "税额",
    "运费",
    "金额 (¥)",
    "业务员",
    "付款",
]


@pytest.mark.parametrize("locale", SUPPORTED)
def test_every_export_header_is_translated(locale):
    assert all(translate(key, locale) != key for _, key in COLUMNS)


def test_the_csv_starts_with_a_bom_and_has_translated_headers():
    data = to_csv(ROWS, "zh_CN")
    assert data.startswith(b"\xef\xbb\xbf")
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header == ZH_HEADERS


def test_csv_values_round_trip_with_codes_shown_as_their_labels():
    data = to_csv(ROWS, "en")
    read = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    keys = {translate(key, "en"): name for name, key in COLUMNS}
    back = [{keys[head]: value for head, value in row.items()} for row in read]
    assert [r["number"] for r in back] == ["SO-2026-000001", "SO-2026-000002"]
    assert back[0]["customer"] == "上海华东贸易有限公司"
    assert (back[0]["status"], back[0]["channel"]) == ("Pending approval", "Sales")
    for original, row in zip(ROWS, back, strict=True):
        for money in ("subtotal", "discount", "tax", "shipping", "total"):
            assert Decimal(row[money]) == Decimal(original[money])
        assert (row["created"], row["rep"]) == (original["created"], original["rep"])


def test_a_csv_text_that_looks_like_a_formula_is_kept_as_text():
    read = list(csv.reader(io.StringIO(to_csv(ROWS, "en").decode("utf-8-sig"))))
    assert read[2][2] == '\'=HYPERLINK("http://x")'


def test_the_xlsx_opens_with_translated_headers_and_numeric_money_cells():
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(ROWS, "zh_CN"))).active
    rows = list(sheet.iter_rows())
    assert [c.value for c in rows[0]] == ZH_HEADERS
    first = {name: cell for (name, _), cell in zip(COLUMNS, rows[1], strict=True)}
    assert first["number"].value == "SO-2026-000001"
    assert first["customer"].value == "上海华东贸易有限公司"
    assert first["status"].value == "待审核"
    assert first["payment_status"].value == "未付款"
    assert first["created"].value == datetime(2026, 3, 5, 12, 0)
    for money in ("subtotal", "discount", "tax", "shipping", "total"):
        cell = first[money]
        assert cell.data_type == "n" and cell.number_format == MONEY_FORMAT
        assert Decimal(str(cell.value)) == Decimal(ROWS[0][money])
    assert len(rows) == 3


def test_an_xlsx_text_that_looks_like_a_formula_stays_text():
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(ROWS, "en"))).active
    cell = sheet.cell(row=3, column=3)
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x")'


def test_an_empty_list_exports_just_the_headers():
    assert to_csv([], "en").decode("utf-8-sig").strip().count("\n") == 0
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx([], "en"))).active
    assert sheet.max_row == 1
