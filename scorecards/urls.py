from django.urls import path

from scorecards import views, views_accountability, views_portal, views_templates

app_name = "scorecards"

urlpatterns = [
    path("", views.scorecard_list_view, name="list"),
    path("export.<str:fmt>", views.scorecard_list_export_view, name="list-export"),
    path("<int:scorecard_id>/", views.scorecard_detail_view, name="detail"),
    path("<int:scorecard_id>/import/", views.import_view, name="import"),
    path("<int:scorecard_id>/upgrade/", views.scorecard_upgrade_view, name="upgrade"),
    path("<int:scorecard_id>/export.<str:fmt>", views.scorecard_export_view, name="export"),
    path(
        "partners/<int:partner_id>/new/",
        views_templates.scorecard_add_view,
        name="partner-add",
    ),
    path("preview/", views_templates.preview_view, name="preview"),
    path("templates/", views_templates.template_list_view, name="templates"),
    path("templates/edit/", views_templates.template_edit_view, name="template-edit"),
    path("periods/<int:period_id>/grid/", views.period_grid_view, name="grid"),
    path("periods/<int:period_id>/close/", views.period_close_view, name="period-close"),
    path("periods/<int:period_id>/reopen/", views.period_reopen_view, name="period-reopen"),
    path(
        "measurements/<int:measurement_id>/review/",
        views.measurement_review_view,
        name="measurement-review",
    ),
    path("measurements/<int:measurement_id>/evidence/", views.evidence_view, name="evidence"),
    path("disputes/<int:dispute_id>/resolve/", views.dispute_resolve_view, name="dispute-resolve"),
    path(
        "partners/<int:partner_id>/ledger/new/",
        views_accountability.ledger_event_add_view,
        name="ledger-event-add",
    ),
    path(
        "partners/<int:partner_id>/surveys/new/",
        views_accountability.survey_open_view,
        name="survey-open",
    ),
    path("surveys/<int:survey_id>/", views_accountability.survey_view, name="survey"),
    path("incentives/", views_accountability.incentives_view, name="incentives"),
    path(
        "incentives/rules/",
        views_accountability.incentive_rule_add_view,
        name="incentive-rule-add",
    ),
    path(
        "incentives/<int:earned_incentive_id>/approve/",
        views_accountability.incentive_approve_view,
        name="incentive-approve",
    ),
    path(
        "incentives/<int:earned_incentive_id>/decline/",
        views_accountability.incentive_decline_view,
        name="incentive-decline",
    ),
    path("portal/surveys/", views_accountability.portal_surveys_view, name="portal-surveys"),
    path(
        "portal/surveys/<int:survey_id>/",
        views_accountability.portal_survey_view,
        name="portal-survey",
    ),
    path("portal/", views_portal.portal_scorecard_view, name="portal-scorecard"),
    path(
        "portal/<int:scorecard_id>/",
        views_portal.portal_scorecard_view,
        name="portal-scorecard-detail",
    ),
    path(
        "portal/periods/<int:period_id>/report/",
        views_portal.portal_self_report_view,
        name="portal-self-report",
    ),
    path(
        "portal/periods/<int:period_id>/dispute/",
        views_portal.portal_dispute_view,
        name="portal-dispute",
    ),
]
