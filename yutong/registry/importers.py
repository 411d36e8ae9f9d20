"""The enterprise and park sheets: columns, set-based checks and a set-based commit."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from yutong.core import audit, counts, imports, roles, scope
from yutong.core.models import OrgUnit
from yutong.core.permissions import require_role
from yutong.core.personal import blind_index, is_valid_phone, mask_phone, normalise_phone

from .choices import INDUSTRY_SECTIONS, EnterpriseStatus, Ownership
from .models import Enterprise, IndustrialPark
from .validators import normalise_uscc, validate_uscc

CHUNK = 5000
INDUSTRY_MESSAGE = "行业应为门类代码（A–T）或名称，例如 C 或 制造业"


def _uscc(value) -> str:
    code = normalise_uscc(imports.text(value))
    if not code:
        return ""
    try:
        validate_uscc(code)
    except Exception as exc:
        raise imports.CellError("统一社会信用代码无效（应为 18 位且校验位正确）") from exc
    return code


def _phone(value) -> str:
    phone = normalise_phone(imports.text(value))
    if phone and not is_valid_phone(phone):
        raise imports.CellError("联系电话格式不正确")
    return phone


def _name(value) -> str:
    name = imports.text(value)
    if len(name) > 200:
        raise imports.CellError("企业名称不能超过 200 个字")
    return name


def _established_on(value):
    day = imports.day(value)
    if day is not None and day > timezone.localdate():
        raise imports.CellError("不能晚于今天")
    return day


class EnterpriseImporter(imports.Importer):
    kind = "enterprise"
    job_view = "registry:import_detail"
    title = "企业名录"
    label_column = "name"
    # Sheets made from the old template still carry it; the union records hold the truth.
    ignored_columns = {"已建工会": "工会情况以工会组建记录为准"}
    # ``check`` reads every value with ``.get``: a row's placement and duplicate errors are
    # reported together with its cell errors.
    checks_rows_with_cell_errors = True
    columns = (
        imports.Column("uscc", "统一社会信用代码", _uscc, example="91500000MA5U7AB121"),
        imports.Column("name", "企业名称", _name, example="重庆某某机械制造有限公司"),
        imports.Column("unit", "所属区县", imports.text, example="渝中区", help="区县名称或代码"),
        imports.Column("township", "所属镇街", imports.text, required=False, example=""),
        imports.Column(
            "industry",
            "行业门类",
            imports.choice(INDUSTRY_SECTIONS, message=INDUSTRY_MESSAGE, show_codes=True),
            example="C",
            help="国民经济行业分类（GB/T 4754）门类代码 A–T 或名称，例如 C 或 制造业",
        ),
        imports.Column(
            "ownership", "经济类型", imports.choice(dict(Ownership.choices)), example="私营企业"
        ),
        imports.Column("employee_count", "职工人数", imports.integer, example="120"),
        imports.Column(
            "status",
            "经营状态",
            imports.choice(dict(EnterpriseStatus.choices)),
            required=False,
            example="存续经营",
        ),
        imports.Column(
            "established_on",
            "成立日期",
            _established_on,
            required=False,
            example="2015-06-30",
            help="格式 YYYY-MM-DD，如 2015-06-30",
        ),
        imports.Column("address", "地址", imports.text_up_to(200), required=False),
        imports.Column(
            "legal_representative", "法定代表人", imports.text_up_to(64), required=False
        ),
        imports.Column("contact_phone", "联系电话", _phone, required=False),
    )

    def require_permission(self, actor) -> None:
        require_role(actor, *roles.REGISTRY_EDITORS)

    def check(self, actor, rows):
        errors: list[imports.RowError] = []
        districts, townships = _unit_lookup(timezone.localdate())
        place = _Placement(actor)
        seen: dict[str, int] = {}
        for row in rows:
            errors.extend(_place_row(row, districts, townships, place))
            code = row.values.get("uscc")
            if not code:  # refused or empty: its cell error says so
                continue
            first = seen.setdefault(code, row.number)
            if first != row.number:
                errors.append(
                    imports.RowError(row.number, "统一社会信用代码", f"与第 {first} 行重复")
                )
        errors.extend(_already_registered(rows))
        return errors

    def commit(self, actor, rows, job) -> int:
        now = timezone.now()
        created = 0
        for start in range(0, len(rows), CHUNK):
            batch = [_enterprise(row.values, now) for row in rows[start : start + CHUNK]]
            Enterprise.objects.bulk_create(batch, batch_size=1000)
            _audit_batch(actor, batch, job, now)
            created += len(batch)
        _counts_changed("enterprise", Enterprise, now, [row.values for row in rows])
        return created


class _Placement:
    """Where the actor may register enterprises: the data-scope rule for a record about to be
    created (``scope.record_in_scope``). A township account files under its district, and the
    township column must then name its own township."""

    def __init__(self, actor):
        self.actor = actor
        reach = scope.reach_for(actor)
        self.districts = None
        if reach is not None:
            self.districts = set(scope.units_visible_to(actor).values_list("id", flat=True))
        loose = () if reach is None else reach.townships
        self.own = "、".join(OrgUnit.objects.filter(id__in=loose).values_list("name", flat=True))

    def unit_allowed(self, unit: OrgUnit) -> bool:
        return self.districts is None or unit.pk in self.districts

    def township_error(self, unit: OrgUnit, township: OrgUnit | None) -> str | None:
        if scope.record_in_scope(self.actor, Enterprise(unit=unit, township=township)):
            return None
        if township is None:
            return f"请填写您所在的镇街（{self.own}）"
        return f"不在您的管辖范围内（只能导入{self.own}的企业）"


def _place_row(row, districts, townships, place: _Placement) -> list[imports.RowError]:
    """Resolve the unit and township columns of ``row`` in place; the errors of both.

    A cell already refused (``row.failed``, or a required one left empty) is not checked
    again: its cell error stands, and the other column is still checked where it can be."""
    values = row.values
    if "unit" not in values:
        return []  # empty or refused: the cell error says so; a township needs its district
    unit = districts.get(values["unit"])
    name = values.get("township") or ""
    township_failed = "township" in getattr(row, "failed", ())
    values["unit"], values["township"] = unit, None
    if unit is None:
        return [imports.RowError(row.number, "所属区县", "不是现行的区县级单位")]
    errors = []
    if not place.unit_allowed(unit):
        errors.append(imports.RowError(row.number, "所属区县", "不在您的管辖范围内"))
    if name:
        values["township"] = townships.get((unit.pk, name))
        if values["township"] is None:
            errors.append(imports.RowError(row.number, "所属镇街", f"{unit.name}没有该镇街"))
    if not errors and not township_failed:
        message = place.township_error(unit, values["township"])
        if message:
            errors.append(imports.RowError(row.number, "所属镇街", message))
    return errors


def _unit_lookup(today):
    districts: dict[str, OrgUnit] = {}
    townships: dict[tuple[int, str], OrgUnit] = {}
    for unit in OrgUnit.objects.filter(OrgUnit.valid_on_q(today)).exclude(level="city"):
        if unit.level == OrgUnit.Level.DISTRICT:
            districts[unit.code] = districts[unit.name] = unit
        else:
            townships[(unit.parent_id, unit.code)] = townships[(unit.parent_id, unit.name)] = unit
    return districts, townships


def _already_registered(rows) -> list[imports.RowError]:
    """Every row whose (valid) code is registered already, repeated rows included."""
    by_code: dict[str, list[int]] = {}
    for row in rows:
        if row.values.get("uscc"):
            by_code.setdefault(row.values["uscc"], []).append(row.number)
    codes = list(by_code)
    errors = []
    for start in range(0, len(codes), CHUNK):
        existing = Enterprise.objects.filter(uscc__in=codes[start : start + CHUNK])
        for code in existing.values_list("uscc", flat=True):
            errors.extend(
                imports.RowError(number, "统一社会信用代码", "该企业已登记")
                for number in by_code[code]
            )
    return errors


def _enterprise(values: dict, now) -> Enterprise:
    phone = values.get("contact_phone") or ""
    return Enterprise(
        uscc=values["uscc"],
        name=values["name"],
        unit=values["unit"],
        township=values.get("township"),
        industry=values["industry"],
        ownership=values["ownership"],
        employee_count=values["employee_count"],
        status=values.get("status") or EnterpriseStatus.OPERATING,
        # As register_enterprise: the present values hold from the founding day.
        established_on=values.get("established_on"),
        state_since=values.get("established_on"),
        address=values.get("address") or "",
        legal_representative=values.get("legal_representative") or "",
        contact_phone=phone,
        contact_phone_hash=blind_index(phone) if phone else "",
        created_at=now,
        updated_at=now,
    )


def _audit_batch(actor, batch: list[Enterprise], job, now) -> None:
    audit.record_many(
        actor,
        "import_enterprise",
        batch,
        lambda enterprise: {
            **audit.diff(
                {},
                {
                    "uscc": enterprise.uscc,
                    "name": enterprise.name,
                    "established_on": enterprise.established_on,
                    "contact_phone": mask_phone(enterprise.contact_phone),
                },
            ),
            "import_job": [None, job.pk],
        },
        at=now,
    )


def _counts_changed(kind: str, model, now, values: list[dict]) -> None:
    """Rows written with ``bulk_create`` bypass the kept counts' signals: name them (by their
    creation time, which they share) and the earliest day they count from."""
    written = model.objects.filter(created_at=now).values("pk")
    days = [row.get("established_on") for row in values]
    first = None if not days or None in days else min(days)
    counts.records_changed(kind, among=lambda key: Q(**{f"{key}__in": written}), first=first)


imports.register(EnterpriseImporter())


# --- industrial parks -----------------------------------------------------------------------


def _park_code(value) -> str:
    code = imports.text(value).upper()
    if len(code) > 16:
        raise imports.CellError("园区代码不能超过 16 个字符")
    return code


def _park_name(value) -> str:
    name = imports.text(value)
    if len(name) > 128:
        raise imports.CellError("园区名称不能超过 128 个字")
    return name


def _park_address(value) -> str:
    address = imports.text(value)
    if len(address) > 200:
        raise imports.CellError("地址不能超过 200 个字")
    return address


class ParkImporter(imports.Importer):
    """The park sheet: parks in operation, each from its 设立日期 (as ``services.create_park``)."""

    kind = "park"
    label_column = "name"
    job_view = "registry:park_import_detail"
    title = "工业园区"
    columns = (
        imports.Column("code", "园区代码", _park_code, example="P50010301"),
        imports.Column("name", "园区名称", _park_name, example="渝中数字经济产业园"),
        imports.Column("unit", "所在区县", imports.text, example="渝中区", help="区县名称或代码"),
        imports.Column("township", "所在镇街", imports.text, required=False, example=""),
        imports.Column(
            "established_on",
            "设立日期",
            _established_on,
            required=False,
            example="2012-03-01",
            help="格式 YYYY-MM-DD；按过去某日统计时，设立日期之前不计入该园区",
        ),
        imports.Column("address", "地址", _park_address, required=False),
    )

    def require_permission(self, actor) -> None:
        require_role(actor, *roles.REGISTRY_EDITORS)

    def check(self, actor, rows):
        errors: list[imports.RowError] = []
        districts, townships = _unit_lookup(timezone.localdate())
        place = _Placement(actor)
        seen: dict[str, int] = {}
        for row in rows:
            for error in _place_row(row, districts, townships, place):
                # The enterprise sheet's headers and wording, in this sheet's words.
                column = {"所属区县": "所在区县", "所属镇街": "所在镇街"}.get(error.column)
                message = error.message.replace("的企业", "的园区")
                errors.append(imports.RowError(error.row, column or error.column, message))
            first = seen.setdefault(row.values["code"], row.number)
            if first != row.number:
                errors.append(imports.RowError(row.number, "园区代码", f"与第 {first} 行重复"))
        codes = {row.values["code"]: row.number for row in rows}
        existing = IndustrialPark.objects.filter(code__in=list(codes))
        for code in existing.values_list("code", flat=True):
            errors.append(imports.RowError(codes[code], "园区代码", "该园区代码已登记"))
        return errors

    def commit(self, actor, rows, job) -> int:
        now = timezone.now()
        batch = [_park(row.values, now) for row in rows]
        IndustrialPark.objects.bulk_create(batch, batch_size=1000)
        _counts_changed("park", IndustrialPark, now, [row.values for row in rows])
        audit.record_many(
            actor,
            "import_park",
            batch,
            lambda park: {
                **audit.diff(
                    {},
                    {
                        "code": park.code,
                        "name": park.name,
                        "township": park.township,
                        "established_on": park.established_on,
                    },
                ),
                "import_job": [None, job.pk],
            },
            at=now,
        )
        return len(batch)


def _park(values: dict, now) -> IndustrialPark:
    return IndustrialPark(
        code=values["code"],
        name=values["name"],
        unit=values["unit"],
        township=values.get("township"),
        address=values.get("address") or "",
        # As create_park: the park is counted from its founding day.
        established_on=values.get("established_on"),
        state_since=values.get("established_on"),
        created_at=now,
        updated_at=now,
    )


imports.register(ParkImporter())
