from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "mappa.search"
    label = "search"
