"""Carrier adapters: the simulated carrier's bookings, scans and cancellations, and the registry."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from oms_app.logistics.carriers import (
    CARRIERS,
    TRACKING_CODES,
    Booking,
    BookingRequest,
    CarrierAdapter,
    CarrierError,
    TrackingEvent,
)
from oms_app.logistics.registry import carrier_choices, get_carrier
from oms_app.logistics.simulated import SimulatedCarrier, tracking_schedule

BOOKED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FORMATS = {
    "SF": r"SF\d{13}",
    "ZTO": r"7\d{11}",
    "YTO": r"YT\d{13}",
    "JD": r"JDV\d{12}",
    "EMS": r"E\d{9}CN",
    "FREIGHT": r"FR\d{10}",
}


def request(carrier="SF", number="SH-2026-000123", destination="浙江省", **changes):
    base = BookingRequest(
        shipment_number=number,
        carrier=carrier,
        service="freight" if carrier == "FREIGHT" else "standard",
        origin_province="上海市",
        origin_city="上海市",
        origin_address="浦东新区张江路 88 号 仓库 1",
        destination_province=destination,
        destination_city="杭州市",
        destination_address="西湖区文三路 1 号",
        receiver="王芳",
        phone="13800138000",
        weight_grams=2500,
        parcels=2,
        booked_at=BOOKED,
    )
    return replace(base, **changes)


def delivered_at(carrier: SimulatedCarrier, booking: Booking) -> datetime:
    events = carrier.track(booking, now=BOOKED + timedelta(days=30))
    assert events[-1].code == "delivered"
    return events[-1].at


@pytest.mark.parametrize("code", list(CARRIERS))
def test_simulated_tracking_numbers_follow_the_carrier_format_and_are_stable(code):
    # given
    carrier = SimulatedCarrier(code)
    # when
    first = carrier.book(request(code))
    again = carrier.book(request(code))
    # then
    assert re.fullmatch(FORMATS[code], first.tracking_no)
    assert CARRIERS[code].is_tracking_no(first.tracking_no)
    assert first == again


def test_tracking_numbers_are_unique_per_shipment_and_booking_time():
    sf = SimulatedCarrier("SF")
    numbers = {sf.book(request(number=f"SH-{i:06d}")).tracking_no for i in range(2000)}
    rebooked = sf.book(request(booked_at=BOOKED + timedelta(minutes=5)))
    assert len(numbers) == 2000
    assert rebooked.tracking_no != sf.book(request()).tracking_no


def test_a_booking_time_outside_utc_is_refused():
    # booked_at seeds the tracking number, so a local zone must not leak into it
    with pytest.raises(ValueError):
        request(booked_at=BOOKED.astimezone(timezone(timedelta(hours=8))))
    with pytest.raises(ValueError):
        request(booked_at=BOOKED.replace(tzinfo=None))


def test_a_booking_remembers_the_normalised_route():
    booking = SimulatedCarrier("ZTO").book(request("ZTO", destination="新疆"))
    assert (booking.origin_province, booking.destination_province) == ("上海市", "新疆维吾尔自治区")
    assert booking.label_reference.endswith(booking.tracking_no)


@pytest.mark.parametrize("destination", ["火星", ""])
def test_booking_to_an_unknown_province_is_refused_as_unreachable(destination):
    with pytest.raises(CarrierError) as err:
        SimulatedCarrier("JD").book(request("JD", destination=destination))
    assert err.value.code == "unreachable"


def test_a_carrier_refuses_a_service_it_does_not_offer_and_another_carriers_request():
    with pytest.raises(CarrierError) as err:
        SimulatedCarrier("FREIGHT").book(request("FREIGHT", service="express"))
    assert err.value.code == "service_unavailable"
    with pytest.raises(CarrierError) as err:
        SimulatedCarrier("SF").book(request("ZTO"))
    assert err.value.code == "wrong_carrier"


def test_tracking_shows_only_the_events_that_have_happened():
    # given
    sf = SimulatedCarrier("SF")
    booking = sf.book(request())
    # then
    assert sf.track(booking, now=BOOKED) == []
    assert [e.code for e in sf.track(booking, now=BOOKED + timedelta(hours=1))] == ["picked_up"]
    assert [e.code for e in sf.track(booking, now=BOOKED + timedelta(hours=5))] == [
        "picked_up",
        "in_transit",
    ]
    journey = sf.track(booking, now=BOOKED + timedelta(days=30))
    assert [e.code for e in journey] == [c for c in TRACKING_CODES if c != "exception"]
    assert [e.at for e in journey] == sorted(e.at for e in journey)
    assert all(e.description_zh and e.description_en and e.location for e in journey)


def test_tracking_is_derived_from_the_booking_alone():
    booking = SimulatedCarrier("YTO").book(request("YTO"))
    later = BOOKED + timedelta(days=2)
    assert SimulatedCarrier("YTO").track(booking, now=later) == get_carrier("YTO").track(
        booking, now=later
    )


def test_a_parcel_is_delivered_later_the_farther_it_travels():
    ems = SimulatedCarrier("EMS")
    local = delivered_at(ems, ems.book(request("EMS", destination="上海")))
    near = delivered_at(ems, ems.book(request("EMS", destination="浙江")))
    far = delivered_at(ems, ems.book(request("EMS", destination="黑龙江")))
    assert local < near < far


def test_remote_destinations_are_slower_than_equally_far_ordinary_ones():
    # given Gansu (remote) and Guizhou (ordinary) are both about 1,700 km from Shanghai
    ems = SimulatedCarrier("EMS")
    ordinary = delivered_at(ems, ems.book(request("EMS", destination="贵州")))
    remote = delivered_at(ems, ems.book(request("EMS", destination="甘肃")))
    assert remote - ordinary > timedelta(hours=20)


def test_the_arrival_scan_is_in_the_destination_city():
    booking = SimulatedCarrier("SF").book(request(destination="广东"))
    arrived = [e for e in tracking_schedule(booking) if e.code == "arrived_city"][0]
    assert arrived.location == "广东广州"
    assert "广州" in arrived.description_zh and "Guangdong" in arrived.description_en


def test_cancel_before_pickup_is_allowed():
    sf = SimulatedCarrier("SF")
    booking = sf.book(request())
    assert sf.cancel(booking, now=BOOKED + timedelta(minutes=59)) is None


def test_cancel_after_pickup_is_refused():
    sf = SimulatedCarrier("SF")
    booking = sf.book(request())
    with pytest.raises(CarrierError) as err:
        sf.cancel(booking, now=BOOKED + timedelta(hours=1))
    assert err.value.code == "already_picked_up"


def test_a_tracking_event_has_a_known_code_and_a_utc_time():
    with pytest.raises(ValueError):
        TrackingEvent(BOOKED, "lost_in_space", "丢失", "Lost", "上海")
    with pytest.raises(ValueError):
        TrackingEvent(BOOKED.replace(tzinfo=None), "delivered", "已签收", "Delivered", "上海")


def test_the_registry_serves_every_known_carrier_and_refuses_others():
    for code, name_zh, name_en in carrier_choices():
        adapter: CarrierAdapter = get_carrier(code)
        assert (adapter.code, adapter.name_zh, adapter.name_en) == (code, name_zh, name_en)
    assert [c for c, _, _ in carrier_choices()] == ["SF", "ZTO", "YTO", "JD", "EMS", "FREIGHT"]
    assert ("SF", "顺丰速运", "SF Express") in carrier_choices()
    with pytest.raises(CarrierError) as err:
        get_carrier("DHL")
    assert err.value.code == "unknown_carrier"
