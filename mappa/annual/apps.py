from django.apps import AppConfig


class AnnualConfig(AppConfig):
    name = "mappa.annual"
    label = "annual"
