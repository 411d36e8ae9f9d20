"""The one range of dates the platform accepts, for forms and the API alike.

Services add months and years to the days they are given and the clocks count working days
from them: a day in year 1 or 9999 failed there (a 500) or was stored as nonsense. Records
older than the platform are real (unions and enterprises founded decades ago), so the range
starts in 1950.
"""

from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError

FIRST_DAY = date(1950, 1, 1)
LAST_DAY = date(2100, 12, 31)
OUT_OF_RANGE = f"日期应在 {FIRST_DAY.isoformat()} 至 {LAST_DAY.isoformat()} 之间。"
INVALID = "日期格式不正确，请按“年-月-日”填写，例如 2025-06-01。"


def date_widget() -> forms.DateInput:
    """A browser date picker that shows and reads ISO dates, whatever the locale."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def in_range(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


def validate_day(day: date | datetime | None) -> None:
    """A form field validator: a day (or moment) outside the range is a field error."""
    if isinstance(day, datetime):
        day = day.date()
    if day is not None and not in_range(day):
        raise ValidationError(OUT_OF_RANGE, code="out_of_range")


class DayField(forms.DateField):
    """A form's date: the browser's date picker, ISO dates, inside the range."""

    default_validators = [validate_day]

    def __init__(self, *, widget=None, **kwargs):
        super().__init__(widget=widget or date_widget(), **kwargs)


def model_formfield(db_field, **kwargs):
    """A ModelForm's ``Meta.formfield_callback``: the model's date fields get the range too."""
    field = db_field.formfield(**kwargs)
    if isinstance(field, forms.DateField | forms.DateTimeField):
        field.validators.append(validate_day)
    return field
