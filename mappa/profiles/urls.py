from django.urls import path

from mappa.profiles import views

app_name = "profiles"

urlpatterns = [
    path("", views.profile_list, name="list"),
    path("area/", views.area_change, name="area"),
]
