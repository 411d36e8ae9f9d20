from django.urls import path

from . import rating_views, views

app_name = "inspection"

urlpatterns = [
    # complaints: queue, staff entry, page, actions, printable decision
    path("complaints/", views.ComplaintQueue.as_view(), name="complaint_queue"),
    path(
        "complaints/export/",
        views.ComplaintQueue.as_view(exporting=True),
        name="complaint_export",
    ),
    path("complaints/new/", views.complaint_new, name="complaint_new"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("complaints/<int:pk>/notice/", views.complaint_notice, name="complaint_notice"),
    *(
        path(
            f"complaints/<int:pk>/{name.replace('_', '-')}/",
            views.complaint_action,
            {"action": name},
            name=f"complaint_{name}",
        )
        for name in views.COMPLAINT_ACTIONS
    ),
    # inspection cases
    path("cases/", views.CaseQueue.as_view(), name="case_queue"),
    path("cases/export/", views.CaseQueue.as_view(exporting=True), name="case_export"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    *(
        path(
            f"cases/<int:pk>/{name.replace('_', '-')}/",
            views.case_action,
            {"action": name},
            name=f"case_{name}",
        )
        for name in views.CASE_ACTIONS
    ),
    # compliance credit rating and blacklist
    path("ratings/", rating_views.RatingList.as_view(), name="ratings"),
    path("ratings/export/", rating_views.RatingList.as_view(exporting=True), name="rating_export"),
    path("ratings/compute/", rating_views.rating_compute, name="rating_compute"),
    path("ratings/override/", rating_views.rating_override, name="rating_override"),
    path("blacklist/", rating_views.BlacklistList.as_view(), name="blacklist"),
    path(
        "blacklist/export/",
        rating_views.BlacklistList.as_view(exporting=True),
        name="blacklist_export",
    ),
    path("blacklist/<int:pk>/", rating_views.blacklist_detail, name="blacklist_detail"),
    path("blacklist/<int:pk>/remove/", rating_views.blacklist_remove, name="blacklist_remove"),
    # public pages (no login)
    path("projects/", views.project_options, name="project_options"),
    path("complain/", views.complain, name="complain"),
    path("complain/done/", views.complain_done, name="complain_done"),
    path("blacklist/public/", rating_views.PublicBlacklist.as_view(), name="public_blacklist"),
]
