import time
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from . import (
    accounts,
    audit,
    auth,
    clocks,
    generic,
    holidays,
    inbox,
    queries,
    roles,
    scope,
    services,
    tables,
    twofactor,
)
from .forms import (
    ROLE_CHOICES,
    HolidayScheduleForm,
    LoginForm,
    OrganisationForm,
    OtpForm,
    ParameterForm,
    PasswordChangeForm,
    TwoFactorRolesForm,
    UserForm,
)
from .models import DatedParameter, HolidaySchedule, LoginEvent, OrgUnit, Role
from .pagination import paginate
from .parameters import PARAMETER_LABELS
from .permissions import can, company_of, require_role
from .viewutils import add_service_errors

# A password accepted for an account that must also give a one-time code: the sign-in waits in
# the session (not logged in) for this long.
PENDING = "yutong_pending_login"
PENDING_SECONDS = 5 * 60
OTP_WRONG = "动态验证码不正确。"


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

    def form_valid(self, form):
        user = form.get_user()
        if not twofactor.asks_code(user):
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),
            "at": time.time(),
        }
        return redirect("core:login_otp" if twofactor.enrolled(user) else "core:login_enrol")


def _pending_user(request):
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    return get_user_model().objects.filter(pk=pending["user"], is_active=True).first()


def _finish_login(request, user):
    pending = request.session.pop(PENDING)
    auth_login(request, user, backend=pending["backend"])
    return pending["next"]


def _locked(request, user, form) -> bool:
    """Wrong codes count as failed logins: a locked account or throttled address stops here."""
    refused = auth.refusal(user.get_username(), auth.current_ip())
    if refused is None:
        return False
    request.session.pop(PENDING, None)
    form.add_error(None, auth.MESSAGES[refused])
    return True


def _check_code(request, user, form) -> bool:
    """Whether the posted one-time code is right; a wrong code counts as a failed login."""
    if not form.is_valid() or _locked(request, user, form):
        return False
    if twofactor.verify(user, form.cleaned_data["code"]) is not None:
        return True
    auth.record_failure(user.get_username(), "ui", LoginEvent.Kind.OTP_FAILURE)
    form.add_error("code", OTP_WRONG)
    return False


def _restart_login(request):
    messages.info(request, "请重新输入用户名和密码。")
    return redirect("login")


def login_otp(request):
    """The second step of sign-in: the code from the authenticator app or a recovery code."""
    user = _pending_user(request)
    if user is None:
        return _restart_login(request)
    if not twofactor.enrolled(user):
        return redirect("core:login_enrol")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and _check_code(request, user, form):
        return redirect(_finish_login(request, user))
    return render(request, "core/login_otp.html", {"form": form, "account": user})


def login_enrol(request):
    """First sign-in of an account that must use two-factor: bind an authenticator app."""
    user = _pending_user(request)
    if user is None:
        return _restart_login(request)
    if twofactor.enrolled(user):
        return redirect("core:login_otp")
    return _enrol_page(request, user, finish=lambda: _finish_login(request, user))


def _enrol_page(request, user, finish):
    device = twofactor.pending_device(user)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _locked(request, user, form):
        codes = accounts.enrol(user, device, form.cleaned_data["code"])
        if codes is not None:
            return render(request, "core/recovery_codes.html", {"codes": codes, "next": finish()})
        auth.record_failure(user.get_username(), "ui", LoginEvent.Kind.OTP_FAILURE)
        form.add_error("code", OTP_WRONG)
    return render(
        request,
        "core/login_enrol.html",
        {
            "form": form,
            "account": user,
            "qr": twofactor.qr_data_uri(device),
            "secret": twofactor.secret_base32(device),
        },
    )


# --- one's own account ---------------------------------------------------------------------


@login_required
def account(request):
    token = Token.objects.filter(user=request.user).first()
    return render(
        request,
        "core/account.html",
        {
            "required": twofactor.required(request.user),
            "enrolled": twofactor.enrolled(request.user),
            "token": token,
            "token_expires": auth.token_expires(token) if token else None,
            "now": timezone.now(),
        },
    )


@login_required
def account_enrol(request):
    """Bind an authenticator app (or a new one, after a reset) while signed in."""
    if twofactor.enrolled(request.user):
        return redirect("core:account")
    return _enrol_page(request, request.user, finish=lambda: reverse("core:account"))


@login_required
@require_POST
def account_revoke_token(request):
    if accounts.revoke_token(request.user, request.user):
        messages.success(request, "已作废您的 API 令牌。")
    return redirect("core:account")


@login_required
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.change_own_password(
                request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改；原有 API 令牌已作废。")
            return redirect("core:account")
    return render(request, "core/password_change.html", {"form": form})


@login_required
def home(request):
    """The work bench: what to do today (each app's queues, urgings, imports to confirm), the
    latest unread messages, then each app's overview figures.

    Each kind of record is counted in one query (``cases.count_queues``). A card whose figure
    is costly (a rate over the whole registry, the indicators) comes as ``{"later": key}``:
    the page shows it empty and loads it right after (``?card=<app>.<key>``, ``_later_card``),
    computed live like the rest."""
    from django.apps import apps

    if "card" in request.GET:
        return _later_card(request, request.GET["card"])
    home_url = reverse("home")
    cards = []
    for config in apps.get_app_configs():
        provider = getattr(config, "home_cards", None)
        if provider:
            for card in provider(request.user):
                if card.get("later"):
                    card["later_url"] = f"{home_url}?card={config.label}.{card['later']}"
                cards.append(card)
    unread = inbox.inbox_of(request.user).filter(read_at__isnull=True)
    counts = unread.aggregate(all=Count("pk"), urged=Count("pk", filter=Q(kind=inbox.Kind.URGE)))
    # The shell's message bell shows the same count: not counted twice.
    request.unread_messages = counts["all"]
    todo = _core_queues(request.user, counts["urged"]) + [
        c for c in cards if c.get("kind") == "todo"
    ]
    context = {
        "todo": todo,
        "cards": [c for c in cards if c.get("kind") != "todo"],
        "company": company_of(request.user),
        "unread": list(unread[:5]) if counts["all"] else [],
    }
    return render(request, "core/home.html", context)


def _later_card(request, name: str):
    """One card of the bench the page loads after itself: ``AppConfig.home_card(user, key)``
    computes it (None: not this user's)."""
    from django.apps import apps

    label, _, key = name.partition(".")
    try:
        config = apps.get_app_config(label)
    except LookupError:
        raise Http404("没有这张卡片。") from None
    provider = getattr(config, "home_card", None)
    card = provider(request.user, key) if provider else None
    if card is None:
        raise Http404("没有这张卡片。")
    template = "core/_bench_queue.html" if card.get("kind") == "todo" else "core/_bench_card.html"
    # A fragment: without the request, so the shell's context processors (sidebar, unread
    # count) are not run again for each card.
    return HttpResponse(render_to_string(template, {"q": card, "card": card}))


def _core_queues(user, urged: int) -> list[dict]:
    """The bench's queues core keeps itself: urgings not yet read (``urged``, counted with the
    unread messages), checked imports waiting for the uploader to confirm."""
    from .models import ImportJob

    messages_url = reverse("core:message_list")
    if not can(user, *roles.STAFF_ROLES):
        return []
    queues = [
        {
            "label": "被催办（未读）",
            "value": urged,
            "url": f"{messages_url}?kind=urge&unread=1",
            "note": "上级对您承办案件的催办",
            "tone": "danger",
        }
    ]
    ready = ImportJob.objects.filter(created_by=user, status=ImportJob.Status.READY).count()
    if ready:
        queues.append(
            {
                "label": "导入待确认",
                "value": ready,
                "url": f"{messages_url}?kind=job",
                "note": "校验已通过，确认后写入",
                "tone": "info",
            }
        )
    return queues


# --- user administration -------------------------------------------------------------------


USER_SORTING = tables.Sorting(
    columns={
        "username": ("username",),
        "display_name": ("display_name",),
        "unit": ("unit__code", "username"),
        "last_login": ("last_login",),
    },
    default=("unit__code", "username", "id"),
    descending_first=frozenset({"last_login"}),
    nullable=frozenset({"last_login"}),
)
# The log is read newest first; `at` is indexed.
LOG_SORTING = tables.Sorting(columns={"at": ("at",)}, default=("-at", "-id"))


@login_required
def user_list(request):
    require_role(request.user, *roles.USER_ADMINS)
    users = queries.users_visible_to(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        users = users.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
    role = request.GET.get("role", "")
    if role:
        users = users.filter(roles__code=role)
    users, sort = USER_SORTING.apply(request, users)
    context = paginate(request, users)
    context.update(q=q, role=role, role_choices=ROLE_CHOICES, sort=sort, filtered=bool(q or role))
    return render(request, "core/user_list.html", context)


@login_required
def user_detail(request, pk):
    require_role(request.user, *roles.USER_ADMINS)
    account = get_object_or_404(queries.users_visible_to(request.user), pk=pk)
    token = Token.objects.filter(user=account).first()
    return render(
        request,
        "core/user_detail.html",
        {
            "account": account,
            "entries": queries.audit_trail(request.user, account)[:100],
            "logins": queries.login_events_visible_to(request.user).filter(user=account)[:20],
            "locked_from": auth.locked_addresses(account.get_username()),
            "token": token,
            "token_expires": auth.token_expires(token) if token else None,
            "now": timezone.now(),
            "two_factor_required": twofactor.required(account),
            "two_factor_enrolled": twofactor.enrolled(account),
        },
    )


USER_ACTIONS = {
    "unlock": (accounts.unlock, "已解除账号锁定。"),
    "revoke-token": (accounts.revoke_token, "已作废该用户的 API 令牌。"),
    "reset-two-factor": (accounts.reset_two_factor, "已重置两步验证，该用户下次登录时重新绑定。"),
}


@login_required
@require_POST
def user_action(request, pk, action):
    """The buttons of the user page: unlock, revoke the API token, reset two-factor sign-in."""
    require_role(request.user, *roles.USER_ADMINS)
    account = get_object_or_404(queries.users_visible_to(request.user), pk=pk)
    if action not in USER_ACTIONS:
        raise Http404
    service, message = USER_ACTIONS[action]
    if service(request.user, account) is False:  # revoke-token: there was none (a stale list)
        messages.info(request, "该用户没有 API 令牌，无需作废。")
    else:
        messages.success(request, message)
    if request.POST.get("back") == "tokens":
        return redirect("core:token_list")
    return redirect("core:user_detail", pk=account.pk)


TOKEN_SORTING = tables.Sorting(
    columns={
        "username": ("user__username",),
        "unit": ("user__unit__code", "user__username"),
        # A token lasts a fixed time from its issue: by issue is by expiry.
        "created": ("created",),
    },
    default=("-created", "-key"),
    tiebreak="key",
    descending_first=frozenset({"created"}),
)


class TokenList(generic.ObjectListView):
    """API tokens of the accounts this administrator manages."""

    readers = roles.USER_ADMINS
    template_name = "core/token_list.html"
    sorting = TOKEN_SORTING

    def get_queryset(self, request):
        return queries.tokens_visible_to(request.user)

    def prepare_page(self, request, tokens):
        for token in tokens:
            token.expires = auth.token_expires(token)

    def get_context(self, request):
        return {"now": timezone.now()}


@login_required
def two_factor_roles(request):
    """Which roles must sign in with a one-time code (administrators and auditors always)."""
    require_role(request.user, roles.CITY_ADMIN)
    current = list(Role.objects.filter(requires_two_factor=True).values_list("code", flat=True))
    form = TwoFactorRolesForm(request.POST or None, initial={"roles": current})
    if request.method == "POST" and form.is_valid():
        accounts.set_two_factor_roles(request.user, form.cleaned_data["roles"])
        messages.success(request, "已保存两步验证策略。")
        return redirect("core:two_factor_roles")
    return render(
        request,
        "core/two_factor_roles.html",
        {"form": form, "always": twofactor.ALWAYS, "role_names": roles.ROLE_NAMES},
    )


class UserEdit(generic.ObjectEditView):
    """Create an account (no ``pk``) or edit one: roles, unit, organisation, a new password."""

    editors = roles.USER_ADMINS
    form_class = UserForm
    template_name = "core/user_form.html"

    def get_object(self, request, pk=None):
        if pk is None:
            return None
        return get_object_or_404(queries.users_visible_to(request.user), pk=pk)

    def get_form_kwargs(self, request, account):
        kwargs = {
            "units": scope.units_visible_to(request.user).filter(valid_to__isnull=True),
            "organisations": queries.organisations_visible_to(request.user),
        }
        if account is not None:
            kwargs["editing"] = True
            kwargs["initial"] = {
                "username": account.username,
                "display_name": account.display_name,
                "email": account.email,
                "unit": account.unit,
                "organisation": account.organisation,
                "roles": list(account.roles.all()),
                "is_active": account.is_active,
            }
        return kwargs

    def save(self, request, form, account):
        data = form.cleaned_data
        if account is None:
            return services.create_user(
                request.user,
                username=data["username"],
                password=data["password"],
                unit=data["unit"],
                organisation=data["organisation"],
                role_codes=form.role_codes,
                display_name=data["display_name"],
                email=data["email"],
            )
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
        return account

    def get_success_url(self, account):
        return reverse("core:user_detail", args=[account.pk])

    def get_success_message(self, account, creating):
        return f"已创建用户 {account.username}。" if creating else "已保存。"

    def get_context(self, request, form, account):
        return {"account": account}


# --- audit and login logs ------------------------------------------------------------------


@login_required
def audit_list(request):
    queries.require_log_reader(request.user)
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
    entries, sort = LOG_SORTING.apply(request, entries)
    context = paginate(request, entries)
    context["sort"] = sort
    context["filters"] = filters
    context["filtered"] = any(filters.values())
    context["actions"] = audit.action_choices()
    return render(request, "core/audit_list.html", context)


@login_required
def login_list(request):
    queries.require_log_reader(request.user)
    events = queries.login_events_visible_to(request.user)
    username = request.GET.get("username", "").strip()
    kind = request.GET.get("kind", "")
    if username:
        events = events.filter(username=username)
    if kind in LoginEvent.Kind.values:
        events = events.filter(kind=kind)
    events, sort = LOG_SORTING.apply(request, events)
    context = paginate(request, events)
    context.update(
        username=username,
        kind=kind,
        kinds=LoginEvent.Kind.choices,
        sort=sort,
        filtered=bool(username or kind in LoginEvent.Kind.values),
    )
    return render(request, "core/login_list.html", context)


def permission_denied(request, exception=None):
    return render(request, "core/403.html", {"reason": str(exception or "")}, status=403)


def not_found(request, exception=None):
    return render(request, "core/404.html", status=404)


# --- org units and organisations -----------------------------------------------------------


class UnitList(generic.ObjectListView):
    """District-level units (or the townships of one, ``?parent=<code>``) with validity and
    successors. Every signed-in user reads the units of their scope."""

    template_name = "core/unit_list.html"
    per_page = 100
    sorting = tables.Sorting(
        columns={
            "code": ("code",),
            "name": ("name",),
            "valid_from": ("valid_from",),
            "valid_to": ("valid_to",),
            "children": ("children_count",),
        },
        default=("code", "id"),
        descending_first=frozenset({"children"}),
        nullable=frozenset({"valid_from", "valid_to"}),
    )

    def get_queryset(self, request):
        parent_code = request.GET.get("parent", "")
        units = scope.units_visible_to(request.user).select_related("successor", "current")
        self.parent = units.filter(code=parent_code).first() if parent_code else None
        if self.parent is not None:
            units = units.filter(parent=self.parent)
        else:
            units = units.exclude(level=OrgUnit.Level.TOWNSHIP)
        return units.annotate(children_count=Count("children"))

    def prepare_page(self, request, units):
        self.shown = units

    def get_context(self, request):
        # ``units``: the page's rows under the name the page had before it was a declaration.
        return {"parent": self.parent, "units": self.shown, "filtered": False}


ORGANISATION_SORTING = tables.Sorting(
    columns={
        "name": ("name",),
        "kind": ("kind", "name"),
        "unit": ("unit__code", "kind", "name"),
        "users": ("user_count",),
    },
    # An aggregate drops Meta.ordering: order explicitly, or pages repeat and skip rows.
    default=("unit__code", "kind", "name", "id"),
    descending_first=frozenset({"users"}),
)


class OrganisationList(generic.ObjectListView):
    """The organisations of the administrator's units, and the form that adds one."""

    readers = roles.USER_ADMINS
    template_name = "core/organisation_list.html"
    sorting = ORGANISATION_SORTING
    form = None

    def get_queryset(self, request):
        organisations = queries.organisations_visible_to(request.user).annotate(
            user_count=Count("users")
        )
        q = request.GET.get("q", "").strip()
        if q:
            organisations = organisations.filter(Q(name__contains=q) | Q(uscc=q.upper()))
        return organisations

    def create_form(self, request, data=None):
        units = scope.units_visible_to(request.user).filter(valid_to__isnull=True)
        return OrganisationForm(data, units=units)

    def get_context(self, request):
        return {
            "form": self.form or self.create_form(request),
            "q": request.GET.get("q", "").strip(),
        }

    def post(self, request, *args, **kwargs):
        self.form = self.create_form(request, request.POST)
        if self.form.is_valid():
            try:
                organisation = services.create_organisation(request.user, **self.form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(self.form, exc)
            else:
                messages.success(request, f"已创建机构 {organisation.name}。")
                return redirect("core:organisation_list")
        return self.get(request, *args, **kwargs)


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


PARAMETER_SORTING = tables.Sorting(
    columns={
        "code": ("code", "unit__code", "-valid_from"),
        "unit": ("unit__code", "code", "-valid_from"),
        "valid_from": ("valid_from",),
    },
    default=("code", "unit__code", "-valid_from", "id"),
    descending_first=frozenset({"valid_from"}),
    nullable=frozenset({"unit__code"}),
)


class ParameterList(generic.ObjectListView):
    """Dated parameters: what is in force today, the history, and (city admin) a new value.
    ``?q=`` narrows to the parameters whose name or code holds the text."""

    readers = roles.STAFF_ROLES
    template_name = "core/parameter_list.html"
    sorting = PARAMETER_SORTING
    # Every row of a few parameters' histories on one page unless asked otherwise.
    per_page = 200
    form = None

    def get_queryset(self, request):
        rows = DatedParameter.objects.select_related("unit")
        q = request.GET.get("q", "").strip()
        if q:
            codes = [c for c, (label, _) in PARAMETER_LABELS.items() if q in label or q in c]
            rows = rows.filter(code__in=codes)
        return rows

    def new_value_form(self, request, data=None):
        if not can(request.user, roles.CITY_ADMIN):
            return None
        codes = [(code, f"{label}（{code}）") for code, (label, _) in PARAMETER_LABELS.items()]
        units = OrgUnit.objects.filter(level=OrgUnit.Level.DISTRICT, valid_to__isnull=True)
        return ParameterForm(data, codes=codes, units=units)

    def get_context(self, request):
        return {
            "labels": PARAMETER_LABELS,
            "form": self.form or self.new_value_form(request),
            "today": timezone.localdate(),
            "q": request.GET.get("q", "").strip(),
        }

    def post(self, request, *args, **kwargs):
        require_role(request.user, roles.CITY_ADMIN)
        self.form = self.new_value_form(request, request.POST)
        if self.form.is_valid():
            try:
                services.set_parameter(request.user, **self.form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(self.form, exc)
            else:
                messages.success(request, "已保存参数。")
                return redirect("core:parameter_list")
        return self.get(request, *args, **kwargs)
