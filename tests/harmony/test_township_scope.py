"""Township accounts in the creation activity: the enrolments that name their township, its
enterprises or its parks, and the evaluations of its enterprises, through the list, the page,
the API and the export; enrolling inside the township only."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import EnterpriseFactory, IndustrialParkFactory, township_staff
from tests.harmony.conftest import granted
from tests.township_checks import assert_reads_only
from yutong.core import roles
from yutong.harmony import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def street(towns):
    return township_staff(towns.x, roles.DISTRICT_STAFF, roles.UNION_OFFICER)


@pytest.fixture
def places(units, towns):
    return {
        "x": EnterpriseFactory(unit=units.yuzhong, township=towns.x, name="解放碑和谐有限公司"),
        "y": EnterpriseFactory(unit=units.yuzhong, township=towns.y, name="七星岗和谐有限公司"),
        "z": EnterpriseFactory(unit=units.shapingba, township=towns.z, name="小龙坎和谐有限公司"),
        "park_x": IndustrialParkFactory(unit=units.yuzhong, township=towns.x, name="解放碑数字园"),
        "park_y": IndustrialParkFactory(unit=units.yuzhong, township=towns.y, name="七星岗创意园"),
    }


def test_a_street_reads_its_enrolments(
    street, places, towns, units, district_staff, shapingba_staff, login_client, api_client
):
    def enrol(actor, **target):
        return services.enrol(actor, year=2026, note="", **target)

    made = {
        "x": enrol(district_staff, scope="enterprise", enterprise=places["x"]),
        "park_x": enrol(district_staff, scope="park", park=places["park_x"]),
        "y": enrol(district_staff, scope="enterprise", enterprise=places["y"]),
        "park_y": enrol(district_staff, scope="park", park=places["park_y"]),
        "industry": enrol(district_staff, scope="industry", unit=units.yuzhong, industry="C"),
        "z": enrol(shapingba_staff, scope="enterprise", enterprise=places["z"]),
    }
    assert_reads_only(
        login_client(street),
        api_client(street),
        inside={places[k].name: made[k].pk for k in ("x", "park_x")},
        outside={places[k].name: made[k].pk for k in ("y", "park_y", "z")},
        list_url="/harmony/enrollments/",
        api_url="/api/v1/harmony-enrollments/",
        export_url="/harmony/enrollments/export/",
        detail_url=lambda pk: f"/harmony/enrollments/{pk}/",
        api_detail_url=lambda pk: f"/api/v1/harmony-enrollments/{pk}/",
    )
    client = login_client(street)
    assert client.get(f"/harmony/enrollments/{made['industry'].pk}/").status_code == 404


def test_a_street_enrols_inside_its_township_only(street, places, towns, units, city_admin):
    region = services.enrol(street, scope="region", township=towns.x, year=2026)
    assert region.township == towns.x
    services.enrol(street, scope="enterprise", enterprise=places["x"], year=2026)
    for target in (
        {"scope": "region", "township": towns.y},
        {"scope": "enterprise", "enterprise": places["y"]},
        {"scope": "industry", "unit": units.yuzhong, "industry": "C"},
    ):
        with pytest.raises(PermissionDenied):
            services.enrol(street, year=2026, **target)
    other = services.enrol(city_admin, scope="enterprise", enterprise=places["y"], year=2026)
    with pytest.raises(PermissionDenied):
        services.withdraw_enrollment(street, other)


def test_a_street_reads_the_evaluations_of_its_enterprises(
    street, places, login_client, api_client
):
    made = {key: granted(places[key], "A", date(2025, 6, 1)) for key in ("x", "y", "z")}
    assert_reads_only(
        login_client(street),
        api_client(street),
        inside={places["x"].name: made["x"].pk},
        outside={places[k].name: made[k].pk for k in ("y", "z")},
        list_url="/harmony/evaluations/",
        api_url="/api/v1/harmony-evaluations/",
        export_url="/harmony/evaluations/export/",
        detail_url=lambda pk: f"/harmony/evaluations/{pk}/",
        api_detail_url=lambda pk: f"/api/v1/harmony-evaluations/{pk}/",
    )
