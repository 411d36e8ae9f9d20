from django.urls import path

from .views import bargaining, congresses, contracts, filings, records, tripartite, unions

app_name = "relations"


def _actions(kind: str, prefix: str) -> list:
    return [
        path(
            f"{prefix}/<int:pk>/<slug:action>/",
            records.record_action,
            {"kind": kind},
            name=f"{kind}_action",
        )
    ]


urlpatterns = [
    path("", unions.TodoList.as_view(), name="todo"),
    path("todo/export/", unions.TodoList.as_view(exporting=True), name="todo_export"),
    path("unions/", unions.UnionList.as_view(), name="union_list"),
    path("unions/export/", unions.UnionList.as_view(exporting=True), name="union_export"),
    path("unions/new/", unions.UnionCreate.as_view(), name="union_create"),
    path("unions/<int:pk>/", unions.union_detail, name="union_detail"),
    *_actions("union", "unions"),
    path("bargaining/", bargaining.BargainingList.as_view(), name="bargaining_list"),
    path(
        "bargaining/export/",
        bargaining.BargainingList.as_view(exporting=True),
        name="bargaining_export",
    ),
    path("bargaining/new/", bargaining.BargainingCreate.as_view(), name="bargaining_create"),
    path("bargaining/wages/", bargaining.WageBargainingList.as_view(), name="wage_bargaining"),
    path(
        "bargaining/wages/export/",
        bargaining.WageBargainingList.as_view(exporting=True),
        name="wage_bargaining_export",
    ),
    path("bargaining/<int:pk>/", bargaining.bargaining_detail, name="bargaining_detail"),
    *_actions("bargaining", "bargaining"),
    path("contracts/", contracts.ContractList.as_view(), name="contract_list"),
    path(
        "contracts/export/",
        contracts.ContractList.as_view(exporting=True),
        name="contract_export",
    ),
    path("contracts/new/", contracts.ContractCreate.as_view(), name="contract_create"),
    path("contracts/<int:pk>/", contracts.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/edit/", contracts.ContractDraftEdit.as_view(), name="contract_edit"),
    *_actions("contract", "contracts"),
    path("congresses/", congresses.CongressList.as_view(), name="congress_list"),
    path(
        "congresses/export/",
        congresses.CongressList.as_view(exporting=True),
        name="congress_export",
    ),
    path("congresses/new/", congresses.CongressCreate.as_view(), name="congress_create"),
    path("congresses/<int:pk>/", congresses.congress_detail, name="congress_detail"),
    path("disclosures/", congresses.DisclosureList.as_view(), name="disclosure_list"),
    path(
        "disclosures/export/",
        congresses.DisclosureList.as_view(exporting=True),
        name="disclosure_export",
    ),
    path("disclosures/new/", congresses.DisclosureCreate.as_view(), name="disclosure_create"),
    path("tripartite/", tripartite.MeetingList.as_view(), name="meeting_list"),
    path(
        "tripartite/export/",
        tripartite.MeetingList.as_view(exporting=True),
        name="meeting_export",
    ),
    path("tripartite/new/", tripartite.MeetingCreate.as_view(), name="meeting_create"),
    path("tripartite/<int:pk>/", tripartite.meeting_detail, name="meeting_detail"),
    path(
        "tripartite/<int:pk>/follow-ups/",
        tripartite.meeting_add_follow_up,
        name="meeting_add_follow_up",
    ),
    path("follow-ups/", tripartite.FollowUpList.as_view(), name="follow_up_list"),
    path(
        "follow-ups/export/",
        tripartite.FollowUpList.as_view(exporting=True),
        name="follow_up_export",
    ),
    *_actions("follow_up", "follow-ups"),
    path("filings/", filings.FilingList.as_view(), name="filing_list"),
    path("filings/export/", filings.FilingList.as_view(exporting=True), name="filing_export"),
]
