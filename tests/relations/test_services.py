"""Services of collective labour relations: the rules of §7 (and the dispatch cap of §5), every
bad input refused with nothing written, and the dates that make the indicator exact."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories import EnterpriseFactory
from tests.relations.conftest import SIGNED, draft, establish, to_stage
from yutong.core import clocks
from yutong.core.models import AuditEntry
from yutong.registry.models import Enterprise
from yutong.relations import queries, services
from yutong.relations.models import (
    CollectiveBargaining,
    CollectiveContract,
    ContractEvent,
    EmploymentFiling,
    FollowUpItem,
    TripartiteMeeting,
    Union,
    WorkersCongress,
)

pytestmark = pytest.mark.django_db


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- unions ------------------------------------------------------------------------------------


def test_establishing_a_union_sets_the_registry_flag_and_audits(union_officer, firms):
    assert not firms.big.union_established
    union = establish(union_officer, firms.big)
    assert union.unit == firms.big.unit
    assert union.dues_rate == Decimal("2")  # the dated parameter (工会法 Art.43)
    firms.big.refresh_from_db()
    assert firms.big.union_established
    assert firms.big.version == 2  # changed through the registry's own service
    entry = AuditEntry.objects.get(action="establish_union")
    assert entry.actor == union_officer
    assert entry.changes["members"] == [None, 100]
    flag = AuditEntry.objects.get(action="set_union_established", object_id=firms.big.pk)
    assert flag.actor == union_officer  # the officer's own name, not the system account


def test_district_staff_sync_the_flag_under_their_own_name(district_staff, firms):
    establish(district_staff, firms.mid)
    entry = AuditEntry.objects.get(action="set_union_established")
    assert entry.actor == district_staff


def test_dissolving_clears_the_flag_and_keeps_the_dates(union_officer, firms, unions):
    union = services.dissolve_union(
        union_officer, unions.big, dissolved_on=date(2025, 9, 1), reason="企业改制"
    )
    assert union.dissolved_on == date(2025, 9, 1)
    firms.big.refresh_from_db()
    assert not firms.big.union_established
    # As of a day before the dissolution the union was in being.
    on_day = Union.objects.filter(queries.union_active_q(date(2025, 8, 31)))
    assert union in on_day
    assert union not in Union.objects.filter(queries.union_active_q(date(2025, 9, 1)))
    with pytest.raises(ValidationError):
        services.dissolve_union(union_officer, union, dissolved_on=date(2025, 9, 2), reason="x")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"form": "organiser", "members": 25}, "form"),  # 25 members: a committee is required
        ({"members": 301}, "members"),  # more members than employees
        ({"dues_rate": Decimal("1.5")}, "dues_rate"),  # below the 2 % of 工会法 Art.43
        ({"fulltime_staff": 500}, "fulltime_staff"),
        ({"established_on": date(2999, 1, 1)}, "established_on"),
        ({"chair": " "}, "chair"),
    ],
)
def test_bad_union_input_is_refused_and_nothing_written(union_officer, firms, overrides, field):
    with pytest.raises(ValidationError) as excinfo:
        establish(union_officer, firms.big, **overrides)
    assert field in errors_of(excinfo)
    assert not Union.objects.exists()
    assert not AuditEntry.objects.exists()
    firms.big.refresh_from_db()
    assert not firms.big.union_established


def test_an_organiser_for_fewer_than_25_members(union_officer, firms):
    union = establish(union_officer, firms.tiny, form="organiser", members=8, fulltime_staff=0)
    assert union.form == "organiser"


def test_one_union_per_enterprise_and_none_without_employees(union_officer, firms, unions):
    with pytest.raises(ValidationError) as excinfo:
        establish(union_officer, firms.big)
    assert "enterprise" in errors_of(excinfo)
    empty = EnterpriseFactory(unit=firms.big.unit, employee_count=0)
    with pytest.raises(ValidationError):
        establish(union_officer, empty, members=1)


def test_union_officer_of_another_district_cannot_act(spb_union_officer, firms):
    with pytest.raises(PermissionDenied):
        establish(spb_union_officer, firms.big)


def test_enterprise_user_cannot_register_a_union(enterprise_user, own_enterprise):
    with pytest.raises(PermissionDenied):
        establish(enterprise_user, own_enterprise)


def test_stale_version_is_a_conflict(union_officer, unions):
    stale = unions.big.version
    services.update_union(
        union_officer,
        unions.big,
        expected_version=stale,
        name="新名称",
        form="committee",
        members=120,
        chair="李主席",
        fulltime_staff=2,
        dues_rate=Decimal("2"),
    )
    with pytest.raises(ValidationError) as excinfo:
        services.dissolve_union(
            union_officer,
            unions.big,
            dissolved_on=date(2025, 1, 1),
            reason="x",
            expected_version=stale,
        )
    assert excinfo.value.code == "conflict"
    assert Union.objects.get(pk=unions.big.pk).dissolved_on is None


# --- the to-do lists ---------------------------------------------------------------------------


def test_todo_lists_filter_in_the_database(union_officer, firms, unions):
    today = timezone.localdate()
    no_committee = set(queries.todo_list(union_officer, "no_committee", today))
    assert no_committee == set()  # both unions are committees (members, not employees, count)
    # 25 or more employees and no union at all: small (30); tiny (10) is under the line
    assert list(queries.todo_list(union_officer, "no_union", today)) == [firms.small]
    no_fulltime = set(queries.todo_list(union_officer, "no_fulltime", today))
    assert no_fulltime == set()  # big has full-time staff; mid (120) is under 200
    no_contract = list(queries.todo_list(union_officer, "no_contract", today))
    assert no_contract == [firms.big, firms.mid]  # key enterprises, largest first
    # The other district's 500-employee firm never shows.
    assert firms.other not in set(queries.todo_list(union_officer, "no_fulltime", today))


def test_city_union_officer_sees_every_district(city, firms):
    from tests.factories import UserFactory
    from yutong.core import roles

    officer = UserFactory(unit=city, roles=[roles.UNION_OFFICER])
    assert firms.other in set(queries.todo_list(officer, "no_fulltime"))


def test_key_enterprise_threshold_is_a_setting(city_admin, union_officer, firms, unions):
    from yutong.core import services as core_services

    today = timezone.localdate()
    assert set(queries.todo_list(union_officer, "no_contract", today)) == {firms.big, firms.mid}
    core_services.set_parameter(
        city_admin,
        code="key_enterprise_min_employees",
        valid_from=date(2024, 1, 1),
        value=Decimal("200"),
        source="测试",
    )
    assert set(queries.todo_list(union_officer, "no_contract", today)) == {firms.big}


# --- bargaining --------------------------------------------------------------------------------


def test_bargaining_request_reply_due_in_20_days_with_roll_forward(union_officer, firms, unions):
    # 2025-09-11 + 20 days = 2025-10-01, National Day: the period ends on 10-09 (first workday).
    bargaining = services.request_bargaining(
        union_officer,
        enterprise=firms.big,
        topic="wages",
        year=2025,
        requested_by="union",
        requested_on=date(2025, 9, 11),
    )
    assert bargaining.reply_due_on == clocks.add_calendar_days(date(2025, 9, 11), 20)
    assert bargaining.reply_due_on == date(2025, 10, 9)
    assert bargaining.union == unions.big
    overdue = queries.bargaining_queue(
        CollectiveBargaining.objects.all(), "reply_overdue", date(2025, 10, 10)
    )
    assert list(overdue) == [bargaining]
    services.reply_bargaining(
        union_officer, bargaining, replied_on=date(2025, 10, 10), reply="同意协商"
    )
    bargaining.refresh_from_db()
    assert bargaining.status == "in_talks"
    assert "逾期 1 日" in bargaining.events.get(kind="replied").text


def test_no_bargaining_without_a_union(union_officer, firms):
    with pytest.raises(ValidationError) as excinfo:
        services.request_bargaining(
            union_officer,
            enterprise=firms.small,
            topic="general",
            year=2025,
            requested_by="union",
            requested_on=date(2025, 3, 1),
        )
    assert "enterprise" in errors_of(excinfo)
    assert not CollectiveBargaining.objects.exists()


def test_rounds_suspension_at_most_30_days_then_agreement(union_officer, firms, unions):
    bargaining = services.request_bargaining(
        union_officer,
        enterprise=firms.big,
        topic="general",
        year=2025,
        requested_by="employer",
        requested_on=date(2025, 3, 3),
    )
    services.reply_bargaining(union_officer, bargaining, replied_on=date(2025, 3, 10), reply="好")
    with pytest.raises(ValidationError) as excinfo:
        services.record_round(
            union_officer,
            bargaining,
            held_on=date(2025, 3, 14),
            summary="分歧较大",
            outcome="suspend",
            resume_by=date(2025, 5, 1),
        )
    assert "resume_by" in errors_of(excinfo)
    assert not bargaining.rounds.exists()
    services.record_round(
        union_officer,
        bargaining,
        held_on=date(2025, 3, 14),
        summary="分歧较大",
        outcome="suspend",
        resume_by=date(2025, 4, 10),
    )
    bargaining.refresh_from_db()
    assert bargaining.status == "suspended"
    services.record_round(
        union_officer, bargaining, held_on=date(2025, 4, 8), summary="达成一致", outcome="agree"
    )
    bargaining.refresh_from_db()
    assert (bargaining.status, bargaining.concluded_on) == ("concluded", date(2025, 4, 8))
    assert [r.number for r in bargaining.rounds.all()] == [1, 2]
    with pytest.raises(ValidationError) as excinfo:
        services.record_round(
            union_officer, bargaining, held_on=date(2025, 4, 9), summary="x", outcome="continue"
        )
    assert excinfo.value.code == "invalid_state"


# --- contracts: the way to effect --------------------------------------------------------------


def test_contract_from_draft_to_effect(union_officer, district_staff, firms, unions):
    contract = draft(union_officer, firms.big)
    assert contract.status == "draft"
    assert list(contract.covered_enterprises.all()) == [firms.big]
    assert contract.union == unions.big
    contract = services.approve_contract(
        union_officer,
        contract,
        adopted_on=SIGNED,
        congress_total=60,
        congress_attending=40,  # exactly two thirds
        congress_approving=31,  # more than half of all 60
    )
    assert contract.status == "adopted"
    contract = services.sign_contract(union_officer, contract, signed_on=SIGNED)
    assert contract.filing_due_on == date(2025, 3, 13)  # 10 days after signing
    contract = services.file_contract(district_staff, contract, filed_on=date(2025, 3, 13))
    assert contract.review_due_on == date(2025, 3, 28)  # 15 days after receipt
    assert contract.effective_from == date(2025, 4, 1)  # the agreed term starts later
    assert contract.status_on(date(2025, 3, 20)) == "under_review"
    assert contract.status_on(date(2025, 4, 1)) == "effective"
    assert contract.status_on(date(2028, 4, 1)) == "expired"
    assert contract.publication_due_on == clocks.add_calendar_days(date(2025, 4, 1), 10)
    kinds = list(ContractEvent.objects.filter(case=contract).values_list("kind", flat=True))
    assert kinds == ["drafted", "adopted", "signed", "filed"]


def test_without_an_objection_it_takes_effect_the_day_after_review(union_officer, firms, unions):
    contract = draft(union_officer, firms.big, term_start=date(2025, 1, 1))
    contract = to_stage(union_officer, contract, "filed", filed_on=date(2025, 3, 5))
    assert contract.review_due_on == date(2025, 3, 20)
    assert contract.effective_from == date(2025, 3, 21)
    assert CollectiveContract.objects.filter(
        queries.contract_status_q("effective", date(2025, 3, 21))
    ).exists()
    assert not CollectiveContract.objects.filter(
        queries.contract_status_q("effective", date(2025, 3, 20))
    ).exists()


@pytest.mark.parametrize(
    ("attending", "approving", "field"),
    [
        (39, 35, "congress_attending"),  # 39 of 60 is under two thirds
        (45, 30, "congress_approving"),  # 30 of 60 is not more than half
        (61, 40, "congress_attending"),  # more than attend
        (45, 46, "congress_approving"),
    ],
)
def test_approval_without_quorum_is_refused(
    union_officer, firms, unions, attending, approving, field
):
    contract = draft(union_officer, firms.big)
    with pytest.raises(ValidationError) as excinfo:
        services.approve_contract(
            union_officer,
            contract,
            adopted_on=SIGNED,
            congress_total=60,
            congress_attending=attending,
            congress_approving=approving,
        )
    assert field in errors_of(excinfo)
    contract.refresh_from_db()
    assert (contract.stage, contract.adopted_on, contract.version) == ("draft", None, 1)
    assert not AuditEntry.objects.filter(action="approve_contract").exists()


def test_filing_after_the_deadline_is_received_and_marked_late(
    union_officer, district_staff, firms, unions
):
    contract = to_stage(union_officer, draft(union_officer, firms.big), "signed")
    contract = services.file_contract(district_staff, contract, filed_on=date(2025, 3, 14))
    contract.refresh_from_db()
    assert (contract.stage, contract.filed_late) == ("filed", True)
    assert contract.review_due_on == date(2025, 3, 31)  # from receipt, moved off Saturday


def test_a_term_over_three_years_or_under_one_is_refused(union_officer, firms, unions):
    for expires_on in (date(2028, 4, 1), date(2026, 3, 30)):
        with pytest.raises(ValidationError) as excinfo:
            draft(union_officer, firms.big, term_start=date(2025, 4, 1), expires_on=expires_on)
        assert "expires_on" in errors_of(excinfo)
    assert not CollectiveContract.objects.exists()
    draft(union_officer, firms.big, term_start=date(2025, 4, 1), expires_on=date(2026, 3, 31))


def test_no_enterprise_contract_without_a_union(union_officer, firms):
    with pytest.raises(ValidationError) as excinfo:
        draft(union_officer, firms.small)
    assert "enterprise" in errors_of(excinfo)


def test_regional_contract_must_stay_inside_its_region(union_officer, firms, streets):
    with pytest.raises(ValidationError) as excinfo:
        draft(
            union_officer,
            None,
            scope="regional",
            title="解放碑街道区域性集体合同",
            region=streets.jiefangbei,
            covered=[firms.big, firms.small],
        )
    assert "朝天门餐饮有限公司" in errors_of(excinfo)["covered_enterprises"][0]
    assert not CollectiveContract.objects.exists()
    contract = draft(
        union_officer,
        None,
        scope="regional",
        title="解放碑街道区域性集体合同",
        region=streets.jiefangbei,
        covered=[firms.big, firms.mid],
    )
    assert contract.unit == firms.big.unit  # the street's district
    assert contract.employees_covered == 420


def test_industry_contract_covers_its_industry_in_its_unit(union_officer, firms, yuzhong):
    with pytest.raises(ValidationError) as excinfo:
        draft(
            union_officer,
            None,
            scope="industry",
            title="渝中区制造业行业性集体合同",
            unit=yuzhong,
            industry="C",
            covered=[firms.big, firms.small],
        )
    assert "covered_enterprises" in errors_of(excinfo)


def test_a_regional_contract_in_another_district_is_refused(union_officer, shapingba, firms):
    with pytest.raises(PermissionDenied):
        draft(
            union_officer,
            None,
            scope="regional",
            title="沙坪坝区区域性集体合同",
            region=shapingba,
            covered=[firms.other],
        )


def test_actions_in_the_wrong_state(union_officer, district_staff, firms, unions):
    contract = draft(union_officer, firms.big)
    with pytest.raises(ValidationError) as excinfo:
        services.file_contract(district_staff, contract, filed_on=SIGNED)
    assert excinfo.value.code == "invalid_state"
    with pytest.raises(ValidationError) as excinfo:
        services.object_contract(district_staff, contract, objected_on=SIGNED, reason="x")
    assert excinfo.value.code == "invalid_state"
    with pytest.raises(ValidationError) as excinfo:
        services.renew_contract(union_officer, contract, expires_on=date(2031, 3, 31))
    assert excinfo.value.code == "invalid_state"


def test_objection_within_the_review_period(union_officer, district_staff, firms, unions):
    contract = to_stage(union_officer, draft(union_officer, firms.big), "filed")
    with pytest.raises(PermissionDenied):  # the review is the labour administration's
        services.object_contract(union_officer, contract, objected_on=SIGNED, reason="x")
    contract = services.object_contract(
        district_staff, contract, objected_on=date(2025, 3, 10), reason="工资条款低于最低工资标准"
    )
    assert contract.status == "objected"
    assert contract.effective_from is None
    assert not CollectiveContract.objects.filter(
        queries.contract_in_force_q(date(2025, 6, 1))
    ).exists()


def test_no_objection_after_the_review_period(union_officer, district_staff, firms, unions):
    contract = to_stage(union_officer, draft(union_officer, firms.big), "filed")
    late = contract.review_due_on + timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        services.object_contract(district_staff, contract, objected_on=late, reason="x")
    assert "objected_on" in errors_of(excinfo)
    contract.refresh_from_db()
    assert contract.stage == "filed"


def test_filing_with_the_city_only_for_city_level_enterprises(union_officer, city, firms, unions):
    contract = to_stage(union_officer, draft(union_officer, firms.big), "signed")
    with pytest.raises(ValidationError) as excinfo:
        services.file_contract(union_officer, contract, filed_on=SIGNED, filing_venue=city)
    assert "filing_venue" in errors_of(excinfo)
    Enterprise.objects.filter(pk=firms.big.pk).update(ownership="state_owned")
    contract.refresh_from_db()
    contract = services.file_contract(union_officer, contract, filed_on=SIGNED, filing_venue=city)
    assert contract.filing_venue == city


def test_termination_keeps_the_day(union_officer, firms, unions):
    contract = to_stage(
        union_officer, draft(union_officer, firms.big, term_start=date(2025, 1, 1)), "filed"
    )
    services.terminate_contract(
        union_officer, contract, terminated_on=date(2025, 6, 30), reason="企业合并"
    )
    in_force = CollectiveContract.objects.filter
    assert in_force(queries.contract_in_force_q(date(2025, 6, 29))).exists()
    assert not in_force(queries.contract_in_force_q(date(2025, 6, 30))).exists()


def test_renewal_opens_three_months_before_expiry(union_officer, firms, unions):
    today = timezone.localdate()
    start = today - timedelta(days=400)
    far = draft(
        union_officer,
        firms.big,
        term_start=start,
        expires_on=services.add_years(start, 2) - timedelta(days=1),
    )
    far = to_stage(union_officer, far, "filed", signed_on=start, filed_on=start)
    with pytest.raises(ValidationError) as excinfo:
        services.renew_contract(union_officer, far, expires_on=date(2031, 1, 1))
    assert "可以续订" in excinfo.value.messages[0]
    services.terminate_contract(union_officer, far, terminated_on=today, reason="测试")

    soon = draft(
        union_officer,
        firms.big,
        term_start=start,
        expires_on=today + timedelta(days=30),
    )
    soon = to_stage(union_officer, soon, "filed", signed_on=start, filed_on=start)
    expiring = queries.contract_queue(CollectiveContract.objects.all(), "expiring", today)
    assert list(expiring) == [soon]
    renewal = services.renew_contract(
        union_officer, soon, expires_on=services.add_years(soon.expires_on, 3)
    )
    assert renewal.previous == soon
    assert renewal.term_start == soon.expires_on + timedelta(days=1)
    assert renewal.status == "draft"
    assert list(renewal.covered_enterprises.all()) == [firms.big]
    assert not queries.contract_queue(CollectiveContract.objects.all(), "expiring", today)
    with pytest.raises(ValidationError):
        services.renew_contract(union_officer, soon, expires_on=renewal.expires_on)


# --- the indicator, as of any day --------------------------------------------------------------


def test_collective_contract_rate_as_of_past_days(union_officer, district_staff, firms, streets):
    # big: union from 2024-06-01, own contract effective 2025-03-21 .. 2027-12-31.
    # mid: union from 2024-06-01, covered by a regional contract effective 2025-04-01.
    # small (30) and tiny: not key enterprises.
    establish(union_officer, firms.big)
    establish(union_officer, firms.mid, fulltime_staff=0)
    own = draft(
        union_officer, firms.big, term_start=date(2025, 1, 1), expires_on=date(2027, 12, 31)
    )
    to_stage(union_officer, own, "filed", filed_on=date(2025, 3, 5))
    regional = draft(
        union_officer,
        None,
        scope="regional",
        title="解放碑街道区域性集体合同",
        region=streets.jiefangbei,
        covered=[firms.big, firms.mid],
        term_start=date(2025, 4, 1),
        expires_on=date(2026, 3, 31),
    )
    to_stage(union_officer, regional, "filed", filed_on=date(2025, 3, 5))
    all_firms = Enterprise.objects.all()
    rate = queries.collective_contract_rate
    assert rate(all_firms, date(2024, 5, 31)) == queries.Rate(covered=0, total=0)
    assert rate(all_firms, date(2024, 12, 31)).total == 2  # 沙坪坝's 500 has no union
    assert rate(all_firms, date(2025, 3, 20)).covered == 0
    assert rate(all_firms, date(2025, 3, 21)).covered == 1
    assert rate(all_firms, date(2025, 4, 1)).covered == 2
    assert rate(all_firms, date(2026, 4, 1)).covered == 1  # the regional one expired
    yuzhong_firms = Enterprise.objects.filter(unit=firms.big.unit)
    assert rate(yuzhong_firms, date(2025, 4, 1)).value == 1.0


# --- congresses, disclosure, tripartite, filing ------------------------------------------------


def test_congress_delegates_checked_against_the_settings(union_officer, firms):
    with pytest.raises(ValidationError) as excinfo:
        services.establish_congress(
            union_officer,
            scope="enterprise",
            form="congress",
            name="职代会",
            enterprise=firms.big,
            established_on=date(2024, 1, 10),
            staff_count=1000,
            delegates=40,  # 5 % of 1000 is 50
        )
    assert "至少 50 名代表" in errors_of(excinfo)["delegates"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.establish_congress(
            union_officer,
            scope="enterprise",
            form="congress",
            name="职代会",
            enterprise=firms.tiny,
            established_on=date(2024, 1, 10),
            staff_count=10,
            delegates=10,
        )
    assert "form" in errors_of(excinfo)
    assert not WorkersCongress.objects.exists()
    congress = services.establish_congress(
        union_officer,
        scope="enterprise",
        form="congress",
        name="解放碑重工职代会",
        enterprise=firms.big,
        established_on=date(2024, 1, 10),
        staff_count=300,
        delegates=30,
    )
    pending = queries.congresses_without_session(WorkersCongress.objects.all(), 2025)
    assert list(pending) == [congress]
    services.record_session(
        union_officer,
        congress,
        held_on=date(2025, 3, 1),
        delegates_total=30,
        attending=28,
        agenda="审议集体合同草案",
    )
    assert not queries.congresses_without_session(WorkersCongress.objects.all(), 2025)


def test_regional_congress_covers_small_firms_of_its_street(union_officer, firms, streets):
    congress = services.establish_congress(
        union_officer,
        scope="regional",
        form="congress",
        name="解放碑街道区域性职代会",
        region=streets.jiefangbei,
        covered=[firms.big, firms.mid],
        established_on=date(2024, 5, 1),
        staff_count=420,
        delegates=30,
    )
    assert set(congress.covered_enterprises.all()) == {firms.big, firms.mid}
    with pytest.raises(ValidationError):
        services.establish_congress(
            union_officer,
            scope="regional",
            form="congress",
            name="x",
            region=streets.jiefangbei,
            covered=[firms.small],
            established_on=date(2024, 5, 1),
            staff_count=30,
            delegates=30,
        )


def test_publication_queue(union_officer, enterprise_user, firms, unions):
    contract = to_stage(
        union_officer, draft(union_officer, firms.big, term_start=date(2025, 1, 1)), "filed"
    )
    today = timezone.localdate()
    assert list(queries.contract_queue(CollectiveContract.objects.all(), "unpublished", today)) == [
        contract
    ]
    with pytest.raises(PermissionDenied):  # not this account's enterprise
        services.disclose_affairs(
            enterprise_user,
            enterprise=firms.big,
            category="collective_contract",
            channel="notice_board",
            disclosed_on=date(2025, 3, 25),
            title="公布集体合同",
            contract=contract,
        )
    services.disclose_affairs(
        union_officer,
        enterprise=firms.big,
        category="collective_contract",
        channel="notice_board",
        disclosed_on=date(2025, 3, 25),
        title="公布集体合同",
        contract=contract,
    )
    assert not queries.contract_queue(CollectiveContract.objects.all(), "unpublished", today)


def _people(*bodies):
    return [{"body": b, "name": f"{b}代表", "position": "副局长"} for b in bodies]


FOUR = ("hrss", "trade_union", "enterprise_confederation", "commerce_federation")


def test_tripartite_meeting_needs_the_four_bodies(union_officer, yuzhong):
    data = {
        "level": "district",
        "unit": yuzhong,
        "held_on": date(2025, 5, 20),
        "title": "渝中区协调劳动关系三方会议",
        "agenda": "欠薪治理",
        "decisions": "开展专项行动",
    }
    with pytest.raises(ValidationError) as excinfo:
        services.record_meeting(union_officer, participants=_people(*FOUR[:3]), **data)
    assert "工商业联合会" in errors_of(excinfo)["participants"][0]
    meeting = services.record_meeting(
        union_officer,
        participants=_people(*FOUR),
        follow_ups=[
            {
                "task": "排查在建项目",
                "owner_body": "hrss",
                "owner_name": "王科长",
                "due_on": date(2025, 6, 30),
            },
            {
                "task": "走访园区企业",
                "owner_body": "trade_union",
                "owner_name": "李部长",
                "due_on": timezone.localdate() + timedelta(days=30),
            },
        ],
        **data,
    )
    assert meeting.participants.count() == 4
    overdue = queries.follow_up_queue(FollowUpItem.objects.all(), "overdue")
    assert [i.task for i in overdue] == ["排查在建项目"]
    item = overdue.get()
    services.complete_follow_up(union_officer, item, done_on=date(2025, 7, 2), result="已完成")
    assert not queries.follow_up_queue(FollowUpItem.objects.all(), "overdue")


def test_city_meeting_needs_the_city_unit(union_officer, yuzhong):
    with pytest.raises(ValidationError) as excinfo:
        services.record_meeting(
            union_officer,
            level="city",
            unit=yuzhong,
            held_on=date(2025, 5, 20),
            title="t",
            agenda="a",
            decisions="d",
            participants=_people(*FOUR),
        )
    assert "unit" in errors_of(excinfo)
    assert not TripartiteMeeting.objects.exists()


def test_employment_filing_and_the_dispatch_cap(enterprise_user, own_enterprise, firms):
    filing = services.file_employment(
        enterprise_user,
        enterprise=own_enterprise,
        period=date(2025, 6, 15),
        employees=50,
        contracted=45,
        dispatched=5,
        insured=48,
    )
    assert filing.period == date(2025, 6, 1)
    assert filing.signing_rate == 0.9
    assert not filing.dispatch_over_cap  # 5 / 50 = 10 %: at the cap, not over it
    filing = services.file_employment(
        enterprise_user,
        enterprise=own_enterprise,
        period=date(2025, 6, 1),
        employees=50,
        contracted=45,
        dispatched=6,
        insured=48,
        expected_version=filing.version,
    )
    assert filing.dispatch_over_cap  # 6 / 51 > 10 %
    assert EmploymentFiling.objects.count() == 1
    with pytest.raises(PermissionDenied):
        services.file_employment(
            enterprise_user,
            enterprise=firms.big,
            period=date(2025, 6, 1),
            employees=1,
            contracted=1,
            dispatched=0,
            insured=1,
        )
    with pytest.raises(ValidationError) as excinfo:
        services.file_employment(
            enterprise_user,
            enterprise=own_enterprise,
            period=date(2025, 7, 1),
            employees=50,
            contracted=51,
            dispatched=0,
            insured=60,
        )
    assert {"contracted", "insured"} <= set(errors_of(excinfo))


def test_signing_rate_per_unit_is_a_database_aggregate(district_staff, firms):
    for firm, (employees, contracted) in ((firms.big, (300, 270)), (firms.mid, (100, 100))):
        services.file_employment(
            district_staff,
            enterprise=firm,
            period=date(2025, 6, 1),
            employees=employees,
            contracted=contracted,
            dispatched=0,
            insured=employees,
        )
    rows = queries.signing_rates_by_unit(EmploymentFiling.objects.all(), date(2025, 6, 1))
    assert len(rows) == 1
    assert rows[0]["enterprises"] == 2
    assert rows[0]["signing_rate"] == pytest.approx(370 / 400)


def test_an_objection_reaches_the_enterprise(union_officer, district_staff, firms, unions):
    from tests.factories import OrganisationFactory, UserFactory
    from yutong.core import roles
    from yutong.core.models import Message, Organisation

    organisation = OrganisationFactory(
        name=firms.big.name,
        kind=Organisation.Kind.ENTERPRISE,
        unit=firms.big.unit,
        uscc=firms.big.uscc,
    )
    account = UserFactory(
        username="big_hr",
        unit=firms.big.unit,
        organisation=organisation,
        roles=[roles.ENTERPRISE_USER],
    )
    contract = to_stage(union_officer, draft(union_officer, firms.big), "filed")
    services.object_contract(
        district_staff, contract, objected_on=date(2025, 3, 10), reason="低于标准"
    )
    (message,) = Message.objects.filter(title__startswith="集体合同审查意见")
    assert message.recipient == account and message.kind == "decision"
    assert message.body == "低于标准" and message.url.endswith(f"/contracts/{contract.pk}/")
