from django.urls import path

from mappa.compliance import views

app_name = "compliance"

urlpatterns = [path("", views.worklist, name="worklist")]
