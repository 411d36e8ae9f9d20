"""The one font every printed PDF uses: a CJK TrueType font embedded (subset) in the file.

reportlab's built-in CID fonts (STSong-Light) are not embedded — the reader's viewer must supply
them — and lack glyphs such as "·". Noto CJK is CFF-outlined, which reportlab cannot embed, so the
project installs Debian's fonts-wqy-zenhei (TrueType outlines; GB 18030 coverage).
``YUTONG_PDF_FONT`` points elsewhere on a machine that keeps it in another place.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_NAME = "YutongCJK"


@cache
def cjk_font() -> str:
    """Register the embedded CJK font once; the name for styles and canvas.setFont."""
    path = Path(settings.PDF_FONT_PATH)
    if not path.is_file():
        raise ImproperlyConfigured(
            f"PDF font {path} not found: install Debian's fonts-wqy-zenhei or set YUTONG_PDF_FONT."
        )
    index = {"subfontIndex": 0} if path.suffix.lower() == ".ttc" else {}
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), **index))
    return FONT_NAME


def covers(text: str) -> bool:
    """Whether the font has a glyph for every printable character of ``text``."""
    face = pdfmetrics.getFont(cjk_font()).face
    return all(ord(char) in face.charToGlyph for char in text if not char.isspace())
