from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_texts
from django.utils.translation import gettext_lazy

from . import dates, roles
from .auth import refusal_message
from .dates import date_widget  # noqa: F401 (the apps' forms import it from here)
from .models import Organisation, OrgUnit, Role


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": gettext_lazy("用户名或密码不正确。"),
        "inactive": gettext_lazy("该账号已停用，请联系管理员。"),
    }

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            locked = refusal_message(self.request)
            if locked:
                raise forms.ValidationError(locked, code="locked") from None
            raise


class OtpForm(forms.Form):
    code = forms.CharField(
        label="动态验证码",
        max_length=16,
        help_text="身份验证器应用中的 6 位数字；手机丢失时可输入一个恢复码（每个只能用一次）。",
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
            }
        ),
    )


def _password_input(autocomplete: str) -> forms.PasswordInput:
    return forms.PasswordInput(attrs={"class": "form-control", "autocomplete": autocomplete})


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label="原密码", strip=False, widget=_password_input("current-password")
    )
    new_password = forms.CharField(
        label="新密码", strip=False, widget=_password_input("new-password")
    )
    new_password2 = forms.CharField(
        label="确认新密码", strip=False, widget=_password_input("new-password")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = password_validators_help_texts()

    def clean(self):
        data = super().clean()
        if data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", "两次输入的新密码不一致。")
        return data


class TwoFactorRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label="须两步验证的角色",
        required=False,
        choices=list(roles.ROLE_NAMES.items()),
        widget=forms.CheckboxSelectMultiple,
    )


def _select(attrs=None):
    return forms.Select(attrs={"class": "form-select", **(attrs or {})})


class UserForm(forms.Form):
    username = forms.RegexField(
        label="用户名",
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": "用户名只能包含字母、数字和 @/./+/-/_ 。"},
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    display_name = forms.CharField(
        label="姓名",
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    email = forms.EmailField(
        label="电子邮箱", required=False, widget=forms.EmailInput(attrs={"class": "form-control"})
    )
    unit = forms.ModelChoiceField(
        label="所属单位", queryset=OrgUnit.objects.none(), widget=_select()
    )
    organisation = forms.ModelChoiceField(
        label="机构", queryset=Organisation.objects.none(), required=False, widget=_select()
    )
    roles = forms.ModelMultipleChoiceField(
        label="角色",
        queryset=Role.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一个角色。"},
    )
    password = forms.CharField(
        label="初始密码",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "new-password"}),
    )
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args, units, organisations, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["organisation"].queryset = organisations
        self.fields["password"].help_text = " ".join(password_validators_help_texts())
        if editing:
            self.fields["username"].disabled = True
            self.fields["password"].label = "重置密码（留空则不修改）"
        else:
            self.fields["password"].required = True

    @property
    def role_codes(self) -> list[str]:
        return [role.code for role in self.cleaned_data.get("roles", [])]


ROLE_CHOICES = [("", "全部角色"), *roles.ROLE_NAMES.items()]


class OrganisationForm(forms.Form):
    kind = forms.ChoiceField(label="机构类型", choices=Organisation.Kind.choices, widget=_select())
    name = forms.CharField(
        label="机构名称", max_length=128, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    unit = forms.ModelChoiceField(
        label="所属单位", queryset=OrgUnit.objects.none(), widget=_select()
    )
    uscc = forms.CharField(
        label="统一社会信用代码（企业填写）",
        max_length=18,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class HolidayScheduleForm(forms.Form):
    year = forms.IntegerField(
        label="年份",
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    source = forms.CharField(
        label="依据",
        max_length=200,
        widget=forms.TextInput(
            attrs={"class": "form-control", "placeholder": "国办发明电〔2026〕X号"}
        ),
    )
    text = forms.CharField(
        label="日期安排",
        widget=forms.Textarea(
            attrs={
                "class": "form-control font-monospace",
                "rows": 12,
                "col": "col-12",
                "placeholder": "2027-01-01 休 元旦\n2027-02-06 班 春节调休",
            }
        ),
        help_text="每行一天：日期、“休”（法定节假日及调休休息日）或“班”（调休上班日）、说明。"
        "只需填写与“周一至周五上班”不同的日期。",
    )


class ParameterForm(forms.Form):
    code = forms.ChoiceField(label="参数", widget=_select())
    unit = forms.ModelChoiceField(
        label="适用单位（留空为全市）",
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label="全市",
        widget=_select(),
    )
    valid_from = dates.DayField(
        label="生效日期", widget=forms.DateInput(attrs={"class": "form-control", "type": "date"})
    )
    value = forms.DecimalField(
        label="数值",
        max_digits=14,
        decimal_places=4,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "any"}),
    )
    source = forms.CharField(
        label="依据", max_length=200, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    note = forms.CharField(
        label="说明",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, codes, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = codes
        self.fields["unit"].queryset = units
