"""The demo portfolio tells the partners story and a second seed changes nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from core.models import AuditEvent
from partners.models import (
    Agreement,
    Partner,
    PriceBenchmark,
    ReadinessAssessment,
    SegmentationAssessment,
)
from partners.selectors import agreement_reminders_due
from srm.demo import seed_demo

pytestmark = pytest.mark.django_db

MODELS = (SegmentationAssessment, ReadinessAssessment, Agreement, PriceBenchmark, AuditEvent)


def test_demo_partner_terms_are_seeded_once_and_tell_the_story() -> None:
    seed_demo()
    counts = [m.objects.count() for m in MODELS]
    seed_demo()
    assert counts == [m.objects.count() for m in MODELS]

    for partner in Partner.objects.all():
        latest = partner.segmentations.first()
        assert latest is not None and latest.quadrant == partner.quadrant, partner
    override = SegmentationAssessment.objects.exclude(override_quadrant="").get()
    assert override.partner.short_name == "Blue Harbor"
    assert override.computed_quadrant == "non_critical" and override.override_justification

    for name in ("Voltaris", "GreenPack", "Kestrel", "Blue Harbor"):
        assert ReadinessAssessment.objects.filter(partner__short_name=name).count() == 2

    jv = Agreement.objects.get(partner__short_name="Voltaris", kind="joint_venture")
    assert jv.ip_share == "60:40" and "innovation centre" in jv.internal_notes
    assert Agreement.objects.get(partner__short_name="GreenPack").gain_share == "50:50"
    assert Agreement.objects.filter(kind="nda").exists()
    assert not Agreement.objects.get(partner__short_name="OfficeLine").has_exit_clause
    soon = {d.agreement.partner.short_name for d in agreement_reminders_due(timezone.localdate())}
    assert "NordFreight" in soon

    flags = {p.short_name: [f["code"] for f in p.risk_flags] for p in Partner.objects.all()}
    assert "unjustified_premium" in flags["Sinter Magnetics"]
    assert "single_source_critical" in flags["Sinter Magnetics"]
    assert "unjustified_premium" not in flags["GreenPack"]
    assert "no_exit_clause" in flags["Kestrel"]
    greenpack = PriceBenchmark.objects.get(partner__short_name="GreenPack")
    assert str(greenpack.premium_percent) == "7.00" and greenpack.justification
