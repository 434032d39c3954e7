"""Forecasts on generated monthly data: trend + yearly seasonality + noise, fixed seed."""

from __future__ import annotations

import math
import random
from decimal import Decimal

from oms_app.budgets import forecast


def seasonal_series(months: int = 48, seed: int = 7) -> list[tuple[str, Decimal]]:
    rng = random.Random(seed)
    out = []
    for i in range(months):
        level = 100_000 + 1_500 * i
        season = 20_000 * math.sin(2 * math.pi * i / 12)
        noise = rng.gauss(0, 2_000)
        period = f"{2022 + i // 12:04d}-{i % 12 + 1:02d}"
        out.append((period, Decimal(str(round(level + season + noise, 2)))))
    return out


def test_the_backtest_error_on_seasonal_data_is_small():
    result = forecast.forecast_months(seasonal_series(), horizon=6)
    assert result.method == "holt_winters"
    assert result.mape is not None and result.mape < Decimal("5")


def test_the_intervals_contain_the_point_forecast_of_each_future_month():
    result = forecast.forecast_months(seasonal_series(), horizon=4)
    assert result.periods == ["2026-01", "2026-02", "2026-03", "2026-04"]
    for low, mid, high in zip(result.lower, result.mean, result.upper, strict=True):
        assert low < mid < high


def test_a_short_history_forecasts_a_trend_only_and_a_very_short_one_nothing():
    assert forecast.forecast_months(seasonal_series(18), horizon=3).method == "holt"
    assert forecast.forecast_months(seasonal_series(5)).periods == []


def test_mape_skips_months_without_an_actual():
    assert forecast.mape([100.0, 0.0, 200.0], [110.0, 5.0, 180.0]) == Decimal("10.0")
