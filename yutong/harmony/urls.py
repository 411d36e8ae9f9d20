from django.urls import path

from . import views

app_name = "harmony"

urlpatterns = [
    # creation activity: enrolments and coverage
    *views.EnrollmentList.urls("enrollments/", "enrollment_list"),
    path("enrollments/new/", views.enrollment_create, name="enrollment_create"),
    path("enrollments/<int:pk>/", views.enrollment_detail, name="enrollment_detail"),
    path(
        "enrollments/<int:pk>/withdraw/",
        views.enrollment_withdraw,
        name="enrollment_withdraw",
    ),
    path("coverage/", views.coverage, name="coverage"),
    # enterprise health checks
    *views.CheckList.urls("checks/", "check_list"),
    path("checks/new/", views.check_new, name="check_new"),
    path("checks/<int:pk>/", views.check_detail, name="check_detail"),
    # harmonious-enterprise evaluation
    *views.EvaluationList.urls("evaluations/", "evaluation_list"),
    path("evaluations/new/", views.evaluation_create, name="evaluation_create"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path(
        "evaluations/<int:pk>/documents/",
        views.document_upload,
        name="document_upload",
    ),
    path(
        "evaluations/<int:pk>/documents/<int:doc_pk>/",
        views.document_download,
        name="document_download",
    ),
    path(
        "evaluations/<int:pk>/documents/<int:doc_pk>/delete/",
        views.document_delete,
        name="document_delete",
    ),
    path(
        "evaluations/<int:pk>/<slug:action>/",
        views.evaluation_action,
        name="evaluation_action",
    ),
    # the public list (no login)
    path("graded/", views.GradedList.as_view(), name="graded_list"),
    # settings (city administrator)
    path("settings/", views.settings_page, name="settings"),
    path("settings/questions/new/", views.QuestionEdit.as_view(), name="question_create"),
    path("settings/questions/<int:pk>/", views.QuestionEdit.as_view(), name="question_edit"),
    path("settings/<slug:kind>/new/", views.SettingEdit.as_view(), name="setting_create"),
    path("settings/<slug:kind>/<int:pk>/", views.SettingEdit.as_view(), name="setting_edit"),
]
