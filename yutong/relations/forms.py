"""Forms of the relations pages. They check the shape of the input (numbers, dates, codes that
exist in the reader's scope) with Chinese messages; the rules stay in ``services`` and come back
through ``core.viewutils.add_service_errors``."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from yutong.core import dates, scope
from yutong.core.models import OrgUnit
from yutong.registry.choices import Industry
from yutong.registry.queries import enterprises_visible_to
from yutong.registry.validators import normalise_uscc

from .models import (
    AffairsDisclosure,
    BargainingRound,
    Body,
    CollectiveBargaining,
    CollectiveContract,
    ContractKind,
    Scope,
    TripartiteMeeting,
    Union,
    WorkersCongress,
)

# The API's bound on head counts: a larger number failed in the database (a 500).
MAX_COUNT = 2_147_483_647


def DayField(label: str, required: bool = True, **kwargs):  # noqa: N802 (a field factory)
    return dates.DayField(label=label, required=required, **kwargs)


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
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


class VersionForm(StyledForm):
    """An action form: ``version`` is the record's version as the page showed it."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        if record is not None and not self.is_bound:
            self.fields["version"].initial = record.version


# --- pickers -----------------------------------------------------------------------------------


class EnterpriseField(forms.CharField):
    """An enterprise by its USCC, among those the user may see."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", "企业（统一社会信用代码）")
        kwargs.setdefault("max_length", 18)
        super().__init__(*args, **kwargs)
        self.user = None

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        code = normalise_uscc(value)
        found = enterprises_visible_to(self.user).filter(uscc=code).first()
        if found is None:
            raise ValidationError(f"统一社会信用代码“{code}”不存在或不在您的管辖范围内。")
        return found


class EnterpriseListField(forms.CharField):
    """Several enterprises by USCC (one per line, or separated by commas or spaces)."""

    widget = forms.Textarea(attrs={"rows": 4})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", "覆盖企业（统一社会信用代码，每行一个）")
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.user = None

    def clean(self, value):
        value = super().clean(value)
        codes = [normalise_uscc(c) for c in re.split(r"[\s,，、;；]+", value or "") if c]
        codes = list(dict.fromkeys(codes))
        if not codes:
            return []
        found = {e.uscc: e for e in enterprises_visible_to(self.user).filter(uscc__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise ValidationError(
                f"以下统一社会信用代码不存在或不在您的管辖范围内：{'、'.join(missing[:10])}"
            )
        return [found[c] for c in codes]


def _units(user, *levels):
    """The places a new record may name (``scope.placing_units``)."""
    today = timezone.localdate()
    return (
        scope.placing_units(user)
        .filter(OrgUnit.valid_on_q(today), level__in=levels)
        .order_by("code")
    )


class UserForm(StyledForm):
    """A form whose pickers are limited to what ``user`` may see."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            if isinstance(field, (EnterpriseField, EnterpriseListField)):
                field.user = user


# --- unions ------------------------------------------------------------------------------------


class UnionForm(UserForm):
    enterprise = EnterpriseField()
    name = forms.CharField(label="工会名称", max_length=200)
    form = forms.ChoiceField(label="组织形式", choices=Union.Form.choices)
    established_on = DayField("成立日期")
    members = forms.IntegerField(label="会员人数", min_value=0, max_value=MAX_COUNT)
    chair = forms.CharField(label="工会主席（组织员）", max_length=64)
    fulltime_staff = forms.IntegerField(
        label="专职工会工作人员", min_value=0, max_value=MAX_COUNT, initial=0
    )
    dues_rate = forms.DecimalField(
        label="经费拨缴比例（%）", max_digits=5, decimal_places=2, initial=Decimal("2")
    )
    monthly_dues = forms.DecimalField(
        label="月拨缴经费（元）", max_digits=14, decimal_places=2, required=False
    )


class UnionUpdateForm(VersionForm):
    name = forms.CharField(label="工会名称", max_length=200)
    form = forms.ChoiceField(label="组织形式", choices=Union.Form.choices)
    members = forms.IntegerField(label="会员人数", min_value=0, max_value=MAX_COUNT)
    chair = forms.CharField(label="工会主席（组织员）", max_length=64)
    fulltime_staff = forms.IntegerField(label="专职工会工作人员", min_value=0, max_value=MAX_COUNT)
    dues_rate = forms.DecimalField(label="经费拨缴比例（%）", max_digits=5, decimal_places=2)
    monthly_dues = forms.DecimalField(
        label="月拨缴经费（元）", max_digits=14, decimal_places=2, required=False
    )

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, record=record, **kwargs)
        if record is not None and not self.is_bound:
            for name in self.fields:
                if name != "version":
                    self.fields[name].initial = getattr(record, name)


class DissolveForm(VersionForm):
    dissolved_on = DayField("撤销日期")
    reason = forms.CharField(label="撤销原因", max_length=300)


class UnionFilterForm(StyledForm):
    q = forms.CharField(label="企业名称", required=False, max_length=100)
    state = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "全部"), ("active", "存续"), ("dissolved", "已撤销")],
    )
    form = forms.ChoiceField(
        label="组织形式", required=False, choices=[("", "全部形式"), *Union.Form.choices]
    )


# --- bargaining --------------------------------------------------------------------------------


class BargainingForm(UserForm):
    enterprise = EnterpriseField()
    topic = forms.ChoiceField(label="协商内容", choices=ContractKind.choices)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    requested_by = forms.ChoiceField(label="提出方", choices=CollectiveBargaining.Party.choices)
    requested_on = DayField("提出日期")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class ReplyForm(VersionForm):
    replied_on = DayField("答复日期")
    reply = forms.CharField(
        label="书面答复内容", max_length=500, widget=forms.Textarea({"rows": 2})
    )


class RoundForm(VersionForm):
    held_on = DayField("协商日期")
    summary = forms.CharField(label="协商纪要", max_length=1000, widget=forms.Textarea({"rows": 3}))
    outcome = forms.ChoiceField(label="本轮结果", choices=BargainingRound.Outcome.choices)
    resume_by = DayField("恢复协商期限（中止时填写）", required=False)


class CloseRequestForm(VersionForm):
    closed_on = DayField("结束日期")
    reason = forms.CharField(
        label="结束原因",
        max_length=300,
        help_text="例如：提出方撤回要求；对方拒绝协商，已申请人社部门协调处理",
    )


# --- contracts ---------------------------------------------------------------------------------


class ContractForm(UserForm):
    scope = forms.ChoiceField(label="合同类型", choices=Scope.choices)
    kind = forms.ChoiceField(label="合同种类", choices=ContractKind.choices)
    title = forms.CharField(label="合同名称", max_length=200)
    enterprise = EnterpriseField(required=False, help_text="企业集体合同填写")
    region = forms.ModelChoiceField(
        label="区域（镇街或区县）",
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text="区域性集体合同填写",
    )
    unit = forms.ModelChoiceField(
        label="区县", queryset=OrgUnit.objects.none(), required=False, help_text="行业性合同填写"
    )
    industry = forms.ChoiceField(
        label="行业门类", choices=[("", "—"), *Industry.choices], required=False
    )
    covered = EnterpriseListField(help_text="区域性、行业性合同填写")
    term_start = DayField("期限起始日")
    expires_on = DayField("期限届满日")
    bargaining = forms.IntegerField(label="集体协商编号", required=False, min_value=1)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["region"].queryset = _units(
            user, OrgUnit.Level.DISTRICT, OrgUnit.Level.TOWNSHIP
        )
        self.fields["unit"].queryset = _units(user, OrgUnit.Level.DISTRICT)
        for name in ("region", "unit"):
            self.fields[name].label_from_instance = lambda u: f"{u.name}（{u.code}）"

    def clean_bargaining(self):
        from .queries import bargainings_visible_to

        number = self.cleaned_data.get("bargaining")
        if not number:
            return None
        found = bargainings_visible_to(self.user).filter(pk=number).first()
        if found is None:
            raise ValidationError("该集体协商不存在或不在您的管辖范围内。")
        return found


class ContractEditForm(UserForm):
    """A draft's title, term and (regional or industry contracts) covered enterprises."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    title = forms.CharField(label="合同名称", max_length=200)
    term_start = DayField("期限起始日")
    expires_on = DayField("期限届满日", help_text="集体合同期限为 1 至 3 年")
    covered = EnterpriseListField()

    def __init__(self, *args, record, **kwargs):
        super().__init__(*args, **kwargs)
        if record.scope == Scope.ENTERPRISE:
            del self.fields["covered"]
        if not self.is_bound:
            self.fields["version"].initial = record.version
            for name in ("title", "term_start", "expires_on"):
                self.fields[name].initial = getattr(record, name)
            if "covered" in self.fields:
                codes = record.coverage.order_by("id").values_list("enterprise__uscc", flat=True)
                self.fields["covered"].initial = "\n".join(codes)


class ApproveForm(VersionForm):
    adopted_on = DayField("职代会审议通过日期")
    congress_total = forms.IntegerField(
        label="全体职工代表（职工）人数", min_value=1, max_value=MAX_COUNT
    )
    congress_attending = forms.IntegerField(label="出席人数", min_value=0, max_value=MAX_COUNT)
    congress_approving = forms.IntegerField(label="同意人数", min_value=0, max_value=MAX_COUNT)


class SignForm(VersionForm):
    signed_on = DayField("双方首席代表签字日期")


class FileForm(VersionForm):
    filed_on = DayField("报送日期")
    filing_venue = forms.ModelChoiceField(
        label="报送机关", queryset=OrgUnit.objects.none(), required=False
    )

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, record=record, **kwargs)
        if record is not None:
            units = OrgUnit.objects.filter(pk=record.unit_id) | OrgUnit.objects.filter(
                code="500000"
            )
            self.fields["filing_venue"].queryset = units.order_by("-level", "code")
            self.fields["filing_venue"].empty_label = f"{record.unit.name}（所在区县）"


class ObjectForm(VersionForm):
    objected_on = DayField("提出异议日期")
    reason = forms.CharField(label="异议理由", max_length=1000, widget=forms.Textarea({"rows": 3}))


class TerminateForm(VersionForm):
    terminated_on = DayField("终止日期")
    reason = forms.CharField(label="终止原因", max_length=300)


class RenewForm(VersionForm):
    expires_on = DayField("续订合同期限届满日")
    title = forms.CharField(label="续订合同名称（可不填）", max_length=200, required=False)


class ContractFilterForm(StyledForm):
    status = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "全部状态"), *CollectiveContract.Status.choices],
    )
    scope = forms.ChoiceField(
        label="类型", required=False, choices=[("", "全部类型"), *Scope.choices]
    )
    kind = forms.ChoiceField(
        label="种类", required=False, choices=[("", "全部种类"), *ContractKind.choices]
    )
    q = forms.CharField(label="合同名称", required=False, max_length=100)


# --- congresses, disclosures -------------------------------------------------------------------


class CongressForm(UserForm):
    scope = forms.ChoiceField(label="类型", choices=Scope.choices)
    form = forms.ChoiceField(label="形式", choices=WorkersCongress.Form.choices)
    name = forms.CharField(label="名称", max_length=200)
    enterprise = EnterpriseField(required=False, help_text="企业职代会填写")
    region = forms.ModelChoiceField(
        label="区域（镇街或区县）", queryset=OrgUnit.objects.none(), required=False
    )
    unit = forms.ModelChoiceField(label="区县", queryset=OrgUnit.objects.none(), required=False)
    industry = forms.ChoiceField(
        label="行业门类", choices=[("", "—"), *Industry.choices], required=False
    )
    covered = EnterpriseListField(help_text="区域性、行业性职代会填写")
    established_on = DayField("建立日期")
    staff_count = forms.IntegerField(label="职工人数", min_value=1, max_value=MAX_COUNT)
    delegates = forms.IntegerField(
        label="职工代表人数", min_value=0, max_value=MAX_COUNT, required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["region"].queryset = _units(
            user, OrgUnit.Level.DISTRICT, OrgUnit.Level.TOWNSHIP
        )
        self.fields["unit"].queryset = _units(user, OrgUnit.Level.DISTRICT)


class SessionForm(StyledForm):
    held_on = DayField("召开日期")
    delegates_total = forms.IntegerField(label="应到代表", min_value=0, max_value=MAX_COUNT)
    attending = forms.IntegerField(label="实到代表", min_value=0, max_value=MAX_COUNT)
    agenda = forms.CharField(label="议题", max_length=1000, widget=forms.Textarea({"rows": 2}))
    resolutions = forms.CharField(
        label="决议事项", max_length=1000, required=False, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)


class DisclosureForm(UserForm):
    enterprise = EnterpriseField()
    category = forms.ChoiceField(label="公开内容", choices=AffairsDisclosure.Category.choices)
    channel = forms.ChoiceField(label="公开方式", choices=AffairsDisclosure.Channel.choices)
    disclosed_on = DayField("公开日期")
    title = forms.CharField(label="标题", max_length=200)
    content = forms.CharField(
        label="内容摘要", max_length=2000, required=False, widget=forms.Textarea({"rows": 3})
    )
    contract = forms.IntegerField(label="集体合同编号（公布合同时填写）", required=False)

    def clean_contract(self):
        from .queries import contracts_visible_to

        number = self.cleaned_data.get("contract")
        if not number:
            return None
        found = contracts_visible_to(self.user).filter(pk=number).first()
        if found is None:
            raise ValidationError("该集体合同不存在或不在您的管辖范围内。")
        return found


# --- tripartite meetings -----------------------------------------------------------------------

FOLLOW_UP_ROWS = 3


class MeetingForm(UserForm):
    level = forms.ChoiceField(label="层级", choices=TripartiteMeeting.Level.choices)
    unit = forms.ModelChoiceField(
        label="单位（市级或区县）", queryset=OrgUnit.objects.none(), required=False
    )
    park = forms.ModelChoiceField(label="园区", queryset=None, required=False)
    township = forms.ModelChoiceField(
        label="镇街（镇街级会议）", queryset=OrgUnit.objects.none(), required=False
    )
    industry = forms.ChoiceField(
        label="行业门类（行业级会议）", choices=[("", "—"), *Industry.choices], required=False
    )
    held_on = DayField("会议日期")
    title = forms.CharField(label="会议名称", max_length=200)
    agenda = forms.CharField(label="议题", max_length=2000, widget=forms.Textarea({"rows": 2}))
    decisions = forms.CharField(
        label="议定事项", max_length=2000, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args, user, parks, meeting=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["unit"].queryset = _units(user, OrgUnit.Level.CITY, OrgUnit.Level.DISTRICT)
        # Parks in operation (of ``parks``, those the user may see), and the meeting's own
        # park even if it has closed since (editing).
        offered = Q(is_active=True)
        if meeting is not None and meeting.park_id:
            offered |= Q(pk=meeting.park_id)
        self.fields["park"].queryset = parks.filter(offered)
        self.fields["township"].queryset = _units(user, OrgUnit.Level.TOWNSHIP)
        for body in Body:
            self.fields[f"p_{body.value}_name"] = forms.CharField(
                label=f"{body.label}参会人", max_length=64, required=False
            )
            self.fields[f"p_{body.value}_position"] = forms.CharField(
                label="职务", max_length=64, required=False
            )
        for n in range(1, FOLLOW_UP_ROWS + 1):
            self.fields[f"f{n}_task"] = forms.CharField(
                label=f"督办事项 {n}", max_length=500, required=False
            )
            self.fields[f"f{n}_owner_body"] = forms.ChoiceField(
                label="牵头单位", choices=[("", "—"), *Body.choices], required=False
            )
            self.fields[f"f{n}_owner_name"] = forms.CharField(
                label="责任人", max_length=64, required=False
            )
            self.fields[f"f{n}_due_on"] = DayField("完成期限", required=False)
        _style(self)

    def participants(self) -> list[dict]:
        d = self.cleaned_data
        return [
            {
                "body": b.value,
                "name": d[f"p_{b.value}_name"],
                "position": d[f"p_{b.value}_position"],
            }
            for b in Body
        ]

    def follow_ups(self) -> list[dict]:
        d = self.cleaned_data
        return [
            {
                "task": d[f"f{n}_task"],
                "owner_body": d[f"f{n}_owner_body"],
                "owner_name": d[f"f{n}_owner_name"],
                "due_on": d[f"f{n}_due_on"],
            }
            for n in range(1, FOLLOW_UP_ROWS + 1)
        ]


class MeetingFilterForm(StyledForm):
    level = forms.ChoiceField(
        label="层级", required=False, choices=[("", "全部层级"), *TripartiteMeeting.Level.choices]
    )
    industry = forms.ChoiceField(
        label="行业", required=False, choices=[("", "全部行业"), *Industry.choices]
    )
    held_from = DayField("会议日期自", required=False)
    held_to = DayField("至", required=False)
    q = forms.CharField(label="会议名称", required=False, max_length=100)


class FollowUpAddForm(VersionForm):
    """A follow-up item added to a recorded meeting (``version`` is the meeting's)."""

    task = forms.CharField(label="督办事项", max_length=500)
    owner_body = forms.ChoiceField(label="牵头单位", choices=[("", "—"), *Body.choices])
    owner_name = forms.CharField(label="责任人", max_length=64)
    due_on = DayField("完成期限")


class FollowUpDoneForm(VersionForm):
    done_on = DayField("完成日期")
    result = forms.CharField(label="办理结果", max_length=500)


# --- employment filing -------------------------------------------------------------------------


class PeriodField(forms.CharField):
    """A month as YYYY-MM."""

    widget = forms.TextInput(attrs={"type": "month"})

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{2})", value.strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ValidationError("请按“年-月”填写，例如 2025-06。")
        return date(int(match.group(1)), int(match.group(2)), 1)


class FilingForm(UserForm):
    enterprise = EnterpriseField()
    period = PeriodField(label="备案期间（年-月）")
    employees = forms.IntegerField(label="直接用工人数", min_value=0, max_value=MAX_COUNT)
    contracted = forms.IntegerField(label="已签劳动合同人数", min_value=0, max_value=MAX_COUNT)
    dispatched = forms.IntegerField(
        label="劳务派遣用工人数", min_value=0, max_value=MAX_COUNT, initial=0
    )
    insured = forms.IntegerField(label="参加社会保险人数", min_value=0, max_value=MAX_COUNT)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class FilingFilterForm(StyledForm):
    period = PeriodField(label="期间", required=False)
    over_cap = forms.BooleanField(label="仅看派遣超比例", required=False)
    q = forms.CharField(label="企业名称", required=False, max_length=100)
