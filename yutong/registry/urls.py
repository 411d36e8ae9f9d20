from django.urls import path

from . import park_views, project_views, views

app_name = "registry"

urlpatterns = [
    *views.EnterpriseList.urls("enterprises/", "enterprise_list"),
    path("enterprises/new/", views.EnterpriseEdit.as_view(), name="enterprise_create"),
    path("enterprises/<str:uscc>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<str:uscc>/edit/", views.EnterpriseEdit.as_view(), name="enterprise_edit"),
    *views.ENTERPRISE_SHEET.urlpatterns("imports/"),
]

urlpatterns += [
    *project_views.ProjectList.urls("projects/", "project_list"),
    path("projects/new/", project_views.ProjectEdit.as_view(), name="project_create"),
    path("projects/<int:pk>/", project_views.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", project_views.ProjectEdit.as_view(), name="project_edit"),
]

urlpatterns += [
    *park_views.ParkList.urls("parks/", "park_list"),
    path("parks/new/", park_views.ParkEdit.as_view(), name="park_create"),
    *park_views.PARK_SHEET.urlpatterns("parks/imports/"),
    path("parks/<int:pk>/", park_views.park_detail, name="park_detail"),
    path("parks/<int:pk>/edit/", park_views.ParkEdit.as_view(), name="park_edit"),
    path("parks/<int:pk>/status/", park_views.park_status, name="park_status"),
]
