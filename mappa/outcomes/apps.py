from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "mappa.outcomes"
    label = "outcomes"
