"""KPI tiles: values formatted for people, changes against the comparison periods."""

from __future__ import annotations

from oms_app.analytics.tiles import build_tiles, change, format_value


def figures(**overrides) -> dict:
    base = {
        "revenue": "1000.00",
        "orders": 10,
        "average_order_value": "100.00",
        "gross_profit": "250.00",
        "margin": "0.2500",
        "pending_approvals": 3,
        "late_orders": 1,
        "fulfilment_lead_time_hours": 30.25,
        "return_rate": None,
        "satisfaction": None,
    }
    return base | overrides


def test_values_are_shown_as_money_counts_percentages_and_hours():
    assert format_value("12345.6", "money") == "¥12,345.60"
    assert format_value(1204, "count") == "1,204"
    assert format_value("0.2345", "ratio") == "23.45%"
    assert format_value(31.54, "hours") == "31.5 h"
    assert format_value(None, "money") == ""


def test_a_change_is_relative_to_the_earlier_figure_and_blank_without_one():
    assert change("1250.00", "1000.00") == "+25.0%"
    assert change(9, 10) == "-10.0%"
    assert change("5.00", "0.00") == ""
    assert change(None, 3) == "" and change(3, None) == ""


def test_tiles_without_data_say_so_and_carry_both_comparisons():
    tiles = build_tiles(
        {
            "current": figures(revenue="1200.00"),
            "previous_period": figures(revenue="1000.00"),
            "same_period_last_year": figures(revenue="1500.00"),
        }
    )
    by_key = {t["key"]: t for t in tiles}
    assert by_key["revenue"] == {
        "key": "revenue",
        "value": "¥1,200.00",
        "no_data": "",
        "vs_previous": "+20.0%",
        "vs_last_year": "-20.0%",
        "lower_is_better": "",
    }
    assert by_key["late_orders"]["lower_is_better"] == "1"
    assert by_key["return_rate"]["no_data"] == "1" and by_key["return_rate"]["value"] == ""
    assert [t["key"] for t in tiles][:3] == ["revenue", "orders", "average_order_value"]
