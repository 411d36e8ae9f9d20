"""Wages of construction workers on a project (rules §4.1-4.3): the four wage safeguards
(一金三制: wage deposit, dedicated wage account, real-name registration, bank payroll via the
general contractor) and the rights notice board, the monthly payroll, and the project wage code
(渝薪码) computed from them. The rates, time limits and colour rules are settings rows an
administrator changes on the settings pages (rules §4.3 [S], §10: no official rule exists)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from yutong.core.models import ImportJob, User
from yutong.core.money import yuan
from yutong.core.personal import EncryptedTextField
from yutong.registry.models import ConstructionProject


class Colour(models.TextChoices):
    GREEN = "green", "绿码"
    YELLOW = "yellow", "黄码"
    RED = "red", "红码"


COLOUR_RANK = {Colour.GREEN: 0, Colour.YELLOW: 1, Colour.RED: 2}


class WageSettings(models.Model):
    """The [S] values of rules §4.3 and the rights information of §4.2 (one row, pk=1).

    Rates are percentages of the construction contract amount."""

    deposit_base_rate = models.DecimalField(
        "保证金基准比例（%）",
        max_digits=5,
        decimal_places=2,
        default=Decimal("2.00"),
        help_text="施工合同额的 1%-3%（人社部发〔2021〕65号）",
    )
    deposit_reduced_rate = models.DecimalField(
        "连续无欠薪时的降低比例（%）", max_digits=5, decimal_places=2, default=Decimal("1.00")
    )
    deposit_raised_rate = models.DecimalField(
        "有欠薪记录时的提高比例（%）", max_digits=5, decimal_places=2, default=Decimal("3.00")
    )
    deposit_floor_rate = models.DecimalField(
        "保证金最低比例（%）", max_digits=5, decimal_places=2, default=Decimal("0.50")
    )
    deposit_cap = models.DecimalField(
        "单个项目保证金上限（元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="留空表示不设上限",
    )
    exemption_contract_below = models.DecimalField(
        "免缴保证金的合同额上限（元，不含）",
        max_digits=16,
        decimal_places=2,
        default=Decimal("3000000.00"),
    )
    exemption_clean_months = models.PositiveSmallIntegerField(
        "免缴要求：近多少个月无欠薪", default=12
    )
    exemption_systems_months = models.PositiveSmallIntegerField(
        "免缴要求：连续落实制度且无欠薪的月数",
        default=36,
        help_text="施工总承包单位在本平台的已开工项目均落实专用账户、实名制和银行代发，"
        "且连续该月数无欠薪记录的，免缴（人社部发〔2021〕65号）；填 0 不适用此项免缴",
    )
    reduced_clean_months = models.PositiveSmallIntegerField(
        "降低比例要求：连续多少个月无欠薪", default=24
    )
    raised_arrears_months = models.PositiveSmallIntegerField(
        "提高比例：近多少个月内有欠薪", default=24
    )
    safeguard_working_days = models.PositiveSmallIntegerField(
        "开工后落实保证金、专用账户的期限（工作日）", default=20
    )
    min_wage_pro_rata = models.BooleanField(
        "最低工资按出勤天数折算",
        default=True,
        help_text="勾选：按“出勤天数 ÷ 月计薪天数”折算后比较；不勾选：与月最低工资标准全额比较",
    )
    standard_days_per_month = models.DecimalField(
        "月计薪天数",
        max_digits=5,
        decimal_places=2,
        default=Decimal("21.75"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("31"))],
    )
    complaint_hotline = models.CharField("投诉举报电话", max_length=64, default="12333")
    arbitration_channel = models.CharField(
        "劳动争议仲裁途径",
        max_length=200,
        default="向项目所在区县劳动人事争议仲裁委员会申请仲裁",
    )
    legal_aid = models.CharField(
        "法律援助及公共法律服务热线",
        max_length=200,
        default="当地法律援助中心；公共法律服务热线 12348",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "根治欠薪参数"
        verbose_name_plural = verbose_name
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="wage_settings_single_row"),
        ]

    def __str__(self) -> str:
        return "根治欠薪参数"

    @classmethod
    def current(cls) -> WageSettings:
        settings, _ = cls.objects.get_or_create(pk=1)
        return settings


class RuleCode(models.TextChoices):
    """The conditions the wage code knows how to test; each row of ``WageCodeRule`` sets the
    colour it gives (or off) and its threshold."""

    DEPOSIT = "deposit", "工资保证金未存储或不足"
    WAGE_ACCOUNT = "wage_account", "未开设农民工工资专用账户"
    REAL_NAME = "real_name", "未落实实名制管理"
    BANK_PAYROLL = "bank_payroll", "未落实总包代发工资"
    NOTICE_BOARD = "notice_board", "维权信息告示牌未设置或内容不全"
    MISSING_MONTHS = "missing_months", "工资发放记录缺月"
    MISSING_MONTHS_SEVERE = "missing_months_severe", "工资发放记录长期缺失"
    UNPAID = "unpaid", "有工人工资未足额发放"
    BELOW_MINIMUM = "below_minimum", "工资低于最低工资标准"
    NOT_OWN_ACCOUNT = "not_own_account", "工资未发放至工人本人账户"
    OPEN_COMPLAINTS = "open_complaints", "有未办结的欠薪投诉"


class WageCodeRule(models.Model):
    """One documented rule of the wage code (rules §10: no official rule exists, so these rows
    are ours and an administrator may change colour and threshold; every change is audited)."""

    class RuleColour(models.TextChoices):
        OFF = "off", "不启用"
        YELLOW = "yellow", "黄码"
        RED = "red", "红码"

    code = models.CharField("规则", max_length=32, unique=True, choices=RuleCode.choices)
    colour = models.CharField("触发后颜色", max_length=8, choices=RuleColour.choices)
    threshold = models.PositiveIntegerField("阈值")
    threshold_meaning = models.CharField("阈值含义", max_length=100, editable=False)
    description = models.CharField("说明", max_length=300)
    position = models.PositiveSmallIntegerField(default=0, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = "渝薪码规则"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.get_code_display()


class DepositForm(models.TextChoices):
    CASH = "cash", "现金存储"
    BANK_GUARANTEE = "bank_guarantee", "银行保函"
    GUARANTEE_INSURANCE = "guarantee_insurance", "工程保证保险"


class WageDeposit(models.Model):
    """The wage deposit (工资保证金) of a project, stored by the general contractor (Art.32),
    with the requirement computed when it was recorded (amount, rate, exemption, trace)."""

    project = models.OneToOneField(
        ConstructionProject, models.CASCADE, related_name="+", verbose_name="项目"
    )
    form = models.CharField("存储形式", max_length=24, choices=DepositForm.choices)
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    deposited_on = models.DateField("存储（出具）日期")
    issuer = models.CharField("存储银行 / 出具机构", max_length=100)
    reference = models.CharField("账号或保函、保单编号", max_length=64, blank=True)
    expires_on = models.DateField("保函（保单）有效期至", null=True, blank=True)
    required_amount = models.DecimalField(
        "应存金额（元）", max_digits=14, decimal_places=2, editable=False
    )
    required_rate = models.DecimalField(
        "适用比例（%）", max_digits=5, decimal_places=2, editable=False
    )
    exempt = models.BooleanField("依规免缴", default=False, editable=False)
    trace = models.JSONField("计算过程", default=list, editable=False)
    recorded_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name="登记人")
    recorded_at = models.DateTimeField("登记时间", default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = "工资保证金"
        verbose_name_plural = verbose_name
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="wage_deposit_amount_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.get_form_display()} {yuan(self.amount)} 元"


class SafeguardKind(models.TextChoices):
    WAGE_ACCOUNT = "wage_account", "农民工工资专用账户"
    REAL_NAME = "real_name", "实名制管理"
    BANK_PAYROLL = "bank_payroll", "总包代发（银行代发工资）"
    NOTICE_BOARD = "notice_board", "维权信息告示牌"


class NoticeItem(models.TextChoices):
    """What the rights notice board must show (条例 Art.34, rules §4.2)."""

    PARTIES = "parties", "建设单位、施工总承包单位及项目部、分包单位"
    AUTHORITY = "authority", "行业主管部门"
    LABOUR_OFFICER = "labour_officer", "劳资专管员及联系方式"
    MINIMUM_WAGE = "minimum_wage", "当地最低工资标准"
    PAY_DAY = "pay_day", "工资支付日期"
    COMPLAINT_HOTLINE = "complaint_hotline", "投诉举报电话"
    ARBITRATION = "arbitration", "劳动争议仲裁途径"
    LEGAL_AID = "legal_aid", "法律援助途径及公共法律服务热线"


class WageSafeguard(models.Model):
    """One of the three systems or the notice board, as found in place on a project: since
    when, the details that belong to it, and who recorded it."""

    project = models.ForeignKey(
        ConstructionProject, models.CASCADE, related_name="+", verbose_name="项目"
    )
    kind = models.CharField("保障措施", max_length=16, choices=SafeguardKind.choices)
    in_place_since = models.DateField("落实日期")
    bank_name = models.CharField("开户银行", max_length=100, blank=True)
    account_number = EncryptedTextField("专用账户账号", blank=True)
    pay_day = models.PositiveSmallIntegerField(
        "每月工资支付日",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    notice_items = models.JSONField("告示牌已公示内容", default=list, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name="登记人")
    recorded_at = models.DateTimeField("登记时间", default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["project", "kind"]
        verbose_name = "工资支付保障措施"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="wage_safeguard_once")
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.get_kind_display()}"

    @property
    def missing_notice_items(self) -> list[str]:
        present = set(self.notice_items or ())
        return [label for code, label in NoticeItem.choices if code not in present]


class PayrollMonth(models.Model):
    """The payroll of one project for one month, as last uploaded (a new upload of the same
    month replaces it), with the checks' counts kept for the lists and the wage code."""

    project = models.ForeignKey(
        ConstructionProject, models.CASCADE, related_name="+", verbose_name="项目"
    )
    month = models.DateField("工资月份", help_text="该月 1 日")
    import_job = models.ForeignKey(
        ImportJob, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name="上传人")
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)
    worker_count = models.PositiveIntegerField("工人数", default=0)
    total_due = models.DecimalField("应发合计", max_digits=16, decimal_places=2, default=0)
    total_paid = models.DecimalField("实发合计", max_digits=16, decimal_places=2, default=0)
    unpaid_count = models.PositiveIntegerField("未足额发放人数", default=0)
    below_minimum_count = models.PositiveIntegerField("低于最低工资人数", default=0)
    not_own_account_count = models.PositiveIntegerField("未发至本人账户人数", default=0)
    minimum_wage = models.DecimalField(
        "月最低工资标准", max_digits=10, decimal_places=2, null=True, blank=True
    )
    minimum_wage_trace = models.CharField("最低工资依据", max_length=300, blank=True)

    class Meta:
        ordering = ["project", "-month"]
        verbose_name = "工资发放月度记录"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="payroll_month_once")
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.month:%Y-%m}"

    @property
    def outstanding(self) -> Decimal:
        return max(self.total_due - self.total_paid, Decimal("0"))


class PayrollEntry(models.Model):
    """One worker's line of a month's payroll (the wage ledger fields of Art.15 that the
    platform checks). The resident ID is encrypted with a keyed hash beside it."""

    payroll = models.ForeignKey(PayrollMonth, models.CASCADE, related_name="entries")
    row_number = models.PositiveIntegerField("行号")
    worker_name = models.CharField("姓名", max_length=64)
    resident_id = EncryptedTextField("公民身份号码")
    resident_id_hash = models.CharField(max_length=40, editable=False)
    days_worked = models.DecimalField("出勤天数", max_digits=4, decimal_places=1)
    amount_due = models.DecimalField("应发工资", max_digits=12, decimal_places=2)
    amount_paid = models.DecimalField("实发工资", max_digits=12, decimal_places=2)
    paid_to_own_account = models.BooleanField("发放至本人账户")
    is_unpaid = models.BooleanField("未足额发放", default=False)
    is_below_minimum = models.BooleanField("低于最低工资", default=False)
    minimum_applied = models.DecimalField(
        "适用最低工资（折算后）", max_digits=10, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["payroll", "row_number"]
        verbose_name = "工资发放明细"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["resident_id_hash"], name="payroll_entry_worker")]

    def __str__(self) -> str:
        return f"{self.payroll_id}#{self.row_number}"


class WageCode(models.Model):
    """The stored colour of a project and the reasons for it (no personal data: counts and
    months only). Recomputed by the services that change its inputs and by the daily
    ``recompute_wage_codes`` command, never per row on a page."""

    project = models.OneToOneField(
        ConstructionProject,
        models.CASCADE,
        primary_key=True,
        related_name="wage_code",
        verbose_name="项目",
    )
    colour = models.CharField("渝薪码", max_length=8, choices=Colour.choices)
    reasons = models.JSONField("原因", default=list)
    computed_at = models.DateTimeField("计算时间", default=timezone.now)

    class Meta:
        verbose_name = "渝薪码"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["colour", "project"], name="wage_code_colour")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.get_colour_display()}"
