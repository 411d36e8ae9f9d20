"""Administration pages of the registries behind the cases: mediation bodies and their
mediators, arbitration commissions and their arbitrators and clerks, the lawyer pool.

City administrators and district staff manage those of their own unit's subtree; mediators,
arbitrators and auditors read them. Every change goes through the services (role, scope,
validation, audit); nothing is deleted — "停用" deactivates, since cases refer to the rows.
Phone numbers are only ever shown masked; the edit forms use core's ``MaskedFieldsMixin``: the
mask is pre-filled, posted back unchanged it keeps the number, a new number replaces it.

The lists, the create/edit pages and the 停用 buttons are declarations on core's generic views
(``core/generic.py``); the reads and the sortable columns are in ``queries.py``. The body and
commission pages, which show a record with its people, stay functions.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from yutong.core import generic, roles, scope
from yutong.core import queries as core_queries
from yutong.core.models import OrgUnit, User
from yutong.core.pagination import paginate
from yutong.core.permissions import can, require_role
from yutong.core.personal import PHONE, MaskedFieldsMixin, mask_phone
from yutong.core.viewutils import add_service_errors
from yutong.registry import queries as registry_queries
from yutong.registry.validators import normalise_uscc

from . import queries, services
from .models import ArbitrationCommission, Arbitrator, Lawyer, MediationBody, Mediator

EDITORS = services.BODY_EDITORS
READERS = queries.BODY_READERS


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
    """The filters of the registry lists (``queries.filter_registry``), kept in the URL."""

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


def _audit(request, obj) -> dict:
    show = can(request.user, *roles.AUDIT_READERS)
    entries = core_queries.audit_trail(request.user, obj)[:100] if show else []
    return {"show_audit": show, "entries": entries}


class RegistryList(generic.ObjectListView):
    """A registry list: readers, the shared filter form, the edit buttons for editors."""

    readers = READERS
    filter_form = ListFilterForm
    kinds: list | None = None
    # The fields the search box looks in.
    search: tuple[str, ...] = ("name",)

    def get_form_kwargs(self, request):
        return {"user": request.user, "kinds": self.kinds}

    def filter_queryset(self, request, rows, data):
        return queries.filter_registry(rows, data, self.search)

    def get_context(self, request):
        return {"can_edit": can(request.user, *EDITORS)}


class Deactivate(generic.ObjectActionView):
    """停用 a registry row: the service's update with ``is_active=False``."""

    editors = EDITORS
    # The scoped query the row is found in (a function of the user): 404 outside it.
    visible = None
    # The service that updates the row: ``service(actor, obj, **changes)``.
    service = None

    def get_object(self, request, pk):
        return get_object_or_404(self.visible(request.user), pk=pk)

    def label(self, obj) -> str:
        return obj.name

    def perform(self, request, obj):
        self.service(request.user, obj, is_active=False)
        return f"已停用{self.label(obj)}。"


# --- mediation bodies and mediators ----------------------------------------------------------


BODY_HEADERS = [
    "编号",
    "名称",
    "类型",
    "所属区县",
    "所属镇街",
    "所属企业",
    "所属企业统一社会信用代码",
    "所属园区",
    "在岗调解员",
    "状态",
]


class BodyList(RegistryList):
    template_name = "disputes/body_list.html"
    table_template = "disputes/_body_table.html"
    sorting = queries.BODY_SORTING
    kinds = MediationBody.Kind.choices
    search = ("name", "code")
    export = generic.Export("调解组织", BODY_HEADERS)
    url_name = "disputes:body_list"

    def get_queryset(self, request):
        return queries.with_mediator_counts(queries.bodies_visible_to(request.user))

    def export_queryset(self, request, bodies):
        return bodies.select_related("unit", "township", "enterprise", "park")

    def export_row(self, request, b):
        return [
            b.code,
            b.name,
            b.get_kind_display(),
            b.unit.name,
            b.township.name if b.township_id else "",
            b.enterprise.name if b.enterprise_id else "",
            b.enterprise.uscc if b.enterprise_id else "",
            b.park.name if b.park_id else "",
            b.mediator_count,
            _in_use(b.is_active),
        ]


def _in_use(active: bool, label: str = "在用") -> str:
    return label if active else "已停用"


class BodyEdit(generic.ObjectEditView):
    """Register a mediation body (no ``pk``) or edit one."""

    editors = EDITORS
    form_class = BodyForm
    template_name = "disputes/body_form.html"

    def get_object(self, request, pk=None):
        return (
            None
            if pk is None
            else get_object_or_404(queries.bodies_visible_to(request.user), pk=pk)
        )

    def get_form_kwargs(self, request, body):
        if body is None:
            return {"user": request.user}
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
        return {"user": request.user, "body": body, "initial": initial}

    def save(self, request, form, body):
        if body is None:
            return services.create_mediation_body(request.user, **form.service_data())
        return services.update_mediation_body(request.user, body, **form.service_data())

    def get_success_url(self, body):
        return reverse("disputes:body_detail", args=[body.pk])

    def get_success_message(self, body, creating):
        return "已登记调解组织。" if creating else "已保存。"

    def get_context(self, request, form, body):
        return {"body": body}


class BodyDeactivate(Deactivate):
    visible = staticmethod(queries.bodies_visible_to)
    service = staticmethod(services.update_mediation_body)

    def get_success_url(self, body):
        return reverse("disputes:body_detail", args=[body.pk])


@login_required
def body_detail(request, pk):
    require_role(request.user, *READERS)
    body = get_object_or_404(queries.bodies_visible_to(request.user), pk=pk)
    mediators = Mediator.objects.filter(body=body).select_related("user")
    mediators, sort = queries.MEDIATOR_SORTING.apply(request, mediators)
    context = paginate(request, mediators)
    for mediator in context["object_list"]:
        mediator.masked_phone = mask_phone(mediator.phone)
    context.update(
        body=body, sort=sort, can_edit=can(request.user, *EDITORS), **_audit(request, body)
    )
    return render(request, "disputes/body_detail.html", context)


class MediatorEdit(generic.ObjectEditView):
    """Add a mediator to a body (``body_pk``) or edit one (``pk``); back to the body's page."""

    editors = EDITORS
    form_class = MediatorForm
    template_name = "disputes/body_mediator_form.html"

    def get_object(self, request, pk=None, body_pk=None):
        if pk is None:
            self.body = get_object_or_404(queries.bodies_visible_to(request.user), pk=body_pk)
            return None
        mediator = get_object_or_404(queries.mediators_visible_to(request.user), pk=pk)
        self.body = mediator.body
        return mediator

    def get_form_kwargs(self, request, mediator):
        if mediator is None:
            return {"user": request.user}
        initial = {"name": mediator.name, "user": mediator.user, "is_active": mediator.is_active}
        return {"user": request.user, "mediator": mediator, "initial": initial}

    def save(self, request, form, mediator):
        if mediator is None:
            return services.add_mediator(request.user, self.body, **form.service_data())
        return services.update_mediator(request.user, mediator, **form.service_data())

    def get_success_url(self, mediator):
        return reverse("disputes:body_detail", args=[mediator.body_id])

    def get_success_message(self, mediator, creating):
        return "已添加调解员。" if creating else "已保存。"

    def get_context(self, request, form, mediator):
        return {"body": self.body, "mediator": mediator}


class MediatorDeactivate(Deactivate):
    visible = staticmethod(queries.mediators_visible_to)
    service = staticmethod(services.update_mediator)

    def label(self, mediator):
        return f"调解员 {mediator.name}"

    def get_success_url(self, mediator):
        return reverse("disputes:body_detail", args=[mediator.body_id])


# --- arbitration commissions, arbitrators and clerks -----------------------------------------


COMMISSION_HEADERS = ["编号", "名称", "案号简称", "所在单位", "在岗仲裁员", "在岗书记员", "状态"]


class CommissionList(RegistryList):
    template_name = "disputes/commission_list.html"
    table_template = "disputes/_commission_table.html"
    sorting = queries.COMMISSION_SORTING
    search = ("name", "code", "short_name")
    export = generic.Export("仲裁委员会", COMMISSION_HEADERS)
    url_name = "disputes:commission_list"

    def get_queryset(self, request):
        return queries.with_people_counts(queries.commissions_visible_to(request.user))

    def export_queryset(self, request, commissions):
        return commissions.select_related("unit")

    def export_row(self, request, c):
        return [
            c.code,
            c.name,
            c.short_name,
            c.unit.name,
            c.arbitrator_count,
            c.clerk_count,
            _in_use(c.is_active),
        ]


class CommissionEdit(generic.ObjectEditView):
    """Register an arbitration commission (no ``pk``) or edit one."""

    editors = EDITORS
    form_class = CommissionForm
    template_name = "disputes/commission_form.html"

    def get_object(self, request, pk=None):
        if pk is None:
            return None
        return get_object_or_404(queries.commissions_visible_to(request.user), pk=pk)

    def get_form_kwargs(self, request, commission):
        if commission is None:
            return {"user": request.user}
        initial = {
            "code": commission.code,
            "name": commission.name,
            "short_name": commission.short_name,
            "unit": commission.unit,
            "is_active": commission.is_active,
        }
        return {"user": request.user, "commission": commission, "initial": initial}

    def save(self, request, form, commission):
        if commission is None:
            return services.create_commission(request.user, **form.cleaned_data)
        return services.update_commission(request.user, commission, **form.cleaned_data)

    def get_success_url(self, commission):
        return reverse("disputes:commission_detail", args=[commission.pk])

    def get_success_message(self, commission, creating):
        return "已登记仲裁委员会。" if creating else "已保存。"

    def get_context(self, request, form, commission):
        return {"commission": commission}


class CommissionDeactivate(Deactivate):
    visible = staticmethod(queries.commissions_visible_to)
    service = staticmethod(services.update_commission)

    def get_success_url(self, commission):
        return reverse("disputes:commission_detail", args=[commission.pk])


@login_required
def commission_detail(request, pk):
    require_role(request.user, *READERS)
    commission = get_object_or_404(queries.commissions_visible_to(request.user), pk=pk)
    people = Arbitrator.objects.filter(commission=commission).select_related("user")
    people, sort = queries.ARBITRATOR_SORTING.apply(request, people)
    context = paginate(request, people)
    context.update(
        commission=commission,
        sort=sort,
        can_edit=can(request.user, *EDITORS),
        **_audit(request, commission),
    )
    return render(request, "disputes/commission_detail.html", context)


class ArbitratorEdit(generic.ObjectEditView):
    """Add an arbitrator or clerk to a commission (``commission_pk``) or edit one (``pk``)."""

    editors = EDITORS
    form_class = ArbitratorForm
    template_name = "disputes/commission_arbitrator_form.html"

    def get_object(self, request, pk=None, commission_pk=None):
        if pk is None:
            self.commission = get_object_or_404(
                queries.commissions_visible_to(request.user), pk=commission_pk
            )
            return None
        person = get_object_or_404(queries.arbitrators_visible_to(request.user), pk=pk)
        self.commission = person.commission
        return person

    def get_form_kwargs(self, request, person):
        if person is None:
            return {"user": request.user}
        initial = {
            "name": person.name,
            "role": person.role,
            "is_full_time": person.is_full_time,
            "user": person.user,
            "is_active": person.is_active,
        }
        return {"user": request.user, "person": person, "initial": initial}

    def save(self, request, form, person):
        if person is None:
            return services.add_arbitrator(request.user, self.commission, **form.cleaned_data)
        return services.update_arbitrator(request.user, person, **form.cleaned_data)

    def get_success_url(self, person):
        return reverse("disputes:commission_detail", args=[person.commission_id])

    def get_success_message(self, person, creating):
        return "已添加。" if creating else "已保存。"

    def get_context(self, request, form, person):
        return {"commission": self.commission, "person": person}


class ArbitratorDeactivate(Deactivate):
    visible = staticmethod(queries.arbitrators_visible_to)
    service = staticmethod(services.update_arbitrator)

    def label(self, person):
        return f"{person.get_role_display()} {person.name}"

    def get_success_url(self, person):
        return reverse("disputes:commission_detail", args=[person.commission_id])


# --- the lawyer pool -------------------------------------------------------------------------


LAWYER_HEADERS = ["姓名", "律师事务所", "联系电话", "服务区县", "状态"]


class LawyerList(RegistryList):
    """The pool, with the form that adds a lawyer beside it (for editors): a POST adds one and
    comes back to the list; a refusal shows on the form, next to the list."""

    template_name = "disputes/lawyer_list.html"
    table_template = "disputes/_lawyer_table.html"
    sorting = queries.LAWYER_SORTING
    search = ("name", "firm")
    http_method_names = ["get", "post", "head", "options"]
    add_form = None
    export = generic.Export("律师库", LAWYER_HEADERS)
    url_name = "disputes:lawyer_list"

    def get_queryset(self, request):
        return queries.lawyers_visible_to(request.user)

    def export_queryset(self, request, lawyers):
        return lawyers.select_related("unit")

    def export_row(self, request, lawyer):
        # The phone masked, as on the list (core.personal).
        return [
            lawyer.name,
            lawyer.firm,
            mask_phone(lawyer.phone),
            lawyer.unit.name,
            _in_use(lawyer.is_active, "在库"),
        ]

    def prepare_page(self, request, lawyers):
        for lawyer in lawyers:
            lawyer.masked_phone = mask_phone(lawyer.phone)

    def get_context(self, request):
        can_edit = can(request.user, *EDITORS)
        add_form = self.add_form
        if add_form is None and can_edit:
            add_form = LawyerForm(user=request.user)
        return {"can_edit": can_edit, "add_form": add_form}

    def post(self, request, *args, **kwargs):
        if self.exporting:  # the export is read only
            return self.http_method_not_allowed(request, *args, **kwargs)
        require_role(request.user, *EDITORS)
        form = LawyerForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.add_lawyer(request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "已加入律师库。")
                return redirect("disputes:lawyer_list")
        self.add_form = form
        return self.get(request, *args, **kwargs)


class LawyerEdit(generic.ObjectEditView):
    editors = EDITORS
    form_class = LawyerForm
    template_name = "disputes/lawyer_form.html"

    def get_object(self, request, pk):
        return get_object_or_404(queries.lawyers_visible_to(request.user), pk=pk)

    def get_form_kwargs(self, request, lawyer):
        initial = {
            "name": lawyer.name,
            "firm": lawyer.firm,
            "unit": lawyer.unit,
            "is_active": lawyer.is_active,
        }
        return {"user": request.user, "lawyer": lawyer, "initial": initial}

    def save(self, request, form, lawyer):
        return services.update_lawyer(request.user, lawyer, **form.service_data())

    def get_success_url(self, lawyer):
        return reverse("disputes:lawyer_list")

    def get_context(self, request, form, lawyer):
        return {"lawyer": lawyer}


class LawyerDeactivate(Deactivate):
    visible = staticmethod(queries.lawyers_visible_to)
    service = staticmethod(services.update_lawyer)

    def label(self, lawyer):
        return f"律师 {lawyer.name}"

    def get_success_url(self, lawyer):
        return reverse("disputes:lawyer_list")
