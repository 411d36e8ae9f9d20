from django.urls import path

from . import views

app_name = "relations"


def _actions(kind: str, prefix: str) -> list:
    return [
        path(
            f"{prefix}/<int:pk>/<slug:action>/",
            views.record_action,
            {"kind": kind},
            name=f"{kind}_action",
        )
    ]


urlpatterns = [
    path("", views.todo, name="todo"),
    path("todo/export/", views.todo_export, name="todo_export"),
    path("unions/", views.union_list, name="union_list"),
    path("unions/new/", views.union_create, name="union_create"),
    path("unions/<int:pk>/", views.union_detail, name="union_detail"),
    *_actions("union", "unions"),
    path("bargaining/", views.bargaining_list, name="bargaining_list"),
    path("bargaining/new/", views.bargaining_create, name="bargaining_create"),
    path("bargaining/wages/", views.wage_bargaining, name="wage_bargaining"),
    path("bargaining/<int:pk>/", views.bargaining_detail, name="bargaining_detail"),
    *_actions("bargaining", "bargaining"),
    path("contracts/", views.contract_list, name="contract_list"),
    path("contracts/export/", views.contract_export, name="contract_export"),
    path("contracts/new/", views.contract_create, name="contract_create"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/edit/", views.contract_edit, name="contract_edit"),
    *_actions("contract", "contracts"),
    path("congresses/", views.congress_list, name="congress_list"),
    path("congresses/new/", views.congress_create, name="congress_create"),
    path("congresses/<int:pk>/", views.congress_detail, name="congress_detail"),
    path("disclosures/", views.disclosure_list, name="disclosure_list"),
    path("disclosures/new/", views.disclosure_create, name="disclosure_create"),
    path("tripartite/", views.meeting_list, name="meeting_list"),
    path("tripartite/export/", views.meeting_export, name="meeting_export"),
    path("tripartite/new/", views.meeting_create, name="meeting_create"),
    path("tripartite/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path(
        "tripartite/<int:pk>/follow-ups/",
        views.meeting_add_follow_up,
        name="meeting_add_follow_up",
    ),
    path("follow-ups/", views.follow_up_list, name="follow_up_list"),
    *_actions("follow_up", "follow-ups"),
    path("filings/", views.filing_list, name="filing_list"),
    path("filings/export/", views.filing_export, name="filing_export"),
]
