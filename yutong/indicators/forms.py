"""Forms of the indicator pages: the selection every page shares (period, unit, basis,
indicator), the settings form generated from ``definitions.Option``, targets and report requests.

Periods are checked by ``periods.parse_period`` (one rule for the pages and the API); its
field errors land on the form's fields, in Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from yutong.core.models import OrgUnit

from . import engine
from .definitions import BY_CODE, Option
from .models import Indicator
from .periods import FIRST_YEAR, LAST_YEAR, Period, parse_period

ALL = "all"
QUARTERS = [("", "—"), *((str(q), f"第{'一二三四'[q - 1]}季度") for q in range(1, 5))]
MONTHS = [("", "—"), *((str(m), f"{m}月") for m in range(1, 13))]
SORTS = {
    "unit": "按单位代码",
    "value": "按值从高到低",
    "-value": "按值从低到高",
    "gap": "按差距从大到小",
    "-gap": "按差距从小到大",
}


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


def default_unit(user) -> OrgUnit:
    """The user's district-level unit (a township user's district), else the city."""
    unit = getattr(user, "unit", None)
    if unit is not None and unit.level == OrgUnit.Level.TOWNSHIP:
        unit = unit.parent
    if unit is None:
        unit = OrgUnit.objects.filter(level=OrgUnit.Level.CITY).order_by("code").first()
    return unit


@dataclass
class Selection:
    period: Period
    unit: OrgUnit
    basis: str
    indicator: str  # a code, or ALL
    sort: str = "unit"
    district: OrgUnit | None = None

    def query(self, **changes) -> dict:
        """The selection as GET parameters (for links between the pages)."""
        params = {"year": self.period.year, "basis": self.basis, "unit": self.unit.code}
        if self.period.quarter:
            params["quarter"] = self.period.quarter
        if self.period.month:
            params["month"] = self.period.month
        if self.period.as_of:
            params["as_of"] = self.period.as_of.isoformat()
        if self.indicator:
            params["indicator"] = self.indicator
        params.update(changes)
        return {key: value for key, value in params.items() if value not in (None, "")}


class SelectionForm(StyledForm):
    """What a page shows: a period (year; or a quarter, a month, or the year to date as of a
    day), a unit, the basis (units of the time or today's units) and an indicator."""

    indicator = forms.CharField(label="指标", required=False, widget=forms.Select)
    year = forms.CharField(
        label="年度",
        required=False,
        widget=forms.NumberInput(attrs={"min": FIRST_YEAR, "max": LAST_YEAR, "size": 6}),
    )
    quarter = forms.CharField(label="季度", required=False, widget=forms.Select(choices=QUARTERS))
    month = forms.CharField(label="月份", required=False, widget=forms.Select(choices=MONTHS))
    as_of = forms.CharField(
        label="截至日期（年初至该日）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    unit = forms.CharField(label="单位", required=False, widget=forms.Select)
    basis = forms.ChoiceField(label="单位口径", required=False, choices=list(engine.BASES.items()))
    sort = forms.ChoiceField(label="排序", required=False, choices=list(SORTS.items()))
    district = forms.CharField(label="镇街分解", required=False, widget=forms.Select)

    def __init__(self, data, *, user, today: date, allow_all=False, **kwargs):
        if data is not None:
            # The defaults written into the data, so the form shows what the page shows.
            data = data.copy()
            if not data.get("year"):
                as_of = data.get("as_of") or ""
                data["year"] = as_of[:4] if as_of[:4].isdigit() else str(today.year)
            if not data.get("unit"):
                unit = default_unit(user)
                data["unit"] = unit.code if unit else ""
        super().__init__(data, **kwargs)
        self.user, self.today, self.allow_all = user, today, allow_all
        self.indicators = engine.indicators()
        choices = [(i.code, i.name) for i in self.indicators]
        if allow_all:
            choices.insert(0, (ALL, "全部六项指标"))
        self.fields["indicator"].widget.choices = choices
        self.fields["year"].widget.attrs["placeholder"] = str(today.year)

    def clean_indicator(self):
        code = self.cleaned_data.get("indicator") or ""
        if not code or code == ALL:  # a page about one indicator then picks one
            return ALL if self.allow_all else ""
        if code not in BY_CODE or not any(i.code == code for i in self.indicators):
            raise ValidationError("没有这项指标。")
        return code

    def clean_unit(self):
        code = (self.cleaned_data.get("unit") or "").strip()
        if not code:
            return default_unit(self.user)
        unit = OrgUnit.objects.filter(code=code).select_related("parent").first()
        if unit is None:
            raise ValidationError("找不到该单位，请从列表中选择。")
        return unit

    def clean_district(self):
        code = (self.cleaned_data.get("district") or "").strip()
        if not code:
            return None
        unit = OrgUnit.objects.filter(code=code, level=OrgUnit.Level.DISTRICT).first()
        if unit is None:
            raise ValidationError("请选择一个区县级单位。")
        return unit

    def clean(self):
        data = super().clean()
        try:
            self.period = parse_period(
                data.get("year") or self.today.year,
                data.get("quarter"),
                data.get("month"),
                data.get("as_of"),
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        return data

    @property
    def selection(self) -> Selection:
        data = self.cleaned_data
        return Selection(
            period=self.period,
            unit=data["unit"],
            basis=data.get("basis") or engine.RECORDED,
            indicator=data.get("indicator") or "",
            sort=data.get("sort") or "unit",
            district=data.get("district"),
        )

    def default_indicator(self, available: set[str]) -> str:
        """The first indicator whose records are kept, else the first one (and the form
        shows it as chosen)."""
        code = next((i.code for i in self.indicators if i.code in available), "")
        code = code or (self.indicators[0].code if self.indicators else "")
        self.data["indicator"] = code
        return code

    def set_units(self, units: list[OrgUnit], chosen: OrgUnit | None = None) -> None:
        choices = [(u.code, u.name) for u in units]
        if chosen is not None and all(code != chosen.code for code, _ in choices):
            choices.append((chosen.code, chosen.name))
        self.fields["unit"].widget.choices = choices
        districts = [(u.code, u.name) for u in units if u.level == OrgUnit.Level.DISTRICT]
        self.fields["district"].widget.choices = [("", "—"), *districts]


# --- settings and targets ----------------------------------------------------------------------


def _option_field(option: Option) -> forms.Field:
    common = {"label": option.label, "help_text": option.help}
    if option.kind == "bool":
        return forms.BooleanField(required=False, **common)
    if option.kind == "choice":
        return forms.ChoiceField(choices=list(option.choices), **common)
    bounds = {"min_value": option.minimum, "max_value": option.maximum}
    if option.kind == "int":
        return forms.IntegerField(**bounds, **common)
    return forms.DecimalField(max_digits=6, decimal_places=2, **bounds, **common)


class OptionsForm(StyledForm):
    """One field per option of the indicator's definition, and the version read."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, indicator: Indicator, **kwargs):
        self.indicator = indicator
        self.definition = BY_CODE[indicator.code]
        if not args and "data" not in kwargs:
            kwargs["initial"] = {**engine.settings_of(indicator), "version": indicator.version}
        kwargs.setdefault("prefix", indicator.code)
        super().__init__(*args, **kwargs)
        for option in self.definition.options:
            self.fields[option.name] = _option_field(option)

    def options(self) -> dict:
        return {option.name: self.cleaned_data[option.name] for option in self.definition.options}


class TargetForm(StyledForm):
    year = forms.IntegerField(label="年度", min_value=FIRST_YEAR, max_value=LAST_YEAR)
    value = forms.DecimalField(
        label="目标值（%）", min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    unit = forms.ModelChoiceField(
        label="单位",
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label="全市默认（各单位未单独设定时适用）",
        to_field_name="code",
    )
    note = forms.CharField(label="依据", required=False, max_length=200)

    def __init__(self, *args, indicator: Indicator, **kwargs):
        kwargs.setdefault("prefix", f"target-{indicator.code}")
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.fields["unit"].queryset = OrgUnit.objects.filter(
            level=OrgUnit.Level.DISTRICT
        ).order_by("code")


# --- reports -----------------------------------------------------------------------------------


class MonthlyReportForm(StyledForm):
    unit = forms.ModelChoiceField(
        label="单位", queryset=OrgUnit.objects.none(), to_field_name="code", empty_label=None
    )
    year = forms.IntegerField(label="年度", min_value=FIRST_YEAR, max_value=LAST_YEAR)
    month = forms.TypedChoiceField(label="月份", choices=MONTHS[1:], coerce=int)

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["unit"].queryset = OrgUnit.objects.exclude(
            level=OrgUnit.Level.TOWNSHIP
        ).order_by("level", "code")

    def clean(self):
        data = super().clean()
        year, month = data.get("year"), data.get("month")
        if year and month and date(year, month, 1) > self.today:
            self.add_error("month", "该月尚未开始，不能生成月度报告。")
        return data
