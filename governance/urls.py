from django.urls import path

from governance.views import (
    actions,
    calendar,
    escalations,
    improvement,
    meetings,
    partner,
    portal,
    portfolio,
    qbr_pack,
)

app_name = "governance"

urlpatterns = [
    # Improvement plans (SPEC 3.8).
    path(
        "partners/<int:partner_id>/improvement-plans/",
        improvement.plan_create,
        name="improvement-plan-create",
    ),
    path(
        "improvement-plans/<int:improvement_plan_id>/",
        improvement.plan_view,
        name="improvement-plan",
    ),
    path(
        "improvement-plans/<int:improvement_plan_id>/open/",
        improvement.plan_open,
        name="improvement-plan-open",
    ),
    path(
        "improvement-plans/<int:improvement_plan_id>/dismiss/",
        improvement.plan_dismiss,
        name="improvement-plan-dismiss",
    ),
    path(
        "improvement-plans/<int:improvement_plan_id>/close/",
        improvement.plan_close,
        name="improvement-plan-close",
    ),
    path(
        "improvement-plans/<int:improvement_plan_id>/actions/",
        improvement.plan_action_add,
        name="improvement-plan-action-add",
    ),
    # The governance page of a partnership and one URL per form on it.
    path("partners/<int:partner_id>/", partner.partner_governance, name="partner"),
    path("partners/<int:partner_id>/charters/", partner.charter_create, name="charter-create"),
    path("partners/<int:partner_id>/cadences/", partner.cadence_create, name="cadence-create"),
    path(
        "partners/<int:partner_id>/cadences/defaults/",
        partner.cadence_defaults,
        name="cadence-defaults",
    ),
    path("partners/<int:partner_id>/plans/", partner.plan_create, name="plan-create"),
    path("plans/<int:plan_id>/objectives/", partner.objective_add, name="objective-add"),
    path("plans/<int:plan_id>/milestones/", partner.milestone_add, name="milestone-add"),
    path("milestones/<int:milestone_id>/done/", partner.milestone_done, name="milestone-done"),
    path(
        "partners/<int:partner_id>/initiatives/",
        partner.initiative_create,
        name="initiative-create",
    ),
    path(
        "initiatives/<int:initiative_id>/stage/",
        partner.initiative_stage,
        name="initiative-stage",
    ),
    path(
        "initiatives/<int:initiative_id>/value/",
        partner.initiative_value,
        name="initiative-value",
    ),
    # Meetings.
    path("partners/<int:partner_id>/meetings/", meetings.partner_meetings, name="meetings"),
    path("meetings/<int:meeting_id>/", meetings.meeting_detail, name="meeting"),
    path(
        "meetings/<int:meeting_id>/attendees/",
        meetings.meeting_attendees,
        name="meeting-attendees",
    ),
    path("meetings/<int:meeting_id>/minutes/", meetings.meeting_minutes, name="meeting-minutes"),
    path("meetings/<int:meeting_id>/move/", meetings.meeting_move, name="meeting-move"),
    path("meetings/<int:meeting_id>/cancel/", meetings.meeting_cancel, name="meeting-cancel"),
    path("meetings/<int:meeting_id>/not-held/", meetings.meeting_unhold, name="meeting-unhold"),
    path(
        "meetings/<int:meeting_id>/actions/",
        meetings.meeting_action_create,
        name="meeting-action-create",
    ),
    path(
        "meetings/<int:meeting_id>/attachments/",
        meetings.meeting_attach,
        name="meeting-attach",
    ),
    path("meetings/<int:meeting_id>.ics", meetings.meeting_ics, name="meeting-ics"),
    path("meetings/<int:meeting_id>/pack/", qbr_pack.meeting_pack, name="meeting-pack"),
    path("meetings/<int:meeting_id>/pack.pdf", qbr_pack.meeting_pack_pdf, name="meeting-pack-pdf"),
    path("attachments/<int:attachment_id>/", meetings.attachment_download, name="attachment"),
    # Actions.
    path("partners/<int:partner_id>/actions/", actions.partner_actions, name="actions"),
    path("actions/<int:action_id>/status/", actions.action_status, name="action-status"),
    # Escalations.
    path(
        "partners/<int:partner_id>/escalations/",
        escalations.partner_escalations,
        name="escalations",
    ),
    path(
        "partners/<int:partner_id>/escalations/ladder/",
        escalations.escalation_ladder,
        name="escalation-ladder",
    ),
    path(
        "partners/<int:partner_id>/escalations/raise/",
        escalations.escalation_raise,
        name="escalation-raise",
    ),
    path(
        "escalations/<int:escalation_id>/resolve/",
        escalations.escalation_resolve,
        name="escalation-resolve",
    ),
    # Across the portfolio.
    path("partners/<int:partner_id>/qbr/", portfolio.partner_qbr, name="qbr"),
    path("lessons/", portfolio.lessons, name="lessons"),
    path("challenges/", portfolio.challenges, name="challenges"),
    path("challenges/publish/", portfolio.challenge_publish, name="challenge-publish"),
    path(
        "proposals/<int:proposal_id>/decide/",
        portfolio.proposal_decide,
        name="proposal-decide",
    ),
    path("my/", portfolio.my_governance, name="my"),
    path("calendar/", calendar.calendar, name="calendar"),
    path("feeds/<str:token>.ics", calendar.feed, name="feed"),
    # The supplier's portal.
    path("portal/actions/", portal.portal_actions, name="portal-actions"),
    path(
        "portal/actions/<int:action_id>/status/",
        portal.portal_action_status,
        name="portal-action-status",
    ),
    path("portal/meetings/", portal.portal_meetings, name="portal-meetings"),
    path("portal/meetings/<int:meeting_id>/", portal.portal_meeting, name="portal-meeting"),
    path("portal/charter/", portal.portal_charter, name="portal-charter"),
    path("portal/challenges/", portal.portal_challenges, name="portal-challenges"),
]
