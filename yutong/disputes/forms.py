"""Forms of the dispute pages: queue filters, registration (staff and online), case actions.

The forms check the shape of the input (required fields, numbers, dates, ID check digits) and
give Chinese messages on the fields; the rules of the law stay in ``services`` and come back
through ``yutong.core.viewutils.add_service_errors``.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from stdnum.cn import uscc as stdnum_uscc

from yutong.core import dates
from yutong.core.money import yuan
from yutong.core.personal import (
    is_valid_phone,
    is_valid_resident_id,
    normalise_phone,
    normalise_resident_id,
)
from yutong.core.public_forms import CaptchaFormMixin
from yutong.registry.validators import normalise_uscc

from .models import (
    ArbitrationCase,
    ArbitrationCommission,
    Arbitrator,
    ClaimType,
    MediationCase,
    Mediator,
)
from .services import COMPUTED_BY_LAW, RESTART_GROUNDS, arbitration_handlers_for

DATE_INPUT = {"type": "date"}


def _date_widget():
    return forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d")


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.HiddenInput, forms.CheckboxSelectMultiple)):
            continue
        if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect)):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


def _not_future(day):
    if day is not None and day > timezone.localdate():
        raise ValidationError("日期不能晚于今天。")
    return day


# --- queues ----------------------------------------------------------------------------------


class QueueFilterForm(StyledForm):
    status = forms.ChoiceField(label="状态", required=False)
    received_from = dates.DayField(label="收到日期自", required=False, widget=_date_widget())
    received_to = dates.DayField(label="收到日期至", required=False, widget=_date_widget())
    employer = forms.CharField(label="用人单位", required=False, max_length=100)

    def __init__(self, *args, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "全部状态"), *statuses]
        self.fields["employer"].widget.attrs["placeholder"] = "用人单位名称"

    def clean(self):
        data = super().clean()
        low, high = data.get("received_from"), data.get("received_to")
        if low and high and low > high:
            self.add_error("received_to", "截止日期不能早于起始日期。")
        return data


def filter_cases(queryset, data: dict):
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    if data.get("received_from"):
        queryset = queryset.filter(received_on__gte=data["received_from"])
    if data.get("received_to"):
        queryset = queryset.filter(received_on__lte=data["received_to"])
    employer = (data.get("employer") or "").strip()
    if employer:
        queryset = queryset.filter(dispute__employer_name__contains=employer)
    return queryset


# --- the dispute: employer, workers, claims, facts ---------------------------------------------


def _clean_uscc(value: str) -> str:
    code = normalise_uscc(value or "")
    if code and not stdnum_uscc.is_valid(code):
        raise ValidationError("统一社会信用代码无效，请核对 18 位代码。")
    return code


class WorkerForm(StyledForm):
    name = forms.CharField(label="姓名", max_length=64)
    resident_id = forms.CharField(label="公民身份号码", max_length=24)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    is_representative = forms.BooleanField(label="代表人", required=False)

    def __init__(self, *args, phone_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].required = phone_required
        self.fields["resident_id"].widget.attrs.update(autocomplete="off", inputmode="text")
        self.fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="tel")

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_resident_id(self):
        number = normalise_resident_id(self.cleaned_data["resident_id"])
        if not is_valid_resident_id(number):
            raise ValidationError("公民身份号码无效，请核对 18 位号码。")
        return number

    def clean_phone(self):
        phone = normalise_phone(self.cleaned_data.get("phone") or "")
        if phone and not is_valid_phone(phone):
            raise ValidationError("联系电话格式不正确，请填写 11 位手机号码或带区号的固定电话。")
        return phone


class ClaimForm(StyledForm):
    claim_type = forms.ModelChoiceField(
        ClaimType.objects.all(), label="请求事项", empty_label="请选择"
    )
    amount = forms.DecimalField(
        label="金额（元）", required=False, min_value=0, max_digits=14, decimal_places=2
    )
    description = forms.CharField(label="说明", max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.attrs.update(inputmode="decimal", step="0.01")


class RowsFormSet(forms.BaseFormSet):
    """A formset whose empty rows are ignored; at least one filled row is required."""

    empty_message = "请至少填写一行。"

    def filled_forms(self):
        return [f for f in self.forms if f.has_changed() and f not in self.deleted_forms]

    def clean(self):
        if any(self.errors):
            return
        if not self.filled_forms():
            raise ValidationError(self.empty_message)

    def rows(self) -> list[dict]:
        return [form.cleaned_data for form in self.filled_forms()]


class WorkerFormSet(RowsFormSet):
    empty_message = "请至少填写一名劳动者。"

    def __init__(self, *args, phone_required: bool = False, **kwargs):
        self.phone_required = phone_required
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "phone_required": self.phone_required}

    def clean(self):
        super().clean()
        seen = set()
        for form in self.filled_forms():
            number = getattr(form, "cleaned_data", {}).get("resident_id")
            if number and number in seen:
                form.add_error("resident_id", "公民身份号码重复。")
            seen.add(number)


class ClaimFormSet(RowsFormSet):
    empty_message = "请至少填写一项请求事项。"


def worker_formset(data=None, *, phone_required=False, prefix="workers"):
    factory = forms.formset_factory(WorkerForm, formset=WorkerFormSet, extra=1, max_num=200)
    return factory(data, prefix=prefix, phone_required=phone_required)


def claim_formset(data=None, *, prefix="claims"):
    factory = forms.formset_factory(ClaimForm, formset=ClaimFormSet, extra=1, max_num=30)
    return factory(data, prefix=prefix)


class MediatorSelect(forms.Select):
    """Each mediator's body on its option: disputes.js offers only the chosen body's mediators
    (a script file, as the Content-Security-Policy allows no inline handler)."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-body"] = str(instance.body_id)
        return option


class DisputeForm(StyledForm):
    """Staff registration: the employer (picked from the registry or typed), the facts, and the
    case that receives the dispute."""

    TARGETS = [("mediation", "调解组织受理调解"), ("arbitration", "仲裁委员会收到仲裁申请")]

    employer = forms.ModelChoiceField(
        None, required=False, to_field_name="uscc", widget=forms.HiddenInput
    )
    employer_name = forms.CharField(label="用人单位名称", max_length=200, required=False)
    employer_uscc = forms.CharField(label="统一社会信用代码", max_length=18, required=False)
    facts = forms.CharField(
        label="事实与理由", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    target = forms.ChoiceField(label="办理方式", widget=forms.RadioSelect)
    body = forms.ModelChoiceField(
        None, label="调解组织", required=False, empty_label="请选择调解组织"
    )
    mediator = forms.ModelChoiceField(
        None,
        label="调解员",
        required=False,
        empty_label="暂不指派",
        widget=MediatorSelect(attrs={"data-mediator-of": "id_body"}),
        error_messages={"invalid_choice": "该调解员不属于所选调解组织。"},
    )
    commission = forms.ModelChoiceField(
        None, label="仲裁委员会", required=False, empty_label="请选择仲裁委员会"
    )
    received_on = dates.DayField(label="收到申请日期", widget=_date_widget())

    def __init__(self, *args, enterprises, bodies, mediators, commissions, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = enterprises
        self.fields["body"].queryset = bodies
        self.fields["mediator"].queryset = self._mediators_of_chosen_body(bodies, mediators)
        self.fields["mediator"].label_from_instance = lambda m: f"{m.name}（{m.body.name}）"
        self.fields["commission"].queryset = commissions
        self.fields["target"].choices = [c for c in self.TARGETS if c[0] in targets]
        self.fields["target"].widget.attrs["class"] = "form-check-input"
        if len(self.fields["target"].choices) == 1:
            self.fields["target"].initial = self.fields["target"].choices[0][0]
        self.fields["received_on"].initial = timezone.localdate()
        self.fields["employer_name"].widget.attrs.update(
            placeholder="输入名称或信用代码搜索企业名录，或直接填写", autocomplete="off"
        )

    def _mediators_of_chosen_body(self, bodies, mediators):
        """Once a body is chosen, only its mediators are offered (and accepted)."""
        chosen = self.data.get(self.add_prefix("body")) if self.is_bound else None
        if chosen and str(chosen).isdigit() and bodies.filter(pk=chosen).exists():
            return mediators.filter(body_id=chosen)
        return mediators

    def clean_employer_uscc(self):
        return _clean_uscc(self.cleaned_data.get("employer_uscc"))

    def clean_received_on(self):
        return _not_future(self.cleaned_data["received_on"])

    def clean(self):
        data = super().clean()
        if not data.get("employer") and not (data.get("employer_name") or "").strip():
            self.add_error("employer_name", "请填写用人单位名称或从企业名录中选择。")
        target = data.get("target")
        if target == "mediation":
            if not data.get("body"):
                self.add_error("body", "请选择调解组织。")
            elif data.get("mediator") and data["mediator"].body_id != data["body"].pk:
                self.add_error("mediator", "该调解员不属于所选调解组织。")
        elif target == "arbitration" and not data.get("commission"):
            self.add_error("commission", "请选择仲裁委员会。")
        return data


class ApplyForm(CaptchaFormMixin, StyledForm):
    """The public application: employer typed (never looked up), facts, where to apply, and a
    sum to work out (the captcha, a signed token in the form)."""

    employer_name = forms.CharField(label="用人单位名称", max_length=200)
    employer_uscc = forms.CharField(label="统一社会信用代码（选填）", max_length=18, required=False)
    facts = forms.CharField(
        label="事实与理由", widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )
    district = forms.ChoiceField(label="所在区县")
    target = forms.ChoiceField(label="申请机构")

    def __init__(self, *args, districts, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", "请选择区县"), *districts]
        self.fields["target"].choices = [("", "请先选择区县"), *targets]
        self.fields["facts"].widget.attrs["placeholder"] = (
            "请写明入职时间、岗位、发生了什么、您的请求和理由。"
        )

    def clean_employer_uscc(self):
        return _clean_uscc(self.cleaned_data.get("employer_uscc"))


# --- mediation actions -------------------------------------------------------------------------


class ActionForm(StyledForm):
    """Every action carries the version of the case the user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, case, **kwargs):
        self.case = case
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("version", case.version)
        super().__init__(*args, **kwargs)


class AssignMediatorForm(ActionForm):
    mediator = forms.ModelChoiceField(Mediator.objects.none(), label="调解员", empty_label="请选择")

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["mediator"].queryset = Mediator.objects.filter(body=case.body, is_active=True)
        if case.mediator_id:
            self.fields["mediator"].initial = case.mediator_id


class CloseMediationForm(ActionForm):
    closure = forms.ChoiceField(
        label="结案方式", choices=[("", "请选择"), *MediationCase.Closure.choices]
    )
    closed_on = dates.DayField(label="结案日期", widget=_date_widget())
    agreed_amount = forms.DecimalField(
        label="协议金额（元）", required=False, min_value=0, max_digits=14, decimal_places=2
    )
    agreement_text = forms.CharField(
        label="调解协议内容",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="达成调解协议或和解的必填。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closed_on"].initial = timezone.localdate()


class TransferForm(ActionForm):
    commission = forms.ModelChoiceField(
        ArbitrationCommission.objects.none(), label="仲裁委员会", empty_label="请选择"
    )
    received_on = dates.DayField(label="仲裁委收到日期", widget=_date_widget())

    def __init__(self, *args, commissions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commission"].queryset = commissions
        self.fields["received_on"].initial = timezone.localdate()


# --- arbitration actions -----------------------------------------------------------------------


class RequestMaterialsForm(ActionForm):
    items = forms.CharField(
        label="需补正的材料",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=450,
        help_text="一次性列明需要补正的全部材料。",
    )


class MaterialsSuppliedForm(ActionForm):
    on = dates.DayField(label="补正材料收到日期", widget=_date_widget())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class AcceptForm(ActionForm):
    accepted_on = dates.DayField(label="受理日期", widget=_date_widget())
    procedure = forms.ChoiceField(
        label="程序", choices=[("", "请选择"), *ArbitrationCase.Procedure.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accepted_on"].initial = timezone.localdate()


class RefuseForm(ActionForm):
    refused_on = dates.DayField(label="不予受理日期", widget=_date_widget())
    reason = forms.CharField(label="不予受理理由", max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["refused_on"].initial = timezone.localdate()


class TribunalForm(ActionForm):
    arbitrators = forms.ModelMultipleChoiceField(
        Arbitrator.objects.none(), label="仲裁员", widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["arbitrators"].queryset = Arbitrator.objects.filter(
            commission_id=case.commission_id, is_active=True, role=Arbitrator.Role.ARBITRATOR
        )
        wanted = 1 if case.procedure == ArbitrationCase.Procedure.SIMPLIFIED else 3
        self.fields["arbitrators"].help_text = (
            f"{case.get_procedure_display() or '普通程序'}：选择 {wanted} 名仲裁员"
            + ("组成合议庭。" if wanted == 3 else "（独任）。")
        )
        if case.pk and case.tribunal.exists():
            self.fields["arbitrators"].initial = list(case.tribunal.values_list("pk", flat=True))


class HearingForm(ActionForm):
    hearing_at = forms.DateTimeField(
        validators=[dates.validate_day],
        label="开庭时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    notified_on = dates.DayField(label="通知当事人日期", widget=_date_widget())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notified_on"].initial = timezone.localdate()


class ExtendForm(ActionForm):
    decided_on = dates.DayField(
        label="延期决定日期",
        required=False,
        widget=_date_widget(),
        help_text="应在审理期限届满前批准（调解仲裁法第四十三条）。",
    )
    days = forms.IntegerField(label="延长天数", min_value=1, max_value=15)
    reason = forms.CharField(label="延期理由", max_length=300)
    approver = forms.CharField(
        label="批准人", max_length=64, help_text="仲裁委员会主任或其委托的仲裁院院长。"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()


class AssignArbitrationForm(ActionForm):
    handler = forms.ModelChoiceField(None, label="承办人", empty_label="请选择")

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["handler"].queryset = arbitration_handlers_for(case)
        if case.assigned_to_id:
            self.fields["handler"].initial = case.assigned_to_id


class RestartForm(ActionForm):
    start = dates.DayField(
        label="重新起算日", widget=_date_widget(), help_text="如：受理追加请求或反申请之日。"
    )
    ground = forms.ChoiceField(label="事由", choices=[("", "请选择"), *RESTART_GROUNDS.items()])
    note = forms.CharField(label="说明", max_length=200, required=False)


class SuspendForm(ActionForm):
    from_day = dates.DayField(label="中止日期", widget=_date_widget())
    reason = forms.CharField(label="中止理由", max_length=300)
    approver = forms.CharField(label="批准人", max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_day"].initial = timezone.localdate()


class ResumeForm(ActionForm):
    to_day = dates.DayField(
        label="中止最后一日", widget=_date_widget(), help_text="自次日起恢复计算审理期限。"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_day"].initial = timezone.localdate()


class CloseArbitrationForm(ActionForm):
    closure = forms.ChoiceField(
        label="结案方式", choices=[("", "请选择"), *ArbitrationCase.Closure.choices]
    )
    closed_on = dates.DayField(label="结案日期", widget=_date_widget())
    note = forms.CharField(
        label="结案说明",
        max_length=300,
        required=False,
        help_text="撤销案件、终止审理或按撤回处理的，须说明事由。",
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["closed_on"].initial = timezone.localdate()
        self.item_fields = []
        for claim in case.dispute.claims.active().select_related("claim_type"):
            name = f"item_{claim.pk}"
            claimed = f"（请求 {yuan(claim.amount)} 元）" if claim.amount is not None else ""
            self.fields[name] = forms.DecimalField(
                label=f"{claim.claim_type.name}{claimed}",
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
                widget=forms.NumberInput(
                    attrs={"class": "form-control", "step": "0.01", "inputmode": "decimal"}
                ),
            )
            self.item_fields.append(name)
            if claim.claim_type_id in COMPUTED_BY_LAW:
                self._add_reason_field(claim)
        self.fields["closure"].widget.attrs["data-award-toggle"] = "1"

    def _add_reason_field(self, claim) -> None:
        self.fields[f"reason_{claim.pk}"] = forms.CharField(
            label=f"{claim.claim_type.name}超出请求金额的理由",
            required=False,
            max_length=300,
            help_text="按法定标准计算的数额超过请求金额时填写。",
        )

    def items(self) -> list[dict]:
        return [
            {
                "claim": int(name.removeprefix("item_")),
                "amount": self.cleaned_data[name],
                "reason": self.cleaned_data.get(name.replace("item_", "reason_"), ""),
            }
            for name in self.item_fields
            if self.cleaned_data.get(name) is not None
        ]

    def service_data(self) -> dict:
        return {"_items": self.items()}

    def main_fields(self):
        return [self[name] for name in ("closure", "closed_on", "note")]

    def award_fields(self):
        names = [
            name
            for item in self.item_fields
            for name in (item, item.replace("item_", "reason_"))
            if name in self.fields
        ]
        return [self[name] for name in names]


# --- adding, changing and withdrawing claims (both kinds of case) ------------------------------

RESTART_CHOICES = [
    (
        "yes",
        "仲裁庭已决定受理增加、变更的请求：审理期限自受理之日起重新计算"
        "（办案规则第四十六条第（三）项）",
    ),
    ("no", "不重新计算审理期限（请在理由中说明，如更正登记错误）"),
]


class ClaimRowForm(StyledForm):
    """One claim: an existing one to keep, change or withdraw, or a new one. Which claim a row
    is comes from the server's initial data, never from the post (the case's version guards
    against rows that moved since the page was read)."""

    claim_type = forms.ModelChoiceField(
        ClaimType.objects.all(), label="请求事项", empty_label="请选择", required=False
    )
    amount = forms.DecimalField(
        label="金额（元）", required=False, min_value=0, max_digits=14, decimal_places=2
    )
    description = forms.CharField(label="说明", max_length=300, required=False)
    withdraw = forms.BooleanField(label="撤回", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.attrs.update(inputmode="decimal", step="0.01")

    @property
    def is_existing(self) -> bool:
        return bool(self.initial.get("claim"))

    def clean(self):
        data = super().clean()
        if data.get("withdraw"):
            return data
        if (self.is_existing or self.has_changed()) and not data.get("claim_type"):
            self.add_error("claim_type", "请选择请求事项。")
        return data


class ClaimRowsFormSet(forms.BaseFormSet):
    def __init__(self, *args, claims, **kwargs):
        self.claims = {claim.pk: claim for claim in claims}
        super().__init__(*args, **kwargs)

    def changes(self) -> dict:
        """add / change / withdraw as the service takes them; unchanged rows give nothing."""
        add, change, withdraw = [], [], []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            values = {name: data.get(name) for name in ("claim_type", "amount", "description")}
            values["description"] = values["description"] or ""
            claim = self.claims.get(form.initial.get("claim"))
            if claim is None:
                if form.has_changed() and values["claim_type"] is not None:
                    add.append(values)
            elif data.get("withdraw"):
                withdraw.append(claim.pk)
            elif any(getattr(claim, name) != value for name, value in values.items()):
                change.append({"claim": claim.pk, **values})
        return {"add": add, "change": change, "withdraw": withdraw}


def claim_rows_formset(data, claims, *, prefix="claim_rows"):
    factory = forms.formset_factory(ClaimRowForm, formset=ClaimRowsFormSet, extra=1, max_num=60)
    initial = [
        {
            "claim": c.pk,
            "claim_type": c.claim_type_id,
            "amount": c.amount,
            "description": c.description,
        }
        for c in claims
    ]
    return factory(data, prefix=prefix, initial=initial, claims=claims)


class ClaimsChangeBaseForm(ActionForm):
    """The reason of a change of claims and, for an accepted arbitration case, the tribunal's
    decision on the award clock (办案规则 Art.46(3))."""

    reason = forms.CharField(
        label="理由",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如：申请人于举证期限届满前书面申请增加加班费请求。",
    )
    restart_clock = forms.ChoiceField(
        label="审理期限", choices=RESTART_CHOICES, widget=forms.RadioSelect, required=False
    )
    restart_on = dates.DayField(
        label="受理增加、变更请求之日", widget=_date_widget(), required=False
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.asks_restart = isinstance(case, ArbitrationCase) and case.accepted_on is not None
        if self.asks_restart:
            self.fields["restart_on"].initial = timezone.localdate()
        else:
            del self.fields["restart_clock"], self.fields["restart_on"]

    def main_fields(self):
        names = ("reason", "restart_clock", "restart_on")
        return [self[name] for name in names if name in self.fields]

    def restart_data(self) -> dict:
        if not self.asks_restart:
            return {}
        choice = self.cleaned_data.get("restart_clock")
        return {
            "restart_clock": {"yes": True, "no": False}.get(choice),
            "restart_on": self.cleaned_data.get("restart_on"),
        }


class ChangeClaimsForm(ClaimsChangeBaseForm):
    """The claims as they stand, one row each (change or withdraw), and rows to add."""

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        claims = list(case.dispute.claims.active().select_related("claim_type"))
        self.claim_rows = claim_rows_formset(self.data if self.is_bound else None, claims)

    def is_valid(self) -> bool:
        rows_valid = self.claim_rows.is_valid()
        return super().is_valid() and rows_valid

    def service_data(self) -> dict:
        return self.claim_rows.changes() | self.restart_data()


class TakeAmountForm(ClaimsChangeBaseForm):
    """Take a computed amount into the case: a new claim of the kind, or the amount of one of
    the case's claims of that kind. The amount itself is computed again on the server."""

    target = forms.ChoiceField(label="计入", widget=forms.RadioSelect)

    field_order = ["target", "reason", "restart_clock", "restart_on"]

    def __init__(self, *args, case, claim_type: ClaimType, claims, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.auto_id = "id_take_%s"
        choices = [
            (str(c.pk), f"将“{c.claim_type.name}”的请求金额（{_amount(c.amount)}）改为计算结果")
            for c in claims
        ]
        choices.append(("new", f"新增一项“{claim_type.name}”请求，金额为计算结果"))
        self.fields["target"].choices = choices
        self.fields["target"].initial = choices[0][0]
        self.fields["reason"].help_text = "如：申请人当庭申请按计算结果变更请求金额。"

    def main_fields(self):
        return [self["target"], *super().main_fields()]


def _amount(amount) -> str:
    return "未填写金额" if amount is None else f"{yuan(amount)} 元"


class ModelCaseForm(ActionForm):
    is_model = forms.BooleanField(label="标记为精品案例", required=False)
    summary = forms.CharField(
        label="裁决要旨", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["is_model"].initial = case.is_model_case
        self.fields["summary"].initial = case.summary
