"""Collective labour relations: unions, collective bargaining and contracts, workers' congresses,
open factory affairs, tripartite meetings and employment filing (rules §7, §5).

Every record names the district-level ``unit`` that handles it (the scope of its readers). What
the indicators count "as of a day" is stored as dates, never as a flag that a later change would
overwrite: a union's ``established_on``/``dissolved_on``; a contract's ``effective_from``,
``expires_on``, ``objected_on`` and ``terminated_on``.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from yutong.core.cases import CaseEventBase
from yutong.core.models import OrgUnit
from yutong.registry.choices import Industry
from yutong.registry.models import Enterprise, IndustrialPark


class Scope(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    REGIONAL = "regional", "区域性"
    INDUSTRY = "industry", "行业性"


class ContractKind(models.TextChoices):
    GENERAL = "general", "综合性集体合同"
    WAGES = "wages", "工资专项集体合同"
    WOMEN = "women", "女职工权益保护专项集体合同"


def _created_by():
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
    )


# --- unions ------------------------------------------------------------------------------------
class Union(models.Model):
    """A grassroots union of one enterprise (基层工会), from establishment to dissolution."""

    # Where a township user finds this record (core.scope).
    scope_townships = ("enterprise__township",)

    class Form(models.TextChoices):
        COMMITTEE = "committee", "基层工会委员会"
        ORGANISER = "organiser", "工会组织员"

    enterprise = models.ForeignKey(
        Enterprise, models.PROTECT, related_name="+", verbose_name="企业"
    )
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name="所属区县")
    name = models.CharField("工会名称", max_length=200)
    form = models.CharField("组织形式", max_length=16, choices=Form.choices)
    established_on = models.DateField("成立日期")
    members = models.PositiveIntegerField("会员人数")
    chair = models.CharField("工会主席（组织员）", max_length=64)
    fulltime_staff = models.PositiveSmallIntegerField("专职工会工作人员", default=0)
    dues_rate = models.DecimalField("经费拨缴比例（%）", max_digits=5, decimal_places=2)
    monthly_dues = models.DecimalField(
        "月拨缴经费（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    dissolved_on = models.DateField("撤销日期", null=True, blank=True)
    dissolution_reason = models.CharField("撤销原因", max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = _created_by()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-established_on", "id"]
        verbose_name = "工会组织"
        verbose_name_plural = verbose_name
        constraints = [
            # One union in being per enterprise; it also serves the to-do lists' NOT EXISTS.
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(dissolved_on__isnull=True),
                name="union_one_active_per_enterprise",
            ),
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(dissolved_on__gte=models.F("established_on")),
                name="union_dissolved_after_established",
            ),
            models.CheckConstraint(
                condition=Q(dues_rate__gte=0) & Q(dues_rate__lte=100), name="union_dues_rate"
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "established_on"], name="union_enterprise_day"),
            models.Index(fields=["unit", "dissolved_on", "id"], name="union_unit_active"),
            # The kept indicator counts find the unions founded or dissolved on a day.
            models.Index(fields=["established_on"], name="union_established"),
            models.Index(fields=["dissolved_on"], name="union_dissolved"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None


# --- collective bargaining ---------------------------------------------------------------------
class CollectiveBargaining(models.Model):
    """A request to bargain (集体协商要求) and the talks that follow it, for one enterprise."""

    # Where a township user finds this record (core.scope).
    scope_townships = ("enterprise__township",)

    class Party(models.TextChoices):
        UNION = "union", "职工方（工会）"
        EMPLOYER = "employer", "企业方"

    class Status(models.TextChoices):
        REQUESTED = "requested", "待答复"
        IN_TALKS = "in_talks", "协商中"
        SUSPENDED = "suspended", "协商中止"
        CONCLUDED = "concluded", "达成一致"
        FAILED = "failed", "未达成一致"

    OPEN_STATUSES = (Status.REQUESTED, Status.IN_TALKS, Status.SUSPENDED)

    enterprise = models.ForeignKey(
        Enterprise, models.PROTECT, related_name="+", verbose_name="企业"
    )
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name="所属区县")
    union = models.ForeignKey(
        Union, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="工会"
    )
    topic = models.CharField("协商内容", max_length=16, choices=ContractKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    requested_by = models.CharField("提出方", max_length=16, choices=Party.choices)
    requested_on = models.DateField("提出日期")
    reply_due_on = models.DateField("答复期限", db_index=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    reply = models.CharField("书面答复", max_length=500, blank=True)
    resume_by = models.DateField("中止后恢复协商期限", null=True, blank=True)
    concluded_on = models.DateField("结束日期", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.REQUESTED
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = _created_by()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-requested_on", "-id"]
        verbose_name = "集体协商"
        verbose_name_plural = verbose_name
        indexes = [
            models.Index(fields=["unit", "status", "reply_due_on"], name="bargaining_unit_queue"),
            models.Index(
                fields=["enterprise", "topic", "year", "status"], name="bargaining_yearly"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise.name} {self.year} 年{self.get_topic_display()}协商"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class BargainingRound(models.Model):
    class Outcome(models.TextChoices):
        CONTINUE = "continue", "继续协商"
        SUSPEND = "suspend", "中止协商"
        AGREE = "agree", "达成一致"
        FAIL = "fail", "未达成一致、终止协商"

    bargaining = models.ForeignKey(
        CollectiveBargaining, models.CASCADE, related_name="rounds", verbose_name="集体协商"
    )
    number = models.PositiveSmallIntegerField("轮次")
    held_on = models.DateField("协商日期")
    summary = models.CharField("协商纪要", max_length=1000)
    outcome = models.CharField("结果", max_length=16, choices=Outcome.choices)
    resume_by = models.DateField("恢复协商期限", null=True, blank=True)
    recorded_by = _created_by()

    class Meta:
        ordering = ["number"]
        verbose_name = "协商轮次"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["bargaining", "number"], name="bargaining_round_once")
        ]

    def __str__(self) -> str:
        return f"第 {self.number} 轮"


class BargainingEvent(CaseEventBase):
    case = models.ForeignKey(CollectiveBargaining, models.CASCADE, related_name="events")


# --- collective contracts ----------------------------------------------------------------------
class CollectiveContract(models.Model):
    """An enterprise's own collective contract, or a regional or industry-wide one that covers a
    list of enterprises. From draft to effect (rules §7): workers' congress approval, signature,
    filing within 10 days, a 15-day review ending in effect or objection; a 1-3 year term."""

    # Where a township user finds this record (core.scope).
    scope_townships = ("enterprise__township", "region")

    class Stage(models.TextChoices):
        DRAFT = "draft", "草案"
        ADOPTED = "adopted", "职代会已通过"
        SIGNED = "signed", "已签订"
        FILED = "filed", "已报送"
        OBJECTED = "objected", "审查有异议"
        TERMINATED = "terminated", "已终止"

    class Status(models.TextChoices):
        """The state on a given day: the stage plus what the dates say (effect, expiry)."""

        DRAFT = "draft", "草案"
        ADOPTED = "adopted", "职代会已通过"
        SIGNED = "signed", "已签订待报送"
        UNDER_REVIEW = "under_review", "审查中"
        EFFECTIVE = "effective", "生效中"
        OBJECTED = "objected", "审查有异议"
        EXPIRED = "expired", "已到期"
        TERMINATED = "terminated", "已终止"

    scope = models.CharField("类型", max_length=16, choices=Scope.choices)
    kind = models.CharField("合同种类", max_length=16, choices=ContractKind.choices)
    title = models.CharField("合同名称", max_length=200)
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name="所属区县")
    enterprise = models.ForeignKey(
        Enterprise,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="企业（企业合同）",
    )
    region = models.ForeignKey(
        OrgUnit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="区域（镇街或区县）",
    )
    industry = models.CharField("行业门类", max_length=1, choices=Industry.choices, blank=True)
    union = models.ForeignKey(
        Union, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="工会"
    )
    bargaining = models.ForeignKey(
        CollectiveBargaining,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name="集体协商",
    )
    previous = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="renewals",
        verbose_name="续订自",
    )
    covered_enterprises = models.ManyToManyField(
        Enterprise, through="ContractCoverage", related_name="+", verbose_name="覆盖企业"
    )
    employees_covered = models.PositiveIntegerField("覆盖职工人数", default=0)
    term_start = models.DateField("期限起始日")
    expires_on = models.DateField("期限届满日")
    congress_total = models.PositiveIntegerField("职工代表（职工）总数", null=True, blank=True)
    congress_attending = models.PositiveIntegerField("出席人数", null=True, blank=True)
    congress_approving = models.PositiveIntegerField("同意人数", null=True, blank=True)
    adopted_on = models.DateField("职代会通过日期", null=True, blank=True)
    signed_on = models.DateField("签字日期", null=True, blank=True)
    filing_due_on = models.DateField("报送期限", null=True, blank=True)
    filing_venue = models.ForeignKey(
        OrgUnit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="报送机关"
    )
    filed_on = models.DateField("报送日期", null=True, blank=True)
    # Filed after the 10-day window (集体合同规定 Art.42): still received and reviewed, the lateness
    # is a compliance fact counted on its own.
    filed_late = models.BooleanField("逾期报送", default=False, db_default=False)
    review_due_on = models.DateField("审查期限", null=True, blank=True)
    objected_on = models.DateField("提出异议日期", null=True, blank=True)
    objection_reason = models.CharField("异议理由", max_length=1000, blank=True)
    effective_from = models.DateField("生效日期", null=True, blank=True)
    # Within 10 days of effect the contract is published to all staff (重庆条例 Art.29).
    publication_due_on = models.DateField("公布期限", null=True, blank=True)
    terminated_on = models.DateField("终止日期", null=True, blank=True)
    termination_reason = models.CharField("终止原因", max_length=300, blank=True)
    stage = models.CharField("办理阶段", max_length=16, choices=Stage.choices, default="draft")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = _created_by()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "集体合同"
        verbose_name_plural = verbose_name
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("term_start")), name="contract_term_positive"
            ),
            models.CheckConstraint(
                condition=~Q(scope="enterprise") | Q(enterprise__isnull=False),
                name="contract_enterprise_scope_has_enterprise",
            ),
            models.CheckConstraint(
                condition=~Q(scope="regional") | Q(region__isnull=False),
                name="contract_regional_scope_has_region",
            ),
            models.CheckConstraint(
                condition=~Q(scope="industry") | ~Q(industry=""),
                name="contract_industry_scope_has_industry",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "stage", "id"], name="contract_unit_stage"),
            models.Index(fields=["stage", "filing_due_on"], name="contract_filing_due"),
            models.Index(fields=["effective_from", "expires_on"], name="contract_in_force"),
            models.Index(fields=["expires_on"], name="contract_expiry"),
            models.Index(fields=["terminated_on"], name="contract_terminated"),
            models.Index(fields=["publication_due_on"], name="contract_publication_due"),
        ]

    def __str__(self) -> str:
        return self.title

    def status_on(self, day: date) -> str:
        """What the contract is on ``day``, from its stage and dates (no job flips a flag)."""
        S = self.Status
        if self.terminated_on is not None and self.terminated_on <= day:
            return S.TERMINATED
        if self.stage == self.Stage.OBJECTED:
            return S.OBJECTED
        if self.effective_from is not None and self.effective_from <= day:
            return S.EFFECTIVE if day <= self.expires_on else S.EXPIRED
        if self.stage == self.Stage.FILED:
            return S.UNDER_REVIEW
        return {
            self.Stage.DRAFT: S.DRAFT,
            self.Stage.ADOPTED: S.ADOPTED,
            self.Stage.SIGNED: S.SIGNED,
        }.get(self.stage, S.TERMINATED)

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    def get_status_display(self) -> str:
        return self.Status(self.status).label


class ContractCoverage(models.Model):
    """One enterprise covered by a contract: what the indicator's EXISTS looks up."""

    contract = models.ForeignKey(CollectiveContract, models.CASCADE, related_name="coverage")
    enterprise = models.ForeignKey(Enterprise, models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "集体合同覆盖企业"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["contract", "enterprise"], name="coverage_once")
        ]
        indexes = [models.Index(fields=["enterprise", "contract"], name="coverage_enterprise")]

    def __str__(self) -> str:
        return f"{self.contract_id}: {self.enterprise_id}"


class ContractEvent(CaseEventBase):
    case = models.ForeignKey(CollectiveContract, models.CASCADE, related_name="events")


# --- workers' congresses and open factory affairs ----------------------------------------------


class WorkersCongress(models.Model):
    """An enterprise's workers' congress (or all-staff meeting), or a regional or industry
    congress where small firms cluster, covering a list of enterprises."""

    # Where a township user finds this record (core.scope).
    scope_townships = ("enterprise__township", "region")

    class Form(models.TextChoices):
        CONGRESS = "congress", "职工代表大会"
        ALL_STAFF = "all_staff", "职工大会"

    scope = models.CharField("类型", max_length=16, choices=Scope.choices)
    form = models.CharField("形式", max_length=16, choices=Form.choices)
    name = models.CharField("名称", max_length=200)
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name="所属区县")
    enterprise = models.ForeignKey(
        Enterprise, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="企业"
    )
    region = models.ForeignKey(
        OrgUnit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="区域"
    )
    industry = models.CharField("行业门类", max_length=1, choices=Industry.choices, blank=True)
    covered_enterprises = models.ManyToManyField(
        Enterprise, through="CongressCoverage", related_name="+", verbose_name="覆盖企业"
    )
    established_on = models.DateField("建立日期")
    staff_count = models.PositiveIntegerField("职工人数")
    delegates = models.PositiveIntegerField("职工代表人数")
    dissolved_on = models.DateField("撤销日期", null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = _created_by()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-established_on", "id"]
        verbose_name = "职工代表大会"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["unit", "dissolved_on", "id"], name="congress_unit")]

    def __str__(self) -> str:
        return self.name


class CongressCoverage(models.Model):
    congress = models.ForeignKey(WorkersCongress, models.CASCADE, related_name="coverage")
    enterprise = models.ForeignKey(Enterprise, models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["congress", "enterprise"], name="congress_cover_once")
        ]
        indexes = [models.Index(fields=["enterprise"], name="congress_cover_enterprise")]

    def __str__(self) -> str:
        return f"{self.congress_id}: {self.enterprise_id}"


class CongressSession(models.Model):
    congress = models.ForeignKey(
        WorkersCongress, models.CASCADE, related_name="sessions", verbose_name="职代会"
    )
    held_on = models.DateField("召开日期")
    year = models.PositiveSmallIntegerField("年度")
    delegates_total = models.PositiveIntegerField("应到代表")
    attending = models.PositiveIntegerField("实到代表")
    agenda = models.CharField("议题", max_length=1000)
    resolutions = models.CharField("决议事项", max_length=1000, blank=True)
    recorded_by = _created_by()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = "职代会会议"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["congress", "year"], name="congress_session_year")]

    def __str__(self) -> str:
        return f"{self.congress.name} {self.held_on}"


class AffairsDisclosure(models.Model):
    """One item of open factory affairs (厂务公开), e.g. the publication of a collective contract
    within 10 days of its effect (重庆市集体合同条例 Art.29)."""

    # Where a township user finds this record (core.scope).
    scope_townships = ("enterprise__township",)

    class Category(models.TextChoices):
        COLLECTIVE_CONTRACT = "collective_contract", "集体合同文本"
        CONTRACT_PERFORMANCE = "contract_performance", "集体合同履行情况"
        WAGES = "wages", "工资分配"
        SOCIAL_INSURANCE = "social_insurance", "社会保险缴纳"
        SAFETY = "safety", "劳动安全卫生"
        MAJOR_DECISION = "major_decision", "重大事项决策"
        OTHER = "other", "其他"

    class Channel(models.TextChoices):
        NOTICE_BOARD = "notice_board", "厂务公开栏"
        CONGRESS = "congress", "职代会"
        INTRANET = "intranet", "企业内网"
        MEETING = "meeting", "职工会议"
        OTHER = "other", "其他"

    enterprise = models.ForeignKey(
        Enterprise, models.PROTECT, related_name="+", verbose_name="企业"
    )
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name="所属区县")
    contract = models.ForeignKey(
        CollectiveContract,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="disclosures",
        verbose_name="集体合同",
    )
    category = models.CharField("公开内容", max_length=24, choices=Category.choices)
    channel = models.CharField("公开方式", max_length=16, choices=Channel.choices)
    disclosed_on = models.DateField("公开日期")
    title = models.CharField("标题", max_length=200)
    content = models.CharField("内容摘要", max_length=2000, blank=True)
    created_by = _created_by()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-disclosed_on", "-id"]
        verbose_name = "厂务公开"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["unit", "disclosed_on"], name="disclosure_unit_day")]

    def __str__(self) -> str:
        return self.title


# --- tripartite meetings -----------------------------------------------------------------------
class Body(models.TextChoices):
    """The four bodies of the tripartite mechanism (the plan's issuers)."""

    HRSS = "hrss", "人力资源和社会保障局"
    TRADE_UNION = "trade_union", "总工会"
    ENTERPRISE_CONFEDERATION = "enterprise_confederation", "企业联合会"
    COMMERCE_FEDERATION = "commerce_federation", "工商业联合会"


class TripartiteMeeting(models.Model):
    """A meeting of a tripartite body: city, district, park, township (镇街) or industry level
    (三方机制向园区、镇街和产业延伸). An industry body sits at city or district level (``unit``)
    and names its industry; a township body names its township, and ``unit`` is its district."""

    # Where a township user finds this record (core.scope).
    scope_townships = ("park__township", "township")

    class Level(models.TextChoices):
        CITY = "city", "市级"
        DISTRICT = "district", "区县级"
        PARK = "park", "园区"
        TOWNSHIP = "township", "镇街"
        INDUSTRY = "industry", "行业"

    level = models.CharField("层级", max_length=16, choices=Level.choices)
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name="单位")
    park = models.ForeignKey(
        IndustrialPark, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="园区"
    )
    township = models.ForeignKey(
        OrgUnit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="镇街"
    )
    industry = models.CharField("行业门类", max_length=1, choices=Industry.choices, blank=True)
    held_on = models.DateField("会议日期")
    title = models.CharField("会议名称", max_length=200)
    agenda = models.CharField("议题", max_length=2000)
    decisions = models.CharField("议定事项", max_length=2000)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = _created_by()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = "协调劳动关系三方会议"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["unit", "held_on"], name="tripartite_unit_day")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(level="township") | Q(township__isnull=False),
                name="tripartite_township_level_has_township",
            ),
            models.CheckConstraint(
                condition=~Q(level="industry") | ~Q(industry=""),
                name="tripartite_industry_level_has_industry",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def place(self) -> str:
        """Where the body sits, as the lists print it."""
        if self.park_id:
            return self.park.name
        if self.township_id:
            return self.township.name
        if self.industry:
            return f"{self.unit.name} · {self.get_industry_display()}"
        return self.unit.name


class TripartiteParticipant(models.Model):
    meeting = models.ForeignKey(TripartiteMeeting, models.CASCADE, related_name="participants")
    body = models.CharField("单位", max_length=32, choices=Body.choices)
    name = models.CharField("姓名", max_length=64)
    position = models.CharField("职务", max_length=64, blank=True)

    class Meta:
        ordering = ["body", "id"]
        verbose_name = "参会人员"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.name


class FollowUpItem(models.Model):
    """A decision's follow-up: who does what by when; overdue is a filter on the stored dates."""

    # Where a township user finds this record (core.scope).
    scope_townships = ("meeting__park__township", "meeting__township")

    meeting = models.ForeignKey(
        TripartiteMeeting, models.CASCADE, related_name="follow_ups", verbose_name="会议"
    )
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name="单位")
    task = models.CharField("督办事项", max_length=500)
    owner_body = models.CharField("牵头单位", max_length=32, choices=Body.choices)
    owner_name = models.CharField("责任人", max_length=64)
    due_on = models.DateField("完成期限")
    done_on = models.DateField("完成日期", null=True, blank=True)
    result = models.CharField("办理结果", max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = "督办事项"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["unit", "done_on", "due_on"], name="followup_queue")]

    def __str__(self) -> str:
        return self.task


# --- employment filing -------------------------------------------------------------------------
class EmploymentFiling(models.Model):
    """An enterprise's employment filing (用工备案) for one month."""

    # Where a township user finds this record (core.scope).
    scope_townships = ("enterprise__township",)

    enterprise = models.ForeignKey(
        Enterprise, models.PROTECT, related_name="+", verbose_name="企业"
    )
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name="所属区县")
    period = models.DateField("备案期间", help_text="the month, stored as its first day")
    employees = models.PositiveIntegerField("直接用工人数")
    contracted = models.PositiveIntegerField("已签劳动合同人数")
    dispatched = models.PositiveIntegerField("劳务派遣用工人数", default=0)
    insured = models.PositiveIntegerField("参加社会保险人数")
    # Stored (not only computed) so that the flag filters from an index on a city-wide list.
    dispatch_over_cap = models.BooleanField("派遣用工超比例", default=False)
    filed_on = models.DateField("备案日期")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = _created_by()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-period", "enterprise__name", "id"]
        verbose_name = "用工备案"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "period"], name="filing_once_per_month"),
            models.CheckConstraint(
                condition=Q(contracted__lte=models.F("employees")),
                name="filing_contracted_within_employees",
            ),
            models.CheckConstraint(
                condition=Q(insured__lte=models.F("employees")),
                name="filing_insured_within_employees",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "period", "id"], name="filing_unit_period"),
            models.Index(fields=["period", "dispatch_over_cap"], name="filing_period_cap"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise.name} {self.period:%Y-%m}"

    @property
    def signing_rate(self):
        return None if not self.employees else self.contracted / self.employees

    @property
    def dispatch_share(self):
        total = self.contracted + self.dispatched
        return None if not total else self.dispatched / total
