"""The reports: the Excel workbook (a sheet per indicator, units × months) and the PDF, checked
cell by cell against the engine; the monthly report built by the background task; the command
that queues last month's reports for every unit."""

from __future__ import annotations

from datetime import date
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from yutong.core.models import AuditEntry, OrgUnit
from yutong.indicators import engine, reports, services, tasks
from yutong.indicators.models import Indicator, IndicatorReport
from yutong.indicators.periods import Period
from yutong.indicators.sources import SOURCES

pytestmark = pytest.mark.django_db

REPORTS = "/indicators/reports/"
WORKBOOK = "/indicators/reports/workbook/"
PDF = "/indicators/reports/pdf/"
REQUEST = "/indicators/reports/request/"
UNAVAILABLE = "数据来源建设中"


def workbook_of(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content))


def number(cell):
    """A percentage cell as written (None when empty)."""
    return None if cell is None else round(float(cell), 2)


def check_sheet(sheet, indicator, units, today):
    """Every cell of an indicator's sheet against ``engine.trend`` for the same units."""
    series = engine.trend(indicator, 2025, units, today=today)
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:3] == ("单位", "单位代码", "年度目标(%)")
    assert header[3:5] == ("1月累计(%)", "1月差距(百分点)")
    assert header[-3:] == ("最新分子", "最新分母", "状态")
    assert [row[1] for row in rows[1:]] == [unit.code for unit in units]
    last = max(series)
    for index, row in enumerate(rows[1:]):
        latest = series[last][index]
        assert row[0] == units[index].name
        assert number(row[2]) == number(latest.target)
        for month in range(1, 13):
            value = series[month][index] if month in series else None
            cells = row[3 + 2 * (month - 1) : 5 + 2 * (month - 1)]
            if value is None:
                assert cells == (None, None)
            else:
                assert number(cells[0]) == number(value.value), (units[index], month)
                assert number(cells[1]) == number(value.gap), (units[index], month)
        assert row[-3:] == (latest.numerator, latest.denominator, latest.status_label)


def test_workbook_of_the_city_cell_by_cell(login_client, district_staff, year_2025, city, unkept):
    response = login_client(district_staff).get(WORKBOOK, {"unit": city.code, "year": 2025})
    assert "attachment" in response["Content-Disposition"]
    book = workbook_of(response)
    today = timezone.localdate()
    units = reports.report_units(city, Period(2025), engine.RECORDED, today)
    assert units[0] == city and len(units) == 1 + 41  # 38 districts and counties, 3 zones
    assert book.sheetnames[0] == "说明"
    for indicator in Indicator.objects.all():
        sheet = book[indicator.name[:31]]
        if indicator.code in SOURCES:
            check_sheet(sheet, indicator, units, today)
        else:
            assert sheet["A2"].value == UNAVAILABLE
            assert sheet.max_row == 3  # no number stands in for the missing records
    cover = [row for row in book["说明"].iter_rows(values_only=True) if row and row[0]]
    assert ("单位", "重庆市") in [row[:2] for row in cover]
    assert any("分母含上期未结案件：是" in str(row[2]) for row in cover if len(row) > 2)


def test_workbook_of_a_district_has_its_townships(login_client, district_staff, year_2025):
    book = workbook_of(login_client(district_staff).get(WORKBOOK, {"year": 2025}))
    indicator = Indicator.objects.get(code="mediation_success")
    units = [year_2025.yuzhong, year_2025.township]
    check_sheet(book[indicator.name], indicator, units, timezone.localdate())


def test_workbook_by_todays_units(login_client, city_admin, year_2025, city):
    book = workbook_of(
        login_client(city_admin).get(
            WORKBOOK, {"unit": city.code, "year": 2025, "basis": "current"}
        )
    )
    indicator = Indicator.objects.get(code="arbitration_closure")
    rows = {row[1]: row for row in book[indicator.name].iter_rows(min_row=2, values_only=True)}
    assert "500105" not in rows
    assert rows["500157"][-3:-1] == (1, 2)  # 江北's closed case and its own open one


@pytest.mark.parametrize(
    "params, message",
    [({"year": "20x5"}, "请填写年度"), ({"unit": "nowhere"}, "找不到该单位")],
)
def test_bad_report_parameters(login_client, city_admin, params, message):
    for path in (WORKBOOK, PDF):
        response = login_client(city_admin).get(path, params)
        assert response.status_code == 400
        assert message in response.content.decode()


def test_reports_need_a_staff_role(login_client, enterprise_user):
    client = login_client(enterprise_user)
    for path in (REPORTS, WORKBOOK, PDF):
        assert client.get(path).status_code == 403


# --- PDF -----------------------------------------------------------------------------------------


def test_pdf_report_matches_the_engine(year_2025, city, unkept):
    today = timezone.localdate()
    period = Period(2025, quarter=2)
    report = reports.pdf_report(city, period, basis=engine.RECORDED, today=today)
    assert report.subtitle[0] == "重庆市 · 2025年第二季度 · 按当时单位"
    units = reports.report_units(city, period, engine.RECORDED, today)
    for row, section, indicator in zip(
        report.summary, report.sections, Indicator.objects.all(), strict=True
    ):
        assert row[0] == indicator.name
        if not section.available:
            assert row[3] == UNAVAILABLE and not section.rows
            continue
        values = engine.compute(indicator, period, units, today=today)
        assert row[1:] == [
            str(values[0].numerator),
            str(values[0].denominator),
            reports.percent(values[0].value),
            reports.percent(values[0].target),
            reports.points(values[0].gap),
            values[0].status_label,
        ]
        assert [r[0] for r in section.rows] == [u.name for u in units]
        for cells, value in zip(section.rows, values, strict=True):
            assert cells[1:3] == [str(value.numerator), str(value.denominator)]
            assert cells[3] == reports.percent(value.value)
    assert not report.sections[-1].available  # the unkept one
    yuzhong_row = next(
        r for r in report.sections[1].rows if r[0] == "渝中区"
    )  # arbitration_closure, 2025 Q2: 9 closed in March are outside; 2 carried + 1 accepted
    assert yuzhong_row[1:3] == ["0", "2"]


def test_pdf_download(login_client, district_staff, year_2025):
    response = login_client(district_staff).get(PDF, {"year": 2025, "month": 3})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "2025-03.pdf" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF") and len(response.content) > 2000


# --- monthly reports in the background ----------------------------------------------------------


def test_monthly_report_built_by_the_task(
    login_client, district_staff, year_2025, yuzhong, django_capture_on_commit_callbacks
):
    client = login_client(district_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REQUEST, {"unit": yuzhong.code, "year": 2025, "month": 6})
    assert response.status_code == 302
    report = IndicatorReport.objects.get()
    assert report.status == IndicatorReport.Status.READY
    assert report.requested_by == district_staff and report.finished_at is not None
    assert AuditEntry.objects.filter(action="request_indicator_report").count() == 1
    # the workbook as it stood at the end of June
    book = load_workbook(BytesIO(report.file.read()))
    indicator = Indicator.objects.get(code="arbitration_closure")
    series = engine.trend(indicator, 2025, [yuzhong], today=date(2025, 6, 30))
    assert sorted(series) == list(range(1, 7))
    row = list(book[indicator.name].iter_rows(min_row=2, max_row=2, values_only=True))[0]
    assert row[-3:-1] == (series[6][0].numerator, series[6][0].denominator)
    assert row[3 + 2 * 6] is None  # July had not ended
    # listed and downloadable
    page = client.get(REPORTS).content.decode()
    assert f"/indicators/reports/{report.pk}/download/" in page and "已生成" in page
    download = client.get(f"/indicators/reports/{report.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"PK")


def test_a_failed_report_says_so(yuzhong, settings, tmp_path, django_capture_on_commit_callbacks):
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("")
    settings.MEDIA_ROOT = blocked  # the file cannot be stored
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_monthly_report(None, yuzhong, 2025, 6)
    report.refresh_from_db()
    assert report.status == IndicatorReport.Status.FAILED
    assert report.message == tasks.FAILED_MESSAGE and not report.file


def test_pending_report_cannot_be_downloaded(login_client, district_staff, yuzhong):
    report = IndicatorReport.objects.create(unit=yuzhong, year=2025, month=6)
    assert login_client(district_staff).get(f"{REPORTS}{report.pk}/download/").status_code == 404


@pytest.mark.parametrize(
    "data, message",
    [
        ({"unit": "500103", "year": 2099, "month": 1}, "该月尚未开始，不能生成月度报告。"),
        ({"unit": "500103", "year": 2025, "month": 13}, "选择一个有效的选项"),
        ({"unit": "nowhere", "year": 2025, "month": 1}, "选择一个有效的选项"),
        ({"unit": "500103", "year": "", "month": 1}, "该字段是必填项"),
    ],
)
def test_bad_report_requests(login_client, district_staff, data, message):
    response = login_client(district_staff).post(REQUEST, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not IndicatorReport.objects.exists()


def test_only_staff_who_handle_cases_request_reports(login_client, auditor, yuzhong):
    response = login_client(auditor).post(REQUEST, {"unit": yuzhong.code, "year": 2025, "month": 1})
    assert response.status_code == 403
    assert "生成月度报告</button>" not in login_client(auditor).get(REPORTS).content.decode()


def test_command_queues_last_months_reports_once(django_capture_on_commit_callbacks):
    today = timezone.localdate()
    year, month = tasks.last_month(today)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("enqueue_indicator_reports", stdout=out)
    listed = engine.units_listed(Period(year, month=month), engine.RECORDED, today)
    reports_made = IndicatorReport.objects.filter(year=year, month=month)
    assert reports_made.count() == len(listed)
    assert set(reports_made.values_list("unit__code", flat=True)) == {u.code for u in listed}
    assert all(r.status == IndicatorReport.Status.READY for r in reports_made)
    assert f"{len(listed)}" in out.getvalue()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("enqueue_indicator_reports", stdout=StringIO())
    assert IndicatorReport.objects.filter(year=year, month=month).count() == len(listed)


def test_command_for_a_given_month(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "enqueue_indicator_reports", "--year", "2025", "--month", "3", stdout=StringIO()
        )
    codes = set(IndicatorReport.objects.values_list("unit__code", flat=True))
    assert {"500000", "500105", "500112", "500157"} <= codes  # the units of March 2025
    assert OrgUnit.objects.filter(level="township", code__in=codes).count() == 0


def test_command_refuses_a_month_not_begun():
    with pytest.raises(Exception, match="该月尚未开始"):
        call_command(
            "enqueue_indicator_reports", "--year", "2099", "--month", "1", stdout=StringIO()
        )


def test_a_district_requests_reports_for_its_own_units_only(district_staff, shapingba, yuzhong):
    from django.core.exceptions import PermissionDenied

    from yutong.indicators.models import IndicatorReport

    with pytest.raises(PermissionDenied):
        services.request_monthly_report(district_staff, shapingba, 2025, 6)
    assert not IndicatorReport.objects.exists()
    assert services.request_monthly_report(district_staff, yuzhong, 2025, 6).unit == yuzhong


# --- the requester hears when a monthly report is done (站内信) ---------------------------------


def test_requester_is_told_the_report_is_ready(
    login_client, district_staff, city_admin, yuzhong, django_capture_on_commit_callbacks
):
    from yutong.core.models import Message

    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_monthly_report(district_staff, yuzhong, 2025, 6)
    report.refresh_from_db()
    assert report.status == IndicatorReport.Status.READY
    message = Message.objects.get()
    assert message.recipient == district_staff  # nobody else: not the other staff
    assert message.kind == Message.Kind.JOB
    assert message.title == "渝中区 2025 年 6 月主要指标月度报告已生成"
    assert message.body == report.message
    assert message.url == f"{REPORTS}?report_unit={yuzhong.code}#report-{report.pk}"
    # the link opens the list with the report's row and its download
    page = login_client(district_staff).get(message.url).content.decode()
    assert f'id="report-{report.pk}"' in page
    assert f"/indicators/reports/{report.pk}/download/" in page
    # a second run of the same task changes nothing and sends nothing
    with django_capture_on_commit_callbacks(execute=True):
        tasks.generate_monthly_report.call(report.pk)
    assert Message.objects.count() == 1


def test_requester_is_told_the_report_failed(
    district_staff, yuzhong, settings, tmp_path, django_capture_on_commit_callbacks
):
    from yutong.core.models import Message

    blocked = tmp_path / "not-a-directory"
    blocked.write_text("")
    settings.MEDIA_ROOT = blocked  # the file cannot be stored
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_monthly_report(district_staff, yuzhong, 2025, 6)
    report.refresh_from_db()
    assert report.status == IndicatorReport.Status.FAILED
    message = Message.objects.get(recipient=district_staff)
    assert message.title == "渝中区 2025 年 6 月主要指标月度报告生成失败"
    assert message.body == tasks.FAILED_MESSAGE
    assert message.url.endswith(f"#report-{report.pk}")


def test_scheduled_reports_tell_no_one(city_admin, yuzhong, django_capture_on_commit_callbacks):
    from yutong.core.models import Message

    with django_capture_on_commit_callbacks(execute=True):
        services.request_monthly_report(None, yuzhong, 2025, 6)
    assert IndicatorReport.objects.get().status == IndicatorReport.Status.READY
    assert not Message.objects.exists()
