"""Township accounts in collective labour relations: the unions, contracts (their
enterprises' own and the regional ones of the township) and employment filings of their
township, through the list, the page, the API and the export; acting on them and on nothing
else."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import township_staff
from tests.relations.conftest import draft, establish
from tests.township_checks import assert_reads_only
from yutong.core import roles
from yutong.relations import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def street(streets):
    """An account of 解放碑街道 (big and mid are its enterprises; small is 朝天门's)."""
    return township_staff(streets.jiefangbei, roles.UNION_OFFICER, roles.DISTRICT_STAFF)


@pytest.fixture
def all_unions(unions, firms, union_officer, spb_union_officer):
    return {
        "big": unions.big,
        "mid": unions.mid,
        "small": establish(union_officer, firms.small),
        "other": establish(spb_union_officer, firms.other),
    }


def labels(records, keys, attribute="name"):
    return {getattr(records[k], attribute): records[k].pk for k in keys}


def test_a_street_reads_its_unions(street, all_unions, login_client, api_client):
    assert_reads_only(
        login_client(street),
        api_client(street),
        inside=labels(all_unions, ["big", "mid"]),
        outside=labels(all_unions, ["small", "other"]),
        list_url="/relations/unions/",
        api_url="/api/v1/unions/",
        detail_url=lambda pk: f"/relations/unions/{pk}/",
        api_detail_url=lambda pk: f"/api/v1/unions/{pk}/",
    )


def test_a_street_reads_its_contracts_and_its_regional_contract(
    street, all_unions, firms, streets, union_officer, login_client, api_client
):
    contracts = {
        "big": draft(union_officer, firms.big),
        "small": draft(union_officer, firms.small),
        "regional": draft(
            union_officer,
            None,
            scope="regional",
            region=streets.jiefangbei,
            covered=[firms.big, firms.mid],
            title="解放碑街道区域性集体合同",
        ),
        "other": draft(
            union_officer,
            None,
            scope="regional",
            region=streets.chaotianmen,
            covered=[firms.small],
            title="朝天门街道区域性集体合同",
        ),
    }
    assert_reads_only(
        login_client(street),
        api_client(street),
        inside=labels(contracts, ["big", "regional"], "title"),
        outside=labels(contracts, ["small", "other"], "title"),
        list_url="/relations/contracts/",
        api_url="/api/v1/collective-contracts/",
        export_url="/relations/contracts/export/",
        detail_url=lambda pk: f"/relations/contracts/{pk}/",
        api_detail_url=lambda pk: f"/api/v1/collective-contracts/{pk}/",
    )


def test_a_street_acts_for_its_enterprises_only(street, all_unions, firms, streets):
    contract = draft(street, firms.big)
    assert contract.enterprise == firms.big
    regional = draft(
        street,
        None,
        scope="regional",
        region=streets.jiefangbei,
        covered=[firms.big, firms.mid],
        title="解放碑街道区域性集体合同",
    )
    assert regional.region == streets.jiefangbei
    with pytest.raises(PermissionDenied):
        draft(street, firms.small)
    with pytest.raises(PermissionDenied):
        establish(street, firms.tiny)  # a 渝中 enterprise of no street
    with pytest.raises(PermissionDenied):
        services.update_union(street, all_unions["small"], **figures(all_unions["small"]))
    assert services.update_union(street, all_unions["big"], **figures(all_unions["big"]))


def figures(union) -> dict:
    return {
        "name": union.name,
        "form": union.form,
        "members": union.members,
        "chair": "李主席",
        "fulltime_staff": union.fulltime_staff,
        "dues_rate": Decimal("2.0"),
    }


def test_a_street_reads_its_employment_filings(
    street, firms, district_staff, shapingba_staff, login_client, api_client
):
    def file(actor, enterprise):
        return services.file_employment(
            actor,
            enterprise=enterprise,
            period=date(2025, 6, 1),
            employees=enterprise.employee_count,
            contracted=enterprise.employee_count,
            dispatched=0,
            insured=enterprise.employee_count,
        )

    filings = {
        "big": file(district_staff, firms.big),
        "small": file(district_staff, firms.small),
        "tiny": file(district_staff, firms.tiny),
        "other": file(shapingba_staff, firms.other),
    }
    names = {key: filing.enterprise.name for key, filing in filings.items()}
    assert_reads_only(
        login_client(street),
        api_client(street),
        inside={names["big"]: filings["big"].pk},
        outside={names[k]: filings[k].pk for k in ("small", "tiny", "other")},
        list_url="/relations/filings/?period=2025-06",
        api_url="/api/v1/employment-filings/",
        export_url="/relations/filings/export/?period=2025-06",
        api_detail_url=lambda pk: f"/api/v1/employment-filings/{pk}/",
    )
