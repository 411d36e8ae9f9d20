"""Core records: org units over time, organisations, users and roles, audit and login logs,
dated parameters and import jobs. Every other app refers to these; they refer to no other app."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone


class OrgUnit(models.Model):
    """A node of the administrative tree: the city, a district-level unit, a township/street.

    Units are never edited into something else: a change of divisions ends a unit
    (``valid_to``) and names its ``successor``. ``current`` is the end of that chain, so a
    record that keeps the unit of its time can also be counted under today's unit.
    """

    class Level(models.TextChoices):
        CITY = "city", "市级"
        DISTRICT = "district", "区县级"
        TOWNSHIP = "township", "镇街"

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", "直辖市"
        DISTRICT = "district", "区"
        COUNTY = "county", "县"
        AUTONOMOUS_COUNTY = "autonomous_county", "自治县"
        FUNCTIONAL_ZONE = "functional_zone", "功能区"
        STREET = "street", "街道"
        TOWN = "town", "镇"
        TOWNSHIP = "township", "乡"

    code = models.CharField("代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=64)
    level = models.CharField("层级", max_length=16, choices=Level.choices)
    kind = models.CharField("类型", max_length=24, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name="上级"
    )
    path = models.CharField(max_length=128, db_index=True, editable=False)
    valid_from = models.DateField("生效日期", null=True, blank=True)
    valid_to = models.DateField("终止日期", null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name="承继单位",
    )
    current = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "行政单位"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["level", "code"])]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @property
    def is_current(self) -> bool:
        return self.valid_to is None or self.valid_to >= timezone.localdate()

    @classmethod
    def valid_on_q(cls, day: date, prefix: str = "") -> Q:
        return (
            Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})
        ) & (Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day}))


class Organisation(models.Model):
    """The body a user acts for: a bureau, the union federation, an enterprise, the public."""

    class Kind(models.TextChoices):
        HRSS_BUREAU = "hrss_bureau", "人力资源和社会保障局"
        TRADE_UNION = "trade_union", "总工会"
        ENTERPRISE_CONFEDERATION = "enterprise_confederation", "企业联合会"
        COMMERCE_FEDERATION = "commerce_federation", "工商业联合会"
        ENTERPRISE = "enterprise", "企业"
        PUBLIC = "public", "公众"

    name = models.CharField("名称", max_length=128)
    kind = models.CharField("类型", max_length=32, choices=Kind.choices)
    unit = models.ForeignKey(
        OrgUnit, models.PROTECT, related_name="organisations", verbose_name="所属单位"
    )
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True, db_index=True)

    class Meta:
        ordering = ["unit__code", "kind", "name"]
        verbose_name = "机构"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "unit", "name"], name="organisation_unique_name"
            ),
            models.CheckConstraint(
                condition=~Q(kind="enterprise") | ~Q(uscc=""),
                name="enterprise_organisation_has_uscc",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.Model):
    """A role code from the fixed list in ``yutong.core.roles``; rows are seeded by migration."""

    code = models.CharField("代码", max_length=32, primary_key=True)
    name = models.CharField("名称", max_length=32)
    # Administrators choose which roles must sign in with a one-time code too (core/twofactor.py);
    # administrators and auditors always must.
    requires_two_factor = models.BooleanField("须两步验证", default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = "角色"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name="机构",
    )
    unit = models.ForeignKey(
        OrgUnit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name="所属单位",
    )
    roles = models.ManyToManyField(Role, blank=True, related_name="users", verbose_name="角色")
    display_name = models.CharField("姓名", max_length=64, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def role_codes(self) -> frozenset[str]:
        cached = getattr(self, "_role_codes", None)
        if cached is None:
            cached = (
                frozenset(self.roles.values_list("code", flat=True)) if self.pk else frozenset()
            )
            self._role_codes = cached
        return cached

    def has_role(self, *codes: str) -> bool:
        return bool(self.role_codes.intersection(codes))


class AppendOnlyQuerySet(models.QuerySet):
    """Logs are evidence: rows are added, never changed or removed through the ORM."""

    def update(self, **kwargs):
        raise PermissionError(f"{self.model._meta.label} rows are append-only")

    def delete(self):
        raise PermissionError(f"{self.model._meta.label} rows are append-only")


class AuditEntry(models.Model):
    """Who changed what, when, from what to what. Append-only: rows are never updated or deleted."""

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="操作人"
    )
    actor_username = models.CharField("操作账号", max_length=150, blank=True)
    action = models.CharField("操作", max_length=64)
    object_type = models.CharField("对象类型", max_length=64)
    object_id = models.CharField("对象编号", max_length=64)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    unit = models.ForeignKey(
        OrgUnit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="单位"
    )
    changes = models.JSONField("变更", default=dict)
    request_id = models.CharField("请求编号", max_length=36, blank=True)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "审计记录"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["object_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.actor_username} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit entries are append-only")


class LoginEvent(models.Model):
    class Kind(models.TextChoices):
        SUCCESS = "success", "登录成功"
        FAILURE = "failure", "密码错误"
        # the password was right and the one-time code wrong: a sign the password is known
        OTP_FAILURE = "otp_failure", "动态验证码错误"
        LOCKOUT = "lockout", "账号锁定"
        LOCKED = "locked", "锁定期间尝试"
        THROTTLED = "throttled", "地址限流"
        UNLOCK = "unlock", "管理员解锁"
        LOGOUT = "logout", "退出登录"

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    username = models.CharField("账号", max_length=150, db_index=True)
    user = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="+")
    kind = models.CharField("结果", max_length=16, choices=Kind.choices)
    channel = models.CharField("渠道", max_length=8, default="ui")
    ip = models.GenericIPAddressField("IP", null=True, blank=True)
    request_id = models.CharField("请求编号", max_length=36, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "登录日志"
        verbose_name_plural = verbose_name
        indexes = [
            models.Index(fields=["username", "kind", "at"]),
            models.Index(fields=["ip", "kind", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.kind}"


class PasswordHistory(models.Model):
    """The hashes of a user's recent passwords, so that an old one is not chosen again."""

    user = models.ForeignKey(User, models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "历史密码"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.user_id}@{self.at:%Y-%m-%d}"


class DatedParameter(models.Model):
    """A value the law sets and changes (minimum wage, average wage, time limits, thresholds).

    The value in force on a day is the row with the latest ``valid_from`` on or before it,
    for the most specific unit that has one (the unit, then its parents, then the city-wide row).
    """

    code = models.CharField("参数代码", max_length=64)
    unit = models.ForeignKey(
        OrgUnit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="适用单位"
    )
    valid_from = models.DateField("生效日期")
    value = models.DecimalField("数值", max_digits=14, decimal_places=4)
    source = models.CharField("依据", max_length=200)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        ordering = ["code", "unit__code", "-valid_from"]
        verbose_name = "时效参数"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["code", "unit", "valid_from"], name="parameter_unique_per_day"
            ),
            models.UniqueConstraint(
                fields=["code", "valid_from"],
                condition=Q(unit__isnull=True),
                name="parameter_unique_citywide_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}@{self.valid_from}"


class ImportJob(models.Model):
    """One uploaded spreadsheet: checked into a row-by-row report, then committed all or nothing."""

    class Status(models.TextChoices):
        CHECKING = "checking", "校验中"
        INVALID = "invalid", "校验未通过"
        READY = "ready", "待确认导入"
        COMMITTING = "committing", "导入中"
        DONE = "done", "已导入"
        FAILED = "failed", "导入失败"
        CANCELLED = "cancelled", "已取消"
        INTERRUPTED = "interrupted", "已中断（可重试）"

    kind = models.CharField("导入类型", max_length=32)
    created_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name="上传人")
    created_at = models.DateTimeField("上传时间", default=timezone.now)
    file = models.FileField("文件", upload_to="imports/%Y/%m/")
    original_name = models.CharField("文件名", max_length=200)
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.CHECKING
    )
    total_rows = models.PositiveIntegerField("总行数", default=0)
    processed_rows = models.PositiveIntegerField("已处理", default=0)
    error_count = models.PositiveIntegerField("错误数", default=0)
    error_rows = models.PositiveIntegerField("有错误的行数", default=0)
    errors = models.JSONField("错误明细", default=list)
    # Notices about the sheet that are not errors (columns the importer ignores).
    notes = models.JSONField("提示", default=list, blank=True)
    created_count = models.PositiveIntegerField("新增数", default=0)
    message = models.CharField("说明", max_length=300, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    # A check or commit in the background holds a lease: past it, nobody is working on the job
    # and ``imports.reclaim_stale`` takes it back. ``attempts`` numbers the runs, so a run that
    # was given up on cannot write over its successor's result.
    lease_until = models.DateTimeField("租约到期", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    # When a worker took the current run (one conditional UPDATE: of two workers handed the
    # same run, one claims it). Cleared when the job is queued again.
    claimed_at = models.DateTimeField("开始处理", null=True, blank=True)
    # When the job was last interrupted: ``imports.sweep`` ends it IMPORT_RETRY_HOURS later.
    interrupted_at = models.DateTimeField("中断时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "lease_until"], name="importjob_status_lease")]
        verbose_name = "导入任务"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.original_name

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 0 if self.status in (self.Status.CHECKING, self.Status.COMMITTING) else 100
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.COMMITTING)

    @property
    def is_stale(self) -> bool:
        """Running, but its lease ran out: the worker died or never started."""
        return (
            self.is_running and self.lease_until is not None and self.lease_until < timezone.now()
        )

    @property
    def can_retry(self) -> bool:
        return self.status == self.Status.INTERRUPTED or self.is_stale

    @property
    def can_cancel(self) -> bool:
        return self.status in (
            self.Status.READY,
            self.Status.INVALID,
            self.Status.CHECKING,
            self.Status.COMMITTING,
            self.Status.INTERRUPTED,
        )


class HolidaySchedule(models.Model):
    """A year's State Council holiday notice, entered by an administrator.

    Used only for years the installed chinese-calendar package does not know yet (the notice
    is published in November; deadlines reach into January at once).
    """

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField("依据", max_length=200)
    entered_at = models.DateTimeField("录入时间", default=timezone.now)

    class Meta:
        ordering = ["-year"]
        verbose_name = "节假日安排"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.year} 年节假日安排"


class ScheduleDay(models.Model):
    """A day on which the notice departs from Monday-Friday: a holiday or a make-up workday."""

    schedule = models.ForeignKey(HolidaySchedule, models.CASCADE, related_name="days")
    day = models.DateField("日期", unique=True)
    is_working_day = models.BooleanField("上班")
    name = models.CharField("说明", max_length=32, blank=True)

    class Meta:
        ordering = ["day"]
        verbose_name = "节假日安排日期"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.day} {'班' if self.is_working_day else '休'}"


class Message(models.Model):
    """站内信: what reaches a person because of a change in a record, or because a deadline is
    near. Written by services in the transaction of that change, or by the deadline job; the
    outgoing channels (SMS, the government messaging platform) send it after the commit."""

    class Kind(models.TextChoices):
        ASSIGNMENT = "assignment", "分派"
        URGE = "urge", "催办"
        DEADLINE = "deadline", "临期提醒"
        OVERDUE = "overdue", "超期提醒"
        DECISION = "decision", "审核结果"
        JOB = "job", "后台任务"

    recipient = models.ForeignKey(User, models.CASCADE, related_name="inbox", verbose_name="收件人")
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    sender = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="发送人"
    )
    # Makes a scheduled reminder idempotent: one per recipient and key ("due:<case>:<day>").
    key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "站内信"
        verbose_name_plural = verbose_name
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="message_inbox"),
            models.Index(
                fields=["recipient", "kind"],
                condition=models.Q(read_at__isnull=True),
                name="message_unread",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~models.Q(key=""),
                name="message_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return self.title
