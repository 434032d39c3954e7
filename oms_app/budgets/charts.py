"""The forecast chart: history, the point forecast and its 90 % interval band (Plotly).

Pure: the forecast query's dict and the viewer's catalogue in, a figure out. Money becomes
float only here.
"""

from __future__ import annotations

from collections.abc import Mapping

import plotly.graph_objects as go

HISTORY_COLOUR = "#3e63dd"
FORECAST_COLOUR = "#e5484d"
BAND_COLOUR = "rgba(229, 72, 77, 0.15)"
MONEY_HOVER = "%{x}<br>¥%{y:,.2f}<extra>%{fullData.name}</extra>"


def forecast_figure(data: Mapping, labels: Mapping[str, str]) -> go.Figure:
    """History as a line, the forecast dashed, the prediction interval as a shaded band."""
    history = data.get("history", [])
    future = data.get("forecast", [])
    fig = go.Figure()
    fig.add_scatter(
        x=[h["period"] for h in history],
        y=[float(h["amount"]) for h in history],
        name=labels.get("budgets.forecast.actual", "actual"),
        line={"color": HISTORY_COLOUR},
        hovertemplate=MONEY_HOVER,
    )
    if future:
        periods = [f["period"] for f in future]
        fig.add_scatter(
            x=periods + periods[::-1],
            y=[float(f["upper"]) for f in future] + [float(f["lower"]) for f in future][::-1],
            fill="toself",
            fillcolor=BAND_COLOUR,
            line={"width": 0},
            name=labels.get("budgets.forecast.interval", "90% interval"),
            hoverinfo="skip",
        )
        fig.add_scatter(
            x=([history[-1]["period"]] if history else []) + periods,
            y=([float(history[-1]["amount"])] if history else [])
            + [float(f["mean"]) for f in future],
            name=labels.get("budgets.forecast.mean", "forecast"),
            line={"color": FORECAST_COLOUR, "dash": "dash"},
            hovertemplate=MONEY_HOVER,
        )
    fig.update_layout(
        margin={"l": 40, "r": 10, "t": 10, "b": 30},
        legend={"orientation": "h", "y": -0.15},
        yaxis={"tickprefix": "¥", "separatethousands": True},
        xaxis={"type": "category"},
        template="plotly_white",
    )
    return fig
