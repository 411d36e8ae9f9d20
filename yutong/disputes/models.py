"""Labour and personnel disputes: the bodies that handle them, the dispute as registered
(parties, claims, facts), and the mediation and arbitration cases that work on it."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from yutong.core.cases import CaseBase, CaseEventBase, ClockChangeBase
from yutong.core.models import OrgUnit
from yutong.core.money import yuan
from yutong.core.personal import EncryptedTextField
from yutong.registry.models import Enterprise, IndustrialPark

COLLECTIVE_THRESHOLD = 10  # 调解仲裁法 Art.7: ten or more workers with a common claim


# --- the bodies ----------------------------------------------------------------------------


class MediationBody(models.Model):
    # Where a township user finds this record (core.scope).
    scope_townships = ("township",)

    class Kind(models.TextChoices):
        ENTERPRISE_COMMITTEE = "enterprise_committee", "企业劳动争议调解委员会"
        TOWNSHIP = "township", "乡镇（街道）劳动争议调解组织"
        PARK = "park", "园区劳动争议调解组织"
        INDUSTRY = "industry", "行业性劳动争议调解组织"
        PEOPLES = "peoples", "基层人民调解组织"
        JOINT_CENTRE = "joint_centre", "新就业形态劳动纠纷一站式调解中心"

    code = models.CharField("编号", max_length=24, unique=True)
    name = models.CharField("名称", max_length=128)
    kind = models.CharField("类型", max_length=24, choices=Kind.choices)
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name="所属区县")
    township = models.ForeignKey(
        OrgUnit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="所属镇街"
    )
    enterprise = models.ForeignKey(
        Enterprise, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="所属企业"
    )
    park = models.ForeignKey(
        IndustrialPark,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="所属园区",
    )
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        ordering = ["unit__code", "name"]
        verbose_name = "调解组织"
        verbose_name_plural = verbose_name
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="enterprise_committee") | Q(enterprise__isnull=False),
                name="enterprise_committee_has_enterprise",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Mediator(models.Model):
    # Where a township user finds this record (core.scope).
    scope_townships = ("body__township",)

    body = models.ForeignKey(
        MediationBody, models.PROTECT, related_name="mediators", verbose_name="调解组织"
    )
    name = models.CharField("姓名", max_length=64)
    phone = EncryptedTextField("联系电话", blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="平台账号",
    )
    is_active = models.BooleanField("在岗", default=True)

    class Meta:
        ordering = ["body", "name"]
        verbose_name = "调解员"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.name


class Lawyer(models.Model):
    """The pool of lawyers who support mediation (公益律师)."""

    name = models.CharField("姓名", max_length=64)
    firm = models.CharField("律师事务所", max_length=128)
    phone = EncryptedTextField("联系电话", blank=True)
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name="服务区县")
    is_active = models.BooleanField("在库", default=True)

    class Meta:
        ordering = ["unit__code", "name"]
        verbose_name = "律师"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.name}（{self.firm}）"


class ArbitrationCommission(models.Model):
    code = models.CharField("编号", max_length=24, unique=True)
    name = models.CharField("名称", max_length=128)
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name="所在单位")
    short_name = models.CharField("案号简称", max_length=16, help_text="如“渝中劳人仲”")
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        ordering = ["unit__code"]
        verbose_name = "劳动人事争议仲裁委员会"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.name


class Arbitrator(models.Model):
    class Role(models.TextChoices):
        ARBITRATOR = "arbitrator", "仲裁员"
        CLERK = "clerk", "书记员"

    commission = models.ForeignKey(
        ArbitrationCommission, models.PROTECT, related_name="arbitrators", verbose_name="仲裁委员会"
    )
    name = models.CharField("姓名", max_length=64)
    role = models.CharField("身份", max_length=16, choices=Role.choices, default=Role.ARBITRATOR)
    is_full_time = models.BooleanField("专职", default=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="平台账号",
    )
    is_active = models.BooleanField("在岗", default=True)

    class Meta:
        ordering = ["commission", "role", "name"]
        verbose_name = "仲裁员"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.name


# --- the dispute as registered ---------------------------------------------------------------


class ClaimType(models.Model):
    """The dictionary of claim types; ``category`` decides the final-award test (rules §1.4)."""

    class Category(models.TextChoices):
        REMUNERATION = "remuneration", "劳动报酬"
        COMPENSATION = "compensation", "经济补偿"
        DAMAGES = "damages", "赔偿金"
        WORK_INJURY_MEDICAL = "work_injury_medical", "工伤医疗费"
        WORKING_TIME = "working_time", "工作时间、休息休假"
        SOCIAL_INSURANCE = "social_insurance", "社会保险"
        OTHER = "other", "其他"

    code = models.CharField("代码", max_length=32, primary_key=True)
    name = models.CharField("名称", max_length=64)
    category = models.CharField("类别", max_length=24, choices=Category.choices)
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort", "code"]
        verbose_name = "请求事项类型"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.name


class Dispute(models.Model):
    """Who claims what from whom: shared by the mediation and arbitration cases of a matter."""

    # Where a township user finds this record (core.scope).
    scope_townships = ("employer__township",)

    class Channel(models.TextChoices):
        STAFF = "staff", "窗口登记"
        ONLINE = "online", "网上申请"
        TRANSFER = "transfer", "移送"

    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name="登记单位")
    channel = models.CharField("来源", max_length=16, choices=Channel.choices)
    employer = models.ForeignKey(
        Enterprise, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="用人单位"
    )
    employer_name = models.CharField("用人单位名称", max_length=200)
    employer_uscc = models.CharField("用人单位信用代码", max_length=18, blank=True)
    facts = models.TextField("事实与理由")
    is_collective = models.BooleanField("集体争议", default=False)
    workers_count = models.PositiveIntegerField("劳动者人数", default=1)
    registered_at = models.DateTimeField("登记时间", default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
    )

    class Meta:
        ordering = ["-registered_at", "-id"]
        verbose_name = "劳动人事争议"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["unit", "registered_at"])]

    def __str__(self) -> str:
        return f"{self.employer_name}（{self.workers_count} 人）"


class DisputeWorker(models.Model):
    dispute = models.ForeignKey(Dispute, models.CASCADE, related_name="workers")
    name = models.CharField("姓名", max_length=64)
    resident_id = EncryptedTextField("公民身份号码")
    resident_id_hash = models.CharField(max_length=40, db_index=True, editable=False)
    phone = EncryptedTextField("联系电话", blank=True)
    is_representative = models.BooleanField("代表人", default=False)

    class Meta:
        ordering = ["id"]
        verbose_name = "劳动者"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.name


class ClaimQuerySet(models.QuerySet):
    def active(self):
        """The claims as they stand: withdrawn ones stay on record but are no longer decided."""
        return self.filter(withdrawn_on__isnull=True)


class Claim(models.Model):
    """One claim of a dispute. Claims are added, changed or withdrawn on an open case
    (``services.change_claims``); a withdrawn claim keeps its row, marked ``withdrawn_on``."""

    dispute = models.ForeignKey(Dispute, models.CASCADE, related_name="claims")
    claim_type = models.ForeignKey(
        ClaimType, models.PROTECT, related_name="+", verbose_name="请求事项"
    )
    amount = models.DecimalField(
        "金额（元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    description = models.CharField("说明", max_length=300, blank=True)
    withdrawn_on = models.DateField("撤回日期", null=True, blank=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = "请求事项"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        amount = "—" if self.amount is None else f"{yuan(self.amount)} 元"
        return f"{self.claim_type}：{amount}"


# --- mediation -------------------------------------------------------------------------------


class MediationCase(CaseBase):
    # Where a township user finds this record (core.scope).
    scope_townships = ("body__township", "dispute__employer__township")

    class Status(models.TextChoices):
        RECEIVED = "received", "已收到"
        MEDIATING = "mediating", "调解中"
        CLOSED = "closed", "已结案"

    class Closure(models.TextChoices):
        AGREEMENT = "agreement", "达成调解协议"
        SETTLEMENT = "settlement", "达成和解"
        NO_AGREEMENT = "no_agreement", "未达成调解协议"
        WITHDRAWN = "withdrawn", "申请人撤回"

    dispute = models.ForeignKey(Dispute, models.PROTECT, related_name="mediation_cases")
    body = models.ForeignKey(
        MediationBody, models.PROTECT, related_name="cases", verbose_name="调解组织"
    )
    mediator = models.ForeignKey(
        Mediator, models.PROTECT, null=True, blank=True, related_name="cases", verbose_name="调解员"
    )
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    closure = models.CharField("结案方式", max_length=24, choices=Closure.choices, blank=True)
    agreement_text = models.TextField("调解协议内容", blank=True)
    agreed_amount = models.DecimalField(
        "协议金额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = "调解案件"
        verbose_name_plural = verbose_name
        indexes = [
            models.Index(fields=["unit", "ended_on", "due_on"], name="mediation_queue"),
            models.Index(fields=["closed_on", "closure"], name="mediation_closures"),
            models.Index(fields=["assigned_to", "ended_on"], name="mediation_mine"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True, closure="")
                | (Q(closed_on__isnull=False) & ~Q(closure="")),
                name="mediation_closed_has_closure",
            ),
        ]

    def __str__(self) -> str:
        return f"调解 {self.pk} · {self.dispute.employer_name}"


class MediationEvent(CaseEventBase):
    case = models.ForeignKey(MediationCase, models.CASCADE, related_name="events")


class MediationClockChange(ClockChangeBase):
    case = models.ForeignKey(MediationCase, models.CASCADE, related_name="clock_changes")


# --- arbitration -----------------------------------------------------------------------------


class ArbitrationCase(CaseBase):
    # Where a township user finds this record (core.scope).
    scope_townships = ("dispute__employer__township",)

    class Status(models.TextChoices):
        RECEIVED = "received", "待审查"
        MATERIALS_REQUESTED = "materials_requested", "待补正材料"
        ACCEPTED = "accepted", "已受理"
        REFUSED = "refused", "不予受理"
        TRIBUNAL_FORMED = "tribunal_formed", "已组庭"
        HEARING_SCHEDULED = "hearing_scheduled", "已排期开庭"
        CLOSED = "closed", "已结案"

    class Closure(models.TextChoices):
        AWARD = "award", "裁决"
        MEDIATION_DOCUMENT = "mediation_document", "仲裁调解"
        WITHDRAWN = "withdrawn", "撤回申请"
        DEEMED_WITHDRAWN = "deemed_withdrawn", "按撤回申请处理"
        CANCELLED = "cancelled", "撤销案件"
        TERMINATED = "terminated", "终止审理"

    class Procedure(models.TextChoices):
        SIMPLIFIED = "simplified", "简易处理（独任）"
        ORDINARY = "ordinary", "普通程序（合议）"

    dispute = models.ForeignKey(Dispute, models.PROTECT, related_name="arbitration_cases")
    commission = models.ForeignKey(
        ArbitrationCommission, models.PROTECT, related_name="cases", verbose_name="仲裁委员会"
    )
    from_mediation = models.ForeignKey(
        MediationCase,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="arbitration_cases",
        verbose_name="转自调解案件",
    )
    number = models.CharField("案号", max_length=64, blank=True, db_index=True)
    status = models.CharField(
        "状态", max_length=24, choices=Status.choices, default=Status.RECEIVED
    )
    decision_due_on = models.DateField("受理审查期限", null=True, blank=True)
    refused_on = models.DateField("不予受理日期", null=True, blank=True)
    refusal_reason = models.CharField("不予受理理由", max_length=300, blank=True)
    procedure = models.CharField("程序", max_length=16, choices=Procedure.choices, blank=True)
    tribunal = models.ManyToManyField(
        Arbitrator, blank=True, related_name="cases", verbose_name="仲裁庭"
    )
    hearing_at = models.DateTimeField("开庭时间", null=True, blank=True)
    hearing_notified_on = models.DateField("开庭通知日期", null=True, blank=True)
    closure = models.CharField("结案方式", max_length=24, choices=Closure.choices, blank=True)
    closure_note = models.CharField("结案说明", max_length=300, blank=True)
    is_model_case = models.BooleanField("精品案例", default=False)
    summary = models.TextField("裁决要旨", blank=True)
    # Chinese text is not split into words; the guidance search matches jieba tokens kept here.
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = "仲裁案件"
        verbose_name_plural = verbose_name
        indexes = [
            models.Index(fields=["unit", "ended_on", "due_on"], name="arbitration_queue"),
            models.Index(fields=["closed_on", "closure"], name="arbitration_closures"),
            models.Index(fields=["accepted_on"], name="arbitration_accepted"),
            models.Index(fields=["assigned_to", "ended_on"], name="arbitration_mine"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True, closure="")
                | (Q(closed_on__isnull=False) & ~Q(closure="")),
                name="arbitration_closed_has_closure",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"仲裁 {self.pk}"


class AwardItem(models.Model):
    """One claim's outcome in an award, with the final-award test applied per item."""

    case = models.ForeignKey(ArbitrationCase, models.CASCADE, related_name="award_items")
    claim = models.ForeignKey(Claim, models.PROTECT, related_name="+", verbose_name="请求事项")
    amount = models.DecimalField(
        "裁决金额（元）", max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    is_final = models.BooleanField("终局")
    final_basis = models.CharField("终局依据", max_length=300, blank=True)
    # Why the tribunal awarded more than was claimed: only for amounts the law computes
    # (services.COMPUTED_BY_LAW), and then required.
    over_claim_reason = models.CharField("超出请求金额的理由", max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "裁决事项"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.claim}：{yuan(self.amount)} 元（{'终局' if self.is_final else '非终局'}）"


class ArbitrationEvent(CaseEventBase):
    case = models.ForeignKey(ArbitrationCase, models.CASCADE, related_name="events")


class ArbitrationClockChange(ClockChangeBase):
    case = models.ForeignKey(ArbitrationCase, models.CASCADE, related_name="clock_changes")
