"""Helpers shared by the wage and project tests (imported by tests/wages/conftest.py and
tests/registry/test_projects.py): parties from the registry, a project registered through
the service, the minimum-wage parameters and payroll sheets as uploaded files."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook
from stdnum.cn import ric

from tests.factories import EnterpriseFactory, clear_shipped_wage_parameters
from yutong.core.models import DatedParameter, OrgUnit
from yutong.registry import services as registry_services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = [
    "项目编号",
    "工资月份",
    "姓名",
    "公民身份号码",
    "出勤天数",
    "应付工资（元）",
    "实付工资（元）",
    "是否发放至本人账户",
]
OFFICER_PHONE = "13912345678"
MASKED_OFFICER_PHONE = "139****5678"


def resident_id(serial: int, district: str = "500103") -> str:
    first17 = f"{district}19900101{serial % 1000:03d}"
    return first17 + ric.calc_check_digit(first17 + "0")


def months_ago(n: int, today: date | None = None) -> date:
    """The first day of the month ``n`` months before today's."""
    today = today or timezone.localdate()
    index = today.year * 12 + today.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


def set_minimum_wage() -> None:
    """2,100 / 2,000 from 2022-04 and 2,330 / 2,200 from 2025-05; the city is tier 1 and
    沙坪坝区 tier 2 (test values: the real tiers are not known, rules §12)."""
    clear_shipped_wage_parameters()
    rows = [
        ("min_wage_monthly_tier1", None, date(2022, 4, 1), "2100"),
        ("min_wage_monthly_tier2", None, date(2022, 4, 1), "2000"),
        ("min_wage_monthly_tier1", None, date(2025, 5, 1), "2330"),
        ("min_wage_monthly_tier2", None, date(2025, 5, 1), "2200"),
        ("min_wage_tier", None, date(2020, 1, 1), "1"),
        ("min_wage_tier", "500106", date(2020, 1, 1), "2"),
    ]
    for code, unit_code, valid_from, value in rows:
        DatedParameter.objects.create(
            code=code,
            unit=OrgUnit.objects.get(code=unit_code) if unit_code else None,
            valid_from=valid_from,
            value=Decimal(value),
            source="测试",
        )


def make_parties(unit):
    owner = EnterpriseFactory(unit=unit, name=f"{unit.name}城建开发有限公司", industry="K")
    contractor = EnterpriseFactory(unit=unit, name=f"{unit.name}建工集团有限公司", industry="E")
    sub = EnterpriseFactory(unit=unit, name=f"{unit.name}劳务有限公司", industry="E")
    return owner, contractor, sub


_serial = [0]


def register(actor, unit, owner, contractor, subcontractors=(), **overrides):
    _serial[0] += 1
    data = {
        "code": f"TEST{unit.code}{_serial[0]:04d}",
        "name": f"{unit.name}测试工程{_serial[0]}号",
        "unit": unit,
        "owner": owner,
        "general_contractor": contractor,
        "contract_amount": Decimal("50000000.00"),
        "starts_on": months_ago(3),
        "status": "under_construction",
        "labour_officer": "王专管",
        "labour_officer_phone": OFFICER_PHONE,
    }
    data.update(overrides)
    return registry_services.register_project(actor, subcontractors=subcontractors, **data)


def sheet(rows, headers=HEADERS, name="工资发放表.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    book = workbook.active
    book.append(headers)
    for row in rows:
        book.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def payroll_rows(project, month: date, workers=3, *, paid=None, own="是", days=22, due="6000"):
    """Rows for ``workers`` workers, all paid in full unless ``paid`` says otherwise."""
    rows = []
    for i in range(workers):
        rows.append(
            [
                project.code,
                f"{month:%Y-%m}",
                f"工人{i}",
                resident_id(100 + i),
                days,
                due,
                due if paid is None else paid,
                own,
            ]
        )
    return rows


def safeguards_in_place(actor, project, since=None):
    """Record the deposit and the four safeguards through the services."""
    from yutong.wages import services
    from yutong.wages.models import NoticeItem

    since = since or project.starts_on or (timezone.localdate() - timedelta(days=30))
    need = services.requirement_for(project)
    if not need.exempt:
        services.record_deposit(
            actor,
            project,
            form="cash",
            amount=need.amount,
            deposited_on=since,
            issuer="重庆银行渝中支行",
        )
    services.record_safeguard(
        actor,
        project,
        "wage_account",
        in_place_since=since,
        bank_name="重庆银行渝中支行",
        account_number="6222000011112222",
    )
    services.record_safeguard(actor, project, "real_name", in_place_since=since)
    services.record_safeguard(actor, project, "bank_payroll", in_place_since=since, pay_day=15)
    services.record_safeguard(
        actor, project, "notice_board", in_place_since=since, notice_items=NoticeItem.values
    )
