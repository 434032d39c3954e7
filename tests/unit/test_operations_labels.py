"""The operations report names its groups as people know them."""

from __future__ import annotations

from oms_app.analytics.operations_figures import group_label
from oms_app.core.i18n import catalogue


def test_orders_nobody_entered_and_automatic_picks_have_names_not_codes():
    zh = catalogue("zh_CN")
    assert group_label({"kind": "sales", "name": "none"}, zh) == "线上下单（门户、接口、商城）"
    assert group_label({"kind": "picker", "name": "system"}, zh) == "系统自动拣货打包"
    assert group_label({"kind": "sales", "name": "sales"}, zh) == "销售 · 销售"
    assert group_label({"kind": "approval", "name": "finance"}, zh) == "审核 · 财务"


def test_a_period_without_figures_says_so_instead_of_empty_axes():
    from oms_app.analytics.operations_figures import rates_figure, stage_figure

    zh = catalogue("zh_CN")
    for figure in (stage_figure([], zh), rates_figure([], zh)):
        assert [a.text for a in figure.layout.annotations] == [zh["chart.no_data"]]
