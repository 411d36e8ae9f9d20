from django import forms
from django.db.models import Q
from django.utils import timezone

from yutong.core import dates
from yutong.core.forms import date_widget
from yutong.core.models import OrgUnit
from yutong.core.personal import PHONE, MaskedFieldsMixin

from .choices import SIZE_BANDS, EnterpriseStatus, Industry, Ownership, ProjectStatus
from .models import ConstructionProject, Enterprise, IndustrialPark, ProjectSubcontractor
from .services import EDITABLE_FIELDS, PARK_FIELDS, PROJECT_FIELDS
from .validators import normalise_uscc


def _control(widget):
    css = "form-select" if isinstance(widget, forms.Select) else "form-control"
    widget.attrs.setdefault("class", css)
    return widget


class EnterpriseForm(MaskedFieldsMixin, forms.ModelForm):
    masked_fields = {"contact_phone": PHONE}
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Editing only: when the change happened, or that it mends a wrong entry (see
    # services.update_enterprise); both are dropped from the form on create.
    effective_on = dates.DayField(
        label="变更日期",
        required=False,
        widget=date_widget(),
        help_text=(
            "职工人数、经营状态、所属区县、镇街、园区或行业发生变化的日期；"
            "按过去某日统计时，该日之前仍按原值计算。不填即为今天。"
        ),
    )
    correction = forms.BooleanField(label="更正录入错误（不保留原值）", required=False)

    class Meta:
        model = Enterprise
        formfield_callback = dates.model_formfield
        fields = ["uscc", *EDITABLE_FIELDS]
        widgets = {"contact_phone": forms.TextInput(), "established_on": date_widget()}

    def __init__(self, *args, units, parks, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            # Set per request: a module-level initial would be the day the server started.
            self.fields["effective_on"].initial = timezone.localdate()
        else:
            del self.fields["effective_on"], self.fields["correction"]
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
        if editing:
            self.fields["correction"].widget.attrs["class"] = "form-check-input"
            self.fields["uscc"].disabled = True
            self.fields["version"].initial = self.instance.version

    def validate_unique(self):
        # Uniqueness is the service's job (same message for UI, API and import).
        return

    def changes(self) -> dict:
        """The edited record's fields for ``services.update_enterprise``."""
        skip = ("version", "uscc", "effective_on", "correction")
        return {k: v for k, v in self.cleaned_data.items() if k not in skip}


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


# --- construction projects ------------------------------------------------------------------

WAGE_CODE_COLOURS = [("green", "绿码"), ("yellow", "黄码"), ("red", "红码")]


class EnterpriseByCodeField(forms.ModelChoiceField):
    """An enterprise of the registry, typed as its unified social credit code."""

    default_error_messages = {
        "invalid_choice": "企业名录中没有该统一社会信用代码，请先登记企业。",
    }

    def __init__(self, **kwargs):
        super().__init__(Enterprise.objects.all(), to_field_name="uscc", **kwargs)
        self.widget = forms.TextInput(attrs={"placeholder": "18 位统一社会信用代码"})

    def to_python(self, value):
        return super().to_python(normalise_uscc(value) if value else value)


class SubcontractorsField(forms.CharField):
    """One subcontractor a line: its credit code, then (optionally) the scope of work."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value):
        pairs, unknown = [], []
        lines = [line.strip() for line in (value or "").splitlines() if line.strip()]
        codes = [normalise_uscc(line.split()[0]) for line in lines]
        found = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=codes)}
        for line, code in zip(lines, codes, strict=True):
            enterprise = found.get(code)
            if enterprise is None:
                unknown.append(code)
                continue
            scope_of_work = line[len(line.split()[0]) :].strip()
            pairs.append((enterprise, scope_of_work))
        if unknown:
            raise forms.ValidationError("企业名录中没有这些统一社会信用代码：" + "、".join(unknown))
        return pairs


def subcontractor_lines(pairs) -> str:
    return "\n".join(f"{e.uscc} {scope}".strip() for e, scope in pairs)


class ProjectForm(MaskedFieldsMixin, forms.ModelForm):
    masked_fields = {"labour_officer_phone": PHONE}
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    owner = EnterpriseByCodeField(label="建设单位（统一社会信用代码）")
    general_contractor = EnterpriseByCodeField(label="施工总承包单位（统一社会信用代码）")
    subcontractors = SubcontractorsField(
        label="分包单位",
        required=False,
        help_text="每行一家：统一社会信用代码，空格后可写分包内容，如“91500103… 劳务分包”。",
    )

    class Meta:
        model = ConstructionProject
        formfield_callback = dates.model_formfield
        fields = ["code", *PROJECT_FIELDS[:6], "subcontractors", *PROJECT_FIELDS[6:]]
        widgets = {
            "labour_officer_phone": forms.TextInput(),
            "starts_on": date_widget(),
            "planned_completion_on": date_widget(),
            "completed_on": date_widget(),
        }

    def __init__(self, *args, units, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        offered = OrgUnit.valid_on_q(today)
        if editing:
            offered |= Q(pk__in=[self.instance.unit_id, self.instance.township_id])
        in_force = units.filter(offered)
        self.fields["unit"].queryset = in_force.filter(level=OrgUnit.Level.DISTRICT)
        self.fields["township"].queryset = in_force.filter(level=OrgUnit.Level.TOWNSHIP)
        for field in self.fields.values():
            _control(field.widget)
        self.fields["is_government_funded"].widget.attrs["class"] = "form-check-input"
        if editing:
            self.fields["code"].disabled = True
            self.fields["version"].initial = self.instance.version
            self.initial["subcontractors"] = subcontractor_lines(
                (row.enterprise, row.scope_of_work)
                for row in ProjectSubcontractor.objects.filter(project=self.instance)
                .select_related("enterprise")
                .order_by("id")
            )
            self.initial["owner"] = self.instance.owner.uscc
            self.initial["general_contractor"] = self.instance.general_contractor.uscc

    def validate_unique(self):
        return  # the service's job, with one message for UI and API

    def _post_clean(self):
        # The service validates the whole record (and its constraints) with its own messages.
        return

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("version", "code")}


class ProjectFilterForm(forms.Form):
    q = forms.CharField(required=False, label="项目名称或编号")
    unit = forms.ModelChoiceField(
        OrgUnit.objects.none(), required=False, empty_label="全部区县", to_field_name="code"
    )
    unit_basis = forms.ChoiceField(
        required=False, choices=[("recorded", "按登记时区划"), ("current", "按现行区划")]
    )
    township = forms.ModelChoiceField(
        OrgUnit.objects.none(), required=False, empty_label="全部镇街", to_field_name="code"
    )
    status = forms.ChoiceField(required=False, choices=[("", "全部状态"), *ProjectStatus.choices])
    contractor = forms.CharField(required=False, label="施工总承包单位")
    colour = forms.ChoiceField(required=False, choices=[("", "渝薪码（全部）"), *WAGE_CODE_COLOURS])

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.filter(level=OrgUnit.Level.DISTRICT)
        townships = units.filter(level=OrgUnit.Level.TOWNSHIP)
        unit_code = self.data.get("unit")
        townships = townships.filter(parent__code=unit_code) if unit_code else townships.none()
        self.fields["township"].queryset = townships
        for field in self.fields.values():
            _control(field.widget)


# --- industrial parks -----------------------------------------------------------------------


class ParkForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Editing only, as on the enterprise form (see services.update_park).
    effective_on = dates.DayField(
        label="变更日期",
        required=False,
        widget=date_widget(),
        help_text="所在区县或镇街发生变化的日期；按过去某日统计时，该日之前仍按原值计算。不填即为今天。",
    )
    correction = forms.BooleanField(label="更正录入错误（不保留原值）", required=False)

    class Meta:
        model = IndustrialPark
        formfield_callback = dates.model_formfield
        fields = ["code", *PARK_FIELDS]
        widgets = {"established_on": date_widget()}
        help_texts = {"established_on": "按过去某日统计时，设立日期之前不计入该园区。"}

    def __init__(self, *args, units, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["effective_on"].initial = timezone.localdate()
        else:
            del self.fields["effective_on"], self.fields["correction"]
        offered = OrgUnit.valid_on_q(timezone.localdate())
        if editing:
            offered |= Q(pk__in=[self.instance.unit_id, self.instance.township_id])
        in_force = units.filter(offered)
        self.fields["unit"].queryset = in_force.filter(level=OrgUnit.Level.DISTRICT)
        self.fields["township"].queryset = in_force.filter(level=OrgUnit.Level.TOWNSHIP)
        for field in self.fields.values():
            _control(field.widget)
        if editing:
            self.fields["correction"].widget.attrs["class"] = "form-check-input"
            self.fields["code"].disabled = True
            self.fields["version"].initial = self.instance.version

    def validate_unique(self):
        return  # the service's job, with one message for UI, API and import

    def _post_clean(self):
        return  # the service validates the whole record with its own messages

    def service_data(self) -> dict:
        skip = ("version", "code", "effective_on", "correction")
        return {k: v for k, v in self.cleaned_data.items() if k not in skip}


class ParkStatusForm(forms.Form):
    """Close a park (``closed_on``) or put it back in operation (``reopened_on``)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, field: str, label: str, version: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.day_field = field
        self.fields[field] = dates.DayField(
            label=label,
            required=False,
            widget=date_widget(),
            initial=timezone.localdate(),
            help_text="不填即为今天。",
        )
        self.fields["version"].initial = version
        for each in self.fields.values():
            _control(each.widget)


class ParkFilterForm(forms.Form):
    q = forms.CharField(required=False, label="园区名称或代码")
    unit = forms.ModelChoiceField(
        OrgUnit.objects.none(), required=False, empty_label="全部区县", to_field_name="code"
    )
    unit_basis = forms.ChoiceField(
        required=False, choices=[("recorded", "按登记时区划"), ("current", "按现行区划")]
    )
    township = forms.ModelChoiceField(
        OrgUnit.objects.none(), required=False, empty_label="全部镇街", to_field_name="code"
    )
    active = forms.ChoiceField(
        required=False, choices=[("", "全部状态"), ("yes", "运营中"), ("no", "已撤销")]
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.filter(level=OrgUnit.Level.DISTRICT)
        townships = units.filter(level=OrgUnit.Level.TOWNSHIP)
        unit_code = self.data.get("unit")
        townships = townships.filter(parent__code=unit_code) if unit_code else townships.none()
        self.fields["township"].queryset = townships
        for field in self.fields.values():
            _control(field.widget)
