"""Scorecards: a template applied to a partner (optionally for one category of spend), and
its move to a newer template version."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import FieldErrors
from core.models import Actor
from core.roles import Capability, require, require_any
from core.services import audit_record
from partners.models import Category, Partner
from scorecards.models import Frequency, Period, Scorecard, ScorecardTemplate
from scorecards.periods import period_containing
from scorecards.selectors_templates import template_latest


def _open_period(scorecard: Scorecard, on: date) -> Period:
    """The scorecard's period containing ``on``, created open if it does not exist yet."""
    calendar_period = period_containing(on, scorecard.frequency)
    period, _created = Period.objects.get_or_create(
        scorecard=scorecard,
        start=calendar_period.start,
        defaults={"end": calendar_period.end, "label": calendar_period.label},
    )
    return period


def scorecard_apply_template(
    *,
    actor: Actor,
    partner: Partner,
    template_code: str | None = None,
    template: ScorecardTemplate | None = None,
    category: Category | None = None,
    frequency: str = Frequency.QUARTERLY,
    today: date | None = None,
) -> Scorecard:
    """Give ``partner`` a scorecard from a template (by object or by ``template_code``, then
    its latest version) and open its current period.

    Idempotent: a partner that already has a scorecard from this template (any version) for
    this category gets that scorecard back, so a playbook may apply it again safely.
    """
    # Applying an engagement-model playbook (partners) may apply its scorecard template too.
    require_any(actor, Capability.MANAGE_SCORECARDS, Capability.EDIT_PARTNERS)
    if template is None:
        if not template_code:
            raise FieldErrors({"template_code": [_("Name a template.")]})
        template = template_latest(template_code)
    if frequency not in Frequency.values:
        raise FieldErrors({"frequency": [_("Use monthly, quarterly or yearly.")]})
    with transaction.atomic():
        existing = (
            Scorecard.objects.select_for_update()
            .filter(partner=partner, template__code=template.code, category=category)
            .first()
        )
        if existing is not None:
            return existing
        scorecard = Scorecard.objects.create(
            partner=partner, template=template, category=category, frequency=frequency
        )
        _open_period(scorecard, today or timezone.localdate())
        audit_record(
            actor=actor,
            action="scorecard.create",
            obj=scorecard,
            changes={"template": str(template), "category": category, "frequency": frequency},
        )
    return scorecard


def scorecard_add_from_template(
    *, actor: Actor, partner: Partner, template_code: str, frequency: str = Frequency.QUARTERLY
) -> Scorecard:
    """Give ``partner`` another scorecard from a chosen template (its latest version), as a
    person asks for it: unlike :func:`scorecard_apply_template` a template the partner
    already has a scorecard from is refused with a field error naming it."""
    require(actor, Capability.MANAGE_SCORECARDS)
    template = template_latest(template_code)
    if Scorecard.objects.filter(
        partner=partner, template__code=template.code, category=None
    ).exists():
        raise FieldErrors(
            {
                "template_code": [
                    _("%(partner)s already has a scorecard from “%(template)s”.")
                    % {"partner": partner.short_name, "template": template.name}
                ]
            }
        )
    return scorecard_apply_template(
        actor=actor, partner=partner, template=template, frequency=frequency
    )


def scorecard_upgrade_template(*, actor: Actor, scorecard: Scorecard) -> Scorecard:
    """Move a scorecard to the latest version of its template. Periods closed already keep
    the version they were scored with; the open and later periods use the new one."""
    require(actor, Capability.MANAGE_SCORECARDS)
    latest = template_latest(scorecard.template.code)
    if latest.pk == scorecard.template_id:
        return scorecard
    with transaction.atomic():
        before = str(scorecard.template)
        scorecard.template = latest
        scorecard.save(update_fields=["template"])
        audit_record(
            actor=actor,
            action="scorecard.upgrade",
            obj=scorecard,
            changes={"template": [before, str(latest)]},
        )
    return scorecard
