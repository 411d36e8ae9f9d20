from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from . import clocks, holidays, queries, roles, scope, services
from .forms import (
    ROLE_CHOICES,
    HolidayScheduleForm,
    LoginForm,
    OrganisationForm,
    ParameterForm,
    UserForm,
)
from .models import DatedParameter, HolidaySchedule, LoginEvent, OrgUnit
from .pagination import paginate
from .parameters import PARAMETER_LABELS
from .permissions import can, require_role
from .viewutils import add_service_errors


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            failure_limit=settings.LOGIN_FAILURE_LIMIT,
            window_minutes=int(settings.LOGIN_FAILURE_WINDOW.total_seconds() // 60),
            session_minutes=settings.SESSION_COOKIE_AGE // 60,
        )
        return context


@login_required
def home(request):
    from django.apps import apps

    cards = []
    for config in apps.get_app_configs():
        provider = getattr(config, "home_cards", None)
        if provider:
            cards.extend(provider(request.user))
    return render(request, "core/home.html", {"cards": cards})


# --- user administration -------------------------------------------------------------------


def _user_form(request, data=None, **kwargs):
    return UserForm(
        data,
        units=scope.units_visible_to(request.user).filter(valid_to__isnull=True),
        organisations=queries.organisations_visible_to(request.user),
        **kwargs,
    )


@login_required
def user_list(request):
    require_role(request.user, *roles.USER_ADMINS)
    users = queries.users_visible_to(request.user).order_by("unit__code", "username")
    q = request.GET.get("q", "").strip()
    if q:
        users = users.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
    role = request.GET.get("role", "")
    if role:
        users = users.filter(roles__code=role)
    context = paginate(request, users)
    context.update(q=q, role=role, role_choices=ROLE_CHOICES)
    return render(request, "core/user_list.html", context)


@login_required
def user_create(request):
    require_role(request.user, *roles.USER_ADMINS)
    form = _user_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.create_user(
                request.user,
                username=data["username"],
                password=data["password"],
                unit=data["unit"],
                organisation=data["organisation"],
                role_codes=form.role_codes,
                display_name=data["display_name"],
                email=data["email"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已创建用户 {user.username}。")
            return redirect("core:user_detail", pk=user.pk)
    return render(request, "core/user_form.html", {"form": form, "creating": True})


@login_required
def user_detail(request, pk):
    require_role(request.user, *roles.USER_ADMINS)
    account = get_object_or_404(queries.users_visible_to(request.user), pk=pk)
    return render(
        request,
        "core/user_detail.html",
        {
            "account": account,
            "entries": queries.audit_trail(request.user, account)[:100],
            "logins": queries.login_events_visible_to(request.user).filter(user=account)[:20],
        },
    )


@login_required
def user_edit(request, pk):
    require_role(request.user, *roles.USER_ADMINS)
    account = get_object_or_404(queries.users_visible_to(request.user), pk=pk)
    initial = {
        "username": account.username,
        "display_name": account.display_name,
        "email": account.email,
        "unit": account.unit,
        "organisation": account.organisation,
        "roles": list(account.roles.all()),
        "is_active": account.is_active,
    }
    form = _user_form(request, request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_user(
                request.user,
                account,
                role_codes=form.role_codes,
                display_name=data["display_name"],
                email=data["email"],
                unit=data["unit"],
                organisation=data["organisation"],
                is_active=data["is_active"],
            )
            if data["password"]:
                services.set_user_password(request.user, account, data["password"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("core:user_detail", pk=account.pk)
    return render(request, "core/user_form.html", {"form": form, "account": account})


# --- audit and login logs ------------------------------------------------------------------


@login_required
def audit_list(request):
    require_role(request.user, *roles.AUDIT_READERS)
    entries = queries.audit_entries_visible_to(request.user)
    filters = {
        key: request.GET.get(key, "").strip()
        for key in ("actor", "object_type", "object_id", "action", "date_from", "date_to")
    }
    if filters["actor"]:
        entries = entries.filter(actor_username__icontains=filters["actor"])
    for key in ("object_type", "object_id", "action"):
        if filters[key]:
            entries = entries.filter(**{key: filters[key]})
    if filters["date_from"]:
        entries = entries.filter(at__date__gte=filters["date_from"])
    if filters["date_to"]:
        entries = entries.filter(at__date__lte=filters["date_to"])
    context = paginate(request, entries)
    context["filters"] = filters
    return render(request, "core/audit_list.html", context)


@login_required
def login_list(request):
    require_role(request.user, *roles.AUDIT_READERS)
    events = queries.login_events_visible_to(request.user)
    username = request.GET.get("username", "").strip()
    kind = request.GET.get("kind", "")
    if username:
        events = events.filter(username=username)
    if kind in LoginEvent.Kind.values:
        events = events.filter(kind=kind)
    context = paginate(request, events)
    context.update(username=username, kind=kind, kinds=LoginEvent.Kind.choices)
    return render(request, "core/login_list.html", context)


def permission_denied(request, exception=None):
    return render(request, "core/403.html", {"reason": str(exception or "")}, status=403)


def not_found(request, exception=None):
    return render(request, "core/404.html", status=404)


# --- org units and organisations -----------------------------------------------------------


@login_required
def unit_list(request):
    """District-level units (or the townships of one) with validity and successors."""
    parent_code = request.GET.get("parent", "")
    units = scope.units_visible_to(request.user).select_related("successor", "current")
    parent = units.filter(code=parent_code).first() if parent_code else None
    if parent is not None:
        units = units.filter(parent=parent)
    else:
        units = units.exclude(level=OrgUnit.Level.TOWNSHIP)
    units = units.annotate(children_count=Count("children")).order_by("code")
    return render(request, "core/unit_list.html", {"units": units, "parent": parent})


@login_required
def organisation_list(request):
    require_role(request.user, *roles.USER_ADMINS)
    # An aggregate drops Meta.ordering: order explicitly, or pages repeat and skip rows.
    organisations = (
        queries.organisations_visible_to(request.user)
        .annotate(user_count=Count("users"))
        .order_by("unit__code", "kind", "name", "id")
    )
    q = request.GET.get("q", "").strip()
    if q:
        organisations = organisations.filter(Q(name__contains=q) | Q(uscc=q.upper()))
    form = OrganisationForm(
        request.POST or None,
        units=scope.units_visible_to(request.user).filter(valid_to__isnull=True),
    )
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.create_organisation(request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已创建机构 {organisation.name}。")
            return redirect("core:organisation_list")
    context = paginate(request, organisations)
    context.update(form=form, q=q)
    return render(request, "core/organisation_list.html", context)


@login_required
def calendar(request):
    """The working-day calendar that statutory clocks use, and entry of a new year's notice."""
    can_edit = can(request.user, roles.CITY_ADMIN)
    form = HolidayScheduleForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        require_role(request.user, roles.CITY_ADMIN)
        if form.is_valid():
            try:
                schedule = holidays.set_holiday_schedule(request.user, **form.cleaned_data)
            except ValidationError as exc:
                if hasattr(exc, "error_dict") and "days" in exc.error_dict:
                    exc = ValidationError({"text": exc.message_dict["days"]})
                add_service_errors(form, exc)
            else:
                messages.success(request, f"已保存 {schedule.year} 年节假日安排。")
                return redirect("core:calendar")
    today = timezone.localdate()
    years = [
        {
            "year": year,
            "known": clocks.calendar_known(date(year, 1, 1)),
            "schedule": HolidaySchedule.objects.filter(year=year).first(),
        }
        for year in range(today.year - 1, today.year + 3)
    ]
    return render(
        request,
        "core/calendar.html",
        {
            "years": years,
            "form": form,
            "can_edit": can_edit,
            "schedules": HolidaySchedule.objects.prefetch_related("days"),
        },
    )


@login_required
def parameter_list(request):
    """Dated parameters: what is in force today, the history, and (city admin) a new value."""
    require_role(request.user, *roles.STAFF_ROLES)
    can_edit = can(request.user, roles.CITY_ADMIN)
    codes = [(code, f"{label}（{code}）") for code, (label, _) in PARAMETER_LABELS.items()]
    form = None
    if can_edit:
        form = ParameterForm(
            request.POST or None,
            codes=codes,
            units=OrgUnit.objects.filter(level=OrgUnit.Level.DISTRICT, valid_to__isnull=True),
        )
    if request.method == "POST":
        require_role(request.user, roles.CITY_ADMIN)
        if form.is_valid():
            try:
                services.set_parameter(request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "已保存参数。")
                return redirect("core:parameter_list")
    rows = DatedParameter.objects.select_related("unit").order_by(
        "code", "unit__code", "-valid_from"
    )
    return render(
        request,
        "core/parameter_list.html",
        {
            "rows": rows,
            "labels": PARAMETER_LABELS,
            "form": form,
            "today": timezone.localdate(),
        },
    )
