from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "mappa.register"
    label = "register"
