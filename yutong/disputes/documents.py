"""Printable documents of the cases: 受理通知书, 不予受理通知书, 开庭通知书, 裁决书 and 调解协议书.

A builder turns a case's records into a ``Document`` — issuer, title, number, parties,
sections (paragraphs, numbered items, a table), signature lines, date — and the HTML print
view and the PDF are two renderings of that one object, so they cannot disagree. Nothing on a
document is typed in: the facts come from the case, its dispute and its body or commission;
the legal notes quote 《劳动争议调解仲裁法》 (rules §1). Resident ID numbers are masked on
every document, including the one addressed to that party.

A document exists only for a case in the right state (no award before an award closure):
otherwise ``DocumentUnavailable`` carries the Chinese message the page shows with a 404.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as PdfTable

from yutong.core import pdf as pdf_font
from yutong.core.money import yuan
from yutong.core.personal import mask_resident_id
from yutong.core.templatetags import display

from .models import ArbitrationCase, Arbitrator, Dispute, MediationCase
from .services import COMPUTED_BY_LAW, finality_article

LAW = "《中华人民共和国劳动争议调解仲裁法》"

ARBITRATION_DOCUMENTS = {
    "acceptance": "受理通知书",
    "refusal": "不予受理通知书",
    "hearing": "开庭通知书",
    "award": "裁决书",
}
# The award's 依据 column: the law that gives each kind of claim (rules §8 and the statutes the
# claim-type names quote). Not the internal final-award test, whose trace quotes parameter
# sources; finality has its own column and the remedies section.
CLAIM_BASIS = {
    "wages": "《劳动合同法》第三十条",
    "overtime_pay": "《劳动法》第四十四条",
    "bonus": "《劳动合同法》第三十条",
    "leave_pay": "《职工带薪年休假条例》第五条",
    "economic_compensation": "《劳动合同法》第四十六条、第四十七条",
    "notice_pay": "《劳动合同法》第四十条",
    "non_compete_compensation": "《劳动合同法》第二十三条",
    "illegal_termination_damages": "《劳动合同法》第四十八条、第八十七条",
    "double_wages": "《劳动合同法》第八十二条",
    "probation_damages": "《劳动合同法》第八十三条",
    "additional_damages": "《劳动合同法》第八十五条",
    "work_injury_medical": "《工伤保险条例》第三十条",
    "working_time": "《劳动法》第四章",
    "social_insurance": "《社会保险法》",
}
MEDIATION_DOCUMENTS = {"agreement": "调解协议书"}
SUCCESSFUL_MEDIATION = (MediationCase.Closure.AGREEMENT, MediationCase.Closure.SETTLEMENT)
# Addressees named one by one up to this many; a larger collective dispute reads "甲、乙等 N 人".
NAMED_ADDRESSEES = 5


class DocumentUnavailable(Exception):
    """The case is not in a state that has this document; the message says why (Chinese)."""


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    widths: list[float]  # relative column widths
    numeric: tuple[int, ...] = ()  # columns aligned right


@dataclass
class Section:
    heading: str = ""
    paragraphs: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)  # a numbered list
    table: Table | None = None
    after: list[str] = field(default_factory=list)  # paragraphs after the list or table


@dataclass
class Document:
    kind: str
    title: str
    issuer: str
    number: str
    parties: list[tuple[str, str]]
    addressee: str
    sections: list[Section]
    signatures: list[tuple[str, str]]  # (label, name); an empty name leaves a line to sign
    seal: str
    issued_on: date | None

    @property
    def issued_on_text(self) -> str:
        return cn_date(self.issued_on) if self.issued_on else ""

    @property
    def filename(self) -> str:
        reference = self.number.replace("/", "-").replace("\\", "-") or "未编号"
        return f"{self.title}-{reference}.pdf"


# --- formatting ------------------------------------------------------------------------------


def cn_date(day: date | None) -> str:
    """The printed documents' date form, the one ``{% load display %}`` writes as ``cn_day``."""
    return display.cn_day(day)


def money(amount: Decimal | None) -> str:
    return yuan(amount)


def _sentence(text: str) -> str:
    return (text or "").strip().rstrip("。；;.")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _workers(dispute: Dispute) -> list:
    return list(dispute.workers.all())


def _addressee(workers: list) -> str:
    names = [w.name for w in workers]
    if len(names) > NAMED_ADDRESSEES:
        representatives = [w.name for w in workers if w.is_representative] or names
        return f"{'、'.join(representatives[:NAMED_ADDRESSEES])}等 {len(names)} 人："
    return "、".join(names) + "："


def _parties(dispute: Dispute, workers: list) -> list[tuple[str, str]]:
    rows = []
    for worker in workers:
        text = f"{worker.name}，公民身份号码 {mask_resident_id(worker.resident_id)}"
        if worker.is_representative and dispute.is_collective:
            text += "（代表人）"
        rows.append(("申请人", text))
    employer = dispute.employer_name
    if dispute.employer_uscc:
        employer += f"，统一社会信用代码 {dispute.employer_uscc}"
    rows.append(("被申请人", employer))
    return rows


def _claims(dispute: Dispute) -> list[str]:
    items = []
    for claim in dispute.claims.active().select_related("claim_type"):
        text = claim.claim_type.name
        if claim.amount is not None:
            text += f"：人民币 {money(claim.amount)} 元"
        if claim.description:
            text += f"（{claim.description}）"
        items.append(text)
    return items


def _you(workers: list) -> str:
    return "你们" if len(workers) > 1 else "你"


# --- arbitration -----------------------------------------------------------------------------


def arbitration_document(case: ArbitrationCase, kind: str) -> Document:
    builders = {
        "acceptance": _acceptance,
        "refusal": _refusal,
        "hearing": _hearing_notice,
        "award": _award,
    }
    if kind not in builders:
        raise DocumentUnavailable("没有这种文书。")
    return builders[kind](case)


def _arbitration_basics(case: ArbitrationCase) -> tuple[Dispute, list]:
    dispute = case.dispute
    return dispute, _workers(dispute)


def _acceptance(case: ArbitrationCase) -> Document:
    if case.accepted_on is None:
        raise DocumentUnavailable("本案尚未受理，不能出具受理通知书。")
    dispute, workers = _arbitration_basics(case)
    you = _you(workers)
    procedure = (
        ArbitrationCase.Procedure(case.procedure).label if case.procedure else "普通程序（合议）"
    )
    award_days = case.clock_length or 45
    notice = Section(
        paragraphs=[
            f"{you}与{dispute.employer_name}劳动人事争议一案，本委于{cn_date(case.received_on)}"
            f"收到{you}的仲裁申请。经审查，该申请符合受理条件，本委决定予以受理。"
            "现将有关事项通知如下："
        ],
        items=[
            f"本案案号为{case.number}，受理日期为{cn_date(case.accepted_on)}。",
            f"本案适用{procedure}审理。",
            "本委将自受理之日起五日内将仲裁申请书副本送达被申请人，并将仲裁庭的组成情况"
            f"书面通知当事人（{LAW}第三十条、第三十二条）。",
            f"仲裁庭应当自受理之日起{award_days}日内结束审理；案情复杂需要延期的，经仲裁委员会"
            f"主任批准，可以延期并书面通知当事人，但延长期限不得超过十五日（{LAW}第四十三条）。",
            f"当事人对自己提出的主张，有责任提供证据（{LAW}第六条）。",
        ],
    )
    if dispute.is_collective:
        notice.items.append(
            f"本案为集体劳动人事争议（{dispute.workers_count} 人），依法优先审理（{LAW}第七条）。"
        )
    return Document(
        kind="acceptance",
        title=ARBITRATION_DOCUMENTS["acceptance"],
        issuer=case.commission.name,
        number=case.number,
        parties=_parties(dispute, workers),
        addressee=_addressee(workers),
        sections=[notice, Section(heading="仲裁请求", items=_claims(dispute))],
        signatures=[],
        seal=case.commission.name,
        issued_on=case.accepted_on,
    )


def _refusal(case: ArbitrationCase) -> Document:
    if case.status != ArbitrationCase.Status.REFUSED:
        raise DocumentUnavailable("本案未作出不予受理决定，不能出具不予受理通知书。")
    dispute, workers = _arbitration_basics(case)
    you = _you(workers)
    body = Section(
        paragraphs=[
            f"{you}与{dispute.employer_name}劳动人事争议一案，本委于{cn_date(case.received_on)}"
            f"收到{you}的仲裁申请。经审查，该申请不符合受理条件，理由如下："
            f"{_sentence(case.refusal_reason)}。",
            f"根据{LAW}第二十九条的规定，本委决定不予受理。",
            f"对本委不予受理的决定不服的，申请人可以就该劳动争议事项向人民法院提起诉讼"
            f"（{LAW}第二十九条）。",
        ]
    )
    return Document(
        kind="refusal",
        title=ARBITRATION_DOCUMENTS["refusal"],
        issuer=case.commission.name,
        number=f"收件登记号 {case.pk}",
        parties=_parties(dispute, workers),
        addressee=_addressee(workers),
        sections=[body, Section(heading="仲裁请求", items=_claims(dispute))],
        signatures=[],
        seal=case.commission.name,
        issued_on=case.refused_on,
    )


def _hearing_notice(case: ArbitrationCase) -> Document:
    if case.hearing_at is None or case.hearing_notified_on is None:
        raise DocumentUnavailable("本案尚未确定开庭时间，不能出具开庭通知书。")
    dispute, workers = _arbitration_basics(case)
    moment = timezone.localtime(case.hearing_at)
    tribunal = _tribunal(case)
    notice = Section(
        paragraphs=[
            f"{_you(workers)}与{dispute.employer_name}劳动人事争议一案（案号{case.number}），"
            "本委定于下列时间开庭审理，请准时到庭："
        ],
        items=[
            f"开庭时间：{cn_date(moment.date())} {moment:%H:%M}。",
            f"仲裁庭组成人员：{'、'.join(tribunal) or '另行通知'}。",
            f"当事人有正当理由的，可以在开庭三日前请求延期开庭；是否延期，由本委决定"
            f"（{LAW}第三十五条）。",
            "申请人收到书面通知，无正当理由拒不到庭或者未经仲裁庭同意中途退庭的，可以视为"
            "撤回仲裁申请；被申请人收到书面通知，无正当理由拒不到庭或者未经仲裁庭同意中途"
            f"退庭的，可以缺席裁决（{LAW}第三十六条）。",
            f"当事人对自己提出的主张，有责任提供证据，请携带有关证据到庭（{LAW}第六条）。",
        ],
    )
    return Document(
        kind="hearing",
        title=ARBITRATION_DOCUMENTS["hearing"],
        issuer=case.commission.name,
        number=case.number,
        parties=_parties(dispute, workers),
        addressee=f"{_addressee(workers)}、{dispute.employer_name}",
        sections=[notice],
        signatures=[],
        seal=case.commission.name,
        issued_on=case.hearing_notified_on,
    )


def _award_basis(item) -> str:
    """The law of the claim and of the item's finality, as the printed award cites them: built
    from the claim type (``CLAIM_BASIS``) and its category with ``is_final``
    (``services.finality_article``), never from the stored ``final_basis`` text."""
    claim_type = item.claim.claim_type
    claim = CLAIM_BASIS.get(claim_type.code, "")
    finality = f"{LAW}{finality_article(claim_type.category, item.is_final)}"
    return "；".join(part for part in (claim, finality) if part)


def _computed_by(item) -> str:
    """The article that computes an item awarded above its claim (services.COMPUTED_BY_LAW)."""
    article = COMPUTED_BY_LAW.get(item.claim.claim_type_id)
    return f"（依照{article}计算）" if article else ""


def _tribunal(case: ArbitrationCase) -> list[str]:
    members = case.tribunal.filter(role=Arbitrator.Role.ARBITRATOR).order_by("id")
    return [member.name for member in members]


def _award(case: ArbitrationCase) -> Document:
    if case.closure != ArbitrationCase.Closure.AWARD:
        raise DocumentUnavailable("本案未以裁决方式结案，不能出具裁决书。")
    dispute, workers = _arbitration_basics(case)
    tribunal = _tribunal(case)
    if len(tribunal) == 1:
        heard_by = f"由仲裁员{tribunal[0]}独任审理"
    elif tribunal:
        heard_by = f"由仲裁员{'、'.join(tribunal)}组成仲裁庭审理"
    else:
        heard_by = "依法组成仲裁庭审理"
    hearing = ""
    if case.hearing_at:
        hearing = f"，于{cn_date(timezone.localtime(case.hearing_at).date())}开庭"
    procedure = f"适用{ArbitrationCase.Procedure(case.procedure).label}，" if case.procedure else ""
    intro = Section(
        paragraphs=[
            f"申请人与被申请人劳动人事争议一案，本委于{cn_date(case.accepted_on)}受理后，"
            f"{procedure}{heard_by}{hearing}。本案现已审理终结。"
        ]
    )
    sections = [
        intro,
        Section(heading="申请人的仲裁请求", items=_claims(dispute)),
        Section(heading="事实与理由", paragraphs=[f"申请人称：{p}" for p in _lines(dispute.facts)]),
    ]
    if case.summary.strip():
        sections.append(Section(heading="裁决要旨", paragraphs=_lines(case.summary)))

    items = list(case.award_items.select_related("claim__claim_type").order_by("id"))
    rows = [
        [
            str(number),
            item.claim.claim_type.name,
            money(item.claim.amount),
            money(item.amount),
            "终局裁决" if item.is_final else "非终局裁决",
            _award_basis(item),
        ]
        for number, item in enumerate(items, start=1)
    ]
    total = sum((item.amount for item in items), Decimal("0"))
    result = Section(
        heading="裁决结果",
        paragraphs=["本委裁决如下："],
        table=Table(
            headers=["序号", "请求事项", "请求金额（元）", "裁决金额（元）", "性质", "依据"],
            rows=rows,
            widths=[0.8, 2.4, 1.5, 1.5, 1.3, 3.5],
            numeric=(2, 3),
        ),
        after=[f"以上裁决金额合计人民币 {money(total)} 元。"],
    )
    for number, item in enumerate(items, start=1):
        if item.over_claim_reason:
            result.after.append(
                f"第 {number} 项裁决金额超过请求金额的理由：{_sentence(item.over_claim_reason)}"
                f"{_computed_by(item)}。"
            )
    if case.closure_note.strip():
        result.after.append(f"说明：{_sentence(case.closure_note)}。")
    sections.append(result)
    sections.append(Section(heading="救济途径", paragraphs=appeal_paths(items)))

    signatures = [("仲裁员", name) for name in tribunal] or [("仲裁员", "")]
    signatures.append(("书记员", ""))
    return Document(
        kind="award",
        title=ARBITRATION_DOCUMENTS["award"],
        issuer=case.commission.name,
        number=case.number,
        parties=_parties(dispute, workers),
        addressee="",
        sections=sections,
        signatures=signatures,
        seal=case.commission.name,
        issued_on=case.closed_on,
    )


def _numbers(numbers: list[int]) -> str:
    return "、".join(str(n) for n in numbers)


def appeal_paths(items: list) -> list[str]:
    """The remedies of rules §1.4, per kind of item: final (Art.47-49) and non-final (Art.50)."""
    final = [n for n, item in enumerate(items, start=1) if item.is_final]
    non_final = [n for n, item in enumerate(items, start=1) if not item.is_final]
    paragraphs = []
    if final:
        which = "本裁决" if not non_final else f"本裁决第 {_numbers(final)} 项"
        paragraphs.append(
            f"{which}为终局裁决，自作出之日起发生法律效力（{LAW}第四十七条）。"
            "劳动者对终局裁决不服的，可以自收到裁决书之日起十五日内向人民法院提起诉讼"
            f"（第四十八条）；用人单位有证据证明终局裁决有{LAW}第四十九条第一款规定情形之一的，"
            "可以自收到裁决书之日起三十日内向劳动人事争议仲裁委员会所在地的中级人民法院"
            "申请撤销裁决（第四十九条）。"
        )
    if non_final:
        which = "本裁决" if not final else f"本裁决第 {_numbers(non_final)} 项"
        paragraphs.append(
            f"{which}为非终局裁决。当事人对非终局裁决不服的，可以自收到裁决书之日起十五日内"
            f"向人民法院提起诉讼；期满不起诉的，裁决书发生法律效力（{LAW}第五十条）。"
        )
    paragraphs.append(
        "当事人对发生法律效力的裁决书，应当依照规定的期限履行。一方当事人逾期不履行的，"
        f"另一方当事人可以依照民事诉讼法的有关规定向人民法院申请执行（{LAW}第五十一条）。"
    )
    return paragraphs


# --- mediation -------------------------------------------------------------------------------


def mediation_document(case: MediationCase, kind: str) -> Document:
    if kind != "agreement":
        raise DocumentUnavailable("没有这种文书。")
    if case.closure not in SUCCESSFUL_MEDIATION:
        raise DocumentUnavailable("本案未达成调解协议或和解，不能出具调解协议书。")
    dispute = case.dispute
    workers = _workers(dispute)
    body = case.body
    mediator = case.mediator.name if case.mediator_id else ""
    about = [f"调解组织：{body.name}"]
    if mediator:
        about.append(f"调解员：{mediator}")
    about.append(f"收到调解申请日期：{cn_date(case.received_on)}")
    about.append(f"结案方式：{MediationCase.Closure(case.closure).label}")
    agreement = Section(
        heading="协议内容",
        paragraphs=[f"经{body.name}主持调解，双方当事人自愿达成如下协议："],
        items=_lines(case.agreement_text),
    )
    if case.agreed_amount is not None:
        agreement.after.append(f"协议金额：人民币 {money(case.agreed_amount)} 元。")
    effect = Section(
        heading="协议效力",
        paragraphs=[
            "本协议自双方当事人签名或者盖章，经调解员签名并加盖调解组织印章后生效，"
            f"对双方当事人具有约束力，当事人应当履行（{LAW}第十四条）。",
            "达成调解协议后，一方当事人在协议约定期限内不履行调解协议的，另一方当事人"
            f"可以依法申请仲裁（{LAW}第十五条）。",
            "因支付拖欠劳动报酬、工伤医疗费、经济补偿或者赔偿金事项达成调解协议，用人单位"
            "在协议约定期限内不履行的，劳动者可以持调解协议书依法向人民法院申请支付令"
            f"（{LAW}第十六条）。",
        ],
    )
    return Document(
        kind="agreement",
        title=MEDIATION_DOCUMENTS["agreement"],
        issuer=body.name,
        number=f"{body.code}-{case.pk}",
        parties=_parties(dispute, workers),
        addressee="",
        sections=[
            Section(paragraphs=about),
            Section(heading="争议事项", items=_claims(dispute)),
            Section(heading="事实与理由", paragraphs=_lines(dispute.facts)),
            agreement,
            effect,
        ],
        signatures=[
            ("申请人（签名）", ""),
            ("被申请人（盖章）", ""),
            ("调解员（签名）", ""),
        ],
        seal=f"{body.name}（印章）",
        issued_on=case.closed_on,
    )


# --- PDF -------------------------------------------------------------------------------------

PDF_WIDTH = A4[0] - 52 * mm  # the text width between the margins


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle(
        "body", fontName=font, fontSize=12, leading=21, wordWrap="CJK", alignment=TA_JUSTIFY
    )
    cell = ParagraphStyle("cell", base, fontSize=9.5, leading=14)
    return {
        "issuer": ParagraphStyle("issuer", base, fontSize=16, leading=24, alignment=TA_CENTER),
        "title": ParagraphStyle(
            "title", base, fontSize=22, leading=32, alignment=TA_CENTER, spaceAfter=4
        ),
        "number": ParagraphStyle("number", base, fontSize=11, alignment=TA_RIGHT, spaceAfter=8),
        "party": ParagraphStyle("party", base, leftIndent=60, firstLineIndent=-60),
        "addressee": ParagraphStyle("addressee", base, spaceBefore=8),
        "heading": ParagraphStyle(
            "heading", base, fontSize=13, spaceBefore=8, spaceAfter=2, keepWithNext=1
        ),
        "body": ParagraphStyle("text", base, firstLineIndent=24),
        "item": ParagraphStyle("item", base, leftIndent=24, firstLineIndent=-24),
        "cell_center": ParagraphStyle("cell_center", cell, alignment=TA_CENTER),
        "cell_left": ParagraphStyle("cell_left", cell, alignment=TA_LEFT),
        "cell_right": ParagraphStyle("cell_right", cell, alignment=TA_RIGHT),
        "sign": ParagraphStyle("sign", base, leftIndent=PDF_WIDTH * 0.55, spaceBefore=6),
        "seal": ParagraphStyle("seal", base, alignment=TA_RIGHT, spaceBefore=18),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def render_pdf(document: Document) -> bytes:
    """The document as an A4 PDF in the project's embedded CJK font (core.pdf), with page
    numbers in the footer."""
    font = pdf_font.cjk_font()
    styles = _styles(font)
    story = [_p(document.issuer, styles["issuer"]), _p(document.title, styles["title"])]
    if document.number:
        story.append(_p(document.number, styles["number"]))
    story.extend(_p(f"{label}：{text}", styles["party"]) for label, text in document.parties)
    if document.addressee:
        story.append(_p(document.addressee, styles["addressee"]))
    for section in document.sections:
        if section.heading:
            story.append(_p(section.heading, styles["heading"]))
        story.extend(_p(text, styles["body"]) for text in section.paragraphs)
        story.extend(
            _p(f"{number}. {text}", styles["item"])
            for number, text in enumerate(section.items, start=1)
        )
        if section.table is not None:
            story.append(_pdf_table(section.table, styles))
        story.extend(_p(text, styles["body"]) for text in section.after)
    if document.signatures:
        story.append(Spacer(1, 12))
        story.extend(
            _p(f"{label}：{name or '＿＿＿＿＿＿＿＿'}", styles["sign"])
            for label, name in document.signatures
        )
    story.append(_p(document.seal, styles["seal"]))
    story.append(_p(document.issued_on_text, styles["seal"]))

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(font, 9)
        canvas.drawCentredString(A4[0] / 2, 12 * mm, f"第 {doc.page} 页")
        canvas.restoreState()

    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=26 * mm,
        rightMargin=26 * mm,
        topMargin=24 * mm,
        bottomMargin=22 * mm,
        title=f"{document.title} {document.number}".strip(),
        author=document.issuer,
        subject=document.title,
        creator="渝你同行 和谐劳动关系服务平台",
        initialFontName=font,  # else reportlab adds an unembedded Helvetica
    )
    pdf.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _pdf_table(table: Table, styles: dict[str, ParagraphStyle]) -> PdfTable:
    def cell(text: str, column: int) -> Paragraph:
        if column in table.numeric:
            return _p(text, styles["cell_right"])
        return _p(text, styles["cell_center" if column == 0 else "cell_left"])

    header = [_p(text, styles["cell_center"]) for text in table.headers]
    body = [[cell(text, n) for n, text in enumerate(row)] for row in table.rows]
    scale = PDF_WIDTH / sum(table.widths)
    flowable = PdfTable([header, *body], colWidths=[w * scale for w in table.widths], repeatRows=1)
    flowable.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), pdf_font.cjk_font()),  # the cell default
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return flowable
