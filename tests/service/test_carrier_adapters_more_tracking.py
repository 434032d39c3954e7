"""YTO, JD and EMS scans, read over real HTTP from the stand-in servers, in our codes and UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from oms_app.logistics.carriers import CarrierError
from tests.service.test_carrier_adapters import BOOKED, _serve, booking_of
from tests.service.test_carrier_adapters_more import (
    EmsHandler,
    JdHandler,
    YtoHandler,
    ems,
    jd,
    yto,
)

# Scans in Beijing time: 2026-03-03 04:00 UTC is 12:00 in Beijing, the scans after it are future.
NOW = datetime(2026, 3, 3, 4, 0, tzinfo=UTC)
EXPECTED = ["picked_up", "in_transit", "in_transit", "arrived_city", "out_for_delivery"]


@pytest.fixture
def yto_server():
    yield from _serve(YtoHandler)


@pytest.fixture
def jd_server():
    yield from _serve(JdHandler)


@pytest.fixture
def ems_server():
    yield from _serve(EmsHandler)


def test_yto_scans_map_to_our_tracking_codes_in_utc(yto_server):
    # given YTO's scans in Beijing time, out of order, the last two still in the future
    carrier = yto(yto_server)
    booking = booking_of(carrier, yto_server)
    yto_server.routes[booking.tracking_no] = [
        yto_scan("2026-03-03 15:30:00", "SIGNED", "杭州市", "您的快件已签收"),
        yto_scan("2026-03-02 18:00:00", "GOT", "上海市", "【上海市浦东新区】已揽收"),
        yto_scan("2026-03-02 20:00:00", "DEPARTURE", "上海市", "已发往 杭州转运中心"),
        yto_scan("2026-03-02 23:00:00", "ARRIVAL", "嘉兴市", "已到达 嘉兴转运中心"),
        yto_scan("2026-03-03 06:00:00", "ARRIVAL", "杭州市", "已到达 杭州转运中心"),
        yto_scan("2026-03-03 09:00:00", "SENT_SCAN", "杭州市", "派件中"),
        yto_scan("2026-03-03 13:00:00", "FAILED", "杭州市", "签收失败"),
    ]
    # when
    events = carrier.track(booking, now=NOW)
    # then
    assert [e.code for e in events] == EXPECTED
    assert events[0].at == datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    assert (events[3].location, events[3].description_en) == (
        "杭州市",
        "Arrived in the destination city",
    )
    later = carrier.track(booking, now=BOOKED + timedelta(days=2))
    assert [e.code for e in later][-2:] == ["exception", "delivered"]
    assert later[-1].description_zh == "您的快件已签收"


def yto_scan(at: str, info: str, city: str, text: str) -> dict:
    return {
        "waybill_No": "",
        "upload_Time": at,
        "infoContent": info,
        "processInfo": text,
        "city": city,
    }


def test_jd_scans_map_to_our_tracking_codes_in_utc(jd_server):
    carrier = jd(jd_server)
    booking = booking_of(carrier, jd_server)
    jd_server.routes[booking.tracking_no] = [
        jd_scan("2026-03-03 15:30:00", "快递签收", "您的快件已签收", "杭州西湖营业部"),
        jd_scan("2026-03-02 18:00:00", "揽收完成", "您的快件已由京东快递员揽收", "上海浦东营业部"),
        jd_scan("2026-03-02 20:00:00", "分拣中心发货", "您的快件已发往杭州", "上海分拣中心"),
        jd_scan(
            "2026-03-02 23:00:00", "到达分拣中心", "快件已到达【嘉兴分拣中心】", "嘉兴分拣中心"
        ),
        jd_scan(
            "2026-03-03 06:00:00", "到达营业部", "快件已到达【杭州西湖营业部】", "杭州西湖营业部"
        ),
        jd_scan("2026-03-03 09:00:00", "配送员开始配送", "配送员正在为您派件", "杭州西湖营业部"),
        jd_scan("2026-03-03 13:00:00", "客户拒收", "客户拒收,快件将返回", "杭州西湖营业部"),
    ]
    events = carrier.track(booking, now=NOW)
    assert [e.code for e in events] == EXPECTED
    assert events[0].at == datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    later = carrier.track(booking, now=BOOKED + timedelta(days=2))
    assert [e.code for e in later][-2:] == ["exception", "delivered"]


def jd_scan(at: str, title: str, remark: str, site: str) -> dict:
    return {
        "operationTime": at,
        "operationTitle": title,
        "operationRemark": remark,
        "operationNodeName": site,
    }


def test_ems_traces_map_to_our_tracking_codes_in_utc(ems_server):
    carrier = ems(ems_server)
    booking = booking_of(carrier, ems_server)
    ems_server.routes[booking.tracking_no] = [
        ems_trace("2026-03-03 15:30:00", "704", "浙江省", "杭州市", "已妥投"),
        ems_trace("2026-03-02 18:00:00", "203", "上海市", "上海市", "已收寄"),
        ems_trace("2026-03-02 20:00:00", "306", "上海市", "上海市", "离开上海处理中心"),
        ems_trace("2026-03-02 23:00:00", "305", "浙江省", "嘉兴市", "到达嘉兴处理中心"),
        ems_trace("2026-03-03 06:00:00", "305", "浙江省", "杭州市", "到达杭州处理中心"),
        ems_trace("2026-03-03 09:00:00", "702", "浙江省", "杭州市", "安排投递"),
        ems_trace("2026-03-03 13:00:00", "705", "浙江省", "杭州市", "未妥投"),
    ]
    events = carrier.track(booking, now=NOW)
    # 嘉兴 is in 浙江 too: EMS names the province, so that arrival already counts
    assert [e.code for e in events] == [
        "picked_up",
        "in_transit",
        "arrived_city",
        "arrived_city",
        "out_for_delivery",
    ]
    assert events[0].at == datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    later = carrier.track(booking, now=BOOKED + timedelta(days=2))
    assert [e.code for e in later][-2:] == ["exception", "delivered"]
    assert later[-1].description_zh == "已妥投"


def ems_trace(at: str, op_code: str, prov: str, city: str, desc: str) -> dict:
    return {
        "opTime": at,
        "opCode": op_code,
        "opDesc": desc,
        "opOrgProvName": prov,
        "opOrgCity": city,
        "opOrgName": f"{city}处理中心",
    }


def test_an_unreadable_scan_is_a_network_error_not_a_crash(jd_server):
    carrier = jd(jd_server)
    booking = booking_of(carrier, jd_server)
    jd_server.routes[booking.tracking_no] = [{"operationTitle": "揽收完成"}]  # no time
    with pytest.raises(CarrierError) as err:
        carrier.track(booking, now=NOW)
    assert err.value.code == "network"


def test_tracking_retries_once_after_a_dropped_connection(yto_server):
    yto_server.mode = "drop_first"
    carrier = yto(yto_server)
    booking = booking_of(carrier, yto_server)  # books normally, then drops the next call
    assert carrier.track(booking, now=NOW) == []
    assert yto_server.seen == ["track_query_adapter", "track_query_adapter"]
