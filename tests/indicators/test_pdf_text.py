"""The indicator PDF embeds its CJK font, has a glyph for every character it prints, and its text
extracts back to what was meant (no missing-glyph boxes, no viewer-supplied font)."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.utils import timezone
from pypdf import PdfReader

from yutong.core import pdf
from yutong.indicators import engine, reports
from yutong.indicators.periods import Period

pytestmark = [
    pytest.mark.django_db,
    # like the browser tests without chromium: a developer's machine may lack the Debian font;
    # .ci/run installs it, so CI always runs these
    pytest.mark.skipif(not pdf.embedded(), reason="fonts-wqy-zenhei is not installed"),
]


@pytest.fixture
def report(year_2025, city, unkept):
    today = timezone.localdate()
    return reports.pdf_report(city, Period(2025, quarter=2), basis=engine.RECORDED, today=today)


def _strings(report) -> list[str]:
    texts = [report.title, *report.subtitle, *(c for row in report.summary for c in row)]
    for section in report.sections:
        texts += [section.indicator.name, *section.notes, *(c for r in section.rows for c in r)]
    return [str(text) for text in texts]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_character_printed_has_a_glyph(report):
    missing = sorted({c for text in _strings(report) for c in text if not pdf.covers(c)})
    assert missing == []
    assert pdf.covers("渝你同行 和谐劳动关系服务平台 · 第 1 页（）：%")


def test_the_text_extracts_back(report):
    reader = PdfReader(BytesIO(reports.render_pdf(report)))
    text = _flat("".join(page.extract_text() for page in reader.pages))
    assert _flat("重庆市 · 2025年第二季度 · 按当时单位") in text
    assert _flat(report.title) in text
    for section in report.sections:
        assert _flat(section.indicator.name) in text
    assert _flat("渝你同行 和谐劳动关系服务平台 · 第 1 页") in text


def test_every_font_is_embedded(report):
    reader = PdfReader(BytesIO(reports.render_pdf(report)))
    fonts = {}
    for page in reader.pages:
        for name, ref in page["/Resources"]["/Font"].items():
            fonts[name] = ref.get_object()
    assert fonts
    for font in fonts.values():
        descendant = (
            font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        )
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, font["/BaseFont"]
