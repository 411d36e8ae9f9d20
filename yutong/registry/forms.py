from django import forms
from django.db.models import Q
from django.utils import timezone

from yutong.core.models import OrgUnit

from .choices import SIZE_BANDS, EnterpriseStatus, Industry, Ownership
from .models import Enterprise
from .services import EDITABLE_FIELDS


def _control(widget):
    css = "form-select" if isinstance(widget, forms.Select) else "form-control"
    widget.attrs.setdefault("class", css)
    return widget


class EnterpriseForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Enterprise
        fields = ["uscc", *EDITABLE_FIELDS]
        widgets = {"contact_phone": forms.TextInput()}

    def __init__(self, *args, units, parks, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        offered = OrgUnit.valid_on_q(today)
        if editing:
            # A record keeps the unit of its time: its own (possibly ended) units stay offered.
            offered |= Q(pk__in=[self.instance.unit_id, self.instance.township_id])
        in_force = units.filter(offered)
        self.fields["unit"].queryset = in_force.filter(level=OrgUnit.Level.DISTRICT)
        self.fields["township"].queryset = in_force.filter(level=OrgUnit.Level.TOWNSHIP)
        self.fields["park"].queryset = parks
        for field in self.fields.values():
            _control(field.widget)
        self.fields["union_established"].widget.attrs["class"] = "form-check-input"
        if editing:
            self.fields["uscc"].disabled = True
            self.fields["version"].initial = self.instance.version

    def validate_unique(self):
        # Uniqueness is the service's job (same message for UI, API and import).
        return


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(required=False, label="名称或信用代码")
    unit = forms.ModelChoiceField(
        OrgUnit.objects.none(), required=False, empty_label="全部区县", to_field_name="code"
    )
    unit_basis = forms.ChoiceField(
        required=False, choices=[("recorded", "按登记时区划"), ("current", "按现行区划")]
    )
    township = forms.ModelChoiceField(
        OrgUnit.objects.none(), required=False, empty_label="全部镇街", to_field_name="code"
    )
    industry = forms.ChoiceField(required=False, choices=[("", "全部行业"), *Industry.choices])
    size = forms.ChoiceField(
        required=False,
        choices=[("", "全部规模")] + [(code, label) for code, (label, _, _) in SIZE_BANDS.items()],
    )
    status = forms.ChoiceField(
        required=False, choices=[("", "全部状态"), *EnterpriseStatus.choices]
    )
    ownership = forms.ChoiceField(required=False, choices=[("", "全部类型"), *Ownership.choices])
    union = forms.ChoiceField(
        required=False, choices=[("", "工会（全部）"), ("yes", "已建工会"), ("no", "未建工会")]
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.filter(level=OrgUnit.Level.DISTRICT)
        townships = units.filter(level=OrgUnit.Level.TOWNSHIP)
        unit_code = self.data.get("unit")
        # Townships are offered once a district is chosen (a district has dozens).
        townships = townships.filter(parent__code=unit_code) if unit_code else townships.none()
        self.fields["township"].queryset = townships
        for field in self.fields.values():
            _control(field.widget)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Excel 文件",
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".xlsx,.xlsm,.xls,.ods"}
        ),
        error_messages={"required": "请选择要上传的 Excel 文件。"},
    )
