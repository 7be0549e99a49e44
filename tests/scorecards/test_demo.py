"""The demo scorecards tell their stories and seeding twice adds nothing."""

from __future__ import annotations

import pytest

from scorecards.models import (
    Dispute,
    Measurement,
    Period,
    PortfolioRollup,
    Scorecard,
    ScorecardTemplate,
)
from srm.demo import seed_demo

pytestmark = pytest.mark.django_db


def _latest(short_name: str) -> Period:
    return (
        Period.objects.filter(scorecard__partner__short_name=short_name, status="closed")
        .order_by("-start")
        .first()
    )


def test_demo_scorecards_tell_their_stories_and_are_idempotent() -> None:
    seed_demo()
    counts = (
        Scorecard.objects.count(),
        Period.objects.count(),
        Measurement.objects.count(),
        Dispute.objects.count(),
    )
    seed_demo()
    assert counts == (
        Scorecard.objects.count(),
        Period.objects.count(),
        Measurement.objects.count(),
        Dispute.objects.count(),
    )
    assert _latest("Voltaris").rating == "excellent"
    assert _latest("GreenPack").rating == "good"
    assert _latest("Sinter Magnetics").rating == "critical"
    assert _latest("NordFreight").rating == "needs_improvement"
    # Each partner is scored on the template its engagement model's playbook names.
    assert _latest("NordFreight").breakdown["template_name"] == "Preferred supplier"
    assert _latest("Voltaris").breakdown["template_name"] == "Joint venture balanced"
    voltaris = Period.objects.filter(scorecard__partner__short_name="Voltaris", status="closed")
    assert voltaris.count() == 6
    scores = [p.overall for p in voltaris.order_by("start")]
    assert scores[0] < scores[-1]
    assert Measurement.objects.filter(status="submitted", entered_by__username="lena").count() == 1
    assert Dispute.objects.get(status="open").period.scorecard.partner.short_name == "GreenPack"
    assert Period.objects.filter(status="open").count() == Scorecard.objects.count()
    assert PortfolioRollup.objects.filter(dimension="engagement_model").exists()
    # Every template an engagement-model playbook names exists, each summing to 100.
    for code in (
        "transactional-basic",
        "preferred-supplier",
        "strategic-balanced",
        "joint-venture-balanced",
        "logistics-delivery",
    ):
        template = ScorecardTemplate.objects.get(code=code)
        assert sum(p.weight for p in template.perspectives.all()) == 100
