"""The harmony creation activity (和谐劳动关系创建活动): enrolments, the enterprise health check
(企业体检) and the harmonious-enterprise evaluation (和谐企业评定, grades A / AA / AAA).

The scoring items, health-check questions, veto items and the documents of the application
pack are data an administrator edits (rules.md §9: the official scoring table was not found);
thresholds, the holding period and the validity period are dated parameters.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from yutong.core.models import OrgUnit
from yutong.registry.choices import Industry
from yutong.registry.models import Enterprise, IndustrialPark


class Grade(models.TextChoices):
    A = "A", "A级"
    AA = "AA", "AA级"
    AAA = "AAA", "AAA级"


# Strictly in sequence: each level must come from the one below (rules.md §9).
GRADE_ORDER = (Grade.A, Grade.AA, Grade.AAA)


def grade_below(grade: str) -> str | None:
    index = GRADE_ORDER.index(grade)
    return GRADE_ORDER[index - 1] if index else None


# --- enrolment in the creation activity -------------------------------------------------------


class HarmonyEnrollment(models.Model):
    """One enrolment in the creation activity for a span of days.

    ``scope`` says what it covers: one enterprise; every enterprise of a township/street
    (``region``); a park as a park and every enterprise in it (``park``); every enterprise of
    an industry section within a district-level unit (``industry``). Coverage is resolved by
    joining on the enterprise's township / park / (unit, industry) — never stored per
    enterprise — so a regional enrolment is one row however many enterprises it covers.

    ``covered_until`` is the last day covered: the end date, or the day before withdrawal,
    whichever is earlier (``None``: open-ended). Coverage on a day D is then
    ``starts_on <= D and (covered_until is null or covered_until >= D)``, one indexed range.
    """

    # Where a township user finds this record (core.scope).
    scope_townships = ("township", "enterprise__township", "park__township")

    class Scope(models.TextChoices):
        ENTERPRISE = "enterprise", "企业创建"
        REGION = "region", "镇街区域性创建"
        PARK = "park", "园区创建"
        INDUSTRY = "industry", "行业性创建"

    scope = models.CharField("创建类型", max_length=16, choices=Scope.choices)
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name="所属区县")
    enterprise = models.ForeignKey(
        Enterprise,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="harmony_enrollments",
        verbose_name="企业",
    )
    township = models.ForeignKey(
        OrgUnit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="镇街"
    )
    park = models.ForeignKey(
        IndustrialPark,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="harmony_enrollments",
        verbose_name="工业园区",
    )
    industry = models.CharField("行业门类", max_length=1, choices=Industry.choices, blank=True)
    year = models.PositiveSmallIntegerField("创建年度", null=True, blank=True)
    starts_on = models.DateField("起始日期")
    ends_on = models.DateField("截止日期", null=True, blank=True)
    covered_until = models.DateField(null=True, blank=True, editable=False)
    note = models.CharField("备注", max_length=300, blank=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
    )
    enrolled_at = models.DateTimeField("登记时间", default=timezone.now)
    self_enrolled = models.BooleanField("企业自主报名", default=False)
    withdrawn_on = models.DateField("退出日期", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="退出登记人",
    )
    withdrawal_reason = models.CharField("退出原因", max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = "创建活动"
        verbose_name_plural = verbose_name
        indexes = [
            # one per way of being covered (queries.covered_q): target, then the day range
            models.Index(
                fields=["enterprise", "starts_on", "covered_until"], name="harmony_enrol_ent"
            ),
            models.Index(
                fields=["township", "starts_on", "covered_until"], name="harmony_enrol_township"
            ),
            models.Index(fields=["park", "starts_on", "covered_until"], name="harmony_enrol_park"),
            models.Index(
                fields=["unit", "industry", "starts_on", "covered_until"],
                name="harmony_enrol_industry",
            ),
            models.Index(fields=["unit", "scope", "starts_on"], name="harmony_enrol_list"),
            # The kept indicator counts find the enrolments that begin or end on a day.
            models.Index(fields=["starts_on"], name="harmony_enrol_starts"),
            models.Index(fields=["covered_until"], name="harmony_enrol_until"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        scope="enterprise",
                        enterprise__isnull=False,
                        township__isnull=True,
                        park__isnull=True,
                        industry="",
                    )
                    | Q(
                        scope="region",
                        enterprise__isnull=True,
                        township__isnull=False,
                        park__isnull=True,
                        industry="",
                    )
                    | Q(
                        scope="park",
                        enterprise__isnull=True,
                        township__isnull=True,
                        park__isnull=False,
                        industry="",
                    )
                    | (
                        Q(
                            scope="industry",
                            enterprise__isnull=True,
                            township__isnull=True,
                            park__isnull=True,
                        )
                        & ~Q(industry="")
                    )
                ),
                name="harmony_enrol_target_matches_scope",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="harmony_enrol_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()}：{self.target_name}"

    @property
    def target_name(self) -> str:
        if self.scope == self.Scope.ENTERPRISE:
            return self.enterprise.name if self.enterprise_id else ""
        if self.scope == self.Scope.REGION:
            return self.township.name if self.township_id else ""
        if self.scope == self.Scope.PARK:
            return self.park.name if self.park_id else ""
        return f"{self.unit.name}·{self.get_industry_display()}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_on is not None

    def is_active_on(self, day) -> bool:
        return self.starts_on <= day and (self.covered_until is None or self.covered_until >= day)


# --- health check -------------------------------------------------------------------------------


class HealthTheme(models.Model):
    """A theme of the questionnaire (contracts, wages, hours, …) with the guidance shown when an
    enterprise scores low on it and the rule it comes from."""

    code = models.SlugField("代码", max_length=32, unique=True)
    name = models.CharField("主题", max_length=64)
    order = models.PositiveSmallIntegerField("排序", default=0)
    guidance = models.TextField("整改指导")
    rule_reference = models.CharField("依据", max_length=200)
    rule_url = models.URLField("依据链接", max_length=300, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "体检主题"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.name


class HealthQuestion(models.Model):
    theme = models.ForeignKey(
        HealthTheme, models.PROTECT, related_name="questions", verbose_name="主题"
    )
    text = models.CharField("问题", max_length=300)
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["theme__order", "order", "id"]
        verbose_name = "体检问题"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.text


class HealthOption(models.Model):
    question = models.ForeignKey(
        HealthQuestion, models.CASCADE, related_name="options", verbose_name="问题"
    )
    text = models.CharField("选项", max_length=200)
    points = models.PositiveSmallIntegerField("得分")
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "体检选项"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.text


class HealthCheck(models.Model):
    """One questionnaire an enterprise filled in. The answers and findings copy the texts of the
    time, so a later edit of the questionnaire does not change an old result."""

    # Where a township user finds this record (core.scope).
    scope_townships = ("enterprise__township",)

    enterprise = models.ForeignKey(
        Enterprise, models.PROTECT, related_name="health_checks", verbose_name="企业"
    )
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name="所属区县")
    checked_on = models.DateField("体检日期")
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="填报人",
    )
    filled_at = models.DateTimeField("填报时间", default=timezone.now)
    points = models.PositiveIntegerField("得分")
    max_points = models.PositiveIntegerField("满分")
    score = models.DecimalField("百分制得分", max_digits=5, decimal_places=1)

    class Meta:
        ordering = ["-checked_on", "-id"]
        verbose_name = "企业体检"
        verbose_name_plural = verbose_name
        indexes = [
            models.Index(fields=["unit", "-checked_on", "-id"], name="harmony_check_unit"),
            models.Index(fields=["enterprise", "-checked_on"], name="harmony_check_ent"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise.name} {self.checked_on} 体检"


class HealthAnswer(models.Model):
    health_check = models.ForeignKey(HealthCheck, models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        HealthQuestion, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    theme = models.ForeignKey(HealthTheme, models.PROTECT, related_name="+")
    question_text = models.CharField("问题", max_length=300)
    option_text = models.CharField("回答", max_length=200)
    points = models.PositiveSmallIntegerField("得分")
    max_points = models.PositiveSmallIntegerField("满分")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.question_text}：{self.option_text}"


class HealthFinding(models.Model):
    """Guidance for a theme on which the enterprise scored under the guidance line."""

    health_check = models.ForeignKey(HealthCheck, models.CASCADE, related_name="findings")
    theme = models.ForeignKey(HealthTheme, models.PROTECT, related_name="+")
    theme_name = models.CharField("主题", max_length=64)
    points = models.PositiveIntegerField("得分")
    max_points = models.PositiveIntegerField("满分")
    score = models.DecimalField("得分率", max_digits=5, decimal_places=1)
    guidance = models.TextField("整改指导")
    rule_reference = models.CharField("依据", max_length=200)
    rule_url = models.URLField("依据链接", max_length=300, blank=True)

    class Meta:
        ordering = ["score", "id"]

    def __str__(self) -> str:
        return self.theme_name


# --- evaluation settings -----------------------------------------------------------------------


class ScoringItem(models.Model):
    """A scored item of the self-assessment (the official table was not found: editable data)."""

    code = models.SlugField("代码", max_length=32, unique=True)
    category = models.CharField("类别", max_length=64)
    name = models.CharField("评分项目", max_length=200)
    description = models.TextField("评分标准", blank=True)
    max_points = models.PositiveSmallIntegerField("分值")
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "评分项目"
        verbose_name_plural = verbose_name
        constraints = [
            models.CheckConstraint(condition=Q(max_points__gt=0), name="harmony_item_points")
        ]

    def __str__(self) -> str:
        return self.name


class VetoItem(models.Model):
    """A one-vote veto (一票否决): found at review, it blocks any grade."""

    code = models.SlugField("代码", max_length=32, unique=True)
    name = models.CharField("否决事项", max_length=200)
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "否决事项"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.name


class DocumentKind(models.Model):
    """A document of the application pack (rules.md §9)."""

    code = models.SlugField("代码", max_length=32, unique=True)
    name = models.CharField("材料名称", max_length=100)
    is_required = models.BooleanField("必须提交", default=True)
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "申报材料"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.name


# --- the evaluation ---------------------------------------------------------------------------


class HarmonyEvaluation(models.Model):
    """An application for a grade, its self-score, pack, district review and, if granted, the
    grade's validity. ``is_current`` marks the grade an enterprise holds now (at most one row per
    enterprise): the public list and the sequence rule read it through one partial index."""

    # Where a township user finds this record (core.scope).
    scope_townships = ("enterprise__township",)

    class Status(models.TextChoices):
        DRAFT = "draft", "填报中"
        SUBMITTED = "submitted", "待审核"
        APPROVED = "approved", "已评定"
        REJECTED = "rejected", "未通过"
        WITHDRAWN = "withdrawn", "已撤回"
        REVOKED = "revoked", "已撤销"

    class Decision(models.TextChoices):
        APPROVE = "approve", "通过"
        REJECT = "reject", "不通过"

    enterprise = models.ForeignKey(
        Enterprise, models.PROTECT, related_name="harmony_evaluations", verbose_name="企业"
    )
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name="所属区县")
    grade = models.CharField("申报等级", max_length=3, choices=Grade.choices)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="申报人",
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    self_score = models.DecimalField(
        "自评得分", max_digits=5, decimal_places=1, null=True, blank=True
    )
    submitted_on = models.DateField("提交日期", null=True, blank=True)
    review_score = models.DecimalField(
        "审核得分", max_digits=5, decimal_places=1, null=True, blank=True
    )
    decision = models.CharField("审核结论", max_length=8, choices=Decision.choices, blank=True)
    review_reason = models.TextField("审核意见", blank=True)
    reviewed_on = models.DateField("审核日期", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    vetoes = models.ManyToManyField(VetoItem, blank=True, related_name="+", verbose_name="否决事项")
    granted_on = models.DateField("评定日期", null=True, blank=True)
    valid_until = models.DateField("有效期至", null=True, blank=True)
    is_current = models.BooleanField("现持有等级", default=False)
    withdrawn_on = models.DateField("撤回日期", null=True, blank=True)
    revoked_on = models.DateField("撤销日期", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="撤销人",
    )
    revocation_reason = models.CharField("撤销原因", max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "和谐企业评定"
        verbose_name_plural = verbose_name
        indexes = [
            models.Index(fields=["unit", "status", "-created_at"], name="harmony_eval_unit"),
            models.Index(
                fields=["is_current", "unit", "grade", "valid_until"], name="harmony_eval_public"
            ),
            models.Index(fields=["enterprise", "status"], name="harmony_eval_ent"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(is_current=True),
                name="harmony_eval_one_current_grade",
            ),
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(status__in=["draft", "submitted"]),
                name="harmony_eval_one_open_application",
            ),
            models.CheckConstraint(
                condition=Q(is_current=False) | Q(status="approved"),
                name="harmony_eval_current_is_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise.name} {self.get_grade_display()}评定"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SUBMITTED)


class EvaluationScore(models.Model):
    evaluation = models.ForeignKey(HarmonyEvaluation, models.CASCADE, related_name="scores")
    item = models.ForeignKey(ScoringItem, models.PROTECT, related_name="+")
    item_name = models.CharField("评分项目", max_length=200)
    max_points = models.PositiveSmallIntegerField("分值")
    points = models.DecimalField("自评分", max_digits=5, decimal_places=1)

    class Meta:
        ordering = ["item__order", "item__code"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "item"], name="harmony_score_once")
        ]

    def __str__(self) -> str:
        return f"{self.item_name}：{self.points}"


class EvaluationDocument(models.Model):
    evaluation = models.ForeignKey(HarmonyEvaluation, models.CASCADE, related_name="documents")
    kind = models.ForeignKey(DocumentKind, models.PROTECT, related_name="+", verbose_name="材料")
    file = models.FileField("文件", upload_to="harmony/evaluations/%Y/%m/")
    original_name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        ordering = ["kind__order", "id"]

    def __str__(self) -> str:
        return self.original_name
