"""The wage demo loader on a slice of the city (渝中区 with the demo accounts, 两江新区,
城口县), loaded once for the module inside a transaction rolled back at the end."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction

from tests.factories import EnterpriseFactory, TownshipFactory, unit
from yutong.core.models import AuditEntry, ImportJob
from yutong.core.personal import is_valid_resident_id
from yutong.demo import accounts
from yutong.demo import wages as demo
from yutong.registry.models import ConstructionProject, ProjectSubcontractor
from yutong.wages import facts, rules
from yutong.wages.models import (
    PayrollEntry,
    PayrollMonth,
    WageCode,
    WageDeposit,
    WageSafeguard,
)

SLICE = ["500103", "500157", "500229"]
TODAY = date(2026, 11, 24)
SCALE = demo.Scale(live_projects=60, completed_share=0.3, planned_share=0.1, pool=15)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        for code in SLICE:
            district = unit(code)
            TownshipFactory(parent=district)
            for industry in ("E", "E", "E", "K", "C", "F"):
                EnterpriseFactory(unit=district, industry=industry)
        showcase = EnterpriseFactory(unit=unit("500103"), name="重庆山城精工机械有限公司")
        accounts.create_accounts(showcase.uscc, showcase.name)
        counts = demo.load(3, SCALE, today=TODAY, unit_codes=SLICE)
        yield counts
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_projects_in_every_district_with_registry_parties(loaded):
    units = set(ConstructionProject.objects.values_list("unit__code", flat=True))
    assert units == set(SLICE)
    assert loaded.projects == ConstructionProject.objects.count() >= 60
    live = ConstructionProject.objects.filter(status__in=("under_construction", "suspended"))
    assert 55 <= live.count() <= 70
    contractors = set(live.values_list("general_contractor__industry", flat=True))
    assert contractors == {"E"}
    assert not ConstructionProject.objects.filter(owner=models_f("general_contractor")).exists()
    assert ProjectSubcontractor.objects.exists()


def models_f(name):
    from django.db.models import F

    return F(name)


@pytest.mark.django_db
def test_safeguards_mostly_in_place_and_payroll_with_gaps(loaded):
    started = ConstructionProject.objects.exclude(status="planned")
    with_account = WageSafeguard.objects.filter(kind="wage_account").count()
    assert 0.7 <= with_account / started.count() < 1
    assert WageDeposit.objects.exists()
    assert PayrollMonth.objects.count() == loaded.payroll_months + 1  # + the uploaded sheet
    today_facts = facts.project_facts(list(started.values(*facts.PROJECT_COLUMNS)), TODAY).values()
    gaps = [f for f in today_facts if rules.missing_months(f, TODAY)]
    assert 0 < len(gaps) < started.count() / 2
    assert not PayrollMonth.objects.filter(month__gt=date(2026, 10, 1)).exists()


@pytest.mark.django_db
def test_payroll_lines_are_consistent_and_encrypted(loaded):
    line = PayrollEntry.objects.select_related("payroll").first()
    assert is_valid_resident_id(line.resident_id)
    for payroll in PayrollMonth.objects.filter(entries__isnull=False).distinct()[:20]:
        entries = payroll.entries.all()
        assert entries.count() == payroll.worker_count
        assert entries.filter(is_unpaid=True).count() == payroll.unpaid_count
        assert entries.filter(paid_to_own_account=False).count() == payroll.not_own_account_count


@pytest.mark.django_db
def test_every_month_with_lines_has_its_crew_flagged_by_its_counts(loaded):
    """The crew's largest month is drawn, the others copied in SQL (``demo.copy_lines``):
    every month's lines agree with its counts, and the crew is the same people."""
    from django.db.models import Count, F, Q, Sum

    months = PayrollMonth.objects.filter(entries__isnull=False).annotate(
        lines=Count("entries"),
        unpaid=Count("entries", filter=Q(entries__is_unpaid=True)),
        below=Count("entries", filter=Q(entries__is_below_minimum=True)),
        not_own=Count("entries", filter=Q(entries__paid_to_own_account=False)),
        short=Sum(F("entries__amount_due") - F("entries__amount_paid")),
    )
    assert months.count() > 60
    for m in months:
        assert m.lines == m.worker_count, m
        assert (m.unpaid, m.below, m.not_own) == (
            m.unpaid_count,
            m.below_minimum_count,
            m.not_own_account_count,
        ), m
        assert m.short == m.unpaid_count * 1500, m
    wage = PayrollEntry.objects.filter(is_below_minimum=False).select_related("payroll").first()
    assert wage.amount_due == wage.payroll.total_due / wage.payroll.worker_count
    project = months.values_list("project", flat=True).first()
    crews = [
        set(m.entries.values_list("resident_id_hash", flat=True))
        for m in PayrollMonth.objects.filter(project=project, entries__isnull=False).distinct()
    ]
    assert len(crews) > 1 and all(c <= max(crews, key=len) for c in crews)


@pytest.mark.django_db
def test_every_project_has_a_colour_with_a_spread(loaded):
    assert WageCode.objects.count() == ConstructionProject.objects.count()
    colours = loaded.colours
    assert set(colours) == {"green", "yellow", "red"}
    assert colours["green"] > colours["red"]  # most sites are in order
    assert sum(loaded.colours.values()) == ConstructionProject.objects.count()


@pytest.mark.django_db
def test_some_projects_went_through_the_services(loaded):
    assert loaded.service_projects == 3
    assert AuditEntry.objects.filter(action="register_project").count() == 3
    assert AuditEntry.objects.filter(action="record_notice_board").count() == 3
    job = ImportJob.objects.get(kind="payroll")
    assert job.status == ImportJob.Status.DONE and job.created_count == 12
    codes = dict(
        WageCode.objects.filter(project__code__startswith="500103").values_list(
            "project__name", "colour"
        )
    )
    assert codes == {
        "解放碑地下环道改造工程": "green",
        "较场口安置房二期": "yellow",
        "化龙桥学校": "yellow",
    }
    board = WageSafeguard.objects.get(kind="notice_board", project__name="化龙桥学校")
    assert board.missing_notice_items


@pytest.mark.django_db
def test_load_once_skips_when_projects_exist(loaded):
    assert demo.load_once(3, "small") is None


@pytest.mark.django_db
def test_projects_name_their_sector_and_authority(loaded, client):
    """The wage-code page and the notice board name the 行业主管部门: never 未登记 on a demo
    project."""
    assert not ConstructionProject.objects.filter(sector="").exists()
    assert not ConstructionProject.objects.filter(authority="").exists()
    project = ConstructionProject.objects.get(name="解放碑地下环道改造工程")
    assert project.authority == "渝中区住房和城乡建设委员会"
    public = client.get(f"/wages/code/{project.pk}/").content.decode()
    authority = public.split('data-testid="authority">')[1].split("</dd>")[0]
    assert authority == "渝中区住房和城乡建设委员会（房屋建筑和市政基础设施工程）"
    client.force_login(accounts_staff())
    board = client.get(f"/wages/projects/{project.pk}/notice-board/").content.decode()
    row = board.split("行业主管部门</dt>")[1].split("</dd>")[0]
    assert "渝中区住房和城乡建设委员会" in row and "未登记" not in row
    # the labour officer and pay day are recorded too: the board has no 未登记 line
    assert "未登记" not in board.split("</dl>")[0]


def accounts_staff():
    from yutong.core.models import User

    return User.objects.get(username="yuzhong")
