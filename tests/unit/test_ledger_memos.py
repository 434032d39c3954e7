"""Journal memos are stored in English and read in the reader's language."""

from __future__ import annotations

from decimal import Decimal

from oms_app.ledger import rules
from oms_app.ledger.facts import ShipmentFacts
from oms_app.ledger.memos import TEMPLATES, memo, shown_memo


def test_a_posted_shipment_memo_reads_in_chinese():
    draft = rules.shipment_entry(
        ShipmentFacts(
            shipment_number="SHP-2026-000042",
            order_id=1,
            order_number="SO-2026-000007",
            customer_id=1,
            shipped_at=None,
            revenue=Decimal("100.00"),
            vat=Decimal("13.00"),
        ),
        advance_balance=Decimal("0"),
    )
    assert draft.memo == "shipment SHP-2026-000042 of order SO-2026-000007"
    assert shown_memo(draft.memo, "zh_CN") == "订单 SO-2026-000007 发货 SHP-2026-000042"
    assert shown_memo(draft.memo, "en") == draft.memo


def test_every_rule_memo_has_a_chinese_reading_without_english_words():
    parts = {
        "shipment": "SHP-1", "order": "SO-1", "method": "alipay", "payment": "7", "refund": "3",
        "return_number": "RMA-1", "source": "GR-1", "reference": "EXP-1", "number": "JE-9",
        "reason": "录错了 wrong amount",
    }  # fmt: skip
    for kind in TEMPLATES:
        stored = memo(kind, **parts)
        shown = shown_memo(stored, "zh_CN")
        assert shown != stored, kind
        for word in ("shipment", "payment", "refund", "order", "reversal", "alipay"):
            assert word not in shown, (kind, shown)
    assert "支付宝" in shown_memo(memo("payment", **parts), "zh_CN")
    assert shown_memo(memo("reversal", **parts), "zh_CN") == "冲销 JE-9：录错了 wrong amount"


def test_a_memo_a_person_typed_is_shown_as_typed():
    assert shown_memo("办公室租金 12 月", "zh_CN") == "办公室租金 12 月"
