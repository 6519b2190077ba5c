from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "mappa.quality"
    label = "quality"
