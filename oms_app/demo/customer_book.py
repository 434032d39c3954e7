"""The demo company's customers: Chinese trading firms with contacts and delivery addresses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from random import Random

from oms_app.demo.catalogue import (
    ADDRESS_LABELS,
    BUILDINGS,
    COMPANY_CORES,
    CONTACT_TITLES,
    GIVEN_NAMES,
    INDUSTRIES,
    MOBILE_PREFIXES,
    PROVINCES,
    STREETS,
    SURNAMES,
    City,
    Province,
)
from oms_app.demo.loading import TableRows, local_to_utc

CUSTOMER_COUNT = 200
# C00001 is the firm the demo customer log-in buys for (oms_app/demo/users.py): a Shanghai key
# account whose name matches that log-in's display name.
FLAGSHIP_NAME, FLAGSHIP_TIER = "上海华东贸易有限公司", "A"
TIERS = ("A", "B", "C", "D")
TIER_SHARE = (10, 30, 40, 20)
ORDERS_PER_TIER = {"A": 8.0, "B": 4.0, "C": 2.0, "D": 1.0}  # relative ordering frequency
CREDIT_LIMITS = {
    "A": (500_000, 2_000_000),
    "B": (100_000, 500_000),
    "C": (20_000, 100_000),
    "D": (0, 20_000),
}
PAYMENT_TERMS = {"A": (30, 60, 60), "B": (30, 30, 60), "C": (0, 30, 30), "D": (0,)}
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

CUSTOMER_COLUMNS = (
    "id",
    "code",
    "name",
    "tier",
    "credit_limit",
    "payment_terms_days",
    "currency",
    "tax_id",
    "province",
    "city",
    "is_active",
    "created_at",
)
CONTACT_COLUMNS = ("id", "customer_id", "name", "phone", "email", "title", "is_primary")
ADDRESS_COLUMNS = (
    "id",
    "customer_id",
    "label",
    "province",
    "city",
    "district",
    "street",
    "postcode",
    "receiver",
    "phone",
    "is_default",
)


@dataclass(frozen=True)
class CustomerInfo:
    """What an order needs to know about its customer."""

    id: int
    tier: str
    warehouse_id: int
    weight: float  # how often this customer orders, relative to the others
    # The default address, copied onto each order: province, city, district, street, receiver,
    # phone.
    ship_to: tuple[str, ...]
    terms_days: int = 0  # 0: pays before the goods leave; else invoiced, due this many days later


def build_customers(
    rng: Random, *, warehouses: Mapping[str, int], last_ids: Mapping[str, int], opened: date
) -> tuple[list[CustomerInfo], list[TableRows]]:
    """Make the customers with 1-3 contacts and 1-2 addresses each (the first is the default)."""
    customers: list[CustomerInfo] = []
    rows: dict[str, list[tuple]] = {
        "customers": [],
        "customer_contacts": [],
        "customer_addresses": [],
    }
    names: set[str] = {FLAGSHIP_NAME}
    for n in range(1, CUSTOMER_COUNT + 1):
        cid = last_ids["customers"] + n
        province, city, tier, name = _who_and_where(rng, n, names)
        customer_row = _customer_row(rng, cid, n, name, tier, province, city, opened)
        rows["customers"].append(customer_row)
        contacts = _contacts(
            rng, cid, n, first_id=last_ids["customer_contacts"] + len(rows["customer_contacts"])
        )
        rows["customer_contacts"] += contacts
        addresses = _addresses(
            rng,
            cid,
            province,
            city,
            contacts,
            first_id=(last_ids["customer_addresses"] + len(rows["customer_addresses"])),
        )
        rows["customer_addresses"] += addresses
        customers.append(
            CustomerInfo(
                id=cid,
                tier=tier,
                warehouse_id=warehouses[province.warehouse],
                weight=ORDERS_PER_TIER[tier] * rng.uniform(0.4, 1.6),
                ship_to=tuple(addresses[0][i] for i in (3, 4, 5, 6, 8, 9)),
                terms_days=customer_row[CUSTOMER_COLUMNS.index("payment_terms_days")],
            )
        )
    return customers, [
        TableRows("customers", CUSTOMER_COLUMNS, rows["customers"]),
        TableRows("customer_contacts", CONTACT_COLUMNS, rows["customer_contacts"]),
        TableRows("customer_addresses", ADDRESS_COLUMNS, rows["customer_addresses"]),
    ]


def _who_and_where(rng: Random, n: int, taken: set[str]) -> tuple[Province, City, str, str]:
    """Province, city, tier and name of the n-th customer."""
    if n == 1:
        return PROVINCES[0], PROVINCES[0].cities[0], FLAGSHIP_TIER, FLAGSHIP_NAME
    province = rng.choices(PROVINCES, weights=[p.weight for p in PROVINCES])[0]
    city = rng.choice(province.cities)
    tier = rng.choices(TIERS, weights=TIER_SHARE)[0]
    return province, city, tier, _company_name(rng, city, taken)


def _customer_row(
    rng: Random,
    cid: int,
    n: int,
    name: str,
    tier: str,
    province: Province,
    city: City,
    opened: date,
) -> tuple:
    low, high = CREDIT_LIMITS[tier]
    credit = Decimal(rng.randint(low // 10_000, high // 10_000) * 10_000)
    since = opened - timedelta(days=rng.randint(30, 1500))
    return (
        cid,
        f"C{n:05d}",
        name,
        tier,
        credit.quantize(Decimal("0.01")),
        rng.choice(PAYMENT_TERMS[tier]),
        "CNY",
        social_credit_code(rng, city.postcode),
        province.name,
        city.name,
        True,
        local_to_utc(since, rng.randint(9 * 3600, 18 * 3600)),
    )


def _company_name(rng: Random, city: City, taken: set[str]) -> str:
    """A name like 上海华东贸易有限公司, unique among the customers."""
    place = city.name.removesuffix("市")
    while True:
        legal_form = rng.choices(("有限公司", "股份有限公司", "商行"), weights=(85, 10, 5))[0]
        industry = "" if legal_form == "商行" else rng.choice(INDUSTRIES)
        name = f"{place}{rng.choice(COMPANY_CORES)}{industry}{legal_form}"
        if name not in taken:
            taken.add(name)
            return name


def _contacts(rng: Random, cid: int, n: int, *, first_id: int) -> list[tuple]:
    # The primary contact is a buyer; the others are anyone the sales rep deals with.
    buyers, others = CONTACT_TITLES[:2], CONTACT_TITLES[2:]
    titles = [rng.choice(buyers), *rng.sample(others, rng.choices((0, 1, 2), (40, 40, 20))[0])]
    return [
        (
            first_id + k,
            cid,
            person_name(rng),
            mobile_number(rng),
            f"{title_en}@c{n:05d}.example.com",
            title_zh,
            k == 1,
        )
        for k, (title_zh, title_en) in enumerate(titles, 1)
    ]


def _addresses(
    rng: Random, cid: int, province: Province, city: City, contacts: list[tuple], *, first_id: int
) -> list[tuple]:
    labels = rng.sample(ADDRESS_LABELS, rng.choices((1, 2), weights=(65, 35))[0])
    rows = []
    for k, label in enumerate(labels, 1):
        place = city if k == 1 else rng.choice(province.cities)
        district = rng.choice(place.districts)
        postcode = f"{int(place.postcode) + 10 * (place.districts.index(district) + 1):06d}"
        receiver, phone = (
            (contacts[0][2], contacts[0][3]) if k == 1 else (person_name(rng), mobile_number(rng))
        )
        rows.append(
            (
                first_id + k,
                cid,
                label,
                province.name,
                place.name,
                district,
                _street(rng),
                postcode,
                receiver,
                phone,
                k == 1,
            )
        )
    return rows


def _street(rng: Random) -> str:
    building = rng.choice(BUILDINGS).format(n=rng.randint(1, 12), r=rng.randint(101, 1808))
    return f"{rng.choice(STREETS)}{rng.randint(1, 999)}号{building}"


def person_name(rng: Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)


def mobile_number(rng: Random) -> str:
    return f"{rng.choice(MOBILE_PREFIXES)}{rng.randint(0, 99_999_999):08d}"


def social_credit_code(rng: Random, postcode: str) -> str:
    """A unified social credit code (统一社会信用代码) with a valid check character."""
    body = f"91{postcode[:2]}{rng.randint(0, 9999):04d}" + "".join(
        rng.choice(USCC_CHARS) for _ in range(9)
    )
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(body, USCC_WEIGHTS, strict=True))
    return body + USCC_CHARS[(31 - total % 31) % 31]
