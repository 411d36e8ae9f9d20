"""What everything else refers to: enterprises (employers), industrial parks and construction
projects."""

import copy

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, OrderBy
from django.utils import timezone

from yutong.core.models import OrgUnit
from yutong.core.personal import EncryptedTextField

from .choices import EnterpriseStatus, Industry, Ownership, ProjectSector, ProjectStatus
from .validators import validate_phone, validate_uscc


class IndustrialPark(models.Model):
    """An industrial park. Like an enterprise it holds today's values of the fields that decide
    where and whether it is counted on a past day (``history.PARK_TRACKED``: unit, township,
    operating) from ``state_since`` on; earlier values are ``ParkState`` rows (history.py)."""

    # Where a township user finds this record (core.scope).
    scope_townships = ("township",)

    code = models.CharField(
        "园区代码",
        max_length=16,
        unique=True,
        error_messages={"unique": "该园区代码已登记。"},
    )
    name = models.CharField("园区名称", max_length=128)
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name="所在区县")
    township = models.ForeignKey(
        OrgUnit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="所在镇街"
    )
    is_active = models.BooleanField("运营中", default=True)
    established_on = models.DateField("设立日期", null=True, blank=True)
    # The day the park was closed (撤销); empty while it operates, and for a park closed before
    # the records began.
    closed_on = models.DateField("撤销日期", null=True, blank=True)
    # As Enterprise.state_since: the tracked fields hold their present values from this day.
    state_since = models.DateField("现登记事项起始日期", null=True, blank=True, editable=False)
    address = models.CharField("地址", max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["unit__code", "name"]
        verbose_name = "工业园区"
        verbose_name_plural = verbose_name
        indexes = [
            models.Index(fields=["unit", "name", "id"], name="park_unit_name"),
            models.Index(fields=["name", "id"], name="park_name"),
            # The kept indicator counts find the parks that changed on a day.
            models.Index(fields=["state_since"], name="park_state_since"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_active=False) | models.Q(closed_on__isnull=True),
                name="park_open_not_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ParkState(models.Model):
    """What a park was for a closed period [valid_from, valid_until): the tracked fields of
    ``IndustrialPark`` (same names) before a change replaced them; see ``EnterpriseState``."""

    # Where a township user finds this record (core.scope).
    scope_townships = ("township",)

    park = models.ForeignKey(
        IndustrialPark, models.CASCADE, related_name="states", verbose_name="工业园区"
    )
    valid_from = models.DateField("起始日期", null=True, blank=True)
    valid_until = models.DateField("截止日期（不含）")
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name="所在区县")
    township = models.ForeignKey(
        OrgUnit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="所在镇街"
    )
    is_active = models.BooleanField("运营中")
    recorded_at = models.DateTimeField("记录时间", default=timezone.now, editable=False)

    class Meta:
        ordering = ["park", "-valid_until"]
        verbose_name = "工业园区登记事项历史"
        verbose_name_plural = verbose_name
        indexes = [
            models.Index(fields=["valid_until", "park"], name="park_state_until"),
            models.Index(fields=["valid_from", "park"], name="park_state_from"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["park", "valid_until"], name="park_state_once"),
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_until__gt=models.F("valid_from")),
                name="park_state_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.park_id}: {self.valid_from or '…'} – {self.valid_until}"


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


class SortIndex(models.Index):
    """An index in a list's sort order with the empty values last, written with expressions
    (``F("established_on").desc(nulls_last=True), F("id").desc()``), so PostgreSQL reads
    ``ORDER BY established_on DESC NULLS LAST, id DESC`` straight from it (a plain index read
    backwards gives NULLS FIRST, which that order cannot use). SQLite cannot name NULLS
    FIRST/LAST in an index (its empty values sort first ascending and last descending
    anyway): there it is the same index without them.
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        index = self
        if schema_editor.connection.vendor != "postgresql":
            index = copy.copy(self)
            index.expressions = tuple(
                OrderBy(e.expression, descending=e.descending) if isinstance(e, OrderBy) else e
                for e in self.expressions
            )
        return models.Index.create_sql(index, model, schema_editor, using=using, **kwargs)


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
    # Where a township user finds this record (core.scope).
    scope_townships = ("township",)

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
    established_on = models.DateField("成立日期", null=True, blank=True)
    # The day from which the tracked fields (history.TRACKED) hold their present values: the
    # day of the last change, else the day the enterprise was established; None = since
    # before the records began. Earlier values are EnterpriseState rows (see history.py).
    state_since = models.DateField(null=True, blank=True, editable=False)
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
            # The list's other sort orders (core.tables; registry.queries.ENTERPRISE_SORTING):
            # a district's list reads them with its unit first, the city's without.
            models.Index(fields=["unit", "employee_count", "id"], name="enterprise_unit_staff"),
            models.Index(fields=["employee_count", "id"], name="enterprise_staff"),
            models.Index(fields=["unit", "established_on", "id"], name="enterprise_unit_founded"),
            models.Index(fields=["established_on", "id"], name="enterprise_founded"),
            models.Index(fields=["state_since"], name="enterprise_state_since"),
            # Founding day descending keeps the undated last (Sorting.nullable), an order
            # the ascending indexes above cannot give read backwards.
            SortIndex(
                F("unit"),
                F("established_on").desc(nulls_last=True),
                F("id").desc(),
                name="enterprise_unit_founded_desc",
            ),
            SortIndex(
                F("established_on").desc(nulls_last=True),
                F("id").desc(),
                name="enterprise_founded_desc",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EnterpriseState(models.Model):
    """What an enterprise was for a closed period [valid_from, valid_until): the tracked fields
    of ``Enterprise`` (same names) before a change replaced them. ``valid_from`` None = since
    before the records began. An enterprise's rows and its ``state_since`` tile time without
    gaps or overlaps, so on any day it is described by exactly one of them (history.py)."""

    # Where a township user finds this record (core.scope).
    scope_townships = ("township",)

    enterprise = models.ForeignKey(
        Enterprise, models.CASCADE, related_name="states", verbose_name="企业"
    )
    valid_from = models.DateField("起始日期", null=True, blank=True)
    valid_until = models.DateField("截止日期（不含）")
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name="所属区县")
    township = models.ForeignKey(
        OrgUnit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="所属镇街"
    )
    park = models.ForeignKey(
        IndustrialPark,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="所在园区",
    )
    industry = models.CharField("行业门类", max_length=1, choices=Industry.choices)
    status = models.CharField("经营状态", max_length=16, choices=EnterpriseStatus.choices)
    employee_count = models.PositiveIntegerField("职工人数")
    recorded_at = models.DateTimeField("记录时间", default=timezone.now, editable=False)

    class Meta:
        ordering = ["enterprise", "-valid_until"]
        verbose_name = "企业登记事项历史"
        verbose_name_plural = verbose_name
        indexes = [
            # "Which enterprises were different on day D" reads the rows ending after D.
            models.Index(fields=["valid_until", "enterprise"], name="enterprise_state_until"),
            # The kept indicator counts find the enterprises that changed on a day.
            models.Index(fields=["valid_from", "enterprise"], name="enterprise_state_from"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "valid_until"], name="enterprise_state_once"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_until__gt=models.F("valid_from")),
                name="enterprise_state_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id}: {self.valid_from or '…'} – {self.valid_until}"


class ConstructionProject(models.Model):
    """A construction project (工程建设项目): the parties the wage rules hold liable (owner,
    general contractor, subcontractors; 条例 Art.29-30) and the labour officer the general
    contractor appoints (Art.28). The wage safeguards and payroll hang off it in ``wages``."""

    # Where a township user finds this record (core.scope).
    scope_townships = ("township",)

    code = models.CharField(
        "项目编号",
        max_length=32,
        unique=True,
        error_messages={"unique": "该项目编号已登记。"},
        help_text="施工许可证号或投资项目代码",
    )
    name = models.CharField("项目名称", max_length=200)
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name="所在区县")
    township = models.ForeignKey(
        OrgUnit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="所在镇街"
    )
    address = models.CharField("项目地址", max_length=200, blank=True)
    owner = models.ForeignKey(
        Enterprise, models.PROTECT, related_name="owned_projects", verbose_name="建设单位"
    )
    general_contractor = models.ForeignKey(
        Enterprise,
        models.PROTECT,
        related_name="contracted_projects",
        verbose_name="施工总承包单位",
    )
    subcontractors = models.ManyToManyField(
        Enterprise,
        through="ProjectSubcontractor",
        related_name="subcontracted_projects",
        verbose_name="分包单位",
    )
    contract_amount = models.DecimalField("施工合同金额（元）", max_digits=16, decimal_places=2)
    is_government_funded = models.BooleanField("政府投资项目", default=False)
    starts_on = models.DateField("开工日期", null=True, blank=True)
    planned_completion_on = models.DateField("计划竣工日期", null=True, blank=True)
    completed_on = models.DateField("竣工日期", null=True, blank=True)
    status = models.CharField(
        "项目状态", max_length=24, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    labour_officer = models.CharField("劳资专管员", max_length=64, blank=True)
    labour_officer_phone = EncryptedTextField(
        "劳资专管员电话", blank=True, validators=[validate_phone]
    )
    # The wage-code page and the notice board name this authority as 行业主管部门, not the
    # human-resources bureau (which supervises wage payment in general, 条例 Art.10).
    sector = models.CharField("工程类别", max_length=16, choices=ProjectSector.choices, blank=True)
    authority = models.CharField(
        "行业主管部门",
        max_length=100,
        blank=True,
        help_text="如：渝中区住房和城乡建设委员会、重庆市交通运输委员会、区水利局",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = "工程建设项目"
        verbose_name_plural = verbose_name
        indexes = [
            models.Index(fields=["unit", "status", "id"], name="project_unit_status"),
            models.Index(fields=["status", "id"], name="project_status"),
            models.Index(fields=["name"], name="project_name"),
            # The list's sort orders (registry.queries.PROJECT_SORTING).
            models.Index(fields=["unit", "contract_amount", "id"], name="project_unit_amount"),
            models.Index(fields=["unit", "starts_on", "id"], name="project_unit_starts"),
            # The city's list (no unit) sorted the same ways; start day descending keeps the
            # undated last, with and without the unit first (see SortIndex).
            models.Index(fields=["contract_amount", "id"], name="project_amount"),
            models.Index(fields=["starts_on", "id"], name="project_starts"),
            SortIndex(
                F("unit"),
                F("starts_on").desc(nulls_last=True),
                F("id").desc(),
                name="project_unit_starts_desc",
            ),
            SortIndex(
                F("starts_on").desc(nulls_last=True), F("id").desc(), name="project_starts_desc"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contract_amount__gte=0), name="project_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(completed_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(completed_on__gte=models.F("starts_on")),
                name="project_completed_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProjectSubcontractor(models.Model):
    project = models.ForeignKey(ConstructionProject, models.CASCADE, related_name="+")
    enterprise = models.ForeignKey(Enterprise, models.PROTECT, related_name="+")
    scope_of_work = models.CharField("分包内容", max_length=100, blank=True)

    class Meta:
        verbose_name = "分包单位"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["project", "enterprise"], name="project_subcontractor_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.enterprise_id}"
