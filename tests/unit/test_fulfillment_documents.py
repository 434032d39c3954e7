"""The warehouse PDFs: read back with pypdf, as a scanner or a person would see the pages."""

from __future__ import annotations

import io
from decimal import Decimal

import pypdf
import pytest

from oms_app.fulfillment.documents import (
    Carrier,
    Contact,
    LabelParcel,
    PackedParcel,
    PackingLine,
    PackingSlipData,
    PickLine,
    PickListData,
    ShippingLabelData,
    packing_slip_pdf,
    pick_list_pdf,
    shipping_label_pdf,
)

WAREHOUSE = Contact(
    name="上海一号仓 WH1",
    phone="021-55556666",
    province="上海市",
    city="上海市",
    district="嘉定区",
    street="墨玉路 1 号",
)
RECEIVER = Contact(
    name="李四",
    phone="13812345678",
    province="广东省",
    city="深圳市",
    district="南山区",
    street="深南大道 9988 号",
    postal_code="518057",
)


def _pages(pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [page.extract_text() for page in reader.pages]


def _pick_line(seq: int, bin_code: str, *, name: str = "USB-C cable") -> PickLine:
    return PickLine(
        seq=seq,
        bin_code=bin_code,
        sku=f"SKU-{seq:05d}",
        product_barcode="6901234567892" if seq % 2 else "CUSTOM-77",
        product_name=name,
        quantity=Decimal("2"),
        unit="pcs",
        order_number=f"SO-2026-{seq:06d}",
    )


def _pick_list(lines: tuple[PickLine, ...]) -> PickListData:
    return PickListData(
        wave_number="WV-2026-000012",
        warehouse_code="WH1",
        warehouse_name="上海一号仓",
        picker_name="张三",
        carrier="SF Express",
        cutoff_at="2026-03-05 16:00",
        printed_at="2026-03-05 09:12",
        lines=lines,
    )


def _label(**overrides: object) -> ShippingLabelData:
    fields: dict[str, object] = {
        "order_number": "SO-2026-000123",
        "shipment_number": "SH-2026-000045",
        "sender": WAREHOUSE,
        "receiver": RECEIVER,
        "parcels": (
            LabelParcel(Decimal("1.20"), "SF1234567890123"),
            LabelParcel(Decimal("0.85"), "SF1234567890124"),
            LabelParcel(Decimal("3.00"), "SF1234567890125"),
        ),
        "carrier": Carrier(name_zh="顺丰速运", name_en="SF Express", service="Standard"),
    }
    return ShippingLabelData(**{**fields, **overrides})


def test_pick_list_lists_every_line_in_the_given_bin_order():
    # given a walking path that is deliberately not alphabetical
    bins = ["C-03-02", "A-01-07", "B-02-01", "A-01-02", "D-04-09"]
    lines = tuple(_pick_line(seq, code) for seq, code in enumerate(bins, start=1))
    # when
    text = "".join(_pages(pick_list_pdf(_pick_list(lines), locale="en")))
    # then every bin is printed, in the caller's order, not re-sorted
    positions = [text.find(code) for code in bins]
    assert -1 not in positions
    assert positions == sorted(positions)
    assert all(line.order_number in text for line in lines)


def test_a_long_pick_list_flows_over_several_pages_with_page_numbers():
    # given
    lines = tuple(_pick_line(seq, f"A-{seq // 50:02d}-{seq % 50:02d}") for seq in range(1, 221))
    # when
    pages = _pages(pick_list_pdf(_pick_list(lines), locale="en"))
    # then
    total = len(pages)
    assert total > 2
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text
        assert "Bin" in text and "Qty" in text  # the table heading repeats on every page
    assert lines[-1].bin_code in pages[-1]
    assert lines[0].bin_code not in pages[-1]


def test_chinese_product_names_survive_in_the_pdf():
    # given
    lines = (_pick_line(1, "A-01-01", name="无线鼠标 黑色"),)
    # when
    text = "".join(_pages(pick_list_pdf(_pick_list(lines), locale="zh_CN")))
    # then the text extracts as Chinese, headings included
    assert "无线鼠标 黑色" in text
    assert "上海一号仓" in text
    assert "拣货单" in text and "库位" in text and "数量" in text
    assert "第 1 页，共 1 页" in text


def test_the_chinese_font_travels_inside_the_pdf():
    # given a machine with a Chinese TrueType font (`make test` installs WenQuanYi Micro Hei)
    pdf = pick_list_pdf(_pick_list((_pick_line(1, "A-01-01", name="无线鼠标"),)), locale="zh_CN")
    # when the fonts of the page are read back
    fonts = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
    descriptors = [f.get_object().get("/FontDescriptor") for f in fonts.values() if f.get_object()]
    # then one of them carries its glyphs (a subset) rather than naming a reader's font
    assert any(d is not None and "/FontFile2" in d.get_object() for d in descriptors)


def test_shipping_label_is_one_100x150mm_page_per_parcel():
    # given three parcels
    data = _label()
    # when
    reader = pypdf.PdfReader(io.BytesIO(shipping_label_pdf(data)))
    # then
    assert len(reader.pages) == 3
    for number, (page, parcel) in enumerate(zip(reader.pages, data.parcels, strict=True), start=1):
        assert float(page.mediabox.width) == pytest.approx(283.46, abs=0.05)
        assert float(page.mediabox.height) == pytest.approx(425.2, abs=0.05)
        text = page.extract_text()
        assert f"{number}/3" in text
        assert parcel.tracking_number in text
        assert "顺丰速运" in text and "SF Express" in text
        assert "广东省" in text and RECEIVER.phone not in text


def test_pickup_label_carries_the_pickup_code():
    # given
    data = _label(
        delivery_method="pickup",
        carrier=None,
        pickup_code="8-4821",
        parcels=(LabelParcel(Decimal("1.20")),),
    )
    # when
    text = _pages(shipping_label_pdf(data))[0]
    # then
    assert "8-4821" in text
    assert "自提" in text and "Self pickup" in text
    assert "SF Express" not in text
    with pytest.raises(ValueError):
        _label(delivery_method="pickup", carrier=None, parcels=(LabelParcel(Decimal("1")),))


def test_packing_slip_masks_the_phone_number():
    # given
    data = PackingSlipData(
        order_number="SO-2026-000123",
        shipment_number="SH-2026-000045",
        ship_to=RECEIVER,
        lines=(PackingLine("SKU-00001", "无线鼠标", Decimal("2.000"), "件"),),
        parcels=(PackedParcel("SH-2026-000045-1", Decimal("1.2"), "SF1234567890123"),),
        notes="易碎品，请轻放",
    )
    # when
    text = "".join(_pages(packing_slip_pdf(data, locale="zh_CN")))
    # then
    assert "138****5678" in text
    assert "13812345678" not in text
    assert "李四" in text and "深南大道 9988 号" in text
    assert "2 件" in text and "1.20 kg" in text and "易碎品，请轻放" in text


def test_the_packing_screen_offers_a_document_only_once_it_can_be_printed():
    from oms_app.fulfillment.document_queries import label_ready, slip_ready

    assert not slip_ready("picked") and slip_ready("packing") and slip_ready("shipped")
    express = {"delivery_method": "express", "pickup_code": ""}
    assert not label_ready(status="packed", tracking_no="", **express)
    assert label_ready(status="shipped", tracking_no="ZTO123", **express)
    pickup = {"delivery_method": "pickup", "tracking_no": ""}
    assert label_ready(status="packed", pickup_code="4711", **pickup)
    assert not label_ready(status="packing", pickup_code="4711", **pickup)
