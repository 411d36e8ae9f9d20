"""Declared lists and edit pages (DESIGN.md: "lists and edit pages are declared, not rewritten per
model"; NetBox's ObjectListView/ObjectEditView are the model).

An app declares a page as a subclass that names what differs — the scoped rows, the filter
form, the sort columns, the export columns, the form and the service to call — and inherits
the shape every such page shares: the role check, the filter, the sort, the pager, the HTMX
partial, the export of exactly the filtered rows, the empty state, the service errors shown on
the form and the one success message::

    class ParkList(generic.ObjectListView):
        readers = roles.STAFF_ROLES
        template_name = "registry/park_list.html"
        table_template = "registry/_park_table.html"
        filter_form = ParkFilterForm
        sorting = queries.PARK_SORTING
        export = generic.Export("工业园区名录", PARK_HEADERS)

        def get_queryset(self, request):
            return queries.parks_visible_to(request.user)

        def filter_queryset(self, request, rows, data):
            return queries.filter_parks(rows, data)

        def export_row(self, request, park):
            return [park.code, park.name, ...]

    path("parks/", ParkList.as_view(), name="park_list"),
    path("parks/export/", ParkList.as_view(exporting=True), name="park_export"),

The view runs every request through ``get_queryset`` (the user's scope), so a record outside
it is never listed, exported or opened for editing: the edit view's ``get_object`` is a
``get_object_or_404`` on that same scoped query.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views import View

from . import exports
from .pagination import paginate
from .permissions import require_role
from .tables import SORT_PARAM, Sorting
from .viewutils import add_service_errors

# Query parameters that page or sort a list rather than filter it.
NOT_FILTERS = frozenset({"page", "page_size", SORT_PARAM})


@dataclass(frozen=True)
class Export:
    """An Excel export of a list: the file and sheet title and its column headers."""

    title: str
    headers: tuple[str, ...] | list[str]


def filters_applied(request, choices: tuple[str, ...] = ()) -> bool:
    """Whether the request narrows the list: anything but paging, sorting and the parameters
    that choose what the list is (a tab, a year: ``choices``)."""
    return any(
        v.strip()
        for k, vs in request.GET.lists()
        if k not in NOT_FILTERS and k not in choices
        for v in vs
    )


class Leave(Exception):  # noqa: N818 - reads as what the page does
    """Raised by an edit page's ``get_object``, ``save`` or ``get_context`` to leave for
    another page with a message (a record that has moved on, a form drawn before someone
    else's change)."""

    def __init__(self, message: str, url: str):
        super().__init__(message)
        self.message = message
        self.url = url


class ObjectListView(View):
    """A list page: scoped rows, a filter form kept in the URL, sortable columns, the shared
    pager, an HTMX partial for the table, and (if ``export`` is declared) the same rows, in the
    same order, as a workbook under ``as_view(exporting=True)``. Signed-in users only, unless
    the list is ``public`` (the public blacklist, the graded enterprises)."""

    public: bool = False

    readers: tuple[str, ...] = ()
    template_name: str = ""
    # The part of the page an HTMX request reloads (the table and its pager).
    table_template: str | None = None
    filter_form: type | None = None
    sorting: Sorting | None = None
    # The order when the list declares no sorting (or the request names no valid column).
    ordering: tuple[str, ...] | None = None
    per_page: int = 50
    export: Export | None = None
    # The list's own page, where a refused export sends the user back to.
    url_name: str = ""
    # Query parameters that choose what the list is (a tab, a year) rather than filter it:
    # an empty tab says "尚无…", not "没有符合筛选条件…".
    choice_params: tuple[str, ...] = ()
    exporting: bool = False

    @classmethod
    def urls(cls, prefix: str, name: str, export_name: str | None = None) -> list:
        """The list's URL and, if it declares an export, the export's (``<prefix>export/``,
        named ``export_name`` or ``name`` with ``_list`` replaced by ``_export``)."""
        patterns = [path(prefix, cls.as_view(), name=name)]
        if cls.export is not None:
            export_name = export_name or f"{name.removesuffix('_list')}_export"
            patterns.append(path(f"{prefix}export/", cls.as_view(exporting=True), name=export_name))
        return patterns

    # --- what a declaration overrides ---------------------------------------------------

    def get_queryset(self, request) -> QuerySet:
        raise NotImplementedError

    def get_form_kwargs(self, request) -> dict:
        return {}

    def filter_queryset(self, request, rows: QuerySet, data: dict) -> QuerySet:
        """Narrow ``rows`` by the filter form's cleaned data."""
        return rows

    def get_context(self, request) -> dict:
        """What the page shows beside the rows (buttons the user may use, labels)."""
        return {}

    def prepare_page(self, request, rows) -> None:
        """Decorate the rows of the page shown (e.g. counts read for the page only)."""

    def get_choice_params(self) -> tuple[str, ...]:
        return self.choice_params

    def get_ordering(self, request) -> tuple[str, ...] | None:
        """The order before a column is sorted (a queue's own work order, per tab)."""
        return self.ordering

    def get_export(self, request) -> Export | None:
        """The export (a title that names the tab or month exported)."""
        return self.export

    def export_queryset(self, request, rows: QuerySet) -> QuerySet:
        return rows

    def export_count(self, request, rows: QuerySet) -> int:
        """How many lines the workbook will hold (more than the records when one record is
        written as several lines)."""
        return rows.count()

    def export_lines(self, request, rows: QuerySet):
        """The workbook's lines: by default one ``export_row`` per record."""
        return (self.export_row(request, row) for row in rows.iterator(chunk_size=2000))

    def export_row(self, request, row) -> list:
        raise NotImplementedError

    # --- the shape shared by every list ----------------------------------------------------

    def dispatch(self, request, *args, **kwargs):
        if not self.public:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if self.readers:
                require_role(request.user, *self.readers)
        return super().dispatch(request, *args, **kwargs)

    def rows(self, request):
        """The filter form and the scoped, filtered, ordered rows."""
        rows = self.get_queryset(request)
        form = None
        if self.filter_form is not None:
            form = self.filter_form(request.GET or None, **self.get_form_kwargs(request))
            if form.is_bound and form.is_valid():
                rows = self.filter_queryset(request, rows, form.cleaned_data)
        sort = None
        ordering = self.get_ordering(request)
        if self.sorting is not None:
            rows, sort = self.sorting.apply(request, rows, default=ordering)
        elif ordering is not None:
            rows = rows.order_by(*ordering)
        return form, rows, sort

    def get(self, request, *args, **kwargs):
        if self.exporting:
            return self.export_response(request)
        form, rows, sort = self.rows(request)
        context = paginate(request, rows, per_page=self.per_page)
        self.prepare_page(request, context["object_list"])
        choices = self.get_choice_params()
        # With a filter form only its fields filter (a stray parameter does not make an empty
        # list say "没有符合筛选条件"); without one, any parameter but paging and sorting does.
        known = set(form.fields) - set(choices) if form is not None else None
        filtered = filters_applied(request, choices) and (
            known is None or any(request.GET.get(name, "").strip() for name in known)
        )
        context.update(form=form, sort=sort, filtered=filtered, choice_params=choices)
        context.update(self.get_context(request))
        template = self.table_template if request.htmx and self.table_template else None
        return render(request, template or self.template_name, context)

    def export_response(self, request):
        form, rows, _ = self.rows(request)
        export = self.get_export(request)
        if export is None:
            raise Http404
        back = f"{reverse(self.url_name)}?{request.GET.urlencode()}"
        if form is not None and form.is_bound and not form.is_valid():
            # The page shows the whole list beside the form's errors; a workbook would hold
            # that whole list as if it were the filtered one.
            messages.error(request, "筛选条件有误，请修改后再导出。")
            return redirect(back)
        limit = settings.EXPORT_MAX_ROWS
        if self.export_count(request, rows) > limit:
            messages.error(request, f"导出结果超过 {limit} 行，请增加筛选条件后再导出。")
            return redirect(back)
        lines = self.export_lines(request, self.export_queryset(request, rows))
        return exports.xlsx_response(
            exports.dated_filename(export.title), export.title, list(export.headers), lines
        )


class ObjectEditView(LoginRequiredMixin, View):
    """A create or edit page: the form, the service that saves it, the service's refusals shown
    on the form's fields, one success message and a redirect to the record. ``get_object``
    returns None to create."""

    editors: tuple[str, ...] = ()
    form_class: type | None = None
    template_name: str = ""
    success_message: str = "已保存。"
    # The status of the form shown again with its errors (400 tells API-minded clients and
    # tests that nothing was saved).
    invalid_status: int = 200

    def get_object(self, request, **kwargs):
        return None

    def get_form_kwargs(self, request, obj) -> dict:
        return {}

    def save(self, request, form, obj):
        """Call the service with the form's data and return the saved record."""
        raise NotImplementedError

    def get_success_url(self, obj) -> str:
        return obj.get_absolute_url()

    def get_success_message(self, obj, creating: bool) -> str:
        return self.success_message

    def get_context(self, request, form, obj) -> dict:
        return {}

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_role(request.user, *self.editors)
        return super().dispatch(request, *args, **kwargs)

    def _respond(self, request, kwargs):
        try:
            return self._form_page(request, kwargs)
        except Leave as leave:
            messages.error(request, leave.message)
            return redirect(leave.url)

    def _form_page(self, request, kwargs):
        obj = self.get_object(request, **kwargs)
        data = request.POST if request.method == "POST" else None
        files = request.FILES if request.method == "POST" else None
        form = self.form_class(data, files=files, **self.get_form_kwargs(request, obj))
        if request.method == "POST" and form.is_valid():
            try:
                saved = self.save(request, form, obj)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, self.get_success_message(saved, obj is None))
                return redirect(self.get_success_url(saved))
        context = {"form": form, "object": obj, "creating": obj is None}
        context.update(self.get_context(request, form, obj))
        status = self.invalid_status if form.is_bound else 200
        return render(request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self._respond(request, kwargs)

    def post(self, request, *args, **kwargs):
        return self._respond(request, kwargs)


class ObjectActionView(LoginRequiredMixin, View):
    """A button on a record's page that calls one service (deactivate, close, reopen): POST
    only; a refusal becomes an error message; back to the record either way."""

    editors: tuple[str, ...] = ()
    http_method_names = ["post"]

    def get_object(self, request, **kwargs):
        raise NotImplementedError

    def perform(self, request, obj) -> str:
        """Call the service; return the success message."""
        raise NotImplementedError

    def get_success_url(self, obj) -> str:
        return obj.get_absolute_url()

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_role(request.user, *self.editors)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        obj = self.get_object(request, **kwargs)
        try:
            message = self.perform(request, obj)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, message)
        return redirect(self.get_success_url(obj))
