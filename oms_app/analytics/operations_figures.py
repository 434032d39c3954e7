"""The operations report's display: table rows and Plotly figures, pure functions over the rows
of `compute_operations` and a catalogue of labels (`t`, the current language's)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import plotly.graph_objects as go

from oms_app.analytics.figures import empty_figure
from oms_app.analytics.tiles import format_value

STAGES = ("submit_to_approval", "approval_to_pick", "pick_to_ship")
RATES = ("rejection_rate", "correction_rate", "short_pick_rate")
ROLE_KINDS = ("sales", "approval")

if TYPE_CHECKING:
    import pandas as pd


def group_label(row: dict, t: dict[str, str]) -> str:
    """'Approval · Finance', 'Picker · wang', or the first day of a period ('2026-03-02')."""
    kind, name = row["kind"], row["name"]
    if kind == "sales" and name == "none":  # orders nobody on staff entered
        return t.get("operations.group.online", name)
    if kind == "picker" and name == "system":  # picked and packed in one step by the system
        return t.get("operations.group.automatic", name)
    if kind in ROLE_KINDS:
        return f"{t.get('operations.kind.' + kind, kind)} · {t.get('role.' + name, name)}"
    if kind == "picker":
        return f"{t.get('operations.kind.picker', kind)} · {name}"
    if kind == "all":
        return t.get("operations.total", "Total")
    return name


def _frame(rows: list[dict], t: dict[str, str]) -> pd.DataFrame:
    """One line per group: its label, each stage's median hours and each rate in percent."""
    import pandas as pd  # about 55 MiB: loaded with the first report, not with every web worker

    records = []
    for row in rows:
        record = {"group": group_label(row, t)}
        record.update({s: row[s]["median_hours"] for s in STAGES})
        record.update({r: None if row[r] is None else float(row[r]) * 100 for r in RATES})
        records.append(record)
    return pd.DataFrame(records, columns=["group", *STAGES, *RATES])


def _grouped_bars(frame: pd.DataFrame, series, t, unit_key: str, height: int) -> go.Figure:
    if frame[list(series)].isna().all().all():  # no figure at all: say so, no empty axes
        return empty_figure(t)
    figure = go.Figure()
    for name in series:
        values = frame[name].astype(object).where(frame[name].notna(), None)
        figure.add_bar(
            name=t.get(f"operations.{name}", name), x=list(frame["group"]), y=list(values)
        )
    figure.update_layout(
        barmode="group",
        height=height,
        margin={"l": 40, "r": 10, "t": 30, "b": 80},
        legend={"orientation": "h", "y": 1.12},
        yaxis_title=t.get(unit_key, ""),
        xaxis={"type": "category"},  # a day's group reads "2026-03-02", not "Mar 2, 2026"
    )
    return figure


def stage_figure(rows: list[dict], t: dict[str, str], height: int = 360) -> go.Figure:
    """Grouped bars: the median hours of each stage, per group."""
    return _grouped_bars(_frame(rows, t), STAGES, t, "operations.median_hours", height)


def rates_figure(rows: list[dict], t: dict[str, str], height: int = 360) -> go.Figure:
    """Grouped bars: rejection, correction and short-pick rates in percent, per group."""
    return _grouped_bars(_frame(rows, t), RATES, t, "operations.percent", height)


def _stage_text(stage: dict) -> str:
    if not stage["count"]:
        return ""
    average = format_value(stage["avg_hours"], "hours")
    middle = format_value(stage["median_hours"], "hours")
    return f"{middle} / {average} ({stage['count']})"


def _rate_text(rate, part: int, whole: int) -> str:
    return f"{format_value(rate, 'ratio')} ({part}/{whole})" if whole else ""


def table_rows(rows: list[dict], t: dict[str, str]) -> list[dict[str, str]]:
    """The table's cells as strings: '2.0 h / 3.5 h (4)' is median / average (count)."""
    cells = []
    for row in rows:
        cell = {"key": row["key"], "group": group_label(row, t), "submitted": str(row["submitted"])}
        cell.update({s: _stage_text(row[s]) for s in STAGES})
        cell["rejection_rate"] = _rate_text(row["rejection_rate"], row["rejected"], row["decided"])
        cell["correction_rate"] = _rate_text(
            row["correction_rate"], row["corrected"], row["submitted"]
        )
        cell["short_pick_rate"] = _rate_text(
            row["short_pick_rate"], row["short_picks"], row["pick_tasks"]
        )
        cells.append(cell)
    return cells
