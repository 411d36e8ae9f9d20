"""Plausible demo data for every district: townships/streets, parks, enterprises.

Everything is drawn from one seeded random generator, so the same seed gives the same city.
Large volumes are written set-based, never one save per row: with PostgreSQL's COPY (the
city scale, 1.2 million enterprises, in a few minutes), elsewhere in bulk_create batches.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.utils import timezone
from stdnum.cn import uscc as stdnum_uscc

from yutong.core.models import OrgUnit
from yutong.core.personal import blind_index, encrypt
from yutong.core.services import rebuild_unit_tree
from yutong.registry.choices import EnterpriseStatus, Ownership
from yutong.registry.models import Enterprise, IndustrialPark

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
            parks.append(
                IndustrialPark(
                    code=f"P{district.code}{index:02d}", name=f"{short}{label}", unit=district
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


def _status(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.86:
        return EnterpriseStatus.OPERATING
    return EnterpriseStatus.SUSPENDED if roll < 0.92 else EnterpriseStatus.DEREGISTERED


def _union(rng: random.Random, employees: int) -> bool:
    chance = 0.85 if employees >= 100 else 0.45 if employees >= 25 else 0.04
    return rng.random() < chance


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
        employees = _employees(rng)
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
            "ownership": _OWNERSHIP.draw(rng),
            "employee_count": employees,
            "status": _status(rng),
            "union_established": _union(rng, employees),
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
    """Write ``count`` enterprises: COPY on PostgreSQL, bulk_create elsewhere."""
    if connection.vendor == "postgresql":
        return _copy_enterprises(rng, count, progress)
    written = 0
    pending: list[Enterprise] = []
    for enterprise in enterprise_rows(rng, count):
        pending.append(enterprise)
        if len(pending) >= batch:
            written += _flush(pending)
            if progress:
                progress(written, count)
    written += _flush(pending)
    return written


def _flush(pending: list[Enterprise]) -> int:
    if not pending:
        return 0
    with transaction.atomic():
        Enterprise.objects.bulk_create(pending, batch_size=1000)
    size = len(pending)
    pending.clear()
    return size


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
    "address",
    "legal_representative",
    "contact_phone",
    "contact_phone_hash",
    "version",
    "created_at",
    "updated_at",
)


def _copy_enterprises(rng: random.Random, count: int, progress=None) -> int:
    """One transaction: set the table's secondary indexes aside, COPY the rows, rebuild them.

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
        # The foreign keys are deferred to the commit; check them now, since an index
        # cannot be built over rows with pending checks.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for definition in indexes:
            cursor.execute(definition)
    # Fresh statistics and a visibility map: the planner's estimates and index-only scans
    # depend on them, and autovacuum may be off or minutes away.
    with connection.cursor() as cursor:
        cursor.execute(("ANALYZE " if connection.in_atomic_block else "VACUUM (ANALYZE) ") + table)
    if progress and written % 5000:
        progress(written, count)
    return written


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
