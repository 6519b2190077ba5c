from django.urls import path

from mappa.people import views

app_name = "people"

urlpatterns = [
    path("<uuid:pk>/", views.people_list, name="list"),
    path("<uuid:pk>/add/<slug:kind>/", views.person_add, name="add"),
    path("<uuid:pk>/<uuid:person>/", views.person_edit, name="edit"),
    path("<uuid:pk>/<uuid:person>/remove/", views.person_remove, name="remove"),
]
