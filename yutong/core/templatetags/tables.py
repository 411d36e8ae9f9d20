"""List tags (see core/tables.py and core/generic.py): ``{% sort_header key label %}``, a
sortable column header, and ``{% empty_row colspan "园区" %}``, the row that says why a list
is empty."""

from __future__ import annotations

from django import template
from django.http import QueryDict
from django.utils.html import format_html

from yutong.core.tables import SORT_PARAM

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_header(context, key: str, label: str, num: bool = False, css: str = ""):
    """A ``<th>`` whose link sorts the list by ``key`` (toggling the direction), keeping the
    other query parameters and going back to the first page. Without a ``sort`` in the
    context (or for a key the list does not declare) it is a plain header."""
    classes = " ".join(c for c in ("num" if num else "", css) if c)
    class_attr = format_html(' class="{}"', classes) if classes else ""
    sort = context.get("sort")
    sorting = getattr(sort, "sorting", None)
    if sorting is None or key not in sorting.columns:
        return format_html("<th{}>{}</th>", class_attr, label)
    request = context.get("request")
    params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    params.pop("page", None)
    params[SORT_PARAM] = sorting.next_param(key, sort)
    active = sort.key == key
    if active:
        icon = "bi-sort-down" if sort.descending else "bi-sort-up"
        state = "descending" if sort.descending else "ascending"
        hint = "降序" if sort.descending else "升序"
        return format_html(
            '<th{} aria-sort="{}"><a class="sort-link active" href="?{}" title="按{}排序（当前{}）"'
            ' data-sort="{}">{} <i class="bi {}" aria-hidden="true"></i></a></th>',
            class_attr,
            state,
            params.urlencode(),
            label,
            hint,
            key,
            label,
            icon,
        )
    # A faint two-way arrow, so a column that can be sorted looks it before anyone tries.
    return format_html(
        '<th{}><a class="sort-link" href="?{}" title="按{}排序" data-sort="{}">{}'
        ' <i class="bi bi-arrow-down-up sort-hint" aria-hidden="true"></i></a></th>',
        class_attr,
        params.urlencode(),
        label,
        key,
        label,
    )


@register.simple_tag(takes_context=True)
def empty_row(context, colspan: int, noun: str, reason: str = ""):
    """The table row of a list with nothing to show, saying why: the filters exclude every
    record (with a link that clears them, keeping the sort and the ``choice_params`` of the
    context), or there is none yet within the
    reader's scope (``reason`` overrides the wording, e.g. "本年度尚未申报")."""
    if context.get("filtered"):
        request = context.get("request")
        # Clearing the filters keeps the sort and what the list is (its tab, its year).
        params = QueryDict(mutable=True)
        kept = (SORT_PARAM, *context.get("choice_params", ()))
        for key in kept if request is not None else ():
            if request.GET.get(key):
                params[key] = request.GET[key]
        return format_html(
            '<tr data-testid="empty-state"><td colspan="{}" class="text-muted text-center py-4">'
            '没有符合筛选条件的{}。<a href="?{}">清除筛选条件</a></td></tr>',
            colspan,
            noun,
            params.urlencode(),
        )
    if not reason:
        user = context.get("user")
        unit = getattr(user, "unit", None) if user is not None else None
        where = f"{unit}范围内" if unit is not None else ""
        reason = f"{where}尚无{noun}。"
    return format_html(
        '<tr data-testid="empty-state"><td colspan="{}" class="text-muted text-center py-4">'
        "{}</td></tr>",
        colspan,
        reason,
    )
