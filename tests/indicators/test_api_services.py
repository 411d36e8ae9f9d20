from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yutong.core.models import AuditEntry
from yutong.indicators import services
from yutong.indicators.models import Indicator, IndicatorTarget

VALUES = "/api/v1/indicator-values/"


@pytest.fixture
def indicator(db):
    return Indicator.objects.get(code="arbitration_closure")


# --- settings and targets (services) -----------------------------------------------------------


def test_settings_change_is_audited_and_versioned(city_admin, indicator):
    services.update_settings(
        city_admin,
        indicator,
        options={"include_carried_over": "false", "at_risk_margin": "1.5"},
        expected_version=1,
    )
    indicator.refresh_from_db()
    assert indicator.options["include_carried_over"] is False
    assert indicator.options["at_risk_margin"] == "1.5"
    assert indicator.options["rounding"] == "round"  # untouched options keep their value
    assert indicator.version == 2
    entry = AuditEntry.objects.get(action="update_indicator_settings")
    assert entry.changes["include_carried_over"] == [True, False]


@pytest.mark.parametrize(
    "options, field",
    [
        ({"rounding": "ceiling"}, "rounding"),
        ({"decimals": 3}, "decimals"),
        ({"decimals": "two"}, "decimals"),
        ({"at_risk_margin": "-1"}, "at_risk_margin"),
        ({"at_risk_margin": 1.5}, "at_risk_margin"),
        ({"include_carried_over": "maybe"}, "include_carried_over"),
        ({"min_headcount": 5}, "min_headcount"),  # an option of another indicator
    ],
)
def test_bad_settings_change_nothing(city_admin, indicator, options, field):
    with pytest.raises(ValidationError) as caught:
        services.update_settings(city_admin, indicator, options=options, expected_version=1)
    assert field in caught.value.message_dict
    indicator.refresh_from_db()
    assert indicator.version == 1
    assert not AuditEntry.objects.filter(action="update_indicator_settings").exists()


def test_stale_settings_change_is_a_conflict(city_admin, indicator):
    services.update_settings(city_admin, indicator, options={"decimals": 1}, expected_version=1)
    with pytest.raises(ValidationError) as caught:
        services.update_settings(city_admin, indicator, options={"decimals": 2}, expected_version=1)
    assert caught.value.code == "conflict"


def test_only_the_city_admin_changes_settings_and_targets(district_staff, indicator, yuzhong):
    with pytest.raises(PermissionDenied):
        services.update_settings(district_staff, indicator, options={}, expected_version=1)
    with pytest.raises(PermissionDenied):
        services.set_target(district_staff, indicator, year=2026, value="99", unit=yuzhong)


def test_unit_target_set_changed_and_removed(city_admin, indicator, yuzhong):
    target = services.set_target(city_admin, indicator, year=2026, value="98.5", unit=yuzhong)
    services.set_target(city_admin, indicator, year=2026, value="99", unit=yuzhong)
    target.refresh_from_db()
    assert target.value == Decimal("99")
    assert AuditEntry.objects.filter(action="set_indicator_target").count() == 2
    services.remove_target(city_admin, target)
    assert not IndicatorTarget.objects.filter(unit=yuzhong).exists()
    default = IndicatorTarget.objects.get(indicator=indicator, unit=None, year=2026)
    with pytest.raises(ValidationError):
        services.remove_target(city_admin, default)


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"year": 2026, "value": "101"}, "value"),
        ({"year": 2026, "value": "abc"}, "value"),
        ({"year": 2026, "value": "97.125"}, "value"),
        ({"year": 1900, "value": "97"}, "year"),
    ],
)
def test_bad_targets(city_admin, indicator, kwargs, field):
    with pytest.raises(ValidationError) as caught:
        services.set_target(city_admin, indicator, **kwargs)
    assert field in caught.value.message_dict


def test_no_target_on_a_township(city_admin, indicator, township):
    with pytest.raises(ValidationError) as caught:
        services.set_target(city_admin, indicator, year=2026, value="97", unit=township)
    assert "unit" in caught.value.message_dict


# --- API -------------------------------------------------------------------------------------


def test_indicator_definitions(api_client, district_staff):
    response = api_client(district_staff).get("/api/v1/indicators/")
    assert response.status_code == 200
    codes = [row["code"] for row in response.json()]
    assert codes == [
        "harmony_coverage",
        "arbitration_closure",
        "mediation_success",
        "inspection_closure",
        "wage_arrears_closure",
        "collective_contract_rate",
    ]
    arbitration = response.json()[1]
    assert arbitration["settings"]["include_carried_over"] is True
    assert {
        "year": 2026,
        "unit": None,
        "value": "97.00",
        "note": arbitration["targets"][2]["note"],
    } in (arbitration["targets"])


def test_settings_and_targets_through_the_api(api_client, city_admin, district_staff, yuzhong):
    client = api_client(city_admin)
    url = "/api/v1/indicators/arbitration_closure/"
    response = client.patch(url, {"options": {"decimals": 1}, "version": 1}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["settings"]["decimals"] == 1
    stale = client.patch(url, {"options": {"decimals": 2}, "version": 1}, format="json")
    assert stale.status_code == 409
    bad = client.patch(url, {"options": {"decimals": 9}, "version": 2}, format="json")
    assert bad.status_code == 400 and "decimals" in bad.json()
    target = client.post(
        url + "targets/", {"year": 2026, "value": "98", "unit": "500103"}, format="json"
    )
    assert target.status_code == 201 and target.json()["unit"] == "500103"
    denied = api_client(district_staff).patch(
        url, {"options": {"decimals": 2}, "version": 2}, format="json"
    )
    assert denied.status_code == 403


def test_values_for_every_unit(api_client, district_staff, cases, yuzhong):
    cases.arbitration(yuzhong, "2025-12-01", "2026-01-10")
    cases.arbitration(yuzhong, "2026-02-01")
    response = api_client(district_staff).get(
        VALUES, {"indicator": "arbitration_closure", "year": 2026}
    )
    assert response.status_code == 200
    rows = {row["unit"]: row for row in response.json()}
    assert "500000" in rows and len(rows) >= 40
    row = rows["500103"]
    assert row["numerator"] == 1 and row["denominator"] == 2
    assert (row["value"], row["target"], row["gap"]) == ("50.00", "97.00", "-47.00")
    assert row["period"] == "2026" and row["status"] in ("at_risk", "missed")
    assert row["settings"]["options"]["include_carried_over"] is True


def test_values_for_one_unit_and_month(api_client, district_staff, cases, yuzhong):
    cases.arbitration(yuzhong, "2026-02-01", "2026-02-20")
    response = api_client(district_staff).get(
        VALUES, {"indicator": "arbitration_closure", "unit": "500103", "year": 2026, "month": 2}
    )
    (row,) = response.json()
    assert (row["period"], row["value"], row["status"]) == ("2026-02", "100.00", "met")


def test_all_indicators_and_unavailable_ones(api_client, district_staff):
    response = api_client(district_staff).get(VALUES, {"unit": "500103", "year": 2026})
    statuses = {row["indicator"]: row["status"] for row in response.json()}
    assert len(statuses) == 6
    assert statuses["arbitration_closure"] == "no_data"


@pytest.mark.parametrize(
    "params, field",
    [
        ({}, "year"),
        ({"year": "abc"}, "year"),
        ({"year": 2026, "quarter": 7}, "quarter"),
        ({"year": 2026, "month": 1, "quarter": 1}, "month"),
        ({"year": 2026, "as_of": "2026-02-30"}, "as_of"),
        ({"year": 2026, "indicator": "happiness"}, "indicator"),
        ({"year": 2026, "unit": "999999"}, "unit"),
        ({"year": 2026, "basis": "tomorrow"}, "basis"),
    ],
)
def test_bad_value_requests(api_client, district_staff, params, field):
    response = api_client(district_staff).get(VALUES, params)
    assert response.status_code == 400
    assert field in response.json()


def test_values_are_for_staff_only(api_client, enterprise_user, client):
    assert api_client(enterprise_user).get(VALUES, {"year": 2026}).status_code == 403
    assert client.get(VALUES, {"year": 2026}).status_code in (401, 403)
