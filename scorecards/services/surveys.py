"""Relationship health survey rounds and their answers, both ways (SPEC 3.9).

Rounds are opened by hand or by the scheduled job on the playbook's frequency; internal users
answer for the buyer's side, the partner's supplier users for the supplier's side, one
response per user per round, replaced when answered again while the round is open.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.errors import ConflictError, FieldErrors, NotFoundError
from core.models import Actor, User
from core.notifications import NotificationKind
from core.risk_signals import risk_signals_refresh_after_commit
from core.roles import Capability, require, require_any
from core.services import audit_record, notification_send
from partners.access import partner_id_of_supplier
from partners.lifecycle import LifecycleStage
from partners.models import EngagementPlaybook, Partner, PartnerUser
from scorecards.models import HealthSurvey, SurveyResponse
from scorecards.surveys import DIMENSIONS, Side, answer_errors

# How long a round opened by the scheduled job stays open.
ROUND_DAYS = 14
# Partners in these stages get rounds from the scheduled job.
SURVEYED_STAGES = (LifecycleStage.ACTIVE, LifecycleStage.UNDER_REVIEW)


def _check_dates(partner: Partner, opens_on: date, closes_on: date) -> None:
    if closes_on < opens_on:
        raise FieldErrors({"closes_on": [_("A round closes on or after the day it opens.")]})
    overlapping = HealthSurvey.objects.filter(
        partner=partner, opens_on__lte=closes_on, closes_on__gte=opens_on
    ).first()
    if overlapping is not None:
        raise ConflictError(
            _(
                "%(partner)s already has a survey round from %(opens)s to %(closes)s; "
                "rounds of one partner do not overlap."
            )
            % {
                "partner": partner.short_name,
                "opens": overlapping.opens_on,
                "closes": overlapping.closes_on,
            }
        )


def _notify_round(survey: HealthSurvey, *, today: date) -> None:
    """Ask both sides to answer: the partner's owner and alliance manager, and its
    supplier users (shared with the partner)."""
    partner = survey.partner

    def subject(user: User) -> str:
        with translation.override(user.language):
            return _("Relationship health survey for %(partner)s: please answer by %(closes)s") % {
                "partner": partner.short_name,
                "closes": survey.closes_on,
            }

    internal = {u for u in (partner.owner, partner.alliance_manager) if u is not None}
    for user in internal:
        notification_send(
            recipient=user,
            key=f"health-survey-{survey.pk}-{user.pk}",
            subject=subject(user),
            url=f"/scorecards/surveys/{survey.pk}/",
            partner_id=partner.pk,
            today=today,
        )
    links = PartnerUser.objects.filter(partner=partner).select_related("user")
    for link in links:
        notification_send(
            recipient=link.user,
            key=f"health-survey-{survey.pk}-{link.user.pk}",
            subject=subject(link.user),
            url=f"/scorecards/portal/surveys/{survey.pk}/",
            partner_id=partner.pk,
            shared=True,
            today=today,
        )


@transaction.atomic
def health_survey_open(
    *,
    actor: Actor,
    partner: Partner,
    opens_on: date,
    closes_on: date,
    today: date | None = None,
) -> HealthSurvey:
    """Open a survey round for a partner; refused when it overlaps another round."""
    require(actor, Capability.MANAGE_GOVERNANCE)
    Partner.objects.select_for_update().filter(pk=partner.pk).first()
    _check_dates(partner, opens_on, closes_on)
    survey = HealthSurvey.objects.create(
        partner=partner,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=actor if isinstance(actor, User) else None,
    )
    audit_record(
        actor=actor,
        action="health_survey.open",
        obj=survey,
        changes={"partner": partner, "opens_on": opens_on, "closes_on": closes_on},
    )
    today = today or timezone.localdate()
    if opens_on <= today <= closes_on:
        _notify_round(survey, today=today)
    return survey


def _survey_side(actor: User) -> Side:
    return Side.SUPPLIER if actor.is_supplier else Side.BUYER


@transaction.atomic
def survey_answer(
    *,
    actor: User,
    survey: HealthSurvey,
    answers: Mapping[str, object],
    comment: str = "",
    today: date | None = None,
) -> SurveyResponse:
    """Answer a round (or replace one's answer while it is open); the role decides the side."""
    require_any(actor, Capability.VIEW_PORTFOLIO, Capability.USE_PORTAL)
    side = _survey_side(actor)
    if side is Side.SUPPLIER and partner_id_of_supplier(actor) != survey.partner_id:
        raise NotFoundError(_("No such survey."))
    today = today or timezone.localdate()
    if not survey.opens_on <= today <= survey.closes_on:
        raise ConflictError(
            _("This survey round is open from %(opens)s to %(closes)s.")
            % {"opens": survey.opens_on, "closes": survey.closes_on}
        )
    errors = answer_errors(answers)
    if errors:
        raise FieldErrors(errors)
    values = {key: int(str(answers[key])) for key in DIMENSIONS}
    response, created = SurveyResponse.objects.update_or_create(
        survey=survey,
        respondent=actor,
        defaults={**values, "side": side, "comment": comment},
    )
    audit_record(
        actor=actor,
        action="survey_response.save" if created else "survey_response.replace",
        obj=response,
        changes={**values, "side": side},
    )
    risk_signals_refresh_after_commit([survey.partner_id])  # a survey gap
    return response


def _months_ago(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, 28))


@transaction.atomic
def health_surveys_schedule(*, actor: Actor, today: date) -> list[HealthSurvey]:
    """The scheduled job: open a round for every active partner whose last round opened a
    playbook's frequency ago (or never), and ask both sides. Set-based: one query finds the
    partners due, whatever the portfolio's size; running twice on a day opens nothing more."""
    require(actor, Capability.MANAGE_GOVERNANCE)
    frequency = Subquery(
        EngagementPlaybook.objects.filter(engagement_model=OuterRef("engagement_model")).values(
            "survey_frequency_months"
        )[:1]
    )
    candidates = (
        Partner.objects.filter(lifecycle_stage__in=SURVEYED_STAGES)
        .annotate(last_opened=Max("health_surveys__opens_on"), frequency=frequency)
        .exclude(health_surveys__closes_on__gte=today)
        .select_related("owner", "alliance_manager")
        .order_by("pk")
    )
    opened: list[HealthSurvey] = []
    for partner in candidates:
        months = getattr(partner, "frequency", None) or 12
        last = getattr(partner, "last_opened", None)
        if last is not None and last > _months_ago(today, months):
            continue
        survey = HealthSurvey.objects.create(
            partner=partner, opens_on=today, closes_on=today + timedelta(days=ROUND_DAYS)
        )
        audit_record(actor=actor, action="health_survey.schedule", obj=survey)
        _notify_round(survey, today=today)
        opened.append(survey)
    return opened


def health_survey_remind(*, actor: Actor, today: date) -> int:
    """Remind who has not answered an open round, three days before it closes (once)."""
    require(actor, Capability.MANAGE_GOVERNANCE)
    due = HealthSurvey.objects.filter(
        opens_on__lte=today, closes_on=today + timedelta(days=3), reminded_on__isnull=True
    ).select_related("partner__owner", "partner__alliance_manager")
    count = 0
    for survey in due:
        answered = set(survey.responses.values_list("respondent_id", flat=True))
        partner = survey.partner

        def reminder(user: User, partner: Partner = partner, survey: HealthSurvey = survey) -> str:
            with translation.override(user.language):
                return _("Reminder: the health survey for %(partner)s closes %(closes)s") % {
                    "partner": partner.short_name,
                    "closes": survey.closes_on,
                }

        internal = {u for u in (partner.owner, partner.alliance_manager) if u is not None}
        for user in internal - {u for u in internal if u.pk in answered}:
            notification_send(
                recipient=user,
                key=f"health-survey-reminder-{survey.pk}-{user.pk}",
                subject=reminder(user),
                url=f"/scorecards/surveys/{survey.pk}/",
                kind=NotificationKind.GENERAL,
                partner_id=partner.pk,
                today=today,
            )
            count += 1
        for link in PartnerUser.objects.filter(partner=partner).exclude(user_id__in=answered):
            notification_send(
                recipient=link.user,
                key=f"health-survey-reminder-{survey.pk}-{link.user_id}",
                subject=reminder(link.user),
                url=f"/scorecards/portal/surveys/{survey.pk}/",
                partner_id=partner.pk,
                shared=True,
                today=today,
            )
            count += 1
        HealthSurvey.objects.filter(pk=survey.pk).update(reminded_on=today)
    return count
