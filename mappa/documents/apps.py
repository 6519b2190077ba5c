from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "mappa.documents"
    label = "documents"
