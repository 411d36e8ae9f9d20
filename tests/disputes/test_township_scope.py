"""Township accounts in disputes: a street's mediation organisation (调解组织) works the cases
of its own body and of its township's employers, through the queue, the page, the API and the
export; arbitration cases it reads only for its township's employers."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from tests.disputes.conftest import worker
from tests.factories import EnterpriseFactory, township_staff
from tests.township_checks import assert_reads_only
from yutong.core import roles
from yutong.disputes import services
from yutong.disputes.models import ArbitrationCommission, MediationBody

pytestmark = pytest.mark.django_db


def body(code, unit, township=None):
    name = f"{(township or unit).name}劳动争议调解中心"
    return MediationBody.objects.create(
        code=code, name=name, kind="township", unit=unit, township=township
    )


def register(actor, unit, name, township=None):
    employer = None
    if township is not None:
        employer = EnterpriseFactory(unit=unit, township=township, name=name)
    return services.register_dispute(
        actor,
        unit=unit,
        channel="staff",
        facts="拖欠工资。",
        employer=employer,
        employer_name=name,
        workers=[worker(1, is_representative=True)],
        claims=[{"claim_type": "wages", "amount": "12000"}],
    )


@pytest.fixture
def mediations(units, towns, district_staff, shapingba_staff):
    bodies = {
        "x": body("MX", units.yuzhong, towns.x),
        "y": body("MY", units.yuzhong, towns.y),
        "d": body("MD", units.yuzhong),
        "z": body("MZ", units.shapingba, towns.z),
    }
    rows = {
        # at the street's own body, about an employer not in the registry
        "x": ("x", district_staff, units.yuzhong, "解放碑散户甲", None),
        # at the district's centre, about an employer of the street
        "xe": ("d", district_staff, units.yuzhong, "解放碑酒店有限公司", towns.x),
        "y": ("y", district_staff, units.yuzhong, "七星岗酒店有限公司", towns.y),
        "d": ("d", district_staff, units.yuzhong, "渝中无镇街散户乙", None),
        "z": ("z", shapingba_staff, units.shapingba, "小龙坎酒店有限公司", towns.z),
    }
    made = {}
    for key, (where, actor, unit, name, township) in rows.items():
        dispute = register(actor, unit, name, township)
        made[key] = services.open_mediation(
            actor, dispute, body=bodies[where], received_on=date.today()
        )
    return made


@pytest.fixture
def x_mediator(towns):
    return township_staff(towns.x, roles.MEDIATOR)


def labels(records, keys):
    return {records[k].dispute.employer_name: records[k].pk for k in keys}


def test_a_street_mediator_reads_its_mediation_cases(
    x_mediator, mediations, login_client, api_client
):
    assert_reads_only(
        login_client(x_mediator),
        api_client(x_mediator),
        inside=labels(mediations, ["x", "xe"]),
        outside=labels(mediations, ["y", "d", "z"]),
        list_url="/disputes/mediation/",
        api_url="/api/v1/mediation-cases/",
        export_url="/disputes/mediation/export/",
        detail_url=lambda pk: f"/disputes/mediation/{pk}/",
        api_detail_url=lambda pk: f"/api/v1/mediation-cases/{pk}/",
    )


def test_a_street_mediator_closes_its_cases_and_no_other(x_mediator, mediations):
    closed = services.close_mediation(
        x_mediator,
        mediations["x"],
        closure="no_agreement",
        closed_on=date.today(),
    )
    assert closed.closed_on == date.today()
    for key in ("y", "d", "z"):
        with pytest.raises(PermissionDenied):
            services.close_mediation(
                x_mediator, mediations[key], closure="no_agreement", closed_on=date.today()
            )


def test_a_street_mediator_registers_and_opens_cases_of_its_township(
    x_mediator, mediations, units, towns
):
    own = MediationBody.objects.get(code="MX")
    dispute = register(x_mediator, units.yuzhong, "解放碑新开有限公司", towns.x)
    case = services.open_mediation(x_mediator, dispute, body=own, received_on=date.today())
    assert case.body == own
    with pytest.raises(PermissionDenied):
        register(x_mediator, units.yuzhong, "七星岗新开有限公司", towns.y)
    with pytest.raises(PermissionDenied):
        services.open_mediation(
            x_mediator,
            dispute,
            body=MediationBody.objects.get(code="MY"),
            received_on=date.today(),
        )


def test_a_street_reads_the_arbitration_cases_of_its_employers(
    x_mediator, units, towns, district_staff, login_client, api_client
):
    commission = ArbitrationCommission.objects.create(
        code="A500103", name="渝中区劳动人事争议仲裁委员会", unit=units.yuzhong, short_name="渝中"
    )
    made = {}
    for key, name, township in (
        ("x", "解放碑仲裁有限公司", towns.x),
        ("y", "七星岗仲裁有限公司", towns.y),
        ("d", "渝中无镇街仲裁散户", None),
    ):
        dispute = register(district_staff, units.yuzhong, name, township)
        made[key] = services.receive_arbitration(
            district_staff, dispute, commission=commission, received_on=date.today()
        )
    assert_reads_only(
        login_client(x_mediator),
        api_client(x_mediator),
        inside=labels(made, ["x"]),
        outside=labels(made, ["y", "d"]),
        list_url="/disputes/arbitration/",
        api_url="/api/v1/arbitration-cases/",
        export_url="/disputes/arbitration/export/",
        detail_url=lambda pk: f"/disputes/arbitration/{pk}/",
        api_detail_url=lambda pk: f"/api/v1/arbitration-cases/{pk}/",
    )


def test_a_streets_staff_keep_its_own_mediation_body_and_no_other(mediations, towns):
    staff = township_staff(towns.x, roles.DISTRICT_STAFF)
    own, other = MediationBody.objects.get(code="MX"), MediationBody.objects.get(code="MY")
    person = services.add_mediator(staff, own, name="街道调解员")
    assert person.body == own
    for body_ in (other, MediationBody.objects.get(code="MD")):
        with pytest.raises(PermissionDenied):
            services.add_mediator(staff, body_, name="街道调解员")
