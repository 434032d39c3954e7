"""The order list's query parameters: what the dashboard builds, /orders reads back."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest

from oms_app.analytics import drilldown
from oms_app.analytics.scope import DashboardFilter
from oms_app.core.errors import ValidationFailed
from oms_app.core.i18n import catalogue
from state.order_filters import URL_FILTERS, filters_from_params, order_filter_of

FLT = DashboardFilter(date(2026, 1, 1), date(2026, 1, 31), channel="api", rep="alice")


def test_missing_parameters_leave_their_filters_empty():
    values = filters_from_params({})
    assert set(values) == set(URL_FILTERS.values())
    assert set(values.values()) == {""}
    assert order_filter_of(values) == order_filter_of(filters_from_params({"other": "x"}))


def test_parameters_are_trimmed_a_repeated_one_keeps_its_last_value_and_booked_is_a_flag():
    values = filters_from_params(
        {"province": " 广东省 ", "sku": ["A-1", "B-2"], "booked": "true", "status": "approved"}
    )
    assert values["filter_province"] == "广东省"
    assert values["filter_sku"] == "B-2"
    assert values["filter_booked"] == "1"
    assert values["filter_value"] == "approved"
    assert filters_from_params({"booked": "0"})["filter_booked"] == ""


def test_the_dashboard_link_reads_back_as_the_same_filter():
    url = drilldown.orders_url({**drilldown.filter_params(FLT), "province": "广东省"})
    assert url.startswith("/orders?")
    params = dict(parse_qsl(urlsplit(url).query))
    assert params == {
        "booked": "1",
        "channel": "api",
        "from": "2026-01-01",
        "province": "广东省",
        "rep": "alice",
        "to": "2026-01-31",
    }
    flt = order_filter_of(filters_from_params(params))
    assert (flt.created_from, flt.created_to) == (date(2026, 1, 1), date(2026, 1, 31))
    assert (flt.channel, flt.rep, flt.province, flt.booked) == ("api", "alice", "广东省", True)
    assert (flt.warehouse, flt.category, flt.sku, flt.reached) == ("", "", "", ())


def test_a_funnel_stage_link_lists_every_status_at_or_after_the_stage_and_is_not_booked_only():
    params = dict(
        parse_qsl(urlsplit(drilldown.orders_url(drilldown.stage_params(FLT, "shipped"))).query)
    )
    assert "booked" not in params
    flt = order_filter_of(filters_from_params(params))
    assert flt.reached == ("partially_shipped", "shipped", "delivered", "completed")


def test_an_empty_filter_links_to_the_plain_list():
    assert drilldown.orders_url({"rep": "", "sku": ""}) == "/orders"


def test_a_bad_date_or_amount_in_the_url_names_its_field():
    with pytest.raises(ValidationFailed) as bad:
        order_filter_of(filters_from_params({"from": "yesterday"}))
    assert bad.value.field == "created_from"
    with pytest.raises(ValidationFailed):
        order_filter_of(filters_from_params({"min": "lots"}))
    assert order_filter_of(filters_from_params({"max": "1,000.50"})).max_total == Decimal("1000.50")


def test_every_url_filter_has_a_chip_label_in_both_languages():
    for locale in ("en", "zh_CN"):
        labels = catalogue(locale)
        assert [p for p in URL_FILTERS if f"drill.{p}" not in labels] == []
