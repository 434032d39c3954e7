"""China's 34 provincial-level divisions, the distances between them and the shipping zones."""

from __future__ import annotations

import math
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0
NEAR_KM = 800.0
ZONES = ("local", "near", "far", "remote")


@dataclass(frozen=True)
class Province:
    name: str  # full name as written in addresses
    short: str  # how people write it in a hurry: "广东", "新疆"
    name_en: str
    capital: str
    lat: float
    lon: float


PROVINCES: tuple[Province, ...] = (
    Province("北京市", "北京", "Beijing", "北京", 39.90, 116.40),
    Province("天津市", "天津", "Tianjin", "天津", 39.13, 117.20),
    Province("上海市", "上海", "Shanghai", "上海", 31.23, 121.47),
    Province("重庆市", "重庆", "Chongqing", "重庆", 29.56, 106.55),
    Province("河北省", "河北", "Hebei", "石家庄", 38.04, 114.51),
    Province("山西省", "山西", "Shanxi", "太原", 37.87, 112.55),
    Province("辽宁省", "辽宁", "Liaoning", "沈阳", 41.80, 123.43),
    Province("吉林省", "吉林", "Jilin", "长春", 43.82, 125.32),
    Province("黑龙江省", "黑龙江", "Heilongjiang", "哈尔滨", 45.80, 126.53),
    Province("江苏省", "江苏", "Jiangsu", "南京", 32.06, 118.80),
    Province("浙江省", "浙江", "Zhejiang", "杭州", 30.27, 120.15),
    Province("安徽省", "安徽", "Anhui", "合肥", 31.82, 117.23),
    Province("福建省", "福建", "Fujian", "福州", 26.07, 119.30),
    Province("江西省", "江西", "Jiangxi", "南昌", 28.68, 115.86),
    Province("山东省", "山东", "Shandong", "济南", 36.65, 117.12),
    Province("河南省", "河南", "Henan", "郑州", 34.75, 113.63),
    Province("湖北省", "湖北", "Hubei", "武汉", 30.59, 114.31),
    Province("湖南省", "湖南", "Hunan", "长沙", 28.23, 112.94),
    Province("广东省", "广东", "Guangdong", "广州", 23.13, 113.26),
    Province("海南省", "海南", "Hainan", "海口", 20.04, 110.34),
    Province("四川省", "四川", "Sichuan", "成都", 30.57, 104.07),
    Province("贵州省", "贵州", "Guizhou", "贵阳", 26.65, 106.63),
    Province("云南省", "云南", "Yunnan", "昆明", 25.04, 102.71),
    Province("陕西省", "陕西", "Shaanxi", "西安", 34.34, 108.94),
    Province("甘肃省", "甘肃", "Gansu", "兰州", 36.06, 103.83),
    Province("青海省", "青海", "Qinghai", "西宁", 36.62, 101.78),
    Province("台湾省", "台湾", "Taiwan", "台北", 25.03, 121.57),
    Province("内蒙古自治区", "内蒙古", "Inner Mongolia", "呼和浩特", 40.84, 111.75),
    Province("广西壮族自治区", "广西", "Guangxi", "南宁", 22.82, 108.37),
    Province("西藏自治区", "西藏", "Tibet", "拉萨", 29.65, 91.13),
    Province("宁夏回族自治区", "宁夏", "Ningxia", "银川", 38.49, 106.23),
    Province("新疆维吾尔自治区", "新疆", "Xinjiang", "乌鲁木齐", 43.83, 87.62),
    Province("香港特别行政区", "香港", "Hong Kong", "香港", 22.32, 114.17),
    Province("澳门特别行政区", "澳门", "Macau", "澳门", 22.20, 113.55),
)
BY_NAME: dict[str, Province] = {p.name: p for p in PROVINCES}
_LOOKUP: dict[str, Province] = {
    **{p.short: p for p in PROVINCES},
    **{p.name_en.lower(): p for p in PROVINCES},
    **BY_NAME,
}
# Carriers surcharge these: thin networks, long line hauls, or customs on the way.
REMOTE_PROVINCES = frozenset(
    {
        "新疆维吾尔自治区",
        "西藏自治区",
        "青海省",
        "内蒙古自治区",
        "宁夏回族自治区",
        "甘肃省",
        "香港特别行政区",
        "澳门特别行政区",
        "台湾省",
    }
)


def normalize_province(name: str | None) -> str | None:
    """Return the full name of a province given its full name, short form or English name."""
    if not name:
        return None
    cleaned = "".join(name.split())
    found = _LOOKUP.get(cleaned) or _LOOKUP.get(cleaned.lower())
    return found.name if found else None


def get_province(name: str | None) -> Province | None:
    """Return the province a name refers to, or None."""
    full = normalize_province(name)
    return BY_NAME[full] if full else None


def distance_km(a: str | None, b: str | None) -> float:
    """Return the great-circle distance between two provinces' capitals (inf if unknown)."""
    pa, pb = get_province(a), get_province(b)
    if pa is None or pb is None:
        return math.inf
    lat1, lon1, lat2, lon2 = map(math.radians, (pa.lat, pa.lon, pb.lat, pb.lon))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def is_remote(name: str | None) -> bool:
    """Tell whether a province is in the remote zone (unknown ones are)."""
    full = normalize_province(name)
    return full is None or full in REMOTE_PROVINCES


def shipping_zone(origin: str | None, destination: str | None) -> str:
    """Return the zone a route is priced in: local, near, far or remote."""
    source, target = normalize_province(origin), normalize_province(destination)
    # An unknown end is quoted as remote, the dearest zone, so a typo never under-charges.
    if source is None or target is None:
        return "remote"
    # Same-province parcels stay in one sorting network, even inside a remote region.
    if source == target:
        return "local"
    if target in REMOTE_PROVINCES:
        return "remote"
    return "near" if distance_km(source, target) < NEAR_KM else "far"
