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
    *unions.UnionList.urls("unions/", "union_list"),
    path("unions/new/", unions.UnionCreate.as_view(), name="union_create"),
    path("unions/<int:pk>/", unions.union_detail, name="union_detail"),
    *_actions("union", "unions"),
    *bargaining.BargainingList.urls("bargaining/", "bargaining_list"),
    path("bargaining/new/", bargaining.BargainingCreate.as_view(), name="bargaining_create"),
    *bargaining.WageBargainingList.urls("bargaining/wages/", "wage_bargaining"),
    path("bargaining/<int:pk>/", bargaining.bargaining_detail, name="bargaining_detail"),
    *_actions("bargaining", "bargaining"),
    *contracts.ContractList.urls("contracts/", "contract_list"),
    path("contracts/new/", contracts.ContractCreate.as_view(), name="contract_create"),
    path("contracts/<int:pk>/", contracts.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/edit/", contracts.ContractDraftEdit.as_view(), name="contract_edit"),
    *_actions("contract", "contracts"),
    *congresses.CongressList.urls("congresses/", "congress_list"),
    path("congresses/new/", congresses.CongressCreate.as_view(), name="congress_create"),
    path("congresses/<int:pk>/", congresses.congress_detail, name="congress_detail"),
    *congresses.DisclosureList.urls("disclosures/", "disclosure_list"),
    path("disclosures/new/", congresses.DisclosureCreate.as_view(), name="disclosure_create"),
    *tripartite.MeetingList.urls("tripartite/", "meeting_list"),
    path("tripartite/new/", tripartite.MeetingCreate.as_view(), name="meeting_create"),
    path("tripartite/<int:pk>/", tripartite.meeting_detail, name="meeting_detail"),
    path(
        "tripartite/<int:pk>/follow-ups/",
        tripartite.meeting_add_follow_up,
        name="meeting_add_follow_up",
    ),
    *tripartite.FollowUpList.urls("follow-ups/", "follow_up_list"),
    *_actions("follow_up", "follow-ups"),
    *filings.FilingList.urls("filings/", "filing_list"),
]
