"""Indicator definitions with their settings, targets per unit and year, generated reports, and
the kept counts of the stock indicators.

Values are computed from the records on every request (``engine.py``), so a change to a case
shows in the next dashboard load. The stock indicators (things in scope on a day) read kept
counts instead: per day, unit and township, the change in what they count (``StockDelta``),
maintained in the transaction that changes the records (``ledger.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from yutong.core.models import OrgUnit


class Indicator(models.Model):
    class Kind(models.TextChoices):
        FLOW = "flow", "期间流量"
        STOCK = "stock", "期末存量"

    code = models.CharField("代码", max_length=32, primary_key=True)
    name = models.CharField("指标名称", max_length=64)
    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    description = models.TextField("口径说明")
    options = models.JSONField("口径设置", default=dict)
    sort = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["sort"]
        verbose_name = "主要指标"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.name


class IndicatorTarget(models.Model):
    """A yearly target. ``unit`` empty is the default every unit carries (the plan's figure);
    a row for a unit is that unit's own target."""

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="targets")
    unit = models.ForeignKey(
        OrgUnit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="单位"
    )
    year = models.PositiveSmallIntegerField("年度")
    value = models.DecimalField("目标值（%）", max_digits=5, decimal_places=2)
    note = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        ordering = ["indicator__sort", "year", "unit__code"]
        verbose_name = "指标目标"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "year"], name="target_once_per_unit_year"
            ),
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=Q(unit__isnull=True),
                name="target_default_once_per_year",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0) & Q(value__lte=100), name="target_is_a_percentage"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year} {self.unit or '默认'}: {self.value}"


class IndicatorReport(models.Model):
    """A monthly report workbook generated in the background for a unit."""

    class Status(models.TextChoices):
        PENDING = "pending", "生成中"
        READY = "ready", "已生成"
        FAILED = "failed", "生成失败"

    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name="单位")
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.PENDING)
    file = models.FileField("文件", upload_to="indicator-reports/", blank=True)
    message = models.CharField("说明", max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "月度报告"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["unit", "year", "month"], name="report_unit_period")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}-{self.month:02d}"


class StockLedger(models.Model):
    """One kept count (a member of a stock indicator: the enterprises of harmony coverage, say):
    the first day it is kept from, and whether it is whole (else values come from the records)."""

    member = models.CharField(primary_key=True, max_length=64)
    starts_on = models.DateField()
    ready = models.BooleanField(default=False)
    built_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.member


class StockDelta(models.Model):
    """The change on ``day`` in one member's count for one unit and township: the count as of a
    day is the sum of its deltas up to that day (on ``starts_on``: the whole count of that day)."""

    member = models.CharField(max_length=64)
    day = models.DateField()
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+")
    township = models.ForeignKey(OrgUnit, models.PROTECT, null=True, related_name="+")
    numerator = models.IntegerField()
    denominator = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["member", "day"], name="stock_delta_day")]

    def __str__(self) -> str:
        return f"{self.member} {self.day}: {self.numerator:+d}/{self.denominator:+d}"
