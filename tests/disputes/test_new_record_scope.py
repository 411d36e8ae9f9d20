"""A new dispute or mediation body is filed under a district the account may file under: a
street's account under its own district only. Through the service (403) and the API (400 on
the field that names the place)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.disputes.conftest import worker
from tests.factories import EnterpriseFactory, township_staff
from yutong.core import roles
from yutong.disputes import services
from yutong.disputes.models import Dispute, MediationBody

pytestmark = pytest.mark.django_db


@pytest.fixture
def x_mediator(towns):
    return township_staff(towns.x, roles.MEDIATOR)


def register(actor, unit, employer):
    return services.register_dispute(
        actor,
        unit=unit,
        channel="staff",
        facts="拖欠工资。",
        employer=employer,
        employer_name=employer.name,
        workers=[worker(1, is_representative=True)],
        claims=[{"claim_type": "wages", "amount": "12000"}],
    )


def test_a_street_registers_disputes_under_its_own_district_only(x_mediator, units, towns):
    firm = EnterpriseFactory(unit=units.yuzhong, township=towns.x, name="解放碑酒店有限公司")
    assert register(x_mediator, units.yuzhong, firm).unit == units.yuzhong
    with pytest.raises(PermissionDenied):
        register(x_mediator, units.shapingba, firm)
    assert not Dispute.objects.filter(unit=units.shapingba).exists()


def test_a_street_keeps_its_mediation_bodies_in_its_own_district(units, towns, district_staff):
    street = township_staff(towns.x, roles.DISTRICT_STAFF)
    data = {"code": "MX9", "name": "解放碑街道调解委员会", "kind": "township"}
    for actor, unit, township in (
        (street, units.shapingba, towns.x),
        (district_staff, units.yuzhong, towns.z),
    ):
        with pytest.raises(ValidationError) as caught:
            services.create_mediation_body(actor, unit=unit, township=township, **data)
        assert "township" in caught.value.message_dict
    # A district-wide body names no street: not a street's to create.
    with pytest.raises(PermissionDenied):
        services.create_mediation_body(street, unit=units.yuzhong, **(data | {"kind": "peoples"}))
    assert not MediationBody.objects.exists()


def test_the_api_refuses_another_districts_body(district_staff, shapingba_body, api_client):
    payload = {
        "body": shapingba_body.code,
        "received_on": date.today().isoformat(),
        "facts": "公司拖欠工资。",
        "employer_name": "重庆某某火锅餐饮有限公司",
        "workers": [worker(2, is_representative=True)],
        "claims": [{"claim_type": "wages", "amount": "8000"}],
    }
    response = api_client(district_staff).post("/api/v1/mediation-cases/", payload, format="json")
    assert response.status_code == 400, response.content
    assert "body" in response.json()
    assert not Dispute.objects.exists()
