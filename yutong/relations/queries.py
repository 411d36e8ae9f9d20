"""Read side of collective labour relations: records scoped to the reader, the to-do lists of
rules §7 over the whole registry, the queues, and the collective-contract rate as of any day.

Everything is a database filter: the to-do lists are ``NOT EXISTS`` anti-joins over the
registry's indexed (status, employee_count) and (unit, status, employee_count) columns, never a
Python loop over enterprises. An enterprise's status and head count are read as they were on the
day asked for (``registry.history``).
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from yutong.core import parameters, roles, scope, tables
from yutong.core.models import OrgUnit
from yutong.core.parameters import ParameterMissing, parameter_value
from yutong.core.permissions import can, company_of
from yutong.registry import history
from yutong.registry.choices import EnterpriseStatus
from yutong.registry.queries import enterprises_visible_to

from .models import (
    AffairsDisclosure,
    CollectiveBargaining,
    CollectiveContract,
    CongressSession,
    ContractCoverage,
    ContractKind,
    EmploymentFiling,
    FollowUpItem,
    TripartiteMeeting,
    Union,
    WorkersCongress,
)

# Staff who read the records of their units; enterprise accounts read their own enterprise's.
READERS = (roles.CITY_ADMIN, roles.DISTRICT_STAFF, roles.UNION_OFFICER, roles.AUDITOR)


def _own_uscc(user) -> str | None:
    company = company_of(user)
    return None if company is None else company.uscc


def _scoped(queryset: QuerySet, user, enterprise_path: str | None) -> QuerySet:
    """Staff: their units' records. Enterprise account: those of its enterprise (a record
    outside is a 404 in the views and the API)."""
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser or can(user, *READERS):
        return scope.restrict_to_units(queryset, user)
    uscc = _own_uscc(user)
    if uscc and enterprise_path:
        return queryset.filter(**{f"{enterprise_path}__uscc": uscc})
    return queryset.none()


def unions_visible_to(user) -> QuerySet[Union]:
    queryset = Union.objects.select_related("enterprise", "unit")
    return _scoped(queryset, user, "enterprise")


def bargainings_visible_to(user) -> QuerySet[CollectiveBargaining]:
    queryset = CollectiveBargaining.objects.select_related("enterprise", "unit", "union")
    return _scoped(queryset, user, "enterprise")


def contracts_visible_to(user) -> QuerySet[CollectiveContract]:
    queryset = CollectiveContract.objects.select_related(
        "enterprise", "unit", "region", "filing_venue", "union"
    )
    # A regional or industry contract is the business of every enterprise it covers.
    return _scoped(queryset, user, "coverage__enterprise")


def congresses_visible_to(user) -> QuerySet[WorkersCongress]:
    queryset = WorkersCongress.objects.select_related("enterprise", "unit", "region")
    return _scoped(queryset, user, "coverage__enterprise")


def disclosures_visible_to(user) -> QuerySet[AffairsDisclosure]:
    queryset = AffairsDisclosure.objects.select_related("enterprise", "unit", "contract")
    return _scoped(queryset, user, "enterprise")


def meetings_visible_to(user) -> QuerySet[TripartiteMeeting]:
    queryset = TripartiteMeeting.objects.select_related("unit", "park", "township")
    return _scoped(queryset, user, None)


def follow_ups_visible_to(user) -> QuerySet[FollowUpItem]:
    queryset = FollowUpItem.objects.select_related("meeting", "unit")
    return _scoped(queryset, user, None)


def filings_visible_to(user) -> QuerySet[EmploymentFiling]:
    queryset = EmploymentFiling.objects.select_related("enterprise", "unit")
    return _scoped(queryset, user, "enterprise")


# --- lists: the sortable columns and the filters of the list pages ---------------------------
UNION_SORTING = tables.Sorting(
    columns={
        "name": ("name",),
        "enterprise": ("enterprise__name",),
        "established_on": ("established_on",),
        "members": ("members",),
        "fulltime_staff": ("fulltime_staff",),
    },
    default=("-established_on", "-id"),
    descending_first=frozenset({"established_on", "members", "fulltime_staff"}),
)


def filter_unions(unions: QuerySet, d: dict) -> QuerySet:
    if d.get("q"):
        unions = unions.filter(enterprise__name__contains=d["q"].strip())
    if d.get("state") == "active":
        unions = unions.filter(dissolved_on__isnull=True)
    elif d.get("state") == "dissolved":
        unions = unions.filter(dissolved_on__isnull=False)
    if d.get("form"):
        unions = unions.filter(form=d["form"])
    return unions


def filter_contracts(contracts: QuerySet, d: dict, day: date | None = None) -> QuerySet:
    if d.get("status"):
        day = day or timezone.localdate()
        contracts = contracts.filter(contract_status_q(d["status"], day))
    for field in ("scope", "kind"):
        if d.get(field):
            contracts = contracts.filter(**{field: d[field]})
    if d.get("q"):
        contracts = contracts.filter(title__contains=d["q"].strip())
    return contracts


DISCLOSURE_SORTING = tables.Sorting(
    columns={"disclosed_on": ("disclosed_on",), "enterprise": ("enterprise__name",)},
    default=("-disclosed_on", "-id"),
    descending_first=frozenset({"disclosed_on"}),
)

MEETING_SORTING = tables.Sorting(
    columns={"held_on": ("held_on",), "title": ("title",)},
    default=("-held_on", "-id"),
    descending_first=frozenset({"held_on"}),
)


def filter_meetings(meetings: QuerySet, d: dict) -> QuerySet:
    if d.get("level"):
        meetings = meetings.filter(level=d["level"])
    if d.get("industry"):
        meetings = meetings.filter(industry=d["industry"])
    if d.get("held_from"):
        meetings = meetings.filter(held_on__gte=d["held_from"])
    if d.get("held_to"):
        meetings = meetings.filter(held_on__lte=d["held_to"])
    if d.get("q"):
        meetings = meetings.filter(title__contains=d["q"].strip())
    return meetings


# One month's filings at a time (the list always names a month), so a sort orders that month.
FILING_SORTING = tables.Sorting(
    columns={
        "enterprise": ("enterprise__name",),
        "employees": ("employees",),
        "contracted": ("contracted",),
        "dispatched": ("dispatched",),
        "insured": ("insured",),
    },
    default=("-period", "enterprise__name", "id"),
    descending_first=frozenset({"employees", "contracted", "dispatched", "insured"}),
)


def filter_filings(filings: QuerySet, d: dict) -> QuerySet:
    if d.get("over_cap"):
        filings = filings.filter(dispatch_over_cap=True)
    if d.get("q"):
        filings = filings.filter(enterprise__name__contains=d["q"].strip())
    return filings


# --- as of a day -------------------------------------------------------------------------------
def union_active_q(day: date, prefix: str = "") -> Q:
    """A union in being on ``day``: established on or before it, not dissolved by then."""
    return Q(**{f"{prefix}established_on__lte": day}) & (
        Q(**{f"{prefix}dissolved_on__isnull": True}) | Q(**{f"{prefix}dissolved_on__gt": day})
    )


def contract_in_force_q(day: date, prefix: str = "") -> Q:
    """A contract in force on ``day``. An objection clears ``effective_from``, so an objected
    contract never matches; a termination counts from its day."""
    return (
        Q(**{f"{prefix}effective_from__lte": day})
        & Q(**{f"{prefix}expires_on__gte": day})
        & (Q(**{f"{prefix}terminated_on__isnull": True}) | Q(**{f"{prefix}terminated_on__gt": day}))
    )


# The head count from which an enterprise with a union is a key enterprise (dated setting).
KEY_THRESHOLD = "key_enterprise_min_employees"


def _threshold(code: str, day: date) -> int:
    try:
        return int(parameter_value(code, day).value)
    except ParameterMissing:
        # Without the setting no enterprise can be judged: an empty list, not an error page.
        return 2**31 - 1


def _among(queryset: QuerySet, among: list | None) -> QuerySet:
    """Only the rows of the enterprises asked about (None: all): see ``key_condition``."""
    return queryset if among is None else queryset.filter(enterprise_id__in=among)


def has_union(day: date, key: str = history.ENTERPRISE_KEY, among: list | None = None) -> Q:
    """A union in being on ``day`` (``key``: where the model read keeps the enterprise's id)."""
    unions = _among(Union.objects.filter(union_active_q(day)), among)
    return Q(**{f"{key}__in": unions.values("enterprise_id")})


def covered_by_contract(
    day: date, key: str = history.ENTERPRISE_KEY, among: list | None = None
) -> Q:
    """Listed by a contract in force on ``day``. An uncorrelated ``IN``: PostgreSQL hashes the
    covered ids once, where a correlated EXISTS probed the index for every key enterprise."""
    covered = _among(ContractCoverage.objects.filter(contract_in_force_q(day, "contract__")), among)
    return Q(**{f"{key}__in": covered.values("enterprise_id")})


def key_condition(day: date, among: list | None = None) -> history.Condition:
    """重点建会企业 on ``day``, as a condition on an enterprise's values of that day: operating,
    a union in being, at least N employees (setting). ``among``: the ids of the only
    enterprises asked about, so that their unions are read by index rather than all hashed."""
    minimum = _threshold(KEY_THRESHOLD, day)
    return lambda key: (
        has_union(day, key, among)
        & Q(status=EnterpriseStatus.OPERATING, employee_count__gte=minimum)
    )


def key_changed_on(day: date) -> list[history.Condition]:
    """The enterprises whose standing as a key enterprise or whose contract cover may differ on
    ``day`` from the day before (for the kept counts), as conditions whose union they are: a
    union founded or dissolved, a contract
    coming into force, expiring or terminated, a change to the enterprise's own values; all of
    them when the head-count threshold changes that day."""
    if parameters.change_days(KEY_THRESHOLD, day - timedelta(days=1), day):
        return [lambda key: Q()]
    unions = Union.objects.filter(Q(established_on=day) | Q(dissolved_on=day))
    bounded = Q(effective_from=day) | Q(expires_on=day - timedelta(days=1)) | Q(terminated_on=day)
    covered = ContractCoverage.objects.filter(
        contract__in=CollectiveContract.objects.filter(bounded).values("pk")
    )
    return [
        *history.ENTERPRISES.changed_on(day),
        lambda key: Q(**{f"{key}__in": unions.values("enterprise_id")}),
        lambda key: Q(**{f"{key}__in": covered.values("enterprise_id")}),
    ]


def key_change_days(
    after: date, until: date | None = None, among: history.Condition | None = None
) -> set[date]:
    """The days in (``after``, ``until``] on which some enterprise's key standing or contract
    cover may change (of the enterprises meeting ``among`` on some day, when given)."""
    unions, contracts = Union.objects.all(), CollectiveContract.objects.all()
    if among is not None:
        ids = history.ENTERPRISES.ever(among)
        unions = unions.filter(enterprise_id__in=ids)
        covering = ContractCoverage.objects.filter(enterprise_id__in=ids)
        contracts = contracts.filter(pk__in=covering.values("contract_id"))

    def days(queryset, field, shift=0):
        rows = queryset.filter(**{f"{field}__gte": after}).values_list(field, flat=True)
        found = {day + timedelta(days=shift) for day in rows.distinct().order_by()}
        return {day for day in found if day > after and (until is None or day <= until)}

    return (
        days(unions, "established_on")
        | days(unions, "dissolved_on")
        | days(contracts, "effective_from")
        | days(contracts, "expires_on", shift=1)
        | days(contracts, "terminated_on")
        | parameters.change_days(KEY_THRESHOLD, after, until)
        | history.ENTERPRISES.change_days(after, until, among)
    )


def key_enterprises(enterprises: QuerySet, day: date) -> QuerySet:
    """The key enterprises of ``enterprises`` on ``day``, judged on their values of that day."""
    return enterprises.filter(history.as_of_q(day, key_condition(day)))


@dataclass(frozen=True)
class Rate:
    covered: int
    total: int

    @property
    def value(self) -> float | None:
        return None if not self.total else self.covered / self.total


def collective_contract_rate(enterprises: QuerySet, day: date) -> Rate:
    """Indicator 6: key enterprises covered by a contract in force ÷ key enterprises, on ``day``."""
    key = key_enterprises(enterprises, day)
    counts = key.aggregate(
        total=Count("pk"), covered=Count("pk", filter=Q(covered_by_contract(day)))
    )
    return Rate(covered=counts["covered"], total=counts["total"])


# --- the to-do lists of rules §7 ---------------------------------------------------------------


def _operating_from(day: date, parameter: str) -> Q:
    """Operating on ``day`` with at least the head count the setting names, as of that day."""
    minimum = _threshold(parameter, day)
    return history.as_of_q(
        day, lambda key: Q(status=EnterpriseStatus.OPERATING, employee_count__gte=minimum)
    )


def no_union(enterprises: QuerySet, day: date) -> QuerySet:
    """Operating with 25 or more employees (the setting: enough members for a committee) and no
    union in being: the firms where a union is still to be founded (rules §7)."""
    return enterprises.filter(~has_union(day), _operating_from(day, "union_committee_min_members"))


def count_no_union_of_few(enterprises: QuerySet, day: date) -> int:
    """``no_union(enterprises, day).count()`` for a handful of enterprises (an enterprise
    account's own): the list's uncorrelated ``NOT IN`` hashes every union of the city first
    (150 ms at city scale); a correlated ``NOT EXISTS`` probes the few firms' unions by index.
    The same rows (``enterprise_id`` is never null)."""
    active = Union.objects.filter(union_active_q(day), enterprise=OuterRef("pk"))
    return enterprises.filter(
        ~Exists(active), _operating_from(day, "union_committee_min_members")
    ).count()


def no_committee(enterprises: QuerySet, day: date) -> QuerySet:
    """A union in being whose *members* (会员) reach the setting (25, 《工会法》 Art.11; 重庆市
    工会条例 Art.9) but that is not a union committee. The law counts members, not employees:
    a firm of 300 with 20 members may keep an organiser."""
    minimum = _threshold("union_committee_min_members", day)
    short = Union.objects.filter(
        union_active_q(day), enterprise=OuterRef("pk"), members__gte=minimum
    ).exclude(form=Union.Form.COMMITTEE)
    operating = history.as_of_q(day, lambda key: Q(status=EnterpriseStatus.OPERATING))
    return enterprises.filter(Exists(short), operating)


def no_fulltime_staff(enterprises: QuerySet, day: date) -> QuerySet:
    """200 or more employees and no full-time union staff (重庆市工会条例 Art.13)."""
    staffed = Union.objects.filter(
        union_active_q(day), enterprise=OuterRef("pk"), fulltime_staff__gte=1
    )
    return enterprises.filter(
        ~Exists(staffed), _operating_from(day, "union_fulltime_staff_min_employees")
    )


def no_contract(enterprises: QuerySet, day: date) -> QuerySet:
    """Key enterprises without a collective contract in force."""
    return key_enterprises(enterprises, day).filter(~covered_by_contract(day))


TODO_LISTS = {
    "no_union": ("应建未建工会", no_union),
    "no_committee": ("应建未建工会委员会", no_committee),
    "no_fulltime": ("应配未配专职工会工作人员", no_fulltime_staff),
    "no_contract": ("重点建会企业未签集体合同", no_contract),
}


# The largest firms first; the enterprise indexes on (employee_count, id) and (name) carry both
# sorts, with and without the unit first.
TODO_ORDER = ("-employee_count", "id")
ENTERPRISE_LIST_SORTING = tables.Sorting(
    columns={"name": ("name",), "employee_count": ("employee_count",)},
    default=TODO_ORDER,
    descending_first=frozenset({"employee_count"}),
)


def todo_list(user, name: str, day: date | None = None) -> QuerySet:
    day = day or timezone.localdate()
    enterprises = enterprises_visible_to(user)
    return TODO_LISTS[name][1](enterprises, day).order_by(*TODO_ORDER)


# --- queues ------------------------------------------------------------------------------------
def contract_status_q(status: str, day: date) -> Q:
    """The ``CollectiveContract.status_on(day)`` of each row, as a filter."""
    S, Stage = CollectiveContract.Status, CollectiveContract.Stage
    not_ended = Q(terminated_on__isnull=True) | Q(terminated_on__gt=day)
    live = not_ended & ~Q(stage=Stage.OBJECTED)
    if status == S.TERMINATED:
        return Q(terminated_on__lte=day)
    if status == S.OBJECTED:
        return Q(stage=Stage.OBJECTED)
    if status == S.EFFECTIVE:
        return live & Q(effective_from__lte=day, expires_on__gte=day)
    if status == S.EXPIRED:
        return live & Q(effective_from__lte=day, expires_on__lt=day)
    if status == S.UNDER_REVIEW:
        return live & Q(stage=Stage.FILED, effective_from__gt=day)
    return live & Q(stage=status)


CONTRACT_QUEUES = {
    "all": "全部",
    "to_approve": "待职代会审议",
    "to_file": "待报送",
    "under_review": "审查中",
    "effective": "生效中",
    "expiring": "3 个月内到期",
    "expired": "到期未续订",
    "unpublished": "逾期未公布",
    "filed_late": "逾期报送",
}


def live_renewal() -> Q:
    """A later contract, not objected to or terminated, that takes this one's place: its
    renewal (续订, linked by ``previous``), or a new contract of the same kind drawn up for the
    same parties (the same enterprise; for a regional or industry contract the same unit,
    region and industry) without the renewal action."""
    live = CollectiveContract.objects.exclude(
        stage__in=(CollectiveContract.Stage.OBJECTED, CollectiveContract.Stage.TERMINATED)
    )
    later = live.filter(
        pk__gt=OuterRef("pk"), kind=OuterRef("kind"), scope=OuterRef("scope")
    ).annotate(party=Coalesce("enterprise_id", Value(0)), place=Coalesce("region_id", Value(0)))
    same_enterprise = later.filter(enterprise_id=OuterRef("enterprise_id"))
    same_parties = later.filter(
        enterprise__isnull=True,
        unit=OuterRef("unit"),
        industry=OuterRef("industry"),
        place=Coalesce(OuterRef("region_id"), Value(0)),
    )
    return (
        Q(Exists(live.filter(previous=OuterRef("pk"))))
        | Q(Exists(same_enterprise))
        | Q(Exists(same_parties))
    )


# Each queue's own work order (the nearest deadline first); a sorted column replaces it.
CONTRACT_QUEUE_ORDER = {
    "all": ("-created_at", "-id"),
    "to_approve": ("created_at", "id"),
    "to_file": ("filing_due_on", "id"),
    "under_review": ("review_due_on", "id"),
    "effective": ("expires_on", "id"),
    "expiring": ("expires_on", "id"),
    "expired": ("expires_on", "id"),
    "unpublished": ("publication_due_on", "id"),
    "filed_late": ("-filed_on", "-id"),
}
CONTRACT_SORTING = tables.Sorting(
    columns={
        "number": ("id",),
        "title": ("title",),
        "employees_covered": ("employees_covered",),
        "expires_on": ("expires_on",),
        "filing_due_on": ("filing_due_on",),
        "effective_from": ("effective_from",),
    },
    default=CONTRACT_QUEUE_ORDER["all"],
    descending_first=frozenset({"number", "employees_covered", "effective_from"}),
    nullable=frozenset({"filing_due_on", "effective_from"}),
)


def contract_queue(contracts: QuerySet, name: str, day: date | None = None) -> QuerySet:
    day = day or timezone.localdate()
    return _contract_queue_rows(contracts, name, day).order_by(
        *CONTRACT_QUEUE_ORDER.get(name, CONTRACT_QUEUE_ORDER["all"])
    )


def _contract_queue_rows(contracts: QuerySet, name: str, day: date) -> QuerySet:
    return contracts.filter(contract_queue_q(name, day))


def contract_queue_q(name: str, day: date | None = None) -> Q:
    """The condition of one contract queue (``contract_queue`` filters by it; the work bench
    counts several queues in one query with it)."""
    day = day or timezone.localdate()
    S = CollectiveContract.Status
    if name == "to_approve":
        return contract_status_q(S.DRAFT, day)
    if name == "to_file":
        return contract_status_q(S.SIGNED, day)
    if name == "under_review":
        return contract_status_q(S.UNDER_REVIEW, day)
    if name == "effective":
        return contract_status_q(S.EFFECTIVE, day)
    if name == "expiring":
        # Renewal may be asked for from 3 months before expiry (rules §7): the reminder list.
        horizon = _months_ahead(day, 3)
        return contract_status_q(S.EFFECTIVE, day) & Q(expires_on__lte=horizon) & ~live_renewal()
    if name == "expired":
        # Past its term and no renewal under way: the parties owe a new contract (rules §7).
        return contract_status_q(S.EXPIRED, day) & ~live_renewal()
    if name == "unpublished":
        published = AffairsDisclosure.objects.filter(
            contract=OuterRef("pk"), category=AffairsDisclosure.Category.COLLECTIVE_CONTRACT
        )
        return (
            contract_status_q(S.EFFECTIVE, day) & Q(publication_due_on__lt=day) & ~Exists(published)
        )
    if name == "filed_late":
        return Q(filed_late=True)
    return Q()


def _months_ahead(day: date, months: int) -> date:
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month0 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


BARGAINING_QUEUES = {
    "open": "进行中",
    "awaiting_reply": "待答复",
    "reply_overdue": "逾期未答复",
    "suspended": "中止中",
    "closed": "已结束",
}


BARGAINING_QUEUE_ORDER = {
    "open": ("reply_due_on", "id"),
    "awaiting_reply": ("reply_due_on", "id"),
    "reply_overdue": ("reply_due_on", "id"),
    "suspended": ("resume_by", "id"),
    "closed": ("-concluded_on", "-id"),
}
BARGAINING_SORTING = tables.Sorting(
    columns={
        "number": ("id",),
        "enterprise": ("enterprise__name",),
        "year": ("year",),
        "requested_on": ("requested_on",),
        "reply_due_on": ("reply_due_on",),
    },
    default=BARGAINING_QUEUE_ORDER["open"],
    descending_first=frozenset({"number", "year", "requested_on"}),
)


def bargaining_queue(queryset: QuerySet, name: str, day: date | None = None) -> QuerySet:
    day = day or timezone.localdate()
    S = CollectiveBargaining.Status
    if name == "awaiting_reply":
        rows = queryset.filter(status=S.REQUESTED)
    elif name == "reply_overdue":
        rows = queryset.filter(status=S.REQUESTED, reply_due_on__lt=day)
    elif name == "suspended":
        rows = queryset.filter(status=S.SUSPENDED)
    elif name == "closed":
        rows = queryset.filter(status__in=(S.CONCLUDED, S.FAILED))
    else:
        name = "open"
        rows = queryset.filter(status__in=CollectiveBargaining.OPEN_STATUSES)
    return rows.order_by(*BARGAINING_QUEUE_ORDER[name])


def wage_bargaining_pending(user, year: int, day: date | None = None) -> QuerySet:
    """Enterprises with a union whose wage bargaining of ``year`` is not done (重庆市集体合同
    条例 Art.18: every year). Done: a concluded wage bargaining of that year, or a wage
    contract (its own, regional or industry-wide) whose term starts in that year."""
    day = day or timezone.localdate()
    concluded = CollectiveBargaining.objects.filter(
        enterprise=OuterRef("pk"),
        topic=ContractKind.WAGES,
        year=year,
        status=CollectiveBargaining.Status.CONCLUDED,
    )
    wage_contract = ContractCoverage.objects.filter(
        enterprise=OuterRef("pk"),
        contract__kind=ContractKind.WAGES,
        contract__term_start__year=year,
        contract__effective_from__isnull=False,
    )
    return (
        enterprises_visible_to(user)
        .filter(has_union(day), status=EnterpriseStatus.OPERATING)
        .filter(~Exists(concluded), ~Exists(wage_contract))
        .order_by(*TODO_ORDER)
    )


CONGRESS_QUEUES = {"all": "全部", "no_session": "当年未召开"}
# The newest first; the queue of congresses owing this year's session, the longest-standing first.
CONGRESS_QUEUE_ORDER = {"all": ("-established_on", "-id"), "no_session": ("established_on", "id")}
CONGRESS_SORTING = tables.Sorting(
    columns={
        "name": ("name",),
        "established_on": ("established_on",),
        "staff_count": ("staff_count",),
        "delegates": ("delegates",),
    },
    default=CONGRESS_QUEUE_ORDER["all"],
    descending_first=frozenset({"established_on", "staff_count", "delegates"}),
)


def congresses_without_session(congresses: QuerySet, year: int) -> QuerySet:
    held = CongressSession.objects.filter(congress=OuterRef("pk"), year=year)
    return congresses.filter(
        ~Exists(held), dissolved_on__isnull=True, established_on__lte=date(year, 12, 31)
    ).order_by(*CONGRESS_QUEUE_ORDER["no_session"])


FOLLOW_UP_QUEUES = {
    "open": "未办结",
    "due_soon": "5 日内到期",
    "overdue": "已逾期",
    "done": "已办结",
}
FOLLOW_UP_DUE_SOON_DAYS = 5


FOLLOW_UP_QUEUE_ORDER = {
    "open": ("due_on", "id"),
    "due_soon": ("due_on", "id"),
    "overdue": ("due_on", "id"),
    "done": ("-done_on", "-id"),
}
FOLLOW_UP_SORTING = tables.Sorting(
    columns={
        "due_on": ("due_on",),
        "done_on": ("done_on",),
        "meeting": ("meeting__held_on",),
    },
    default=FOLLOW_UP_QUEUE_ORDER["open"],
    descending_first=frozenset({"done_on", "meeting"}),
    nullable=frozenset({"done_on"}),
)


def follow_up_queue(items: QuerySet, name: str, day: date | None = None) -> QuerySet:
    if name not in ("overdue", "due_soon", "done"):
        name = "open"
    return items.filter(follow_up_queue_q(name, day)).order_by(*FOLLOW_UP_QUEUE_ORDER[name])


def follow_up_queue_q(name: str, day: date | None = None) -> Q:
    """The condition of one follow-up queue (for counting several in one query)."""
    day = day or timezone.localdate()
    if name == "overdue":
        return Q(done_on__isnull=True, due_on__lt=day)
    if name == "due_soon":
        horizon = day + timedelta(days=FOLLOW_UP_DUE_SOON_DAYS)
        return Q(done_on__isnull=True, due_on__gte=day, due_on__lte=horizon)
    if name == "done":
        return Q(done_on__isnull=False)
    return Q(done_on__isnull=True)


# --- employment filing -------------------------------------------------------------------------
def latest_period(filings: QuerySet, day: date | None = None) -> date | None:
    day = day or timezone.localdate()
    return (
        filings.filter(period__lte=day).order_by("-period").values_list("period", flat=True).first()
    )


def unit_for_period(unit: OrgUnit, period: date) -> OrgUnit:
    """The district a month's figures belong to: a unit merged before the month counts under
    the unit that took it over (rules §11), so a merged district is not listed after it ends."""
    if unit.valid_to is not None and unit.valid_to < period and unit.current_id:
        return unit.current
    return unit


SUMMED = ("enterprises", "employees", "contracted", "dispatched", "insured", "over_cap")


def signing_rates_by_unit(filings: QuerySet, period: date) -> list[dict]:
    """Per handling unit for one month (as the units stood that month): totals and the
    labour-contract signing rate."""
    rows = (
        filings.filter(period=period)
        .order_by()
        .values("unit")
        .annotate(
            enterprises=Count("id"),
            employees=Sum("employees"),
            contracted=Sum("contracted"),
            dispatched=Sum("dispatched"),
            insured=Sum("insured"),
            over_cap=Count("id", filter=Q(dispatch_over_cap=True)),
        )
    )
    units = OrgUnit.objects.select_related("current").in_bulk({row["unit"] for row in rows})
    merged: dict[int, dict] = {}
    for row in rows:
        unit = unit_for_period(units[row["unit"]], period)
        total = merged.setdefault(
            unit.pk, {"unit__code": unit.code, "unit__name": unit.name, **dict.fromkeys(SUMMED, 0)}
        )
        for key in SUMMED:
            total[key] += row[key] or 0
    result = sorted(merged.values(), key=lambda r: r["unit__code"])
    for row in result:
        row["signing_rate"] = row["contracted"] / row["employees"] if row["employees"] else None
    return result


def month_start(day: date) -> date:
    return day.replace(day=1)
