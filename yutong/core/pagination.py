from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator

PAGE_SIZES = (20, 50, 100)


def paginate(request, queryset, per_page: int = 50) -> dict:
    """Page of a queryset (LIMIT/OFFSET in the database) plus the query string to keep filters."""
    try:
        size = int(request.GET.get("size", per_page))
    except ValueError:
        size = per_page
    size = size if size in PAGE_SIZES else per_page
    paginator = Paginator(queryset, size)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return {
        "page_obj": page,
        "object_list": page.object_list,
        "querystring_without_page": f"{encoded}&" if encoded else "",
        "querystring": encoded,
    }
