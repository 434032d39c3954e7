"""The font of every PDF we make: a TrueType font with Chinese glyphs, embedded (subset) so the
document reads the same on any machine and printer. Without one, Adobe's STSong-Light, which PDF
readers supply (not embedded), keeps the documents working."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from oms_app.core.config import get_settings

log = logging.getLogger(__name__)

EMBEDDED = "OMS-CJK"
FALLBACK = "STSong-Light"
# Debian's packages: fonts-wqy-microhei (installed by `make test`), fonts-wqy-zenhei, Noto CJK.
SYSTEM_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)


@lru_cache
def cjk_font() -> str:
    # reportlab loads with the first PDF, not with every web worker.
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    """Register the Chinese font once; its name for reportlab."""
    configured = get_settings().pdf_font_path
    for candidate in ([configured] if configured else []) + list(SYSTEM_FONTS):
        if not Path(candidate).is_file():
            continue
        try:
            pdfmetrics.registerFont(TTFont(EMBEDDED, candidate, subfontIndex=0))
            return EMBEDDED
        except TTFError as err:  # not a TrueType outline font (e.g. CFF-based OTF)
            log.warning("cannot embed %s: %s", candidate, err)
    log.warning("no Chinese TrueType font found: PDFs use %s, not embedded", FALLBACK)
    if FALLBACK not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK))
    return FALLBACK
