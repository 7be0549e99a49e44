from django.urls import path

from partners import views

app_name = "partners"

urlpatterns = [
    path("", views.partner_list_view, name="list"),
    path("<int:partner_id>/", views.partner_detail_view, name="detail"),
]
