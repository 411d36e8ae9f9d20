"""Factories for test data. Org units of the city and district level come from migrations;
townships, organisations, users and enterprises are made here."""

from __future__ import annotations

import factory
from stdnum.cn import uscc as stdnum_uscc

from yutong.core import scope
from yutong.core.models import Organisation, OrgUnit, Role, User
from yutong.core.personal import blind_index
from yutong.registry.models import Enterprise, IndustrialPark

PASSWORD = "Shancheng-Test-2026!"
PHONE = "13812345678"
MASKED_PHONE = "138****5678"

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


# Wage figures the migrations ship (disputes 0006): a test that states its own values, or needs
# them absent, clears these first.
SHIPPED_WAGE_PARAMETERS = (
    "min_wage_monthly_tier1",
    "min_wage_monthly_tier2",
    "min_wage_tier",
    "avg_wage_monthly_prev_year",
    "period_count_first_day",
)


def clear_shipped_wage_parameters() -> None:
    from yutong.core.models import DatedParameter

    DatedParameter.objects.filter(code__in=SHIPPED_WAGE_PARAMETERS).delete()


def make_uscc(district_code: str, serial: int) -> str:
    """A valid 18-character USCC: 9 (工商) 1 (企业) + district code + 9-char serial + check."""
    chars = []
    for _ in range(9):
        serial, rest = divmod(serial, len(USCC_ALPHABET))
        chars.append(USCC_ALPHABET[rest])
    first17 = "91" + district_code + "".join(reversed(chars))
    return first17 + stdnum_uscc.calc_check_digit(first17)


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


class TownshipFactory(factory.django.DjangoModelFactory):
    """A street (街道) under a district-level unit: code = district code + 3 digits."""

    class Meta:
        model = OrgUnit
        skip_postgeneration_save = True

    parent = factory.LazyFunction(lambda: unit("500103"))
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.parent.code}{n % 1000:03d}")
    name = factory.Sequence(lambda n: f"测试{n}街道")
    level = OrgUnit.Level.TOWNSHIP
    kind = OrgUnit.Kind.STREET
    path = factory.LazyAttribute(lambda o: f"{o.parent.path}{o.code}/")

    @factory.post_generation
    def finish(obj, create, extracted, **kwargs):  # noqa: N805 (factory-boy's signature)
        if create:
            obj.current = obj
            obj.save(update_fields=["current"])
            scope.invalidate_unit_cache()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试机构{n}")
    kind = Organisation.Kind.HRSS_BUREAU
    unit = factory.LazyFunction(lambda: unit("500103"))
    uscc = ""


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"测试用户{n}")
    unit = factory.LazyFunction(lambda: unit("500103"))
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.roles.set(Role.objects.filter(code__in=list(extracted)))
            obj._role_codes = None


class IndustrialParkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndustrialPark

    code = factory.Sequence(lambda n: f"P{n:04d}")
    name = factory.Sequence(lambda n: f"测试工业园{n}")
    unit = factory.LazyFunction(lambda: unit("500103"))


class EnterpriseFactory(factory.django.DjangoModelFactory):
    """An enterprise written straight to the table (set-up data, not the service under test)."""

    class Meta:
        model = Enterprise

    unit = factory.LazyFunction(lambda: unit("500103"))
    uscc = factory.LazyAttributeSequence(lambda o, n: make_uscc(o.unit.code, 1000 + n))
    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    industry = "C"
    ownership = "private"
    employee_count = 50
    status = "operating"
    union_established = False
    contact_phone = PHONE
    contact_phone_hash = factory.LazyAttribute(
        lambda o: blind_index(o.contact_phone) if o.contact_phone else ""
    )


def township_staff(township: OrgUnit, *role_codes: str, **kwargs) -> User:
    """An account of a township or street (劳动保障所/站, 调解组织) with the given roles."""
    kwargs.setdefault("username", f"town_{township.code}_{'_'.join(role_codes) or 'none'}")
    return UserFactory(unit=township, roles=list(role_codes), **kwargs)
