"""The name index the register's search reads: one row per name a person is known by."""

from django.db import models

from mappa.register.models import Alias, Nominal


class NameEntry(models.Model):
    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="name_entries")
    alias = models.ForeignKey(
        Alias, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Lower case, accents and punctuation removed, hyphens and spaces collapsed.
    given_norm = models.CharField(max_length=150, blank=True)
    family_norm = models.CharField(max_length=100, blank=True)
    full_norm = models.CharField(max_length=260, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["family_norm"]),
            models.Index(fields=["given_norm"]),
        ]
