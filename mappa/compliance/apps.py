from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "mappa.compliance"
    label = "compliance"
