from django import forms

from yutong.core import dates

from .models import DepositForm, NoticeItem, SafeguardKind, WageCodeRule, WageSettings
from .services import SETTINGS_FIELDS


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple):
            continue
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WageDepositForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    form = forms.ChoiceField(label="存储形式", choices=DepositForm.choices)
    amount = forms.DecimalField(label="金额（元）", max_digits=14, decimal_places=2)
    deposited_on = dates.DayField(label="存储（出具）日期", widget=DATE)
    issuer = forms.CharField(label="存储银行 / 出具机构", max_length=100)
    reference = forms.CharField(label="账号或保函、保单编号", max_length=64, required=False)
    expires_on = dates.DayField(
        label="保函（保单）有效期至", widget=DATE, required=False, help_text="现金存储不填"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class SafeguardForm(forms.Form):
    """One form for the four kinds; the fields a kind does not use are left out."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    in_place_since = dates.DayField(label="落实日期", widget=DATE)
    bank_name = forms.CharField(label="开户银行", max_length=100, required=False)
    account_number = forms.CharField(label="专用账户账号", max_length=40, required=False)
    pay_day = forms.IntegerField(label="每月工资支付日", min_value=1, max_value=31, required=False)
    notice_items = forms.MultipleChoiceField(
        label="告示牌已公示的内容",
        choices=NoticeItem.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label="备注", max_length=200, required=False)

    FIELDS_BY_KIND = {
        SafeguardKind.WAGE_ACCOUNT: ("bank_name", "account_number"),
        SafeguardKind.REAL_NAME: (),
        SafeguardKind.BANK_PAYROLL: ("pay_day",),
        SafeguardKind.NOTICE_BOARD: ("notice_items",),
    }

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        optional = {"bank_name", "account_number", "pay_day", "notice_items"}
        for name in optional - set(self.FIELDS_BY_KIND[kind]):
            del self.fields[name]
        _style(self)


class PayrollUploadForm(forms.Form):
    file = forms.FileField(
        label="工资发放表（Excel）",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm,.xls,.ods"}),
        error_messages={"required": "请选择要上传的 Excel 文件。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class WageSettingsForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = WageSettings
        fields = list(SETTINGS_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        _style(self)

    def _post_clean(self):
        return  # the service validates the row with its own messages


class WageCodeRuleForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    colour = forms.ChoiceField(label="触发后颜色", choices=WageCodeRule.RuleColour.choices)
    threshold = forms.IntegerField(label="阈值", min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
