"""Forms of the inspection pages. They check the shape of the input (required fields, numbers,
dates, check digits) with Chinese messages; the rules stay in ``services`` and come back through
``core.viewutils.add_service_errors``."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from stdnum.cn import uscc as stdnum_uscc

from yutong.core import dates
from yutong.core.forms import date_widget
from yutong.core.public_forms import CaptchaFormMixin
from yutong.registry.validators import normalise_uscc

from .models import ArrearsBlacklist, Complaint, Grade, InspectionCase, ViolationType
from .services import PROACTIVE, handlers_for

CHANNELS = [c for c in Complaint.Channel.choices if c[0] != Complaint.Channel.ONLINE]
YES_NO = [("", "全部"), ("yes", "是"), ("no", "否")]


def money_field(label: str, **kwargs):
    field = forms.DecimalField(
        label=label, required=False, min_value=0, max_digits=14, decimal_places=2, **kwargs
    )
    field.widget.attrs.update(inputmode="decimal", step="0.01")
    return field


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.HiddenInput, forms.CheckboxSelectMultiple)):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


def clean_uscc(value: str) -> str:
    code = normalise_uscc(value or "")
    if code and not stdnum_uscc.is_valid(code):
        raise ValidationError("统一社会信用代码无效，请核对 18 位代码。")
    return code


# --- queue filters ----------------------------------------------------------------------------


class FilterForm(StyledForm):
    status = forms.ChoiceField(label="状态", required=False)
    wage_arrears = forms.ChoiceField(label="拖欠农民工工资", required=False, choices=YES_NO)
    date_from = dates.DayField(label="日期自", required=False, widget=date_widget())
    date_to = dates.DayField(label="至", required=False, widget=date_widget())
    employer = forms.CharField(label="用人单位", required=False, max_length=100)

    def __init__(self, *args, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "全部"), *statuses]

    def clean(self):
        data = super().clean()
        low, high = data.get("date_from"), data.get("date_to")
        if low and high and low > high:
            self.add_error("date_to", "截止日期不能早于起始日期。")
        return data


def apply_filters(queryset, data: dict, *, status_field: str, date_field: str):
    if data.get("status"):
        queryset = queryset.filter(**{status_field: data["status"]})
    if data.get("wage_arrears") in ("yes", "no"):
        queryset = queryset.filter(is_wage_arrears=data["wage_arrears"] == "yes")
    if data.get("date_from"):
        queryset = queryset.filter(**{f"{date_field}__gte": data["date_from"]})
    if data.get("date_to"):
        queryset = queryset.filter(**{f"{date_field}__lte": data["date_to"]})
    if (data.get("employer") or "").strip():
        queryset = queryset.filter(employer_name__contains=data["employer"].strip())
    return queryset


# --- the matter, shared by the staff forms and the public form --------------------------------


class MatterForm(StyledForm):
    employer_name = forms.CharField(label="用人单位名称", max_length=200)
    employer_uscc = forms.CharField(label="统一社会信用代码（选填）", max_length=18, required=False)
    matter = forms.CharField(
        label="投诉事项", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    violation_types = forms.MultipleChoiceField(
        label="违法行为类型", choices=ViolationType.choices, widget=forms.CheckboxSelectMultiple
    )
    violation_ended_on = dates.DayField(
        label="违法行为发生（终了）日期",
        required=False,
        widget=date_widget(),
        help_text="持续的违法行为填写终了日期；超过两年的依法不再查处。",
    )
    is_wage_arrears = forms.BooleanField(label="拖欠农民工工资", required=False)
    project_code = forms.CharField(
        label="工程建设项目（选填）",
        max_length=200,
        required=False,
        help_text="输入项目名称或编号查找，从列表中选择。",
    )
    workers_affected = forms.IntegerField(
        label="涉及人数", min_value=1, max_value=100_000, initial=1
    )
    amount_owed = money_field("拖欠金额（元）")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The project picker: typing fills a <datalist> from the lookup (HTMX, no inline script).
        self.fields["project_code"].widget.attrs.update(
            {
                "list": "project-options",
                "autocomplete": "off",
                "hx-get": reverse("inspection:project_options"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#project-options",
                "hx-swap": "innerHTML",
            }
        )

    def clean_employer_uscc(self):
        return clean_uscc(self.cleaned_data.get("employer_uscc"))

    def clean_violation_ended_on(self):
        day = self.cleaned_data.get("violation_ended_on")
        if day and day > timezone.localdate():
            raise ValidationError("日期不能晚于今天。")
        return day


class ComplainantMixin(forms.Form):
    is_anonymous = forms.BooleanField(label="匿名投诉", required=False)
    complainant_name = forms.CharField(label="投诉人姓名", max_length=64, required=False)
    complainant_phone = forms.CharField(label="联系电话", max_length=20, required=False)
    complainant_resident_id = forms.CharField(
        label="公民身份号码（选填）", max_length=24, required=False
    )

    def complainant_attrs(self) -> None:
        self.fields["complainant_phone"].widget.attrs.update(inputmode="tel", autocomplete="tel")
        self.fields["complainant_resident_id"].widget.attrs.update(autocomplete="off")


class ComplaintForm(ComplainantMixin, MatterForm):
    """Staff entry of a hotline call, letter, visit or transfer."""

    unit = forms.ModelChoiceField(None, label="办理单位", empty_label="请选择")
    channel = forms.ChoiceField(label="来源", choices=[("", "请选择"), *CHANNELS])
    received_on = dates.DayField(label="收到日期", widget=date_widget())

    field_order = ["unit", "channel", "received_on"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if units.count() == 1:
            self.fields["unit"].initial = units.first().pk
        self.fields["received_on"].initial = timezone.localdate()
        self.complainant_attrs()

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise ValidationError("日期不能晚于今天。")
        return day


class PublicComplaintForm(CaptchaFormMixin, ComplainantMixin, MatterForm):
    """The public form: the district where the employer is, the matter, the complainant (or
    anonymous), and a sum as captcha. The employer is typed, never looked up for the caller."""

    district = forms.ChoiceField(label="用人单位所在区县")

    field_order = ["district"]

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", "请选择区县"), *districts]
        self.fields["matter"].widget.attrs["placeholder"] = (
            "请写明在哪里工作、做什么工作、被拖欠或侵害的情况（时间、金额）。"
        )
        self.complainant_attrs()


class CaseForm(MatterForm):
    """A proactive inspection case (patrol, written review, special campaign, random draw)."""

    unit = forms.ModelChoiceField(None, label="办理单位", empty_label="请选择")
    origin = forms.ChoiceField(label="案件来源")
    opened_on = dates.DayField(label="立案日期", widget=date_widget())
    campaign = forms.CharField(label="专项行动名称", max_length=100, required=False)

    field_order = ["unit", "origin", "opened_on", "campaign"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if units.count() == 1:
            self.fields["unit"].initial = units.first().pk
        labels = dict(InspectionCase.Origin.choices)
        self.fields["origin"].choices = [("", "请选择"), *((o, labels[o]) for o in PROACTIVE)]
        self.fields["opened_on"].initial = timezone.localdate()
        self.fields["matter"].label = "案情"


# --- actions ------------------------------------------------------------------------------------


class ActionForm(StyledForm):
    """Every action carries the version of the record the user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, obj, **kwargs):
        self.obj = obj
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("version", obj.version)
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField) and field.required:
                field.initial = field.initial or timezone.localdate()


class AssignForm(ActionForm):
    handler = forms.ModelChoiceField(None, label="承办人", empty_label="请选择")

    def __init__(self, *args, obj, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self.fields["handler"].queryset = handlers_for(obj.unit)


class MaterialsForm(ActionForm):
    items = forms.CharField(
        label="需补正的材料",
        max_length=450,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="一次性列明需要补正的全部材料。",
    )


class SuppliedForm(ActionForm):
    on = dates.DayField(label="补正材料收到日期", widget=date_widget())


class AcceptForm(ActionForm):
    accepted_on = dates.DayField(label="立案日期", widget=date_widget())


class RefuseForm(ActionForm):
    refused_on = dates.DayField(label="决定日期", widget=date_widget())
    reason = forms.CharField(
        label="不予受理理由", max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class RedirectForm(ActionForm):
    redirected_on = dates.DayField(label="告知日期", widget=date_widget())
    redirect_to = forms.CharField(
        label="告知投诉人向何处投诉、申请",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如：属于劳动争议的，告知向有管辖权的劳动人事争议仲裁委员会申请仲裁。",
    )


class InspectorsForm(ActionForm):
    lead = forms.ModelChoiceField(None, label="主办监察员", empty_label="请选择")
    inspectors = forms.ModelMultipleChoiceField(
        None, label="调查人员", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, obj, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        people = handlers_for(obj.unit)
        self.fields["lead"].queryset = people
        self.fields["inspectors"].queryset = people
        self.fields["lead"].initial = obj.assigned_to_id
        if obj.pk:
            self.fields["inspectors"].initial = list(obj.inspectors.values_list("pk", flat=True))


class ExtendForm(ActionForm):
    decided_on = dates.DayField(
        label="延期决定日期",
        required=False,
        initial=timezone.localdate,
        widget=date_widget(),
        help_text="应在办理期限届满前批准（劳动保障监察条例第十七条）。",
    )
    days = forms.IntegerField(label="延长工作日数", min_value=1, max_value=30)
    reason = forms.CharField(label="延期理由", max_length=300)
    approver = forms.CharField(label="批准人", max_length=64, help_text="劳动保障行政部门负责人。")


class SuspendForm(ActionForm):
    from_day = dates.DayField(label="中止日期", widget=date_widget())
    reason = forms.CharField(label="中止理由", max_length=300)
    approver = forms.CharField(label="批准人", max_length=64)


class ResumeForm(ActionForm):
    to_day = dates.DayField(label="中止最后一日", widget=date_widget())


class CloseForm(ActionForm):
    outcome = forms.ChoiceField(
        label="处理结果", choices=[("", "请选择"), *InspectionCase.Outcome.choices]
    )
    closed_on = dates.DayField(label="结案日期", widget=date_widget())
    note = forms.CharField(
        label="结案说明",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="撤销立案、移送公安机关的须写明事由。",
    )
    amount_owed = money_field("查实拖欠金额（元）")
    penalty_amount = money_field("罚款金额（元）")
    amount_recovered = money_field("追发金额（元）")
    workers_paid = forms.IntegerField(label="追发涉及人数", required=False, min_value=0)
    additional_damages = money_field("加付赔偿金（元）", help_text="拖欠金额的 50%-100%。")
    mass_incident = forms.BooleanField(label="引发群体性事件或极端事件", required=False)
    refused_order = forms.BooleanField(label="拒不履行责令改正、处理或处罚决定", required=False)
    obstructed_inspection = forms.BooleanField(label="无理抗拒、阻挠监察", required=False)
    child_or_forced_labour = forms.BooleanField(label="使用童工或强迫劳动", required=False)


class BlacklistForm(ActionForm):
    condition = forms.ChoiceField(
        label="列入情形", choices=[("", "请选择"), *ArrearsBlacklist.Condition.choices]
    )
    basis = forms.CharField(
        label="事实依据",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="拖欠金额、人数，责令限期支付文书及逾期未支付的情况。",
    )
    listed_on = dates.DayField(label="列入日期", widget=date_widget())


class RemoveForm(ActionForm):
    removal = forms.ChoiceField(
        label="移出方式", choices=[("", "请选择"), *ArrearsBlacklist.Removal.choices]
    )
    removed_on = dates.DayField(label="移出日期", widget=date_widget())
    paid_on = dates.DayField(label="清偿日期", required=False, widget=date_widget())
    pledged_on = dates.DayField(label="信用承诺日期", required=False, widget=date_widget())
    reason = forms.CharField(label="移出理由", max_length=500)


# --- ratings ------------------------------------------------------------------------------------


class RatingFilterForm(StyledForm):
    year = forms.IntegerField(label="评价年度", min_value=2000, max_value=2100)
    unit = forms.ModelChoiceField(None, label="区县", required=False, empty_label="全部")
    grade = forms.ChoiceField(label="等级", required=False, choices=[("", "全部"), *Grade.choices])
    q = forms.CharField(label="企业名称或信用代码", required=False, max_length=100)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ComputeForm(StyledForm):
    unit = forms.ModelChoiceField(None, label="区县", empty_label="请选择")
    year = forms.IntegerField(label="评价年度", min_value=2000, max_value=2100)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["year"].initial = timezone.localdate().year


class OverrideForm(StyledForm):
    uscc = forms.CharField(label="统一社会信用代码", max_length=18)
    year = forms.IntegerField(label="评价年度", min_value=2000, max_value=2100)
    grade = forms.ChoiceField(label="复核等级", choices=[("", "请选择"), *Grade.choices])
    reason = forms.CharField(label="复核理由", max_length=500)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_uscc(self):
        code = clean_uscc(self.cleaned_data.get("uscc"))
        if not code:
            raise ValidationError("请填写统一社会信用代码。")
        return code
