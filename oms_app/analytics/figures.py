"""Plotly figures of the dashboard, built by pure functions from the chart queries' rows.

Money arrives as Decimal and becomes float only here. `labels` is the translation catalogue of
the viewer's language (`chart.*` keys); names of products and categories follow `lang`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

import plotly.graph_objects as go

Labels = Mapping[str, str]
MONEY_HOVER = "%{x}<br>¥%{y:,.2f}<extra>%{fullData.name}</extra>"
BAR_COLOUR = "#3e63dd"
LINE_COLOURS = ("#e5484d", "#12a594", "#8e8c99")


def moving_average(values: Sequence[Decimal | float], window: int) -> list[float | None]:
    """Trailing mean over `window` values; None until a whole window is there."""
    import pandas as pd  # about 55 MiB: loaded with the first chart, not with every web worker

    series = pd.Series([float(v) for v in values], dtype="float64")
    means = series.rolling(window, min_periods=window).mean()
    return [None if pd.isna(v) else float(v) for v in means]


def cumulative_share(values: Sequence[Decimal], total: Decimal) -> list[float]:
    """Running share of `total` in percent, value by value (all zero when the total is)."""
    if not total:
        return [0.0 for _ in values]
    running, shares = Decimal(0), []
    for value in values:
        running += value
        shares.append(float(running / total * 100))
    return shares


def _tr(labels: Labels, key: str) -> str:
    return labels.get(key, key)


def _layout(fig: go.Figure, **extra) -> go.Figure:
    layout = {
        "margin": {"l": 48, "r": 24, "t": 16, "b": 40},
        "height": 340,
        "legend": {"orientation": "h", "y": -0.18},
        "hovermode": "closest",
    }
    fig.update_layout(**{**layout, **extra})
    return fig


def empty_figure(labels: Labels) -> go.Figure:
    """A blank chart that says there is no data yet."""
    fig = go.Figure()
    fig.add_annotation(
        text=_tr(labels, "chart.no_data"),
        showarrow=False,
        font={"size": 16},
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig)


def trend_figure(rows: Sequence[dict], labels: Labels) -> go.Figure:
    """Daily revenue of the period with 7- and 28-day averages and last year's same days."""
    revenue = [r["revenue"] for r in rows]
    keep = [n for n, r in enumerate(rows) if r["in_period"]]
    days = [rows[n]["day"].isoformat() for n in keep]
    week, month = moving_average(revenue, 7), moving_average(revenue, 28)
    fig = go.Figure()
    fig.add_bar(
        x=days,
        y=[float(revenue[n]) for n in keep],
        name=_tr(labels, "chart.trend.daily"),
        marker_color=BAR_COLOUR,
        hovertemplate=MONEY_HOVER,
    )
    for key, values, colour in (("chart.trend.ma7", week, 0), ("chart.trend.ma28", month, 1)):
        fig.add_scatter(
            x=days,
            y=[values[n] for n in keep],
            name=_tr(labels, key),
            mode="lines",
            line={"color": LINE_COLOURS[colour], "width": 2},
            hovertemplate=MONEY_HOVER,
        )
    fig.add_scatter(
        x=days,
        y=[float(rows[n]["last_year_revenue"]) for n in keep],
        name=_tr(labels, "chart.trend.last_year"),
        mode="lines",
        line={"color": LINE_COLOURS[2], "dash": "dot"},
        hovertemplate=MONEY_HOVER,
    )
    # numeric dates: Plotly's own tick labels are English month names ("Nov 2026")
    return _layout(
        fig,
        yaxis={"tickprefix": "¥", "rangemode": "tozero"},
        xaxis={"tickformat": "%m-%d", "hoverformat": "%Y-%m-%d"},
    )


def pareto_figure(
    names: Sequence[str], revenue: Sequence[Decimal], total: Decimal, labels: Labels
) -> go.Figure:
    """Bars of revenue, largest first, and the cumulative share of the total as a line."""
    if not names:
        return empty_figure(labels)
    fig = go.Figure()
    fig.add_bar(
        x=list(names),
        y=[float(v) for v in revenue],
        name=_tr(labels, "chart.revenue"),
        marker_color=BAR_COLOUR,
        hovertemplate=MONEY_HOVER,
    )
    fig.add_scatter(
        x=list(names),
        y=cumulative_share(revenue, total),
        name=_tr(labels, "chart.cumulative_share"),
        yaxis="y2",
        mode="lines+markers",
        line={"color": LINE_COLOURS[0]},
        hovertemplate="%{x}<br>%{y:.1f}%<extra></extra>",
    )
    # the legend above the plot: below it, it covered the slanted product names
    return _layout(
        fig,
        yaxis={"tickprefix": "¥"},
        yaxis2={"overlaying": "y", "side": "right", "range": [0, 105], "ticksuffix": "%"},
        # long product names overlapped one another: the axis shows their start, hover all
        xaxis={
            "tickangle": -35,
            "automargin": True,
            "tickmode": "array",
            "tickvals": list(names),
            "ticktext": [short_label(n) for n in names],
        },
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        margin={"l": 48, "r": 48, "t": 36, "b": 40},
    )


def short_label(name: str, width: int = 12) -> str:
    """A chart axis label: the name's first `width` characters, an ellipsis if cut."""
    return name if len(name) <= width else name[: width - 1] + "…"


def localized_name(row: Mapping, lang: str) -> str:
    """The Chinese or English name of a product or category row."""
    return row["name_en"] if lang == "en" else row["name_zh"]


def bar_figure(names: Sequence[str], revenue: Sequence[Decimal], labels: Labels) -> go.Figure:
    """Revenue by one dimension (province, rep) as bars, largest first."""
    if not names:
        return empty_figure(labels)
    fig = go.Figure()
    fig.add_bar(
        x=list(names),
        y=[float(v) for v in revenue],
        name=_tr(labels, "chart.revenue"),
        marker_color=BAR_COLOUR,
        hovertemplate=MONEY_HOVER,
    )
    return _layout(fig, yaxis={"tickprefix": "¥"}, showlegend=False)


def funnel_figure(rows: Sequence[dict], labels: Labels) -> go.Figure:
    """Orders of the period that reached each stage."""
    if not rows or not rows[0]["orders"]:
        return empty_figure(labels)
    fig = go.Figure(
        go.Funnel(
            y=[_tr(labels, f"chart.stage.{r['stage']}") for r in rows],
            x=[r["orders"] for r in rows],
            textinfo="value+percent initial",
            marker={"color": BAR_COLOUR},
        )
    )
    return _layout(fig, margin={"l": 110, "r": 24, "t": 16, "b": 24})


def stage_box_figure(rows: Sequence[dict], labels: Labels) -> go.Figure:
    """Hours spent in each stage, drawn from statistics computed in SQL."""
    if not rows:
        return empty_figure(labels)
    names = [_tr(labels, f"chart.stage_time.{r['stage']}") for r in rows]

    def column(key: str) -> list[float]:
        return [float(r[key]) for r in rows]

    fig = go.Figure(
        go.Box(
            x=names,
            q1=column("q1"),
            median=column("median"),
            q3=column("q3"),
            lowerfence=column("lowerfence"),
            upperfence=column("upperfence"),
            mean=column("mean"),
            name=_tr(labels, "chart.hours"),
            marker_color=BAR_COLOUR,
        )
    )
    return _layout(fig, yaxis={"ticksuffix": " h", "rangemode": "tozero"}, showlegend=False)


def payment_mix_figure(rows: Sequence[dict], labels: Labels) -> go.Figure:
    """Share of the amount paid by each method, as a ring."""
    if not rows:
        return empty_figure(labels)
    fig = go.Figure(
        go.Pie(
            labels=[_tr(labels, f"chart.method.{r['method']}") for r in rows],
            values=[float(r["amount"]) for r in rows],
            hole=0.5,
            sort=False,
            hovertemplate="%{label}<br>¥%{value:,.2f} (%{percent})<extra></extra>",
        )
    )
    return _layout(fig)
