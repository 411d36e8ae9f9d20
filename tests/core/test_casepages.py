"""The case-page mechanism of core (``core/casepages.py`` and its templates): actions offered and
posted, due badges and the clock panel in the clock's own unit, timelines, audit trails and
queue tabs. A real inspection case (a working-day clock) and real users stand behind them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from yutong.core import casepages, cases, clocks, roles
from yutong.inspection import services as inspection
from yutong.inspection.models import InspectionCase

TODAY = date(2026, 6, 10)  # a Wednesday of a year whose holidays are known


def a_month_ago() -> date:
    """A working day about a month before today: a case opened then has most of 60 to run."""
    return clocks.add_working_days(timezone.localdate() - timedelta(days=30), 1)


def _open_case(user, employer_name: str) -> InspectionCase:
    return inspection.open_inspection(
        user,
        unit=user.unit,
        origin=InspectionCase.Origin.PATROL,
        opened_on=a_month_ago(),
        employer_name=employer_name,
        matter="巡视发现未按月足额支付工资。",
        violation_types=["wages"],
        is_wage_arrears=True,
        workers_affected=3,
        amount_owed="36000",
    )


@pytest.fixture
def case(district_staff) -> InspectionCase:
    """A proactive inspection case of 渝中区, opened by 李渝中 (district staff)."""
    return _open_case(district_staff, "重庆某某建筑劳务有限公司")


def _posted(user, data: dict):
    request = RequestFactory().post("/case/1/note/", data)
    request.user = user
    SessionMiddleware(lambda r: None).process_request(request)
    request._messages = FallbackStorage(request)
    return request


def _got(user, query: str = ""):
    request = RequestFactory().get(f"/queue/?{query}")
    request.user = user
    return request


def _said(request) -> list[str]:
    return [m.message for m in get_messages(request)]


# --- actions -----------------------------------------------------------------------------------


class NoteForm(forms.Form):
    """A form of the kind apps give their actions: it takes the record under a keyword."""

    note = forms.CharField(label="说明")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, case, extra: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.case, self.extra = case, extra
        self.fields["version"].initial = case.version

    def service_data(self) -> dict:
        return {"extra": self.extra}


def _note(user, case, data):
    """The service of the test action: claims the case's version, refuses a note "不行"."""
    cases.claim_version(case, data["version"])
    if data["note"] == "不行":
        raise ValidationError({"note": "说明不能是“不行”。"})
    case.refresh_from_db()
    return case


def _action(**overrides) -> casepages.Action:
    fields = dict(
        name="note",
        title="记录说明",
        form=NoteForm,
        roles=(roles.DISTRICT_STAFF,),
        allowed=lambda case: case.is_open,
        run=_note,
        done=lambda case: f"已记录，版本 {case.version}。",
        form_kwargs=lambda request, case: {"extra": request.user.username},
    )
    fields.update(overrides)
    return casepages.Action(**fields)


def _url(action) -> str:
    return f"/case/1/{action.name}/"


def _post(user, case, data: dict, action=None, **options):
    """Post ``data`` to the action; (the request, with its messages, and the response)."""
    request = _posted(user, data)
    options.setdefault("render_with_errors", pytest.fail)  # only where a test expects it
    response = casepages.post_action(
        request, action or _action(), case, detail_url="/case/1/", form_arg="case", **options
    )
    return request, response


def test_forms_are_offered_by_role_and_by_the_records_state(case, district_staff, auditor):
    closing = _action(name="close", allowed=lambda c: not c.is_open)
    actions = casepages.by_name(_action(), closing)
    shown = casepages.action_forms(_got(district_staff), actions, case, _url, form_arg="case")
    assert [item["action"].name for item in shown] == ["note"]
    item = shown[0]
    assert item["url"] == "/case/1/note/" and item["open"] is False
    assert item["form"].case == case and item["form"].extra == "yz_staff"
    # Its own ids: two forms on one page never share an input id.
    assert item["form"]["note"].id_for_label == "id_note_note"
    assert casepages.action_forms(_got(auditor), actions, case, _url, form_arg="case") == []


def test_a_posted_form_is_shown_again_with_its_errors_even_if_no_longer_offered(
    case, district_staff
):
    action = _action(allowed=lambda c: False)
    bound = NoteForm({"note": ""}, case=case)
    assert not bound.is_valid()
    shown = casepages.action_forms(
        _got(district_staff), {"note": action}, case, _url, ("note", bound), form_arg="case"
    )
    assert shown[0]["form"] is bound and shown[0]["open"] is True


def test_who_may_can_depend_on_the_record(case, district_staff, shapingba_staff):
    """``permitted`` replaces the roles: here only staff of the case's own unit may."""
    action = _action(roles=(), permitted=lambda user, c: user.unit_id == c.unit_id)
    assert action.may(district_staff, case) and not action.may(shapingba_staff, case)
    assert _action().may(shapingba_staff, case)  # the role alone


def test_posting_runs_the_service_and_goes_back_to_the_page(case, district_staff):
    request, response = _post(district_staff, case, {"note": "已约谈", "version": case.version})
    assert response.status_code == 302 and response.url == "/case/1/"
    case.refresh_from_db()
    assert _said(request) == [f"已记录，版本 {case.version}。"]


def test_the_service_gets_what_the_form_gathers_beyond_its_fields(case, district_staff):
    seen = {}
    action = _action(run=lambda user, c, d: seen.update(d) or c)
    _post(district_staff, case, {"note": "已约谈", "version": case.version}, action)
    assert seen == {"note": "已约谈", "version": case.version, "extra": "yz_staff"}


def test_an_action_can_go_on_to_the_record_it_made(case, district_staff):
    _, response = _post(
        district_staff,
        case,
        {"note": "续订", "version": case.version},
        done_url=lambda result: f"/case/{result.pk}/renewed/",
    )
    assert response.url == f"/case/{case.pk}/renewed/"


def test_a_refusal_comes_back_on_the_posted_form(case, district_staff):
    rendered = []
    request, _ = _post(
        district_staff,
        case,
        {"note": "不行", "version": case.version},
        render_with_errors=rendered.append,
    )
    [(name, form)] = rendered
    assert name == "note" and form.errors["note"] == ["说明不能是“不行”。"]
    assert _said(request) == []


def test_a_refusal_without_fields_to_correct_goes_on_top_of_the_page(case, district_staff):
    action = _action(errors_as_messages=True)
    request, response = _post(
        district_staff, case, {"note": "不行", "version": case.version}, action
    )
    assert response.url == "/case/1/" and _said(request) == ["说明不能是“不行”。"]


def test_someone_acting_first_is_a_conflict_message_above_a_fresh_page(case, district_staff):
    stale = case.version
    cases.claim_version(case, stale)  # another user saved the case meanwhile
    request, response = _post(
        district_staff,
        case,
        {"note": "已约谈", "version": stale},
        conflict_message="该案件已被他人处理。",
    )
    assert response.url == "/case/1/" and _said(request) == ["该案件已被他人处理。"]
    case.refresh_from_db()
    assert case.version == stale + 1  # nothing more was written


def test_a_form_without_its_version_is_stale(case, district_staff):
    request, response = _post(district_staff, case, {"note": "已约谈"})
    assert response.url == "/case/1/" and _said(request) == [casepages.STALE_FORM_MESSAGE]


def test_conflicts_are_recognised_however_the_service_raises_them():
    assert casepages.is_conflict(ValidationError("x", code="conflict"))
    assert casepages.is_conflict(ValidationError([ValidationError("x", code="conflict")]))
    assert not casepages.is_conflict(ValidationError("x", code="invalid"))
    assert not casepages.is_conflict(ValidationError({"note": "x"}))


# --- due badges and the clock -------------------------------------------------------------------


@dataclass
class Clocked:
    """What ``due_info`` reads of a case: the stored due day, whether open, the clock's unit."""

    due_on: date | None
    clock_unit: str = clocks.CALENDAR
    ended_on: date | None = None

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


def test_calendar_days_left_overdue_and_soon():
    due = casepages.due_info(Clocked(TODAY + timedelta(days=5)), TODAY)
    assert (due["left"], due["soon"], due["overdue"], due["unit"]) == (5, True, False, "日")
    later = casepages.due_info(Clocked(TODAY + timedelta(days=6)), TODAY)
    assert later["soon"] is False
    late = casepages.due_info(Clocked(TODAY - timedelta(days=3)), TODAY)
    assert late["overdue"] and late["overdue_by"] == 3 and not late["soon"]


def test_working_days_are_counted_in_working_days():
    # 2026-06-19 is the Dragon Boat Festival: from Wednesday 10 June to Monday 22 June there
    # are 12 calendar days but 7 working days (11, 12, 15, 16, 17, 18, 22).
    due = casepages.due_info(Clocked(date(2026, 6, 22), clocks.WORKING), TODAY)
    assert (due["left"], due["unit"]) == (7, "工作日")
    # Five working days can be seven calendar days: still "soon" for a working-day clock.
    soon = casepages.due_info(Clocked(date(2026, 6, 17), clocks.WORKING), TODAY)
    assert soon["left"] == 5 and soon["soon"] is True


def test_nothing_is_due_on_a_closed_case_or_without_a_day():
    assert casepages.due_info(Clocked(TODAY, ended_on=TODAY), TODAY) is None
    assert casepages.due_info(Clocked(None), TODAY) is None


def test_a_due_day_in_a_year_without_a_holiday_notice_is_provisional(db):
    far = date(2099, 3, 2)
    assert casepages.due_info(Clocked(far), TODAY)["provisional"] is True
    html = render_to_string(
        "core/_due_badge.html", {"due": casepages.due_info(Clocked(far), TODAY)}
    )
    assert "暂估" in html


def test_the_due_badge_says_today_left_or_overdue_in_the_clocks_unit():
    def badge(due_on, unit=clocks.CALENDAR):
        return render_to_string(
            "core/_due_badge.html", {"due": casepages.due_info(Clocked(due_on, unit), TODAY)}
        )

    assert "今日到期" in badge(TODAY)
    assert "剩 7 工作日" in badge(date(2026, 6, 22), clocks.WORKING)
    assert "已超期 3 日" in badge(TODAY - timedelta(days=3))
    assert "text-bg-warning" in badge(TODAY + timedelta(days=2))


def test_the_clock_panel_of_a_running_case(case, district_staff):
    today = timezone.localdate()
    cases.extend(case, district_staff, days=10, reason="案情复杂", approver="局长", max_days=30)
    suspended_on = clocks.add_working_days(case.clock_start, 5)
    cases.suspend(case, district_staff, from_day=suspended_on, reason="等待鉴定", approver="局长")
    case.save()
    panel = casepages.clock_panel(case, today)
    assert panel["unit"] == "工作日" and panel["length"] == 60 and panel["total"] == 70
    assert [c.kind for c in panel["changes"]] == ["extension", "suspension"]
    assert [c.days for c in panel["extensions"]] == [10]
    assert panel["state"].suspended and panel["due"] is None
    html = render_to_string(
        "core/_clock_panel.html",
        {"clock": panel, "clock_title": "办理期限（60 个工作日）", "suspended_note": "中止办理"},
    )
    assert "办理期限（60 个工作日）" in html and "中止中" in html and "中止办理" in html
    assert "10 工作日" in html and "70 工作日" in html and "中止期间不确定" in html
    assert f"案情复杂（批准人 局长，{today:%Y-%m-%d} 决定；李渝中 记录于" in html  # who, when
    assert "至 今：等待鉴定（批准人 局长）" in html
    assert html.index("案情复杂") < html.index("等待鉴定")  # in the order recorded

    cases.resume(case, district_staff, to_day=clocks.add_working_days(suspended_on, 1))
    case.save()
    panel = casepages.clock_panel(case, today)
    assert not panel["state"].suspended and panel["due"] == case.due_on
    html = render_to_string("core/_clock_panel.html", {"clock": panel})
    assert f"剩 {panel['state'].days_left} 工作日" in html


def test_the_clock_panel_of_a_closed_case_says_whether_it_ended_in_time(case):
    today = timezone.localdate()
    InspectionCase.objects.filter(pk=case.pk).update(ended_on=today)
    case.refresh_from_db()
    panel = casepages.clock_panel(case, today)
    assert panel["state"] is None and panel["final_due"] == case.deadline().due
    assert panel["in_time"] is True and panel["ended_on"] == today
    html = render_to_string("core/_clock_panel.html", {"clock": panel})
    assert "期限届满日" in html and "按期" in html


def test_a_clock_not_started_shows_the_deadline_it_waits_under_or_why_it_waits(case):
    today = timezone.localdate()
    due = today + timedelta(days=3)
    InspectionCase.objects.filter(pk=case.pk).update(
        clock_start=None, clock_length=None, clock_unit=clocks.CALENDAR, due_on=due
    )
    case.refresh_from_db()
    panel = casepages.clock_panel(case, today)
    assert panel["pending"]["on"] == due and panel["pending"]["left"] == 3
    html = render_to_string(
        "core/_clock_panel.html",
        {"clock": panel, "pending_label": "受理审查期限", "pending_note": "5 日内决定"},
    )
    assert "受理审查期限" in html and "剩 3 日" in html and "5 日内决定" in html

    InspectionCase.objects.filter(pk=case.pk).update(due_on=None)
    case.refresh_from_db()
    panel = casepages.clock_panel(case, today, waiting="待补正材料")
    assert panel["pending"] is None
    assert "待补正材料" in render_to_string("core/_clock_panel.html", {"clock": panel})


# --- timeline and audit ------------------------------------------------------------------------


def test_the_timeline_names_the_kinds_and_who_acted(case, district_staff):
    cases.add_event(case, None, "received", "网上投诉")
    shown = casepages.timeline(case, {"opened": "立案", "received": "收到投诉"}, "投诉人")
    assert [(e["kind"], e["actor"]) for e in shown] == [
        ("立案", "李渝中"),
        ("收到投诉", "投诉人"),
    ]
    assert casepages.timeline(case, {})[0]["kind"] == "opened"  # an unnamed kind shows as is
    html = render_to_string("core/_timeline.html", {"events": shown, "timeline_class": "timeline"})
    assert '<ol class="timeline"' in html and "网上投诉" in html and "border-start" not in html
    plain = render_to_string("core/_timeline.html", {"events": [], "timeline_title": "过程"})
    assert "过程" in plain and "暂无记录" in plain


def test_the_audit_trail_covers_the_records_of_the_page_for_audit_readers(
    case, district_staff, auditor
):
    # Opening a case is audited by the service: here, two records of one page.
    second = _open_case(district_staff, "重庆另一建筑劳务有限公司")
    one = list(casepages.audit_entries(auditor, case))
    both = list(casepages.audit_entries(auditor, case, second))
    assert one and {e.object_id for e in one} == {str(case.pk)}
    assert {e.object_id for e in both} == {str(case.pk), str(second.pk)}
    assert len(casepages.audit_entries(auditor, case, second, limit=1)) == 1
    assert list(casepages.audit_entries(district_staff, case)) == []  # not an audit reader


# --- queues ------------------------------------------------------------------------------------


def test_queue_tabs_keep_the_filters_and_go_back_to_page_one(district_staff):
    request = _got(district_staff, "queue=overdue&employer=渝中&page=3")
    counts = dict.fromkeys(cases.QUEUES, 0) | {"overdue": 2}
    tabs = casepages.queue_tabs(request, counts, casepages.queue_name(request))
    assert [t["name"] for t in tabs] == list(cases.QUEUES)
    overdue = next(t for t in tabs if t["name"] == "overdue")
    assert overdue["active"] and overdue["count"] == 2
    assert "page" not in overdue["query"] and "employer=" in overdue["query"]
    html = render_to_string("core/_queue_tabs.html", {"tabs": tabs})
    assert 'data-testid="count-overdue">2<' in html and "text-bg-danger" in html


def test_tabs_without_counts_and_an_unknown_choice(district_staff):
    request = _got(district_staff, "list=nonsense")
    names = {"a": "甲", "b": "乙"}
    current = casepages.choice(request, names, "b", "list")
    assert current == "b"
    tabs = casepages.tabs(request, names, current, "list")
    assert [t["query"] for t in tabs] == ["list=a", "list=b"] and "count" not in tabs[0]
    assert "badge" not in render_to_string("core/_queue_tabs.html", {"tabs": tabs})
    assert casepages.queue_name(_got(district_staff, "queue=elsewhere")) == "unit"


# --- the action and field templates ------------------------------------------------------------


class ChoicesForm(forms.Form):
    who = forms.MultipleChoiceField(label="人员", choices=[], widget=forms.CheckboxSelectMultiple)
    how = forms.ChoiceField(label="方式", choices=[("a", "甲")], widget=forms.RadioSelect)


def _item(action, form, is_open=False) -> dict:
    return {"action": action, "form": form, "url": "/x/", "open": is_open}


def test_action_forms_render_folded_under_a_title(case):
    action = _action(button="记录", style="warning")
    form = NoteForm(case=case)
    html = render_to_string("core/_case_actions.html", {"actions": [_item(action, form)]})
    assert "<h2" in html and "办理" in html and 'data-testid="action-note"' in html
    assert "btn-warning" in html and "记录</button>" in html and "<details" in html
    assert " open" not in html.split("<summary")[0]
    bare = render_to_string(
        "core/_case_actions.html",
        {"actions": [_item(action, form, True)], "actions_untitled": True, "compact_fields": True},
    )
    assert "<h2" not in bare and "open" in bare.split("<summary")[0]
    assert 'class="form-label small"' in bare and "text-danger" not in bare
    assert render_to_string("core/_case_actions.html", {"actions": []}).strip() == ""


def test_an_action_can_lay_out_its_own_fields(case):
    action = _action(fields_template="core/_due_badge.html")  # any template will do
    html = render_to_string(
        "core/_case_actions.html",
        {"actions": [_item(action, NoteForm(case=case))], "due": {"on": TODAY, "left": 1}},
    )
    assert "剩 1" in html and 'name="note"' not in html


def test_lists_of_choices_render_stacked_or_inline_and_say_when_there_are_none():
    form = ChoicesForm()
    stacked = render_to_string("core/_field.html", {"field": form["who"], "no_choices": "无人"})
    assert "<fieldset>" in stacked and "无人" in stacked and "d-flex" not in stacked
    inline = render_to_string("core/_field.html", {"field": form["who"], "choices_inline": True})
    assert "d-flex flex-wrap" in inline and "暂无可选项" in inline
    radio = render_to_string("core/_field.html", {"field": form["how"]})
    assert 'data-testid="how"' in radio and "form-check-label" in radio
