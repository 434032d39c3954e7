"""The operations report's table cells and charts, built from report rows by pure functions."""

from __future__ import annotations

import json
from pathlib import Path

from oms_app.analytics.operations_figures import (
    group_label,
    rates_figure,
    stage_figure,
    table_rows,
)
from oms_app.core.i18n import catalogue

ROOT = Path(__file__).resolve().parents[2]
EN = catalogue("en")


def stage(count: int, avg: float | None, median: float | None) -> dict:
    return {"count": count, "avg_hours": avg, "median_hours": median}


def report_row(key: str, **figures) -> dict:
    kind, _, name = key.partition(":")
    row = {
        "key": key,
        "kind": kind,
        "name": name,
        "submitted": 0,
        "corrected": 0,
        "decided": 0,
        "rejected": 0,
        "pick_tasks": 0,
        "short_picks": 0,
        "correction_rate": None,
        "rejection_rate": None,
        "short_pick_rate": None,
        "submit_to_approval": stage(0, None, None),
        "approval_to_pick": stage(0, None, None),
        "pick_to_ship": stage(0, None, None),
    }
    row.update(figures)
    return row


ROWS = [
    report_row("sales:sales", submitted=4, corrected=1, correction_rate="0.2500"),
    report_row(
        "approval:finance",
        decided=3,
        rejected=1,
        rejection_rate="0.3333",
        submit_to_approval=stage(2, 5.5, 4.25),
    ),
    report_row(
        "picker:wang",
        pick_tasks=8,
        short_picks=2,
        short_pick_rate="0.2500",
        approval_to_pick=stage(3, 10.0, 9.0),
        pick_to_ship=stage(3, 2.0, 1.5),
    ),
]


def test_groups_are_labelled_by_team_kind_and_translated_role_or_by_period():
    labels = [group_label(row, EN) for row in ROWS]
    assert labels == ["Sales · Sales", "Approval · Finance", "Picker · wang"]
    assert group_label(report_row("week:2026-03-02"), EN) == "2026-03-02"
    assert group_label(report_row("all:"), catalogue("zh_CN")) == "合计"


def test_table_cells_show_median_average_and_count_and_rates_with_their_parts():
    cells = {cell["key"]: cell for cell in table_rows(ROWS, EN)}
    assert cells["approval:finance"]["submit_to_approval"] == "4.2 h / 5.5 h (2)"
    assert cells["approval:finance"]["rejection_rate"] == "33.33% (1/3)"
    assert cells["sales:sales"]["correction_rate"] == "25.00% (1/4)"
    assert cells["picker:wang"]["short_pick_rate"] == "25.00% (2/8)"
    # a figure a team has no part in stays empty rather than showing zero
    assert cells["sales:sales"]["pick_to_ship"] == ""
    assert cells["picker:wang"]["rejection_rate"] == ""


def test_the_stage_chart_has_one_bar_series_per_stage_with_median_hours():
    figure = stage_figure(ROWS, EN)
    assert [bar.name for bar in figure.data] == [
        "Submit → approval",
        "Approval → pick",
        "Pick → ship",
    ]
    assert list(figure.data[0].x) == ["Sales · Sales", "Approval · Finance", "Picker · wang"]
    assert list(figure.data[0].y) == [None, 4.25, None]
    assert list(figure.data[2].y) == [None, None, 1.5]
    assert figure.layout.barmode == "group"


def test_the_rate_chart_shows_percentages_and_gaps_where_there_is_no_rate():
    figure = rates_figure(ROWS, EN)
    by_name = {bar.name: list(bar.y) for bar in figure.data}
    assert by_name["Rejection rate"] == [None, 33.33, None]
    assert by_name["Correction rate"] == [25.0, None, None]
    assert by_name["Short-pick rate"] == [None, None, 25.0]
    json.dumps(figure.to_plotly_json(), default=str)  # serialisable for the browser


def test_no_rows_give_no_table_rows_and_charts_that_say_there_is_no_data():
    assert table_rows([], EN) == []
    empty = stage_figure([], EN)
    assert empty.data == () and len(empty.layout.annotations) == 1


def test_the_operations_catalogues_carry_the_same_keys_in_both_languages():
    folder = ROOT / "assets" / "locales" / "operations"
    english = json.loads((folder / "en.json").read_text(encoding="utf-8"))
    chinese = json.loads((folder / "zh_CN.json").read_text(encoding="utf-8"))
    assert set(english) == set(chinese)
    assert "nav.operations_report" in english
