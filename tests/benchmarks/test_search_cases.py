"""The search benchmark (``benchmarks/run.py search``) measures searches that find something:
each query it builds from a user's records finds that record through the global search, and
its worst case finds nothing. Nothing here is timed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from benchmarks import run
from tests.factories import EnterpriseFactory
from yutong.core.shell_views import search_hits
from yutong.disputes.models import ArbitrationCase, ArbitrationCommission, Dispute
from yutong.inspection.models import InspectionCase
from yutong.registry.models import ConstructionProject

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(yuzhong):
    firms = [EnterpriseFactory(unit=yuzhong, name=f"重庆晨光{n}物流有限公司") for n in range(3)]
    commission = ArbitrationCommission.objects.create(
        code="A500103", name="渝中区劳动人事争议仲裁委员会", unit=yuzhong, short_name="渝中"
    )
    for n in (1, 2, 3):
        ArbitrationCase.objects.create(
            dispute=Dispute.objects.create(
                unit=yuzhong, channel="staff", employer_name=firms[0].name, facts="欠薪。"
            ),
            commission=commission,
            unit=yuzhong,
            number=f"渝中劳人仲案字〔2025〕第{n}号",
            received_on=date(2025, 3, 1),
            accepted_on=date(2025, 3, 1),
            status="accepted",
        )
        InspectionCase.objects.create(
            unit=yuzhong,
            origin="patrol",
            number=f"渝中区人社监〔2025〕{n}号",
            employer=firms[1],
            employer_name=firms[1].name,
            matter="巡查发现拖欠工资。",
            received_on=date(2025, 3, 1),
            accepted_on=date(2025, 3, 1),
        )
    ConstructionProject.objects.create(
        code="500103202501010001",
        name="解放碑综合体项目",
        unit=yuzhong,
        owner=firms[2],
        general_contractor=firms[2],
        contract_amount=Decimal("1000000"),
    )


def test_every_benchmark_query_finds_its_record(records, district_staff):
    cases = dict(run._search_cases(district_staff))
    assert {
        "USCC exact",
        "arbitration case number",
        "inspection case number",
        "project code",
        "name, 2 chars, no match",
    } <= set(cases)
    for label, q in cases.items():
        found = {hit["label"] for group in search_hits(district_staff, q) for hit in group["hits"]}
        if label == "name, 2 chars, no match":
            assert not found
        elif label in ("arbitration case number", "inspection case number"):
            assert q in found, label
        else:
            assert found, (label, q)
