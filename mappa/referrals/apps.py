from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "mappa.referrals"
    label = "referrals"
