from django.urls import path

from mappa.assessments import views

app_name = "assessments"

urlpatterns = [
    path("<uuid:pk>/", views.assessment_list, name="list"),
    path("<uuid:pk>/add/", views.assessment_choose, name="choose"),
    path("<uuid:pk>/add/<slug:tool>/", views.assessment_add, name="add"),
    path("<uuid:pk>/home-visits/", views.home_visit_list, name="home_visits"),
    path("<uuid:pk>/home-visits/add/", views.home_visit_add, name="home_visit_add"),
]
