from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "mappa.dashboard"
    label = "dashboard"
