"""The picking board's pure rules: columns, overdue, cards, caps and exact counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from oms_app.fulfillment import board_rules as rules
from oms_app.fulfillment.status import ShipmentStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2025, 3, 10, 6, 0, tzinfo=UTC)  # 14:00 in Shanghai
DAY = rules.business_day_bounds(NOW, SHANGHAI)


def row(n: int, status: str = "allocated", **kw) -> rules.BoardRow:
    values = {
        "shipment_id": n,
        "number": f"SHP-2025-{n:06d}",
        "order_number": f"SO-{n}",
        "customer_name": "上海华东贸易有限公司",
        "status": status,
        "priority": 2,
        "cutoff_at": NOW + timedelta(hours=4),
        "carrier": "SF",
        "wave_number": "",
        "shipped_at": None,
    }
    values.update(kw)
    return rules.BoardRow(**values)


def test_the_business_day_is_midnight_to_midnight_in_shanghai():
    start, end = DAY
    assert start == datetime(2025, 3, 9, 16, 0, tzinfo=UTC)
    assert end == datetime(2025, 3, 10, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "column"),
    [
        ("allocated", "to_pick"),
        ("picking", "picking"),
        ("picked", "picked"),
        ("packing", "packing"),
        ("packed", "ready"),
        ("cancelled", ""),
    ],
)
def test_each_open_status_has_its_column_and_cancelled_is_off_the_board(status, column):
    assert rules.column_of(status, None, DAY) == column


def test_every_shipment_status_is_either_on_the_board_or_deliberately_off_it():
    assert {s.value for s in ShipmentStatus} == set(rules.STATUS_COLUMN) | {"cancelled"}
    assert set(rules.STATUS_COLUMN.values()) == set(rules.COLUMNS)


def test_only_shipments_shipped_on_the_business_day_count_as_shipped_today():
    start, end = DAY
    assert rules.column_of("shipped", start, DAY) == "shipped_today"
    assert rules.column_of("delivered", end - timedelta(seconds=1), DAY) == "shipped_today"
    assert rules.column_of("shipped", start - timedelta(seconds=1), DAY) == ""  # yesterday
    assert rules.column_of("shipped", end, DAY) == ""
    assert rules.column_of("shipped", None, DAY) == ""


def test_a_shipment_is_overdue_when_its_cutoff_passed_and_the_goods_are_still_here():
    past = NOW - timedelta(minutes=1)
    assert rules.is_overdue("picking", past, NOW)
    assert not rules.is_overdue("picking", NOW + timedelta(minutes=1), NOW)
    assert not rules.is_overdue("shipped", past, NOW)
    assert not rules.is_overdue("allocated", None, NOW)


def test_a_card_holds_only_plain_viewer_neutral_values():
    card = rules.card_of(
        row(7, "picking", priority=1, wave_number="WV-1", payment_status="paid"), 10, 4, NOW
    )
    assert card == {
        "number": "SHP-2025-000007",
        "order_number": "SO-7",
        "customer": "上海华东贸易有限公司",
        "status": "picking",
        "priority": 1,
        "urgent": True,
        "cutoff_at": "2025-03-10T10:00:00Z",
        "cutoff_ms": int(datetime(2025, 3, 10, 10, 0, tzinfo=UTC).timestamp() * 1000),
        "carrier": "SF",
        "wave": "WV-1",
        "units": 10,
        "picked": 4,
        "progress": 40,
        "overdue": False,
        "payment": "paid",
    }
    assert all(isinstance(v, str | int) for v in card.values())


def test_a_card_without_cutoff_or_lines_shows_empty_values():
    card = rules.card_of(row(1, cutoff_at=None), 0, 0, NOW)
    assert (card["cutoff_at"], card["cutoff_ms"], card["progress"], card["overdue"]) == (
        "",
        0,
        0,
        False,
    )


def test_naive_times_are_read_as_utc():
    naive = datetime(2025, 3, 10, 5, 0)
    assert rules.iso_utc(naive) == "2025-03-10T05:00:00Z"
    assert rules.is_overdue("allocated", naive, NOW)


def test_columns_come_in_board_order_with_earliest_cutoff_then_urgent_first():
    late = row(1, cutoff_at=NOW + timedelta(hours=8))
    early_normal = row(2, cutoff_at=NOW + timedelta(hours=1))
    early_urgent = row(3, cutoff_at=NOW + timedelta(hours=1), priority=1)
    columns = rules.build_columns(
        [late, early_normal, early_urgent],
        counts={"to_pick": 3},
        progress={1: (5, 0)},
        now=NOW,
        day=DAY,
    )
    assert [c["key"] for c in columns] == list(rules.COLUMNS)
    to_pick = columns[0]
    assert [c["number"] for c in to_pick["cards"]] == [
        "SHP-2025-000003",
        "SHP-2025-000002",
        "SHP-2025-000001",
    ]
    assert to_pick["cards"][2]["units"] == 5
    assert [c["count"] for c in columns] == [3, 0, 0, 0, 0, 0]


def test_todays_shipped_column_shows_the_newest_first_and_ignores_older_ones():
    rows_in = [
        row(1, "shipped", shipped_at=NOW - timedelta(hours=2)),
        row(2, "shipped", shipped_at=NOW - timedelta(minutes=5)),
        row(3, "shipped", shipped_at=NOW - timedelta(days=1)),
    ]
    columns = rules.build_columns(rows_in, counts={}, progress={}, now=NOW, day=DAY)
    shipped = columns[-1]
    assert [c["number"] for c in shipped["cards"]] == ["SHP-2025-000002", "SHP-2025-000001"]
    assert shipped["count"] == 2


def test_cards_are_capped_per_column_but_the_count_stays_exact():
    rows_in = [row(n) for n in range(1, 11)]
    columns = rules.build_columns(
        rows_in, counts={"to_pick": 250}, progress={}, now=NOW, day=DAY, cap=4
    )
    assert len(columns[0]["cards"]) == 4
    assert columns[0]["count"] == 250


def test_overdue_cards_are_flagged_and_shipped_ones_never_are():
    rows_in = [
        row(1, "packing", cutoff_at=NOW - timedelta(hours=1)),
        row(2, "shipped", cutoff_at=NOW - timedelta(hours=1), shipped_at=NOW),
    ]
    columns = {
        c["key"]: c for c in rules.build_columns(rows_in, counts={}, progress={}, now=NOW, day=DAY)
    }
    assert columns["packing"]["cards"][0]["overdue"] is True
    assert columns["shipped_today"]["cards"][0]["overdue"] is False


@pytest.mark.parametrize(("units", "picked", "pct"), [(0, 0, 0), (3, 1, 33), (3, 3, 100)])
def test_progress_is_a_whole_percentage(units, picked, pct):
    assert rules.progress_pct(units, picked) == pct
