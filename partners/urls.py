from django.urls import path

from partners import views

app_name = "partners"

urlpatterns = [
    path("", views.partner_list_view, name="list"),
]
