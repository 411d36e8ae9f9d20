from django.urls import path

from . import park_views, project_views, views

app_name = "registry"

urlpatterns = [
    path("enterprises/", views.EnterpriseList.as_view(), name="enterprise_list"),
    path("enterprises/new/", views.EnterpriseEdit.as_view(), name="enterprise_create"),
    path(
        "enterprises/export/",
        views.EnterpriseList.as_view(exporting=True),
        name="enterprise_export",
    ),
    path("enterprises/<str:uscc>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<str:uscc>/edit/", views.EnterpriseEdit.as_view(), name="enterprise_edit"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/template/", views.import_template, name="import_template"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/commit/", views.import_commit, name="import_commit"),
    path("imports/<int:pk>/cancel/", views.import_cancel, name="import_cancel"),
    path("imports/<int:pk>/retry/", views.import_retry, name="import_retry"),
    path("imports/<int:pk>/errors/", views.import_errors, name="import_errors"),
]

urlpatterns += [
    path("projects/", project_views.ProjectList.as_view(), name="project_list"),
    path("projects/new/", project_views.ProjectEdit.as_view(), name="project_create"),
    path(
        "projects/export/", project_views.ProjectList.as_view(exporting=True), name="project_export"
    ),
    path("projects/<int:pk>/", project_views.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", project_views.ProjectEdit.as_view(), name="project_edit"),
]

urlpatterns += [
    path("parks/", park_views.ParkList.as_view(), name="park_list"),
    path("parks/new/", park_views.ParkEdit.as_view(), name="park_create"),
    path("parks/export/", park_views.ParkList.as_view(exporting=True), name="park_export"),
    path("parks/imports/", park_views.import_list, name="park_import_list"),
    path("parks/imports/template/", park_views.import_template, name="park_import_template"),
    path("parks/imports/<int:pk>/", park_views.import_detail, name="park_import_detail"),
    path("parks/imports/<int:pk>/commit/", park_views.import_commit, name="park_import_commit"),
    path("parks/imports/<int:pk>/cancel/", park_views.import_cancel, name="park_import_cancel"),
    path("parks/imports/<int:pk>/retry/", park_views.import_retry, name="park_import_retry"),
    path("parks/imports/<int:pk>/errors/", park_views.import_errors, name="park_import_errors"),
    path("parks/<int:pk>/", park_views.park_detail, name="park_detail"),
    path("parks/<int:pk>/edit/", park_views.ParkEdit.as_view(), name="park_edit"),
    path("parks/<int:pk>/status/", park_views.park_status, name="park_status"),
]
