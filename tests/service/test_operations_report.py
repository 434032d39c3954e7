"""Operations report figures from SQL agree with the same figures computed in pandas."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from oms_app.analytics.operations import compute_operations
from oms_app.core.errors import PermissionDenied, ValidationFailed
from oms_app.core.permissions import SYSTEM_ACTOR, Actor
from tests.conftest import reset_business_tables
from tests.factories.operations import OrderSpec, ShipmentSpec, add_history, make_floor
from tests.service.operations_expected import STAGES, expected

MARCH_1, MARCH_31 = date(2026, 3, 1), date(2026, 3, 31)
COUNTS = ("submitted", "corrected", "decided", "rejected", "pick_tasks", "short_picks")
RATES = ("correction_rate", "rejection_rate", "short_pick_rate")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def report(uow, group_by="team", warehouse="", date_from=MARCH_1, date_to=MARCH_31) -> dict:
    return compute_operations(
        uow,
        actor=SYSTEM_ACTOR,
        date_from=date_from,
        date_to=date_to,
        group_by=group_by,
        warehouse=warehouse,
    )


def flat(row: dict) -> dict:
    """A row's figures in one level: 'pick_to_ship.median_hours' and the like."""
    out = {k: row[k] for k in (*COUNTS, *RATES)}
    out.update({f"{s}.{k}": v for s in STAGES for k, v in row[s].items()})
    return out


def comparable(row: dict) -> dict:
    """The figures of a row with rates as numbers (they come as strings with four places)."""
    out = flat(row)
    out.update({k: None if row[k] is None else float(row[k]) for k in RATES})
    return out


def assert_matches_pandas(result: dict, date_from=MARCH_1, date_to=MARCH_31) -> None:
    want = expected(date_from, date_to, result["group_by"], result["warehouse"])
    got = {row["key"]: comparable(row) for row in result["rows"]}
    assert set(got) == set(want)
    for key, row in want.items():
        assert got[key] == pytest.approx(flat(row), abs=0.011), key
    total = expected(date_from, date_to, "all", result["warehouse"]).get("all:")
    if total is not None:
        assert comparable(result["total"]) == pytest.approx(flat(total), abs=0.011)


@pytest.fixture
def floor(uow):
    return make_floor(uow)


def approved_and_shipped(start: datetime, picker: str = "picker-a") -> OrderSpec:
    """Submitted at start, approved 2 h later, picked 4 h after that, shipped 6 h after that."""
    return OrderSpec(
        events=[("submit", start), ("approve", start + timedelta(hours=2))],
        levels=[("sales_manager", "approve", start + timedelta(hours=2))],
        shipments=[
            ShipmentSpec(
                picked=(start + timedelta(hours=6), picker),
                shipped=start + timedelta(hours=12),
                tasks=[("done", picker, start + timedelta(hours=5))],
            )
        ],
    )


def test_work_straddling_shanghai_midnight_falls_on_its_local_day(uow, floor):
    # given: 15:59:59 UTC is 23:59:59 in Shanghai; 16:00:00 UTC is already the next local day
    add_history(uow, floor, 1, OrderSpec(events=[("submit", utc(2026, 2, 28, 15, 59, 59))]))
    add_history(uow, floor, 2, OrderSpec(events=[("submit", utc(2026, 2, 28, 16, 0, 0))]))
    add_history(uow, floor, 3, OrderSpec(events=[("submit", utc(2026, 3, 1, 15, 59, 59))]))
    add_history(uow, floor, 4, OrderSpec(events=[("submit", utc(2026, 3, 1, 16, 0, 0))]))
    # when
    result = report(uow, group_by="day", date_to=date(2026, 3, 2))
    # then: the first order is on 28 February, outside; the last is on 2 March
    rows = {row["key"]: row["submitted"] for row in result["rows"]}
    assert rows == {"day:2026-03-01": 2, "day:2026-03-02": 1}
    assert result["total"]["submitted"] == 3
    assert_matches_pandas(result, date_to=date(2026, 3, 2))


def test_team_rows_attribute_each_figure_to_who_did_the_work(uow, floor):
    # given: one clean order, one rejected, corrected and approved, one short-picked
    start = utc(2026, 3, 2, 1, 0)
    add_history(uow, floor, 1, approved_and_shipped(start))
    corrected = approved_and_shipped(start + timedelta(days=1), picker="picker-b")
    corrected.creator = "boss"
    corrected.events[1:1] = [
        ("reject", start + timedelta(days=1, hours=1)),
        ("revise", start + timedelta(days=1, hours=1)),
        ("submit", start + timedelta(days=1, hours=1, minutes=30)),
    ]
    corrected.levels.insert(0, ("finance", "reject", start + timedelta(days=1, hours=1)))
    corrected.shipments[0].tasks.append(("short", "picker-b", start + timedelta(days=1, hours=5)))
    add_history(uow, floor, 2, corrected)
    # when
    result = report(uow)
    # then
    rows = {row["key"]: row for row in result["rows"]}
    assert list(rows) == [
        "sales:sales",
        "sales:sales_manager",
        "approval:finance",
        "approval:sales_manager",
        "picker:picker-a",
        "picker:picker-b",
    ]
    assert rows["sales:sales_manager"]["correction_rate"] == "1.0000"
    assert rows["approval:finance"]["rejection_rate"] == "1.0000"
    assert rows["approval:sales_manager"]["submit_to_approval"]["median_hours"] == 2.0
    assert rows["picker:picker-b"]["short_pick_rate"] == "0.5000"
    assert rows["picker:picker-a"]["pick_to_ship"] == {
        "count": 1,
        "avg_hours": 6.0,
        "median_hours": 6.0,
    }
    total = result["total"]
    assert (total["submitted"], total["corrected"], total["decided"], total["rejected"]) == (
        2,
        1,
        2,
        1,
    )
    assert total["rejection_rate"] == "0.5000" and total["short_pick_rate"] == "0.3333"
    assert result["satisfaction"] is None and result["no_data"] == ["satisfaction"]
    assert_matches_pandas(result)


def random_history(rng: random.Random, base: datetime) -> OrderSpec:
    """An order somewhere in its life: submitted, maybe sent back, approved, picked, shipped."""
    at = base + timedelta(minutes=rng.randint(0, 60 * 24 * 45))
    spec = OrderSpec(
        creator=rng.choice(["rep", "boss", "buyer", None]),
        warehouse=rng.choice(["SH", "BJ", None]),
        events=[("submit", at)],
    )
    if rng.random() < 0.3:
        at += timedelta(minutes=rng.randint(1, 600))
        spec.levels.append((rng.choice(["sales_manager", "finance"]), "reject", at))
        spec.events += [("reject", at), ("revise", at)]
        at += timedelta(minutes=rng.randint(1, 3000))
        spec.events.append(("submit", at))
    if rng.random() < 0.3:
        return spec
    for role in rng.sample(["sales_manager", "finance", "warehouse"], rng.randint(1, 3)):
        at += timedelta(minutes=rng.randint(1, 900))
        spec.levels.append((role, "approve", at))
    spec.events.append(("approve", at))
    for _ in range(rng.randint(0, 2)):
        spec.shipments.append(random_shipment(rng, at))
    return spec


def random_shipment(rng: random.Random, approved: datetime) -> ShipmentSpec:
    picker = rng.choice(["picker-a", "picker-b"])
    picked = approved + timedelta(minutes=rng.randint(1, 60 * 30))
    shipment = ShipmentSpec(warehouse=rng.choice(["SH", "BJ"]))
    for _ in range(rng.randint(0, 3)):
        state = rng.choice(["done", "done", "short", "open", "cancelled"])
        moment = None if state == "open" else picked - timedelta(minutes=rng.randint(0, 120))
        shipment.tasks.append((state, picker, moment))
    if rng.random() < 0.8:
        shipment.picked = (picked, picker)
        if rng.random() < 0.7:
            shipment.shipped = picked + timedelta(minutes=rng.randint(1, 60 * 24))
    return shipment


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_histories_give_the_same_figures_as_pandas(uow, seed):
    # given: a fresh book of random order histories around March
    reset_business_tables()
    floor = make_floor(uow)
    rng = random.Random(seed)
    for n in range(1, 31):
        add_history(uow, floor, n, random_history(rng, utc(2026, 2, 20, 0, 0)))
    # when / then: every grouping, company-wide and per warehouse
    for group_by in ("team", "day", "week", "month"):
        for warehouse in ("", "SH"):
            result = report(uow, group_by=group_by, warehouse=warehouse)
            assert_matches_pandas(result)


def test_an_empty_period_has_no_rows_and_no_rates(uow, floor):
    result = report(uow, group_by="week")
    assert result["rows"] == []
    assert result["total"]["rejection_rate"] is None
    assert result["total"]["submit_to_approval"] == {
        "count": 0,
        "avg_hours": None,
        "median_hours": None,
    }


@pytest.mark.parametrize(
    ("date_from", "date_to", "group_by", "field", "code"),
    [
        (date(2026, 3, 2), date(2026, 3, 1), "team", "to", "error.period.invalid"),
        (date(2025, 1, 1), date(2026, 1, 2), "team", "from", "error.period.too_long"),
        (MARCH_1, MARCH_31, "year", "group_by", "error.operations.group_by"),
    ],
)
def test_a_bad_period_or_grouping_is_refused(uow, date_from, date_to, group_by, field, code):
    with pytest.raises(ValidationFailed) as err:
        report(uow, group_by=group_by, date_from=date_from, date_to=date_to)
    assert (err.value.field, err.value.code) == (field, code)


def test_a_user_without_dashboard_rights_is_refused(uow):
    rep = Actor(user_id=1, username="rep", permissions=frozenset({"order.view"}))
    with pytest.raises(PermissionDenied):
        compute_operations(uow, actor=rep, date_from=MARCH_1, date_to=MARCH_31, group_by="bad")
