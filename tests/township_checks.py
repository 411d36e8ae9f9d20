"""One check for every app's township-scope tests: a township account reads the records of its
township through the list page, the detail page, the API and the export, and nothing else
(the detail of any other record is a 404, never a 403)."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook


def export_text(response) -> str:
    assert response.status_code == 200, response.content[:300]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(BytesIO(content)).active
    return "\n".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)


def assert_reads_only(
    page,
    api,
    *,
    inside: dict[str, str],
    outside: dict[str, str],
    list_url: str,
    api_url: str,
    export_url: str | None = None,
    detail_url=None,
    api_detail_url=None,
) -> None:
    """``inside`` / ``outside``: label shown in lists → the record's key for the URL builders."""
    listing = page.get(list_url)
    assert listing.status_code == 200
    text = listing.content.decode()
    for label in inside:
        assert label in text, f"{label} missing from {list_url}"
    for label in outside:
        assert label not in text, f"{label} leaked into {list_url}"
    answer = api.get(api_url)
    assert answer.status_code == 200, answer.content[:300]
    body = answer.content.decode()
    assert answer.json()["count"] == len(inside), body[:500]
    for label in inside:
        assert label in body
    for label in outside:
        assert label not in body
    if export_url:
        exported = export_text(page.get(export_url))
        for label in inside:
            assert label in exported
        for label in outside:
            assert label not in exported
    for key in inside.values():
        if detail_url:
            assert page.get(detail_url(key)).status_code == 200
        if api_detail_url:
            assert api.get(api_detail_url(key)).status_code == 200
    for key in outside.values():
        if detail_url:
            assert page.get(detail_url(key)).status_code == 404
        if api_detail_url:
            assert api.get(api_detail_url(key)).status_code == 404
