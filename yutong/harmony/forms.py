"""Forms of the harmony pages. They check the shape of the input and give Chinese messages;
the rules stay in ``services`` and come back through ``core.viewutils.add_service_errors``."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from yutong.core import dates
from yutong.core.forms import date_widget
from yutong.core.models import OrgUnit
from yutong.registry.choices import Industry
from yutong.registry.validators import normalise_uscc

from .models import (
    DocumentKind,
    Grade,
    HarmonyEnrollment,
    HarmonyEvaluation,
    HealthTheme,
    ScoringItem,
    VetoItem,
)

BLANK = [("", "全部")]


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.HiddenInput, forms.CheckboxSelectMultiple)):
            continue
        if isinstance(widget, forms.RadioSelect):
            widget.attrs.setdefault("class", "form-check-input")
            continue
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name if obj.valid_to is None else f"{obj.name}（已撤销）"


# --- enrolment ------------------------------------------------------------------------------------


class EnrollmentFilterForm(StyledForm):
    q = forms.CharField(required=False, label="名称")
    scope = forms.ChoiceField(
        required=False, label="创建类型", choices=BLANK + HarmonyEnrollment.Scope.choices
    )
    unit = UnitChoiceField(
        required=False, label="区县", queryset=OrgUnit.objects.none(), empty_label="全部区县"
    )
    year = forms.IntegerField(required=False, label="年度", min_value=2000, max_value=2100)
    active_on = dates.DayField(required=False, label="某日有效", widget=date_widget())

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class EnrollmentForm(StyledForm):
    scope = forms.ChoiceField(label="创建类型", choices=HarmonyEnrollment.Scope.choices)
    enterprise_uscc = forms.CharField(
        label="企业统一社会信用代码",
        required=False,
        max_length=24,
        help_text="企业创建时填写",
    )
    township = UnitChoiceField(
        label="镇街", required=False, queryset=OrgUnit.objects.none(), empty_label="请选择镇街"
    )
    park = forms.ModelChoiceField(
        label="工业园区", required=False, queryset=None, empty_label="请选择园区"
    )
    industry = forms.ChoiceField(
        label="行业门类", required=False, choices=[("", "请选择行业")] + Industry.choices
    )
    unit = UnitChoiceField(
        label="区县（行业性创建）",
        required=False,
        queryset=OrgUnit.objects.none(),
        empty_label="请选择区县",
    )
    year = forms.IntegerField(
        label="创建年度",
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="按年度创建时填写，起止日期可留空",
    )
    starts_on = dates.DayField(label="起始日期", required=False, widget=date_widget())
    ends_on = dates.DayField(
        label="截止日期", required=False, widget=date_widget(), help_text="留空为长期"
    )
    note = forms.CharField(label="备注", required=False, max_length=300)

    def __init__(self, *args, townships, parks, units, enterprises, fixed_enterprise=None, **kw):
        super().__init__(*args, **kw)
        self.enterprises = enterprises
        self.fixed_enterprise = fixed_enterprise
        self.fields["township"].queryset = townships
        self.fields["park"].queryset = parks
        self.fields["unit"].queryset = units
        if fixed_enterprise is not None:
            # An enterprise account enrols itself: nothing to choose but the dates.
            for name in ("scope", "enterprise_uscc", "township", "park", "industry", "unit"):
                del self.fields[name]

    def clean_enterprise_uscc(self):
        code = normalise_uscc(self.cleaned_data.get("enterprise_uscc") or "")
        if not code:
            return None
        enterprise = self.enterprises.filter(uscc=code).first()
        if enterprise is None:
            raise forms.ValidationError("未找到该企业，或该企业不在您的管辖范围内。")
        return enterprise

    def service_data(self) -> dict:
        d = self.cleaned_data
        data = {
            "year": d.get("year"),
            "starts_on": d.get("starts_on"),
            "ends_on": d.get("ends_on"),
            "note": d.get("note", ""),
        }
        if self.fixed_enterprise is not None:
            return {**data, "scope": "enterprise", "enterprise": self.fixed_enterprise}
        return {
            **data,
            "scope": d["scope"],
            "enterprise": d.get("enterprise_uscc"),
            "township": d.get("township"),
            "park": d.get("park"),
            "industry": d.get("industry") or "",
            "unit": d.get("unit"),
        }


class WithdrawEnrollmentForm(StyledForm):
    on = dates.DayField(label="退出日期", widget=date_widget())
    reason = forms.CharField(
        label="退出原因", max_length=300, error_messages={"required": "请填写退出原因。"}
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, enrollment=None, **kwargs):
        super().__init__(*args, **kwargs)
        if enrollment is not None and not self.is_bound:
            self.initial = {"on": timezone.localdate(), "version": enrollment.version}


class CoverageForm(StyledForm):
    as_of = dates.DayField(label="统计日期", required=False, widget=date_widget())
    unit = UnitChoiceField(
        required=False, label="区县", queryset=OrgUnit.objects.none(), empty_label="全部区县"
    )
    covered = forms.ChoiceField(
        required=False,
        label="覆盖情况",
        choices=[("", "全部"), ("yes", "已覆盖"), ("no", "未覆盖")],
    )
    q = forms.CharField(required=False, label="企业名称")

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


# --- health check ---------------------------------------------------------------------------------


class HealthCheckForm(forms.Form):
    """One radio group per active question, grouped by theme in the template."""

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = themes
        for theme in themes:
            for question in theme.active_questions:
                self.fields[f"q{question.pk}"] = forms.ChoiceField(
                    label=question.text,
                    choices=[(str(o.pk), o.text) for o in question.options.all()],
                    widget=forms.RadioSelect,
                    error_messages={"required": "请选择一项。"},
                )

    def grouped(self):
        return [
            (theme, [self[f"q{q.pk}"] for q in theme.active_questions]) for theme in self.themes
        ]

    def answers(self) -> dict:
        return {name[1:]: value for name, value in self.cleaned_data.items()}


# --- evaluation ----------------------------------------------------------------------------------


class EvaluationFilterForm(StyledForm):
    q = forms.CharField(required=False, label="企业名称")
    status = forms.ChoiceField(
        required=False, label="状态", choices=BLANK + HarmonyEvaluation.Status.choices
    )
    grade = forms.ChoiceField(required=False, label="等级", choices=BLANK + Grade.choices)
    unit = UnitChoiceField(
        required=False, label="区县", queryset=OrgUnit.objects.none(), empty_label="全部区县"
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class StartEvaluationForm(StyledForm):
    enterprise_uscc = forms.CharField(label="企业统一社会信用代码", max_length=24)
    grade = forms.ChoiceField(label="申报等级", choices=Grade.choices)

    def __init__(self, *args, enterprises, fixed_enterprise=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.enterprises = enterprises
        self.fixed_enterprise = fixed_enterprise
        if fixed_enterprise is not None:
            del self.fields["enterprise_uscc"]

    def clean_enterprise_uscc(self):
        code = normalise_uscc(self.cleaned_data["enterprise_uscc"])
        enterprise = self.enterprises.filter(uscc=code).first()
        if enterprise is None:
            raise forms.ValidationError("未找到该企业，或该企业不在您的管辖范围内。")
        return enterprise

    def enterprise(self):
        return self.fixed_enterprise or self.cleaned_data["enterprise_uscc"]


class VersionForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, evaluation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if evaluation is not None and not self.is_bound:
            self.initial.setdefault("version", evaluation.version)


class ScoresForm(VersionForm):
    def __init__(self, *args, evaluation=None, **kwargs):
        super().__init__(*args, evaluation=evaluation, **kwargs)
        current = {}
        if evaluation is not None:
            current = {s.item.code: s.points for s in evaluation.scores.select_related("item")}
        self.items = list(ScoringItem.objects.filter(is_active=True))
        for item in self.items:
            self.fields[f"item_{item.code}"] = forms.DecimalField(
                label=f"{item.name}（{item.max_points} 分）",
                min_value=0,
                max_value=item.max_points,
                decimal_places=1,
                help_text=item.description,
                initial=current.get(item.code),
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.5"}),
            )

    def scores(self) -> dict:
        return {item.code: self.cleaned_data[f"item_{item.code}"] for item in self.items}


class DocumentForm(StyledForm):
    kind = forms.ModelChoiceField(
        label="材料类别", queryset=DocumentKind.objects.filter(is_active=True)
    )
    file = forms.FileField(label="文件", help_text="PDF、JPG、PNG、Word 或 Excel，不超过 20 MB")

    def __init__(self, *args, evaluation=None, **kwargs):
        super().__init__(*args, **kwargs)


class ReviewForm(VersionForm):
    decision = forms.ChoiceField(
        label="审核结论", choices=HarmonyEvaluation.Decision.choices, widget=forms.RadioSelect
    )
    score = forms.DecimalField(
        label="审核得分", min_value=0, max_value=100, decimal_places=1, max_digits=5
    )
    vetoes = forms.ModelMultipleChoiceField(
        label="发现的一票否决事项",
        required=False,
        queryset=VetoItem.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RevokeForm(VersionForm):
    reason = forms.CharField(
        label="撤销原因", max_length=300, error_messages={"required": "请填写撤销原因。"}
    )


class PublicListForm(StyledForm):
    unit = forms.ModelChoiceField(
        required=False, label="区县", queryset=OrgUnit.objects.none(), empty_label="全部区县"
    )
    grade = forms.ChoiceField(required=False, label="等级", choices=BLANK + Grade.choices)
    q = forms.CharField(required=False, label="企业名称", max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(
            level=OrgUnit.Level.DISTRICT
        ).order_by("code")


# --- settings -------------------------------------------------------------------------------------


class ScoringItemForm(forms.ModelForm):
    class Meta:
        model = ScoringItem
        fields = ["code", "category", "name", "description", "max_points", "order", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class VetoItemForm(forms.ModelForm):
    class Meta:
        model = VetoItem
        fields = ["code", "name", "order", "is_active"]


class DocumentKindForm(forms.ModelForm):
    class Meta:
        model = DocumentKind
        fields = ["code", "name", "is_required", "order", "is_active"]


class HealthThemeForm(forms.ModelForm):
    rule_url = forms.URLField(
        label="依据链接", max_length=300, required=False, assume_scheme="https"
    )

    class Meta:
        model = HealthTheme
        fields = ["code", "name", "order", "guidance", "rule_reference", "rule_url", "is_active"]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 3})}


SETTING_FORMS = {
    "items": ScoringItemForm,
    "vetoes": VetoItemForm,
    "documents": DocumentKindForm,
    "themes": HealthThemeForm,
}


def style_model_form(form) -> None:
    _style(form)
    for field in form.fields.values():
        field.widget.attrs.setdefault("col", "col-md-6")


class QuestionForm(StyledForm):
    theme = forms.ModelChoiceField(label="主题", queryset=HealthTheme.objects.all())
    text = forms.CharField(label="问题", max_length=300)
    order = forms.IntegerField(label="排序", min_value=0, max_value=32767, initial=0)
    is_active = forms.BooleanField(label="启用", required=False, initial=True)
    options = forms.CharField(
        label="选项",
        widget=forms.Textarea(attrs={"rows": 4, "col": "col-12"}),
        help_text="每行一个选项：选项文字=得分，例如“是=10”",
    )

    def clean_options(self):
        rows = []
        for number, line in enumerate(self.cleaned_data["options"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            text, sep, points = line.rpartition("=")
            if not sep or not text.strip() or not points.strip().isdigit():
                raise forms.ValidationError(f"第 {number} 行格式应为“选项文字=得分”。")
            rows.append((text.strip(), int(points)))
        return rows
