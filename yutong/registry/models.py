"""What everything else refers to: enterprises (employers) and industrial parks."""

import copy

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone

from yutong.core.models import OrgUnit
from yutong.core.personal import EncryptedTextField

from .choices import EnterpriseStatus, Industry, Ownership
from .validators import validate_phone, validate_uscc


class IndustrialPark(models.Model):
    code = models.CharField("园区代码", max_length=16, unique=True)
    name = models.CharField("园区名称", max_length=128)
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name="所在区县")
    township = models.ForeignKey(
        OrgUnit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="所在镇街"
    )
    is_active = models.BooleanField("运营中", default=True)

    class Meta:
        ordering = ["unit__code", "name"]
        verbose_name = "工业园区"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.name


class CoveringIndex(models.Index):
    """An index whose ``covering`` columns ride along (INCLUDE) where the database can do
    that (PostgreSQL), so queries on them are answered from the index alone; elsewhere it
    is the plain index on ``fields``. Django's own ``include=`` builds the same thing but
    warns (models.W040) at every SQLite ``migrate``, the newcomer's default database.
    """

    def __init__(self, *args, covering=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.covering = tuple(covering)

    def create_sql(self, model, schema_editor, using="", **kwargs):
        index = copy.copy(self)
        index.include = self.covering
        return models.Index.create_sql(index, model, schema_editor, using=using, **kwargs)

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        kwargs["covering"] = self.covering
        return path, args, kwargs


# Columns the enterprise list filters on (registry.queries.filter_enterprises).
LIST_FILTER_COLUMNS = [
    "township",
    "industry",
    "ownership",
    "employee_count",
    "status",
    "union_established",
]


class Enterprise(models.Model):
    uscc = models.CharField(
        "统一社会信用代码",
        max_length=18,
        unique=True,
        validators=[validate_uscc],
        error_messages={"unique": "该统一社会信用代码已登记。"},
    )
    name = models.CharField("企业名称", max_length=200)
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name="所属区县")
    township = models.ForeignKey(
        OrgUnit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="所属镇街"
    )
    park = models.ForeignKey(
        IndustrialPark,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises",
        verbose_name="所在园区",
    )
    industry = models.CharField("行业门类", max_length=1, choices=Industry.choices)
    ownership = models.CharField("经济类型", max_length=24, choices=Ownership.choices)
    employee_count = models.PositiveIntegerField(
        "职工人数", validators=[MaxValueValidator(2_000_000)]
    )
    status = models.CharField(
        "经营状态",
        max_length=16,
        choices=EnterpriseStatus.choices,
        default=EnterpriseStatus.OPERATING,
    )
    union_established = models.BooleanField("已建工会", default=False)
    address = models.CharField("地址", max_length=200, blank=True)
    legal_representative = models.CharField("法定代表人", max_length=64, blank=True)
    contact_phone = EncryptedTextField("联系电话", blank=True, validators=[validate_phone])
    contact_phone_hash = models.CharField(max_length=40, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "企业"
        verbose_name_plural = verbose_name
        # The lists read ids in name order from the two covering indexes (the filter
        # columns ride along, so PostgreSQL skips rows without visiting the table) and count
        # from the narrow ones. See docs/performance.md for the plans behind each.
        indexes = [
            CoveringIndex(
                fields=["name", "id"],
                covering=[*LIST_FILTER_COLUMNS, "unit"],
                name="enterprise_name_cover",
            ),
            CoveringIndex(
                fields=["unit", "name", "id"],
                covering=LIST_FILTER_COLUMNS,
                name="enterprise_unit_name_cover",
            ),
            models.Index(
                fields=["unit", "status", "employee_count"], name="enterprise_unit_status"
            ),
            models.Index(fields=["unit", "industry"], name="enterprise_unit_industry"),
            models.Index(fields=["status", "employee_count"], name="enterprise_status_size"),
            models.Index(fields=["industry", "employee_count"], name="enterprise_industry_size"),
            models.Index(fields=["union_established", "status"], name="enterprise_union_status"),
            models.Index(fields=["contact_phone_hash"], name="enterprise_phone_hash"),
        ]

    def __str__(self) -> str:
        return self.name
