"""Monthly revenue and cash-in forecasts: exponential smoothing (ETS, Holt-Winters with additive
seasonality once two years of history exist, else Holt's trend only) with prediction intervals,
and the backtest error (MAPE) of the last six months.

Pure: a list of monthly amounts in, a `Forecast` out. statsmodels is imported when a forecast is
made, so the web and Celery workers do not pay its import at start-up.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from decimal import Decimal

SEASON = 12
SEASONAL_HISTORY = 24  # two full years before seasonality is estimated
MIN_HISTORY = 6
BACKTEST_MONTHS = 6
CONFIDENCE = 0.9


@dataclass(frozen=True)
class Forecast:
    """Future months with the point forecast and its interval, and how the model did lately."""

    periods: list[str]
    mean: list[Decimal]
    lower: list[Decimal]
    upper: list[Decimal]
    method: str  # holt_winters, holt or none (too little history)
    mape: Decimal | None  # % error of the last six months forecast from the months before
    backtest: list[Decimal] = field(default_factory=list)


def next_periods(last: str, horizon: int) -> list[str]:
    """The `horizon` months after 'YYYY-MM'."""
    year, month = map(int, last.split("-"))
    out = []
    for _ in range(horizon):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        out.append(f"{year:04d}-{month:02d}")
    return out


def _fit(values: list[float]):
    import pandas as pd
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    seasonal = len(values) >= SEASONAL_HISTORY
    # the dates are placeholders: the model needs a monthly index, not the real months
    index = pd.date_range("2000-01-01", periods=len(values), freq="MS")
    model = ETSModel(
        pd.Series([float(v) for v in values], index=index),
        error="add",
        trend="add",
        damped_trend=not seasonal,
        seasonal="add" if seasonal else None,
        seasonal_periods=SEASON if seasonal else None,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter on short, flat series
        return model.fit(disp=False), ("holt_winters" if seasonal else "holt")


def _cents(x: float) -> Decimal:
    return Decimal(str(round(float(x), 2))).quantize(Decimal("0.01"))


def predict(values: list[float], horizon: int) -> tuple[list, list, list, str]:
    """Point forecasts and the 90 % prediction interval of the next `horizon` months."""
    fitted, method = _fit(values)
    n = len(values)
    frame = fitted.get_prediction(start=n, end=n + horizon - 1).summary_frame(alpha=1 - CONFIDENCE)
    return list(frame["mean"]), list(frame["pi_lower"]), list(frame["pi_upper"]), method


def mape(actual: list[float], forecast: list[float]) -> Decimal | None:
    """Mean absolute percentage error over the months with a non-zero actual."""
    pairs = [(a, f) for a, f in zip(actual, forecast, strict=True) if a]
    if not pairs:
        return None
    error = sum(abs(a - f) / abs(a) for a, f in pairs) / len(pairs) * 100
    return Decimal(str(round(error, 1)))


def backtest(values: list[float]) -> tuple[Decimal | None, list[Decimal]]:
    """Fit on all but the last six months, forecast those six and measure the MAPE."""
    train, held_out = values[:-BACKTEST_MONTHS], values[-BACKTEST_MONTHS:]
    if len(train) < MIN_HISTORY:
        return None, []
    mean, _, _, _ = predict(train, BACKTEST_MONTHS)
    return mape(held_out, mean), [_cents(m) for m in mean]


def forecast_months(series: list[tuple[str, Decimal]], horizon: int = 6) -> Forecast:
    """Forecast the `horizon` (3 to 6) months after a monthly series ('YYYY-MM', amount)."""
    horizon = max(3, min(6, horizon))
    if len(series) < MIN_HISTORY:
        return Forecast([], [], [], [], "none", None)
    values = [float(amount) for _, amount in series]
    mean, lower, upper, method = predict(values, horizon)
    error, backtested = backtest(values)
    return Forecast(
        periods=next_periods(series[-1][0], horizon),
        mean=[_cents(v) for v in mean],
        lower=[_cents(v) for v in lower],
        upper=[_cents(v) for v in upper],
        method=method,
        mape=error,
        backtest=backtested,
    )
