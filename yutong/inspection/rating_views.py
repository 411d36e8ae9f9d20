"""Pages of the compliance credit rating (守法诚信等级) and the wage-arrears blacklist (失信联合
惩戒对象名单), including the public list of the listings in force."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yutong.core import generic, scope
from yutong.core.casepages import Action, action_forms, by_name, is_conflict, post_action
from yutong.core.models import OrgUnit
from yutong.core.permissions import can, require_role
from yutong.core.templatetags.display import case_no
from yutong.registry.queries import enterprises_visible_to

from . import forms, queries, services
from .api import PublicBlacklistThrottle
from .models import RatingRun
from .views import CONFLICT_MESSAGE

READERS = queries.READERS
HANDLERS = services.HANDLERS


def _district_units(user):
    return (
        scope.units_visible_to(user)
        .filter(level=OrgUnit.Level.DISTRICT, valid_to__isnull=True)
        .order_by("code")
    )


class RatingFilter(forms.RatingFilterForm):
    """The rating filter, on this year when the request names none."""

    def __init__(self, data=None, **kwargs):
        params = data.copy() if data is not None else QueryDict(mutable=True)
        params.setdefault("year", str(timezone.localdate().year))
        super().__init__(params, **kwargs)


RATING_HEADERS = [
    "评价年度",
    "企业名称",
    "统一社会信用代码",
    "评价单位",
    "等级",
    "计算等级",
    "上年度处理处罚次数",
    "评定理由",
    "复核等级",
    "复核理由",
    "复核人",
    "复核时间",
    "计算时间",
]


class RatingList(generic.ObjectListView):
    """The B, C and reviewed grades of a year (A is every enterprise not listed), the units
    computed that year, and for handlers the compute and review forms."""

    readers = READERS
    template_name = "inspection/ratings.html"
    filter_form = RatingFilter
    sorting = queries.RATING_SORTING
    url_name = "inspection:ratings"
    export = generic.Export("守法诚信等级", RATING_HEADERS)
    # A refused compute or review shows its form with the errors (see ``_rating_page``).
    compute_form = None
    override_form = None

    def get_queryset(self, request):
        return queries.ratings_visible_to(request.user)

    def get_form_kwargs(self, request):
        return {"units": _district_units(request.user)}

    def filter_queryset(self, request, ratings, d):
        ratings = ratings.filter(year=d["year"])
        if d["unit"]:
            ratings = ratings.filter(unit=d["unit"])
        if d["grade"]:
            ratings = ratings.filter(grade=d["grade"])
        if d["q"].strip():
            q = d["q"].strip()
            ratings = ratings.filter(
                Q(enterprise__name__contains=q) | Q(enterprise__uscc=q.upper())
            )
        return ratings

    def rows(self, request):
        form, rows, sort = super().rows(request)
        if not form.is_valid():
            rows = rows.none()
        self.year = form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year
        return form, rows, sort

    def get_context(self, request):
        year = self.year
        units = _district_units(request.user)
        runs = scope.restrict_to_units(RatingRun.objects.filter(year=year), request.user)
        handler = can(request.user, *HANDLERS)
        return {
            "year": year,
            "runs": runs.select_related("unit", "computed_by").order_by("unit__code"),
            "can_handle": handler,
            "compute_form": self.compute_form
            or (forms.ComputeForm(units=units) if handler else None),
            "override_form": self.override_form
            or (forms.OverrideForm(initial={"year": year}) if handler else None),
            # The year is always in the filter: only the other fields make the list "filtered".
            "filtered": any((request.GET.get(k) or "").strip() for k in ("unit", "grade", "q")),
            "empty_reason": f"{year} 年度没有 B、C 级或经复核的企业"
            "（已计算等级的区县内未列出的企业均为 A 级）。",
        }

    def get_export(self, request):
        # The workbook is named for the year it holds (``rows`` has read it).
        return generic.Export(f"{self.year} 年度守法诚信等级", RATING_HEADERS)

    def export_queryset(self, request, ratings):
        return ratings.select_related("enterprise", "unit", "reviewed_by")

    def export_row(self, request, r):
        return [
            r.year,
            r.enterprise.name,
            r.enterprise.uscc,
            r.unit.name,
            r.grade,
            r.computed_grade,
            r.handled_count,
            "；".join(str(reason) for reason in r.reasons),
            r.override_grade,
            r.override_reason,
            str(r.reviewed_by) if r.reviewed_by_id else "",
            r.reviewed_at,
            r.computed_at,
        ]


def _rating_page(request, *, compute_form=None, override_form=None):
    """The rating page again after a refused compute or review, its form showing why."""
    view = RatingList(compute_form=compute_form, override_form=override_form)
    view.setup(request)
    response = view.get(request)
    response.status_code = 400
    return response


@login_required
@require_POST
def rating_compute(request):
    require_role(request.user, *HANDLERS)
    form = forms.ComputeForm(request.POST, units=_district_units(request.user))
    if form.is_valid():
        d = form.cleaned_data
        try:
            run = services.compute_ratings(request.user, unit=d["unit"], year=d["year"])
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request,
                f"{run.unit.name} {run.year} 年度等级已计算：有记录企业 {run.with_records} 家，"
                f"B 级 {run.rated_b} 家，C 级 {run.rated_c} 家，其余企业为 A 级。",
            )
            return redirect(f"{reverse('inspection:ratings')}?year={run.year}&unit={run.unit_id}")
    return _rating_page(request, compute_form=form)


@login_required
@require_POST
def rating_override(request):
    require_role(request.user, *HANDLERS)
    form = forms.OverrideForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        enterprise = enterprises_visible_to(request.user).filter(uscc=d["uscc"]).first()
        if enterprise is None:
            form.add_error("uscc", "企业名录中没有该信用代码，或不在您的管辖范围内。")
        else:
            try:
                rating = services.override_rating(
                    request.user,
                    enterprise=enterprise,
                    year=d["year"],
                    grade=d["grade"],
                    reason=d["reason"],
                    expected_version=d["version"],
                )
            except ValidationError as exc:
                if is_conflict(exc):
                    messages.error(request, "该等级已被他人调整，请刷新后再操作。")
                    return redirect("inspection:ratings")
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    f"已将 {enterprise.name} {rating.year} 年度等级复核为 {rating.grade} 级。",
                )
                return redirect(f"{reverse('inspection:ratings')}?year={rating.year}")
    return _rating_page(request, override_form=form)


# --- blacklist ----------------------------------------------------------------------------------

REMOVE = Action(
    "remove",
    "移出名单",
    forms.RemoveForm,
    HANDLERS,
    lambda listing: listing.is_active_on(timezone.localdate()),
    lambda u, listing, d: services.remove_from_blacklist(
        u,
        listing,
        removal=d["removal"],
        removed_on=d["removed_on"],
        reason=d["reason"],
        paid_on=d["paid_on"],
        pledged_on=d["pledged_on"],
        expected_version=d["version"],
    ),
    lambda listing: f"已移出名单（{listing.get_removal_display()}）。",
    button="移出",
    style="warning",
)


BLACKLIST_HEADERS = [
    "用人单位",
    "统一社会信用代码",
    "列入单位",
    "依据案件",
    "列入情形",
    "事实依据",
    "拖欠金额（元）",
    "涉及人数",
    "列入日期",
    "期满日期",
    "状态",
    "移出方式",
    "移出日期",
    "移出理由",
]


class BlacklistList(generic.ObjectListView):
    """The listings in force (``?show=active``, the default) or all of them, expired and
    removed included (``?show=all``)."""

    readers = READERS
    template_name = "inspection/blacklist.html"
    sorting = queries.BLACKLIST_SORTING
    url_name = "inspection:blacklist"
    export = generic.Export("失信联合惩戒名单", BLACKLIST_HEADERS)

    def showing_active(self, request) -> bool:
        return request.GET.get("show", "active") == "active"

    def get_queryset(self, request):
        listings = queries.blacklist_visible_to(request.user)
        if self.showing_active(request):
            today = timezone.localdate()
            listings = listings.filter(removed_on__isnull=True, term_ends_on__gte=today)
        return listings

    def get_context(self, request):
        active = self.showing_active(request)
        return {
            "show": "active" if active else "all",
            "today": timezone.localdate(),
            # The tabs are not filters: an empty tab says what it shows.
            "filtered": False,
            "empty_reason": "目前没有在列的用人单位。" if active else "尚无列入名单的用人单位。",
        }

    def get_export(self, request):
        tab = "在列" if self.showing_active(request) else "全部"
        return generic.Export(f"失信联合惩戒名单（{tab}）", BLACKLIST_HEADERS)

    def export_queryset(self, request, listings):
        # The employer and the case's number only: nothing of the workers who complained.
        return listings.select_related("enterprise", "unit", "case")

    def export_row(self, request, listing):
        today = timezone.localdate()
        if listing.removed_on:
            state = "已移出"
        elif listing.term_ends_on < today:
            state = "已期满"
        else:
            state = "在列"
        return [
            listing.enterprise.name,
            listing.enterprise.uscc,
            listing.unit.name,
            case_no(listing.case),
            listing.get_condition_display(),
            listing.basis,
            listing.amount_owed,
            listing.workers_affected,
            listing.listed_on,
            listing.term_ends_on,
            state,
            listing.get_removal_display() if listing.removal else "",
            listing.removed_on,
            listing.removal_reason,
        ]


def _render_listing(request, listing, bound=None):
    url = reverse("inspection:blacklist_remove", args=[listing.pk])
    context = {
        "listing": listing,
        "earliest": services.earliest_removal(listing),
        "active": listing.is_active_on(timezone.localdate()),
        "actions": action_forms(request, by_name(REMOVE), listing, lambda a: url, bound),
    }
    return render(request, "inspection/blacklist_detail.html", context)


@login_required
def blacklist_detail(request, pk):
    require_role(request.user, *READERS)
    return _render_listing(
        request, get_object_or_404(queries.blacklist_visible_to(request.user), pk=pk)
    )


@login_required
@require_POST
def blacklist_remove(request, pk):
    require_role(request.user, *HANDLERS)
    listing = get_object_or_404(queries.blacklist_visible_to(request.user), pk=pk)
    return post_action(
        request,
        REMOVE,
        listing,
        detail_url=reverse("inspection:blacklist_detail", args=[pk]),
        render_with_errors=lambda bound: _render_listing(request, listing, bound),
        conflict_message=CONFLICT_MESSAGE,
    )


class PublicBlacklist(generic.ObjectListView):
    """The listings in force today, for everyone: employers only, no personal data. Throttled
    per address with the API's allowance, so the page is no cheaper to scrape than the API."""

    public = True
    template_name = "inspection/blacklist_public.html"
    sorting = queries.PUBLIC_BLACKLIST_SORTING

    def get(self, request, *args, **kwargs):
        if not PublicBlacklistThrottle().allow_request(request, None):
            return render(request, "core/public_throttled.html", status=429)
        return super().get(request, *args, **kwargs)

    def get_queryset(self, request):
        return queries.active_blacklist(timezone.localdate())
