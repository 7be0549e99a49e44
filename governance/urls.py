from django.urls import path

from governance import views, views_portal

app_name = "governance"

urlpatterns = [
    path("partners/<int:partner_id>/", views.partner_governance, name="partner"),
    path("partners/<int:partner_id>/meetings/", views.partner_meetings, name="meetings"),
    path("partners/<int:partner_id>/actions/", views.partner_actions, name="actions"),
    path("partners/<int:partner_id>/escalations/", views.partner_escalations, name="escalations"),
    path("partners/<int:partner_id>/qbr/", views.partner_qbr, name="qbr"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:meeting_id>.ics", views.meeting_ics, name="meeting-ics"),
    path("attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("actions/<int:action_id>/status/", views.action_status, name="action-status"),
    path("calendar/", views.calendar, name="calendar"),
    path("my/", views.my_governance, name="my"),
    path("feeds/<str:token>.ics", views.feed, name="feed"),
    path("lessons/", views.lessons, name="lessons"),
    path("challenges/", views.challenges, name="challenges"),
    path("portal/actions/", views_portal.portal_actions, name="portal-actions"),
    path(
        "portal/actions/<int:action_id>/status/",
        views_portal.portal_action_status,
        name="portal-action-status",
    ),
    path("portal/meetings/", views_portal.portal_meetings, name="portal-meetings"),
    path("portal/meetings/<int:meeting_id>/", views_portal.portal_meeting, name="portal-meeting"),
    path("portal/charter/", views_portal.portal_charter, name="portal-charter"),
    path("portal/challenges/", views_portal.portal_challenges, name="portal-challenges"),
]
