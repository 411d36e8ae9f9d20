"""The HTML side of harmony: enrolments and coverage, health checks, evaluations, the public list
of graded enterprises, and the settings pages. Thin: every change is one service call, every
read a scoped query (a record outside the reader's scope is a 404)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yutong.core import generic, scope
from yutong.core import queries as core_queries
from yutong.core.casepages import Action, action_forms, by_name, post_action
from yutong.core.models import OrgUnit
from yutong.core.pagination import paginate
from yutong.core.parameters import PARAMETER_LABELS
from yutong.core.permissions import can, require_role
from yutong.core.viewutils import add_service_errors
from yutong.registry.queries import enterprises_visible_to, parks_visible_to

from . import forms, queries, services
from .models import (
    DocumentKind,
    EvaluationDocument,
    HarmonyEvaluation,
    HealthQuestion,
    HealthTheme,
    ScoringItem,
    VetoItem,
)

CONFLICT_MESSAGE = services.CONFLICT_MESSAGE


def _districts(user):
    return scope.units_visible_to(user).filter(level=OrgUnit.Level.DISTRICT).order_by("code")


def _own(request):
    return services.own_enterprise(request.user)


def _readable(request) -> None:
    require_role(request.user, *services.READERS)


def _posted(request):
    """The posted data, even when empty (an empty POST is a form with every field missing)."""
    return request.POST if request.method == "POST" else None


def _filter_data(request) -> dict:
    return {k: v for k, v in request.GET.items() if v != ""}


# --- enrolments -----------------------------------------------------------------------------------


ENROLLMENT_HEADERS = ["编号", "创建类型", "创建对象", "所属区县", "起始日期", "截止日期"]
ENROLLMENT_HEADERS += ["退出日期", "退出原因", "企业自主报名", "备注"]


class EnrollmentList(generic.ObjectListView):
    readers = services.READERS
    template_name = "harmony/enrollment_list.html"
    filter_form = forms.EnrollmentFilterForm
    sorting = queries.ENROLLMENT_SORTING
    per_page = 20
    export = generic.Export("创建活动", ENROLLMENT_HEADERS)
    url_name = "harmony:enrollment_list"

    def get_queryset(self, request):
        return queries.enrollments_visible_to(request.user)

    def get_form_kwargs(self, request):
        return {"units": _districts(request.user)}

    def filter_queryset(self, request, rows, data):
        return queries.filter_enrollments(rows, data)

    def get_context(self, request):
        return {
            "can_enrol": can(request.user, *services.ENROLLERS) or _own(request) is not None,
            "can_coverage": queries.is_staff_reader(request.user),
            "today": timezone.localdate(),
            "export_query": request.GET.urlencode(),
        }

    def export_row(self, request, e):
        return [
            e.pk,
            e.get_scope_display(),
            e.target_name,
            e.unit.name,
            e.starts_on,
            e.ends_on,
            e.withdrawn_on,
            e.withdrawal_reason,
            e.self_enrolled,
            e.note,
        ]


@login_required
@require_http_methods(["GET", "POST"])
def enrollment_create(request):
    own = _own(request)
    if own is None:
        require_role(request.user, *services.ENROLLERS)
    user = request.user
    form = forms.EnrollmentForm(
        _posted(request),
        townships=scope.units_visible_to(user)
        .filter(level=OrgUnit.Level.TOWNSHIP, valid_to__isnull=True)
        .order_by("code"),
        parks=parks_visible_to(user).filter(is_active=True).order_by("unit__code", "name"),
        units=scope.placing_units(user)
        .filter(level=OrgUnit.Level.DISTRICT, valid_to__isnull=True)
        .order_by("code"),
        enterprises=enterprises_visible_to(user),
        fixed_enterprise=own,
        initial={"year": timezone.localdate().year},
    )
    if request.method == "POST" and form.is_valid():
        try:
            enrollment = services.enrol(user, **form.service_data())
        except ValidationError as exc:
            add_service_errors(form, _rename(exc, {"enterprise": "enterprise_uscc"}))
        else:
            messages.success(request, f"已登记创建活动：{enrollment.target_name}。")
            return redirect("harmony:enrollment_detail", pk=enrollment.pk)
    return render(request, "harmony/enrollment_form.html", {"form": form, "own": own})


def _rename(exc: ValidationError, names: dict) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({names.get(k, k): v for k, v in exc.message_dict.items()})


def _enrollment(request, pk):
    _readable(request)
    return get_object_or_404(queries.enrollments_visible_to(request.user), pk=pk)


def _withdrawable(enrollment) -> bool:
    if enrollment.withdrawn_on is not None:
        return False
    return enrollment.ends_on is None or enrollment.ends_on >= timezone.localdate()


def _may_withdraw_enrollment(user, enrollment) -> bool:
    own = services.own_enterprise(user)
    return can(user, *services.ENROLLERS) or (
        own is not None and enrollment.enterprise_id == own.pk
    )


WITHDRAW_ENROLLMENT = Action(
    "withdraw",
    "退出创建活动",
    forms.WithdrawEnrollmentForm,
    (),
    _withdrawable,
    lambda user, enrollment, d: services.withdraw_enrollment(
        user, enrollment, on=d["on"], reason=d["reason"], expected_version=d["version"]
    ),
    lambda _: "已登记退出创建活动。",
    permitted=_may_withdraw_enrollment,
)


def _audit(user, obj):
    if not can(user, "city_admin", "auditor"):
        return None
    return core_queries.audit_entries_visible_to(user).filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    )[:100]


@login_required
def enrollment_detail(request, pk, form=None, status=200):
    enrollment = _enrollment(request, pk)
    offered = WITHDRAW_ENROLLMENT.may(request.user, enrollment) and _withdrawable(enrollment)
    if form is None and offered:
        form = WITHDRAW_ENROLLMENT.make_form(request, enrollment, "enrollment")
    return render(
        request,
        "harmony/enrollment_detail.html",
        {
            "enrollment": enrollment,
            "form": form,
            "active_today": enrollment.is_active_on(timezone.localdate()),
            "entries": _audit(request.user, enrollment),
        },
        status=status,
    )


@login_required
@require_POST
def enrollment_withdraw(request, pk):
    enrollment = _enrollment(request, pk)
    return post_action(
        request,
        WITHDRAW_ENROLLMENT,
        enrollment,
        detail_url=reverse("harmony:enrollment_detail", args=[pk]),
        render_with_errors=lambda bound: enrollment_detail(request, pk, form=bound[1], status=400),
        form_arg="enrollment",
        conflict_message=CONFLICT_MESSAGE,
    )


# --- coverage -------------------------------------------------------------------------------------


@login_required
def coverage(request):
    """Coverage per unit on a day, and the in-scope enterprises covered or not (paginated)."""
    require_role(request.user, *services.STAFF_READERS)
    form = forms.CoverageForm(_filter_data(request) or None, units=_districts(request.user))
    params = form.cleaned_data if form.is_bound and form.is_valid() else {}
    as_of: date = params.get("as_of") or timezone.localdate()
    rows = queries.coverage_for(request.user, as_of)
    unit = params.get("unit")
    if unit is not None:
        # A township's row goes with its district (the unit a township account may pick).
        rows = [r for r in rows if r.district_id == unit.pk]
    enterprises = enterprises_visible_to(request.user)
    if unit is not None:
        enterprises = enterprises.filter(unit=unit)
    if params.get("q"):
        enterprises = enterprises.filter(name__contains=params["q"])
    covered = {"yes": True, "no": False}.get(params.get("covered") or "")
    listed = queries.enterprises_by_coverage(enterprises, as_of, covered)
    listed, sort = queries.COVERAGE_SORTING.apply(request, listed)
    context = paginate(request, listed, per_page=20)
    page = list(context["object_list"])
    covered_ids = set(
        queries.enterprises_by_coverage(
            enterprises.filter(pk__in=[e.pk for e in page]), as_of, True
        ).values_list("pk", flat=True)
    )
    context.update(
        form=form,
        as_of=as_of,
        rows=rows,
        total=queries.coverage_total(rows),
        enterprises=[(e, e.pk in covered_ids) for e in page],
        min_headcount=queries.min_headcount(as_of),
        sort=sort,
        # The day alone does not narrow the enterprises listed: the other fields do.
        filtered=bool(unit is not None or params.get("q") or covered is not None),
    )
    return render(request, "harmony/coverage.html", context)


# --- health checks --------------------------------------------------------------------------------


CHECK_HEADERS = ["体检日期", "企业名称", "统一社会信用代码", "所属区县", "百分制得分"]
CHECK_HEADERS += ["得分", "满分", "需整改主题", "填报时间"]


class CheckList(generic.ObjectListView):
    readers = services.READERS
    template_name = "harmony/check_list.html"
    filter_form = forms.EvaluationFilterForm
    sorting = queries.CHECK_SORTING
    per_page = 20
    export = generic.Export("企业劳动关系体检", CHECK_HEADERS)
    url_name = "harmony:check_list"

    def get_queryset(self, request):
        return queries.health_checks_visible_to(request.user).prefetch_related("findings")

    def get_form_kwargs(self, request):
        return {"units": _districts(request.user)}

    def filter_queryset(self, request, rows, d):
        if d.get("unit") is not None:
            rows = rows.filter(unit=d["unit"])
        if d.get("q"):
            rows = rows.filter(enterprise__name__contains=d["q"])
        return rows

    def get_context(self, request):
        own = _own(request)
        context = {"can_fill": own is not None}
        if own is not None:
            context["empty_reason"] = f"{own.name}尚未做过体检。"
        return context

    def export_queryset(self, request, checks):
        return checks.select_related("enterprise", "unit")

    def export_row(self, request, c):
        return [
            c.checked_on,
            c.enterprise.name,
            c.enterprise.uscc,
            c.unit.name,
            c.score,
            c.points,
            c.max_points,
            "；".join(f.theme_name for f in c.findings.all()),
            c.filled_at,
        ]


@login_required
@require_http_methods(["GET", "POST"])
def check_new(request):
    own = _own(request)
    if own is None:
        raise PermissionDenied("企业体检由企业用户自行填报。")
    themes = services.questionnaire()
    form = forms.HealthCheckForm(_posted(request), themes=themes)
    if request.method == "POST" and form.is_valid():
        try:
            check = services.submit_health_check(request.user, own, answers=form.answers())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"体检完成，得分 {check.score}。")
            return redirect("harmony:check_detail", pk=check.pk)
    return render(request, "harmony/check_form.html", {"form": form, "enterprise": own})


@login_required
def check_detail(request, pk):
    _readable(request)
    check = get_object_or_404(queries.health_checks_visible_to(request.user), pk=pk)
    themes, short = {}, {}
    for answer in check.answers.select_related("theme"):
        themes.setdefault(answer.theme.name, []).append(answer)
        if answer.points < answer.max_points:
            short.setdefault(answer.theme_id, []).append(answer)
    line = services.setting(services.GUIDANCE_LINE, check.checked_on, check.unit)
    findings = list(check.findings.all())
    for finding in findings:
        finding.urgent = finding.score < line
        finding.short_answers = short.get(finding.theme_id, [])
    return render(
        request,
        "harmony/check_detail.html",
        {"check": check, "findings": findings, "themes": themes, "line": line},
    )


# --- evaluations ----------------------------------------------------------------------------------


EVALUATION_HEADERS = ["编号", "企业", "统一社会信用代码", "区县", "申报等级", "状态", "自评得分"]
EVALUATION_HEADERS += ["提交日期", "审核得分", "审核日期", "评定日期", "有效期至", "撤销日期"]


class EvaluationList(generic.ObjectListView):
    readers = services.READERS
    template_name = "harmony/evaluation_list.html"
    filter_form = forms.EvaluationFilterForm
    sorting = queries.EVALUATION_SORTING
    per_page = 20
    export = generic.Export("和谐企业评定", EVALUATION_HEADERS)
    url_name = "harmony:evaluation_list"

    def get_queryset(self, request):
        return queries.evaluations_visible_to(request.user)

    def get_form_kwargs(self, request):
        return {"units": _districts(request.user)}

    def filter_queryset(self, request, rows, data):
        return queries.filter_evaluations(rows, data)

    def get_context(self, request):
        return {
            "can_start": can(request.user, *services.ENROLLERS) or _own(request) is not None,
            "export_query": request.GET.urlencode(),
        }

    def export_row(self, request, e):
        return [
            e.pk,
            e.enterprise.name,
            e.enterprise.uscc,
            e.unit.name,
            e.get_grade_display(),
            e.get_status_display(),
            e.self_score,
            e.submitted_on,
            e.review_score,
            e.reviewed_on,
            e.granted_on,
            e.valid_until,
            e.revoked_on,
        ]


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_create(request):
    own = _own(request)
    if own is None:
        require_role(request.user, *services.ENROLLERS)
    form = forms.StartEvaluationForm(
        _posted(request),
        enterprises=enterprises_visible_to(request.user),
        fixed_enterprise=own,
    )
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.start_evaluation(
                request.user, form.enterprise(), grade=form.cleaned_data["grade"]
            )
        except ValidationError as exc:
            add_service_errors(form, _rename(exc, {"enterprise": "enterprise_uscc"}))
        else:
            messages.success(request, "已创建评定申报，请填写自评分并上传申报材料。")
            return redirect("harmony:evaluation_detail", pk=evaluation.pk)
    return render(request, "harmony/evaluation_form.html", {"form": form, "own": own})


def _evaluation(request, pk) -> HarmonyEvaluation:
    _readable(request)
    return get_object_or_404(queries.evaluations_visible_to(request.user), pk=pk)


def _is_applicant(user, evaluation) -> bool:
    own = services.own_enterprise(user)
    if own is not None:
        return own.pk == evaluation.enterprise_id
    return can(user, *services.ENROLLERS)


def _in(*states):
    return lambda evaluation: evaluation.status in states


ACTIONS = by_name(
    Action(
        "scores",
        "填写自评分",
        forms.ScoresForm,
        (),
        _in("draft"),
        lambda user, ev, d: services.set_self_scores(
            user, ev, scores=d["scores"], expected_version=d["version"]
        ),
        lambda _: "已保存自评分。",
        button="填写自评分",
        permitted=_is_applicant,
        gather=lambda form: {**form.cleaned_data, "scores": form.scores()},
    ),
    Action(
        "submit",
        "提交审核",
        forms.VersionForm,
        (),
        _in("draft"),
        lambda user, ev, d: services.submit_evaluation(user, ev, expected_version=d["version"]),
        lambda _: "已提交区县审核。",
        button="提交审核",
        permitted=_is_applicant,
        errors_as_messages=True,
    ),
    Action(
        "review",
        "审核",
        forms.ReviewForm,
        services.REVIEWERS,
        _in("submitted"),
        lambda user, ev, d: services.review_evaluation(
            user,
            ev,
            decision=d["decision"],
            score=d["score"],
            reason=d["reason"],
            vetoes=list(d["vetoes"]),
            expected_version=d["version"],
        ),
        lambda _: "已完成审核。",
        button="审核",
    ),
    Action(
        "withdraw",
        "撤回申报",
        forms.VersionForm,
        (),
        _in("draft", "submitted"),
        lambda user, ev, d: services.withdraw_evaluation(user, ev, expected_version=d["version"]),
        lambda _: "已撤回申报。",
        button="撤回申报",
        style="warning",
        permitted=_is_applicant,
        errors_as_messages=True,
    ),
    Action(
        "revoke",
        "撤销等级",
        forms.RevokeForm,
        services.REVIEWERS,
        _in("approved"),
        lambda user, ev, d: services.revoke_evaluation(
            user, ev, reason=d["reason"], expected_version=d["version"]
        ),
        lambda _: "已撤销该企业的和谐企业等级。",
        button="撤销等级",
        style="warning",
    ),
)


def _action_forms(request, evaluation, bound=None) -> list[dict]:
    shown = action_forms(
        request,
        ACTIONS,
        evaluation,
        lambda action: reverse("harmony:evaluation_action", args=[evaluation.pk, action.name]),
        bound,
        form_arg="evaluation",
    )
    for item in shown:
        # A new application starts with the self-assessment: show it unfolded.
        if item["action"].name == "scores" and not evaluation.self_score:
            item["open"] = True
    return shown


@login_required
def evaluation_detail(request, pk, bound=None, upload=None, status=200):
    evaluation = _evaluation(request, pk)
    can_edit = evaluation.status == "draft" and _is_applicant(request.user, evaluation)
    today = timezone.localdate()
    try:
        threshold = services.min_score(evaluation.grade, today, evaluation.unit)
    except ValidationError:
        threshold = None
    return render(
        request,
        "harmony/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "scores": list(evaluation.scores.all()),
            "documents": list(evaluation.documents.select_related("kind")),
            "missing": services.missing_documents(evaluation),
            "vetoes": list(evaluation.vetoes.all()),
            "threshold": threshold,
            "actions": _action_forms(request, evaluation, bound),
            "upload": upload or (forms.DocumentForm() if can_edit else None),
            "can_edit": can_edit,
            "entries": _audit(request.user, evaluation),
        },
        status=status,
    )


@login_required
@require_POST
def evaluation_action(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    evaluation = _evaluation(request, pk)
    spec = ACTIONS[action]
    if not spec.may(request.user, evaluation):
        raise PermissionDenied("您没有执行此操作的权限。")
    return post_action(
        request,
        spec,
        evaluation,
        detail_url=reverse("harmony:evaluation_detail", args=[pk]),
        render_with_errors=lambda bound: evaluation_detail(request, pk, bound=bound, status=400),
        form_arg="evaluation",
        conflict_message=CONFLICT_MESSAGE,
    )


@login_required
@require_POST
def document_upload(request, pk):
    evaluation = _evaluation(request, pk)
    form = forms.DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_document(
                request.user, evaluation, kind=form.cleaned_data["kind"], file=request.FILES["file"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已上传材料。")
            return redirect("harmony:evaluation_detail", pk=pk)
    return evaluation_detail(request, pk, upload=form, status=400)


def _document(request, pk, doc_pk) -> EvaluationDocument:
    evaluation = _evaluation(request, pk)
    return get_object_or_404(
        EvaluationDocument.objects.select_related("evaluation__enterprise", "kind"),
        pk=doc_pk,
        evaluation=evaluation,
    )


@login_required
@require_GET
def document_download(request, pk, doc_pk):
    document = _document(request, pk, doc_pk)
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.original_name
    )


@login_required
@require_POST
def document_delete(request, pk, doc_pk):
    document = _document(request, pk, doc_pk)
    try:
        services.remove_document(request.user, document)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, "已删除材料。")
    return redirect("harmony:evaluation_detail", pk=pk)


# --- the public list (no login) -------------------------------------------------------------------


class GradedList(generic.ObjectListView):
    """The enterprises holding a grade, for everyone."""

    public = True
    template_name = "harmony/graded_list.html"
    filter_form = forms.PublicListForm
    sorting = queries.GRADED_SORTING

    def get_queryset(self, request):
        return queries.graded_enterprises()

    def filter_queryset(self, request, rows, d):
        if d.get("unit") is not None:
            rows = rows.filter(unit=d["unit"])
        if d.get("grade"):
            rows = rows.filter(grade=d["grade"])
        if d.get("q"):
            rows = rows.filter(enterprise__name__contains=d["q"])
        return rows


# --- settings (city administrator) ----------------------------------------------------------------

SETTING_LABELS = {
    "items": ("评分项目", ScoringItem),
    "vetoes": ("一票否决事项", VetoItem),
    "documents": ("申报材料", DocumentKind),
    "themes": ("体检主题", HealthTheme),
}


@login_required
def settings_page(request):
    require_role(request.user, *services.SETTINGS_EDITORS)
    items = list(ScoringItem.objects.all())
    return render(
        request,
        "harmony/settings.html",
        {
            "items": items,
            "items_total": sum(i.max_points for i in items if i.is_active),
            "vetoes": VetoItem.objects.all(),
            "documents": DocumentKind.objects.all(),
            "themes": HealthTheme.objects.all(),
            "questions": HealthQuestion.objects.select_related("theme").prefetch_related("options"),
            "parameters": [
                (code, label)
                for code, (label, _) in PARAMETER_LABELS.items()
                if code.startswith("harmony_")
            ],
        },
    )


def _styled(form_class):
    """``form_class`` whose widgets take the site's classes (the settings are model forms)."""

    def make(*args, **kwargs):
        form = form_class(*args, **kwargs)
        forms.style_model_form(form)
        return form

    return make


class SettingEdit(generic.ObjectEditView):
    """Add (no ``pk``) or edit a scoring item, veto item, pack document or health theme."""

    editors = services.SETTINGS_EDITORS
    template_name = "harmony/setting_form.html"

    def get_object(self, request, kind, pk=None):
        if kind not in SETTING_LABELS:
            raise Http404
        self.kind = kind
        self.label, model = SETTING_LABELS[kind]
        self.form_class = _styled(forms.SETTING_FORMS[kind])
        return get_object_or_404(model, pk=pk) if pk else None

    def get_form_kwargs(self, request, obj):
        return {"instance": obj}

    def save(self, request, form, obj):
        data = {name: form.cleaned_data[name] for name in form.fields}
        return services.save_setting(request.user, self.kind, obj, **data)

    def get_success_url(self, saved):
        return f"{reverse('harmony:settings')}#{self.kind}"

    def get_success_message(self, saved, creating):
        return f"已保存{self.label}。"

    def get_context(self, request, form, obj):
        return {"label": self.label, "obj": obj}


class QuestionEdit(generic.ObjectEditView):
    """Add (no ``pk``) or edit a health-check question with its options ("text=points")."""

    editors = services.SETTINGS_EDITORS
    template_name = "harmony/setting_form.html"
    form_class = forms.QuestionForm
    success_message = "已保存体检问题。"

    def get_object(self, request, pk=None):
        return get_object_or_404(HealthQuestion, pk=pk) if pk else None

    def get_form_kwargs(self, request, question):
        if question is None:
            return {}
        return {
            "initial": {
                "theme": question.theme,
                "text": question.text,
                "order": question.order,
                "is_active": question.is_active,
                "options": "\n".join(f"{o.text}={o.points}" for o in question.options.all()),
            }
        }

    def save(self, request, form, question):
        return services.save_question(request.user, question, **form.cleaned_data)

    def get_success_url(self, saved):
        return f"{reverse('harmony:settings')}#questions"

    def get_context(self, request, form, question):
        return {"label": "体检问题", "obj": question}
