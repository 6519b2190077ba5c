from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "mappa.assessments"
    label = "assessments"
