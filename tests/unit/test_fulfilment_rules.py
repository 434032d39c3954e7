"""The pure warehouse rules: where stock comes from, the walk, waves, cut-offs, order steps."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from oms_app.fulfillment.rules import (
    BinStock,
    NeedLine,
    WaveCandidate,
    bin_path_key,
    build_waves,
    choose_bins,
    next_cutoff,
    order_steps,
    order_target,
    plan_allocation,
    primary_zone,
    shipment_priority,
)
from oms_app.orders.status import ORDER_TRANSITIONS, OrderAction, OrderStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")
SH, GZ, BJ = 1, 2, 3
PAPER, PEN = 10, 20


def bins(*available: int, zone: str = "A") -> list[BinStock]:
    return [BinStock(100 + n, f"{zone}-01-{n:02d}", qty) for n, qty in enumerate(available, 1)]


def picked(part) -> list[tuple[int, str, int]]:
    return [(p.product_id, p.bin_code, p.quantity) for p in part.picks]


# plan_allocation ---------------------------------------------------------------------------


def test_the_nearest_warehouse_that_can_fill_every_line_is_chosen():
    stock = {SH: {PAPER: bins(5)}, GZ: {PAPER: bins(50), PEN: bins(50)}, BJ: {PAPER: bins(50)}}
    distances = {SH: 0.0, GZ: 1200.0, BJ: 1000.0}
    plan = plan_allocation([NeedLine(1, PAPER, 8)], stock, distances, allow_split=True)
    assert plan.complete and not plan.split
    assert [p.warehouse_id for p in plan.parts] == [BJ]
    both = [NeedLine(1, PAPER, 8), NeedLine(2, PEN, 2)]
    plan = plan_allocation(both, stock, distances, allow_split=True)
    assert [p.warehouse_id for p in plan.parts] == [GZ]  # only GZ holds both lines


def test_equal_distances_fall_back_to_the_lower_warehouse_id():
    stock = {SH: {PAPER: bins(9)}, GZ: {PAPER: bins(9)}}
    plan = plan_allocation([NeedLine(1, PAPER, 5)], stock, {GZ: 5.0, SH: 5.0}, allow_split=False)
    assert [p.warehouse_id for p in plan.parts] == [SH]


def test_when_no_warehouse_can_fill_it_the_richest_gives_first_and_the_nearest_others_the_rest():
    stock = {SH: {PAPER: bins(3)}, GZ: {PAPER: bins(10)}, BJ: {PAPER: bins(4)}}
    distances = {SH: 0.0, GZ: 1200.0, BJ: 1000.0}
    plan = plan_allocation([NeedLine(1, PAPER, 15)], stock, distances, allow_split=True)
    assert plan.complete and plan.split
    assert [(p.warehouse_id, p.units()) for p in plan.parts] == [(GZ, 10), (SH, 3), (BJ, 2)]


def test_a_split_that_still_falls_short_plans_nothing_and_reports_the_shortage():
    stock = {SH: {PAPER: bins(3)}, GZ: {PAPER: bins(4)}}
    plan = plan_allocation(
        [NeedLine(1, PAPER, 10), NeedLine(2, PEN, 1)], stock, {SH: 0, GZ: 9}, allow_split=True
    )
    assert not plan.complete and plan.parts == []
    assert plan.short == {1: 3, 2: 1}


def test_without_split_an_order_no_single_warehouse_can_fill_is_wholly_short():
    stock = {SH: {PAPER: bins(3)}, GZ: {PAPER: bins(10)}}
    plan = plan_allocation([NeedLine(1, PAPER, 12)], stock, {SH: 0, GZ: 9}, allow_split=False)
    assert plan.parts == [] and plan.short == {1: 12}


def test_lines_of_zero_are_ignored_and_an_empty_order_is_complete():
    plan = plan_allocation([NeedLine(1, PAPER, 0)], {}, {SH: 0.0}, allow_split=True)
    assert plan.complete and plan.parts[0].picks == []
    assert plan_allocation([], {}, {}, allow_split=True).short == {}


# choose_bins / bin_path_key ------------------------------------------------------------------


def test_one_bin_that_holds_it_all_is_preferred_over_several():
    assert [(b.bin_code, q) for b, q in choose_bins(bins(3, 8, 20), 8)] == [("A-01-02", 8)]


def test_otherwise_bins_are_emptied_in_walking_order():
    taken = choose_bins(bins(3, 0, 4, 6), 9)
    assert [(b.bin_code, q) for b, q in taken] == [("A-01-01", 3), ("A-01-03", 4), ("A-01-04", 2)]
    assert sum(q for _, q in choose_bins(bins(1, 2), 9)) == 3  # all there is
    assert choose_bins([], 5) == []


def test_the_walk_goes_up_odd_aisles_and_down_even_ones_zone_by_zone():
    codes = ["B-01-01", "A-02-01", "A-01-03", "A-02-03", "A-01-01", "a-01-02 ", "A-03-02", "X1"]
    walk = sorted(codes, key=bin_path_key)
    assert walk == [
        "A-01-01",
        "a-01-02 ",
        "A-01-03",
        "A-02-03",
        "A-02-01",
        "A-03-02",
        "B-01-01",
        "X1",  # codes off the pattern come last
    ]


def test_aisle_and_level_numbers_compare_as_numbers():
    assert sorted(["A-10-01", "A-9-01", "A-01-10", "A-01-9"], key=bin_path_key) == [
        "A-01-9",
        "A-01-10",
        "A-9-01",
        "A-10-01",
    ]


def test_a_shipments_zone_is_the_one_holding_most_units():
    assert primary_zone([("A-01-01", 2), ("B-01-01", 5), ("A-01-02", 2)]) == "B"
    assert primary_zone([("B-01-01", 2), ("A-01-01", 2)]) == "A"  # a tie goes to the first
    assert primary_zone([]) == ""


# build_waves ---------------------------------------------------------------------------------

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
CUT_A = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
CUT_B = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def cand(sid, *, wh=SH, zone="A", carrier="SF", cutoff=CUT_A, priority=2, minutes=0):
    return WaveCandidate(sid, wh, zone, carrier, cutoff, priority, T0 + timedelta(minutes=minutes))


def test_waves_group_by_warehouse_zone_carrier_and_cutoff():
    waves = build_waves(
        [
            cand(1),
            cand(2, wh=GZ),
            cand(3, zone="B"),
            cand(4, carrier="ZTO"),
            cand(5, cutoff=CUT_B),
            cand(6),
        ],
        max_shipments=10,
    )
    groups = {(w.warehouse_id, w.zone, w.carrier, w.cutoff_at): w.shipment_ids for w in waves}
    assert groups == {
        (SH, "A", "SF", CUT_A): (1, 6),
        (GZ, "A", "SF", CUT_A): (2,),
        (SH, "B", "SF", CUT_A): (3,),
        (SH, "A", "ZTO", CUT_A): (4,),
        (SH, "A", "SF", CUT_B): (5,),
    }
    assert waves[0].shipment_ids == (5,)  # the earliest cut-off goes first


def test_urgent_shipments_lead_their_wave_and_waves_are_capped():
    members = [
        cand(1, priority=3, minutes=0),
        cand(2, priority=2, minutes=5),
        cand(3, priority=1, minutes=9),
        cand(4, priority=1, minutes=1),
        cand(5, priority=2, minutes=1),
    ]
    waves = build_waves(members, max_shipments=2)
    assert [w.shipment_ids for w in waves] == [(4, 3), (5, 2), (1,)]
    assert [w.priority for w in waves] == [1, 2, 3]
    single = build_waves(members, max_shipments=0)  # at least one shipment per wave
    assert [w.priority for w in single] == [1, 1, 2, 2, 3]
    assert sorted(w.shipment_ids for w in single) == [(1,), (2,), (3,), (4,), (5,)]


def test_waves_without_a_cutoff_come_last_and_urgent_waves_first_within_a_cutoff():
    waves = build_waves(
        [cand(1, cutoff=None, priority=1), cand(2, zone="B", priority=2), cand(3, priority=1)],
        max_shipments=5,
    )
    assert [w.shipment_ids for w in waves] == [(3,), (2,), (1,)]
    assert build_waves([], max_shipments=5) == []


# next_cutoff / shipment_priority --------------------------------------------------------------


@pytest.mark.parametrize(
    ("carrier", "now_utc", "expected_utc"),
    [
        ("SF", datetime(2026, 3, 2, 9, 59, tzinfo=UTC), datetime(2026, 3, 2, 10, 0, tzinfo=UTC)),
        ("SF", datetime(2026, 3, 2, 10, 0, tzinfo=UTC), datetime(2026, 3, 3, 10, 0, tzinfo=UTC)),
        # 17:00 UTC is already 01:00 the next day in Shanghai: that day's 18:00 is next
        ("SF", datetime(2026, 3, 2, 17, 0, tzinfo=UTC), datetime(2026, 3, 3, 10, 0, tzinfo=UTC)),
        # 15:59 UTC is 23:59 local: the cut-off has passed, tomorrow's counts
        ("SF", datetime(2026, 3, 2, 15, 59, tzinfo=UTC), datetime(2026, 3, 3, 10, 0, tzinfo=UTC)),
        ("FREIGHT", datetime(2026, 3, 2, 6, 0, tzinfo=UTC), datetime(2026, 3, 2, 7, 0, tzinfo=UTC)),
        ("", datetime(2026, 3, 2, 11, 0, tzinfo=UTC), datetime(2026, 3, 2, 12, 0, tzinfo=UTC)),
        ("UNKNOWN", datetime(2026, 3, 2, 8, 0, tzinfo=UTC), datetime(2026, 3, 2, 9, 0, tzinfo=UTC)),
        # the year ends in Shanghai before it ends in UTC
        ("EMS", datetime(2026, 12, 31, 16, 30, tzinfo=UTC), datetime(2027, 1, 1, 8, 0, tzinfo=UTC)),
    ],
)
def test_the_next_cutoff_follows_the_shanghai_day(carrier, now_utc, expected_utc):
    at = next_cutoff(carrier, now_utc, SHANGHAI)
    assert at == expected_utc
    assert at.utcoffset() == timedelta(0) and at > now_utc


def test_the_next_cutoff_accepts_a_local_now():
    local = datetime(2026, 3, 2, 17, 30, tzinfo=SHANGHAI)
    assert next_cutoff("SF", local, SHANGHAI) == datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def test_shipment_priority_by_requested_date():
    today = date(2026, 3, 2)
    assert shipment_priority(None, today) == 2
    assert shipment_priority(today - timedelta(days=3), today) == 1
    assert shipment_priority(today + timedelta(days=1), today) == 1
    assert shipment_priority(today + timedelta(days=2), today) == 2
    assert shipment_priority(today + timedelta(days=7), today) == 2
    assert shipment_priority(today + timedelta(days=8), today) == 3


# order_target / order_steps ------------------------------------------------------------------

SHIPMENT_STATUSES = ["allocated", "picking", "picked", "packing", "packed", "shipped", "delivered"]
FORWARD = ["allocated", "picking", "packed", "partially_shipped", "shipped", "delivered"]
RANK = {s: n for n, s in enumerate(FORWARD)}
MIXES = [
    mix
    for size in range(0, 4)
    for mix in itertools.combinations_with_replacement(SHIPMENT_STATUSES + ["cancelled"], size)
]


@pytest.mark.parametrize(
    ("mix", "waiting", "target"),
    [
        ((), False, "allocated"),
        (("cancelled",), False, "allocated"),
        (("allocated", "allocated"), False, "allocated"),
        (("allocated", "picking"), False, "picking"),
        (("picked", "packing"), False, "picking"),
        (("packed", "allocated"), False, "picking"),
        (("packed", "packed"), False, "packed"),
        (("packed",), True, "packed"),
        (("shipped", "allocated"), False, "partially_shipped"),
        (("shipped",), True, "partially_shipped"),
        (("delivered",), True, "partially_shipped"),
        (("shipped", "shipped"), False, "shipped"),
        (("shipped", "delivered"), False, "shipped"),
        (("delivered", "delivered"), False, "delivered"),
        (("delivered", "cancelled"), False, "delivered"),
    ],
)
def test_shipments_add_up_to_an_order_status(mix, waiting, target):
    assert order_target(list(mix), waiting_backorder=waiting) == OrderStatus(target)


@pytest.mark.parametrize("current", FORWARD)
def test_every_shipment_mix_moves_the_order_forward_by_legal_steps_only(current):
    for mix, waiting in itertools.product(MIXES, (False, True)):
        steps = order_steps(current, list(mix), waiting_backorder=waiting)
        target = order_target(list(mix), waiting_backorder=waiting)
        status = OrderStatus(current)
        for action in steps:
            status = ORDER_TRANSITIONS[(status, action)]  # KeyError: an illegal step
        if RANK[current] < RANK[target]:
            assert status == target, (current, mix, waiting, steps)
        else:
            assert steps == [], (current, mix, waiting)  # never backwards


def test_a_partial_shipment_is_one_ship_part_step_from_any_earlier_status():
    for current in ("allocated", "picking", "packed"):
        steps = order_steps(current, ["shipped", "picked"], waiting_backorder=False)
        assert steps == [OrderAction.SHIP_PART]


def test_the_full_walk_from_allocated_to_delivered():
    assert order_steps("allocated", ["delivered"], waiting_backorder=False) == [
        OrderAction.START_PICKING,
        OrderAction.PACK,
        OrderAction.SHIP,
        OrderAction.DELIVER,
    ]
    assert order_steps("partially_shipped", ["shipped", "shipped"], waiting_backorder=False) == [
        OrderAction.SHIP
    ]


@pytest.mark.parametrize("current", ["on_hold", "cancelled", "completed", "approved"])
def test_orders_outside_the_warehouse_flow_are_never_moved(current):
    for mix in MIXES:
        assert order_steps(current, list(mix), waiting_backorder=False) == []
