from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "mappa.people"
    label = "people"
