"""The dashboard's figure builders: moving averages, Pareto shares, and what each chart draws."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pandas as pd
import pytest

from oms_app.analytics import figures
from oms_app.core.i18n import catalogue

LABELS = catalogue("en")


def test_a_moving_average_is_empty_until_its_window_is_full_then_the_trailing_mean():
    values = [Decimal(v) for v in ("10", "20", "30", "40", "50")]
    assert figures.moving_average(values, 3) == [None, None, 20.0, 30.0, 40.0]
    assert figures.moving_average(values, 1) == [10.0, 20.0, 30.0, 40.0, 50.0]
    assert figures.moving_average(values, 6) == [None] * 5


def test_a_moving_average_agrees_with_pandas_over_a_long_series():
    values = [Decimal(n * 37 % 101) + Decimal("0.25") for n in range(60)]
    want = pd.Series([float(v) for v in values]).rolling(28).mean().tolist()
    got = figures.moving_average(values, 28)
    assert got[:27] == [None] * 27
    assert got[27:] == pytest.approx(want[27:])


def test_the_cumulative_share_runs_to_the_part_of_the_total_shown():
    revenue = [Decimal("50.00"), Decimal("30.00"), Decimal("20.00")]
    assert figures.cumulative_share(revenue, Decimal("100.00")) == [50.0, 80.0, 100.0]
    # only the top two of a larger total are shown: the line stops short of 100 %
    assert figures.cumulative_share(revenue[:2], Decimal("200.00")) == [25.0, 40.0]
    assert figures.cumulative_share([], Decimal("0")) == []
    assert figures.cumulative_share([Decimal("0")], Decimal("0")) == [0.0]


def trend_rows(days: int, lead: int = 27) -> list[dict]:
    first = date(2026, 3, 1) - timedelta(days=lead)
    return [
        {
            "day": first + timedelta(days=n),
            "revenue": Decimal(n),
            "orders": 1,
            "in_period": n >= lead,
            "last_year_revenue": Decimal("5.50") if n >= lead else None,
        }
        for n in range(lead + days)
    ]


def test_the_trend_shows_the_period_with_averages_that_include_the_days_before_it():
    fig = figures.trend_figure(trend_rows(5), LABELS)
    daily, week, month, last_year = fig.data
    assert list(daily.x) == [f"2026-03-0{n}" for n in range(1, 6)]
    assert list(daily.y) == [27.0, 28.0, 29.0, 30.0, 31.0]
    assert list(week.y) == [24.0, 25.0, 26.0, 27.0, 28.0]  # mean of the 7 days ending there
    assert list(month.y) == [13.5, 14.5, 15.5, 16.5, 17.5]
    assert list(last_year.y) == [5.5] * 5
    assert [t.name for t in fig.data] == [
        LABELS["chart.trend.daily"],
        LABELS["chart.trend.ma7"],
        LABELS["chart.trend.ma28"],
        LABELS["chart.trend.last_year"],
    ]


def test_a_pareto_draws_bars_largest_first_and_the_cumulative_share_on_a_second_axis():
    fig = figures.pareto_figure(
        ["A", "B"], [Decimal("60.00"), Decimal("20.00")], Decimal("100.00"), LABELS
    )
    bars, line = fig.data
    assert list(bars.x) == ["A", "B"] and list(bars.y) == [60.0, 20.0]
    assert list(line.y) == [60.0, 80.0] and line.yaxis == "y2"
    assert fig.layout.yaxis2.range == (0, 105)


def test_a_pareto_axis_shows_the_start_of_long_names_and_the_bar_keeps_the_whole_name():
    long_name = "SAF-0023 防护眼镜 防雾防冲击 透明"
    fig = figures.pareto_figure(
        [long_name, "B"], [Decimal("5"), Decimal("1")], Decimal("6"), LABELS
    )
    assert list(fig.layout.xaxis.ticktext) == ["SAF-0023 防护…", "B"]
    assert list(fig.data[0].x) == [long_name, "B"]  # hover and drill-down get the whole name


def test_empty_charts_say_there_is_no_data_yet():
    for fig in (
        figures.pareto_figure([], [], Decimal("0"), LABELS),
        figures.bar_figure([], [], LABELS),
        figures.funnel_figure([], LABELS),
        figures.stage_box_figure([], LABELS),
        figures.payment_mix_figure([], LABELS),
    ):
        assert fig.data == ()
        assert fig.layout.annotations[0].text == LABELS["chart.no_data"]


def test_the_stage_box_uses_the_statistics_from_sql():
    rows = [
        {
            "stage": "submit_to_approval",
            "n": 4,
            "mean": 3.0,
            "q1": 1.0,
            "median": 2.0,
            "q3": 4.0,
            "lowerfence": 0.5,
            "upperfence": 8.0,
        },
        {
            "stage": "approval_to_ship",
            "n": 2,
            "mean": 30.0,
            "q1": 20.0,
            "median": 30.0,
            "q3": 40.0,
            "lowerfence": 20.0,
            "upperfence": 40.0,
        },
    ]
    (box,) = figures.stage_box_figure(rows, LABELS).data
    assert list(box.x) == [
        LABELS["chart.stage_time.submit_to_approval"],
        LABELS["chart.stage_time.approval_to_ship"],
    ]
    assert list(box.q1) == [1.0, 20.0] and list(box.upperfence) == [8.0, 40.0]
    assert list(box.median) == [2.0, 30.0] and list(box.mean) == [3.0, 30.0]


def test_the_funnel_and_payment_mix_name_stages_and_methods_in_the_viewers_language():
    zh = catalogue("zh_CN")
    funnel = figures.funnel_figure(
        [{"stage": "submitted", "orders": 10}, {"stage": "approved", "orders": 7}], zh
    )
    assert list(funnel.data[0].y) == [zh["chart.stage.submitted"], zh["chart.stage.approved"]]
    assert list(funnel.data[0].x) == [10, 7]
    mix = figures.payment_mix_figure(
        [{"method": "alipay", "amount": Decimal("12.50"), "payments": 1}], zh
    )
    assert list(mix.data[0].labels) == [zh["chart.method.alipay"]]
    assert list(mix.data[0].values) == [12.5]


def test_date_axes_carry_no_english_month_names():
    from oms_app.analytics.operations_figures import RATES, STAGES, stage_figure

    rows = [
        {"day": date(2026, 11, d), "revenue": Decimal("10"), "in_period": True,
         "last_year_revenue": Decimal("8")}
        for d in range(1, 4)
    ]  # fmt: skip
    trend = figures.trend_figure(rows, {})
    assert trend.layout.xaxis.tickformat == "%m-%d"
    groups = [
        {"kind": "day", "name": "2026-11-02", **{s: {"median_hours": 1.0} for s in STAGES},
         **dict.fromkeys(RATES)}
    ]  # fmt: skip
    assert stage_figure(groups, {}).layout.xaxis.type == "category"
