from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from core import import_views
from governance import api as governance_api
from governance import api_improvement
from partners import api as partners_api
from partners import views_invitations as partners_views_invitations
from scorecards import api as scorecards_api
from srm import (
    accounts,
    health,
    history,
    import_jobs_api,
    inbox,
    language,
    notifications_api,
    operations,
    partner_page,
    partnership_views,
    search_views,
    value,
    views,
)

router = DefaultRouter()
partners_api.register(router)
governance_api.register(router)
api_improvement.register(router)
scorecards_api.register(router)
notifications_api.register(router)
import_jobs_api.register(router)

portal_patterns = (
    [
        path("", views.portal_home, name="home"),
        path("export/", partnership_views.portal_export_download, name="export"),
    ],
    "portal",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("workspace/", views.workspace, name="workspace"),
    path("search/", search_views.search, name="search"),
    path("i18n/language/", language.switch_language, name="switch-language"),
    path("dashboard/", views.executive_dashboard, name="executive-dashboard"),
    path("portal/", include(portal_patterns)),
    path("partners/<int:partner_id>/", partner_page.partner_page, name="partner-page"),
    path(
        "partners/<int:partner_id>/tabs/<slug:tab>/",
        partner_page.partner_tab,
        name="partner-tab",
    ),
    path(
        "partners/<int:partner_id>/playbook/apply/",
        views.partner_playbook_apply_view,
        name="partner-playbook-apply",
    ),
    path("history/<str:kind>/<int:object_id>/", history.record_history, name="record-history"),
    path(
        "partners/<int:partner_id>/export/",
        partnership_views.partner_export_download,
        name="partnership-export-download",
    ),
    path(
        "partners/import-partnership/",
        partnership_views.partnership_import_page,
        name="partnership-import",
    ),
    path(
        "partners/<int:partner_id>/value/new/",
        value.value_entry_add_view,
        name="partner-value-add",
    ),
    path("partners/", include("partners.urls")),
    path("governance/", include("governance.urls")),
    path("scorecards/", include("scorecards.urls")),
    # Sign-in with its two-factor step, ahead of Django's other account views.
    path("accounts/login/", accounts.SignInView.as_view(), name="login"),
    path("accounts/login/code/", accounts.login_code, name="login-code"),
    # A supplier invitation's link (public: the token is the key; partners.views_invitations).
    path(
        "accounts/invitation/<str:token>/",
        partners_views_invitations.invitation_accept_view,
        name="invitation-accept",
    ),
    path("notifications/", inbox.inbox, name="notifications"),
    path("notifications/bell/", inbox.bell, name="notifications-bell"),
    path("notifications/read-all/", inbox.notifications_read_all, name="notifications-read-all"),
    path("notifications/preferences/", inbox.preferences, name="notification-preferences"),
    path(
        "notifications/<int:notification_id>/open/",
        inbox.notification_open,
        name="notification-open",
    ),
    path(
        "notifications/<int:notification_id>/read/",
        inbox.notification_read,
        name="notification-mark-read",
    ),
    path("imports/<int:job_id>/", import_views.import_job_page, name="import-job"),
    path(
        "imports/<int:job_id>/confirm/",
        import_views.import_job_confirm_view,
        name="import-job-confirm",
    ),
    path(
        "imports/<int:job_id>/errors.csv", import_views.import_job_errors, name="import-job-errors"
    ),
    path("operations/outbox/", operations.outbox_page, name="operations-outbox"),
    path("operations/outbox/retry/", operations.outbox_retry_view, name="operations-outbox-retry"),
    path(
        "operations/outbox/discard/",
        operations.outbox_discard_view,
        name="operations-outbox-discard",
    ),
    path("operations/outbox.json", operations.outbox_json, name="operations-outbox-json"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("account/", include("srm.account_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(scorecards_api.urlpatterns)),
    path(
        "api/v1/partners/<int:partner_id>/export/",
        partnership_views.PartnershipExportView.as_view(),
        name="api-partnership-export",
    ),
    path(
        "api/v1/partners/<int:partner_id>/value/",
        value.PartnerValueView.as_view(),
        name="partner-value",
    ),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI's start-up script comes from its own URL (?script), not inline: the CSP
    # allows no inline script. Schema and docs are for signed-in users (SERVE_PERMISSIONS).
    path(
        "api/docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("favicon.ico", views.favicon),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
