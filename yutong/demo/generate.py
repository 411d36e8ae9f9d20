"""Plausible demo data for every district: townships/streets, parks, enterprises and their
history.

Everything is drawn from one seeded random generator, so the same seed gives the same city.
Large volumes are written set-based, never one save per row: with PostgreSQL's COPY (the
city scale, 1.2 million enterprises, in a few minutes), elsewhere in bulk_create batches.

Every enterprise has a founding day (about 4 % from 2024 on: small firms). None is marked as
having a union: the relations demo writes the unions and sets that flag from them.
Some of the older ones changed since 2024 (``create_history``): about 6 % grew to today's head
count, and about a third of those not operating today stopped in that time. Their earlier
values are ``EnterpriseState`` rows, so indicators as of a past day count what held then.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from stdnum.cn import uscc as stdnum_uscc

from yutong.core.models import OrgUnit
from yutong.core.personal import blind_index, encrypt
from yutong.core.services import rebuild_unit_tree
from yutong.registry.choices import EnterpriseStatus, Ownership
from yutong.registry.models import Enterprise, EnterpriseState, IndustrialPark

MERGE_DAY = date(2025, 11, 6)
# The five towns of the former 渝北区 that went to 北碚区 (reported); the rest went to 两江新区.
TOWNS_TO_BEIBEI = 5

URBAN = {
    "500103",
    "500104",
    "500105",
    "500106",
    "500107",
    "500108",
    "500109",
    "500112",
    "500113",
    "500157",
    "50Z001",
}
# Relative number of enterprises per district-level unit (main urban area weighs more).
WEIGHT = {
    "500105": 3.0,
    "500112": 4.0,
    "500157": 2.0,
    "500103": 2.5,
    "500106": 2.5,
    "500107": 3.0,
    "500108": 2.5,
    "500113": 2.0,
    "500101": 2.0,
    "500116": 2.0,
    "500109": 1.5,
    "50Z001": 1.5,
}

_FIRST = "龙凤青石双白金长新马天黄桂花南北东西清云大高平太宝华兴永安鹿歇玉铜"
_SECOND = "溪桥山坪湾坝岭河塘门池林场阳江岩口滩沟园寺坡峰湖田"
_BRAND = [
    "恒达",
    "鑫源",
    "华宇",
    "长江",
    "渝丰",
    "金桥",
    "宏图",
    "博远",
    "腾飞",
    "嘉禾",
    "瑞丰",
    "同创",
    "中环",
    "德信",
    "汇通",
    "山城",
    "巴渝",
    "九鼎",
    "天府",
    "晨光",
    "永盛",
    "弘毅",
    "科华",
    "众邦",
    "联发",
    "锦程",
    "万隆",
    "佳信",
    "正信",
    "立达",
]
_TRADE = {
    "A": ["农业发展", "生态农业", "养殖"],
    "B": ["矿业"],
    "C": ["机械制造", "汽车零部件", "电子科技", "食品", "摩托车配件", "材料"],
    "D": ["能源", "燃气"],
    "E": ["建筑工程", "建设", "劳务"],
    "F": ["商贸", "贸易", "超市"],
    "G": ["物流", "运输"],
    "H": ["餐饮管理", "酒店"],
    "I": ["信息技术", "软件", "网络科技"],
    "J": ["小额贷款"],
    "K": ["房地产开发", "物业管理"],
    "L": ["商务服务", "人力资源"],
    "M": ["工程技术", "检测"],
    "N": ["环保", "园林"],
    "O": ["家政服务", "汽车维修"],
    "P": ["教育咨询", "职业培训"],
    "Q": ["医院", "养老服务"],
    "R": ["文化传媒", "体育"],
    "S": ["社会服务"],
    "T": ["国际合作"],
}
_INDUSTRY_WEIGHTS = {
    "A": 3,
    "B": 1,
    "C": 14,
    "D": 1,
    "E": 9,
    "F": 25,
    "G": 5,
    "H": 8,
    "I": 5,
    "J": 1,
    "K": 3,
    "L": 8,
    "M": 4,
    "N": 1,
    "O": 6,
    "P": 2,
    "Q": 2,
    "R": 2,
    "S": 0.2,
    "T": 0.01,
}
_OWNERSHIP_WEIGHTS = {
    Ownership.PRIVATE: 70,
    Ownership.JOINT_STOCK: 10,
    Ownership.STATE_OWNED: 4,
    Ownership.COLLECTIVE: 2,
    Ownership.HMT_INVESTED: 2,
    Ownership.FOREIGN_INVESTED: 2,
    Ownership.INDIVIDUAL: 8,
    Ownership.OTHER: 2,
}
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红"
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

# Founding days: most firms from 1995 on, more of them in later years; some state-owned and
# collective ones are older. A few are new since the start of the indicators (2024).
FOUNDED_FROM, OLD_FOUNDED_FROM = date(1995, 1, 1), date(1978, 1, 1)
NEW_FROM, LAST_DAY = date(2024, 1, 1), date(2026, 10, 31)
NEW_SHARE = 0.04
_OLD_OWNERSHIPS = {Ownership.STATE_OWNED, Ownership.COLLECTIVE}
# Changes since 2024 of the firms founded before (create_history).
GROWN_FROM, STOPPED_FROM = date(2024, 3, 1), date(2024, 2, 1)
# Shares of the firms operating today: of those up to 30 % over a size threshold, and of the
# others (together about 6 % of all firms); and of the firms not operating today.
CROSSED_SHARE, GROWN_SHARE, STOPPED_SHARE = 0.3, 0.05, 1 / 3
SIZE_THRESHOLDS = (25, 100, 200)


@dataclass(frozen=True)
class Scale:
    townships_per_district: int
    enterprises: int
    parks_per_district: int


SCALES = {
    "small": Scale(townships_per_district=5, enterprises=2_000, parks_per_district=1),
    "city": Scale(townships_per_district=25, enterprises=1_200_000, parks_per_district=3),
}


def districts() -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(level=OrgUnit.Level.DISTRICT).order_by("code"))


def _place_name(rng: random.Random, used: set[str]) -> str:
    for _ in range(200):
        name = rng.choice(_FIRST) + rng.choice(_SECOND)
        if name not in used:
            used.add(name)
            return name
    raise RuntimeError("ran out of place names")


def _township_kind(rng, district: OrgUnit) -> tuple[str, str]:
    if district.code in URBAN and rng.random() < 0.8:
        return OrgUnit.Kind.STREET, "街道"
    return (OrgUnit.Kind.TOWN, "镇") if rng.random() < 0.85 else (OrgUnit.Kind.TOWNSHIP, "乡")


@transaction.atomic
def create_townships(rng: random.Random, per_district: int) -> int:
    """Townships/streets under every district; those of 江北区 and 渝北区 end at the merge."""
    units = {unit.code: unit for unit in districts()}
    created = []
    for district in units.values():
        used: set[str] = set()
        for index in range(1, per_district + 1):
            kind, suffix = _township_kind(rng, district)
            created.append(
                OrgUnit(
                    code=f"{district.code}{index:03d}",
                    name=_place_name(rng, used) + suffix,
                    level=OrgUnit.Level.TOWNSHIP,
                    kind=kind,
                    parent=district,
                    valid_to=district.valid_to,
                )
            )
    OrgUnit.objects.bulk_create(created, batch_size=1000)
    _move_merged_townships(units)
    rebuild_unit_tree()
    return len(created)


def _move_merged_townships(units: dict[str, OrgUnit]) -> None:
    """Successor townships for the ended districts: new codes under the receiving district."""
    liangjiang, beibei = units.get("500157"), units.get("500109")
    if liangjiang is None or beibei is None:
        return
    next_index = {"500157": 900, "500109": 900}
    for old_code in ("500105", "500112"):
        if old_code not in units:
            continue
        olds = list(OrgUnit.objects.filter(parent=units[old_code]).order_by("code"))
        # Small demo sets have few towns: keep at least half of them for 两江新区.
        to_beibei = min(TOWNS_TO_BEIBEI, len(olds) // 2) if old_code == "500112" else 0
        for position, old in enumerate(olds):
            target = beibei if position < to_beibei else liangjiang
            next_index[target.code] += 1
            new = OrgUnit.objects.create(
                code=f"{target.code}{next_index[target.code]:03d}",
                name=old.name,
                level=old.level,
                kind=old.kind,
                parent=target,
                valid_from=MERGE_DAY,
            )
            old.successor = new
            old.save(update_fields=["successor"])


@transaction.atomic
def create_parks(rng: random.Random, per_district: int) -> int:
    parks = []
    for district in districts():
        if district.valid_to is not None:
            continue
        short = district.name.rstrip("区县").replace("土家族自治", "").replace("苗族", "")[:2]
        for index in range(1, per_district + 1):
            label = ["工业园区", "高新技术产业园", "经济开发区"][(index - 1) % 3]
            # Set up long before any day the demo counts: as of every day, every park counts.
            founded = date(2004 + index, 3, 1)
            parks.append(
                IndustrialPark(
                    code=f"P{district.code}{index:02d}",
                    name=f"{short}{label}",
                    unit=district,
                    established_on=founded,
                    state_since=founded,
                )
            )
    IndustrialPark.objects.bulk_create(parks)
    return len(parks)


def make_uscc(rng: random.Random, district_code: str) -> str:
    division = district_code if district_code.isdigit() else "500000"
    body = "91" + division + "".join([rng.choice(_USCC_ALPHABET) for _ in range(9)])
    return body + stdnum_uscc.calc_check_digit(body)


class _Weighted:
    """``rng.choices(keys, weights=…)[0]`` with the cumulative weights worked out once.

    ``random.choices`` turns ``weights`` into the same cumulative list on every call, so
    passing ``cum_weights`` draws exactly the same values from the same seed, only faster.
    """

    def __init__(self, weights: dict):
        self.keys = list(weights)
        self.cum_weights = list(itertools.accumulate(weights.values()))

    def draw(self, rng: random.Random):
        return rng.choices(self.keys, cum_weights=self.cum_weights)[0]


_INDUSTRY = _Weighted(_INDUSTRY_WEIGHTS)
_OWNERSHIP = _Weighted(_OWNERSHIP_WEIGHTS)


def _employees(rng: random.Random) -> int:
    return max(1, min(30_000, int(math.exp(rng.gauss(2.3, 1.3)))))


def _day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def _founded(rng: random.Random, ownership: str, new: bool, ends: date | None) -> date:
    if new:
        # A firm founded in a district that has since ended was founded before it ended.
        return _day_between(rng, NEW_FROM, min(LAST_DAY, ends or LAST_DAY))
    first = FOUNDED_FROM
    if ownership in _OLD_OWNERSHIPS and rng.random() < 0.4:
        first = OLD_FOUNDED_FROM
    span = (NEW_FROM - first).days
    # A power below 1 leans the days towards the end: more firms were founded lately.
    return first + timedelta(days=int(span * rng.random() ** 0.6))


def _status(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.86:
        return EnterpriseStatus.OPERATING
    return EnterpriseStatus.SUSPENDED if roll < 0.92 else EnterpriseStatus.DEREGISTERED


def _person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))


def _phone(rng: random.Random) -> str:
    return rng.choice(["138", "139", "135", "136", "150", "151", "158", "177", "186", "189"]) + (
        f"{rng.randrange(10**8):08d}"
    )


def enterprise_values(rng: random.Random, count: int):
    """The field values of ``count`` enterprises spread over the districts by weight.

    Foreign keys are given as ``unit``/``township``/``park`` objects; the phone in clear.
    The units and parks are read here, before the first row is asked for, so the rows can
    be drawn while the connection is busy with a COPY.
    """
    units = districts()
    townships: dict[int, list[OrgUnit]] = {}
    for township in OrgUnit.objects.filter(level=OrgUnit.Level.TOWNSHIP, valid_from__isnull=True):
        townships.setdefault(township.parent_id, []).append(township)
    parks: dict[int, list[IndustrialPark]] = {}
    for park in IndustrialPark.objects.all():
        parks.setdefault(park.unit_id, []).append(park)
    return _draw_values(rng, count, units, townships, parks)


def _draw_values(rng, count, units, townships, parks):
    unit_draw = _Weighted({unit: WEIGHT.get(unit.code, 1.0) for unit in units})
    now = timezone.now()
    seen: set[str] = set()
    for _ in range(count):
        unit = unit_draw.draw(rng)
        code = make_uscc(rng, unit.code)
        while code in seen:
            code = make_uscc(rng, unit.code)
        seen.add(code)
        industry = _INDUSTRY.draw(rng)
        ownership = _OWNERSHIP.draw(rng)
        new = rng.random() < NEW_SHARE
        founded = _founded(rng, ownership, new, unit.valid_to)
        employees = _employees(rng)
        if new and employees >= SIZE_THRESHOLDS[0]:
            employees = rng.randint(2, SIZE_THRESHOLDS[0] - 1)
        phone = _phone(rng) if rng.random() < 0.35 else ""
        area = unit.name[:-1] if len(unit.name) > 2 else unit.name
        prefix = area if rng.random() < 0.3 else ""
        name = f"重庆{prefix}{rng.choice(_BRAND)}{rng.choice(_TRADE[industry])}有限公司"
        unit_townships = townships.get(unit.pk)
        township = rng.choice(unit_townships) if unit_townships else None
        park_list = parks.get(unit.pk)
        park = (
            rng.choice(park_list) if park_list and industry == "C" and rng.random() < 0.5 else None
        )
        yield {
            "uscc": code,
            "name": name,
            "unit": unit,
            "township": township,
            "park": park,
            "industry": industry,
            "ownership": ownership,
            "employee_count": employees,
            # New firms are operating: with no earlier state, any other status would say
            # they never operated. No firm is marked "已建工会" here: that flag is the union
            # records' copy, set by the relations demo from the unions it writes.
            "status": EnterpriseStatus.OPERATING if new else _status(rng),
            "union_established": False,
            "established_on": founded,
            "state_since": founded,
            "address": f"重庆市{unit.name}{rng.choice(_BRAND)}路{rng.randint(1, 999)}号",
            "legal_representative": _person(rng),
            "contact_phone": phone,
            "contact_phone_hash": blind_index(phone) if phone else "",
            "created_at": now,
            "updated_at": now,
        }


def enterprise_rows(rng: random.Random, count: int):
    """Yield unsaved Enterprise objects spread over the districts by weight."""
    for values in enterprise_values(rng, count):
        yield Enterprise(**values)


def create_enterprises(rng: random.Random, count: int, batch: int = 5000, progress=None) -> int:
    """Write ``count`` enterprises: COPY on PostgreSQL, bulk_create elsewhere; then their
    history (``create_history``)."""
    before = Enterprise.objects.aggregate(last=Max("pk"))["last"] or 0
    if connection.vendor == "postgresql":
        return _copy_enterprises(rng, count, progress, after_pk=before)
    written = 0
    pending: list[Enterprise] = []
    for enterprise in enterprise_rows(rng, count):
        pending.append(enterprise)
        if len(pending) >= batch:
            written += _flush(pending)
            if progress:
                progress(written, count)
    written += _flush(pending)
    create_history(rng, after_pk=before)
    return written


def _flush(pending: list[Enterprise]) -> int:
    if not pending:
        return 0
    with transaction.atomic():
        Enterprise.objects.bulk_create(pending, batch_size=1000)
    size = len(pending)
    pending.clear()
    return size


# --- history ------------------------------------------------------------------------------

_HISTORY_COLUMNS = (
    "pk",
    "established_on",
    "unit_id",
    "township_id",
    "park_id",
    "industry",
    "status",
    "employee_count",
)


def create_history(rng: random.Random, after_pk: int = 0, batch: int = 5000) -> int:
    """Earlier states of the enterprises after ``after_pk`` founded before 2024; returns the
    number of ``EnterpriseState`` rows written.

    About 6 % grew to today's head count on a day since March 2024; about a third of those not
    operating today stopped on a day since February 2024. Each such firm gets one row, from its
    founding to the day of the change, and its ``state_since`` moves to that day. The rows go
    in bulk_create batches while the firms are read as tuples in chunks (never 1.2 million
    model instances); ``state_since`` is set per day of change, a thousand or so UPDATEs.
    """
    ends = dict(
        OrgUnit.objects.filter(level=OrgUnit.Level.DISTRICT, valid_to__isnull=False).values_list(
            "pk", "valid_to"
        )
    )
    rows = (
        Enterprise.objects.filter(pk__gt=after_pk, established_on__lt=NEW_FROM)
        .order_by("pk")
        .values_list(*_HISTORY_COLUMNS)
        .iterator(chunk_size=batch)
    )
    now = timezone.now()
    changed_on: dict[date, list[int]] = {}
    pending: list[EnterpriseState] = []
    written = 0
    with transaction.atomic():
        for pk, founded, unit_id, township_id, park_id, industry, status, employees in rows:
            earlier = _earlier(rng, status, employees)
            if earlier is None:
                continue
            first, was_status, was_employees = earlier
            # Changes in a district that has since ended happened while it existed.
            day = _day_between(rng, first, min(LAST_DAY, ends.get(unit_id, LAST_DAY)))
            pending.append(
                EnterpriseState(
                    enterprise_id=pk,
                    valid_from=founded,
                    valid_until=day,
                    unit_id=unit_id,
                    township_id=township_id,
                    park_id=park_id,
                    industry=industry,
                    status=was_status,
                    employee_count=was_employees,
                    recorded_at=now,
                )
            )
            changed_on.setdefault(day, []).append(pk)
            if len(pending) >= batch:
                written += len(EnterpriseState.objects.bulk_create(pending, batch_size=1000))
                pending.clear()
        written += len(EnterpriseState.objects.bulk_create(pending, batch_size=1000))
        for day, pks in sorted(changed_on.items()):
            for start in range(0, len(pks), 1000):
                Enterprise.objects.filter(pk__in=pks[start : start + 1000]).update(state_since=day)
    return written


def _earlier(rng: random.Random, status: str, employees: int) -> tuple[date, str, int] | None:
    """(first possible day of the change, earlier status, earlier head count) of a firm that
    changed since 2024, or None for one that did not. Earlier head counts are 70–95 % of
    today's, and at least 1."""
    if status != EnterpriseStatus.OPERATING:
        if rng.random() < STOPPED_SHARE:
            return STOPPED_FROM, EnterpriseStatus.OPERATING, employees
        return None
    # Only operating firms grew: a head count that changed while stopped is no story.
    low = max(1, math.ceil(employees * 0.7))
    crossed = [t for t in SIZE_THRESHOLDS if low < t <= employees]
    if crossed:
        # Firms just over a size threshold grew across it more often than the others did, so
        # counts by size as of a past day differ visibly from today's.
        if rng.random() < CROSSED_SHARE:
            return GROWN_FROM, status, rng.randint(low, crossed[-1] - 1)
        return None
    if employees >= 2 and rng.random() < GROWN_SHARE:
        count = round(employees * rng.uniform(0.7, 0.95))
        return GROWN_FROM, status, min(employees - 1, max(1, count))
    return None


# --- PostgreSQL: COPY ---------------------------------------------------------------------

_COPY_COLUMNS = (
    "uscc",
    "name",
    "unit_id",
    "township_id",
    "park_id",
    "industry",
    "ownership",
    "employee_count",
    "status",
    "union_established",
    "established_on",
    "state_since",
    "address",
    "legal_representative",
    "contact_phone",
    "contact_phone_hash",
    "version",
    "created_at",
    "updated_at",
)


def _copy_enterprises(rng: random.Random, count: int, progress=None, after_pk: int = 0) -> int:
    """One transaction: set the table's secondary indexes aside, COPY the rows, write their
    history, rebuild the indexes.

    Building an index once over a million sorted rows is several times cheaper than keeping
    fifteen indexes (one of them a trigram GIN) up to date row by row. The primary key and
    the unique USCC constraint stay, so uniqueness is enforced throughout; the foreign keys
    are checked as usual. Transactional DDL means an interrupted load leaves nothing behind.
    """
    table = Enterprise._meta.db_table
    columns = ", ".join(_COPY_COLUMNS)
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('maintenance_work_mem', '256MB', true), "
            "set_config('synchronous_commit', 'off', true)"
        )
        indexes = _set_aside_indexes(cursor, table)
        rows = enterprise_values(rng, count)  # reads units and parks: before the COPY
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # noqa: S608
            for values in rows:
                phone = values["contact_phone"]
                township, park = values["township"], values["park"]
                copy.write_row(
                    (
                        values["uscc"],
                        values["name"],
                        values["unit"].pk,
                        township.pk if township else None,
                        park.pk if park else None,
                        values["industry"],
                        values["ownership"],
                        values["employee_count"],
                        values["status"],
                        values["union_established"],
                        values["established_on"],
                        values["state_since"],
                        values["address"],
                        values["legal_representative"],
                        encrypt(phone) if phone else "",
                        values["contact_phone_hash"],
                        1,
                        values["created_at"],
                        values["updated_at"],
                    )
                )
                written += 1
                if progress and written % 5000 == 0:
                    progress(written, count)
        # The history moves ``state_since`` of a tenth of the rows: each update writes a new
        # row version into every index, so it is cheaper done while only two are left.
        create_history(rng, after_pk=after_pk)
        # The foreign keys are deferred to the commit; check them now, since an index
        # cannot be built over rows with pending checks (the updates of rows inserted in this
        # transaction queue checks too, hence after the history).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for definition in indexes:
            cursor.execute(definition)
    _analyze()
    if progress and written % 5000:
        progress(written, count)
    return written


def _analyze() -> None:
    """Fresh statistics and a visibility map: the planner's estimates and index-only scans
    depend on them, and autovacuum may be off or minutes away. The history table too: it is
    new, and "which enterprises were different on day D" reads its index."""
    command = "ANALYZE " if connection.in_atomic_block else "VACUUM (ANALYZE) "
    with connection.cursor() as cursor:
        for model in (Enterprise, EnterpriseState):
            cursor.execute(command + model._meta.db_table)


def _set_aside_indexes(cursor, table: str) -> list[str]:
    """Drop the table's indexes that no constraint owns; return their definitions."""
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = %s::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        """,
        [table],
    )
    found = cursor.fetchall()
    for name, _ in found:
        cursor.execute(f"DROP INDEX {name}")
    return [definition for _, definition in found]
