"""Issue 12: pages write each kind of value one way (``{% load display %}``). The checks a page
test runs on what it rendered: no ISO date-times, no "None", dates as 2026-01-05 on screens and
2026年1月5日 on printed documents, case numbers through ``case_no``."""

from __future__ import annotations

import re

ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
SHORT_DATE = re.compile(r"(?<![\d-])\d{4}-(\d{1,2})-(\d{1,2})(?![\d-])")
SLASH_DATE = re.compile(r"\b\d{4}/\d{1,2}/\d{1,2}\b")
CN_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
ENGLISH_MONTH = re.compile(
    r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, \d{4}"
)
NONE = re.compile(r"\bNone\b")


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def assert_written_one_way(html: str, *, printed: bool = False) -> str:
    """The page's visible text, after checking its dates and that nothing reads "None"."""
    text = visible_text(html)
    assert not ISO_TIME.search(html), ISO_TIME.search(html).group()
    assert not NONE.search(text), text[max(0, NONE.search(text).start() - 80) :][:160]
    assert not SLASH_DATE.search(text), SLASH_DATE.search(text).group()
    assert not ENGLISH_MONTH.search(text), ENGLISH_MONTH.search(text).group()
    for match in SHORT_DATE.finditer(text):
        month, day = match.groups()
        assert len(month) == 2 and len(day) == 2, match.group()
    if printed:
        for match in CN_DATE.finditer(text):
            assert " " not in match.group(), match.group()  # 2026年1月5日, as the awards
    else:
        assert not CN_DATE.search(text), CN_DATE.search(text).group()
    return text
