"""Labour-security inspection (劳动保障监察, rules §3): complaints and reports, the inspection
cases opened from them or proactively, the compliance credit rating (rules §6) and the
wage-arrears blacklist (rules §4.4).

A complaint (``Complaint``) has its own 5-working-day decision clock: it is accepted (an
``InspectionCase`` is opened and takes over), refused in writing, sent back for materials, or
redirected. The statistics count inspection cases (``InspectionCase`` with ``origin`` complaint),
never complaints: ``accepted_on``, ``closed_on`` and ``is_wage_arrears`` on the case are what the
indicators ``inspection_closure`` and ``wage_arrears_closure`` read.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from yutong.core.cases import CaseBase, CaseEventBase, ClockChangeBase
from yutong.core.models import OrgUnit
from yutong.core.personal import EncryptedTextField
from yutong.registry.models import ConstructionProject, Enterprise


class ViolationType(models.TextChoices):
    """The nine matters of the compliance credit rating (rules §6)."""

    INTERNAL_RULES = "internal_rules", "规章制度"
    LABOUR_CONTRACTS = "labour_contracts", "劳动合同"
    CHILD_LABOUR = "child_labour", "禁止使用童工"
    WOMEN_MINORS = "women_minors", "女职工和未成年工特殊劳动保护"
    WORKING_TIME = "working_time", "工作时间和休息休假"
    WAGES = "wages", "工资支付和最低工资"
    SOCIAL_INSURANCE = "social_insurance", "社会保险"
    TRAINING = "training", "职业培训、就业准入和职业资格"
    OTHER = "other", "其他劳动保障法律法规"


class Complaint(CaseBase):
    """A complaint or report (举报投诉) and its acceptance decision.

    The clock of ``CaseBase`` is the decision clock (5 working days from receipt, restarted when
    missing materials arrive); ``ended_on`` is the day of the decision. ``closed_on`` and
    ``closure`` stay empty: a complaint is not closed, its inspection case is.
    ``workers_count`` (CaseBase) is the number of workers affected.
    """

    # Where a township user finds this record (core.scope).
    scope_townships = ("employer__township", "project__township")

    class Channel(models.TextChoices):
        ONLINE = "online", "网上投诉"
        HOTLINE_12333 = "hotline_12333", "12333 热线"
        HOTLINE_12345 = "hotline_12345", "12345 热线"
        LETTER = "letter", "来信"
        VISIT = "visit", "来访"
        TRANSFER = "transfer", "转办"

    class Status(models.TextChoices):
        RECEIVED = "received", "待决定"
        MATERIALS_REQUESTED = "materials_requested", "待补正材料"
        ACCEPTED = "accepted", "已立案"
        REFUSED = "refused", "不予受理"
        REDIRECTED = "redirected", "告知向有关部门投诉"

    channel = models.CharField("来源", max_length=16, choices=Channel.choices)
    status = models.CharField(
        "状态", max_length=24, choices=Status.choices, default=Status.RECEIVED
    )
    # The complainant: encrypted, shown only to inspection staff (roles.INSPECTION_STAFF).
    is_anonymous = models.BooleanField("匿名", default=False)
    complainant_name = EncryptedTextField("投诉人姓名", blank=True)
    complainant_phone = EncryptedTextField("投诉人电话", blank=True)
    complainant_phone_hash = models.CharField(max_length=40, blank=True, editable=False)
    complainant_resident_id = EncryptedTextField("投诉人公民身份号码", blank=True)
    complainant_resident_id_hash = models.CharField(max_length=40, blank=True, editable=False)
    # The employer and the matter.
    employer = models.ForeignKey(
        Enterprise, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="用人单位"
    )
    employer_name = models.CharField("用人单位名称", max_length=200)
    employer_uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    matter = models.TextField("投诉事项")
    violation_types = models.JSONField("违法行为类型", default=list)
    violation_ended_on = models.DateField(
        "违法行为发生（终了）日期", null=True, blank=True, help_text="用于两年追溯期限的审查"
    )
    is_wage_arrears = models.BooleanField("拖欠农民工工资", default=False)
    project = models.ForeignKey(
        ConstructionProject,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="工程建设项目",
    )
    amount_owed = models.DecimalField(
        "拖欠金额（元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    # The decision.
    materials_requested = models.CharField("需补正材料", max_length=500, blank=True)
    refusal_reason = models.CharField("不予受理理由", max_length=300, blank=True)
    redirect_to = models.CharField("告知投诉渠道", max_length=300, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
    )

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = "举报投诉"
        verbose_name_plural = verbose_name
        indexes = [
            models.Index(fields=["unit", "ended_on", "due_on"], name="complaint_queue"),
            models.Index(fields=["assigned_to", "ended_on"], name="complaint_mine"),
            models.Index(fields=["unit", "received_on"], name="complaint_received"),
            models.Index(
                fields=["is_wage_arrears", "status", "project"], name="complaint_arrears_open"
            ),
            models.Index(fields=["complainant_phone_hash"], name="complaint_phone_hash"),
            models.Index(fields=["complainant_resident_id_hash"], name="complaint_ric_hash"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_anonymous=True) | ~Q(complainant_name=""),
                name="complaint_named_has_name",
            ),
            models.CheckConstraint(
                condition=Q(amount_owed__isnull=True) | Q(amount_owed__gte=0),
                name="complaint_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.employer_name}"

    @property
    def reference(self) -> str:
        """The number the complainant is given (TS + day received + id)."""
        return f"TS{self.received_on:%Y%m%d}{self.pk or 0:06d}"

    def violation_labels(self) -> list[str]:
        labels = dict(ViolationType.choices)
        return [labels.get(code, code) for code in self.violation_types]


class ComplaintEvent(CaseEventBase):
    case = models.ForeignKey(Complaint, models.CASCADE, related_name="events")


class ComplaintClockChange(ClockChangeBase):
    case = models.ForeignKey(Complaint, models.CASCADE, related_name="clock_changes")


class InspectionCase(CaseBase):
    """An inspection case (立案查处): opened from a complaint or proactively. 60 working days
    from opening, one extension of at most 30 with the approver (条例 Art.17)."""

    # Where a township user finds this record (core.scope).
    scope_townships = ("employer__township", "project__township")

    class Origin(models.TextChoices):
        COMPLAINT = "complaint", "举报投诉"
        PATROL = "patrol", "日常巡视检查"
        WRITTEN_REVIEW = "written_review", "书面审查"
        CAMPAIGN = "campaign", "专项检查"
        RANDOM_DRAW = "random_draw", "双随机抽查"

    class Status(models.TextChoices):
        INVESTIGATING = "investigating", "调查中"
        CLOSED = "closed", "已结案"

    class Outcome(models.TextChoices):
        ORDER = "order", "行政处理（责令支付、改正）"
        PENALTY = "penalty", "行政处罚"
        NO_VIOLATION = "no_violation", "未发现违法行为（撤销立案）"
        POLICE = "police", "移送公安机关"

    origin = models.CharField("案件来源", max_length=16, choices=Origin.choices)
    complaint = models.OneToOneField(
        Complaint,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="case",
        verbose_name="举报投诉",
    )
    number = models.CharField("案号", max_length=64, unique=True)
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.INVESTIGATING
    )
    employer = models.ForeignKey(
        Enterprise, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="用人单位"
    )
    employer_name = models.CharField("用人单位名称", max_length=200)
    employer_uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    matter = models.TextField("案情")
    violation_types = models.JSONField("违法行为类型", default=list)
    is_wage_arrears = models.BooleanField("拖欠农民工工资", default=False)
    project = models.ForeignKey(
        ConstructionProject,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="工程建设项目",
    )
    amount_owed = models.DecimalField(
        "拖欠金额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    campaign = models.CharField("专项行动", max_length=100, blank=True)
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="inspection_cases", verbose_name="监察员"
    )
    closure = models.CharField("处理结果", max_length=24, choices=Outcome.choices, blank=True)
    closure_note = models.CharField("结案说明", max_length=500, blank=True)
    penalty_amount = models.DecimalField(
        "罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    amount_recovered = models.DecimalField(
        "追发金额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    workers_paid = models.PositiveIntegerField("追发涉及人数", null=True, blank=True)
    additional_damages = models.DecimalField(
        "加付赔偿金（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    # What rules §6 needs for a C grade, recorded when the case is closed.
    mass_incident = models.BooleanField("引发群体性事件或极端事件", default=False)
    refused_order = models.BooleanField("拒不履行责令改正、处理或处罚决定", default=False)
    obstructed_inspection = models.BooleanField("无理抗拒、阻挠监察", default=False)
    child_or_forced_labour = models.BooleanField("使用童工或强迫劳动", default=False)

    class Meta:
        ordering = ["-accepted_on", "-id"]
        verbose_name = "劳动保障监察案件"
        verbose_name_plural = verbose_name
        indexes = [
            models.Index(fields=["unit", "ended_on", "due_on"], name="inspection_queue"),
            models.Index(fields=["assigned_to", "ended_on"], name="inspection_mine"),
            # The two closure indicators: accepted and closed per period, wage arrears or not.
            models.Index(
                fields=["origin", "is_wage_arrears", "accepted_on"], name="inspection_accepted"
            ),
            models.Index(
                fields=["origin", "is_wage_arrears", "closed_on"], name="inspection_closed"
            ),
            # The compliance rating reads an employer's closures of a year.
            models.Index(fields=["closed_on", "employer"], name="inspection_employer_year"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True, closure="")
                | (Q(closed_on__isnull=False) & ~Q(closure="")),
                name="inspection_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(origin="complaint") | Q(complaint__isnull=False),
                name="inspection_complaint_origin_has_complaint",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def violation_labels(self) -> list[str]:
        labels = dict(ViolationType.choices)
        return [labels.get(code, code) for code in self.violation_types]


class InspectionEvent(CaseEventBase):
    case = models.ForeignKey(InspectionCase, models.CASCADE, related_name="events")


class InspectionClockChange(ClockChangeBase):
    case = models.ForeignKey(InspectionCase, models.CASCADE, related_name="clock_changes")


class CaseNumberSequence(models.Model):
    """The last case number given per unit and year (locked row: one number at a time)."""

    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="inspection_number_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.last}"


# --- compliance credit rating (rules §6) ---------------------------------------------------


class Grade(models.TextChoices):
    A = "A", "A 级"
    B = "B", "B 级"
    C = "C", "C 级"


class RatingRun(models.Model):
    """One computation of a unit's ratings for a year. An enterprise of the unit without a
    ``ComplianceRating`` row for a computed year had no record in the previous year: grade A."""

    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name="评价单位")
    year = models.PositiveSmallIntegerField("评价年度")
    computed_at = models.DateTimeField("计算时间", default=timezone.now)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="计算人"
    )
    rated_b = models.PositiveIntegerField("B 级", default=0)
    rated_c = models.PositiveIntegerField("C 级", default=0)
    with_records = models.PositiveIntegerField("有记录企业", default=0)
    rules = models.JSONField("适用规则", default=list)

    class Meta:
        ordering = ["-year", "unit__code"]
        verbose_name = "守法诚信等级评价批次"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="rating_run_per_unit_year")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"


class ComplianceRating(models.Model):
    """守法诚信等级 of an enterprise for a year, computed from the previous year's records;
    ``grade`` is the override when a reviewer set one, else the computed grade."""

    # Where a township user finds this record (core.scope).
    scope_townships = ("enterprise__township",)

    enterprise = models.ForeignKey(
        Enterprise, models.PROTECT, related_name="+", verbose_name="企业"
    )
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name="评价单位")
    year = models.PositiveSmallIntegerField("评价年度")
    grade = models.CharField("等级", max_length=1, choices=Grade.choices)
    computed_grade = models.CharField("计算等级", max_length=1, choices=Grade.choices)
    reasons = models.JSONField("评定理由", default=list)
    handled_count = models.PositiveIntegerField("上年度处理处罚次数", default=0)
    override_grade = models.CharField("复核等级", max_length=1, choices=Grade.choices, blank=True)
    override_reason = models.CharField("复核理由", max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="复核人",
    )
    reviewed_at = models.DateTimeField("复核时间", null=True, blank=True)
    computed_at = models.DateTimeField("计算时间", default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-year", "enterprise__name", "id"]
        verbose_name = "守法诚信等级"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["unit", "year", "grade"], name="rating_unit_year_grade")]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="rating_per_year"),
            models.CheckConstraint(
                condition=Q(override_grade="") | ~Q(override_reason=""),
                name="rating_override_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year} {self.grade}"


# --- wage-arrears blacklist (rules §4.4) ---------------------------------------------------


class ArrearsBlacklist(models.Model):
    """拖欠农民工工资失信联合惩戒对象名单: listed after an order to pay that was not followed, when
    the arrears reach the criminal threshold or caused a mass or extreme incident. 3 years;
    early removal from 6 months after listing, once paid and pledged."""

    # Where a township user finds this record (core.scope).
    scope_townships = ("enterprise__township",)

    class Condition(models.TextChoices):
        CRIMINAL_THRESHOLD = "criminal_threshold", "拖欠数额达到拒不支付劳动报酬罪数额较大标准"
        MASS_INCIDENT = "mass_incident", "因拖欠引发群体性事件、极端事件造成严重不良社会影响"

    class Removal(models.TextChoices):
        EARLY = "early", "提前移出"
        ERROR = "error", "列入错误予以撤销"

    enterprise = models.ForeignKey(
        Enterprise, models.PROTECT, related_name="+", verbose_name="用人单位"
    )
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name="列入单位")
    case = models.ForeignKey(
        InspectionCase, models.PROTECT, related_name="listings", verbose_name="依据案件"
    )
    condition = models.CharField("列入情形", max_length=24, choices=Condition.choices)
    basis = models.CharField("事实依据", max_length=500)
    amount_owed = models.DecimalField("拖欠金额（元）", max_digits=14, decimal_places=2)
    workers_affected = models.PositiveIntegerField("涉及人数")
    listed_on = models.DateField("列入日期")
    term_ends_on = models.DateField("期满日期")
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="列入人"
    )
    removed_on = models.DateField("移出日期", null=True, blank=True)
    removal = models.CharField("移出方式", max_length=8, choices=Removal.choices, blank=True)
    paid_on = models.DateField("清偿日期", null=True, blank=True)
    pledged_on = models.DateField("承诺日期", null=True, blank=True)
    removal_reason = models.CharField("移出理由", max_length=500, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="移出经办人",
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-listed_on", "-id"]
        verbose_name = "拖欠农民工工资失信联合惩戒对象名单"
        verbose_name_plural = verbose_name
        indexes = [
            models.Index(fields=["removed_on", "term_ends_on"], name="blacklist_active"),
            models.Index(fields=["unit", "listed_on"], name="blacklist_unit"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(removed_on__isnull=True, removal="")
                | (Q(removed_on__isnull=False) & ~Q(removal="")),
                name="blacklist_removed_has_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.listed_on}"

    def is_active_on(self, day) -> bool:
        return self.removed_on is None and self.listed_on <= day <= self.term_ends_on
