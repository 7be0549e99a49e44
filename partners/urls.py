from django.urls import path

from partners import views, views_import, views_invitations

app_name = "partners"

urlpatterns = [
    path("", views.partner_list_view, name="list"),
    path("new/", views.partner_create_view, name="create"),
    path("import/", views_import.partner_import_view, name="import"),
    path("import/contacts/", views_import.contact_import_view, name="import-contacts"),
    path("export.<str:fmt>", views.partner_export_view, name="export"),
    path("matrix/", views.kraljic_matrix_view, name="matrix"),
    path("playbooks/", views.playbook_list_view, name="playbooks"),
    path("playbooks/<str:engagement_model>/", views.playbook_edit_view, name="playbook-edit"),
    path("documents/<int:document_id>/", views.agreement_document_view, name="agreement-document"),
    path("<int:partner_id>/edit/", views.partner_edit_view, name="edit"),
    path(
        "<int:partner_id>/contacts/<int:contact_id>/invite/",
        views_invitations.invitation_send_view,
        name="contact-invite",
    ),
    path(
        "<int:partner_id>/invitations/<int:invitation_id>/revoke/",
        views_invitations.invitation_revoke_view,
        name="invitation-revoke",
    ),
    path("<int:partner_id>/transition/", views.partner_transition_view, name="transition"),
    path("<int:partner_id>/segmentation/", views.segmentation_view, name="segmentation"),
    path("<int:partner_id>/readiness/", views.readiness_create_view, name="readiness"),
    path(
        "<int:partner_id>/readiness/<int:assessment_id>/rate/",
        views.readiness_rate_view,
        name="readiness-rate",
    ),
    path("<int:partner_id>/agreements/new/", views.agreement_view, name="agreement-create"),
    path(
        "<int:partner_id>/agreements/<int:agreement_id>/",
        views.agreement_view,
        name="agreement-edit",
    ),
    path("<int:partner_id>/notes/", views.note_create_view, name="note-create"),
    path("<int:partner_id>/supply-items/new/", views.supply_item_view, name="supply-item-create"),
    path(
        "<int:partner_id>/supply-items/<int:item_id>/",
        views.supply_item_view,
        name="supply-item-edit",
    ),
    path("<int:partner_id>/benchmarks/new/", views.benchmark_view, name="benchmark-create"),
    path(
        "<int:partner_id>/benchmarks/<int:benchmark_id>/",
        views.benchmark_view,
        name="benchmark-edit",
    ),
    path("<int:partner_id>/contacts/new/", views.contact_view, name="contact-create"),
    path("<int:partner_id>/contacts/<int:contact_id>/", views.contact_view, name="contact-edit"),
    path("<int:partner_id>/spend/", views.spend_view, name="spend"),
]
