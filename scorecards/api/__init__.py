"""REST API of the scorecards app, one module per resource: templates (and the what-if
preview), scorecards (and their periods), measurements and disputes. Every queryset is
scoped through partners.access; every write goes through scorecards.services, which checks
the actor's capability and partner."""

from __future__ import annotations

from django.urls import path
from rest_framework.routers import BaseRouter

from scorecards.api.accountability import (
    AgreementLedgerView,
    HealthSurveyViewSet,
    RiskRewardEventViewSet,
    ValueEntryViewSet,
)
from scorecards.api.disputes import DisputeViewSet
from scorecards.api.incentives import EarnedIncentiveViewSet, IncentiveRuleViewSet
from scorecards.api.measurements import MeasurementViewSet
from scorecards.api.scorecards import PeriodViewSet, ScorecardViewSet
from scorecards.api.templates import ScoringPreviewView, TemplateViewSet

# Included before the router's URLs so the scorecards viewset never sees "preview".
urlpatterns = [
    path("scorecards/preview/", ScoringPreviewView.as_view(), name="scorecard-preview"),
    path(
        "partner-agreements/<int:agreement_id>/ledger/",
        AgreementLedgerView.as_view(),
        name="agreement-ledger",
    ),
]


def register(router: BaseRouter) -> None:
    router.register("scorecard-templates", TemplateViewSet, basename="scorecard-template")
    router.register("scorecards", ScorecardViewSet, basename="scorecard")
    router.register("scorecard-periods", PeriodViewSet, basename="scorecard-period")
    router.register("scorecard-measurements", MeasurementViewSet, basename="scorecard-measurement")
    router.register("scorecard-disputes", DisputeViewSet, basename="scorecard-dispute")
    router.register("value-entries", ValueEntryViewSet, basename="value-entry")
    router.register("risk-reward-events", RiskRewardEventViewSet, basename="risk-reward-event")
    router.register("health-surveys", HealthSurveyViewSet, basename="health-survey")
    router.register("incentive-rules", IncentiveRuleViewSet, basename="incentive-rule")
    router.register("earned-incentives", EarnedIncentiveViewSet, basename="earned-incentive")
