"""The co-ordinator's explanation that goes with a year's annual report statistics.

J 15.5: the annual report is presented to the Minister with the figures and what
they mean; the figures themselves are computed from the register every time
(``mappa.annual.report``), never stored, so only the words are kept here.
"""

from django.conf import settings
from django.db import models


class AnnualReportNote(models.Model):
    """One explanation per reporting year and profile (the layout it explains)."""

    year = models.PositiveSmallIntegerField()
    profile_key = models.SlugField("Jurisdiction profile", max_length=50)
    explanation = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Optimistic locking: a save based on an older version is refused, not overwritten.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["profile_key", "year"], name="one_annual_note_per_year")
        ]

    def __str__(self) -> str:
        return f"Annual report explanation {self.year} ({self.profile_key})"
