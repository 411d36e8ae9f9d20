"""The dispute documents' PDFs embed the project's CJK font (core.pdf), as the indicator PDF does:
the text extracts back — party names (with "·"), the case number — and no font is left to the
reader's viewer."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from tests.disputes.conftest import worker
from yutong.core import pdf
from yutong.disputes import documents, services

pytestmark = [
    pytest.mark.django_db,
    # .ci/run installs fonts-wqy-zenhei; a developer's machine without it prints STSong-Light
    pytest.mark.skipif(not pdf.embedded(), reason="fonts-wqy-zenhei is not installed"),
]

WORKER = "阿卜杜·热合曼"
EMPLOYER = "重庆某某餐饮管理有限公司"


@pytest.fixture
def accepted(district_staff, arbitrator_user, commission, yuzhong):
    dispute = services.register_dispute(
        district_staff,
        unit=yuzhong,
        channel="staff",
        facts="公司拖欠 2026 年 9 月至 10 月工资。",
        employer_name=EMPLOYER,
        workers=[worker(1, name=WORKER, is_representative=True)],
        claims=[
            {"claim_type": "wages", "amount": "12000"},
            {"claim_type": "economic_compensation", "amount": "30000"},
            {"claim_type": "working_time", "amount": None},
        ],
    )
    case = services.receive_arbitration(
        arbitrator_user, dispute, commission=commission, received_on=date(2026, 9, 25)
    )
    return services.accept(
        arbitrator_user, case, accepted_on=date(2026, 9, 28), procedure="ordinary"
    )


@pytest.fixture
def awarded(arbitrator_user, accepted, arbitrators, wage_parameters):
    case = services.form_tribunal(arbitrator_user, accepted, arbitrators=arbitrators)
    claims = {c.claim_type_id: c for c in case.dispute.claims.all()}
    return services.close(
        arbitrator_user,
        case,
        closure="award",
        closed_on=date(2026, 11, 10),
        items=[
            {"claim": claims["wages"], "amount": "12000"},
            {"claim": claims["economic_compensation"], "amount": "27960.01"},
            {"claim": claims["working_time"], "amount": "0"},
        ],
    )


@pytest.fixture
def agreed(mediator, accepted, body, mediator_person):
    case = services.open_mediation(
        mediator,
        accepted.dispute,
        body=body,
        received_on=date(2026, 9, 1),
        mediator=mediator_person,
    )
    return services.close_mediation(
        mediator,
        case,
        closure="agreement",
        closed_on=date(2026, 9, 10),
        agreement_text="被申请人支付申请人工资 10000 元。",
        agreed_amount=10000,
    )


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _text(content: bytes) -> str:
    reader = PdfReader(BytesIO(content))
    return _flat("".join(page.extract_text() for page in reader.pages))


def _fonts(content: bytes) -> dict:
    fonts = {}
    for page in PdfReader(BytesIO(content)).pages:
        for name, ref in page["/Resources"]["/Font"].items():
            fonts[name] = ref.get_object()
    return fonts


def _documents(accepted, awarded, agreed) -> list[documents.Document]:
    return [
        documents.arbitration_document(accepted, "acceptance"),
        documents.arbitration_document(awarded, "award"),
        documents.mediation_document(agreed, "agreement"),
    ]


def test_the_text_extracts_back(accepted, awarded, agreed):
    for document in _documents(accepted, awarded, agreed):
        text = _text(documents.render_pdf(document))
        assert _flat(document.title) in text
        assert WORKER in text, document.title  # "·" has its glyph
        assert EMPLOYER in text
        assert _flat(document.number) in text
        assert "第1页" in text
    award = _text(documents.render_pdf(documents.arbitration_document(awarded, "award")))
    assert "渝中劳人仲案字〔2026〕第1号" in award
    assert "27,960.01" in award


def test_every_character_printed_has_a_glyph(accepted, awarded, agreed):
    for document in _documents(accepted, awarded, agreed):
        strings = [document.issuer, document.title, document.number, document.seal]
        strings += [f"{label}：{text}" for label, text in document.parties]
        for section in document.sections:
            strings += [section.heading, *section.paragraphs, *section.items, *section.after]
            if section.table:
                strings += section.table.headers + [c for row in section.table.rows for c in row]
        missing = sorted({c for text in strings for c in text if not pdf.covers(c)})
        assert missing == [], document.title


def test_every_font_is_embedded(accepted, awarded, agreed):
    for document in _documents(accepted, awarded, agreed):
        content = documents.render_pdf(document)
        assert b"STSong-Light" not in content
        fonts = _fonts(content)
        assert fonts
        for font in fonts.values():
            descendant = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = descendant["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, font["/BaseFont"]


def test_the_pdf_view_serves_the_embedded_font(login_client, arbitrator_user, awarded):
    response = login_client(arbitrator_user).get(
        f"/disputes/arbitration/{awarded.pk}/documents/award/", {"format": "pdf"}
    )
    assert response.status_code == 200
    assert WORKER in _text(response.content)
    assert b"STSong-Light" not in response.content
