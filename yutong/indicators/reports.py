"""What the pages and the reports show, computed once from the engine: the six indicators for
a set of units (an indicator whose records are not kept yet says so, never a number), the
Excel workbook (a sheet per indicator: units × months, with targets and gaps), the printable
PDF and the monthly report the background task stores.

Every number here comes from ``engine.compute`` / ``engine.trend`` (one grouped query per
source for all the units at once), so a report and the dashboard cannot disagree.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from yutong.core import exports, pdf
from yutong.core.models import OrgUnit

from . import engine
from .definitions import BY_CODE
from .models import Indicator
from .periods import Period

UNAVAILABLE = "数据来源建设中"
UNAVAILABLE_NOTE = "该指标所统计的业务记录尚未在平台中建立，暂不计算（不以估算数代替）。"
STATUS_FILLS = {
    engine.MET: "C6EFCE",
    engine.AT_RISK: "FFEB9C",
    engine.MISSED: "FFC7CE",
    engine.NO_DATA: "EEEEEE",
}


@dataclass
class IndicatorValues:
    """One indicator's values for the units asked, or ``values`` None: no source yet."""

    indicator: Indicator
    values: list[engine.Value] | None

    @property
    def available(self) -> bool:
        return self.values is not None


def compute_all(indicators, period: Period, units, *, basis: str, today: date):
    """Each indicator for all ``units`` at once (one grouped query per source)."""
    found = []
    for indicator in indicators:
        try:
            values = engine.compute(indicator, period, units, basis=basis, today=today)
        except engine.SourceUnavailable:
            values = None
        found.append(IndicatorValues(indicator, values))
    return found


def trend_or_none(indicator: Indicator, year: int, units, *, basis: str, today: date):
    try:
        return engine.trend(indicator, year, units, basis=basis, today=today)
    except engine.SourceUnavailable:
        return None


def report_units(unit: OrgUnit, period: Period, basis: str, today: date) -> list[OrgUnit]:
    """The unit first, then what a report breaks it into: the district-level units of the
    city, or the townships of a district."""
    if unit.level == OrgUnit.Level.CITY:
        listed = engine.units_listed(period, basis, today)
        return [unit, *(u for u in listed if u.level == OrgUnit.Level.DISTRICT)]
    if unit.level == OrgUnit.Level.DISTRICT:
        return [unit, *engine.townships_of(unit, basis, today)]
    return [unit]


# --- how values read ---------------------------------------------------------------------------


def percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def points(gap: Decimal | None) -> str:
    return "—" if gap is None else f"{gap:+}"


def settings_lines(indicator: Indicator, settings: dict) -> list[tuple[str, str]]:
    """The settings that produced a value, as (label, text) pairs in Chinese."""
    options = settings.get("options") or engine.settings_of(indicator)
    lines = [("单位口径", engine.BASES.get(settings.get("basis"), engine.BASES[engine.RECORDED]))]
    for option in BY_CODE[indicator.code].options:
        value = options.get(option.name, option.default)
        if option.kind == "bool":
            text = "是" if value else "否"
        elif option.kind == "choice":
            text = dict(option.choices).get(value, str(value))
        else:
            text = str(value)
        lines.append((option.label, text))
    lines.append(("口径版本", f"第 {settings.get('version', indicator.version)} 版"))
    return lines


def settings_text(indicator: Indicator, settings: dict) -> str:
    return "；".join(f"{label}：{text}" for label, text in settings_lines(indicator, settings))


# --- Excel workbook: a sheet per indicator, units × months -------------------------------------


def month_columns(months: range) -> list[str]:
    headers = []
    for month in months:
        headers += [f"{month}月累计(%)", f"{month}月差距(百分点)"]
    return headers


def build_workbook(unit: OrgUnit, year: int, *, basis: str, today: date) -> Workbook:
    """Year-to-date values at each month's end for the unit and its parts, a sheet per
    indicator: one row per unit, the year's target, then value and gap per month."""
    period = Period(year)
    units = report_units(unit, period, basis, today)
    workbook = Workbook()
    cover = workbook.active
    cover.title = "说明"
    indicators = engine.indicators()
    _cover(cover, unit, year, basis, today, indicators)
    for indicator in indicators:
        sheet = workbook.create_sheet(indicator.name[:31])
        series = trend_or_none(indicator, year, units, basis=basis, today=today)
        if series is None:
            exports.append(sheet, [indicator.name])
            exports.append(sheet, [UNAVAILABLE])
            exports.append(sheet, [UNAVAILABLE_NOTE])
            continue
        _indicator_sheet(sheet, indicator, units, series)
    return workbook


def _cover(sheet, unit, year, basis, today, indicators) -> None:
    exports.append(sheet, ["主要指标完成情况（年初累计，逐月）"])
    sheet["A1"].font = Font(bold=True, size=14)
    exports.append(sheet, ["单位", unit.name])
    exports.append(sheet, ["年度", year])
    exports.append(sheet, ["单位口径", engine.BASES[basis]])
    exports.append(sheet, ["数据截至", today])
    exports.append(sheet, ["生成时间", timezone.localtime().replace(tzinfo=None)])
    exports.append(sheet, [])
    exports.append(sheet, ["指标", "代码", "口径设置"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for indicator in indicators:
        text = settings_text(
            indicator,
            {
                "options": engine.settings_of(indicator),
                "version": indicator.version,
                "basis": basis,
            },
        )
        exports.append(sheet, [indicator.name, indicator.code, text])
    sheet.column_dimensions["A"].width = 42
    sheet.column_dimensions["B"].width = 26
    sheet.column_dimensions["C"].width = 100


def _indicator_sheet(sheet, indicator, units, series: dict) -> None:
    months = range(1, 13)
    headers = ["单位", "单位代码", "年度目标(%)", *month_columns(months), "最新分子", "最新分母"]
    headers.append("状态")
    exports.append(sheet, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center")
    last = max(series) if series else None
    for index, unit in enumerate(units):
        latest = series[last][index] if last else None
        row = [unit.name, unit.code, latest.target if latest else None]
        for month in months:
            value = series[month][index] if month in series else None
            row += [value.value, value.gap] if value else [None, None]
        row += [latest.numerator, latest.denominator] if latest else [None, None]
        row.append(latest.status_label if latest else "")
        exports.append(sheet, row)
        if latest:
            fill = PatternFill("solid", fgColor=STATUS_FILLS[latest.status])
            sheet.cell(row=sheet.max_row, column=len(headers)).fill = fill
    sheet.freeze_panes = "D2"
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 12
    for column in range(3, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 10


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_filename(unit: OrgUnit, year: int, month: int | None = None) -> str:
    suffix = f"{year}-{month:02d}" if month else str(year)
    return f"主要指标-{unit.name}-{suffix}.xlsx"


# --- printable PDF -----------------------------------------------------------------------------

PDF_WIDTH = A4[0] - 36 * mm


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle(
        "body", fontName=pdf.cjk_font(), fontSize=10.5, leading=16, wordWrap="CJK"
    )
    cell = ParagraphStyle("cell", base, fontSize=9, leading=12)
    return {
        "title": ParagraphStyle("title", base, fontSize=18, leading=26, alignment=TA_CENTER),
        "subtitle": ParagraphStyle("subtitle", base, alignment=TA_CENTER, spaceAfter=6),
        "heading": ParagraphStyle(
            "heading", base, fontSize=12.5, leading=18, spaceBefore=10, keepWithNext=1
        ),
        "body": base,
        "note": ParagraphStyle("note", base, fontSize=8.5, leading=12, textColor=colors.grey),
        "cell": ParagraphStyle("cell_left", cell, alignment=TA_LEFT),
        "cell_center": ParagraphStyle("cell_center", cell, alignment=TA_CENTER),
        "cell_right": ParagraphStyle("cell_right", cell, alignment=TA_RIGHT),
    }


def _p(text, style) -> Paragraph:
    return Paragraph(escape(str(text)), style)


VALUE_HEADERS = ["分子", "分母", "完成值", "目标", "差距（百分点）", "状态"]
STATUS_COLOURS = {key: colors.HexColor(f"#{fill}") for key, fill in STATUS_FILLS.items()}


def value_cells(value: engine.Value) -> list[str]:
    return [
        str(value.numerator),
        str(value.denominator),
        percent(value.value),
        percent(value.target),
        points(value.gap),
        value.status_label,
    ]


def _table(headers, rows, statuses, widths, styles) -> Table:
    header = [_p(text, styles["cell_center"]) for text in headers]
    body = [
        [_p(text, styles["cell"] if n == 0 else styles["cell_right"]) for n, text in enumerate(row)]
        for row in rows
    ]
    scale = PDF_WIDTH / sum(widths)
    table = Table([header, *body], colWidths=[w * scale for w in widths], repeatRows=1)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONTNAME", (0, 0), (-1, -1), pdf.cjk_font()),  # the cell default is Helvetica
    ]
    for row, status in enumerate(statuses, start=1):
        if status:
            commands.append(("BACKGROUND", (-1, row), (-1, row), STATUS_COLOURS[status]))
    table.setStyle(TableStyle(commands))
    return table


@dataclass
class PdfSection:
    indicator: Indicator
    available: bool
    notes: list[str]
    rows: list[list[str]]  # a unit per row: name, then VALUE_HEADERS
    statuses: list[str]


@dataclass
class PdfReport:
    """What the printable report says, before it is laid out (tests read this)."""

    title: str
    subtitle: list[str]
    summary: list[list[str]]  # an indicator per row: name, then VALUE_HEADERS
    summary_statuses: list[str | None]
    sections: list[PdfSection]


def pdf_report(unit: OrgUnit, period: Period, *, basis: str, today: date) -> PdfReport:
    """The six indicators of a unit for a period, then each broken down by its parts."""
    units = report_units(unit, period, basis, today)
    results = compute_all(engine.indicators(), period, units, basis=basis, today=today)
    now = timezone.localtime()
    summary, statuses, sections = [], [], []
    for result in results:
        indicator = result.indicator
        if not result.available:
            summary.append([indicator.name, "", "", UNAVAILABLE, "", "", ""])
            statuses.append(None)
            sections.append(PdfSection(indicator, False, [UNAVAILABLE_NOTE], [], []))
            continue
        own = result.values[0]
        summary.append([indicator.name, *value_cells(own)])
        statuses.append(own.status)
        notes = [
            f"口径：{indicator.description}",
            f"设置：{settings_text(indicator, own.settings)}",
        ]
        parts = result.values if len(units) > 1 else []
        sections.append(
            PdfSection(
                indicator,
                True,
                notes,
                [[v.unit.name, *value_cells(v)] for v in parts],
                [v.status for v in parts],
            )
        )
    return PdfReport(
        "主要指标完成情况",
        [
            f"{unit.name} · {period.label} · {engine.BASES[basis]}",
            f"数据截至 {now:%Y-%m-%d %H:%M}（按业务记录实时计算，非人工填报）",
        ],
        summary,
        statuses,
        sections,
    )


def render_pdf(report: PdfReport) -> bytes:
    """The report as an A4 PDF in the embedded CJK font, page numbers in the footer."""
    styles = _styles()
    story = [_p(report.title, styles["title"])]
    story += [_p(line, styles["subtitle"]) for line in report.subtitle]
    story.append(
        _table(
            ["指标", *VALUE_HEADERS],
            report.summary,
            report.summary_statuses,
            [36, 9, 9, 10, 9, 11, 9],
            styles,
        )
    )
    for section in report.sections:
        story.append(_p(section.indicator.name, styles["heading"]))
        if not section.available:
            story.append(_p(f"{UNAVAILABLE}：{section.notes[0]}", styles["body"]))
            continue
        story += [_p(note, styles["note"]) for note in section.notes]
        if section.rows:
            story.append(Spacer(1, 4))
            story.append(
                _table(
                    ["单位", *VALUE_HEADERS],
                    section.rows,
                    section.statuses,
                    [26, 9, 9, 10, 9, 11, 9],
                    styles,
                )
            )

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(pdf.cjk_font(), 8.5)
        canvas.drawCentredString(
            A4[0] / 2, 10 * mm, f"渝你同行 和谐劳动关系服务平台 · 第 {doc.page} 页"
        )
        canvas.restoreState()

    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"{report.title} {report.subtitle[0]}",
        author="渝你同行 和谐劳动关系服务平台",
        creator="渝你同行 和谐劳动关系服务平台",
        initialFontName=pdf.cjk_font(),  # else reportlab adds an unembedded Helvetica
    ).build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def pdf_filename(unit: OrgUnit, period: Period) -> str:
    return f"主要指标-{unit.name}-{period.key}.pdf"


# --- the monthly report ------------------------------------------------------------------------


def monthly_report_day(year: int, month: int, today: date) -> date:
    """The day a monthly report counts up to: the month's last day, or today while it runs."""
    return min(Period(year, month=month).end, today)


def build_monthly_report(unit: OrgUnit, year: int, month: int, today: date) -> bytes:
    """The year-to-date workbook as it stood at the month's end (by the units of the time)."""
    until = monthly_report_day(year, month, today)
    return workbook_bytes(build_workbook(unit, year, basis=engine.RECORDED, today=until))
