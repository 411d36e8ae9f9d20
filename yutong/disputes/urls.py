from django.urls import path

from . import (
    body_views,
    calculator_views,
    case_calculator_views,
    document_views,
    guidance_views,
    views,
)

app_name = "disputes"

urlpatterns = [
    path("calculator/", calculator_views.calculator_page, name="calculator"),
    path("guidance/", guidance_views.guidance_page, name="guidance"),
    # work queues, registration and case pages (issue #3)
    path("mediation/", views.MediationQueue.as_view(), name="mediation_queue"),
    path(
        "mediation/export/",
        views.MediationQueue.as_view(exporting=True),
        name="mediation_export",
    ),
    path("mediation/<int:pk>/", views.mediation_detail, name="mediation_detail"),
    *(
        path(
            f"mediation/<int:pk>/{name.replace('_', '-')}/",
            views.case_action,
            {"kind": "mediation", "action": name},
            name=f"mediation_{name}",
        )
        for name in views.MEDIATION_ACTIONS
    ),
    path("arbitration/", views.ArbitrationQueue.as_view(), name="arbitration_queue"),
    path(
        "arbitration/export/",
        views.ArbitrationQueue.as_view(exporting=True),
        name="arbitration_export",
    ),
    path("arbitration/<int:pk>/", views.arbitration_detail, name="arbitration_detail"),
    *(
        path(
            f"arbitration/<int:pk>/{name.replace('_', '-')}/",
            views.case_action,
            {"kind": "arbitration", "action": name},
            name=f"arbitration_{name}",
        )
        for name in views.ARBITRATION_ACTIONS
    ),
    # the claim calculator inside a case (权益计算), and taking its amount into a claim
    *(
        path(
            f"{kind}/<int:pk>/calculator/{suffix}",
            view,
            {"kind": kind},
            name=f"{kind}_calculator{name}",
        )
        for kind in ("mediation", "arbitration")
        for suffix, view, name in (
            ("", case_calculator_views.case_calculator, ""),
            ("apply/", case_calculator_views.case_calculator_apply, "_apply"),
        )
    ),
    path("register/", views.register, name="register"),
    path("employers/", views.employer_search, name="employer_search"),
    # the public online application (no login)
    path("apply/", views.apply, name="apply"),
    path("apply/targets/", views.apply_targets, name="apply_targets"),
    path("apply/done/", views.apply_done, name="apply_done"),
    # registries of bodies and people (issue #3), declared on core's generic views
    path("bodies/", body_views.BodyList.as_view(), name="body_list"),
    path("bodies/export/", body_views.BodyList.as_view(exporting=True), name="body_export"),
    path("bodies/new/", body_views.BodyEdit.as_view(), name="body_create"),
    path("bodies/<int:pk>/", body_views.body_detail, name="body_detail"),
    path("bodies/<int:pk>/edit/", body_views.BodyEdit.as_view(), name="body_edit"),
    path(
        "bodies/<int:pk>/deactivate/",
        body_views.BodyDeactivate.as_view(),
        name="body_deactivate",
    ),
    path(
        "bodies/<int:body_pk>/mediators/new/",
        body_views.MediatorEdit.as_view(),
        name="mediator_create",
    ),
    path("mediators/<int:pk>/edit/", body_views.MediatorEdit.as_view(), name="mediator_edit"),
    path(
        "mediators/<int:pk>/deactivate/",
        body_views.MediatorDeactivate.as_view(),
        name="mediator_deactivate",
    ),
    path("commissions/", body_views.CommissionList.as_view(), name="commission_list"),
    path(
        "commissions/export/",
        body_views.CommissionList.as_view(exporting=True),
        name="commission_export",
    ),
    path("commissions/new/", body_views.CommissionEdit.as_view(), name="commission_create"),
    path("commissions/<int:pk>/", body_views.commission_detail, name="commission_detail"),
    path("commissions/<int:pk>/edit/", body_views.CommissionEdit.as_view(), name="commission_edit"),
    path(
        "commissions/<int:pk>/deactivate/",
        body_views.CommissionDeactivate.as_view(),
        name="commission_deactivate",
    ),
    path(
        "commissions/<int:commission_pk>/arbitrators/new/",
        body_views.ArbitratorEdit.as_view(),
        name="arbitrator_create",
    ),
    path("arbitrators/<int:pk>/edit/", body_views.ArbitratorEdit.as_view(), name="arbitrator_edit"),
    path(
        "arbitrators/<int:pk>/deactivate/",
        body_views.ArbitratorDeactivate.as_view(),
        name="arbitrator_deactivate",
    ),
    path("lawyers/", body_views.LawyerList.as_view(), name="lawyer_list"),
    path("lawyers/export/", body_views.LawyerList.as_view(exporting=True), name="lawyer_export"),
    path("lawyers/<int:pk>/edit/", body_views.LawyerEdit.as_view(), name="lawyer_edit"),
    path(
        "lawyers/<int:pk>/deactivate/",
        body_views.LawyerDeactivate.as_view(),
        name="lawyer_deactivate",
    ),
    # printable documents (HTML print view; ?format=pdf for the PDF)
    path(
        "arbitration/<int:pk>/documents/<slug:kind>/",
        document_views.arbitration_document,
        name="arbitration_document",
    ),
    path(
        "mediation/<int:pk>/documents/<slug:kind>/",
        document_views.mediation_document,
        name="mediation_document",
    ),
]
