"""Administration pages of the registries behind the cases: mediation bodies and their
mediators, arbitration commissions and their arbitrators and clerks, the lawyer pool.

City administrators and district staff manage those of their own unit's subtree; mediators,
arbitrators and auditors read them. Every change goes through the services (role, scope,
validation, audit); nothing is deleted — "停用" deactivates, since cases refer to the rows.
Phone numbers are only ever shown masked; the edit forms use core's ``MaskedFieldsMixin``: the
mask is pre-filled, posted back unchanged it keeps the number, a new number replaces it.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from yutong.core import queries as core_queries
from yutong.core import roles, scope
from yutong.core.models import OrgUnit, User
from yutong.core.pagination import paginate
from yutong.core.permissions import can, require_role
from yutong.core.personal import PHONE, MaskedFieldsMixin, mask_phone
from yutong.core.viewutils import add_service_errors
from yutong.registry import queries as registry_queries
from yutong.registry.validators import normalise_uscc

from . import services
from .models import ArbitrationCommission, Arbitrator, Lawyer, MediationBody, Mediator

EDITORS = services.BODY_EDITORS
READERS = (roles.CITY_ADMIN, roles.DISTRICT_STAFF, roles.MEDIATOR, roles.ARBITRATOR, roles.AUDITOR)


# --- reads, scoped to the user ---------------------------------------------------------------


def bodies_visible_to(user) -> QuerySet[MediationBody]:
    if not can(user, *READERS):
        return MediationBody.objects.none()
    queryset = MediationBody.objects.select_related("unit", "township", "enterprise", "park")
    return scope.restrict_to_units(queryset, user)


def mediators_visible_to(user) -> QuerySet[Mediator]:
    if not can(user, *READERS):
        return Mediator.objects.none()
    queryset = Mediator.objects.select_related("body__unit", "user")
    return scope.restrict_to_units(queryset, user, field="body__unit")


def commissions_visible_to(user) -> QuerySet[ArbitrationCommission]:
    if not can(user, *READERS):
        return ArbitrationCommission.objects.none()
    return scope.restrict_to_units(ArbitrationCommission.objects.select_related("unit"), user)


def arbitrators_visible_to(user) -> QuerySet[Arbitrator]:
    if not can(user, *READERS):
        return Arbitrator.objects.none()
    queryset = Arbitrator.objects.select_related("commission__unit", "user")
    return scope.restrict_to_units(queryset, user, field="commission__unit")


def lawyers_visible_to(user) -> QuerySet[Lawyer]:
    if not can(user, *READERS):
        return Lawyer.objects.none()
    return scope.restrict_to_units(Lawyer.objects.select_related("unit"), user)


# --- forms -----------------------------------------------------------------------------------


def _text(label, max_length, required=True, **attrs):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.TextInput(attrs={"class": "form-control", **attrs}),
    )


def _select(label, queryset=None, choices=None, required=True, empty_label="请选择"):
    widget = forms.Select(attrs={"class": "form-select"})
    if choices is not None:
        return forms.ChoiceField(label=label, choices=choices, required=required, widget=widget)
    return forms.ModelChoiceField(
        label=label,
        queryset=queryset if queryset is not None else OrgUnit.objects.none(),
        required=required,
        widget=widget,
        empty_label=empty_label,
    )


def _active_field():
    return forms.BooleanField(
        label="在用",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


def _offered_units(user, *, level_q: Q, keep: list[int | None]) -> QuerySet[OrgUnit]:
    """Units in force in the user's scope, plus those the record already has (kept as is)."""
    units = scope.units_visible_to(user).filter(level_q)
    offered = Q(valid_to__isnull=True) | Q(pk__in=[pk for pk in keep if pk])
    return units.filter(offered).order_by("code")


def _placement_units(user, keep=()) -> QuerySet[OrgUnit]:
    return _offered_units(user, level_q=~Q(level=OrgUnit.Level.TOWNSHIP), keep=list(keep))


def _phone_field() -> forms.CharField:
    return _text("联系电话", 20, required=False, autocomplete="off", inputmode="tel")


class TownshipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        parent = obj.parent.name if obj.parent_id else ""
        return f"{parent} {obj.name}".strip()


class BodyForm(forms.Form):
    code = _text("编号", 24, placeholder="如 M500103001")
    name = _text("名称", 128)
    kind = _select("类型", choices=[("", "请选择"), *MediationBody.Kind.choices])
    unit = _select("所属区县")
    township = TownshipChoiceField(
        label="所属镇街（乡镇街道调解组织必填）",
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
        empty_label="—",
    )
    enterprise_uscc = _text(
        "所属企业统一社会信用代码（企业调解委员会必填）", 18, required=False, autocomplete="off"
    )
    park = _select("所属园区（园区调解组织必填）", required=False, empty_label="—")

    def __init__(self, *args, user, body: MediationBody | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.enterprise = user, None
        keep = (body.unit_id, body.township_id) if body else ()
        self.fields["unit"].queryset = _placement_units(user, keep)
        self.fields["township"].queryset = _offered_units(
            user, level_q=Q(level=OrgUnit.Level.TOWNSHIP), keep=list(keep)
        ).select_related("parent")
        self.fields["park"].queryset = registry_queries.parks_visible_to(user).order_by(
            "unit__code", "name"
        )
        if body is not None:
            self.fields["is_active"] = _active_field()

    def clean_enterprise_uscc(self):
        uscc = normalise_uscc(self.cleaned_data.get("enterprise_uscc") or "")
        if uscc:
            self.enterprise = (
                registry_queries.enterprises_visible_to(self.user).filter(uscc=uscc).first()
            )
            if self.enterprise is None:
                raise forms.ValidationError("企业名录中没有该统一社会信用代码的企业。")
        return uscc

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "enterprise_uscc"}
        data["enterprise"] = self.enterprise
        return data


class MediatorForm(MaskedFieldsMixin, forms.Form):
    masked_fields = {"phone": PHONE}

    name = _text("姓名", 64)
    phone = _phone_field()
    user = _select("平台账号（可选）", required=False, empty_label="—")

    def __init__(self, *args, user, mediator: Mediator | None = None, **kwargs):
        super().__init__(*args, masked_record=mediator, **kwargs)
        self.fields["user"].queryset = _platform_users(user, (roles.MEDIATOR,), mediator)
        if mediator is not None:
            self.fields["is_active"] = _active_field()
            self.fields["is_active"].label = "在岗"

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


def _platform_users(actor, codes, person=None) -> QuerySet[User]:
    users = User.objects.filter(is_active=True, roles__code__in=codes)
    users = scope.restrict_to_units(users, actor)
    keep = Q(pk=person.user_id) if person is not None and person.user_id else Q(pk__in=[])
    return User.objects.filter(Q(pk__in=users.values("pk")) | keep).order_by("username")


class CommissionForm(forms.Form):
    code = _text("编号", 24, placeholder="如 A500103")
    name = _text("名称", 128)
    short_name = _text("案号简称", 16, placeholder="如 渝中劳人仲")
    unit = _select("所在单位（全市或区县）")

    def __init__(self, *args, user, commission: ArbitrationCommission | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _placement_units(
            user, (commission.unit_id,) if commission else ()
        )
        if commission is not None:
            self.fields["is_active"] = _active_field()


class ArbitratorForm(forms.Form):
    name = _text("姓名", 64)
    role = _select("身份", choices=Arbitrator.Role.choices)
    is_full_time = forms.BooleanField(
        label="专职",
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    user = _select("平台账号（可选）", required=False, empty_label="—")

    def __init__(self, *args, user, person: Arbitrator | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _platform_users(
            user, services.ARBITRATION_HANDLERS, person
        ).distinct()
        if person is not None:
            self.fields["is_active"] = _active_field()
            self.fields["is_active"].label = "在岗"


class LawyerForm(MaskedFieldsMixin, forms.Form):
    masked_fields = {"phone": PHONE}

    name = _text("姓名", 64)
    firm = _text("律师事务所", 128)
    phone = _phone_field()
    unit = _select("服务区县")

    def __init__(self, *args, user, lawyer: Lawyer | None = None, **kwargs):
        super().__init__(*args, masked_record=lawyer, **kwargs)
        self.fields["unit"].queryset = _placement_units(user, (lawyer.unit_id,) if lawyer else ())
        if lawyer is not None:
            self.fields["is_active"] = _active_field()
            self.fields["is_active"].label = "在库"

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


STATUS_CHOICES = [("", "全部状态"), ("active", "在用"), ("inactive", "已停用")]


class ListFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100)
    kind = forms.ChoiceField(required=False)
    unit = forms.ModelChoiceField(
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label="全部区县",
        widget=forms.Select(attrs={"class": "form-select", "aria-label": "区县"}),
    )
    status = forms.ChoiceField(
        choices=STATUS_CHOICES,
        required=False,
        widget=forms.Select(attrs={"class": "form-select", "aria-label": "状态"}),
    )

    def __init__(self, *args, user, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            scope.units_visible_to(user).exclude(level=OrgUnit.Level.TOWNSHIP).order_by("code")
        )
        if kinds:
            self.fields["kind"].choices = [("", "全部类型"), *kinds]
            self.fields["kind"].widget.attrs.update({"class": "form-select", "aria-label": "类型"})
        else:
            del self.fields["kind"]

    def apply(self, queryset: QuerySet, search: tuple[str, ...]) -> QuerySet:
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data.get("q"):
            condition = Q()
            for field in search:
                condition |= Q(**{f"{field}__icontains": data["q"].strip()})
            queryset = queryset.filter(condition)
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("unit") is not None:
            queryset = queryset.filter(unit=data["unit"])
        if data.get("status"):
            queryset = queryset.filter(is_active=data["status"] == "active")
        return queryset


def _service_call(request, form, call, success: str):
    """Run a service with the form's data; its ValidationError shows on the form."""
    try:
        result = call()
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    messages.success(request, success)
    return result


def _deactivate(request, call, name: str) -> None:
    try:
        call()
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已停用{name}。")


def _audit(request, obj) -> dict:
    show = can(request.user, *roles.AUDIT_READERS)
    entries = core_queries.audit_trail(request.user, obj)[:100] if show else []
    return {"show_audit": show, "entries": entries}


# --- mediation bodies and mediators ----------------------------------------------------------


@login_required
def body_list(request):
    require_role(request.user, *READERS)
    form = ListFilterForm(request.GET or None, user=request.user, kinds=MediationBody.Kind.choices)
    bodies = form.apply(bodies_visible_to(request.user), ("name", "code"))
    bodies = bodies.annotate(
        mediator_count=Count("mediators", filter=Q(mediators__is_active=True))
    ).order_by("unit__code", "name", "id")
    context = paginate(request, bodies)
    context.update(form=form, can_edit=can(request.user, *EDITORS))
    return render(request, "disputes/body_list.html", context)


@login_required
def body_create(request):
    require_role(request.user, *EDITORS)
    form = BodyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        body = _service_call(
            request,
            form,
            lambda: services.create_mediation_body(request.user, **form.service_data()),
            "已登记调解组织。",
        )
        if body is not None:
            return redirect("disputes:body_detail", pk=body.pk)
    return render(request, "disputes/body_form.html", {"form": form, "creating": True})


@login_required
def body_detail(request, pk):
    require_role(request.user, *READERS)
    body = get_object_or_404(bodies_visible_to(request.user), pk=pk)
    mediators = Mediator.objects.filter(body=body).select_related("user")
    context = paginate(request, mediators.order_by("-is_active", "name", "id"))
    for mediator in context["object_list"]:
        mediator.masked_phone = mask_phone(mediator.phone)
    context.update(body=body, can_edit=can(request.user, *EDITORS), **_audit(request, body))
    return render(request, "disputes/body_detail.html", context)


@login_required
def body_edit(request, pk):
    require_role(request.user, *EDITORS)
    body = get_object_or_404(bodies_visible_to(request.user), pk=pk)
    initial = {
        "code": body.code,
        "name": body.name,
        "kind": body.kind,
        "unit": body.unit,
        "township": body.township,
        "enterprise_uscc": body.enterprise.uscc if body.enterprise_id else "",
        "park": body.park,
        "is_active": body.is_active,
    }
    form = BodyForm(request.POST or None, user=request.user, body=body, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _service_call(
            request,
            form,
            lambda: services.update_mediation_body(request.user, body, **form.service_data()),
            "已保存。",
        )
        if saved is not None:
            return redirect("disputes:body_detail", pk=body.pk)
    return render(request, "disputes/body_form.html", {"form": form, "body": body})


@login_required
@require_POST
def body_deactivate(request, pk):
    require_role(request.user, *EDITORS)
    body = get_object_or_404(bodies_visible_to(request.user), pk=pk)
    _deactivate(
        request,
        lambda: services.update_mediation_body(request.user, body, is_active=False),
        body.name,
    )
    return redirect("disputes:body_detail", pk=body.pk)


@login_required
def mediator_create(request, pk):
    require_role(request.user, *EDITORS)
    body = get_object_or_404(bodies_visible_to(request.user), pk=pk)
    form = MediatorForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        mediator = _service_call(
            request,
            form,
            lambda: services.add_mediator(request.user, body, **form.service_data()),
            "已添加调解员。",
        )
        if mediator is not None:
            return redirect("disputes:body_detail", pk=body.pk)
    return render(
        request, "disputes/body_mediator_form.html", {"form": form, "body": body, "creating": True}
    )


@login_required
def mediator_edit(request, pk):
    require_role(request.user, *EDITORS)
    mediator = get_object_or_404(mediators_visible_to(request.user), pk=pk)
    initial = {"name": mediator.name, "user": mediator.user, "is_active": mediator.is_active}
    form = MediatorForm(request.POST or None, user=request.user, mediator=mediator, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _service_call(
            request,
            form,
            lambda: services.update_mediator(request.user, mediator, **form.service_data()),
            "已保存。",
        )
        if saved is not None:
            return redirect("disputes:body_detail", pk=mediator.body_id)
    return render(
        request,
        "disputes/body_mediator_form.html",
        {"form": form, "body": mediator.body, "mediator": mediator},
    )


@login_required
@require_POST
def mediator_deactivate(request, pk):
    require_role(request.user, *EDITORS)
    mediator = get_object_or_404(mediators_visible_to(request.user), pk=pk)
    _deactivate(
        request,
        lambda: services.update_mediator(request.user, mediator, is_active=False),
        f"调解员 {mediator.name}",
    )
    return redirect("disputes:body_detail", pk=mediator.body_id)


# --- arbitration commissions, arbitrators and clerks -----------------------------------------


@login_required
def commission_list(request):
    require_role(request.user, *READERS)
    form = ListFilterForm(request.GET or None, user=request.user)
    commissions = form.apply(
        commissions_visible_to(request.user), ("name", "code", "short_name")
    ).annotate(
        arbitrator_count=Count(
            "arbitrators",
            filter=Q(arbitrators__is_active=True, arbitrators__role=Arbitrator.Role.ARBITRATOR),
        ),
        clerk_count=Count(
            "arbitrators",
            filter=Q(arbitrators__is_active=True, arbitrators__role=Arbitrator.Role.CLERK),
        ),
    )
    context = paginate(request, commissions.order_by("unit__code", "name", "id"))
    context.update(form=form, can_edit=can(request.user, *EDITORS))
    return render(request, "disputes/commission_list.html", context)


@login_required
def commission_create(request):
    require_role(request.user, *EDITORS)
    form = CommissionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        commission = _service_call(
            request,
            form,
            lambda: services.create_commission(request.user, **form.cleaned_data),
            "已登记仲裁委员会。",
        )
        if commission is not None:
            return redirect("disputes:commission_detail", pk=commission.pk)
    return render(request, "disputes/commission_form.html", {"form": form, "creating": True})


@login_required
def commission_detail(request, pk):
    require_role(request.user, *READERS)
    commission = get_object_or_404(commissions_visible_to(request.user), pk=pk)
    people = Arbitrator.objects.filter(commission=commission).select_related("user")
    context = paginate(request, people.order_by("-is_active", "role", "name", "id"))
    context.update(
        commission=commission,
        can_edit=can(request.user, *EDITORS),
        **_audit(request, commission),
    )
    return render(request, "disputes/commission_detail.html", context)


@login_required
def commission_edit(request, pk):
    require_role(request.user, *EDITORS)
    commission = get_object_or_404(commissions_visible_to(request.user), pk=pk)
    initial = {
        "code": commission.code,
        "name": commission.name,
        "short_name": commission.short_name,
        "unit": commission.unit,
        "is_active": commission.is_active,
    }
    form = CommissionForm(
        request.POST or None, user=request.user, commission=commission, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        saved = _service_call(
            request,
            form,
            lambda: services.update_commission(request.user, commission, **form.cleaned_data),
            "已保存。",
        )
        if saved is not None:
            return redirect("disputes:commission_detail", pk=commission.pk)
    return render(
        request, "disputes/commission_form.html", {"form": form, "commission": commission}
    )


@login_required
@require_POST
def commission_deactivate(request, pk):
    require_role(request.user, *EDITORS)
    commission = get_object_or_404(commissions_visible_to(request.user), pk=pk)
    _deactivate(
        request,
        lambda: services.update_commission(request.user, commission, is_active=False),
        commission.name,
    )
    return redirect("disputes:commission_detail", pk=commission.pk)


@login_required
def arbitrator_create(request, pk):
    require_role(request.user, *EDITORS)
    commission = get_object_or_404(commissions_visible_to(request.user), pk=pk)
    form = ArbitratorForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        person = _service_call(
            request,
            form,
            lambda: services.add_arbitrator(request.user, commission, **form.cleaned_data),
            "已添加。",
        )
        if person is not None:
            return redirect("disputes:commission_detail", pk=commission.pk)
    return render(
        request,
        "disputes/commission_arbitrator_form.html",
        {"form": form, "commission": commission, "creating": True},
    )


@login_required
def arbitrator_edit(request, pk):
    require_role(request.user, *EDITORS)
    person = get_object_or_404(arbitrators_visible_to(request.user), pk=pk)
    initial = {
        "name": person.name,
        "role": person.role,
        "is_full_time": person.is_full_time,
        "user": person.user,
        "is_active": person.is_active,
    }
    form = ArbitratorForm(request.POST or None, user=request.user, person=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _service_call(
            request,
            form,
            lambda: services.update_arbitrator(request.user, person, **form.cleaned_data),
            "已保存。",
        )
        if saved is not None:
            return redirect("disputes:commission_detail", pk=person.commission_id)
    return render(
        request,
        "disputes/commission_arbitrator_form.html",
        {"form": form, "commission": person.commission, "person": person},
    )


@login_required
@require_POST
def arbitrator_deactivate(request, pk):
    require_role(request.user, *EDITORS)
    person = get_object_or_404(arbitrators_visible_to(request.user), pk=pk)
    _deactivate(
        request,
        lambda: services.update_arbitrator(request.user, person, is_active=False),
        f"{person.get_role_display()} {person.name}",
    )
    return redirect("disputes:commission_detail", pk=person.commission_id)


# --- the lawyer pool -------------------------------------------------------------------------


@login_required
def lawyer_list(request):
    require_role(request.user, *READERS)
    can_edit = can(request.user, *EDITORS)
    form = LawyerForm(request.POST or None, user=request.user) if can_edit else None
    if request.method == "POST":
        require_role(request.user, *EDITORS)
        if form.is_valid():
            lawyer = _service_call(
                request,
                form,
                lambda: services.add_lawyer(request.user, **form.cleaned_data),
                "已加入律师库。",
            )
            if lawyer is not None:
                return redirect("disputes:lawyer_list")
    filters = ListFilterForm(request.GET or None, user=request.user)
    lawyers = filters.apply(lawyers_visible_to(request.user), ("name", "firm"))
    context = paginate(request, lawyers.order_by("unit__code", "name", "id"))
    for lawyer in context["object_list"]:
        lawyer.masked_phone = mask_phone(lawyer.phone)
    context.update(filters=filters, form=form, can_edit=can_edit)
    return render(request, "disputes/lawyer_list.html", context)


@login_required
def lawyer_edit(request, pk):
    require_role(request.user, *EDITORS)
    lawyer = get_object_or_404(lawyers_visible_to(request.user), pk=pk)
    initial = {
        "name": lawyer.name,
        "firm": lawyer.firm,
        "unit": lawyer.unit,
        "is_active": lawyer.is_active,
    }
    form = LawyerForm(request.POST or None, user=request.user, lawyer=lawyer, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _service_call(
            request,
            form,
            lambda: services.update_lawyer(request.user, lawyer, **form.service_data()),
            "已保存。",
        )
        if saved is not None:
            return redirect("disputes:lawyer_list")
    return render(request, "disputes/lawyer_form.html", {"form": form, "lawyer": lawyer})


@login_required
@require_POST
def lawyer_deactivate(request, pk):
    require_role(request.user, *EDITORS)
    lawyer = get_object_or_404(lawyers_visible_to(request.user), pk=pk)
    _deactivate(
        request,
        lambda: services.update_lawyer(request.user, lawyer, is_active=False),
        f"律师 {lawyer.name}",
    )
    return redirect("disputes:lawyer_list")
