"""Changes of state for the registry: register and edit enterprises, industrial parks and
construction projects (one transaction each)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.dispatch import Signal
from django.utils import timezone

from yutong.core import audit, counts, roles
from yutong.core.models import OrgUnit
from yutong.core.permissions import require_record, require_role
from yutong.core.personal import blind_index, mask_phone, normalise_phone

from . import history
from .choices import ProjectStatus
from .models import ConstructionProject, Enterprise, IndustrialPark, ProjectSubcontractor
from .validators import normalise_uscc

EDITABLE_FIELDS = (
    "name",
    "unit",
    "township",
    "park",
    "industry",
    "ownership",
    "employee_count",
    "status",
    "established_on",
    "address",
    "legal_representative",
    "contact_phone",
)


def snapshot(enterprise: Enterprise) -> dict:
    """Field values for the audit trail; personal data only in masked form."""
    fields = ("uscc", *EDITABLE_FIELDS, "union_established")
    data = {field: getattr(enterprise, field) for field in fields}
    data["contact_phone"] = mask_phone(enterprise.contact_phone)
    data["state_since"] = enterprise.state_since
    return data


def check_placement(enterprise: Enterprise, recorded: Enterprise | None = None) -> None:
    """The unit is a district-level unit in force; the township and park lie inside it.

    A record keeps the unit of its time: an edit that leaves an ended unit (or township, or a
    closed park) as it was is accepted; only moving a record *into* one is refused.
    """
    errors = {}
    unit = enterprise.unit
    today = timezone.localdate()
    kept_unit = recorded is not None and recorded.unit_id == unit.pk
    if unit.level != OrgUnit.Level.DISTRICT:
        errors["unit"] = "所属区县必须是区县级单位。"
    elif not unit.is_valid_on(today) and not kept_unit:
        errors["unit"] = f"{unit.name}已于 {unit.valid_to} 撤销，请选择承继单位。"
    township = enterprise.township
    kept_township = (
        recorded is not None and township is not None and (recorded.township_id == township.pk)
    )
    if township is not None and township.parent_id != unit.pk:
        errors["township"] = f"{township.name}不属于{unit.name}。"
    elif township is not None and not township.is_valid_on(today) and not kept_township:
        errors["township"] = f"{township.name}已撤销。"
    park = enterprise.park
    kept_park = recorded is not None and park is not None and recorded.park_id == park.pk
    if park is not None and park.unit_id != unit.pk:
        errors["park"] = f"{park.name}不在{unit.name}。"
    elif (
        park is not None
        and not kept_park
        # Read again: the caller's copy may predate the closing.
        and not IndustrialPark.objects.filter(pk=park.pk, is_active=True).exists()
    ):
        errors["park"] = f"{park.name}已撤销，不能再将企业登记在该园区。"
    if errors:
        raise ValidationError(errors)


def _prepare(enterprise: Enterprise, recorded: Enterprise | None = None) -> None:
    enterprise.uscc = normalise_uscc(enterprise.uscc)
    enterprise.name = (enterprise.name or "").strip()
    enterprise.contact_phone = normalise_phone(enterprise.contact_phone)
    enterprise.full_clean()
    check_placement(enterprise, recorded)
    enterprise.contact_phone_hash = (
        blind_index(enterprise.contact_phone) if enterprise.contact_phone else ""
    )


@transaction.atomic
def register_enterprise(actor, **data) -> Enterprise:
    require_role(actor, *roles.REGISTRY_EDITORS)
    unknown = set(data) - {"uscc", *EDITABLE_FIELDS}
    if unknown:
        raise ValidationError({field: "未知字段。" for field in unknown})
    enterprise = Enterprise(**data)
    if enterprise.unit_id is None:
        raise ValidationError({"unit": "请选择所属区县。"})
    require_record(actor, enterprise)
    _prepare(enterprise)
    _check_established(enterprise.established_on)
    enterprise.state_since = enterprise.established_on
    enterprise.save()
    audit.record(
        actor, "register_enterprise", enterprise, changes=audit.diff({}, snapshot(enterprise))
    )
    return enterprise


@transaction.atomic
def update_enterprise(
    actor,
    enterprise: Enterprise,
    *,
    expected_version: int | None = None,
    effective_on: date | None = None,
    correction: bool = False,
    **changes,
) -> Enterprise:
    """Apply ``changes``; refuse if someone else saved the record since ``expected_version``.

    A change of a tracked field (history.TRACKED) takes effect on ``effective_on`` (today if
    not given): the values it replaces are kept for the days before, so counts as of a past day
    stay what they were. A ``correction`` mends a wrong entry instead: the new values hold for
    the whole present period and nothing is kept."""
    require_role(actor, *roles.REGISTRY_EDITORS)
    require_record(actor, enterprise)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({field: "该字段不能修改。" for field in unknown})
    current = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if expected_version is not None and current.version != expected_version:
        raise ValidationError(
            "该企业信息已被他人修改，请刷新页面查看最新内容后再保存。", code="conflict"
        )
    before = snapshot(current)
    previous = _tracked_values(history.ENTERPRISES, current)
    recorded = Enterprise(
        unit_id=current.unit_id, township_id=current.township_id, park_id=current.park_id
    )
    for field, value in changes.items():
        setattr(current, field, value)
    require_record(actor, current)
    _prepare(current, recorded)
    if current.established_on != before["established_on"]:
        _move_established(history.ENTERPRISES, current)
    moved = any(getattr(current, column) != value for column, value in previous.items())
    effective_on = effective_on or timezone.localdate()
    if moved and not correction:
        _keep_past(history.ENTERPRISES, current, previous, effective_on)
    after = snapshot(current)
    delta = audit.diff(before, after)
    if delta:
        current.version = F("version") + 1
        current.updated_at = timezone.now()
        current.save()
        current.refresh_from_db()
        if moved:
            effective = "更正" if correction else effective_on
            delta.update(audit.diff({}, {"effective_on": effective}))
        audit.record(actor, "update_enterprise", current, changes=delta)
    return current


# The history of a record (an enterprise, a park) is kept by the helpers below, given its
# ``history.Tracked``: the founding day starts the first period, a change closes the present one.


def _tracked_values(tracked: history.Tracked, record) -> dict:
    """The tracked fields' values, by attribute (the id, for a foreign key)."""
    columns = (tracked.model._meta.get_field(field).attname for field in tracked.fields)
    return {column: getattr(record, column) for column in columns}


def _founding_label(model) -> str:
    return model._meta.get_field("established_on").verbose_name  # 成立日期, 设立日期


def _check_established(day: date | None, model=Enterprise) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({"established_on": f"{_founding_label(model)}不能晚于今天。"})


def _move_established(tracked: history.Tracked, record) -> None:
    """A corrected founding day moves the start of the record's first known period."""
    day = record.established_on
    _check_established(day, tracked.model)
    first = tracked.states_of(record).order_by("valid_until").first()
    if first is None:
        record.state_since = day
        return
    if day is not None and day >= first.valid_until:
        label = _founding_label(tracked.model)
        raise ValidationError(
            {"established_on": f"{label}不能晚于已记录的登记事项变更日期（{first.valid_until}）。"}
        )
    tracked.state_model.objects.filter(pk=first.pk).update(valid_from=day)
    _counts_changed(tracked, record, None)


def _counts_changed(tracked: history.Tracked, record, first: date | None) -> None:
    """Past states written in bulk (``update``) bypass the kept counts' signals: say so."""
    kind = "enterprise" if tracked is history.ENTERPRISES else "park"
    counts.records_changed(kind, among=lambda key: Q(**{key: record.pk}), first=first)


def _keep_past(tracked: history.Tracked, record, previous: dict, effective_on: date) -> None:
    """Close the present period on ``effective_on``: the replaced values become a past state."""
    since = record.state_since
    if effective_on > timezone.localdate():
        raise ValidationError({"effective_on": "变更日期不能晚于今天。"})
    if record.established_on and effective_on < record.established_on:
        label = _founding_label(tracked.model)
        raise ValidationError({"effective_on": f"变更日期不能早于{label}。"})
    if since is not None and effective_on < since:
        _change_within_history(tracked, record, previous, effective_on)
        return
    if since != effective_on:  # an empty period [since, since) is not kept
        tracked.state_model.objects.create(
            **{tracked.owner: record},
            valid_from=since,
            valid_until=effective_on,
            **previous,
        )
    record.state_since = effective_on


def _change_within_history(tracked: history.Tracked, record, previous: dict, day: date) -> None:
    """A change recorded late, dated before the present period began (a firm that stopped on
    1 October, entered after today's head-count edit): the changed fields take their new values
    from ``day`` on, in every period since. The period that holds ``day`` is split there. Refused
    when a changed field moved again after ``day``: the later change would be lost."""
    columns = [column for column, value in previous.items() if getattr(record, column) != value]
    states = tracked.state_model.objects
    later = list(
        states.select_for_update()
        .filter(**{tracked.owner: record}, valid_until__gt=day)
        .order_by("valid_until")
    )
    holding = later[0]  # the periods tile time from the founding day, which is before ``day``
    for state in [*later[1:], None]:
        for column in columns:
            kept = previous[column] if state is None else getattr(state, column)
            if kept != getattr(holding, column):
                field = tracked.model._meta.get_field(column)  # an attname finds it too
                since = record.state_since if state is None else state.valid_from
                raise ValidationError(
                    {
                        "effective_on": f"{field.verbose_name}在 {since} 另有变更，不能登记更早的"
                        f"变更。请按时间顺序登记，或勾选“更正”。"
                    }
                )
    new_values = {column: getattr(record, column) for column in columns}
    if holding.valid_from != day:  # split: the part before ``day`` keeps the old values
        until = holding.valid_until
        states.filter(pk=holding.pk).update(valid_until=day)
        holding.pk, holding.valid_from, holding.valid_until = None, day, until
        holding.recorded_at = timezone.now()
        holding.save()
    states.filter(pk__in=[holding.pk, *(s.pk for s in later[1:])]).update(**new_values)
    _counts_changed(tracked, record, day)


# "已建工会" has one source of truth, the union records of the relations app: the flag is a copy
# their services keep (rules §7), never set by the enterprise form, the API or the import.
# Registry editors and union officers may keep it, each within their unit.
UNION_FLAG_EDITORS = (*roles.REGISTRY_EDITORS, roles.UNION_OFFICER)


@transaction.atomic
def set_union_established(actor, enterprise: Enterprise, established: bool) -> Enterprise:
    """Set the registry's "union established" flag, which the union records keep in step;
    nothing else of the enterprise changes."""
    require_role(actor, *UNION_FLAG_EDITORS)
    require_record(actor, enterprise)
    current = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if current.union_established == established:
        return current
    before = {"union_established": current.union_established}
    Enterprise.objects.filter(pk=current.pk).update(
        union_established=established, version=F("version") + 1, updated_at=timezone.now()
    )
    current.refresh_from_db()
    audit.record(
        actor,
        "set_union_established",
        current,
        changes=audit.diff(before, {"union_established": established}),
    )
    return current


# --- construction projects ------------------------------------------------------------------

PROJECT_FIELDS = (
    "name",
    "unit",
    "township",
    "address",
    "owner",
    "general_contractor",
    "contract_amount",
    "is_government_funded",
    "starts_on",
    "planned_completion_on",
    "completed_on",
    "status",
    "labour_officer",
    "labour_officer_phone",
    "sector",
    "authority",
)

# Sent inside the service's transaction after a project is registered or changed, so that the
# apps that keep figures about a project (the wage code in ``wages``) update them in the same
# transaction. The registry names no app that listens (dependencies point one way).
project_changed = Signal()


def project_snapshot(project: ConstructionProject, subcontractors=None) -> dict:
    """Field values for the audit trail: parties by credit code, the phone masked."""
    data = {field: getattr(project, field) for field in ("code", *PROJECT_FIELDS)}
    data["owner"] = project.owner.uscc if project.owner_id else None
    data["general_contractor"] = (
        project.general_contractor.uscc if project.general_contractor_id else None
    )
    data["labour_officer_phone"] = mask_phone(project.labour_officer_phone)
    if subcontractors is not None:
        data["subcontractors"] = ", ".join(
            f"{e.uscc} {scope}".strip() for e, scope in subcontractors
        )
    return data


def _placement_errors(record, recorded) -> dict:
    """As ``check_placement`` for enterprises, for a project or a park: a district-level unit in
    force (or the one the record already had), a township inside it."""
    errors = {}
    unit, township = record.unit, record.township
    today = timezone.localdate()
    if unit.level != OrgUnit.Level.DISTRICT:
        errors["unit"] = "所在区县必须是区县级单位。"
    elif not unit.is_valid_on(today) and not (recorded and recorded.unit_id == unit.pk):
        errors["unit"] = f"{unit.name}已于 {unit.valid_to} 撤销，请选择承继单位。"
    kept_township = (
        recorded is not None and township is not None and (recorded.township_id == township.pk)
    )
    if township is not None and township.parent_id != unit.pk:
        errors["township"] = f"{township.name}不属于{unit.name}。"
    elif township is not None and not township.is_valid_on(today) and not kept_township:
        errors["township"] = f"{township.name}已撤销。"
    return errors


def _check_project(project: ConstructionProject, recorded, subcontractors) -> None:
    errors = _placement_errors(project, recorded)
    starts, planned, completed = (
        project.starts_on,
        project.planned_completion_on,
        project.completed_on,
    )
    if starts and planned and planned < starts:
        errors["planned_completion_on"] = "计划竣工日期不能早于开工日期。"
    if starts and completed and completed < starts:
        errors["completed_on"] = "竣工日期不能早于开工日期。"
    today = timezone.localdate()
    if starts and starts > today and project.status != ProjectStatus.PLANNED:
        errors["starts_on"] = "开工日期在今天之后的项目，状态只能是“未开工”。"
    if completed and completed > today:
        errors["completed_on"] = "竣工日期不能晚于今天。"
    if project.status != ProjectStatus.PLANNED and not starts:
        errors["starts_on"] = "已开工的项目请填写开工日期。"
    if project.status == ProjectStatus.COMPLETED and not completed:
        errors["completed_on"] = "竣工项目请填写竣工日期。"
    if project.status != ProjectStatus.COMPLETED and completed:
        errors["status"] = "填写了竣工日期的项目，状态应为“竣工”。"
    if project.owner_id and project.owner_id == project.general_contractor_id:
        errors["general_contractor"] = "施工总承包单位不能与建设单位相同。"
    if project.labour_officer_phone and not project.labour_officer:
        errors["labour_officer"] = "填写了劳资专管员电话，请同时填写姓名。"
    seen = set()
    for enterprise, _scope in subcontractors or ():
        if enterprise.pk == project.general_contractor_id:
            errors["subcontractors"] = f"{enterprise.name}是施工总承包单位，不能同时列为分包单位。"
        elif enterprise.pk in seen:
            errors["subcontractors"] = f"分包单位{enterprise.name}重复填写。"
        seen.add(enterprise.pk)
    if errors:
        raise ValidationError(errors)


def _prepare_project(project: ConstructionProject, recorded, subcontractors) -> None:
    """Normalise, then report every problem at once, per field."""
    project.code = (project.code or "").strip().upper()
    project.name = (project.name or "").strip()
    project.labour_officer = (project.labour_officer or "").strip()
    project.labour_officer_phone = normalise_phone(project.labour_officer_phone)
    project.authority = (project.authority or "").strip()
    errors = {}
    try:
        project.full_clean(exclude=["code"] if recorded is not None else None)
    except ValidationError as exc:
        errors = exc.message_dict
        # The model's check constraints say again what the checks below say per field.
        errors.pop("__all__", None)
    # The kind of works and its authority go together: one without the other names no one.
    if project.sector and not project.authority:
        errors.setdefault(
            "authority", ["请填写该项目的行业主管部门（住房城乡建设、交通运输、水利等）。"]
        )
    elif project.authority and not project.sector:
        errors.setdefault("sector", ["请选择工程类别。"])
    if project.contract_amount is not None and project.contract_amount < 0:
        errors.setdefault("contract_amount", ["施工合同金额不能为负数。"])
    try:
        _check_project(project, recorded, subcontractors)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)


def _normalise_subcontractors(subcontractors) -> list[tuple[Enterprise, str]]:
    """``[enterprise, …]`` or ``[(enterprise, scope_of_work), …]`` → list of pairs."""
    pairs = []
    for item in subcontractors or ():
        if isinstance(item, Enterprise):
            pairs.append((item, ""))
        else:
            enterprise, scope_of_work = item
            pairs.append((enterprise, (scope_of_work or "").strip()[:100]))
    return pairs


def _write_subcontractors(project: ConstructionProject, pairs) -> None:
    ProjectSubcontractor.objects.filter(project=project).delete()
    ProjectSubcontractor.objects.bulk_create(
        ProjectSubcontractor(project=project, enterprise=e, scope_of_work=s) for e, s in pairs
    )


def _recorded_subcontractors(project: ConstructionProject) -> list[tuple[Enterprise, str]]:
    rows = (
        ProjectSubcontractor.objects.filter(project=project)
        .select_related("enterprise")
        .order_by("id")
    )
    return [(row.enterprise, row.scope_of_work) for row in rows]


@transaction.atomic
def register_project(actor, *, subcontractors=(), **data) -> ConstructionProject:
    require_role(actor, *roles.PROJECT_EDITORS)
    unknown = set(data) - {"code", *PROJECT_FIELDS}
    if unknown:
        raise ValidationError({field: "未知字段。" for field in unknown})
    project = ConstructionProject(**data)
    if project.unit_id is None:
        raise ValidationError({"unit": "请选择所在区县。"})
    require_record(actor, project)
    pairs = _normalise_subcontractors(subcontractors)
    _prepare_project(project, None, pairs)
    project.save()
    _write_subcontractors(project, pairs)
    audit.record(
        actor,
        "register_project",
        project,
        changes=audit.diff({}, project_snapshot(project, pairs)),
    )
    project_changed.send(sender=ConstructionProject, project=project, actor=actor)
    return project


@transaction.atomic
def update_project(
    actor,
    project: ConstructionProject,
    *,
    expected_version: int | None = None,
    subcontractors=None,
    **changes,
) -> ConstructionProject:
    """Apply ``changes`` (and replace the subcontractors when given); refuse if someone else
    saved the project since ``expected_version``."""
    require_role(actor, *roles.PROJECT_EDITORS)
    require_record(actor, project)
    unknown = set(changes) - set(PROJECT_FIELDS)
    if unknown:
        raise ValidationError({field: "该字段不能修改。" for field in unknown})
    current = ConstructionProject.objects.select_for_update().get(pk=project.pk)
    if expected_version is not None and current.version != expected_version:
        raise ValidationError(
            "该项目信息已被他人修改，请刷新页面查看最新内容后再保存。", code="conflict"
        )
    old_pairs = _recorded_subcontractors(current)
    before = project_snapshot(current, old_pairs)
    recorded = ConstructionProject(unit_id=current.unit_id, township_id=current.township_id)
    for field, value in changes.items():
        setattr(current, field, value)
    require_record(actor, current)
    pairs = old_pairs if subcontractors is None else _normalise_subcontractors(subcontractors)
    _prepare_project(current, recorded, pairs)
    delta = audit.diff(before, project_snapshot(current, pairs))
    if delta:
        if subcontractors is not None:
            _write_subcontractors(current, pairs)
        current.version = F("version") + 1
        current.updated_at = timezone.now()
        current.save()
        current.refresh_from_db()
        audit.record(actor, "update_project", current, changes=delta)
        project_changed.send(sender=ConstructionProject, project=current, actor=actor)
    return current


# --- industrial parks -----------------------------------------------------------------------

PARK_FIELDS = ("name", "unit", "township", "address", "established_on")


def park_snapshot(park: IndustrialPark) -> dict:
    """Field values for the audit trail."""
    data = {field: getattr(park, field) for field in ("code", *PARK_FIELDS)}
    data.update(is_active=park.is_active, closed_on=park.closed_on, state_since=park.state_since)
    return data


def _prepare_park(park: IndustrialPark, recorded: IndustrialPark | None) -> None:
    """Normalise, then report every problem at once, per field."""
    park.code = (park.code or "").strip().upper()
    park.name = (park.name or "").strip()
    park.address = (park.address or "").strip()
    errors = {}
    try:
        park.full_clean(exclude=["code"] if recorded is not None else None)
    except ValidationError as exc:
        errors = exc.message_dict
        errors.pop("__all__", None)  # the check constraint says what close_park guards
    if park.unit_id is not None:
        for field, message in _placement_errors(park, recorded).items():
            errors.setdefault(field, [message])
    if park.established_on is not None and park.established_on > timezone.localdate():
        errors.setdefault("established_on", ["设立日期不能晚于今天。"])
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_park(actor, **data) -> IndustrialPark:
    """Register a park. Its history starts on ``established_on`` (设立日期): on an earlier day
    it is not counted anywhere."""
    require_role(actor, *roles.REGISTRY_EDITORS)
    unknown = set(data) - {"code", *PARK_FIELDS}
    if unknown:
        raise ValidationError({field: "未知字段。" for field in unknown})
    park = IndustrialPark(**data)
    if park.unit_id is None:
        raise ValidationError({"unit": "请选择所在区县。"})
    require_record(actor, park)
    _prepare_park(park, None)
    park.state_since = park.established_on
    park.save()
    audit.record(actor, "create_park", park, changes=audit.diff({}, park_snapshot(park)))
    return park


def _locked_park(park: IndustrialPark, expected_version: int | None) -> IndustrialPark:
    current = IndustrialPark.objects.select_for_update().get(pk=park.pk)
    if expected_version is not None and current.version != expected_version:
        raise ValidationError(
            "该园区信息已被他人修改，请刷新页面查看最新内容后再保存。", code="conflict"
        )
    return current


def _record_park_change(actor, action: str, park: IndustrialPark, before: dict, extra=None) -> None:
    delta = audit.diff(before, park_snapshot(park))
    if not delta:
        return
    park.version = F("version") + 1
    park.updated_at = timezone.now()
    park.save()
    park.refresh_from_db()
    if extra:
        delta.update(audit.diff({}, extra))
    audit.record(actor, action, park, changes=delta)


@transaction.atomic
def update_park(
    actor,
    park: IndustrialPark,
    *,
    expected_version: int | None = None,
    effective_on: date | None = None,
    correction: bool = False,
    **changes,
) -> IndustrialPark:
    """Apply ``changes`` as ``update_enterprise`` does: a change of unit or township takes effect
    on ``effective_on`` (today if not given) and the values it replaces are kept for the days
    before; a ``correction`` keeps nothing. Closing and reopening have their own services."""
    require_role(actor, *roles.REGISTRY_EDITORS)
    require_record(actor, park)
    unknown = set(changes) - set(PARK_FIELDS)
    if unknown:
        raise ValidationError({field: "该字段不能修改。" for field in unknown})
    current = _locked_park(park, expected_version)
    before = park_snapshot(current)
    previous = _tracked_values(history.PARKS, current)
    recorded = IndustrialPark(unit_id=current.unit_id, township_id=current.township_id)
    for field, value in changes.items():
        setattr(current, field, value)
    require_record(actor, current)
    _prepare_park(current, recorded)
    if current.established_on != before["established_on"]:
        _move_established(history.PARKS, current)
    moved = any(getattr(current, column) != value for column, value in previous.items())
    if moved and not correction:
        _keep_past(history.PARKS, current, previous, effective_on or timezone.localdate())
    extra = None
    if moved:
        extra = {"effective_on": "更正" if correction else effective_on or timezone.localdate()}
    _record_park_change(actor, "update_park", current, before, extra)
    return current


def _status_day(day: date | None, field: str, park: IndustrialPark) -> date:
    day = day or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({field: "日期不能晚于今天。"})
    if park.established_on and day < park.established_on:
        raise ValidationError({field: f"日期不能早于设立日期（{park.established_on}）。"})
    if park.state_since and day < park.state_since:
        raise ValidationError(
            {field: f"日期不能早于该园区最近一次登记事项变更的日期（{park.state_since}）。"}
        )
    return day


@transaction.atomic
def close_park(
    actor, park: IndustrialPark, *, closed_on: date | None = None, expected_version=None
) -> IndustrialPark:
    """Close (撤销) the park on ``closed_on`` (today if not given): from that day on it is no
    longer counted; on the days before it still is. Its enterprises keep their records."""
    require_role(actor, *roles.REGISTRY_EDITORS)
    require_record(actor, park)
    current = _locked_park(park, expected_version)
    if not current.is_active:
        raise ValidationError({"closed_on": "该园区已撤销。"})
    day = _status_day(closed_on, "closed_on", current)
    before = park_snapshot(current)
    previous = _tracked_values(history.PARKS, current)
    current.is_active, current.closed_on = False, day
    _keep_past(history.PARKS, current, previous, day)
    _record_park_change(actor, "close_park", current, before)
    return current


@transaction.atomic
def reopen_park(
    actor, park: IndustrialPark, *, reopened_on: date | None = None, expected_version=None
) -> IndustrialPark:
    """Put a closed park back in operation from ``reopened_on`` (today if not given); the days
    it was closed stay closed on record."""
    require_role(actor, *roles.REGISTRY_EDITORS)
    require_record(actor, park)
    current = _locked_park(park, expected_version)
    if current.is_active:
        raise ValidationError({"reopened_on": "该园区运营中，无需恢复。"})
    day = _status_day(reopened_on, "reopened_on", current)
    before = park_snapshot(current)
    previous = _tracked_values(history.PARKS, current)
    current.is_active, current.closed_on = True, None
    _keep_past(history.PARKS, current, previous, day)
    _record_park_change(actor, "reopen_park", current, before, {"reopened_on": day})
    return current
