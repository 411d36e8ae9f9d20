"""The two stock indicators read enterprises as they were on the period's last day: a change
recorded in the registry with its date moves the counts from that day on, and not before."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import EnterpriseFactory
from yutong.core.models import DatedParameter
from yutong.harmony import queries as harmony
from yutong.harmony.models import HarmonyEnrollment
from yutong.indicators import engine
from yutong.indicators.models import Indicator
from yutong.indicators.periods import Period
from yutong.registry import services as registry
from yutong.registry.models import Enterprise
from yutong.relations import queries as relations
from yutong.relations.models import CollectiveContract, ContractCoverage, Union

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)
MAY, JUNE = Period(2025, month=5), Period(2025, month=6)


def _values(code, period, units, **kwargs):
    indicator = Indicator.objects.get(code=code)
    return {v.unit.code: v for v in engine.compute(indicator, period, units, today=TODAY, **kwargs)}


def _pair(value):
    return value.numerator, value.denominator


def _change(actor, enterprise, on, **changes):
    return registry.update_enterprise(
        actor, Enterprise.objects.get(pk=enterprise.pk), effective_on=on, **changes
    )


def _enrol_region(unit, township, starts_on):
    enrollment = HarmonyEnrollment(
        scope="region", unit=unit, township=township, starts_on=starts_on
    )
    enrollment.save()
    return enrollment


def test_a_deregistration_leaves_the_counts_before_its_day(city_admin, yuzhong, township):
    firm = EnterpriseFactory(unit=yuzhong, township=township)
    EnterpriseFactory(unit=yuzhong)
    _enrol_region(yuzhong, township, date(2025, 1, 1))
    _change(city_admin, firm, date(2025, 6, 10), status="deregistered")

    assert _pair(_values("harmony_coverage", MAY, [yuzhong])[yuzhong.code]) == (1, 2)
    assert _pair(_values("harmony_coverage", JUNE, [yuzhong])[yuzhong.code]) == (0, 1)
    app = {row.unit_code: row for row in harmony.coverage(MAY.end)}
    assert (app[yuzhong.code].numerator, app[yuzhong.code].denominator) == (1, 2)
    indicator = Indicator.objects.get(code="harmony_coverage")
    series = engine.trend(indicator, 2025, [yuzhong], today=TODAY)
    assert [series[m][0].denominator for m in (5, 6, 12)] == [2, 1, 1]


def test_a_move_counts_for_the_unit_of_the_day(city_admin, yuzhong, shapingba, township):
    firm = EnterpriseFactory(unit=yuzhong, township=township, employee_count=40)
    _enrol_region(yuzhong, township, date(2025, 1, 1))
    _change(city_admin, firm, date(2025, 6, 1), unit=shapingba, township=None, employee_count=60)

    may = _values("harmony_coverage", MAY, [yuzhong, shapingba, township])
    assert _pair(may[yuzhong.code]) == (1, 1)
    assert _pair(may[township.code]) == (1, 1)
    assert may[shapingba.code].denominator == 0
    june = _values("harmony_coverage", JUNE, [yuzhong, shapingba])
    assert june[yuzhong.code].denominator == 0
    assert _pair(june[shapingba.code]) == (0, 1)

    # The drill-down lists what the count held, with the values of that day.
    indicator = Indicator.objects.get(code="harmony_coverage")
    (firms, _parks) = engine.drill(indicator, MAY, yuzhong, today=TODAY)
    (listed,) = firms.numerator
    assert (listed.pk, listed.unit_name_on, listed.township_name_on, listed.employees_on) == (
        firm.pk,
        yuzhong.name,
        township.name,
        40,
    )
    (firms, _parks) = engine.drill(indicator, JUNE, shapingba, today=TODAY)
    assert [e.employees_on for e in firms.denominator] == [60]
    assert not firms.numerator.exists()
    (firms, _parks) = engine.drill(indicator, JUNE, yuzhong, today=TODAY)
    assert not firms.denominator.exists()


def test_an_enterprise_counts_from_its_founding_day(city_admin, yuzhong):
    registry.register_enterprise(
        city_admin,
        uscc=EnterpriseFactory.build(unit=yuzhong).uscc,
        name="新设企业有限公司",
        unit=yuzhong,
        industry="C",
        ownership="private",
        employee_count=30,
        established_on=date(2025, 6, 15),
    )
    assert _values("harmony_coverage", MAY, [yuzhong])[yuzhong.code].denominator == 0
    assert _values("harmony_coverage", JUNE, [yuzhong])[yuzhong.code].denominator == 1


def test_a_correction_rewrites_the_past(city_admin, yuzhong):
    firm = EnterpriseFactory(unit=yuzhong, status="suspended")
    assert _values("harmony_coverage", MAY, [yuzhong])[yuzhong.code].denominator == 0
    registry.update_enterprise(
        city_admin, Enterprise.objects.get(pk=firm.pk), correction=True, status="operating"
    )
    assert _values("harmony_coverage", MAY, [yuzhong])[yuzhong.code].denominator == 1


@pytest.fixture
def key_threshold(db):
    DatedParameter.objects.update_or_create(
        code="key_enterprise_min_employees",
        unit=None,
        valid_from=date(2020, 1, 1),
        defaults={"value": Decimal(100), "source": "测试"},
    )


def _union(firm, since):
    return Union.objects.create(
        enterprise=firm,
        unit=firm.unit,
        name=f"{firm.name}工会",
        form="committee",
        established_on=since,
        members=20,
        chair="王某",
        dues_rate=Decimal(2),
    )


def _contract(firm, effective_from):
    contract = CollectiveContract.objects.create(
        scope="enterprise",
        kind="general",
        title="集体合同",
        unit=firm.unit,
        enterprise=firm,
        term_start=effective_from,
        expires_on=date(2027, 12, 31),
        effective_from=effective_from,
        stage="filed",
    )
    ContractCoverage.objects.create(contract=contract, enterprise=firm)


def test_a_growing_enterprise_becomes_a_key_enterprise_on_its_day(
    city_admin, city, yuzhong, key_threshold
):
    grower = EnterpriseFactory(unit=yuzhong, employee_count=80)
    steady = EnterpriseFactory(unit=yuzhong, employee_count=150)
    for firm in (grower, steady):
        _union(firm, date(2024, 1, 1))
    _contract(steady, date(2025, 1, 1))
    _change(city_admin, grower, date(2025, 6, 20), employee_count=180)

    assert _pair(_values("collective_contract_rate", MAY, [yuzhong])[yuzhong.code]) == (1, 1)
    assert _pair(_values("collective_contract_rate", JUNE, [yuzhong])[yuzhong.code]) == (1, 2)
    everyone = Enterprise.objects.all()
    may = relations.collective_contract_rate(everyone, MAY.end)
    assert (may.covered, may.total) == (1, 1)
    # The to-do list of key enterprises without a contract, as of a day.
    assert not relations.no_contract(everyone, MAY.end).exists()
    assert list(relations.no_contract(everyone, JUNE.end)) == [grower]
    assert list(relations.no_contract(everyone, TODAY)) == [grower]


def test_a_shrinking_enterprise_leaves_the_to_do_lists_from_its_day(
    city_admin, yuzhong, key_threshold
):
    DatedParameter.objects.update_or_create(
        code="union_committee_min_members",
        unit=None,
        valid_from=date(2020, 1, 1),
        defaults={"value": Decimal(25), "source": "测试"},
    )
    firm = EnterpriseFactory(unit=yuzhong, employee_count=60)
    _change(city_admin, firm, date(2025, 6, 5), employee_count=10)
    everyone = Enterprise.objects.all()
    assert list(relations.no_union(everyone, MAY.end)) == [firm]
    assert not relations.no_union(everyone, JUNE.end).exists()
    assert not relations.no_union(everyone, TODAY).exists()
