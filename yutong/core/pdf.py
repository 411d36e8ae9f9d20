"""The one font every printed PDF uses: a CJK TrueType font embedded (subset) in the file.

reportlab's built-in CID fonts (STSong-Light) are not embedded — the reader's viewer must supply
them — and lack glyphs such as "·". Noto CJK is CFF-outlined, which reportlab cannot embed, so the
project installs Debian's fonts-wqy-zenhei (TrueType outlines; GB 18030 coverage).
``YUTONG_PDF_FONT`` points elsewhere on a machine that keeps it in another place.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from django.conf import settings
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

FONT_NAME = "YutongCJK"
FALLBACK_NAME = "STSong-Light"
logger = logging.getLogger(__name__)


@cache
def cjk_font() -> str:
    """Register the embedded CJK font once; the name for styles and canvas.setFont.

    Without the font file (a developer's machine that never installed it) the PDFs still print,
    with reportlab's built-in STSong-Light, which is not embedded; production and CI install
    the font (docs/operations.md, .ci/run), and the warning says what is missing."""
    path = Path(settings.PDF_FONT_PATH)
    if not path.is_file():
        logger.warning(
            "PDF font %s not found: PDFs use STSong-Light, not embedded. "
            "Install Debian's fonts-wqy-zenhei or set YUTONG_PDF_FONT.",
            path,
        )
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_NAME))
        return FALLBACK_NAME
    index = {"subfontIndex": 0} if path.suffix.lower() == ".ttc" else {}
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), **index))
    return FONT_NAME


def embedded() -> bool:
    """Whether printed PDFs embed the project's font (the font file is installed)."""
    return cjk_font() == FONT_NAME


def covers(text: str) -> bool:
    """Whether the font has a glyph for every printable character of ``text``."""
    face = pdfmetrics.getFont(cjk_font()).face
    return all(ord(char) in face.charToGlyph for char in text if not char.isspace())
