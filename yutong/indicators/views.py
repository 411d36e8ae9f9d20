"""The indicator pages: the city overview, the league table, trends with the year-end
projection, the map, and the drill-down to the records behind a value with its export.

Values of every unit are shared among staff (league tables are read across the system); the
records behind a value are not: a drill-down outside the reader's units is a 404, and its
querysets go through ``core.scope.restrict_to_units`` as well. Every number comes from
``engine`` via ``reports.compute_all`` — all the units of a page in one grouped query per
source — and an indicator whose records are not kept yet reads "数据来源建设中".
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from yutong.core import exports, roles, scope, tables
from yutong.core.models import OrgUnit
from yutong.core.pagination import count_for_display, paginate
from yutong.core.permissions import can, require_role
from yutong.core.templatetags.display import day

from . import engine, reports
from .forms import ALL, SORTS, Selection, SelectionForm
from .models import Indicator
from .periods import Period
from .sources import SOURCES

READERS = roles.STAFF_ROLES
COLOURS = {
    engine.MET: "success",
    engine.AT_RISK: "warning",
    engine.MISSED: "danger",
    engine.NO_DATA: "secondary",
}
HEX = {
    engine.MET: "#198754",
    engine.AT_RISK: "#ffc107",
    engine.MISSED: "#dc3545",
    engine.NO_DATA: "#adb5bd",
}
LISTS = {"numerator": "分子", "denominator": "分母"}


# --- shared ------------------------------------------------------------------------------------


def url(name: str, params: dict | None = None) -> str:
    path = reverse(f"indicators:{name}")
    return f"{path}?{urlencode(params)}" if params else path


def present(value: engine.Value) -> dict:
    """A value as the pages show it."""
    return {
        "value": value,
        "value_text": reports.percent(value.value),
        "target_text": reports.percent(value.target),
        "gap_text": reports.points(value.gap),
        "status": value.status,
        "status_label": value.status_label,
        "colour": COLOURS[value.status],
        # A value made of several kinds of record (harmony coverage): each one's own figure.
        "parts": [
            {
                "label": part.label,
                "numerator": part.numerator,
                "denominator": part.denominator,
                "value_text": reports.percent(part.value),
            }
            for part in value.parts
        ],
    }


def _number(value) -> float | None:
    return None if value is None else float(value)


def _select(request, template: str, *, allow_all=False, data=None):
    """The page's selection from the query string (or ``data``), or the page with its errors
    as a 400."""
    require_role(request.user, *READERS)
    today = timezone.localdate()
    data = request.GET if data is None else data
    form = SelectionForm(data, user=request.user, today=today, allow_all=allow_all)
    if form.is_valid():
        return form, form.selection, today, None
    form.set_units(engine.units_listed(Period(today.year), engine.RECORDED, today))
    context = {"form": form, "invalid": True, "tabs": _tabs(template, None)}
    return form, None, today, render(request, template, context, status=400)


def _with_indicator(form: SelectionForm, selection: Selection) -> Selection:
    """A page about one indicator: the one asked for, else the first with records."""
    if not selection.indicator or selection.indicator == ALL:
        selection.indicator = form.default_indicator(set(SOURCES))
    return selection


def _indicator(form: SelectionForm, code: str):
    return next(i for i in form.indicators if i.code == code)


TABS = (
    ("dashboard", "总览", "indicators/dashboard.html"),
    ("league", "排行榜", "indicators/league.html"),
    ("trend", "趋势与预测", "indicators/trend.html"),
    ("map", "地图", "indicators/map.html"),
    ("report_list", "报表", "indicators/reports.html"),
)


def _tabs(template: str, selection: Selection | None) -> list[dict]:
    params = selection.query() if selection else {}
    return [
        {
            "label": label,
            "url": url(name, params if name != "report_list" else None),
            "active": page == template,
        }
        for name, label, page in TABS
    ]


def _context(form, selection, template, **extra) -> dict:
    return {
        "form": form,
        "selection": selection,
        "period": selection.period,
        "basis_label": engine.BASES[selection.basis],
        "query": urlencode(selection.query()),
        "tabs": _tabs(template, selection),
        **extra,
    }


def _drill_url(user, selection: Selection, code: str, unit: OrgUnit) -> str | None:
    """The drill-down link, for units whose records the user may read."""
    if not scope.unit_in_scope(user, unit):
        return None
    return url("drill", selection.query(indicator=code, unit=unit.code))


# --- city overview -----------------------------------------------------------------------------

DASHBOARD = "indicators/dashboard.html"


@login_required
@require_GET
def dashboard(request):
    form, selection, today, error = _select(request, DASHBOARD)
    if error:
        return error
    unit = selection.unit
    form.set_units(engine.units_listed(selection.period, selection.basis, today), unit)
    # A stock indicator reads the whole registry as of a day (about 0.5 s for the city): its
    # card comes in its own request after the page, so the flow indicators show at once.
    later = [i for i in form.indicators if i.kind == Indicator.Kind.STOCK and i.code in SOURCES]
    now = [i for i in form.indicators if i not in later]
    results = reports.compute_all(now, selection.period, [unit], basis=selection.basis, today=today)
    computed = {r.indicator.code: _card(request.user, selection, r, today) for r in results}
    cards = [
        computed.get(indicator.code)
        or {
            "lazy": True,
            "indicator": indicator,
            "url": url("dashboard_card", selection.query(indicator=indicator.code)),
        }
        for indicator in form.indicators
    ]
    context = _context(form, selection, DASHBOARD, unit=unit, cards=cards)
    return render(request, DASHBOARD, context)


@login_required
@require_GET
def dashboard_card(request):
    """One card of the overview, for the selection in the query string (``indicator``)."""
    form, selection, today, error = _select(request, DASHBOARD)
    if error:
        return error
    chosen = [i for i in form.indicators if i.code == selection.indicator]
    if not chosen:
        return HttpResponseBadRequest("请选择一项指标。")
    (result,) = reports.compute_all(
        chosen, selection.period, [selection.unit], basis=selection.basis, today=today
    )
    card = _card(request.user, selection, result, today)
    return render(request, "indicators/_card.html", {"card": card})


def _card(user, selection: Selection, result: reports.IndicatorValues, today: date) -> dict:
    indicator = result.indicator
    card = {"indicator": indicator, "available": result.available}
    links = {
        "league": url("league", selection.query(indicator=indicator.code)),
        "trend": url("trend", selection.query(indicator=indicator.code)),
        "map": url("map", selection.query(indicator=indicator.code)),
    }
    card["links"] = links
    if not result.available:
        return card
    value = result.values[0]
    links["drill"] = _drill_url(user, selection, indicator.code, selection.unit)
    card.update(
        present(value),
        settings=reports.settings_lines(indicator, value.settings),
        as_of=value.as_of,
        chart_id=f"spark-{indicator.code}",
        chart=_sparkline(indicator, value, selection, today),
    )
    return card


def _sparkline(indicator, value, selection: Selection, today: date) -> dict | None:
    """Month-end values of a flow indicator come from a few grouped counts; a stock indicator
    would be twelve as-of counts over the registry, too slow for the overview: its trend is
    on the trend page."""
    if indicator.kind == Indicator.Kind.STOCK:
        return None
    series = reports.trend_or_none(
        indicator, selection.period.year, [selection.unit], basis=selection.basis, today=today
    )
    return {
        "months": [f"{month}月" for month in sorted(series or {})],
        "values": [_number(series[m][0].value) for m in sorted(series or {})],
        "target": _number(value.target),
    }


# --- league table ------------------------------------------------------------------------------

LEAGUE = "indicators/league.html"


@login_required
@require_GET
def league(request):
    form, selection, today, error = _select(request, LEAGUE, allow_all=True)
    if error:
        return error
    listed = engine.units_listed(selection.period, selection.basis, today)
    form.set_units(listed, selection.unit)
    chosen = [
        i
        for i in form.indicators
        if selection.indicator in (ALL, "") or i.code == selection.indicator
    ]
    results = reports.compute_all(
        chosen, selection.period, listed, basis=selection.basis, today=today
    )
    rows = _league_rows(request.user, selection, results, listed)
    pinned = [row for row in rows if row["unit"].level == OrgUnit.Level.CITY]
    for row in pinned:
        row["pinned"] = True
    ranked = _ranked([row for row in rows if row not in pinned], selection.sort, len(chosen))
    context = _context(
        form,
        selection,
        LEAGUE,
        indicators=[result.indicator for result in results],
        available=[result.available for result in results],
        single=len(chosen) == 1,
        rows=[*pinned, *ranked],
        sorts=_sort_links(selection),
    )
    if selection.district is not None:
        district = selection.district
        townships = [district, *engine.townships_of(district, selection.basis, today)]
        breakdown = reports.compute_all(
            chosen, selection.period, townships, basis=selection.basis, today=today
        )
        context["district"] = district
        township_rows = _league_rows(request.user, selection, breakdown, townships)
        # the district on top, its townships ranked like the districts above
        township_rows[0]["pinned"] = True
        context["township_rows"] = [
            township_rows[0],
            *_ranked(township_rows[1:], selection.sort, len(chosen)),
        ]
    return render(request, LEAGUE, context)


def _league_rows(user, selection, results, units) -> list[dict]:
    rows = []
    for index, unit in enumerate(units):
        cells = []
        for result in results:
            if not result.available:
                cells.append(None)
                continue
            cell = present(result.values[index])
            cell["drill"] = _drill_url(user, selection, result.indicator.code, unit)
            cells.append(cell)
        shown = [cell for cell in cells if cell is not None]
        gaps = [cell["value"].gap for cell in shown if cell["value"].gap is not None]
        rows.append(
            {
                "unit": unit,
                "rank": None,
                "pinned": False,  # the total on top (the city, the district): not ranked
                "cells": cells,
                "met": sum(cell["status"] == engine.MET for cell in shown),
                "at_risk": sum(cell["status"] == engine.AT_RISK for cell in shown),
                "mean_gap": sum(gaps) / len(gaps) if gaps else None,
                "dashboard": url("dashboard", selection.query(unit=unit.code)),
                "townships": url("league", selection.query(district=unit.code))
                if unit.level == OrgUnit.Level.DISTRICT
                else None,
            }
        )
    return rows


def _ranked(rows: list[dict], sort: str, indicator_count: int) -> list[dict]:
    """The rows in the table's order, each with its 名次 (``rank``): competition ranking
    (1, 2, 2, 4) on what the table is sorted by — value or gap of the one indicator (for all
    six: indicators met, then at risk; or the mean gap) — in the sort's direction. Units
    without a value have no rank and go last whichever way. Sorted by unit code, the rows keep
    that order and the rank is by value, highest first."""
    order = "value" if sort == "unit" else sort
    descending = not order.startswith("-")
    field = order.lstrip("-")

    def key(row):
        if indicator_count == 1:
            cell = row["cells"][0]
            return None if cell is None else getattr(cell["value"], field)
        if field == "value":
            valued = [c for c in row["cells"] if c is not None and c["value"].value is not None]
            return (row["met"], row["at_risk"]) if valued else None
        return row["mean_gap"]

    ranks = engine.ranks([key(row) for row in rows], descending=descending)
    for row, rank in zip(rows, ranks, strict=True):
        row["rank"] = rank
    if sort == "unit":
        return rows
    # stable: units of equal rank stay in code order
    return sorted(rows, key=lambda row: (row["rank"] is None, row["rank"] or 0))


def _sort_links(selection: Selection) -> list[dict]:
    return [
        {
            "label": label,
            "url": url("league", selection.query(sort=code)),
            "active": selection.sort == code,
        }
        for code, label in SORTS.items()
    ]


# --- trends and projection ---------------------------------------------------------------------

TREND = "indicators/trend.html"


@login_required
@require_GET
def trend(request):
    form, selection, today, error = _select(request, TREND)
    if error:
        return error
    selection = _with_indicator(form, selection)
    indicator = _indicator(form, selection.indicator)
    year = selection.period.year
    listed = engine.units_listed(Period(year), selection.basis, today)
    form.set_units(listed, selection.unit)
    # The unit and its parts (the city's districts, a district's townships): a district's
    # trend reads that district's records only, never the whole city's.
    units = reports.report_units(selection.unit, Period(year), selection.basis, today)
    series = reports.trend_or_none(indicator, year, units, basis=selection.basis, today=today)
    context = _context(form, selection, TREND, indicator=indicator, unit=selection.unit)
    context["available"] = series is not None
    if series:
        year_over = date(year, 12, 31) < today
        projections = [_projection(series, index, year_over) for index in range(len(units))]
        context.update(
            rows=[present(series[month][0]) | {"month": month} for month in sorted(series)],
            projection=projections[0],
            year_over=year_over,
            # the unit, then its parts by code
            misses=sorted(
                (p for p in projections if p["misses"]),
                key=lambda p: (p["unit"].pk != selection.unit.pk, p["unit"].code),
            ),
            chart_id="trend-chart",
            chart={
                "unit": selection.unit.name,
                "months": [f"{month}月" for month in sorted(series)],
                "values": [_number(series[m][0].value) for m in sorted(series)],
                "target": _number(series[max(series)][0].target),
                "projection": _number(projections[0]["value"]),
            },
        )
    return render(request, TREND, context)


def _projection(series: dict, index: int, year_over: bool) -> dict:
    """The year-end value of one unit: December's when the year is over, else the run rate's."""
    months = sorted(series)
    latest = series[months[-1]][index]
    if year_over:
        value = latest.value
    else:
        value = engine.project([series[month][index].value for month in months])
    target = latest.target
    misses = value is not None and target is not None and value < target
    return {
        "unit": latest.unit,
        "value": value,
        "value_text": reports.percent(value),
        "target_text": reports.percent(target),
        "gap_text": reports.points(None if value is None or target is None else value - target),
        "latest": present(latest),
        "misses": misses,
    }


# --- map ---------------------------------------------------------------------------------------

MAP = "indicators/map.html"
GEO_STATIC = "vendor/echarts-china-cities/chongqing.geojson"
# The boundaries carry the names of about 2017; today's unit of the same place.
SHAPE_RENAMES = {"梁平县": "梁平区", "武隆县": "武隆区"}


@lru_cache(maxsize=1)
def shape_names() -> tuple[str, ...] | None:
    """The district names of the vendored boundaries (None until ``make assets`` ran)."""
    found = finders.find(GEO_STATIC)
    if not found:
        return None
    data = json.loads(Path(found).read_text(encoding="utf-8"))
    return tuple(feature["properties"]["name"] for feature in data["features"])


def assign_shapes(values: list[engine.Value], names) -> tuple[list[dict], list[engine.Value]]:
    """Each boundary with the value of its unit — or, when that unit is not listed (ended by a
    division change), of the listed unit it became (江北区, 渝北区 → 两江新区); and the listed
    units that no boundary shows, for tiles beside the map."""
    listed = {v.unit.name: v for v in values if v.unit.level == OrgUnit.Level.DISTRICT}
    by_id = {v.unit.pk: v for v in listed.values()}
    unit_names = [SHAPE_RENAMES.get(name, name) for name in names]
    missing = [name for name in unit_names if name not in listed]
    successors = dict(
        OrgUnit.objects.filter(level=OrgUnit.Level.DISTRICT, name__in=missing).values_list(
            "name", "current_id"
        )
    )
    shapes, shown = [], set()
    for shape, name in zip(names, unit_names, strict=True):
        value = listed.get(name) or by_id.get(successors.get(name))
        if value is not None:
            shown.add(value.unit.pk)
        shapes.append(
            {"shape": shape, "label": name, "value": value, "inherited": name not in listed}
        )
    tiles = [v for v in listed.values() if v.unit.pk not in shown]
    return shapes, tiles


def _map_item(value: engine.Value | None) -> dict:
    if value is None:
        return {"colour": "#e9ecef", "text": "无对应单位"}
    return {
        "unit": value.unit.name,
        "value": _number(value.value),
        "colour": HEX[value.status],
        "text": (
            f"{value.unit.name}：{reports.percent(value.value)}（目标 "
            f"{reports.percent(value.target)}，{value.status_label}）"
        ),
    }


@login_required
@require_GET
def map_page(request):
    form, selection, today, error = _select(request, MAP)
    if error:
        return error
    selection = _with_indicator(form, selection)
    indicator = _indicator(form, selection.indicator)
    listed = engine.units_listed(selection.period, selection.basis, today)
    form.set_units(listed, selection.unit)
    (result,) = reports.compute_all(
        [indicator], selection.period, listed, basis=selection.basis, today=today
    )
    context = _context(form, selection, MAP, indicator=indicator, available=result.available)
    if not result.available:
        return render(request, MAP, context)
    names = shape_names()
    city = [present(v) for v in result.values if v.unit.level == OrgUnit.Level.CITY]
    context["city"] = city[0] if city else None
    if names is None:
        context["boundaries_missing"] = True
        tiles = [v for v in result.values if v.unit.level == OrgUnit.Level.DISTRICT]
        shapes = []
    else:
        shapes, tiles = assign_shapes(result.values, names)
    context.update(
        tiles=[
            present(v) | {"drill": _drill_url(request.user, selection, indicator.code, v.unit)}
            for v in tiles
        ],
        legend=[(HEX[key], label) for key, label in engine.STATUS_LABELS.items()],
        inherited=[s for s in shapes if s["inherited"] and s["value"] is not None],
        chart_id="map-data",
        chart={
            "geo": settings.STATIC_URL + GEO_STATIC,
            "title": indicator.name,
            "areas": [
                {"name": s["shape"], "label": s["label"], **_map_item(s["value"])} for s in shapes
            ],
        },
    )
    return render(request, MAP, context)


# --- drill-down --------------------------------------------------------------------------------

DRILL = "indicators/drill.html"


class BadDrill(Exception):
    """A drill-down parameter out of range; the message is shown with a 400."""


# Dates people look for the latest of first; empty dates (not accepted, not closed) go last.
DRILL_NULLABLE = frozenset({"accepted_on", "closed_on"})
DRILL_DESCENDING_FIRST = frozenset({"received_on", "accepted_on", "closed_on"})


def drill_sorting(columns) -> tables.Sorting:
    """The sortable columns of a part's list (``Column.sort``); by id unless asked."""
    return tables.Sorting(
        columns={column.sort: (column.sort,) for column in columns if column.sort},
        default=("id",),
        descending_first=DRILL_DESCENDING_FIRST,
        nullable=DRILL_NULLABLE,
    )


def cell_text(value, num: bool = False) -> str:
    """A drill-down cell as the pages write values: dates ``Y-m-d``, 是/否, counts with
    thousands separators, nothing for an empty value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return day(value)
    if num and isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _drill(request):
    """The selection, the parts (scoped to the reader) and the part and list asked for.
    ``sort`` here is the list's column (``drill_sorting``), not the league table's order."""
    data = request.GET.copy()
    data.pop(tables.SORT_PARAM, None)
    form, selection, today, error = _select(request, DRILL, data=data)
    if error:
        return None, error
    selection = _with_indicator(form, selection)
    if not scope.unit_in_scope(request.user, selection.unit):
        raise Http404("该单位不在您的管辖范围内。")
    indicator = _indicator(form, selection.indicator)
    context = _context(form, selection, DRILL, indicator=indicator, unit=selection.unit)
    form.set_units(engine.units_listed(selection.period, selection.basis, today), selection.unit)
    try:
        parts = engine.drill(
            indicator, selection.period, selection.unit, basis=selection.basis, today=today
        )
    except engine.SourceUnavailable:
        context["available"] = False
        return context, None
    for part in parts:
        part.numerator = scope.restrict_to_units(part.numerator, request.user)
        part.denominator = scope.restrict_to_units(part.denominator, request.user)
    try:
        index = int(request.GET.get("part") or 0)
        if not 0 <= index < len(parts):
            raise ValueError
    except ValueError:
        context["bad"] = f"记录类别应为 0 至 {len(parts) - 1}。"
        return context, render(request, DRILL, context, status=400)
    which = request.GET.get("list") or "numerator"
    if which not in LISTS:
        context["bad"] = "请选择分子或分母的记录。"
        return context, render(request, DRILL, context, status=400)
    context.update(
        available=True, parts=parts, part=parts[index], index=index, which=which, today=today
    )
    return context, None


@login_required
@require_GET
def drill(request):
    context, response = _drill(request)
    if response is not None:
        return response
    if not context["available"]:
        return render(request, DRILL, context)
    selection, indicator = context["selection"], context["indicator"]
    (value,) = engine.compute(
        indicator,
        selection.period,
        [selection.unit],
        basis=selection.basis,
        today=context["today"],
    )
    part, which = context["part"], context["which"]
    base = selection.query()
    tabs = []
    for number, each in enumerate(context["parts"]):
        for key, label in LISTS.items():
            tabs.append(
                {
                    "label": f"{label}：{each.label}",
                    # exact when cheap; PostgreSQL's estimate past the cap ("约 …")
                    "count": count_for_display(getattr(each, key)),
                    "url": url("drill", base | {"part": number, "list": key}),
                    "active": number == context["index"] and key == which,
                }
            )
    queryset, sort = drill_sorting(part.columns).apply(request, getattr(part, which))
    page = paginate(request, queryset, per_page=50)
    # A link only where the reader may open the record's page (a union officer counts
    # arbitration cases here but does not read them).
    linked = part.url and (part.readers is None or can(request.user, *part.readers))
    rows = [
        {
            "cells": [
                {"text": cell_text(column.value(record), column.num), "num": column.num}
                for column in part.columns
            ],
            "url": part.url(record) if linked else None,
        }
        for record in page["object_list"]
    ]
    export = base | {"part": context["index"], "list": which}
    if sort.param:
        export["sort"] = sort.param
    context.update(
        page,
        value=present(value),
        settings=reports.settings_lines(indicator, value.settings),
        list_tabs=tabs,
        headers=[
            {"key": column.sort, "label": column.header, "num": column.num}
            for column in part.columns
        ],
        rows=rows,
        sort=sort,
        list_label=LISTS[which],
        export=url("drill_export", export),
    )
    return render(request, DRILL, context)


@login_required
@require_GET
def drill_export(request):
    context, response = _drill(request)
    if response is not None:
        return response
    if not context["available"]:
        return render(request, DRILL, context, status=404)
    selection, part, which = context["selection"], context["part"], context["which"]
    # the page's rows in the page's order
    queryset, _sort = drill_sorting(part.columns).apply(request, getattr(part, which))
    limit = settings.EXPORT_MAX_ROWS
    if queryset.count() > limit:
        messages.error(request, f"导出结果超过 {limit} 行，请缩短期间或选择下级单位后再导出。")
        return redirect(url("drill", request.GET.dict()))
    columns = part.columns
    rows = ([column.value(record) for column in columns] for record in queryset.iterator(500))
    stem = "-".join(
        [
            context["indicator"].name,
            selection.unit.name,
            selection.period.key,
            LISTS[which],
            part.label,
        ]
    )
    return exports.xlsx_response(
        exports.dated_filename(stem),
        f"{LISTS[which]}-{part.label}",
        [c.header for c in columns],
        rows,
    )
