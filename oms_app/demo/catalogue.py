"""Static name lists for the demo company: what it sells, where its customers are, who they are.

A spec value is "zh|en" when the two languages differ, or one string when they do not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ProductBase:
    """A kind of product; each spec value (and colour, if any) is one SKU, per brand."""

    zh: str
    en: str
    unit: str
    price: tuple[int, int]  # yuan, for the smallest and the largest spec
    pack: int  # ordered in multiples of this
    moq_packs: int  # minimum order quantity, in packs
    spec_key: str
    specs: tuple[str, ...]
    colours: tuple[str, ...] = ()


@dataclass(frozen=True)
class CategorySpec:
    code: str
    zh: str
    en: str
    bases: tuple[ProductBase, ...]


SIZE, CAP, MAT, POWER, LEN, TYPE = (
    "规格/size",
    "容量/capacity",
    "材质/material",
    "功率/power",
    "长度/length",
    "型号/model",
)
COLOUR = "颜色/color"
INK = ("黑色|black", "蓝色|blue", "红色|red")
BASIC = ("黑色|black", "白色|white")
BRIGHT = ("黄色|yellow", "粉色|pink", "绿色|green", "蓝色|blue")
HELMET = ("黄色|yellow", "红色|red", "蓝色|blue", "白色|white")
WIRE = ("红色|red", "蓝色|blue", "黄绿|yellow-green", "黑色|black")
B = ProductBase

CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec(
        "OFF",
        "办公用品",
        "Office supplies",
        (
            B("中性笔", "gel pen", "box", (12, 36), 1, 1, SIZE, ("0.38mm", "0.5mm", "0.7mm"), INK),
            B(
                "复印纸",
                "copy paper",
                "box",
                (120, 260),
                1,
                1,
                SIZE,
                ("A4 70g", "A4 80g", "A3 70g", "A3 80g"),
            ),
            B(
                "文件夹",
                "file folder",
                "pack",
                (15, 45),
                1,
                2,
                SIZE,
                ("A4单夹|A4 single clip", "A4双夹|A4 double clip", "A4强力夹|A4 heavy clip"),
                BASIC,
            ),
            B(
                "订书机",
                "stapler",
                "pcs",
                (12, 68),
                1,
                2,
                TYPE,
                ("12号|No.12", "24/6", "重型|heavy"),
            ),
            B(
                "便利贴",
                "sticky notes",
                "pack",
                (6, 18),
                10,
                1,
                SIZE,
                ("51x76mm", "76x76mm", "76x127mm"),
                BRIGHT,
            ),
            B(
                "笔记本",
                "notebook",
                "pcs",
                (5, 22),
                10,
                1,
                SIZE,
                ("A5 60页|A5 60 sheets", "B5 80页|B5 80 sheets", "A4 100页|A4 100 sheets"),
            ),
            B(
                "白板笔",
                "whiteboard marker",
                "box",
                (18, 40),
                1,
                1,
                TYPE,
                ("圆头|bullet tip", "斜头|chisel tip"),
                INK,
            ),
        ),
    ),
    CategorySpec(
        "ELE",
        "电子配件",
        "Electronics accessories",
        (
            B(
                "USB数据线",
                "USB cable",
                "pcs",
                (9, 39),
                10,
                1,
                TYPE,
                ("Micro-USB 1m", "Type-C 1m", "Type-C 2m", "Lightning 1m"),
                BASIC,
            ),
            B("充电器", "charger", "pcs", (29, 169), 5, 1, POWER, ("20W", "33W", "65W", "100W")),
            B(
                "移动电源",
                "power bank",
                "pcs",
                (69, 199),
                5,
                1,
                CAP,
                ("10000mAh", "20000mAh", "30000mAh"),
                BASIC,
            ),
            B(
                "无线鼠标",
                "wireless mouse",
                "pcs",
                (39, 129),
                5,
                1,
                TYPE,
                ("标准|standard", "静音|silent", "人体工学|ergonomic"),
                ("黑色|black", "白色|white", "灰色|grey"),
            ),
            B(
                "键盘",
                "keyboard",
                "pcs",
                (49, 299),
                5,
                1,
                TYPE,
                ("有线|wired", "无线|wireless", "机械|mechanical"),
                BASIC,
            ),
            B("HDMI线", "HDMI cable", "pcs", (19, 119), 10, 1, LEN, ("1.5m", "3m", "5m", "10m")),
            B(
                "U盘",
                "USB flash drive",
                "pcs",
                (25, 169),
                10,
                1,
                CAP,
                ("32GB", "64GB", "128GB", "256GB"),
            ),
        ),
    ),
    CategorySpec(
        "HDW",
        "五金工具",
        "Hardware tools",
        (
            B(
                "螺丝刀套装",
                "screwdriver set",
                "set",
                (25, 128),
                1,
                2,
                SIZE,
                ("6件套|6-piece", "12件套|12-piece", "32件套|32-piece"),
            ),
            B(
                "活动扳手",
                "adjustable wrench",
                "pcs",
                (18, 58),
                5,
                1,
                SIZE,
                ("6寸|6 in", "8寸|8 in", "10寸|10 in", "12寸|12 in"),
            ),
            B("锂电钻", "cordless drill", "set", (199, 599), 1, 1, POWER, ("12V", "16.8V", "20V")),
            B("卷尺", "tape measure", "pcs", (8, 36), 10, 1, LEN, ("3m", "5m", "7.5m", "10m")),
            B(
                "钢丝钳",
                "combination pliers",
                "pcs",
                (15, 45),
                5,
                1,
                SIZE,
                ("6寸|6 in", "7寸|7 in", "8寸|8 in"),
            ),
            B(
                "膨胀螺丝",
                "expansion bolts",
                "box",
                (25, 85),
                1,
                2,
                SIZE,
                ("M6", "M8", "M10", "M12"),
            ),
            B(
                "内六角扳手",
                "hex key set",
                "set",
                (15, 49),
                1,
                2,
                TYPE,
                ("公制9件|metric 9-piece", "英制9件|imperial 9-piece"),
            ),
            B(
                "美工刀",
                "utility knife",
                "pcs",
                (4, 25),
                12,
                1,
                SIZE,
                ("9mm", "18mm", "25mm"),
                ("黄色|yellow", "黑色|black"),
            ),
            B("扎丝钩", "wire tie hook", "pcs", (6, 16), 10, 1, SIZE, ("小号|small", "大号|large")),
        ),
    ),
    CategorySpec(
        "CLN",
        "清洁用品",
        "Cleaning supplies",
        (
            B(
                "垃圾袋",
                "garbage bags",
                "roll",
                (4, 16),
                10,
                1,
                SIZE,
                ("45x50cm", "60x80cm", "80x100cm"),
                ("黑色|black", "绿色|green"),
            ),
            B("洗手液", "hand soap", "pcs", (12, 68), 6, 1, CAP, ("500ml", "1L", "5L")),
            B(
                "拖把",
                "mop",
                "pcs",
                (25, 89),
                2,
                1,
                TYPE,
                ("棉线|cotton", "平板|flat", "旋转|spin"),
            ),
            B(
                "抹布",
                "cleaning cloths",
                "pack",
                (8, 26),
                10,
                1,
                SIZE,
                ("30x30cm", "30x40cm", "40x60cm"),
                ("蓝色|blue", "黄色|yellow", "灰色|grey"),
            ),
            B("消毒液", "disinfectant", "pcs", (9, 59), 6, 1, CAP, ("500ml", "2.5L", "5L")),
            B(
                "擦手纸",
                "paper towels",
                "box",
                (78, 138),
                1,
                1,
                TYPE,
                ("单层20包|1-ply 20 packs", "双层20包|2-ply 20 packs"),
            ),
            B(
                "大盘纸",
                "jumbo roll tissue",
                "box",
                (88, 168),
                1,
                1,
                SIZE,
                ("12卷|12 rolls", "6卷加厚|6 thick rolls"),
            ),
            B(
                "清洁手套",
                "cleaning gloves",
                "pack",
                (5, 15),
                10,
                1,
                SIZE,
                ("S", "M", "L"),
                ("黄色|yellow", "粉色|pink"),
            ),
        ),
    ),
    CategorySpec(
        "PKG",
        "包装材料",
        "Packaging",
        (
            B(
                "纸箱",
                "carton",
                "pcs",
                (1, 9),
                50,
                2,
                SIZE,
                ("12号|No.12", "9号|No.9", "7号|No.7", "5号|No.5", "3号|No.3", "1号|No.1"),
            ),
            B(
                "封箱胶带",
                "sealing tape",
                "roll",
                (3, 12),
                6,
                2,
                SIZE,
                ("48mm x 100m", "60mm x 100m", "60mm x 200m"),
                ("透明|clear", "米黄|beige"),
            ),
            B(
                "气泡膜",
                "bubble wrap",
                "roll",
                (35, 118),
                1,
                2,
                SIZE,
                ("30cm x 50m", "50cm x 50m", "100cm x 50m"),
            ),
            B("缠绕膜", "stretch film", "roll", (18, 36), 6, 1, SIZE, ("50cm 2.5kg", "50cm 3kg")),
            B(
                "快递袋",
                "courier bags",
                "pack",
                (12, 38),
                10,
                1,
                SIZE,
                ("25x35cm", "32x45cm", "38x52cm"),
                ("白色|white", "灰色|grey"),
            ),
            B(
                "打包带",
                "strapping band",
                "roll",
                (25, 68),
                2,
                1,
                TYPE,
                ("PP 12mm", "PP 15mm", "PET 16mm"),
            ),
            B("珍珠棉", "EPE foam sheet", "roll", (45, 130), 1, 1, SIZE, ("1mm", "3mm", "5mm")),
            B(
                "标签纸",
                "thermal labels",
                "roll",
                (6, 20),
                10,
                1,
                SIZE,
                ("40x30mm", "60x40mm", "100x100mm"),
            ),
        ),
    ),
    CategorySpec(
        "SAF",
        "劳保用品",
        "Safety gear",
        (
            B(
                "劳保手套",
                "work gloves",
                "pack",
                (15, 48),
                10,
                1,
                MAT,
                ("棉纱|cotton yarn", "浸胶|latex-dipped", "丁腈|nitrile"),
                ("L", "XL"),
            ),
            B(
                "安全帽",
                "safety helmet",
                "pcs",
                (15, 65),
                10,
                1,
                MAT,
                ("ABS", "玻璃钢|FRP"),
                HELMET,
            ),
            B("防护口罩", "respirator masks", "box", (25, 88), 1, 2, TYPE, ("KN95", "N95", "P2")),
            B(
                "安全鞋",
                "safety shoes",
                "pcs",
                (89, 169),
                1,
                2,
                SIZE,
                ("39", "40", "41", "42", "43", "44"),
            ),
            B(
                "反光背心",
                "reflective vest",
                "pcs",
                (8, 25),
                10,
                1,
                SIZE,
                ("M", "L", "XL"),
                ("橙色|orange", "荧光黄|fluorescent yellow"),
            ),
            B(
                "护目镜",
                "safety goggles",
                "pcs",
                (9, 39),
                10,
                1,
                TYPE,
                ("防冲击|impact-resistant", "防雾|anti-fog"),
            ),
            B("耳塞", "ear plugs", "box", (18, 45), 1, 1, MAT, ("泡棉|foam", "硅胶|silicone")),
            B("防护服", "coveralls", "pcs", (12, 58), 10, 1, SIZE, ("L", "XL", "XXL")),
        ),
    ),
    CategorySpec(
        "ELC",
        "电工电料",
        "Electrical",
        (
            B(
                "电线",
                "electrical wire",
                "roll",
                (120, 520),
                1,
                1,
                SIZE,
                ("BV 1.5mm²", "BV 2.5mm²", "BV 4mm²", "BV 6mm²"),
                WIRE,
            ),
            B(
                "开关插座",
                "wall socket",
                "pcs",
                (6, 35),
                10,
                1,
                TYPE,
                ("一开|1-gang switch", "二开|2-gang switch", "五孔|5-hole", "16A"),
            ),
            B(
                "排插",
                "power strip",
                "pcs",
                (25, 89),
                5,
                1,
                TYPE,
                ("3位1.8m|3-way 1.8m", "5位3m|5-way 3m", "8位5m|8-way 5m"),
            ),
            B(
                "LED灯管",
                "LED tube",
                "pcs",
                (9, 35),
                10,
                1,
                TYPE,
                ("T8 0.6m 9W", "T5 1.2m 16W", "T8 1.2m 18W"),
            ),
            B(
                "断路器",
                "circuit breaker",
                "pcs",
                (12, 95),
                6,
                1,
                TYPE,
                ("1P 16A", "1P 32A", "2P 32A", "3P 63A"),
            ),
            B(
                "绝缘胶布",
                "insulating tape",
                "roll",
                (2, 6),
                10,
                1,
                SIZE,
                ("18mm x 10m", "18mm x 20m"),
                ("黑色|black", "红色|red", "蓝色|blue"),
            ),
            B(
                "尼龙扎带",
                "cable ties",
                "pack",
                (5, 28),
                10,
                1,
                SIZE,
                ("3x100mm", "4x200mm", "5x300mm"),
                BASIC,
            ),
        ),
    ),
    CategorySpec(
        "KIT",
        "厨房用品",
        "Kitchenware",
        (
            B("一次性纸杯", "paper cups", "box", (45, 98), 1, 1, CAP, ("7oz", "9oz", "12oz")),
            B(
                "不锈钢餐盘",
                "steel food tray",
                "pcs",
                (18, 39),
                10,
                1,
                TYPE,
                ("四格|4-compartment", "五格|5-compartment", "六格|6-compartment"),
            ),
            B(
                "保鲜膜",
                "cling film",
                "roll",
                (12, 68),
                6,
                1,
                SIZE,
                ("30cm x 100m", "30cm x 300m", "45cm x 500m"),
            ),
            B(
                "砧板",
                "cutting board",
                "pcs",
                (25, 89),
                2,
                1,
                SIZE,
                ("小号|small", "中号|medium", "大号|large"),
                ("白色|white", "绿色|green"),
            ),
            B("厨师刀", "chef knife", "pcs", (39, 129), 2, 1, SIZE, ("7寸|7 in", "8寸|8 in")),
            B("电热水壶", "electric kettle", "pcs", (59, 159), 2, 1, CAP, ("1.5L", "1.8L", "2.0L")),
            B(
                "一次性餐盒",
                "takeaway boxes",
                "box",
                (38, 96),
                1,
                1,
                CAP,
                ("500ml", "750ml", "1000ml"),
                ("白色|white", "黑色|black"),
            ),
            B("洗洁精", "dish soap", "pcs", (9, 49), 6, 1, CAP, ("1.1kg", "1.5kg", "5kg")),
        ),
    ),
)

BRANDS = (
    ("华诚", "Huacheng"),
    ("永信", "Yongxin"),
    ("鑫达", "Xinda"),
    ("东研", "Dongyan"),
    ("恒力", "Hengli"),
    ("佳美", "Jiamei"),
    ("博优", "Boyou"),
    ("德盛", "Desheng"),
)

# (code, name, province, city); a customer is served by the warehouse of its province.
WAREHOUSES = (
    ("SH", "上海仓 Shanghai", "上海市", "上海市"),
    ("GZ", "广州仓 Guangzhou", "广东省", "广州市"),
    ("CD", "成都仓 Chengdu", "四川省", "成都市"),
)
BIN_LAYOUT = (("A", 4, 4), ("B", 4, 4), ("C", 2, 4))  # zone, aisles, levels: 40 bins


@dataclass(frozen=True)
class City:
    name: str
    postcode: str
    districts: tuple[str, ...]


@dataclass(frozen=True)
class Province:
    name: str
    warehouse: str
    weight: int  # how many customers come from there, relatively
    cities: tuple[City, ...]


def _p(name: str, warehouse: str, weight: int, *cities: tuple[str, str, str]) -> Province:
    return Province(
        name, warehouse, weight, tuple(City(c, pc, tuple(d.split())) for c, pc, d in cities)
    )


PROVINCES: tuple[Province, ...] = (
    _p("上海市", "SH", 10, ("上海市", "200000", "浦东新区 闵行区 徐汇区 嘉定区 松江区")),
    _p("北京市", "SH", 7, ("北京市", "100000", "朝阳区 海淀区 丰台区 大兴区")),
    _p("天津市", "SH", 3, ("天津市", "300000", "滨海新区 南开区 西青区")),
    _p("重庆市", "CD", 4, ("重庆市", "400000", "渝北区 九龙坡区 江北区 沙坪坝区")),
    _p(
        "江苏省",
        "SH",
        10,
        ("南京市", "210000", "江宁区 鼓楼区 建邺区"),
        ("苏州市", "215000", "吴中区 相城区 虎丘区 姑苏区"),
        ("无锡市", "214000", "新吴区 滨湖区 梁溪区"),
    ),
    _p(
        "浙江省",
        "SH",
        10,
        ("杭州市", "310000", "西湖区 余杭区 萧山区 滨江区"),
        ("宁波市", "315000", "鄞州区 北仑区 海曙区"),
        ("温州市", "325000", "鹿城区 瓯海区 龙湾区"),
    ),
    _p(
        "安徽省",
        "SH",
        3,
        ("合肥市", "230000", "蜀山区 包河区 庐阳区"),
        ("芜湖市", "241000", "镜湖区 鸠江区"),
    ),
    _p(
        "山东省",
        "SH",
        6,
        ("济南市", "250000", "历下区 槐荫区 历城区"),
        ("青岛市", "266000", "黄岛区 市南区 城阳区"),
        ("烟台市", "264000", "芝罘区 莱山区"),
    ),
    _p(
        "河北省",
        "SH",
        2,
        ("石家庄市", "050000", "长安区 桥西区 裕华区"),
        ("保定市", "071000", "竞秀区 莲池区"),
    ),
    _p(
        "河南省",
        "SH",
        3,
        ("郑州市", "450000", "金水区 二七区 中原区"),
        ("洛阳市", "471000", "西工区 洛龙区"),
    ),
    _p(
        "湖北省",
        "SH",
        4,
        ("武汉市", "430000", "武昌区 江汉区 洪山区 东西湖区"),
        ("宜昌市", "443000", "西陵区 伍家岗区"),
        ("襄阳市", "441000", "樊城区 襄城区"),
    ),
    _p(
        "辽宁省",
        "SH",
        2,
        ("沈阳市", "110000", "和平区 浑南区 铁西区"),
        ("大连市", "116000", "甘井子区 中山区 沙河口区"),
    ),
    _p(
        "吉林省",
        "SH",
        1,
        ("长春市", "130000", "朝阳区 南关区"),
        ("吉林市", "132000", "船营区 丰满区"),
    ),
    _p(
        "黑龙江省",
        "SH",
        1,
        ("哈尔滨市", "150000", "南岗区 道里区 香坊区"),
        ("大庆市", "163000", "萨尔图区 让胡路区"),
    ),
    _p(
        "山西省",
        "SH",
        1,
        ("太原市", "030000", "小店区 迎泽区 杏花岭区"),
        ("大同市", "037000", "平城区 云冈区"),
    ),
    _p(
        "广东省",
        "GZ",
        12,
        ("广州市", "510000", "天河区 白云区 番禺区 黄埔区"),
        ("深圳市", "518000", "南山区 宝安区 龙岗区 福田区"),
        ("东莞市", "523000", "南城街道 长安镇 虎门镇"),
        ("佛山市", "528000", "南海区 顺德区 禅城区"),
    ),
    _p(
        "福建省",
        "GZ",
        4,
        ("福州市", "350000", "鼓楼区 仓山区 晋安区"),
        ("厦门市", "361000", "思明区 湖里区 集美区"),
        ("泉州市", "362000", "丰泽区 鲤城区 晋江市"),
    ),
    _p(
        "广西壮族自治区",
        "GZ",
        2,
        ("南宁市", "530000", "青秀区 西乡塘区 良庆区"),
        ("柳州市", "545000", "城中区 柳南区"),
    ),
    _p(
        "海南省",
        "GZ",
        1,
        ("海口市", "570000", "龙华区 美兰区"),
        ("三亚市", "572000", "吉阳区 天涯区"),
    ),
    _p(
        "湖南省",
        "GZ",
        3,
        ("长沙市", "410000", "岳麓区 雨花区 芙蓉区"),
        ("株洲市", "412000", "天元区 芦淞区"),
    ),
    _p(
        "江西省",
        "GZ",
        2,
        ("南昌市", "330000", "红谷滩区 青山湖区 东湖区"),
        ("赣州市", "341000", "章贡区 南康区"),
    ),
    _p(
        "四川省",
        "CD",
        5,
        ("成都市", "610000", "武侯区 锦江区 成华区 双流区 郫都区"),
        ("绵阳市", "621000", "涪城区 游仙区"),
        ("德阳市", "618000", "旌阳区 罗江区"),
    ),
    _p(
        "贵州省",
        "CD",
        1,
        ("贵阳市", "550000", "观山湖区 南明区 云岩区"),
        ("遵义市", "563000", "红花岗区 汇川区"),
    ),
    _p(
        "云南省",
        "CD",
        2,
        ("昆明市", "650000", "五华区 盘龙区 官渡区"),
        ("曲靖市", "655000", "麒麟区 沾益区"),
    ),
    _p(
        "陕西省",
        "CD",
        3,
        ("西安市", "710000", "雁塔区 未央区 碑林区"),
        ("宝鸡市", "721000", "渭滨区 金台区"),
    ),
    _p(
        "甘肃省",
        "CD",
        1,
        ("兰州市", "730000", "城关区 七里河区 安宁区"),
        ("天水市", "741000", "秦州区 麦积区"),
    ),
)

COMPANY_CORES = tuple(
    "华东 鑫源 恒通 宏远 永兴 金鼎 顺达 德信 天诚 海纳 中联 华信 瑞丰 新科 "
    "博远 盛世 佳和 利达 东方 正源 嘉禾 富通 华泰 同创 安捷 长兴 大成 汇通 "
    "锦程 明阳 荣昌 晨曦 启航 诚信 万隆 宇恒 泰和 九洲".split()
)
INDUSTRIES = tuple(
    "贸易 商贸 实业 科技 五金 机电 电子 物流 建材 工贸 包装 供应链管理 "
    "办公设备 劳保用品 酒店管理 物业管理".split()
)
SURNAMES = tuple("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁")
GIVEN_NAMES = tuple(
    "伟 芳 娜 秀英 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀兰 霞 平 刚 桂英 "
    "建华 志强 海燕 晓东 丽华 文博 思远 雨轩 子涵 浩然 佳怡 欣怡 俊杰 宇航".split()
)
CONTACT_TITLES = (
    ("采购经理", "purchase"),
    ("采购专员", "buyer"),
    ("总经理", "gm"),
    ("财务主管", "finance"),
    ("仓库主管", "warehouse"),
    ("行政主管", "admin"),
)
STREETS = tuple(
    "人民路 中山路 解放路 建设路 科技路 工业大道 长江路 黄河路 新华路 东风路 "
    "和平路 文化路 创业路 高新大道 迎宾大道 滨江路 金桥路 振兴路".split()
)
BUILDINGS = ("", "", "", "{n}栋{r}室", "{n}号楼{r}", "A座{r}", "工业园{n}号厂房")
MOBILE_PREFIXES = tuple("133 135 136 137 138 139 150 151 152 158 159 177 180 186 188 189".split())
ADDRESS_LABELS = ("公司", "仓库", "门店", "工厂")

SPRING_FESTIVALS = tuple(
    date.fromisoformat(d)
    for d in (
        "2022-02-01",
        "2023-01-22",
        "2024-02-10",
        "2025-01-29",
        "2026-02-17",
        "2027-02-06",
        "2028-01-26",
        "2029-02-13",
        "2030-02-03",
    )
)

CARRIERS = ("SF", "ZTO", "YTO", "JD", "DBL")  # 顺丰, 中通, 圆通, 京东, 德邦
ORDER_NOTES = (
    "请工作日送货",
    "送货前请电话联系",
    "发票随货",
    "请开增值税专用发票",
    "加急",
    "分批发货可以",
)
REJECT_REASONS = ("信用额度不足", "价格需复核", "客户信息不完整")
CANCEL_REASONS = ("客户取消", "重复下单", "交期无法满足", "价格调整后重新下单")
HOLD_REASONS = ("等待客户付款", "信用审核中", "客户要求暂缓发货")
