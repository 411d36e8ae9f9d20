from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from yutong.core import api as core_api
from yutong.core import views as core_views
from yutong.disputes import api as disputes_api
from yutong.disputes import calculator_views
from yutong.harmony import api as harmony_api
from yutong.indicators import api as indicators_api
from yutong.inspection import api as inspection_api
from yutong.registry import api as registry_api
from yutong.relations import api as relations_api
from yutong.wages import api as wages_api

router = DefaultRouter()
router.register("units", core_api.OrgUnitViewSet, basename="unit")
router.register("messages", core_api.MessageViewSet, basename="message")
router.register("enterprises", registry_api.EnterpriseViewSet, basename="enterprise")
router.register("mediation-cases", disputes_api.MediationCaseViewSet, basename="mediation-case")
router.register(
    "arbitration-cases", disputes_api.ArbitrationCaseViewSet, basename="arbitration-case"
)
API_APPS = (registry_api, inspection_api, wages_api, relations_api, harmony_api, indicators_api)
for prefix, viewset, basename in (route for app in API_APPS for route in app.ROUTES):
    router.register(prefix, viewset, basename=basename)

handler403 = "yutong.core.views.permission_denied"
handler404 = "yutong.core.views.not_found"
handler400 = "yutong.core.errors.bad_request"
handler500 = "yutong.core.errors.server_error"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", core_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("core/", include("yutong.core.urls")),
    path("registry/", include("yutong.registry.urls")),
    path("disputes/", include("yutong.disputes.urls")),
    path("inspection/", include("yutong.inspection.urls")),
    path("wages/", include("yutong.wages.urls")),
    path("relations/", include("yutong.relations.urls")),
    path("harmony/", include("yutong.harmony.urls")),
    path("indicators/", include("yutong.indicators.urls")),
    path("api/v1/auth/", include(core_api.auth_paths())),
    path(
        "api/v1/calculations/",
        calculator_views.CalculationView.as_view(),
        name="api_calculations",
    ),
    path("api/v1/", include(core_api.shell_paths())),
    path("api/v1/", include([p for app in API_APPS for p in getattr(app, "PATHS", [])])),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view loads its start-up script from ?script, so the page needs no inline script
    # and carries the same Content-Security-Policy as every other page.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api_docs"),
]
