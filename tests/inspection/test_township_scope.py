"""Township accounts in labour inspection: the complaints and cases about employers (or
projects) of their township, through the queue, the page, the API and the export; acting on
them, and on nothing else."""

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import EnterpriseFactory, township_staff
from tests.inspection.conftest import complaint_data, working_days_ago
from tests.township_checks import assert_reads_only
from yutong.core import roles
from yutong.inspection import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def complaints(units, towns, inspector, shapingba_inspector):
    def register(actor, unit, township, name):
        employer = None
        if township is not None:
            employer = EnterpriseFactory(unit=unit, township=township, name=name)
        return services.register_complaint(
            actor,
            unit=unit,
            channel="hotline_12333",
            received_on=working_days_ago(1),
            employer=employer,
            **complaint_data(employer_name=name),
        )

    return {
        "x": register(inspector, units.yuzhong, towns.x, "解放碑劳务有限公司"),
        "y": register(inspector, units.yuzhong, towns.y, "七星岗劳务有限公司"),
        "none": register(inspector, units.yuzhong, None, "未登记包工头"),
        "z": register(shapingba_inspector, units.shapingba, towns.z, "小龙坎劳务有限公司"),
    }


@pytest.fixture
def x_inspector(towns):
    return township_staff(towns.x, roles.INSPECTOR)


def labels(records, keys):
    return {records[k].employer_name: records[k].pk for k in keys}


def test_a_township_inspector_reads_its_townships_complaints(
    x_inspector, complaints, login_client, api_client
):
    assert_reads_only(
        login_client(x_inspector),
        api_client(x_inspector),
        inside=labels(complaints, ["x"]),
        outside=labels(complaints, ["y", "none", "z"]),
        list_url="/inspection/complaints/?queue=all",
        api_url="/api/v1/complaints/",
        export_url="/inspection/complaints/export/?queue=all",
        detail_url=lambda pk: f"/inspection/complaints/{pk}/",
        api_detail_url=lambda pk: f"/api/v1/complaints/{pk}/",
    )


def test_a_township_inspector_decides_its_complaints_only(x_inspector, complaints, inspector):
    case = services.accept_complaint(
        x_inspector, complaints["x"], accepted_on=complaints["x"].received_on
    )
    assert case.employer_name == "解放碑劳务有限公司"
    for key in ("y", "none", "z"):
        with pytest.raises(PermissionDenied):
            services.accept_complaint(
                x_inspector, complaints[key], accepted_on=complaints[key].received_on
            )


def test_a_township_inspector_registers_complaints_of_its_township_only(x_inspector, towns, units):
    own = EnterpriseFactory(unit=units.yuzhong, township=towns.x, name="解放碑餐饮有限公司")
    other = EnterpriseFactory(unit=units.yuzhong, township=towns.y, name="七星岗餐饮有限公司")
    complaint = services.register_complaint(
        x_inspector,
        unit=units.yuzhong,
        channel="visit",
        received_on=working_days_ago(0),
        employer=own,
        **complaint_data(employer_name=own.name),
    )
    assert complaint.employer == own
    with pytest.raises(PermissionDenied):
        services.register_complaint(
            x_inspector,
            unit=units.yuzhong,
            channel="visit",
            received_on=working_days_ago(0),
            employer=other,
            **complaint_data(employer_name=other.name),
        )


def test_a_township_inspector_reads_its_townships_cases(
    x_inspector, complaints, inspector, shapingba_inspector, login_client, api_client
):
    cases = {}
    for key, actor in (("x", inspector), ("y", inspector), ("z", shapingba_inspector)):
        complaint = complaints[key]
        cases[key] = services.accept_complaint(actor, complaint, accepted_on=complaint.received_on)
    assert_reads_only(
        login_client(x_inspector),
        api_client(x_inspector),
        inside=labels(cases, ["x"]),
        outside=labels(cases, ["y", "z"]),
        list_url="/inspection/cases/?queue=all",
        api_url="/api/v1/inspection-cases/",
        export_url="/inspection/cases/export/?queue=all",
        detail_url=lambda pk: f"/inspection/cases/{pk}/",
        api_detail_url=lambda pk: f"/api/v1/inspection-cases/{pk}/",
    )
